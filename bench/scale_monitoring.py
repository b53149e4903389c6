"""Monitoring at scale: indicators on the generated plan, their semesters and approved values.

`generate_monitoring(scale=...)` tops the plan's indicators up to a scale's
totals once `scale.generate` has filled the plan and its ecosystem:

| scale | indicators | periods | approved values |
| --- | --- | --- | --- |
| `metro` | 1,500 | 4 semesters each (2025-2026) | 100,000 |
| `national` | 15,000 | the same | 1,000,000 |

One indicator per generated objective adds up those of its actions (a
cumulative count, `contributes_to`), each generated action has a count that
contributes, a percentage (numerator and denominator) and a currency amount,
each theme has two of its own, and the rest measure the actions in turn until
the total is reached: a detailed plan measures its actions. Baselines (2024)
and targets (2028) are spread so that every status occurs. Values are
approved updates of the generated organizations, one per organization and
period as the database requires, marked as demo. Rows are written with
bulk_create and a fixed seed: a scale always gives the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import cycle
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

GENERATED_PREFIX = "gen-"
BATCH_SIZE = 2_000
# Indicators on each theme itself; the rest measure actions, as a detailed plan's do.
THEME_INDICATORS = 2
SEMESTERS = (
    (date(2025, 1, 1), date(2025, 6, 30)),
    (date(2025, 7, 1), date(2025, 12, 31)),
    (date(2026, 1, 1), date(2026, 6, 30)),
    (date(2026, 7, 1), date(2026, 12, 31)),
)


@dataclass(frozen=True)
class MonitoringScale:
    indicators: int
    values: int


MONITORING_SCALES = {
    "metro": MonitoringScale(indicators=1_500, values=100_000),
    "national": MonitoringScale(indicators=15_000, values=1_000_000),
}

SUBJECTS = [
    ("persone formate", "people trained"),
    ("organizzazioni coinvolte", "organizations involved"),
    ("lavoratori svantaggiati inseriti", "disadvantaged workers placed"),
    ("giovani under 35 coinvolti", "young people under 35 involved"),
    ("procedure di co-progettazione avviate", "co-design procedures started"),
    ("partenariati attivati", "partnerships started"),
]


def generate_monitoring(*, scale: str, plan_slug: str = "torino") -> dict[str, int]:
    """Top the plan's indicators, periods and approved values up to `scale`; returns the totals afterwards."""
    from socialplan.core.cache import bump_content_version
    from socialplan.monitoring.models import Indicator
    from socialplan.plan.models import Plan

    target = MONITORING_SCALES[scale]
    plan = Plan.objects.get(slug=plan_slug)
    rng = random.Random(f"socialplan-bench-monitoring-{scale}")
    with translation.override("it"), transaction.atomic():
        existing = Indicator.objects.filter(plan=plan).count()
        if existing < target.indicators:
            _Generator(plan=plan, rng=rng).run(indicators=target.indicators - existing, values=target.values)
    bump_content_version()
    _refresh_statistics()
    return monitoring_totals(plan=plan)


def monitoring_totals(*, plan: Any) -> dict[str, int]:
    from socialplan.monitoring.models import Indicator, Period, Update

    return {
        "indicators": Indicator.objects.filter(plan=plan).count(),
        "periods": Period.objects.filter(indicator__plan=plan).count(),
        "approved_values": Update.objects.filter(period__indicator__plan=plan, status=Update.Status.APPROVED).count(),
    }


