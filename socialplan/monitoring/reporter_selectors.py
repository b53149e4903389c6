"""Reads of the reporter's pages in the personal area: what a user reports on, period by period.

A user reports on an indicator in person (Indicator.reporters) or for each
assigned organization of which they are an approved member; each of these is
an assignment, with its own update per period. The list is read in a fixed
number of queries whatever the number of indicators, periods or cycles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from socialplan.ecosystem.models import Membership, Organization

from .cycles import MET
from .models import Category, Cycle, Dimension, DimensionValue, Indicator, Period, Update

EDITABLE = (Update.Status.DRAFT, Update.Status.RETURNED)


@dataclass(frozen=True)
class PeriodRow:
    """One period of an assignment: where the user's (or organization's) report stands, and when it is due."""

    period: Period
    update: Update | None
    cycle: Cycle | None
    today: date

    @property
    def status(self) -> str:
        return self.update.status if self.update is not None else "missing"

    @property
    def started(self) -> bool:
        return self.period.start <= self.today

    @property
    def overdue(self) -> bool:
        return self.cycle is not None and self.today > self.cycle.due_date and self.status not in MET

    @property
    def action(self) -> str | None:
        """What the user can do: report, continue (a draft), correct (a returned update), view, or nothing yet."""
        if self.update is not None and self.update.status in MET:
            return "view"
        if self.period.locked:
            return "view" if self.update is not None else None
        if self.update is None:
            return "report" if self.started else None
        return "continue" if self.update.status == Update.Status.DRAFT else "correct"


@dataclass(frozen=True)
class Assignment:
    """An indicator the user reports on, in person (`organization` None) or for an organization."""

    indicator: Indicator
    organization: Organization | None
    periods: list[PeriodRow]


def _approved_organization_ids(user: Any) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(user_id=user.pk, status=Membership.Status.APPROVED).values("organization_id")


def indicators_reported_by(*, user: Any) -> QuerySet[Indicator]:
    """The indicators `user` reports on, in person or for an organization."""
    if not getattr(user, "is_authenticated", False):
        return Indicator.objects.none()
    in_person = Indicator.objects.filter(reporters__pk=user.pk).values("pk")
    for_organizations = Indicator.objects.filter(
        reporting_organizations__pk__in=_approved_organization_ids(user)
    ).values("pk")
    return Indicator.objects.filter(Q(pk__in=in_person) | Q(pk__in=for_organizations))


def assignments_of(*, user: Any, today: date) -> list[Assignment]:
    """Every assignment of `user` with its periods, their updates and the open cycles asking for them.

    Six queries: indicators, their periods, the user's assignment in person,
    their organizations among the assigned ones, the updates, the open cycles.
    """
    organization_ids = _approved_organization_ids(user)
    indicators = list(
        indicators_reported_by(user=user)
        .select_related("plan")
        .prefetch_related(
            Prefetch("periods", queryset=Period.objects.order_by("start")),
            Prefetch("reporters", queryset=get_user_model().objects.filter(pk=user.pk), to_attr="me"),
            Prefetch(
                "reporting_organizations",
                queryset=Organization.objects.filter(pk__in=organization_ids).order_by("legal_name", "pk"),
                to_attr="my_organizations",
            ),
        )
    )
    if not indicators:
        return []
    updates: dict[tuple[int, int | None], Update] = {}
    mine = Q(organization__isnull=True, reporter_id=user.pk) | Q(organization_id__in=organization_ids)
    for update in Update.objects.filter(mine, period__indicator__in=indicators).order_by("pk"):
        updates[(update.period_id, update.organization_id)] = update
    cycles = list(
        Cycle.objects.filter(closed_at__isnull=True, plan_id__in={item.plan_id for item in indicators}).order_by(
            "due_date", "pk"
        )
    )
    assignments = []
    for indicator in indicators:
        whom: list[Organization | None] = [None] if indicator.me else []  # type: ignore[attr-defined]
        whom += indicator.my_organizations  # type: ignore[attr-defined]
        for organization in whom:
            key = organization.pk if organization is not None else None
            rows = [
                PeriodRow(
                    period=period,
                    update=updates.get((period.pk, key)),
                    cycle=_cycle_asking_for(period, indicator, cycles),
                    today=today,
                )
                for period in indicator.periods.all()
            ]
            assignments.append(Assignment(indicator=indicator, organization=organization, periods=rows))
    return assignments


def _cycle_asking_for(period: Period, indicator: Indicator, cycles: list[Cycle]) -> Cycle | None:
    """The open cycle with the nearest due date whose window holds the period's end (cycles.py's rule)."""
    return next(
        (
            cycle
            for cycle in cycles
            if cycle.plan_id == indicator.plan_id and cycle.starts_on <= period.end <= cycle.ends_on
        ),
        None,
    )


@dataclass(frozen=True)
class Slot:
    """The report page's subject: a period, reported in person or for an organization, and its update if any."""

    period: Period
    organization: Organization | None
    update: Update | None
    cycle: Cycle | None

    @property
    def indicator(self) -> Indicator:
        return self.period.indicator


def slot_of(*, user: Any, period_pk: int, organization_pk: int | None) -> Slot | None:
    """The period `period_pk` as `user` reports it (in person, or for `organization_pk`); None when they do not.

    None too for an unknown period or organization: the page does not tell
    whether a period exists to someone who does not report on it.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    period = (
        Period.objects.select_related("indicator__plan")
        .filter(pk=period_pk, indicator__in=indicators_reported_by(user=user))
        .first()
    )
    if period is None:
        return None
    indicator = period.indicator
    if organization_pk is None:
        if not indicator.reporters.filter(pk=user.pk).exists():
            return None
        organization = None
        updates = Update.objects.filter(period=period, organization__isnull=True, reporter_id=user.pk)
    else:
        organization = (
            indicator.reporting_organizations.filter(pk=organization_pk, pk__in=_approved_organization_ids(user))
            .order_by()
            .first()
        )
        if organization is None:
            return None
        updates = Update.objects.filter(period=period, organization=organization)
    update = (
        updates.select_related("level", "reviewed_by")
        .prefetch_related(
            Prefetch(
                "breakdown",
                queryset=DimensionValue.objects.select_related("dimension", "category", "comune").order_by(
                    "dimension__order", "category__order", "comune__name"
                ),
            )
        )
        .first()
    )
    cycles = list(
        Cycle.objects.filter(
            closed_at__isnull=True, plan_id=indicator.plan_id, starts_on__lte=period.end, ends_on__gte=period.end
        ).order_by("due_date", "pk")[:1]
    )
    return Slot(period=period, organization=organization, update=update, cycle=cycles[0] if cycles else None)


def breakdown_dimensions(*, indicator: Indicator) -> list[Dimension]:
    """The indicator's dimensions in its order, each with its categories prefetched."""
    return list(
        Dimension.objects.filter(indicator_dimensions__indicator=indicator)
        .order_by("indicator_dimensions__order", "order", "code")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("order", "code")))
    )
