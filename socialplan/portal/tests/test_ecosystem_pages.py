"""The ecosystem's public pages through the test client: directory, organization, map, network, action.

The data is the known sample of socialplan/ecosystem/tests/public_sample.py.
"""

import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from socialplan.ecosystem.models import LegalForm, Organization, Partnership
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.ecosystem.tests.public_sample import (
    HIDDEN_PERSON,
    IVREA,
    PRIVATE_EMAIL,
    PRIVATE_PHONE,
    TORINO,
    build_sample,
    grow_sample,
)
from socialplan.territory.services import load_territory

from .test_pages import get_text, plain

ECOSYSTEM_PATHS = ["/organizzazioni/", "/mappa/", "/rete/"]


@pytest.fixture
def sample(torino):
    load_territory(code="TO")
    return build_sample(torino)


def option(text: str, value: str) -> str:
    """The visible text of the <option> with this value."""
    match = re.search(rf'<option value="{re.escape(value)}"[^>]*>([^<]*)</option>', text)
    assert match, f"no option {value}"
    return match.group(1)


def results(text: str) -> list[str]:
    """The organizations listed, in order."""
    return re.findall(r'<h3 class="h5 mb-1"><a href="/(?:en/)?organizzazioni/\d+/">([^<]+)</a>', text)


# Navigation and languages --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["it", "en"])
def test_menu_leads_to_the_three_ecosystem_pages(client, sample, language):
    prefix = "/en" if language == "en" else ""
    text = get_text(client, f"{prefix}/")
    with translation.override(language):
        labels = [gettext("Organizations"), gettext("Map"), gettext("Network")]
    for label, path in zip(labels, ECOSYSTEM_PATHS, strict=True):
        assert f'href="{prefix}{path}"><span>{label}</span>' in text


@pytest.mark.parametrize("path", [*ECOSYSTEM_PATHS, "/organizzazioni/{pk}/"])
@pytest.mark.parametrize("language", ["it", "en"])
def test_every_page_answers_in_both_languages(client, sample, path, language):
    path = path.format(pk=sample.germoglio.pk)
    text = get_text(client, ("/en" if language == "en" else "") + path)
    assert f'<html lang="{language}"' in text


# Directory -----------------------------------------------------------------------------------------------


def test_directory_lists_every_organization_with_counts_beside_each_filter(client, sample):
    text = get_text(client, "/organizzazioni/")

    assert results(text) == [
        "Associazione Senza Sede APS",
        "Associazione Volontari Più Vicini ODV",
        "Cooperativa Sociale Il Germoglio",
        "Fondazione Comunità Torinese",
        "SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA",
    ]
    assert option(text, "coop_b").endswith("(1)")
    assert option(text, "d").endswith("(2)")
    assert option(text, TORINO) == "Torino (2)"
    assert option(text, IVREA) == "Ivrea (2)"
    assert option(text, "R").endswith("(2)")
    assert option(text, "90").startswith("90 - Servizi fognari")
    assert option(text, "social-procurement") == "Social procurement (4)"
    assert '<option value="public_body"' not in text  # no organization of that form


def test_demo_organizations_are_marked_demo_and_others_are_not(client, sample):
    text = get_text(client, "/organizzazioni/")
    marked = re.findall(r'>([^<]+)</a> <span class="badge portal-demo-badge"', text)
    assert marked == ["Associazione Volontari Più Vicini ODV"]
    assert "demo" in plain(get_text(client, f"/organizzazioni/{sample.volontari.pk}/"))
    assert "portal-demo-badge" not in get_text(client, f"/organizzazioni/{sample.germoglio.pk}/")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=città", ["SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA"]),
        ("q=verde", ["Cooperativa Sociale Il Germoglio"]),
        ("forma=foundation", ["Fondazione Comunità Torinese"]),
        ("sezione=a", ["Associazione Volontari Più Vicini ODV"]),
        (f"comune={IVREA}", ["Associazione Volontari Più Vicini ODV", "SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA"]),
        ("ateco=O", ["Cooperativa Sociale Il Germoglio"]),
        ("cpv=85", ["SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA"]),
        ("tema=governance", ["SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA"]),
        (
            f"tema=social-procurement&comune={TORINO}",
            ["Cooperativa Sociale Il Germoglio", "Fondazione Comunità Torinese"],
        ),
    ],
)
def test_directory_filters(client, sample, query, expected):
    text = get_text(client, f"/organizzazioni/?{query}")
    assert results(text) == expected
    count = len(expected)
    assert f"{count} organizzazion" in plain(text) or f"{count} organization" in plain(text)