def _refresh_statistics() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    from socialplan.monitoring.models import Indicator, Period, Update

    tables = [model._meta.db_table for model in (Indicator, Period, Update)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


class _Generator:
    def __init__(self, *, plan: Any, rng: random.Random) -> None:
        self.plan = plan
        self.rng = rng
        self.serial = 0

    def run(self, *, indicators: int, values: int) -> None:
        from socialplan.ecosystem.models import Organization
        from socialplan.monitoring.models import Indicator
        from socialplan.plan.models import Action, Objective, Theme

        made: list[Indicator] = []
        objectives = list(Objective.objects.filter(theme__plan=self.plan, code__startswith=GENERATED_PREFIX))
        parents = {}
        for objective in objectives:
            if len(made) >= indicators:
                break
            parent = self._indicator(objective=objective, cumulative=True, subject=objective.pk)
            parents[objective.pk] = parent
            made.append(parent)
        Indicator.objects.bulk_create(made, batch_size=BATCH_SIZE)
        children: list[Indicator] = []
        actions = list(Action.objects.filter(objective__theme__plan=self.plan, code__startswith=GENERATED_PREFIX))
        for action in actions:
            for kind in ("count", "percentage", "currency"):
                if len(made) + len(children) >= indicators:
                    break
                if kind == "count":
                    children.append(
                        self._indicator(
                            action=action,
                            cumulative=True,
                            subject=action.objective_id,
                            contributes_to=parents.get(action.objective_id),
                        )
                    )
                else:
                    children.append(self._indicator(action=action, kind=kind))
        for theme in Theme.objects.filter(plan=self.plan).order_by("order"):
            for _ in range(THEME_INDICATORS):
                if len(made) + len(children) < indicators:
                    children.append(self._indicator(theme=theme))
        spread = cycle(actions)
        while len(made) + len(children) < indicators:
            children.append(self._indicator(action=next(spread)))
        Indicator.objects.bulk_create(children, batch_size=BATCH_SIZE)
        made += children
        self._periods_and_values(
            made, values=values, organizations=list(Organization.objects.values_list("pk", flat=True))
        )

    def _indicator(
        self, *, kind: str = "count", cumulative: bool = False, subject: int | None = None, **element: Any
    ) -> Any:
        """An indicator; a count that adds up into another must share its subject (the same unit)."""
        from socialplan.monitoring.models import Indicator

        self.serial += 1
        subject_it, subject_en = SUBJECTS[(self.serial if subject is None else subject) % len(SUBJECTS)]
        rng = self.rng
        fields: dict[str, Any] = {
            "plan": self.plan,
            "code": f"{GENERATED_PREFIX}{self.serial:05d}",
            "order": 1000 + self.serial,
            "title_it": f"Numero di {subject_it} (indicatore {self.serial})",
            "title_en": f"Number of {subject_en} (indicator {self.serial})",
            "unit_it": subject_it,
            "unit_en": subject_en,
            "cumulative": cumulative,
            "baseline_year": 2024,
            "target_year": 2028,
            **element,
        }
        if kind == "percentage":
            fields |= {
                "measure": Indicator.Measure.PERCENTAGE,
                "title_it": f"Quota di {subject_it} (indicatore {self.serial})",
                "title_en": f"Share of {subject_en} (indicator {self.serial})",
                "unit_it": "%",
                "unit_en": "%",
                "scale": 100,
                "share": True,
                "baseline_value": Decimal(rng.randint(5, 30)),
                "target_value": Decimal(rng.randint(35, 60)),
            }
        elif kind == "currency":
            fields |= {
                "measure": Indicator.Measure.CURRENCY,
                "title_it": f"Valore economico per {subject_it} (indicatore {self.serial})",
                "title_en": f"Economic value for {subject_en} (indicator {self.serial})",
                "unit_it": "EUR",
                "unit_en": "EUR",
                "baseline_value": Decimal(rng.randint(50, 200) * 1_000),
                "target_value": Decimal(rng.randint(400, 900) * 1_000),
            }
        else:
            fields |= {"baseline_value": Decimal(0) if cumulative else Decimal(rng.randint(20, 100))}
            fields["target_value"] = Decimal(rng.randint(200, 2_000)) if cumulative else Decimal(rng.randint(150, 400))
        return Indicator(**fields)

    def _periods_and_values(self, indicators: list[Any], *, values: int, organizations: list[int]) -> None:
        from socialplan.monitoring.models import Indicator, Period, Update

        stored = {
            indicator.code: indicator
            for indicator in Indicator.objects.filter(plan=self.plan, code__in=[item.code for item in indicators])
        }
        periods = [
            Period(indicator=stored[item.code], start=start, end=end, is_demo=True)
            for item in indicators
            for start, end in SEMESTERS
        ]
        Period.objects.bulk_create(periods, batch_size=BATCH_SIZE)
        periods = list(
            Period.objects.filter(indicator__in=stored.values())
            .select_related("indicator")
            .order_by("indicator", "start")
        )
        if not organizations or not periods:
            return
        now = timezone.now()
        per_period = max(1, values // len(periods))
        extra = values - per_period * len(periods)
        batch: list[Update] = []
        rng = self.rng
        for index, period in enumerate(periods):
            count = min(per_period + (1 if index < extra else 0), len(organizations))
            indicator = period.indicator
            for organization in rng.sample(organizations, count):
                update = Update(
                    period=period,
                    organization_id=organization,
                    status=Update.Status.APPROVED,
                    is_demo=True,
                    submitted_at=now,
                    reviewed_at=now,
                )
                if indicator.measure == Indicator.Measure.PERCENTAGE:
                    denominator = rng.randint(20, 200)
                    update.denominator = Decimal(denominator)
                    update.numerator = Decimal(rng.randint(0, denominator // 2))
                elif indicator.measure == Indicator.Measure.CURRENCY:
                    update.value = Decimal(rng.randint(1, 60) * 500)
                else:
                    update.value = Decimal(rng.randint(0, 12))
                batch.append(update)
                if len(batch) >= BATCH_SIZE:
                    Update.objects.bulk_create(batch)
                    batch = []
        Update.objects.bulk_create(batch)
