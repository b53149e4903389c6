"""Roll-up and progress: pure functions over plain values, so that their invariants can be property-tested.

The rules are explained, with a worked example, in docs/monitoring.md:

- only approved updates count (the selectors pass nothing else here);
- a total is the sum of values, or for a percentage the sum of numerators
  over the sum of denominators - never a sum or mean of percentages;
- a breakdown by dimension sits beside a total and is never added to it;
- a cumulative indicator adds its periods up, any other takes the latest;
- an indicator that others contribute to adds their reported amounts to its own;
- action progress comes from its status and milestones, a parent's progress
  is sum(weight x progress) / sum(weight);
- an indicator's status against its target follows Open SDG's growth-rate
  method (Statistics Canada's progress measure), with configurable thresholds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Amount:
    """A reported quantity: a value, or for a percentage a numerator and a denominator."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    def __add__(self, other: Amount) -> Amount:
        return Amount(
            value=_add(self.value, other.value),
            numerator=_add(self.numerator, other.numerator),
            denominator=_add(self.denominator, other.denominator),
        )

    @property
    def is_empty(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None

    def ratio(self, *, scale: int = 100) -> Decimal | None:
        """numerator / denominator x scale; None when there is no denominator to divide by."""
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator * scale / self.denominator


def _add(left: Decimal | None, right: Decimal | None) -> Decimal | None:
    if left is None:
        return right
    if right is None:
        return left
    return left + right


def total(amounts: Iterable[Amount]) -> Amount | None:
    """The sum of the amounts, component by component; None when there is nothing to add.

    Numerators and denominators add up separately, so the total of two
    percentages is their pooled ratio (30/100 and 10/300 give 40/400, 10%),
    not the sum or the mean of 30% and 3.3%.
    """
    result: Amount | None = None
    for amount in amounts:
        if amount.is_empty:
            continue
        result = amount if result is None else result + amount
    return result


@dataclass(frozen=True)
class Contribution:
    """One approved update: its total and its breakdown, category key -> amount."""

    amount: Amount
    breakdown: dict[Any, Amount] = field(default_factory=dict)


def period_totals(contributions: Iterable[Contribution]) -> tuple[Amount | None, dict[Any, Amount]]:
    """A period's total and its breakdown by category, from its approved updates.

    The total is the sum of the updates' totals only: breakdown rows are
    summed per category on the side and never reach the total, so breaking a
    figure down by sex and by age band does not count anyone twice.
    """
    contributions = list(contributions)
    breakdown: dict[Any, list[Amount]] = defaultdict(list)
    for contribution in contributions:
        for key, amount in contribution.breakdown.items():
            breakdown[key].append(amount)
    summed = {key: result for key, amounts in breakdown.items() if (result := total(amounts)) is not None}
    return total(contribution.amount for contribution in contributions), summed


@dataclass(frozen=True)
class Observation:
    """The approved total of one period, dated by the period's end."""

    end: date
    amount: Amount


@dataclass(frozen=True)
class Series:
    """An indicator's approved observations, and those of the indicators that contribute to it."""

    cumulative: bool
    observations: Sequence[Observation] = ()
    contributions: Sequence[Series] = ()

    def has_data_between(self, start: date, end: date) -> bool:
        return any(start <= item.end <= end for item in self.observations) or any(
            child.has_data_between(start, end) for child in self.contributions
        )


def reported_to_date(series: Series, *, on: date) -> Amount | None:
    """What was reported up to `on`, contributions included.

    Cumulative: the sum of every period ended by then. Otherwise: the latest
    period ended by then (a level, carried forward until the next report).
    """
    known = [item for item in series.observations if item.end <= on]
    if series.cumulative:
        own = total(item.amount for item in known)
    else:
        own = max(known, key=lambda item: item.end).amount if known else None
    parts = [own, *(reported_to_date(child, on=on) for child in series.contributions)]
    return total(part for part in parts if part is not None)


def value_to_date(
    series: Series, *, on: date, percentage: bool, scale: int, baseline: Decimal | None
) -> Decimal | None:
    """The indicator's value at `on`, in its unit.

    A cumulative count or amount starts from its baseline (the running total
    at the baseline year, usually 0) and adds what was reported since. A
    percentage is the pooled numerator over the pooled denominator: its
    baseline is a percentage with no numerator or denominator of its own, so
    it is compared with, never added to, what is reported.
    """
    amount = reported_to_date(series, on=on)
    if amount is None:
        return None
    if percentage:
        return amount.ratio(scale=scale)
    if amount.value is None:
        return None
    if series.cumulative and baseline is not None:
        return baseline + amount.value
    return amount.value


# Progress of actions and of the elements above them -----------------------


ACTION_DONE = "done"
ACTION_CANCELLED = "cancelled"


def action_progress(*, status: str, milestones: int, completed: int) -> Decimal | None:
    """An action's progress in percent, from its status and its milestones.

    Done: 100. Cancelled: no progress (None), so it weighs nothing in its
    objective. Otherwise the share of completed milestones, or 0 for an action
    without milestones: its progress shows only once it is done.
    """
    if status == ACTION_DONE:
        return HUNDRED
    if status == ACTION_CANCELLED:
        return None
    if milestones <= 0:
        return Decimal(0)
    return HUNDRED * min(completed, milestones) / milestones


def weighted_progress(parts: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """sum(weight x progress) / sum(weight) over the (weight, progress) parts.

    Parts without progress (cancelled actions, empty elements) and parts of
    weight 0 are left out. With no weight left there is no progress (None),
    not a division by zero. Unlike Decidim's accountability, the sum is
    divided by the total weight, so the result always lies between the
    smallest and the largest progress of the parts.
    """
    weighted = Decimal(0)
    total_weight = Decimal(0)
    for weight, progress in parts:
        if weight < 0:
            raise ValueError("A weight cannot be negative.")
        if progress is None or weight == 0:
            continue
        weighted += weight * progress
        total_weight += weight
    if total_weight == 0:
        return None
    return weighted / total_weight


# Status against the target: Open SDG's growth-rate method -----------------


class ProgressStatus(models.TextChoices):
    """The issue's six statuses; Open SDG's names in the comments."""

    TARGET_ACHIEVED = "target_achieved", _("Target achieved")  # target_achieved
    ON_TRACK = "on_track", _("On track")  # substantial_progress
    MODERATE_PROGRESS = "moderate_progress", _("Moderate progress")  # moderate_progress
    INSUFFICIENT_PROGRESS = "insufficient_progress", _("Insufficient progress")  # limited_progress
    DETERIORATION = "deterioration", _("Deterioration")  # deterioration
    NO_DATA = "no_data", _("No data")  # not_available


# Higher is better: used to compare statuses (no data has no rank).
STATUS_RANK = {
    ProgressStatus.DETERIORATION: 0,
    ProgressStatus.INSUFFICIENT_PROGRESS: 1,
    ProgressStatus.MODERATE_PROGRESS: 2,
    ProgressStatus.ON_TRACK: 3,
    ProgressStatus.TARGET_ACHIEVED: 4,
}


@dataclass(frozen=True)
class Thresholds:
    """Lower bounds of on track, moderate progress and insufficient progress; below `low`: deterioration."""

    high: float
    medium: float
    low: float


# Open SDG's defaults: the ratio of observed to required growth with a target,
# the annual growth rate without one.
TARGET_THRESHOLDS = Thresholds(high=0.95, medium=0.6, low=0.0)
TREND_THRESHOLDS = Thresholds(high=0.015, medium=0.005, low=0.0)


def default_thresholds(*, with_target: bool) -> Thresholds:
    """The platform's thresholds: settings.MONITORING_PROGRESS_THRESHOLDS may override Open SDG's.

    The setting is a dict with the keys "target" and/or "trend", each a
    (high, medium, low) triple.
    """
    configured = getattr(settings, "MONITORING_PROGRESS_THRESHOLDS", {}) or {}
    key = "target" if with_target else "trend"
    if key in configured:
        high, medium, low = configured[key]
        return Thresholds(high=float(high), medium=float(medium), low=float(low))
    return TARGET_THRESHOLDS if with_target else TREND_THRESHOLDS


class Method(models.TextChoices):
    GROWTH_RATE = "growth_rate", _("compound annual growth rate")
    LINEAR = "linear", _("linear rate")
    NONE = "", _("none")


@dataclass(frozen=True)
class Assessment:
    status: ProgressStatus
    # With a target: observed over required growth (Open SDG's R). Without
    # one: the observed annual growth in the desired direction. None when it
    # cannot be computed.
    ratio: float | None = None
    method: Method = Method.NONE
    reason: str = ""


def year_fraction(day: date) -> float:
    """A date as a year with a fraction: 31 December 2025 is 2026.0, 30 June 2026 about 2026.5."""
    start = date(day.year, 1, 1)
    days_in_year = (date(day.year + 1, 1, 1) - start).days
    return day.year + ((day - start).days + 1) / days_in_year


def end_of_year(year: int) -> float:
    """A baseline or target year stands for the state at the end of that year."""
    return float(year + 1)


def assess(
    *,
    increase: bool,
    baseline: float | None,
    baseline_time: float | None,
    latest: float | None,
    latest_time: float | None,
    target: float | None = None,
    target_time: float | None = None,
    growth_rate: bool = True,
    thresholds: Thresholds | None = None,
) -> Assessment:
    """The status of an indicator against its target, as Open SDG computes it.

    Times are years with a fraction (see year_fraction). With a target, the
    observed compound annual growth rate from the baseline to the latest value
    is divided by the rate needed to reach the target on time:
    R = d x CAGR_observed / |CAGR_required|, d = +1 when higher is better,
    -1 otherwise; R >= high: on track, >= medium: moderate progress, >= low:
    insufficient progress, below: deterioration; a value that reaches the
    target is "target achieved". Without a target, d x CAGR_observed itself
    is compared with the trend thresholds (1.5%, 0.5%, 0 a year).

    The growth rate needs positive values. Where the baseline or the target is
    0 or negative, and for qualitative scales (`growth_rate=False`), the same
    ratio is taken of linear rates: (latest - baseline) / elapsed years over
    (target - baseline) / years to the target. Open SDG replaces a zero
    baseline with 0.001, which makes any increase look on track; the linear
    rate does not. Without a target such an indicator gets no status.

    Each threshold is turned into the value that reaches it, and the latest
    value is compared with those values: the status can only improve as the
    latest value improves, whatever the rounding of powers.
    """
    if baseline is None or baseline_time is None:
        return Assessment(ProgressStatus.NO_DATA, reason=gettext_noop("no baseline"))
    if latest is None or latest_time is None:
        return Assessment(ProgressStatus.NO_DATA, reason=gettext_noop("no approved value"))
    elapsed = latest_time - baseline_time
    if elapsed <= 0:
        return Assessment(ProgressStatus.NO_DATA, reason=gettext_noop("no approved value after the baseline"))
    sign = 1 if increase else -1
    with_target = target is not None and target_time is not None
    if with_target:
        assert target is not None and target_time is not None
        horizon = target_time - baseline_time
        if horizon <= 0:
            return Assessment(
                ProgressStatus.NO_DATA, reason=gettext_noop("the target year does not follow the baseline year")
            )
        use_growth = growth_rate and baseline > 0 and target > 0
        required = abs(_annual_rate(start=baseline, end=target, years=horizon, growth=use_growth))
    else:
        use_growth = growth_rate and baseline > 0
        if not use_growth:
            return Assessment(
                ProgressStatus.NO_DATA,
                reason=gettext_noop("without a target, progress is a growth rate, which needs a positive baseline"),
            )
        required = 1.0
    limits = thresholds or default_thresholds(with_target=with_target)
    method = Method.GROWTH_RATE if use_growth else Method.LINEAR

    def reaching(threshold: float) -> float:
        """The latest value at which R equals `threshold`."""
        if use_growth:
            growth = 1 + sign * threshold * required
            return baseline * _power(growth, elapsed) if growth >= 0 else -math.inf
        return baseline + sign * threshold * required * elapsed

    observed = _annual_rate(start=baseline, end=latest, years=elapsed, growth=use_growth)
    # Open SDG's R (without a target, the annual growth in the desired direction), for people to read.
    ratio = sign * observed / required if required else None
    if with_target and sign * (latest - target) >= 0:  # type: ignore[operator]
        return Assessment(ProgressStatus.TARGET_ACHIEVED, ratio=ratio, method=method)
    for status, threshold in (
        (ProgressStatus.ON_TRACK, limits.high),
        (ProgressStatus.MODERATE_PROGRESS, limits.medium),
        (ProgressStatus.INSUFFICIENT_PROGRESS, limits.low),
    ):
        if sign * latest >= sign * reaching(threshold):
            return Assessment(status, ratio=ratio, method=method)
    return Assessment(ProgressStatus.DETERIORATION, ratio=ratio, method=method)


def _annual_rate(*, start: float, end: float, years: float, growth: bool) -> float:
    """From `start` to `end` in `years`: the compound annual growth rate, or the change per year (linear).

    The growth rate treats a value below 0 as 0 (a fall of 100%).
    """
    if growth:
        return _power(max(end, 0.0) / start, 1 / years) - 1
    return (end - start) / years


def _power(base: float, exponent: float) -> float:
    """base ** exponent for base >= 0, infinite rather than an error when it overflows."""
    try:
        return float(base**exponent)
    except OverflowError:
        return math.inf
