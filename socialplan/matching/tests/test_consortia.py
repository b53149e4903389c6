"""Consortium suggestions: offered when no single eligible organization covers every lot."""

from datetime import date

import pytest

from socialplan.matching.consortia import suggest_consortia
from socialplan.opportunities.services import LotSpec
from socialplan.opportunities.tests.factories import make_opportunity

ON = date(2026, 3, 10)


@pytest.fixture
def codesign(legal_bases, buyer, ecosystem):
    return make_opportunity(
        legal_bases["dlgs117-2017-art55"],
        buyer,
        title_it="Coprogettazione di un centro diurno con mensa e formazione",
        deadline=None,
        lots=[
            LotSpec(number=1, title="Servizi sociali", cpv_codes=("85312000",)),
            LotSpec(number=2, title="Formazione professionale", cpv_codes=("80530000",)),
            LotSpec(number=3, title="Mensa", cpv_codes=("55520000",)),
        ],
    )


def test_a_co_design_call_that_nobody_covers_alone_offers_a_consortium(ecosystem, codesign):
    suggestions = suggest_consortia(codesign, on=ON)
    assert suggestions.applies
    assert [need.label for need in suggestions.needs] == [
        "Lot 1: Servizi sociali",
        "Lot 2: Formazione professionale",
        "Lot 3: Mensa",
    ]
    best = suggestions.groups[0]
    assert {member.organization_id for member in best.members} == {
        ecosystem.coop_a.pk,
        ecosystem.training.pk,
        ecosystem.catering.pk,
    }
    assignments = {assignment.need: (assignment.member, assignment.capability) for assignment in best.assignments}
    assert assignments["Lot 3: Mensa"][0] == ecosystem.catering.legal_name
    assert assignments["Lot 3: Mensa"][1].startswith("55500000")
    # A company is never part of a group for a call reserved to the Third sector.
    assert all(ecosystem.company.pk not in {m.organization_id for m in group.members} for group in suggestions.groups)


def test_no_consortium_when_one_organization_covers_every_lot(ecosystem, codesign):
    ecosystem.coop_a.cpv_codes.add("80530000", "55500000")
    suggestions = suggest_consortia(codesign, on=ON)
    assert not suggestions.applies
    assert [member.organization_id for member in suggestions.single] == [ecosystem.coop_a.pk]
    assert suggestions.groups == []


def test_groups_are_minimal(ecosystem, codesign):
    for group in suggest_consortia(codesign, on=ON).groups:
        assert 2 <= len(group.members) <= 4
        members = {assignment.member for assignment in group.assignments}
        assert members == {member.name for member in group.members}
