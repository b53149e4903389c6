"""The roll-up rules on the worked example of docs/monitoring.md, and their edge cases."""

from datetime import date
from decimal import Decimal

import pytest

from socialplan.monitoring.rollup import (
    Amount,
    Contribution,
    Method,
    Observation,
    ProgressStatus,
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

D = Decimal
H1, H2 = date(2025, 6, 30), date(2025, 12, 31)


def ratio(numerator: int, denominator: int) -> Amount:
    return Amount(numerator=D(numerator), denominator=D(denominator))


def test_percentages_pool_numerators_and_denominators() -> None:
    """Two buyers: 30% of 1M and 3.3% of 3M make 10% of 4M, not their mean (16.7%) or sum (33.3%)."""
    first_semester = total([ratio(300_000, 1_000_000), ratio(100_000, 3_000_000)])
    assert first_semester == ratio(400_000, 4_000_000)
    assert first_semester.ratio() == 10
    series = Series(
        cumulative=True,
        observations=[Observation(H1, first_semester), Observation(H2, ratio(200_000, 1_000_000))],
    )
    assert value_to_date(series, on=H2, percentage=True, scale=100, baseline=D(8)) == 12  # 600k of 5M


def test_a_rate_per_ten_thousand() -> None:
    assert ratio(48, 120_000).ratio(scale=10_000) == 4


def test_cumulative_counts_add_up_from_the_baseline_and_levels_carry_forward() -> None:
    observations = [Observation(H1, Amount(value=D(14))), Observation(H2, Amount(value=D(40)))]
    flows = Series(cumulative=True, observations=observations)
    levels = Series(cumulative=False, observations=observations)
    assert value_to_date(flows, on=H2, percentage=False, scale=100, baseline=D(5)) == 59
    assert value_to_date(levels, on=H2, percentage=False, scale=100, baseline=D(5)) == 40
    assert value_to_date(levels, on=date(2025, 9, 30), percentage=False, scale=100, baseline=None) == 14
    assert value_to_date(levels, on=date(2025, 1, 31), percentage=False, scale=100, baseline=None) is None


def test_contributing_indicators_add_their_reported_amounts() -> None:
    """An objective's indicator adds up its actions' indicators, each aggregated by its own rule."""
    action_a = Series(
        cumulative=True, observations=[Observation(H1, Amount(value=D(3))), Observation(H2, Amount(value=D(4)))]
    )
    action_b = Series(cumulative=True, observations=[Observation(H2, Amount(value=D(10)))])
    objective = Series(
        cumulative=True, observations=[Observation(H2, Amount(value=D(1)))], contributions=[action_a, action_b]
    )
    assert reported_to_date(objective, on=H1) == Amount(value=D(3))
    assert reported_to_date(objective, on=H2) == Amount(value=D(18))
    assert objective.has_data_between(date(2025, 1, 1), H1)
    assert not Series(cumulative=True, contributions=[action_b]).has_data_between(date(2025, 1, 1), H1)


def test_a_breakdown_is_never_added_to_the_total() -> None:
    """14 people hired, 8 women and 6 men, 9 under 35: the total stays 14, not 28 or 37."""
    update = Contribution(
        amount=Amount(value=D(14)),
        breakdown={
            ("sex", "female"): Amount(value=D(8)),
            ("sex", "male"): Amount(value=D(6)),
            ("age", "15-24"): Amount(value=D(5)),
            ("age", "25-34"): Amount(value=D(4)),
            ("age", "35-64"): Amount(value=D(5)),
        },
    )
    other = Contribution(amount=Amount(value=D(6)), breakdown={("sex", "female"): Amount(value=D(6))})
    period_total, breakdown = period_totals([update, other])
    assert period_total == Amount(value=D(20))
    assert breakdown[("sex", "female")] == Amount(value=D(14))
    assert period_totals([]) == (None, {})


def test_action_progress_from_status_and_milestones() -> None:
    assert action_progress(status="done", milestones=4, completed=1) == 100
    assert action_progress(status="cancelled", milestones=4, completed=4) is None
    assert action_progress(status="in_progress", milestones=4, completed=1) == 25
    assert action_progress(status="delayed", milestones=0, completed=0) == 0


def test_parent_progress_divides_by_the_total_weight() -> None:
    """Done (weight 2), a quarter done (1), cancelled (1), planned with weight 0: (2x100 + 1x25) / 3 = 75."""
    parts = [
        (D(2), action_progress(status="done", milestones=0, completed=0)),
        (D(1), action_progress(status="in_progress", milestones=4, completed=1)),
        (D(1), action_progress(status="cancelled", milestones=2, completed=0)),
        (D(0), action_progress(status="planned", milestones=0, completed=0)),
    ]
    assert weighted_progress(parts) == 75
    assert weighted_progress([(D(0), D(50))]) is None
    assert weighted_progress([]) is None
    with pytest.raises(ValueError, match="negative"):
        weighted_progress([(D(-1), D(50))])


def test_dates_as_years() -> None:
    assert year_fraction(date(2025, 12, 31)) == end_of_year(2025) == 2026.0
    assert year_fraction(date(2025, 6, 30)) == pytest.approx(2025.4959, abs=1e-4)


def partners(latest: float, day: date, **options) -> object:
    """Organizations engaged: 40 at the end of 2024, 100 wanted by the end of 2027."""
    return assess(
        increase=True,
        baseline=40.0,
        baseline_time=end_of_year(2024),
        latest=latest,
        latest_time=year_fraction(day),
        target=100.0,
        target_time=end_of_year(2027),
        **options,
    )


def test_status_by_the_growth_rate() -> None:
    """Required growth (100/40)^(1/3) - 1 = 35.7% a year."""
    half_year = partners(45.0, H1)  # (45/40)^(1/0.496) - 1 = 26.8%; R = 0.75
    assert (half_year.status, half_year.method) == (ProgressStatus.MODERATE_PROGRESS, Method.GROWTH_RATE)
    assert half_year.ratio == pytest.approx(0.7505, abs=1e-4)
    year = partners(64.0, H2)  # 60% in a year; R = 1.68
    assert year.status == ProgressStatus.ON_TRACK
    assert year.ratio == pytest.approx(1.6797, abs=1e-4)
    assert partners(42.0, H2).status == ProgressStatus.INSUFFICIENT_PROGRESS  # 5%: R = 0.14
    assert partners(38.0, H2).status == ProgressStatus.DETERIORATION
    assert partners(100.0, H2).status == ProgressStatus.TARGET_ACHIEVED


def test_status_thresholds_are_configurable(settings) -> None:
    assert partners(45.0, H1, thresholds=Thresholds(high=0.7, medium=0.5, low=0)).status == ProgressStatus.ON_TRACK
    settings.MONITORING_PROGRESS_THRESHOLDS = {"target": (0.8, 0.76, 0.1)}
    assert partners(45.0, H1).status == ProgressStatus.INSUFFICIENT_PROGRESS


def test_a_zero_baseline_uses_linear_rates() -> None:
    """People hired: 0 in 2024, 300 wanted by 2027, 54 by the end of 2025: 54 a year against 100 needed."""
    result = assess(
        increase=True,
        baseline=0.0,
        baseline_time=end_of_year(2024),
        latest=54.0,
        latest_time=year_fraction(H2),
        target=300.0,
        target_time=end_of_year(2027),
    )
    assert (result.status, result.method, result.ratio) == (ProgressStatus.INSUFFICIENT_PROGRESS, Method.LINEAR, 0.54)


def test_without_a_target_the_annual_growth_decides() -> None:
    def trend(latest: float, **options) -> ProgressStatus:
        return assess(
            increase=True, baseline=40.0, baseline_time=2025.0, latest=latest, latest_time=2026.0, **options
        ).status

    assert trend(41.0) == ProgressStatus.ON_TRACK  # +2.5% a year
    assert trend(40.4) == ProgressStatus.MODERATE_PROGRESS  # +1%
    assert trend(40.1) == ProgressStatus.INSUFFICIENT_PROGRESS  # +0.25%
    assert trend(39.0) == ProgressStatus.DETERIORATION
    assert trend(41.0, growth_rate=False) == ProgressStatus.NO_DATA


def test_lower_is_better() -> None:
    result = assess(
        increase=False,
        baseline=40.0,
        baseline_time=2025.0,
        latest=41.0,
        latest_time=2026.0,
        target=20.0,
        target_time=2028.0,
    )
    assert result.status == ProgressStatus.DETERIORATION
    assert (
        assess(
            increase=False,
            baseline=40.0,
            baseline_time=2025.0,
            latest=19.0,
            latest_time=2026.0,
            target=20.0,
            target_time=2028.0,
        ).status
        == ProgressStatus.TARGET_ACHIEVED
    )


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"baseline": None}, "no baseline"),
        ({"latest": None}, "no approved value"),
        ({"latest_time": 2025.0}, "no approved value after the baseline"),
        ({"target_time": 2024.0}, "the target year does not follow the baseline year"),
        ({"baseline": 0.0, "target": None}, "needs a positive baseline"),
    ],
)
def test_no_data(options, reason) -> None:
    arguments = {
        "increase": True,
        "baseline": 40.0,
        "baseline_time": 2025.0,
        "latest": 50.0,
        "latest_time": 2026.0,
        "target": 100.0,
        "target_time": 2028.0,
        **options,
    }
    result = assess(**arguments)
    assert result.status == ProgressStatus.NO_DATA
    assert reason in result.reason


def test_a_target_equal_to_the_baseline() -> None:
    """Keep 40: holding it is achieved, falling below is a deterioration (no growth is required)."""
    keep = {
        "increase": True,
        "baseline": 40.0,
        "baseline_time": 2025.0,
        "latest_time": 2026.0,
        "target": 40.0,
        "target_time": 2028.0,
    }
    assert assess(latest=40.0, **keep).status == ProgressStatus.TARGET_ACHIEVED
    result = assess(latest=39.0, **keep)
    assert (result.status, result.ratio) == (ProgressStatus.DETERIORATION, None)
