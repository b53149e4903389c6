"""Monitoring data for tests that need volume: approved updates written straight to the tables."""

from datetime import date
from decimal import Decimal
from itertools import count

from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.monitoring.models import (
    Category,
    Dimension,
    DimensionValue,
    Indicator,
    IndicatorDimension,
    Period,
    QualitativeLevel,
    Update,
)
from socialplan.plan.models import Action, Milestone, Objective, Plan, Theme

_serial = count(1)
SEMESTERS = ((date(2025, 1, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 12, 31)))


def approved(period: Period, reporter: User, **values: object) -> Update:
    return Update.objects.create(
        period=period,
        reporter=reporter,
        status=Update.Status.APPROVED,
        submitted_at=timezone.now(),
        reviewed_at=timezone.now(),
        **values,
    )


def indicator(plan: Plan, *, semesters: bool = True, **fields: object) -> Indicator:
    number = next(_serial)
    made = Indicator.objects.create(
        plan=plan, code=f"test-{number}", title_it=f"Indicatore {number}", unit_it="unità", **fields
    )
    if semesters:
        for start, end in SEMESTERS:
            Period.objects.create(indicator=made, start=start, end=end)
    return made


def grow(plan: Plan, *, copies: int, reporters: list[User]) -> None:
    """`copies` times: an objective with two actions and their milestones; a number indicator on each
    action adding up into one on the objective, broken down by sex; a percentage and a qualitative
    indicator; two semesters, each with an approved update by every reporter."""
    theme = Theme.objects.filter(plan=plan).first()
    sex = Dimension.objects.get(code="sex")
    female, male = Category.objects.get(dimension=sex, code="female"), Category.objects.get(dimension=sex, code="male")
    for _ in range(copies):
        number = next(_serial)
        objective = Objective.objects.create(theme=theme, code=f"o-{number}", title_it="Obiettivo")
        parent = indicator(plan, objective=objective, cumulative=True)
        IndicatorDimension.objects.create(indicator=parent, dimension=sex)
        for action_number, status in enumerate(("in_progress", "done"), start=1):
            action = Action.objects.create(
                objective=objective, code=f"a-{action_number}", title_it="Azione", status=status, weight=Decimal(2)
            )
            Milestone.objects.create(
                action=action, title_it="Avvio", due_date=date(2025, 3, 1), completed_on=date(2025, 3, 1)
            )
            Milestone.objects.create(action=action, title_it="Chiusura", due_date=date(2025, 12, 1))
            child = indicator(plan, action=action, cumulative=True, contributes_to=parent)
            IndicatorDimension.objects.create(indicator=child, dimension=sex)
            for period in child.periods.all():
                for reporter in reporters:
                    update = approved(period, reporter, value=Decimal(10))
                    DimensionValue.objects.create(update=update, dimension=sex, category=female, value=Decimal(6))
                    DimensionValue.objects.create(update=update, dimension=sex, category=male, value=Decimal(4))
        share = indicator(plan, theme=theme, measure=Indicator.Measure.PERCENTAGE)
        stage = indicator(plan, theme=theme, measure=Indicator.Measure.QUALITATIVE)
        levels = [
            QualitativeLevel.objects.create(indicator=stage, code=f"l{rank}", rank=rank, label_it="Livello")
            for rank in (1, 2)
        ]
        for period in share.periods.all():
            for reporter in reporters:
                approved(period, reporter, numerator=Decimal(1), denominator=Decimal(4))
        for period, level in zip(stage.periods.all(), levels, strict=True):
            approved(period, reporters[0], level=level)
