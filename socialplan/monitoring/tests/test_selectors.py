"""The roll-up selectors: what they read from the database, and at what cost.

Every selector costs the same number of queries with ten times the data.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialplan.accounts.models import User
from socialplan.monitoring.models import (
    Category,
    Dimension,
    DimensionTarget,
    DimensionValue,
    Indicator,
    IndicatorDimension,
)
from socialplan.monitoring.rollup import ProgressStatus
from socialplan.monitoring.selectors import indicator_breakdown, indicator_progress, plan_progress
from socialplan.plan.models import Action, Milestone, Objective, Theme

from .factories import approved, grow, indicator


def queries(selector) -> int:
    with CaptureQueriesContext(connection) as captured:
        selector()
    return len(captured)


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_data(torino) -> None:
    reporters = [User.objects.create_user(email=f"r{n}@example.org", password="x") for n in range(3)]
    grow(torino, copies=1, reporters=reporters)
    objective_indicator = Indicator.objects.get(plan=torino, objective__code__startswith="o-")
    small = (
        queries(lambda: indicator_progress(plan=torino)),
        queries(lambda: plan_progress(plan=torino)),
        queries(lambda: indicator_breakdown(indicator=objective_indicator)),
    )
    grow(torino, copies=9, reporters=reporters)
    # Ten times the indicators, and ten times the updates under one indicator.
    for child in objective_indicator.contributions.all():
        for period in child.periods.all():
            for reporter in [
                User.objects.create_user(email=f"more{n}-{child.pk}-{period.pk}@example.org") for n in range(27)
            ]:
                approved(period, reporter, value=Decimal(1))
    large = (
        queries(lambda: indicator_progress(plan=torino)),
        queries(lambda: plan_progress(plan=torino)),
        queries(lambda: indicator_breakdown(indicator=objective_indicator)),
    )
    assert Indicator.objects.filter(plan=torino, objective__code__startswith="o-").count() == 10
    assert small == large == (5, 3, 7)


@pytest.mark.django_db
def test_an_objective_indicator_adds_up_its_actions(torino) -> None:
    reporters = [User.objects.create_user(email=f"r{n}@example.org", password="x") for n in range(2)]
    grow(torino, copies=1, reporters=reporters)
    progress = {item.indicator.pk: item for item in indicator_progress(plan=torino)}
    parent = Indicator.objects.get(plan=torino, objective__code__startswith="o-")
    # Two actions x two reporters x 10 in each semester, cumulative: 40, then 80.
    assert [point.value for point in progress[parent.pk].points] == [Decimal(40), Decimal(80)]
    share = Indicator.objects.get(plan=torino, code__startswith="test-", measure="percentage")
    assert [point.value for point in progress[share.pk].points] == [Decimal(25), Decimal(25)]
    breakdown = indicator_breakdown(indicator=parent)
    # What was reported within each semester, from both actions, by sex.
    assert [(row.key.code, row.value) for row in breakdown[1].rows] == [("female", 24), ("male", 16)]
    assert breakdown[1].total.value == 40
    stage = Indicator.objects.get(plan=torino, code__startswith="test-", measure="qualitative")
    assert [point.value for point in progress[stage.pk].points] == [Decimal(1), Decimal(2)]
    # Turin's own indicators have no values yet: no data.
    turin = Indicator.objects.get(plan=torino, code="sy-people-trained")
    assert (progress[turin.pk].points, progress[turin.pk].assessment.status) == ([], ProgressStatus.NO_DATA)


@pytest.mark.django_db
def test_breakdowns_with_the_under_35s(torino, reporter) -> None:
    ages = Dimension.objects.get(code="age-band")
    trained = indicator(torino, cumulative=True, baseline_year=2024, baseline_value=Decimal(0))
    IndicatorDimension.objects.create(indicator=trained, dimension=ages)
    first = trained.periods.first()
    update = approved(first, reporter, value=Decimal(20))
    for code, value in (("15-24", 5), ("25-34", 7), ("35-64", 8)):
        DimensionValue.objects.create(
            update=update,
            dimension=ages,
            category=Category.objects.get(dimension=ages, code=code),
            value=Decimal(value),
        )
    band = {code: Category.objects.get(dimension=ages, code=code) for code in ("15-24", "65-plus")}
    DimensionTarget.objects.create(period=first, dimension=ages, category=band["15-24"], target=Decimal(6))
    DimensionTarget.objects.create(period=first, dimension=ages, category=band["65-plus"], target=Decimal(1))
    breakdown = indicator_breakdown(indicator=trained)
    assert breakdown[0].total.value == 20
    assert [(row.key.code, row.value, row.target) for row in breakdown[0].rows] == [
        ("15-24", 5, 6),
        ("25-34", 7, None),
        ("35-64", 8, None),
        ("65-plus", None, 1),  # a target, nothing reported yet
    ]
    assert breakdown[0].under_35.value == 12
    assert (breakdown[1].total, breakdown[1].rows, breakdown[1].under_35) == (None, [], None)


@pytest.mark.django_db
def test_status_of_an_indicator_from_its_approved_values(torino, reporter) -> None:
    partners = indicator(
        torino, baseline_year=2024, baseline_value=Decimal(40), target_year=2027, target_value=Decimal(100)
    )
    first, second = partners.periods.all()
    approved(first, reporter, value=Decimal(45))
    result = next(item for item in indicator_progress(plan=torino) if item.indicator.pk == partners.pk)
    assert result.assessment.status == ProgressStatus.MODERATE_PROGRESS
    approved(second, reporter, value=Decimal(64))
    result = next(item for item in indicator_progress(plan=torino) if item.indicator.pk == partners.pk)
    assert (result.latest.value, result.assessment.status) == (Decimal(64), ProgressStatus.ON_TRACK)


@pytest.mark.django_db
def test_plan_progress_weighs_actions_and_averages_objectives_and_themes(torino) -> None:
    theme = Theme.objects.get(plan=torino, code="governance")
    objective = Objective.objects.create(theme=theme, code="gov-o1", title_it="Obiettivo")
    done = Action.objects.create(objective=objective, code="a1", title_it="A", status="done", weight=Decimal(2))
    started = Action.objects.create(objective=objective, code="a2", title_it="B", status="in_progress")
    Action.objects.create(objective=objective, code="a3", title_it="C", status="cancelled")
    Action.objects.create(objective=objective, code="a4", title_it="D", weight=Decimal(0))
    for number in range(4):
        Milestone.objects.create(
            action=started,
            title_it=f"Tappa {number}",
            due_date=date(2025, 3, 1),
            completed_on=date(2025, 3, 1) if number == 0 else None,
        )
    assert done.status == "done"
    progress = plan_progress(plan=torino)
    themes = {child.element.code: child for child in progress.children}
    assert themes["governance"].children[0].progress == 75  # (2 x 100 + 1 x 25) / 3
    # Social procurement's three actions are planned, without milestones: 0.
    assert themes["social-procurement"].progress == 0
    assert themes["impact-finance"].progress is None  # nothing to measure yet
    assert progress.progress == Decimal("37.5")  # the mean of the themes that have progress
