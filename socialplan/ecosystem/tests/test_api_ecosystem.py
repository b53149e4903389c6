"""The ecosystem in the open-data API: organizations, partnerships, pledges, comuni and the map's GeoJSON.

The data is the known sample of public_sample.py on the real Turin plan and territory.
"""

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socialplan.ecosystem.models import Organization
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.ecosystem.tests.public_sample import (
    HIDDEN_PERSON,
    IVREA,
    MONCALIERI,
    PRIVATE_EMAIL,
    PRIVATE_PHONE,
    TORINO,
    build_sample,
    grow_sample,
)
from socialplan.territory.services import load_territory


@pytest.fixture
def sample(torino):
    load_territory(code="TO")
    return build_sample(torino)


def get_json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


def legal_names(page: dict[str, Any]) -> list[str]:
    return [item["legal_name"] for item in page["items"]]


def test_organizations_list_with_public_fields_sorted_by_name(client, sample):
    page = get_json(client, "/api/v1/organizations")

    assert page["count"] == 5
    assert legal_names(page)[0] == "Associazione Senza Sede APS"
    germoglio = next(item for item in page["items"] if item["id"] == sample.germoglio.pk)
    assert germoglio == {
        "id": sample.germoglio.pk,
        "legal_name": "Cooperativa Sociale Il Germoglio",
        "codice_fiscale": sample.germoglio.codice_fiscale,
        "partita_iva": sample.germoglio.partita_iva,
        "legal_form": "coop_b",
        "runts_section": "d",
        "runts_number": "12345",
        "runts_registered_on": None,
        "seat_comune": TORINO,
        "website": "https://germoglio.example.org",
        "workforce": 42,
        "disadvantaged_share": "38.50",
        "volunteers": 5,
        "source": "RUNTS, elenco pubblicato",
        "verified_on": "2025-03-14",
        "is_demo": False,
    }
    senza_sede = next(item for item in page["items"] if item["id"] == sample.senza_sede.pk)
    assert senza_sede["seat_comune"] is None and senza_sede["partita_iva"] is None
    fondazione = next(item for item in page["items"] if item["id"] == sample.fondazione.pk)
    assert fondazione["runts_section"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=citta+aperta", ["SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA"]),
        ("legal_form=odv", ["Associazione Volontari Più Vicini ODV"]),
        ("runts_section=d", ["Cooperativa Sociale Il Germoglio", "SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA"]),
        (f"comune={IVREA}", ["Associazione Volontari Più Vicini ODV", "SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA"]),
        ("ateco_section=O", ["Cooperativa Sociale Il Germoglio"]),
        ("cpv_division=90", ["Cooperativa Sociale Il Germoglio"]),
        (f"comune={TORINO}&legal_form=foundation", ["Fondazione Comunità Torinese"]),
    ],
)
def test_organizations_filters_are_the_directorys(client, sample, query, expected):
    assert legal_names(get_json(client, f"/api/v1/organizations?{query}")) == expected


def test_organizations_by_theme_id(client, sample):
    governance = sample.governance_action.objective.theme_id
    page = get_json(client, f"/api/v1/organizations?theme={governance}")
    assert legal_names(page) == ["SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA"]


@pytest.mark.parametrize(
    "query",
    [
        *("legal_form=nonsense", "runts_section=z", "comune=12", "ateco_section=RR", "cpv_division=8"),
        *("theme=0", "q=" + "x" * 101),
    ],
)
def test_malformed_filters_are_422_with_the_field(client, sample, query):
    body = get_json(client, f"/api/v1/organizations?{query}", status=422)
    assert body["detail"].startswith("Invalid input.")
    assert body["errors"]


def test_organization_detail_has_activities_capabilities_comuni_and_public_people(client, sample):
    detail = get_json(client, f"/api/v1/organizations/{sample.citta_aperta.pk}")

    assert detail["people"] == [{"first_name": "Maria", "last_name": "Rossi", "role": "Presidente"}]
    assert detail["comuni_served"] == [IVREA]
    assert detail["cpv_codes"] == [
        {
            "code": "85300000",
            "division": "85",
            "label_it": "Servizi di assistenza sociale e servizi affini",
            "label_en": "Social work and related services",
        }
    ]
    assert [(a["code"], a["section"], a["title"]) for a in detail["activities"]] == [
        ("88.10.00", "R", "Assistenza sociale")
    ]
    assert [(p["role"], p["action_id"]) for p in detail["partnerships"]] == [
        ("lead", sample.governance_action.pk),
        ("partner", sample.sp_s1.pk),
    ]
    germoglio = get_json(client, f"/api/v1/organizations/{sample.germoglio.pk}")
    assert germoglio["certifications"] == ["ISO 9001", "SA8000"]
    assert germoglio["activities"][0]["title"] == "Attività di pulizia generale di edifici"  # from ISTAT's list


def test_no_private_data_anywhere_in_the_api(client, sample):
    trader = make_organization(legal_name="Mario Rossi ditta individuale", codice_fiscale="RSSMRA85T10A562S")
    urls = [
        "/api/v1/organizations?limit=200",
        *(f"/api/v1/organizations/{pk}" for pk in Organization.objects.values_list("pk", flat=True)),
        *(f"/api/v1/organizations/{pk}/pledges" for pk in Organization.objects.values_list("pk", flat=True)),
        "/api/v1/partnerships",
        "/api/v1/pledges",
    ]
    for url in urls:
        text = client.get(url).content.decode()
        for secret in (PRIVATE_EMAIL, PRIVATE_PHONE, HIDDEN_PERSON[1], "luigi@example.org", "RSSMRA85T10A562S"):
            assert secret not in text, (url, secret)
        assert "@" not in text.replace("example.org", ""), url
    assert get_json(client, f"/api/v1/organizations/{trader.pk}")["codice_fiscale"] is None


