"""The directory's reads: search, filters and facet counts, on the known sample (public_sample.py)."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialplan.ecosystem import selectors
from socialplan.ecosystem.models import LegalForm, Organization, Partnership, Pledge, RuntsSection
from socialplan.ecosystem.selectors import DirectoryFilters
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.ecosystem.tests.public_sample import IVREA, MONCALIERI, PINEROLO, TORINO, build_sample, grow_sample
from socialplan.territory.services import load_territory


@pytest.fixture
def sample(torino):
    load_territory(code="TO")
    return build_sample(torino)


def names(filters: DirectoryFilters, plan=None) -> list[str]:
    return [organization.legal_name for organization in selectors.organizations_matching(filters, plan=plan)]


def counts(facet: selectors.Facet) -> dict[str, int]:
    return {value.value: value.count for value in facet.values}


# Search ---------------------------------------------------------------------------------------------


def test_search_terms_are_lowered_without_accents_split_on_apostrophes_and_punctuation():
    assert selectors.search_terms("  Società  dell'Orto, PIÙ-vicini ") == ["societa", "dell", "orto", "piu", "vicini"]
    assert selectors.search_terms("a\x00b\tc") == ["a", "b", "c"]
    assert selectors.search_terms("uno uno due") == ["uno", "due"]
    assert len(selectors.search_terms(" ".join(f"w{n}" for n in range(20)))) == selectors.SEARCH_MAX_TERMS
    assert selectors.search_terms("x" * 500) == ["x" * selectors.SEARCH_MAX_LENGTH]


def test_like_pattern_frees_the_final_vowel_and_escapes_wildcards():
    assert selectors.like_pattern("citta") == "%citt_%"
    assert selectors.like_pattern("orto") == "%ort_%"
    assert selectors.like_pattern("piu") == "%pi_%"
    assert selectors.like_pattern("di") == "%di%"  # too short to free a letter
    assert selectors.like_pattern("acli") == "%acl_%"
    assert selectors.like_pattern("torre") == "%torr_%"
    assert selectors.like_pattern("100%") == "%100\\%%"
    assert selectors.like_pattern("a_b") == "%a\\_b%"


@pytest.mark.parametrize("query", ["città aperta", "CITTA APERTA", "citta", "Società cooperativa sociale città"])
def test_search_finds_accented_capitals_whatever_the_accents_typed(sample, query):
    assert "SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA" in names(DirectoryFilters(query=query))


def test_search_matches_an_accent_written_as_an_apostrophe_and_the_other_gender(sample):
    make_organization(legal_name="COOPERATIVA SOCIALE LA SOLIDARIETA' ONLUS")
    assert "COOPERATIVA SOCIALE LA SOLIDARIETA' ONLUS" in names(DirectoryFilters(query="solidarietà"))
    assert names(DirectoryFilters(query="cooperative sociali")) == [
        "COOPERATIVA SOCIALE LA SOLIDARIETA' ONLUS",
        "Cooperativa Sociale Il Germoglio",
        "SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA",
    ]


def test_search_reads_the_description_and_needs_every_word(sample):
    assert names(DirectoryFilters(query="manutenzione del verde")) == ["Cooperativa Sociale Il Germoglio"]
    assert names(DirectoryFilters(query="germoglio aperta")) == []
    assert names(DirectoryFilters(query="zzzz")) == []


def test_wildcards_typed_are_matched_literally(sample):
    make_organization(legal_name="Fondo 100% Sociale")
    assert names(DirectoryFilters(query="100%")) == ["Fondo 100% Sociale"]
    assert names(DirectoryFilters(query="_")) == []


# Filters ----------------------------------------------------------------------------------------------


def test_each_filter_selects_the_expected_organizations(sample, torino):
    assert names(DirectoryFilters(legal_form=LegalForm.SOCIAL_COOP_B)) == ["Cooperativa Sociale Il Germoglio"]
    assert names(DirectoryFilters(runts_section="d")) == [
        "Cooperativa Sociale Il Germoglio",
        "SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA",
    ]
    # Seat or served: Città Aperta serves Ivrea, Volontari is seated there.
    assert names(DirectoryFilters(comune=IVREA)) == [
        "Associazione Volontari Più Vicini ODV",
        "SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA",
    ]
    assert names(DirectoryFilters(comune=PINEROLO)) == ["Fondazione Comunità Torinese"]
    assert names(DirectoryFilters(ateco_section="O")) == ["Cooperativa Sociale Il Germoglio"]
    assert names(DirectoryFilters(cpv_division="85")) == ["SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA"]
    assert names(DirectoryFilters(theme="governance"), plan=torino) == ["SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA"]
    assert names(DirectoryFilters(theme_id=sample.sp_s1.objective.theme_id)) == [
        "Associazione Volontari Più Vicini ODV",
        "Cooperativa Sociale Il Germoglio",
        "Fondazione Comunità Torinese",
        "SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA",
    ]
    assert names(DirectoryFilters(comune="999999")) == []


def test_a_pledge_alone_makes_an_organization_involved_in_the_theme(sample, torino):
    Partnership.objects.filter(organization=sample.germoglio).delete()
    assert "Cooperativa Sociale Il Germoglio" in names(DirectoryFilters(theme="social-procurement"), plan=torino)


# Facets -----------------------------------------------------------------------------------------------


def test_facets_of_the_whole_directory(sample, torino):
    facets = selectors.directory(filters=DirectoryFilters(), plan=torino).facets

    assert counts(facets["legal_form"]) == {"coop_a": 1, "coop_b": 1, "odv": 1, "aps": 1, "foundation": 1}
    assert counts(facets["runts_section"]) == {"a": 1, "b": 1, "d": 2}
    # Torino: Germoglio (seat and served, once) and Fondazione; Moncalieri: Città Aperta (seat), Germoglio (served).
    assert counts(facets["comune"]) == {TORINO: 2, MONCALIERI: 2, IVREA: 2, PINEROLO: 1}
    # Germoglio has O and R, Città Aperta R.
    assert counts(facets["ateco_section"]) == {"O": 1, "R": 2}
    assert counts(facets["cpv_division"]) == {"85": 1, "90": 1}
    # Città Aperta is partner, lead and pledger: counted once per theme.
    assert counts(facets["theme"]) == {"social-procurement": 4, "governance": 1}
    assert [value.label for value in facets["comune"].values] == ["Ivrea", "Moncalieri", "Pinerolo", "Torino"]


def test_a_facet_ignores_its_own_filter_and_applies_the_others(sample, torino):
    facets = selectors.directory(filters=DirectoryFilters(legal_form="coop_a", comune=TORINO), plan=torino).facets

    # Legal forms present in Torino (its own filter left out): coop_b (Germoglio) and foundation.
    assert counts(facets["legal_form"]) == {"coop_a": 0, "coop_b": 1, "foundation": 1}
    assert facets["legal_form"].selected == "coop_a"
    # Comuni of type A cooperatives: Città Aperta's seat and the comune it serves.
    assert counts(facets["comune"]) == {MONCALIERI: 1, IVREA: 1, TORINO: 0}
    assert facets["comune"].selected_label == "Torino"


def test_facet_labels_follow_the_language(sample, torino):
    with translation.override("en"):
        facets = selectors.directory(filters=DirectoryFilters(), plan=torino).facets
        assert [value.label for value in facets["cpv_division"].values] == [
            "85 - Health and social work services",
            "90 - Sewage, refuse, cleaning and environmental services",
        ]
        assert [value.label for value in facets["ateco_section"].values] == [
            "O - Administrative and support service activities",
            "R - Human health and social work activities",
        ]
        assert facets["legal_form"].values[0].label == "Social cooperative type A"
    with translation.override("it"):
        facets = selectors.directory(filters=DirectoryFilters(), plan=torino).facets
        assert facets["ateco_section"].values[1].label == "R - Attività per la salute umana e di assistenza sociale"
        assert facets["theme"].values[0].label == "Governance e partnership"


FILTER_VALUES = {
    "query": ["", "cooperativa", "organizzazione 0001", "torinese"],
    "legal_form": ["", *LegalForm.values[:6]],
    "runts_section": ["", *RuntsSection.values[:4]],
    "comune": ["", TORINO, IVREA, "001001", "001002"],
    "ateco_section": ["", "O", "R"],
    "cpv_division": ["", "85", "90"],
    "theme": ["", "social-procurement", "governance"],
}


@pytest.fixture
def grown(sample, torino):
    grow_sample(torino, factor=4)
    return torino


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(choice=st.fixed_dictionaries({name: st.sampled_from(values) for name, values in FILTER_VALUES.items()}))
def test_every_facet_count_is_what_choosing_that_value_would_list(grown, choice):
    filters = DirectoryFilters(**choice)
    found = selectors.directory(filters=filters, plan=grown)
    for name, facet in found.facets.items():
        for value in facet.values:
            chosen = DirectoryFilters(**{**choice, name: value.value})
            assert value.count == selectors.organizations_matching(chosen, plan=grown).count(), (name, value)


# Organization page, action participants --------------------------------------------------------------


def test_organization_page_shows_public_people_only_and_pledge_progress(sample, django_assert_num_queries):
    with django_assert_num_queries(7):
        organization = selectors.organization_page(pk=sample.citta_aperta.pk)
        assert organization is not None
        people = [(p.person.first_name, p.person.last_name, p.role) for p in organization.positions.all()]
        pledges = list(organization.pledges.all())
        partnerships = [(p.role, p.action.code) for p in organization.partnerships.all()]

    assert people == [("Maria", "Rossi", "Presidente")]
    assert partnerships == [("lead", "gov-a1"), ("partner", "sp-s1")]
    assert [(pledge.title, pledge.achieved, pledge.percent) for pledge in pledges] == [
        ("Formare operatori sugli appalti sociali", None, None)
    ]
    germoglio = selectors.organization_page(pk=sample.germoglio.pk)
    pledge = germoglio.pledges.all()[0]
    assert (pledge.achieved, pledge.percent, pledge.bar_percent) == (Decimal("4"), 40, 40)
    # Stored titles first, else ISTAT's from the ateco package.
    assert [activity.display_title for activity in germoglio.activities.all()] == [
        "Attività di pulizia generale di edifici",
        "Attività di assistenza sociale non residenziale per anziani o persone con disabilità",
    ]
    assert selectors.organization_page(pk=10**9) is None


def test_progress_beyond_the_pledge_shows_its_percentage_and_a_full_bar(sample):
    sample.hiring_pledge.progress_reports.create(reported_on="2026-03-01", achieved=Decimal("12.5"))
    pledge = selectors.organization_page(pk=sample.germoglio.pk).pledges.all()[0]
    assert (pledge.percent, pledge.bar_percent) == (125, 100)


def test_a_sole_traders_codice_fiscale_is_personal_data(db):
    entity = make_organization()
    trader = make_organization(codice_fiscale="RSSMRA85T10A562S")
    assert selectors.public_codice_fiscale(entity) == entity.codice_fiscale
    assert selectors.public_codice_fiscale(trader) is None


def test_action_participants_lead_first_then_partners_by_role_and_pledges_by_due_date(sample):
    participants = selectors.action_participants(action=sample.sp_s1)

    assert participants.lead.organization == sample.germoglio
    assert [(p.organization.legal_name, p.role) for p in participants.partners] == [
        ("SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA", Partnership.Role.PARTNER),
        ("Fondazione Comunità Torinese", Partnership.Role.FUNDER),
    ]
    assert [(p.title, p.percent) for p in participants.pledges] == [
        ("Formare operatori sugli appalti sociali", None),
        ("Assumere persone svantaggiate", 40),
    ]
    empty = selectors.action_participants(action=sample.governance_action)
    assert empty.lead.organization == sample.citta_aperta
    assert empty.partners == [] and empty.pledges == []


# Map --------------------------------------------------------------------------------------------------


def test_counts_by_comune_and_legal_form_are_of_seats_only(sample):
    by_comune = selectors.organization_counts_by_comune(territory_code="TO")
    comuni = {comune.istat_code: comune.pk for comune in selectors.comuni_for_map(territory_code="to")[1]}

    assert by_comune[comuni[TORINO]] == {"coop_b": 1, "foundation": 1}
    assert by_comune[comuni[MONCALIERI]] == {"coop_a": 1}
    assert by_comune[comuni[IVREA]] == {"odv": 1}
    assert comuni[PINEROLO] not in by_comune  # served, not seated
    assert selectors.organization_counts_by_comune(territory_code="CN") == {}


def test_comuni_with_rates_per_10000_inhabitants_sorted_and_by_legal_form(sample):
    territory = selectors.map_territory()
    assert territory.code == "TO"

    rows = {comune.istat_code: comune for comune in selectors.comuni_with_rates(territory=territory)}
    torino = rows[TORINO]
    assert torino.organizations == 2
    assert torino.rate == pytest.approx(2 * 10_000 / torino.population_total)
    assert rows[PINEROLO].organizations == 0 and rows[PINEROLO].rate == 0

    by_rate = list(selectors.comuni_with_rates(territory=territory, sort="-tasso")[:3])
    assert {comune.istat_code for comune in by_rate} == {TORINO, MONCALIERI, IVREA}
    assert by_rate[0].rate >= by_rate[1].rate >= by_rate[2].rate
    by_name = [c.name for c in selectors.comuni_with_rates(territory=territory, sort="nome")[:2]]
    assert by_name == sorted(by_name)

    cooperatives_a = selectors.comuni_with_rates(territory=territory, legal_form="coop_a", sort="-organizzazioni")
    assert (cooperatives_a[0].istat_code, cooperatives_a[0].organizations) == (MONCALIERI, 1)
    assert cooperatives_a[1].organizations == 0


# Network ----------------------------------------------------------------------------------------------


def test_network_is_the_most_connected_organizations_with_their_actions(sample, torino):
    network = selectors.partnership_network(plan=torino)

    assert network.organizations_total == 4 and network.partnerships_total == 5
    assert network.organizations[0] == sample.citta_aperta  # two partnerships
    assert {action.code for action in network.actions} == {"sp-s1", "sp-s2", "gov-a1"}
    # In the network's order: most partnerships first.
    assert [o.legal_name for o in network.partners_of(sample.germoglio.pk)] == [
        "SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA",
        "Fondazione Comunità Torinese",
    ]
    assert [a.code for a in network.actions_of(sample.citta_aperta.pk)] == ["gov-a1", "sp-s1"]  # plan order
    assert [(o.legal_name, role) for o, role in network.links_of_action(sample.sp_s1.pk)] == [
        ("Cooperativa Sociale Il Germoglio", "lead"),
        ("SOCIETÀ COOPERATIVA SOCIALE CITTÀ APERTA", "partner"),
        ("Fondazione Comunità Torinese", "funder"),
    ]

    top_two = selectors.partnership_network(plan=torino, size=2)
    assert len(top_two.organizations) == 2 and top_two.organizations_total == 4
    assert {link.organization_id for link in top_two.links} == {o.pk for o in top_two.organizations}


def test_pledges_without_partnerships_are_not_in_the_network(sample, torino):
    Partnership.objects.all().delete()
    assert Pledge.objects.exists()
    network = selectors.partnership_network(plan=torino)
    assert network.organizations == [] and network.links == [] and network.organizations_total == 0


def test_organizations_of_another_plan_stay_out_of_the_network(sample, torino):
    assert Organization.objects.count() == 5
    network = selectors.partnership_network(plan=torino)
    assert sample.senza_sede not in network.organizations
