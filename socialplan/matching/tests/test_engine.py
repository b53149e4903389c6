"""The matcher on a small ecosystem: eligibility as a hard filter, the ranking and its reasons."""

from datetime import date

import pytest

from socialplan.matching.engine import components_of, rank_opportunities, rank_organizations, total
from socialplan.matching.features import opportunity_features, organization_index
from socialplan.opportunities.eligibility import eligible_organizations
from socialplan.opportunities.models import Opportunity
from socialplan.opportunities.tests.factories import make_opportunity

ON = date(2026, 3, 10)
OPEN_UNTIL = {"deadline": None}


@pytest.fixture
def opportunities(legal_bases, buyer, ecosystem):
    make = make_opportunity
    return {
        "reserved": make(
            legal_bases["dlgs36-2023-art61"],
            buyer,
            cpv_codes=("90911200",),
            title_it="Pulizia degli uffici comunali riservata",
            reserved_participation="res-ws",
            **OPEN_UNTIL,
        ),
        "convention": make(
            legal_bases["l381-1991-art5"],
            buyer,
            cpv_codes=("77311000",),
            title_it="Manutenzione del verde dei giardini comunali",
            value=90_000,
            **OPEN_UNTIL,
        ),
        "tender": make(
            legal_bases["dlgs36-2023-public-tender"],
            buyer,
            cpv_codes=("90911200",),
            title_it="Pulizia delle scuole",
            **OPEN_UNTIL,
        ),
        "codesign": make(
            legal_bases["dlgs117-2017-art55"],
            buyer,
            cpv_codes=("85312000",),
            title_it="Coprogettazione dei servizi sociali di prossimità",
            **OPEN_UNTIL,
        ),
        "it": make(
            legal_bases["dlgs36-2023-public-tender"],
            buyer,
            cpv_codes=("72000000",),
            title_it="Servizi informatici per l'anagrafe",
            **OPEN_UNTIL,
        ),
    }


def test_a_type_b_cooperative_sees_the_reserved_contract_and_the_convention_first(ecosystem, opportunities):
    ranked = rank_opportunities(ecosystem.coop_b, on=ON)
    first_two = {match.opportunity_id for match in ranked[:2]}
    assert first_two == {opportunities["reserved"].pk, opportunities["convention"].pk}
    reserved = next(match for match in ranked if match.opportunity_id == opportunities["reserved"].pk)
    texts = [reason.text for reason in reserved.reasons]
    assert any("CPV 90911200" in text and "matches your capability 90910000" in text for text in texts), texts
    assert "art. 61 D.Lgs. 36/2023: eligible, 42% disadvantaged workers" in reserved.eligibility
    assert "Participation is reserved to organizations like yours" in texts
    # The open tender for the same service comes after both.
    tender_rank = [match.opportunity_id for match in ranked].index(opportunities["tender"].pk)
    assert tender_rank >= 2


def test_a_company_never_sees_a_co_design_call_and_a_type_a_cooperative_never_an_art_5_convention(
    ecosystem, opportunities
):
    company_sees = {match.opportunity_id for match in rank_opportunities(ecosystem.company, on=ON)}
    assert opportunities["codesign"].pk not in company_sees
    assert opportunities["tender"].pk in company_sees
    coop_a_sees = {match.opportunity_id for match in rank_opportunities(ecosystem.coop_a, on=ON)}
    assert opportunities["convention"].pk not in coop_a_sees
    assert opportunities["codesign"].pk in coop_a_sees
    for_codesign = {match.organization_id for match in rank_organizations(opportunities["codesign"], on=ON)}
    assert ecosystem.company.pk not in for_codesign
    assert ecosystem.coop_a.pk in for_codesign
    for_convention = {match.organization_id for match in rank_organizations(opportunities["convention"], on=ON)}
    assert ecosystem.coop_a.pk not in for_convention
    assert for_convention == {ecosystem.coop_b.pk}


def test_ranked_organizations_are_eligible_and_scored_as_the_pair_is(ecosystem, opportunities):
    index = organization_index()
    for opportunity in Opportunity.objects.all():
        eligible = set(eligible_organizations(opportunity, on=ON).values_list("id", flat=True))
        ranked = rank_organizations(opportunity, on=ON, limit=50)
        assert {match.organization_id for match in ranked} <= eligible
        features = opportunity_features(opportunity, index)
        for match in ranked:
            pair = components_of(index.organizations[match.organization_id], features)
            assert match.score == total(pair)
        scores = [match.score for match in ranked]
        assert scores == sorted(scores, reverse=True)


def test_the_best_organization_for_a_cleaning_contract_does_cleaning(ecosystem, opportunities):
    ranked = rank_organizations(opportunities["tender"], on=ON)
    names = [match.name for match in ranked]
    assert names[0] in {ecosystem.coop_b.legal_name, ecosystem.company.legal_name}
    assert names.index(ecosystem.it_firm.legal_name) > names.index(ecosystem.coop_b.legal_name)
    best = ranked[0]
    assert 0 < best.score <= 100
    assert {reason.component for reason in best.reasons} >= {"cpv", "text", "reserved"}


def test_a_contract_already_won_in_the_field_counts_and_says_so(ecosystem, opportunities, legal_bases, buyer):
    from decimal import Decimal

    from socialplan.opportunities.awards import SupplierSpec, record_award

    before = {m.organization_id: m for m in rank_organizations(opportunities["tender"], on=ON)}
    past = make_opportunity(
        legal_bases["dlgs36-2023-public-tender"], buyer, cpv_codes=("90911200",), title_it="Pulizia 2025"
    )
    record_award(
        opportunity=past,
        suppliers=[SupplierSpec(organization=ecosystem.company)],
        date=date(2026, 5, 1),
        value=Decimal("120000"),
    )
    from socialplan.matching import features

    features.forget()  # the signal moves the generation after the commit; the test's transaction does not commit
    after = {m.organization_id: m for m in rank_organizations(opportunities["tender"], on=ON)}
    company_before, company_after = before[ecosystem.company.pk], after[ecosystem.company.pk]
    assert company_before.components["awards"] == 0.0
    assert company_after.components["awards"] == pytest.approx(0.6)
    assert company_after.score > company_before.score
    assert "1 contract already won in the same field" in [reason.text for reason in company_after.reasons]
