"""The ranking scores every eligible organization at once from numpy columns: pinned here to the pair-by-pair
computation (`components_of`, `total`) and to the SQL hard filter, on a varied ecosystem."""

import random
from contextlib import suppress
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from socialplan.ecosystem.models import AtecoActivity, LegalForm, RuntsSection
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.matching import store
from socialplan.matching.engine import components_of, eligible_rows, rank_organizations, total
from socialplan.matching.features import opportunity_features, organization_index
from socialplan.matching.models import Match
from socialplan.opportunities.awards import SupplierSpec, record_award
from socialplan.opportunities.eligibility import eligible_organizations
from socialplan.opportunities.models import LegalBasis, Opportunity
from socialplan.opportunities.services import LotSpec
from socialplan.opportunities.tests.factories import KIND_OF_BASIS, make_opportunity
from socialplan.territory.models import Comune, Territory

ON = date(2026, 3, 10)
WORDS = (
    "pulizia", "uffici", "scuole", "manutenzione", "verde", "giardini", "assistenza", "domiciliare", "anziani",
    "ristorazione", "catering", "formazione", "professionale", "giovani", "inserimento", "lavorativo", "servizi",
    "informatici", "trasporto", "disabili", "biblioteca",
)  # fmt: skip
ATECO = ("81.21.00", "88.10.00", "56.29.10", "62.01.00", "85.59.20", "81.30.00")


def _comuni() -> list[Comune]:
    found = []
    for number, code in enumerate(("TO", "CN")):
        territory = Territory.objects.create(
            code=code, istat_code=f"20{number}", name=code, kind="metropolitan_city", region="Piemonte",
            reference_year=2023, source="ISTAT", licence="CC-BY-4.0", attribution="ISTAT",
        )  # fmt: skip
        for position in range(3):
            found.append(
                Comune.objects.create(
                    istat_code=f"00{number}{position:03d}", territory=territory, name=f"Comune {code} {position}",
                    cadastral_code=f"X{number}{position:02d}", population_total=0, population_male=0,
                    population_female=0, population_0_14_male=0, population_0_14_female=0,
                    population_15_24_male=0, population_15_24_female=0, population_25_34_male=0,
                    population_25_34_female=0, population_35_64_male=0, population_35_64_female=0,
                    population_65_plus_male=0, population_65_plus_female=0, boundary="{}",
                    longitude=7.68, latitude=45.07,
                )
            )  # fmt: skip
    return found


@pytest.fixture
def varied(cpv, legal_bases, buyer):
    """90 organizations of every legal form with or without each declared fact, 3 past awards, and an
    opportunity for every legal basis and shape (codes or not, lots, comuni or the whole area, value or not)."""
    rng = random.Random("matching-vectorised")  # noqa: S311 - invented data, reproducible
    comuni = _comuni()
    forms = list(LegalForm.values)
    organizations = []
    for number in range(90):
        organization = make_organization(
            legal_name=f"Organizzazione {number}",
            legal_form=rng.choice(forms),
            runts_section=rng.choice(["", *RuntsSection.values]),
            description=" ".join(rng.sample(WORDS, rng.randint(0, 6))),
            disadvantaged_share=rng.choice([None, Decimal("29.99"), Decimal("30"), Decimal("45.5")]),
            runts_registered_on=rng.choice([None, ON - timedelta(days=100), ON - timedelta(days=400)]),
            workforce=rng.choice([None, 0, 3, 40, 200]),
            seat_comune=rng.choice([None, *comuni]),
        )
        organization.cpv_codes.set(rng.sample(cpv, rng.randint(0, 3)))
        organization.comuni_served.set(rng.sample(comuni, rng.randint(0, 2)))
        for code in rng.sample(ATECO, rng.randint(0, 2)):
            AtecoActivity.objects.create(organization=organization, code=code, section="N", title="attività")
        organizations.append(organization)
    for number, organization in enumerate(organizations[:3]):
        past = make_opportunity(
            legal_bases["dlgs36-2023-public-tender"], buyer, cpv_codes=(cpv[number],), title_it="Appalto passato"
        )
        record_award(opportunity=past, suppliers=[SupplierSpec(organization=organization)], date=ON, value=None)
    shapes = [
        {"cpv_codes": (), "value": None},
        {"cpv_codes": ("90911200",), "comuni": comuni[:1]},
        {"cpv_codes": ("77311000", "85312000"), "whole_area": True},
        {"cpv_codes": ("55520000", "80530000", "72000000"), "comuni": comuni[2:5], "value": 40_000},
        {"lots": [LotSpec(1, "Lotto 1", None, ("90910000",)), LotSpec(2, "Lotto 2", None, ("85300000",))]},
    ]  # fmt: skip
    for basis in LegalBasis.objects.filter(code__in=KIND_OF_BASIS):
        for shape in shapes:
            with suppress(ValidationError):  # the shapes a basis admits (art. 5 excludes social services)
                make_opportunity(
                    basis,
                    buyer,
                    title_it=" ".join(rng.sample(WORDS, 4)),
                    description_it=" ".join(rng.sample(WORDS, 6)),
                    deadline=None,
                    **shape,
                )
    make_opportunity(
        legal_bases["dlgs36-2023-public-tender"],
        buyer,
        cpv_codes=("90911200",),
        title_it="Pulizia con quota di svantaggiati",
        min_disadvantaged_share=Decimal("30"),
        eligible_legal_forms=[LegalForm.SOCIAL_COOP_B, LegalForm.COMPANY, LegalForm.APS],
        deadline=None,
    )
    return organizations


