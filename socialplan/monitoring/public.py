"""Reads behind the public monitoring pages: the plan overview and one page per indicator.

Built on selectors.py (approved values only, roll-ups in rollup.py); each read
costs a fixed number of queries whatever the number of indicators and values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.formats import date_format

from socialplan.plan.models import Action, Plan, Theme

from .charts import Chart, line_chart
from .models import Indicator, Update
from .rollup import ProgressStatus
from .selectors import (
    IndicatorProgress,
    PeriodBreakdown,
    indicator_breakdown,
    indicator_family,
    indicator_progress,
    plan_indicator_progress,
    plan_progress,
)

LATE_ACTIONS_SHOWN = 50
OPEN_STATUSES = (Action.Status.PLANNED, Action.Status.IN_PROGRESS, Action.Status.DELAYED)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


# The overview lists at most this many indicators per theme, those of the
# theme and its objectives first; the list of indicators has them all.
SHOWN_PER_THEME = 10
INDICATORS_PAGE_SIZE = 50


def level_order(item: IndicatorProgress) -> tuple[int, int, str]:
    """The plan's own indicators first, then the themes', the objectives' and the actions'."""
    indicator = item.indicator
    level = 3 if indicator.action_id else 2 if indicator.objective_id else 1 if indicator.theme_id else 0
    return (level, indicator.order, indicator.code)


@dataclass
class ThemeOverview:
    theme: Theme
    progress: Decimal | None
    actions: int
    indicators: list[IndicatorProgress] = field(default_factory=list)

    @property
    def shown(self) -> list[IndicatorProgress]:
        return sorted(self.indicators, key=level_order)[:SHOWN_PER_THEME]

    @property
    def more(self) -> int:
        return max(len(self.indicators) - SHOWN_PER_THEME, 0)


@dataclass
class Overview:
    plan: Plan
    progress: Decimal | None
    themes: list[ThemeOverview]
    action_statuses: list[StatusCount]
    indicator_statuses: list[StatusCount]
    late_actions: list[Action]
    late_count: int
    without_theme: list[IndicatorProgress]
    has_demo_values: bool

    @property
    def indicator_count(self) -> int:
        return len(self.without_theme) + sum(len(theme.indicators) for theme in self.themes)


def theme_of(indicator: Indicator) -> int | None:
    """The theme an indicator belongs to, through the element it measures; None for the plan as a whole."""
    if indicator.action_id:
        return indicator.action.objective.theme_id
    if indicator.objective_id:
        return indicator.objective.theme_id
    return indicator.theme_id


def overview(*, plan: Plan, today: date) -> Overview:
    """Progress per theme, actions by status, late actions and every indicator's status. Fifteen queries."""
    progress = plan_progress(plan=plan)
    indicators = plan_indicator_progress(plan=plan)
    by_theme: dict[int | None, list[IndicatorProgress]] = {}
    for item in indicators:
        by_theme.setdefault(theme_of(item.indicator), []).append(item)
    action_counts = dict(
        Action.objects.filter(objective__theme__plan=plan)
        .order_by()
        .values_list("objective__theme")
        .annotate(Count("pk"))
    )
    themes = [
        ThemeOverview(
            theme=child.element,
            progress=child.progress,
            actions=action_counts.get(child.element.pk, 0),
            indicators=by_theme.get(child.element.pk, []),
        )
        for child in progress.children
    ]
    statuses = Counter(
        dict(Action.objects.filter(objective__theme__plan=plan).order_by().values_list("status").annotate(Count("pk")))
    )
    late = (
        Action.objects.filter(objective__theme__plan=plan)
        .filter(Q(status=Action.Status.DELAYED) | Q(end_date__lt=today, status__in=OPEN_STATUSES))
        .select_related("objective__theme")
        .order_by("end_date", "code", "pk")
    )
    indicator_statuses = Counter(item.assessment.status for item in indicators)
    return Overview(
        plan=plan,
        progress=progress.progress,
        themes=themes,
        action_statuses=[StatusCount(value, str(label), statuses[value]) for value, label in Action.Status.choices],
        indicator_statuses=[
            StatusCount(value, str(label), indicator_statuses[value]) for value, label in ProgressStatus.choices
        ],
        late_actions=list(late[:LATE_ACTIONS_SHOWN]),
        late_count=late.count(),
        without_theme=by_theme.get(None, []),
        has_demo_values=Update.objects.filter(period__indicator__plan=plan, is_demo=True).exists(),
    )


