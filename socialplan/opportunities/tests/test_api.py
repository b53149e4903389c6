"""The opportunities in the open-data API: the list and its filters, an opportunity, a buyer, bad input."""

from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from socialplan.ecosystem.models import CpvCode
from socialplan.opportunities.models import Buyer, Opportunity
from socialplan.plan.tests.test_api_schema import schema, wsgi_keeps_the_test_connection  # noqa: F401 - a fixture

from .pages_sample import CLEANING, CO_DESIGN, GREEN, LOAN, NURSERIES, SCHOOL_CATERING, build_sample


@pytest.fixture
def sample(db):
    return build_sample()


def listed(client, query: str = "") -> dict:
    response = client.get(f"/api/v1/opportunities{query}")
    assert response.status_code == 200, response.content
    return response.json()


def titles(page: dict) -> list[str]:
    return [item["title_it"] for item in page["items"]]


def test_list_has_items_and_count_and_open_ones_by_default(client, sample):
    page = listed(client, "?limit=100")
    open_count = sum(1 for item in page["items"] if item["status"] == "open")
    assert page["count"] == len(page["items"]) == open_count
    assert NURSERIES not in titles(page)
    assert page["count"] < Opportunity.objects.count()
    everything = listed(client, "?include_closed=true&limit=100")
    assert everything["count"] == Opportunity.objects.count()


def test_list_pages_with_limit_and_offset(client, sample):
    first = listed(client, "?limit=5&include_closed=true")
    second = listed(client, "?limit=5&offset=5&include_closed=true")
    assert len(first["items"]) == 5 and len(second["items"]) == 5
    assert not {item["id"] for item in first["items"]} & {item["id"] for item in second["items"]}


def test_list_filters_like_the_board(client, sample):
    assert titles(listed(client, "?kind=type_b_convention&sort=value")) == [
        GREEN,
        "Raccolta dei rifiuti ingombranti a domicilio",
    ]
    assert CO_DESIGN in titles(listed(client, "?cpv_division=80"))
    chieri = titles(listed(client, "?comune=001078&limit=100"))
    assert GREEN in chieri and LOAN in chieri and CLEANING not in chieri
    assert titles(listed(client, "?legal_basis=dlgs36-2023-art61&q=Moncalieri")) == [CLEANING]
    with_clauses = titles(listed(client, "?social_clauses=true&limit=100"))
    assert SCHOOL_CATERING in with_clauses and GREEN not in with_clauses
    for item in listed(client, "?deadline_within=7")["items"]:
        assert item["status"] == "open"
    buyer = Buyer.objects.get(name="Comune di Moncalieri (demo)")
    assert titles(listed(client, f"?buyer={buyer.pk}&include_closed=true")) == [CLEANING, NURSERIES]


def test_list_item_shape(client, sample):
    item = next(item for item in listed(client, "?q=Moncalieri")["items"] if item["title_it"] == CLEANING)
    assert item["kind"] == "reserved_contract"
    assert item["legal_basis"] == "dlgs36-2023-art61"
    assert item["buyer"]["name"] == "Comune di Moncalieri (demo)" and item["buyer"]["is_demo"] is True
    assert item["cpv_codes"] == ["90911200"]
    assert item["comuni"] == ["001156"]
    assert item["reserved_participation"] == "res-ws"
    assert item["value"] == "180000.00"
    assert item["title_en"] == "Cleaning of the Moncalieri town offices"


def test_detail_has_lots_documents_legal_basis_rule_and_social_clauses(client, sample):
    co_design = Opportunity.objects.get(title_it=CO_DESIGN)
    data = client.get(f"/api/v1/opportunities/{co_design.pk}").json()
    assert [lot["number"] for lot in data["lots"]] == [1, 2, 3]
    assert [lot["cpv_codes"][0]["code"] for lot in data["lots"]] == ["85312000", "80530000", "55520000"]
    assert data["documents"][0]["url"] == "https://example.org/demo/avviso.pdf"
    basis = data["legal_basis_detail"]
    assert basis["code"] == "dlgs117-2017-art55" and basis["rule"]["third_sector_only"] is True
    assert basis["explanation_it"].startswith("L'amministrazione coinvolge")
    assert data["co_design_kind"] == "co_design"

    green = Opportunity.objects.get(title_it=GREEN)
    basis = client.get(f"/api/v1/opportunities/{green.pk}").json()["legal_basis_detail"]
    assert basis["rule"]["eligible_legal_forms"] == ["coop_b", "coop_consortium"]
    assert basis["excluded_cpv_prefixes"] == ["80", "85"]
    assert {cap["max_value"] for cap in basis["value_caps"]} == {"221000.00", "216000.00"}

    catering = Opportunity.objects.get(title_it=SCHOOL_CATERING)
    clauses = client.get(f"/api/v1/opportunities/{catering.pk}").json()["social_clauses"]
    assert clauses["youth_women_hiring_quota"] is True
    assert [criterion["code"] for criterion in clauses["reward_criteria"]] == ["3", "8"]
    assert clauses["reward_criteria"][0]["description_it"].startswith("si impegni ad assumere")

    loan = client.get(f"/api/v1/opportunities/{Opportunity.objects.get(title_it=LOAN).pk}").json()
    assert loan["instrument"] == "loan" and loan["tenor_months"] == 84 and loan["ticket_max"] == "300000.00"
    assert "social_enterprise" in loan["own_rule"]["eligible_legal_forms"]


def test_buyer(client, sample):
    buyer = Buyer.objects.get(name="Comune di Chieri (demo)")
    data = client.get(f"/api/v1/buyers/{buyer.pk}").json()
    assert data == {
        "id": buyer.pk,
        "name": "Comune di Chieri (demo)",
        "codice_fiscale": None,
        "kind": "public",
        "website": "",
        "comune": "001078",
        "is_demo": True,
    }


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?kind=nothing", "kind"),
        ("?cpv_division=9", "cpv_division"),
        ("?comune=Torino", "comune"),
        ("?deadline_within=0", "deadline_within"),
        ("?deadline_within=soon", "deadline_within"),
        ("?legal_basis=%27%3B", "legal_basis"),
        ("?social_clauses=maybe", "social_clauses"),
        ("?sort=price", "sort"),
        ("?buyer=0", "buyer"),
        ("?q=" + "x" * 101, "q"),
        ("?offset=-1", "offset"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(client, sample, query, parameter):
    response = client.get(f"/api/v1/opportunities{query}")
    assert response.status_code == 422
    body = response.json()
    assert any(parameter in error["loc"] for error in body["errors"]), body
    assert parameter in body["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/opportunities/999999",
        "/api/v1/buyers/999999",
    ],
)
def test_unknown_ids_are_404(client, sample, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "No " in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/opportunities/0", "/api/v1/buyers/99999999999999999999"])
def test_ids_out_of_range_are_422(client, sample, path):
    assert client.get(path).status_code == 422


def test_list_works_without_cpv_codes(client, db):
    # An empty registry: no opportunity, no CPV table.
    assert not CpvCode.objects.exists()
    assert listed(client) == {"items": [], "count": 0}


# The contract test of the whole API runs on the plan alone; here every read runs again with the
# demo opportunities loaded, so that lists with items are checked against the schema too.
@pytest.mark.usefixtures("sample", "wsgi_keeps_the_test_connection")
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_opportunity_operations_keep_to_their_schema_with_data(case: Any) -> None:
    case.call_and_validate()