def _reference(opportunity: Opportunity, limit: int) -> list[tuple[int, float, dict]]:
    """Every organization the SQL filter admits, scored pair by pair, best first, ties to the older."""
    index = organization_index()
    features = opportunity_features(opportunity, index)
    scored = []
    for pk in eligible_organizations(opportunity, on=ON).values_list("id", flat=True):
        components = components_of(index.organizations[pk], features)
        scored.append((pk, total(components), components))
    return sorted(scored, key=lambda item: (-item[1], item[0]))[:limit]


def test_the_eligibility_mask_is_the_sql_filter(varied):
    index = organization_index()
    opportunities = list(Opportunity.objects.select_related("legal_basis"))
    assert len(opportunities) > 40
    sizes = set()
    for opportunity in opportunities:
        for on in (ON, ON + timedelta(days=3650)):
            mask = eligible_rows(opportunity, on=on, index=index)
            by_sql = set(eligible_organizations(opportunity, on=on).values_list("id", flat=True))
            assert set(index.arrays.ids[mask].tolist()) == by_sql, opportunity.legal_basis.code
            sizes.add(len(by_sql))
    assert len(sizes) >= 5  # the rules admit different organizations: the fixture tests something


@pytest.mark.parametrize("limit", [5, 20, 200])
def test_the_ranking_is_the_pair_by_pair_score_of_every_eligible_organization(varied, limit):
    opportunities = list(Opportunity.objects.filter(deadline=None))
    ties = 0
    for opportunity in opportunities:
        ranked = rank_organizations(opportunity, on=ON, limit=limit, explain_reasons=False)
        expected = _reference(opportunity, limit)
        assert [(match.organization_id, match.score, match.components) for match in ranked] == expected
        scores = [score for _, score, _ in expected]
        ties += len(scores) - len(set(scores))
    assert ties  # equal scores occur, so the order among them (the older first) is checked too


def test_the_full_rematch_in_processes_stores_each_opportunity_s_ranking(varied, monkeypatch):
    monkeypatch.setattr(store, "PARALLEL_FROM", 1)  # forked workers even for a few opportunities
    monkeypatch.setattr(store, "SLICE", 7)
    stale = Match.objects.create(
        opportunity=Opportunity.objects.exclude(deadline=None).first(),
        organization=varied[0],
        score=1.0,
        rank=1,
        algorithm="0",
        computed_at=timezone.now(),
    )
    totals = store.rematch_all()
    assert totals == {"opportunities": Opportunity.objects.filter(deadline=None).count(), "dropped": 1}
    assert not Match.objects.filter(pk=stale.pk).exists()
    for opportunity in Opportunity.objects.filter(deadline=None):
        stored = list(opportunity.matches.values_list("organization_id", "score", "components", "rank"))
        expected = rank_organizations(opportunity, limit=store.STORED_PER_OPPORTUNITY, explain_reasons=False)
        assert stored == [
            (match.organization_id, match.score, match.components, rank) for rank, match in enumerate(expected, 1)
        ]
