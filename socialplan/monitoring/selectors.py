"""Reads of monitoring: roll-ups and progress, each in a fixed number of queries whatever the data size.

The database sums what can be summed; the rules themselves live in rollup.py
as pure functions, fed here with plain values. Only approved updates are read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum

from socialplan.plan.models import Action, Objective, Plan, Theme
from socialplan.territory.models import Comune

from .models import Category, Dimension, DimensionTarget, Indicator, Period, Update
from .rollup import (
    Amount,
    Assessment,
    Contribution,
    Observation,
    Series,
    Thresholds,
    action_progress,
    assess,
    end_of_year,
    period_totals,
    reported_to_date,
    total,
    value_to_date,
    weighted_progress,
    year_fraction,
)

APPROVED = Update.Status.APPROVED


@dataclass(frozen=True)
class Point:
    """An indicator at the end of one of its periods: what was reported to date, and its value in its unit."""

    period: Period
    amount: Amount
    value: Decimal | None


@dataclass
class IndicatorProgress:
    indicator: Indicator
    points: list[Point]
    assessment: Assessment

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


def indicator_progress(*, plan: Plan, indicator_ids: set[int] | None = None) -> list[IndicatorProgress]:
    """Every indicator of the plan (or those of `indicator_ids`) with its values period by period and its status.

    Five queries. `indicator_ids` must hold the contributors of each indicator
    asked for (see `indicator_family`), or their values are left out.
    """
    chosen = Q(plan=plan) if indicator_ids is None else Q(plan=plan, pk__in=indicator_ids)
    indicators = list(
        Indicator.objects.filter(chosen)
        .select_related("objective", "action__objective")
        .prefetch_related(Prefetch("periods", queryset=Period.objects.order_by("start")), "levels")
    )
    approved = Update.objects.filter(period__indicator__in=Indicator.objects.filter(chosen), status=APPROVED)
    amounts = {
        row["period_id"]: Amount(row["value"], row["numerator"], row["denominator"])
        for row in approved.order_by()
        .values("period_id")
        .annotate(value=Sum("value"), numerator=Sum("numerator"), denominator=Sum("denominator"))
    }
    # A qualitative period's value is its latest approved level: levels are not added up.
    for period_id, rank in (
        approved.filter(level__isnull=False)
        .order_by("period_id", "reviewed_at", "pk")
        .values_list("period_id", "level__rank")
    ):
        amounts[period_id] = Amount(value=Decimal(rank))
    series = _series_by_indicator(indicators, amounts)
    return [_progress(indicator, series[indicator.pk]) for indicator in indicators]


# The plan's indicators with their progress, kept per plan for the current
# content version: at metropolitan scale (1,500 indicators, 6,000 periods)
# reading them costs about half a second, and approvals, the only writes
# that change them, replace the content version.
_kept_progress: dict[int, tuple[str, list[IndicatorProgress]]] = {}


def plan_indicator_progress(*, plan: Plan) -> list[IndicatorProgress]:
    """`indicator_progress` of every indicator of the plan, read once per content version and process.

    Under a cache that keeps nothing (the tests' dummy cache) it is read on
    every call. Callers must not change what it returns.
    """
    from socialplan.core.cache import kept_content_version

    version = kept_content_version()
    if version is None:
        return indicator_progress(plan=plan)
    kept = _kept_progress.get(plan.pk)
    if kept is not None and kept[0] == version:
        return kept[1]
    found = indicator_progress(plan=plan)
    _kept_progress[plan.pk] = (version, found)
    return found


def _series_by_indicator(indicators: list[Indicator], amounts: dict[int, Amount]) -> dict[int, Series]:
    """Each indicator's own observations and, nested, those of the indicators that contribute to it."""
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        children[indicator.contributes_to_id].append(indicator)
    built: dict[int, Series] = {}

    def build(indicator: Indicator, path: frozenset[int]) -> Series:
        if indicator.pk not in built:
            observations = [
                Observation(end=period.end, amount=amounts[period.pk])
                for period in indicator.periods.all()
                if period.pk in amounts
            ]
            contributions = [
                build(child, path | {indicator.pk}) for child in children[indicator.pk] if child.pk not in path
            ]
            built[indicator.pk] = Series(
                cumulative=indicator.cumulative, observations=observations, contributions=contributions
            )
        return built[indicator.pk]

    for indicator in indicators:
        build(indicator, frozenset())
    return built


def _progress(indicator: Indicator, series: Series) -> IndicatorProgress:
    points = []
    for period in indicator.periods.all():
        if not series.has_data_between(period.start, period.end):
            continue
        amount = reported_to_date(series, on=period.end)
        if amount is None:
            continue
        value = value_to_date(
            series,
            on=period.end,
            percentage=indicator.is_percentage,
            scale=indicator.scale,
            baseline=indicator.baseline_value,
        )
        points.append(Point(period=period, amount=amount, value=value))
    return IndicatorProgress(indicator=indicator, points=points, assessment=assess_indicator(indicator, points))


def assess_indicator(indicator: Indicator, points: list[Point]) -> Assessment:
    """The status of an indicator from its latest valued point (see rollup.assess)."""
    latest = next((point for point in reversed(points) if point.value is not None), None)
    return assess(
        increase=indicator.direction == Indicator.Direction.INCREASE,
        baseline=_float(indicator.baseline_value),
        baseline_time=end_of_year(indicator.baseline_year) if indicator.baseline_year else None,
        latest=_float(latest.value) if latest else None,
        latest_time=year_fraction(latest.period.end) if latest else None,
        target=_float(indicator.target_value),
        target_time=end_of_year(indicator.target_year) if indicator.target_year else None,
        growth_rate=not indicator.is_qualitative,
        thresholds=_thresholds(indicator),
    )


def _thresholds(indicator: Indicator) -> Thresholds | None:
    if indicator.progress_high is None or indicator.progress_medium is None or indicator.progress_low is None:
        return None
    return Thresholds(
        high=float(indicator.progress_high), medium=float(indicator.progress_medium), low=float(indicator.progress_low)
    )


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# Breakdowns ----------------------------------------------------------------


# A breakdown row's key: dimension, and category or comune.
BreakdownKey = tuple[int, int | None, int | None]


@dataclass(frozen=True)
class BreakdownRow:
    """One category's approved amount in a period (None when only a target is set) and its target."""

    dimension: Dimension
    key: Category | Comune
    amount: Amount | None
    value: Decimal | None
    target: Decimal | None = None


@dataclass
class PeriodBreakdown:
    """What was reported within one period (contributions included), in total and by category."""

    period: Period
    total: Amount | None
    rows: list[BreakdownRow] = field(default_factory=list)

    @property
    def under_35(self) -> Amount | None:
        """The age bands below 35 together: the plan's youth lens."""
        return total(
            row.amount
            for row in self.rows
            if row.amount is not None and isinstance(row.key, Category) and row.key.under_35
        )


def indicator_breakdown(*, indicator: Indicator) -> list[PeriodBreakdown]:
    """The indicator's periods with their approved totals, and by category the amounts and targets.

    Contributing indicators' updates count in the period in which their own
    period ends; only the indicator's own dimensions are shown (a contributor
    may break its figures down further). Seven queries, eight with comuni.
    """
    family = indicator_family(indicator)
    periods = list(indicator.periods.order_by("start"))
    updates = (
        Update.objects.filter(period__indicator_id__in=family, status=APPROVED)
        .select_related("period")
        .prefetch_related("breakdown")
    )
    by_period: dict[int, list[Contribution]] = defaultdict(list)
    for update in updates:
        period = next((p for p in periods if p.start <= update.period.end <= p.end), None)
        if period is None:
            continue
        by_period[period.pk].append(
            Contribution(
                amount=Amount(update.value, update.numerator, update.denominator),
                breakdown={
                    _key(row): Amount(row.value, row.numerator, row.denominator) for row in update.breakdown.all()
                },
            )
        )
    targets: dict[int, dict[BreakdownKey, Decimal]] = defaultdict(dict)
    for target in DimensionTarget.objects.filter(period__in=periods):
        targets[target.period_id][_key(target)] = target.target
    dimensions = {dimension.pk: dimension for dimension in indicator.dimensions.all()}
    categories = {category.pk: category for category in Category.objects.filter(dimension__in=dimensions)}
    comune_ids = {key[2] for items in by_period.values() for item in items for key in item.breakdown if key[2]}
    comune_ids |= {key[2] for keyed in targets.values() for key in keyed if key[2]}
    comuni = {comune.pk: comune for comune in Comune.objects.filter(pk__in=comune_ids).only("pk", "name", "istat_code")}

    def row(key: BreakdownKey, amount: Amount | None, target: Decimal | None) -> BreakdownRow:
        dimension_id, category_id, comune_id = key
        value = None
        if amount is not None:
            value = amount.ratio(scale=indicator.scale) if indicator.is_percentage else amount.value
        where = categories[category_id] if category_id else comuni[comune_id or 0]
        return BreakdownRow(dimension=dimensions[dimension_id], key=where, amount=amount, value=value, target=target)

    def order(key: BreakdownKey) -> tuple[int, int, str]:
        """The dimensions' order; categories as listed, comuni by name."""
        dimension_id, category_id, comune_id = key
        position = dimensions[dimension_id].order
        if category_id:
            return (position, categories[category_id].order, "")
        return (position, 0, comuni[comune_id or 0].name)

    result = []
    for period in periods:
        period_total, breakdown = period_totals(by_period.get(period.pk, []))
        period_targets = targets.get(period.pk, {})
        keys = {key for key in (*breakdown, *period_targets) if key[0] in dimensions}
        rows = [row(key, breakdown.get(key), period_targets.get(key)) for key in sorted(keys, key=order)]
        result.append(PeriodBreakdown(period=period, total=period_total, rows=rows))
    return result


def _key(row: Any) -> BreakdownKey:
    return (row.dimension_id, row.category_id, row.comune_id)


def indicator_family(indicator: Indicator) -> set[int]:
    """The indicator and every indicator that contributes to it, directly or through others. One query."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Indicator.objects.filter(plan_id=indicator.plan_id).values_list("pk", "contributes_to_id"):
        children[parent_id].append(pk)
    family: set[int] = set()
    pending = [indicator.pk]
    while pending:
        current = pending.pop()
        if current in family:
            continue
        family.add(current)
        pending.extend(children[current])
    return family


# Progress of the plan's elements -------------------------------------------


@dataclass
class ElementProgress:
    """A plan element's progress in percent (None: nothing to measure) and its children's."""

    element: Any
    progress: Decimal | None
    children: list[ElementProgress] = field(default_factory=list)


def plan_progress(*, plan: Plan) -> ElementProgress:
    """Progress of the plan, its themes, objectives and actions. Three queries.

    An action's progress comes from its status and milestones; an objective's
    is the mean of its actions' weighted by their weights; a theme's the mean
    of its objectives', the plan's the mean of its themes' (objectives and
    themes weigh the same).
    """
    actions = Action.objects.filter(objective__theme__plan=plan).annotate(
        milestone_count=Count("milestones"),
        completed_count=Count("milestones", filter=Q(milestones__completed_on__isnull=False)),
    )
    by_objective: dict[int, list[ElementProgress]] = defaultdict(list)
    weights: dict[int, Decimal] = {}
    for action in actions:
        weights[action.pk] = action.weight
        by_objective[action.objective_id].append(
            ElementProgress(
                element=action,
                progress=action_progress(
                    status=action.status, milestones=action.milestone_count, completed=action.completed_count
                ),
            )
        )
    by_theme: dict[int, list[ElementProgress]] = defaultdict(list)
    for objective in Objective.objects.filter(theme__plan=plan):
        children = by_objective[objective.pk]
        progress = weighted_progress((weights[child.element.pk], child.progress) for child in children)
        by_theme[objective.theme_id].append(ElementProgress(element=objective, progress=progress, children=children))
    themes = [
        ElementProgress(element=theme, progress=_mean(by_theme[theme.pk]), children=by_theme[theme.pk])
        for theme in Theme.objects.filter(plan=plan)
    ]
    return ElementProgress(element=plan, progress=_mean(themes), children=themes)


def _mean(children: Iterable[ElementProgress]) -> Decimal | None:
    return weighted_progress((Decimal(1), child.progress) for child in children)