@dataclass
class IndicatorPage:
    progress: IndicatorProgress
    breakdown: list[PeriodBreakdown]
    chart: Chart | None
    element: Any
    has_demo_values: bool

    @property
    def indicator(self) -> Indicator:
        return self.progress.indicator

    @property
    def dimensions(self) -> list[Any]:
        return list(self.indicator.dimensions.all())


def chart_of(progress: IndicatorProgress) -> Chart | None:
    """The chart of an indicator's values against its target and baseline: the page's and the report's."""
    values = [
        (date_format(point.period.end, "SHORT_DATE_FORMAT"), point.value)
        for point in progress.points
        if point.value is not None
    ]
    indicator = progress.indicator
    return line_chart(values, target=indicator.target_value, baseline=indicator.baseline_value)


def indicator_page(*, plan: Plan, code: str) -> IndicatorPage | None:
    """One indicator with its points, status, breakdown by period and chart; None when the plan has no such code."""
    indicator = (
        Indicator.objects.filter(plan=plan, code=code)
        .select_related("theme", "objective__theme", "action__objective__theme")
        .prefetch_related("dimensions")
        .first()
    )
    if indicator is None:
        return None
    family_ids = indicator_family(indicator)
    family = indicator_progress(plan=plan, indicator_ids=family_ids)
    progress = next(item for item in family if item.indicator.pk == indicator.pk)
    progress.indicator = indicator  # the copy with its element and dimensions loaded
    chart = chart_of(progress)
    element = indicator.element
    return IndicatorPage(
        progress=progress,
        # The breakdown is shown by dimension: without dimensions there is nothing to read.
        breakdown=indicator_breakdown(indicator=indicator) if indicator.dimensions.all() else [],
        chart=chart,
        element=element,
        has_demo_values=Update.objects.filter(period__indicator_id__in=family_ids, is_demo=True).exists(),
    )


@dataclass
class IndicatorList:
    """Every indicator of the plan, or those of a theme or with a status, in the overview's order."""

    items: list[IndicatorProgress]
    themes: list[Theme]
    theme: Theme | None
    status: str


def indicator_list(*, plan: Plan, theme_code: str = "", status: str = "") -> IndicatorList:
    """The plan's indicators filtered by theme code and status; unknown values filter nothing. Three queries more
    than `indicator_progress` (kept per content version)."""
    themes = list(Theme.objects.filter(plan=plan).order_by("order", "code"))
    theme = next((item for item in themes if item.code == theme_code), None)
    status = status if status in ProgressStatus.values else ""
    items = [
        item
        for item in plan_indicator_progress(plan=plan)
        if (theme is None or theme_of(item.indicator) == theme.pk) and (not status or item.assessment.status == status)
    ]
    order = {item.pk: position for position, item in enumerate(themes)}
    items.sort(key=lambda item: (order.get(theme_of(item.indicator) or 0, -1), *level_order(item)))
    return IndicatorList(items=items, themes=themes, theme=theme, status=status)


def element_indicators(*, plan: Plan, element: Any) -> list[IndicatorProgress]:
    """The indicators that measure a theme, objective or action itself, with their status (kept per content version)."""
    field = f"{element._meta.model_name}_id"
    return sorted(
        (item for item in plan_indicator_progress(plan=plan) if getattr(item.indicator, field) == element.pk),
        key=level_order,
    )
