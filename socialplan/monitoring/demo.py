"""Invented indicator values, marked as demo, so that a new installation shows the monitoring pages at work.

`manage.py load_demo` calls `load_monitoring_demo` after the demo organizations:
each indicator of the plan that has no period yet gets the semesters of 2025
and 2026, and the three that ended by `AS_OF` get an approved demo value
(numbers and amounts growing, percentages as numerator and denominator,
qualitative indicators climbing their scale; counts by sex split where the
indicator is broken down by sex). Values depend on the indicator's code alone,
so every load gives the same figures. Indicators with real periods are left
alone, `remove_monitoring_demo` deletes what this module created, and the
portal says where values are demo.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zlib import crc32

from django.db import transaction
from django.utils import timezone

from socialplan.core.cache import bump_content_version
from socialplan.plan.models import Plan

from .models import Category, DimensionValue, Indicator, Period, Update

AS_OF = date(2026, 6, 30)
SEMESTERS = (
    (date(2025, 1, 1), date(2025, 6, 30)),
    (date(2025, 7, 1), date(2025, 12, 31)),
    (date(2026, 1, 1), date(2026, 6, 30)),
    (date(2026, 7, 1), date(2026, 12, 31)),
)
DEMO_NOTE = "Valore dimostrativo, inventato / Demo value, invented"
WOMEN_SHARE = Decimal("0.55")


@dataclass
class MonitoringDemoReport:
    indicators: int = 0
    periods: int = 0
    updates: int = 0
    skipped: int = 0  # indicators with real periods


def _seed(indicator: Indicator) -> int:
    return crc32(indicator.code.encode())


def _amounts(indicator: Indicator, step: int) -> dict[str, Decimal]:
    """The demo figures of the `step`-th semester (0, 1, 2): growing, in the indicator's measure."""
    seed = _seed(indicator)
    if indicator.measure == Indicator.Measure.PERCENTAGE:
        denominator = Decimal(80 + seed % 120)
        share = Decimal("0.20") + Decimal("0.06") * step + Decimal(seed % 10) / 100
        return {"numerator": (denominator * share).quantize(Decimal(1)), "denominator": denominator}
    base = Decimal(5 + seed % 40)
    if indicator.measure == Indicator.Measure.CURRENCY:
        base *= 25_000
    return {"value": (base * (1 + Decimal("0.25") * step)).quantize(Decimal(1))}


def _add_demo_values(indicator: Indicator, report: MonitoringDemoReport) -> None:
    now = timezone.now()
    levels = list(indicator.levels.order_by("rank"))
    by_sex = indicator.dimensions.filter(code="sex").exists() and not indicator.is_percentage
    female = Category.objects.filter(dimension__code="sex", code="female").first()
    male = Category.objects.filter(dimension__code="sex", code="male").first()
    for step, (start, end) in enumerate(SEMESTERS):
        period = Period.objects.create(indicator=indicator, start=start, end=end, is_demo=True)
        report.periods += 1
        if end > AS_OF:
            continue
        values: dict[str, object] = {}
        if indicator.is_qualitative:
            if not levels:
                continue
            values["level"] = levels[min(step, len(levels) - 1)]
        else:
            values.update(_amounts(indicator, step))
        update = Update.objects.create(
            period=period,
            reporter=None,
            status=Update.Status.APPROVED,
            submitted_at=now,
            reviewed_at=now,
            narrative=DEMO_NOTE,
            is_demo=True,
            **values,
        )
        report.updates += 1
        if by_sex and female and male and "value" in values:
            total = Decimal(str(values["value"]))
            women = (total * WOMEN_SHARE).quantize(Decimal(1))
            DimensionValue.objects.create(update=update, dimension=female.dimension, category=female, value=women)
            DimensionValue.objects.create(update=update, dimension=male.dimension, category=male, value=total - women)


@transaction.atomic
def load_monitoring_demo(*, plan: Plan) -> MonitoringDemoReport:
    """Demo periods and approved demo values for the plan's indicators that have no period; a second run adds none."""
    report = MonitoringDemoReport()
    for indicator in Indicator.objects.filter(plan=plan).order_by("order", "code"):
        periods = indicator.periods.all()
        if periods.filter(is_demo=False).exists():
            report.skipped += 1
            continue
        if periods.exists():
            continue  # demo values already there
        _add_demo_values(indicator, report)
        report.indicators += 1
    if report.updates:
        bump_content_version()
    return report


@transaction.atomic
def remove_monitoring_demo() -> int:
    """Delete the demo values and the demo periods that hold no real update. Returns the values deleted."""
    demo = Update.objects.filter(is_demo=True)
    deleted = demo.count()
    demo.delete()
    Period.objects.filter(is_demo=True).exclude(updates__is_demo=False).delete()
    bump_content_version()
    return deleted