def test_filters_in_use_are_shown_with_a_link_that_removes_each(client, sample):
    text = get_text(client, f"/organizzazioni/?q=coop&forma=coop_b&comune={TORINO}&pagina=1")
    removals = dict(re.findall(r'<li><a href="([^"]+)"><span class="visually-hidden">[^<]*</span>([^<]+) <span', text))
    with translation.override("it"):
        type_b = str(LegalForm.SOCIAL_COOP_B.label)
    assert removals == {
        f"/organizzazioni/?forma=coop_b&comune={TORINO}": "«coop»",
        f"/organizzazioni/?q=coop&comune={TORINO}": type_b,
        "/organizzazioni/?q=coop&forma=coop_b": "Torino",
    }


def test_malformed_filters_are_ignored_and_unknown_values_match_nothing(client, sample):
    assert len(results(get_text(client, "/organizzazioni/?forma=nonsense&comune=1&ateco=rr&cpv=x&tema=%00"))) == 5
    text = get_text(client, "/organizzazioni/?comune=999999")
    assert results(text) == []
    assert "999999 (0)" in text  # the chosen value stays visible in its select


def test_directory_pages_25_at_a_time_keeping_the_filters(client, sample, torino):
    grow_sample(torino, factor=6)  # 30 more, all named "Organizzazione cresciuta ..."
    first = get_text(client, "/organizzazioni/?q=cresciuta")
    assert len(results(first)) == 25
    assert "30 organizations" in plain(first) or "30 organizzazioni" in plain(first)
    assert 'href="?q=cresciuta&pagina=2" rel="next"' in first
    second = get_text(client, "/organizzazioni/?q=cresciuta&pagina=2")
    assert len(results(second)) == 5
    assert results(get_text(client, "/organizzazioni/?q=cresciuta&pagina=99")) == results(second)


def test_directory_works_without_a_plan(client, db):
    load_territory(code="TO")
    make_organization(legal_name="Cooperativa senza piano")
    assert results(get_text(client, "/organizzazioni/")) == ["Cooperativa senza piano"]


# Organization page -------------------------------------------------------------------------------------


def test_organization_page_shows_the_public_profile(client, sample):
    text = plain(get_text(client, f"/en/organizzazioni/{sample.germoglio.pk}/"))

    for fact in [
        "Cooperativa Sociale Il Germoglio",
        "Social cooperative type B",
        "d) Social enterprises, including social cooperatives, number 12345",
        sample.germoglio.codice_fiscale,
        "Torino",
        "Moncalieri",
        "42",
        "38.5%",
        "81.21.00 Attività di pulizia generale di edifici",
        "90910000 Cleaning services",
        "ISO 9001",
        "SA8000",
        "RUNTS, elenco pubblicato",
        "Lead",
        "Promote public procurement",
        "4 of 10 assunzioni achieved (40%)",
    ]:
        assert fact in text, fact
    italian = plain(get_text(client, f"/organizzazioni/{sample.germoglio.pk}/"))
    assert "90910000 Servizi di pulizia" in italian


def test_organization_page_names_only_public_people_and_never_contact_data(client, sample):
    text = get_text(client, f"/organizzazioni/{sample.citta_aperta.pk}/")
    assert "Maria Rossi, Presidente" in plain(text)
    for secret in (PRIVATE_EMAIL, PRIVATE_PHONE, HIDDEN_PERSON[1], "Tesoriere", "luigi@example.org"):
        assert secret not in text


def test_no_page_shows_private_contact_data(client, sample):
    paths = [
        *ECOSYSTEM_PATHS,
        *(f"/organizzazioni/{pk}/" for pk in Organization.objects.values_list("pk", flat=True)),
        f"/azioni/{sample.sp_s1.pk}/",
        "/organizzazioni/?q=rossi",
    ]
    for path in paths:
        text = get_text(client, path)
        for secret in (PRIVATE_EMAIL, PRIVATE_PHONE, HIDDEN_PERSON[1], "luigi@example.org"):
            assert secret not in text, (path, secret)


def test_a_sole_traders_codice_fiscale_stays_off_the_page(client, sample):
    trader = make_organization(legal_name="Mario Bianchi", codice_fiscale="BNCMRA80A01L219J")
    assert "BNCMRA80A01L219J" not in get_text(client, f"/organizzazioni/{trader.pk}/")


def test_unknown_organization_is_404(client, sample):
    get_text(client, "/organizzazioni/999999/", status=404)


# Action page -------------------------------------------------------------------------------------------


def test_action_page_shows_lead_partners_with_roles_and_pledges(client, sample):
    text = get_text(client, f"/en/azioni/{sample.sp_s1.pk}/")
    words = plain(text)

    assert f'href="/en/organizzazioni/{sample.germoglio.pk}/">Cooperativa Sociale Il Germoglio</a>' in text
    assert "Lead organization Cooperativa Sociale Il Germoglio" in words
    assert "SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA Partner" in words
    assert "Fondazione Comunità Torinese Funder" in words
    assert "Assumere persone svantaggiate" in words and "4 of 10 assunzioni achieved (40%)" in words
    assert "Pledged: 30 persone formate; no progress reported yet." in words
    assert '<progress id="pledge-' in text and 'value="40"' in text


