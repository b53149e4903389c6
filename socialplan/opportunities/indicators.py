"""The plan's procurement indicators, computed from the awards and sent for review like any report.

Two computations, each for the awards dated within a period (active awards only):

- `value_to_social_economy`: the value attributed to social economy suppliers
  (`awards.attributed_value`, their share of a grouping), public and private,
  broken down by the supplier's legal form;
- `social_clauses_share`: the value of public procurement awarded on
  opportunities with social clauses or reserved participation
  (`dashboard.social_clauses`), over the value of all public procurement
  awarded (a percentage with its numerator and denominator in euros).

`settings.OPPORTUNITY_INDICATORS` names which indicator (by code) each
computation feeds; by default the Turin plan's. `report_computed_indicators`
writes, for every period that has ended and has no approved value, a draft from
the given reporter (who must be assigned to the indicator) and submits it: the
plan office approves or returns it in the usual review, so nothing computed is
published unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import ngettext

from socialplan.monitoring.models import Indicator, Period, Update
from socialplan.monitoring.services import (
    BreakdownEntry,
    Report,
    create_draft,
    edit_draft,
    resubmit_update,
    submit_update,
)
from socialplan.plan.models import Plan

from .awards import attributed_value, social_economy_suppliers
from .dashboard import PROCUREMENT_KINDS, social_clauses
from .models import Award, AwardSupplier, Opportunity

CENT = Decimal("0.01")
PUBLIC_PROCUREMENT_KINDS = tuple(kind for kind in PROCUREMENT_KINDS if kind != Opportunity.Kind.PRIVATE_PROCUREMENT)
DEFAULT_INDICATORS = {
    "sp-value-to-social-economy": "value_to_social_economy",
    "sp-social-clauses-share": "social_clauses_share",
}


def _active(start: date, end: date) -> Any:
    return Award.objects.filter(status=Award.Status.ACTIVE, date__gte=start, date__lte=end)


def value_to_social_economy(start: date, end: date) -> Report:
    rows = (
        AwardSupplier.objects.filter(social_economy_suppliers(), award__in=_active(start, end))
        .annotate(part=attributed_value())
        .values("organization__legal_form")
        .annotate(total=Sum("part"))
        .order_by("organization__legal_form")
    )
    breakdown = [
        BreakdownEntry(
            dimension="legal-form", category=row["organization__legal_form"], value=Decimal(row["total"]).quantize(CENT)
        )
        for row in rows
        if row["total"]
    ]
    total = sum((entry.value for entry in breakdown), Decimal(0))
    count = (
        _active(start, end)
        .filter(suppliers__in=AwardSupplier.objects.filter(social_economy_suppliers()))
        .distinct()
        .count()
    )
    return Report(value=total, breakdown=breakdown, narrative=_narrative(count, start, end, public=False))


def social_clauses_share(start: date, end: date) -> Report:
    awards = _active(start, end).filter(opportunity__kind__in=PUBLIC_PROCUREMENT_KINDS)
    everything = awards.aggregate(total=Sum("value"))["total"] or Decimal(0)
    with_clauses = awards.filter(opportunity__in=Opportunity.objects.filter(social_clauses())).aggregate(
        total=Sum("value")
    )["total"] or Decimal(0)
    return Report(
        numerator=Decimal(with_clauses).quantize(CENT),
        denominator=Decimal(everything).quantize(CENT),
        narrative=_narrative(awards.count(), start, end, public=True),
    )


def _narrative(count: int, start: date, end: date, *, public: bool) -> str:
    """How the figure was made, in the plan's language (a report's narrative is published with its value)."""
    values = {"count": count, "start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
    with translation.override(settings.LANGUAGE_CODE):
        if public:
            return (
                ngettext(
                    "Computed from %(count)s public procurement award recorded on the platform "
                    "from %(start)s to %(end)s.",
                    "Computed from %(count)s public procurement awards recorded on the platform "
                    "from %(start)s to %(end)s.",
                    count,
                )
                % values
            )
        return (
            ngettext(
                "Computed from %(count)s award recorded on the platform from %(start)s to %(end)s.",
                "Computed from %(count)s awards recorded on the platform from %(start)s to %(end)s.",
                count,
            )
            % values
        )


COMPUTATIONS: dict[str, Callable[[date, date], Report]] = {
    "value_to_social_economy": value_to_social_economy,
    "social_clauses_share": social_clauses_share,
}


@dataclass
class ComputedReport:
    submitted: list[Update] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def computed_indicators(plan: Plan) -> list[tuple[Indicator, Callable[[date, date], Report]]]:
    mapping = getattr(settings, "OPPORTUNITY_INDICATORS", DEFAULT_INDICATORS)
    unknown = sorted(set(mapping.values()) - set(COMPUTATIONS))
    if unknown:
        raise ValueError(f"OPPORTUNITY_INDICATORS names unknown computations: {', '.join(unknown)}")
    indicators = Indicator.objects.filter(plan=plan, code__in=mapping).order_by("code")
    return [(indicator, COMPUTATIONS[mapping[indicator.code]]) for indicator in indicators]


def report_computed_indicators(*, plan: Plan, reporter: Any, on: date) -> ComputedReport:
    """Submit the computed value of every ended, unlocked period without an approved value."""
    result = ComputedReport()
    for indicator, compute in computed_indicators(plan):
        periods = Period.objects.filter(indicator=indicator, end__lt=on).order_by("start")
        for period in periods:
            where = f"{indicator.code} {period.start}-{period.end}"
            if period.locked:
                result.skipped.append(f"{where}: the period is locked")
                continue
            if period.updates.filter(status=Update.Status.APPROVED).exists():
                result.skipped.append(f"{where}: a value is already approved")
                continue
            report = compute(period.start, period.end)
            mine = period.updates.filter(reporter=reporter, organization=None).first()
            try:
                with transaction.atomic():
                    update = _send(indicator, period, reporter, report, mine)
            except ValidationError as error:
                result.skipped.append(f"{where}: {' '.join(error.messages)}")
                continue
            if update is None:
                result.skipped.append(f"{where}: already waiting for review")
            else:
                result.submitted.append(update)
    return result


def _send(indicator: Indicator, period: Period, reporter: Any, report: Report, mine: Update | None) -> Update | None:
    """Draft and submit, or correct the reporter's own draft or returned update and send it again."""
    if mine is None:
        update = create_draft(indicator=indicator, reporter=reporter, on=period.start, report=report)
        return submit_update(update=update, reporter=reporter)
    if mine.status == Update.Status.SUBMITTED:
        return None
    returned = mine.status == Update.Status.RETURNED
    update = edit_draft(update=mine, reporter=reporter, report=report)
    if returned:
        return resubmit_update(update=update, reporter=reporter)
    return submit_update(update=update, reporter=reporter)