def test_unknown_organization_is_a_json_404(client, sample):
    assert get_json(client, "/api/v1/organizations/999999", status=404) == {
        "detail": "No organization with identifier 999999."
    }
    assert get_json(client, "/api/v1/organizations/999999/pledges", status=404)["detail"].startswith("No organization")
    get_json(client, "/api/v1/organizations/0", status=422)
    get_json(client, f"/api/v1/organizations/{2**63}", status=422)


def test_pledges_with_their_latest_progress_filtered(client, sample):
    pledges = get_json(client, "/api/v1/pledges")
    assert [(p["title"], p["achieved"], p["reported_on"]) for p in pledges["items"]] == [
        ("Formare operatori sugli appalti sociali", None, None),
        ("Assumere persone svantaggiate", "4.00", "2025-12-31"),
    ]
    hiring = pledges["items"][1]
    assert (hiring["quantity"], hiring["unit"], hiring["status"]) == ("10.00", "assunzioni", "active")

    of_germoglio = get_json(client, f"/api/v1/organizations/{sample.germoglio.pk}/pledges")
    assert [p["id"] for p in of_germoglio["items"]] == [sample.hiring_pledge.pk]
    assert get_json(client, f"/api/v1/pledges?organization={sample.citta_aperta.pk}")["count"] == 1
    assert get_json(client, f"/api/v1/pledges?action={sample.sp_s1.pk}")["count"] == 2
    assert get_json(client, "/api/v1/pledges?status=fulfilled")["count"] == 0
    get_json(client, "/api/v1/pledges?status=maybe", status=422)


def test_partnerships_filtered_by_action_and_organization(client, sample):
    everything = get_json(client, "/api/v1/partnerships")
    assert everything["count"] == 5
    of_action = get_json(client, f"/api/v1/partnerships?action={sample.sp_s1.pk}")
    assert sorted(p["role"] for p in of_action["items"]) == ["funder", "lead", "partner"]
    both = get_json(client, f"/api/v1/partnerships?action={sample.sp_s1.pk}&organization={sample.germoglio.pk}")
    assert [(p["organization_id"], p["role"]) for p in both["items"]] == [(sample.germoglio.pk, "lead")]


def test_comuni_with_population_without_boundaries(client, sample):
    page = get_json(client, "/api/v1/comuni?territory=to&limit=200")
    assert page["count"] == 312
    first = page["items"][0]
    assert first["istat_code"] == "001001" and first["territory"] == "TO"
    assert "boundary" not in first
    assert first["population_total"] == first["population_male"] + first["population_female"]
    assert get_json(client, "/api/v1/comuni?territory=CN")["count"] == 0
    get_json(client, "/api/v1/comuni?territory=TOO", status=422)


def test_geojson_has_every_comune_with_boundaries_and_counts_by_legal_form(client, sample):
    collection = get_json(client, "/api/v1/comuni/geojson?territory=TO")

    assert collection["type"] == "FeatureCollection"
    assert [territory["code"] for territory in collection["territories"]] == ["TO"]
    assert "ISTAT" in collection["territories"][0]["attribution_it"]
    assert collection["territories"][0]["licence"] == "CC-BY-4.0"
    features = {feature["id"]: feature for feature in collection["features"]}
    assert len(features) == 312
    torino = features[TORINO]
    assert torino["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert torino["properties"]["organizations"] == {"total": 2, "by_legal_form": {"coop_b": 1, "foundation": 1}}
    assert features[MONCALIERI]["properties"]["organizations"]["by_legal_form"] == {"coop_a": 1}
    assert features["001001"]["properties"]["organizations"] == {"total": 0, "by_legal_form": {}}
    assert 7 < torino["properties"]["longitude"] < 8 and 44 < torino["properties"]["latitude"] < 46
    assert get_json(client, "/api/v1/comuni/geojson?territory=CN") == {
        "type": "FeatureCollection",
        "territories": [],
        "features": [],
    }


def test_geojson_is_one_document_whatever_the_territory_parameters_case(client, sample):
    lower = client.get("/api/v1/comuni/geojson?territory=to").content
    assert json.loads(lower)["territories"][0]["code"] == "TO"


LISTS = [
    "/api/v1/organizations?limit=200",
    "/api/v1/organizations?limit=200&q=organizzazione&legal_form=odv",
    "/api/v1/partnerships?limit=200",
    "/api/v1/pledges?limit=200",
    "/api/v1/comuni?limit=200",
    "/api/v1/comuni/geojson?territory=TO",
]


def measure(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", LISTS)
def test_lists_cost_the_same_queries_at_ten_times_the_data(client, sample, torino, url):
    grow_sample(torino, factor=1)
    small = measure(client, url)
    grow_sample(torino, factor=10, start=1000)
    large = measure(client, url)
    assert large == small, f"{url}: {small} queries, then {large} with ten times the data"
    assert large <= 3


def test_details_cost_the_same_queries_at_ten_times_the_data(client, sample, torino):
    urls = [f"/api/v1/organizations/{sample.germoglio.pk}", f"/api/v1/organizations/{sample.germoglio.pk}/pledges"]
    small = [measure(client, url) for url in urls]
    grow_sample(torino, factor=10)
    for number in range(10):
        sample.germoglio.pledges.create(
            action=sample.sp_s2, title=f"P{number}", quantity=1, unit="u", due_date="2026-01-01"
        )
    assert [measure(client, url) for url in urls] == small == [7, 3]
