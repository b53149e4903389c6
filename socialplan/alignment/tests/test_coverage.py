"""The coverage selector: which items a plan covers, through which elements, and which not yet."""

import pytest

from socialplan.alignment.models import FrameworkItem
from socialplan.alignment.selectors import FrameworkCoverage, ItemCoverage, UnknownFramework, coverage
from socialplan.alignment.services import align
from socialplan.plan.models import Action, Plan, Theme


def entries_by_code(framework: FrameworkCoverage) -> dict[str, ItemCoverage]:
    return {entry.item.code: entry for entry in framework.all_items}


def item(framework: str, code: str) -> FrameworkItem:
    return FrameworkItem.objects.get(framework__code=framework, code=code)


def test_the_council_recommendation_topics_the_turin_plan_does_not_cover_yet(torino: Plan) -> None:
    (council,) = coverage(plan=torino, framework_code="EU-CR")

    assert [entry.item.code for entry in council.not_covered_yet] == [
        "EU-CR-0",
        "EU-CR-1.2",
        "EU-CR-1.3",
        "EU-CR-1.4",
        "EU-CR-2.1",
        "EU-CR-2.3",
        "EU-CR-2.6",
        "EU-CR-2.7",
        "EU-CR-3.2",
        "EU-CR-3.3",
        "EU-CR-3.4",
    ]
    assert (council.covered_count, council.uncovered_count, council.total) == (14, 11, 25)


def test_an_item_lists_the_elements_linked_to_it_with_their_pages(torino: Plan) -> None:
    (council,) = coverage(plan=torino, framework_code="EU-CR")
    procurement = entries_by_code(council)["EU-CR-2.5"]

    assert procurement.covered
    assert [(element.kind, element.title) for element in procurement.elements] == [
        ("theme", "Social procurement"),
        ("action", Action.objects.get(code="sp-s1").title),
    ]
    assert procurement.elements[0].url == "/temi/social-procurement/"
    assert procurement.elements[1].note == "Appalti pubblici come strumento per integrare criteri sociali ed ecologici."


def test_a_group_is_covered_through_its_sub_items(torino: Plan) -> None:
    (sdg,) = coverage(plan=torino, framework_code="SDG")
    entries = entries_by_code(sdg)

    goal = entries["12"]
    assert goal.covered and not goal.elements
    assert [child.item.code for child in goal.children if child.covered] == ["12.7"]
    assert not entries["14"].covered
    uncovered = [entry.item.code for entry in sdg.not_covered_yet]
    # An uncovered goal stands for its targets; a covered goal lists its uncovered targets.
    assert "14" in uncovered and "14.1" not in uncovered
    assert "12.1" in uncovered and "12" not in uncovered and "12.7" not in uncovered
    assert entries["14"].descendant_count == 10


def test_only_the_plans_own_elements_count(torino: Plan) -> None:
    other = Plan.objects.create(slug="altrove", title_it="Altro piano", territory_it="Altrove")
    theme = Theme.objects.create(plan=other, code="housing", title_it="Abitare")
    align(element=theme, item=item("EU-CR", "EU-CR-1.4"))

    (council,) = coverage(plan=torino, framework_code="EU-CR")
    (elsewhere,) = coverage(plan=other, framework_code="EU-CR")

    assert not entries_by_code(council)["EU-CR-1.4"].covered
    assert entries_by_code(elsewhere)["EU-CR-1.4"].covered
    assert elsewhere.covered_count == 2  # the item and its group


def test_a_new_link_changes_the_coverage(torino: Plan) -> None:
    align(element=Theme.objects.get(plan=torino, code="inclusion"), item=item("EU-CR", "EU-CR-1.3"), note_en="Care")

    (council,) = coverage(plan=torino, framework_code="EU-CR")

    assert "EU-CR-1.3" not in [entry.item.code for entry in council.not_covered_yet]
    assert council.covered_count == 15


def test_every_framework_without_a_filter(torino: Plan) -> None:
    matrix = coverage(plan=torino)
    assert [framework.framework.code for framework in matrix] == [
        "EU-SEAP",
        "EU-CR",
        "EU-TP",
        "UN-SSE",
        "OECD-SSE",
        "ILO-SSE",
        "SDG",
    ]
    assert sum(framework.total for framework in matrix) == 310
    assert all(framework.covered_count + framework.uncovered_count == framework.total for framework in matrix)


def test_without_a_plan_nothing_is_covered(frameworks) -> None:
    (council,) = coverage(plan=None, framework_code="EU-CR")
    assert council.covered_count == 0 and len(council.not_covered_yet) == 4


@pytest.mark.parametrize("code", ["EU-XX", "eu-cr", "EU-CR\n", "\x00", "x" * 41])
def test_an_unknown_framework_is_refused_naming_the_known_ones(frameworks, code: str) -> None:
    with pytest.raises(UnknownFramework) as error:
        coverage(plan=None, framework_code=code)
    assert "Known frameworks: EU-SEAP, EU-CR, EU-TP, UN-SSE, OECD-SSE, ILO-SSE, SDG." in str(error.value)