def test_an_action_without_partners_says_so(client, sample):
    text = plain(get_text(client, f"/en/azioni/{sample.sp_s2.pk}/"))
    assert "Not assigned yet" in text  # a supporter, but no lead
    Partnership.objects.filter(action=sample.sp_s2).delete()
    text = plain(get_text(client, f"/en/azioni/{sample.sp_s2.pk}/"))
    assert "No lead organization or partners yet." in text
    assert "No organization has pledged anything under this action yet." in text


# Map ---------------------------------------------------------------------------------------------------


def test_map_page_has_the_data_url_legend_area_attribution_and_a_table(client, sample):
    text = get_text(client, "/en/mappa/")

    assert 'data-url="/api/v1/comuni/geojson?territory=TO"' in text
    assert 'role="region"' in text and 'id="map-legend"' in text
    assert '<script id="map-strings" type="application/json">' in text
    assert "/static/js/ecosystem-map.js" in text and "/static/vendor/leaflet/leaflet.js" in text
    assert "<script>" not in text  # every script is a file (CSP)
    assert "Based on ISTAT data" in text  # the territory's attribution, in English
    rows = re.findall(r'<th scope="row">(?:<a href="[^"]+">)?([^<]+)', text)
    assert len(rows) == 25
    # Sorted by rate, highest first: the three comuni with organizations.
    assert set(rows[:3]) == {"Torino", "Moncalieri", "Ivrea"}
    assert 'aria-sort="descending"' in text
    assert "312 comuni" in plain(text)


def test_map_table_sorted_by_the_server_and_filtered_by_legal_form(client, sample):
    by_name = get_text(client, "/mappa/?ordina=nome")
    assert re.findall(r'<th scope="row">([^<]+)', by_name)[:2] == ["Agliè", "Airasca"]
    assert 'aria-sort="ascending"' in by_name

    cooperatives_a = get_text(client, "/mappa/?forma=coop_a&ordina=-organizzazioni")
    row = r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>\s*<td class="text-end">(\d+)'
    first = re.search(row, cooperatives_a)
    assert first.groups() == ("/organizzazioni/?comune=001156&forma=coop_a", "Moncalieri", "1")
    assert '<option value="coop_a" selected>' in cooperatives_a

    assert get_text(client, "/mappa/?ordina=nonsense&forma=nonsense")  # ignored, not an error


def test_map_without_a_territory_explains_it(client, db):
    text = plain(get_text(client, "/en/mappa/"))
    assert "No territory has been loaded yet" in text


# Network -----------------------------------------------------------------------------------------------


def test_network_draws_actions_and_organizations_and_lists_them(client, sample):
    text = get_text(client, "/en/rete/")

    assert '<svg class="portal-network"' in text and 'role="img"' in text
    assert text.count('class="network-action"') == 3
    assert text.count('class="network-organization"') == 4
    assert text.count('<path d="M') == 5
    assert text.count('class="network-edge network-edge-lead"') == 2 + 1  # two leads, and the legend
    words = plain(text)
    assert "4 organizations with 5 partnerships in the plan." in words
    assert "Works with: SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA , Fondazione Comunità Torinese" in words


def test_network_keeps_the_most_connected_organizations_and_says_how_many_it_leaves_out(client, sample, torino):
    grow_sample(torino, factor=9)  # 45 more, one partnership each
    text = plain(get_text(client, "/en/rete/"))
    assert "the 40 organizations with the most partnerships, of 49 organizations with 50 partnerships" in text


def test_network_without_partnerships(client, torino):
    assert "No organization is a partner" in plain(get_text(client, "/en/rete/"))


# Cache -------------------------------------------------------------------------------------------------

LOCAL_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ecosystem-shared"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ecosystem-pages"},
}


def visit(client: Client, path: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("path", ["/organizzazioni/", "/organizzazioni/{pk}/", "/mappa/", "/rete/"])
def test_pages_are_cached_for_visitors_and_an_ecosystem_edit_refreshes_them(sample, path):
    path = path.format(pk=sample.germoglio.pk)
    with override_settings(CACHES=LOCAL_CACHE):
        cache.clear()
        caches["pages"].clear()
        client = Client()
        first, _ = visit(client, path)
        second, queries = visit(client, path)
        assert (second, queries) == (first, 0)

        Organization.objects.filter(pk=sample.germoglio.pk).first().save()  # a save through the model
        _, queries = visit(client, path)
        assert queries > 0
        Partnership.objects.create(action=sample.sp_s2, organization=sample.germoglio, role="partner")
        third, queries = visit(client, path)
        assert queries > 0
        if path == "/rete/":
            assert third.count('<path d="M') == 6
        cache.clear()
        caches["pages"].clear()
