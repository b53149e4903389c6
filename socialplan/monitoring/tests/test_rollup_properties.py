"""Invariants of the roll-up, checked on generated data (hypothesis)."""

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from socialplan.monitoring.rollup import (
    STATUS_RANK,
    Amount,
    Contribution,
    ProgressStatus,
    period_totals,
    total,
    weighted_progress,
)
from socialplan.monitoring.rollup import assess as assess_status

progress_values = st.decimals(min_value=0, max_value=100, places=2)
weights = st.decimals(min_value=0, max_value=1000, places=2)
positive_weights = st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2)
parts = st.lists(st.tuples(weights, st.one_of(st.none(), progress_values)), min_size=1, max_size=12)
counts = st.decimals(min_value=0, max_value=10**9, places=2)


@given(parts)
def test_a_weighted_mean_lies_between_the_smallest_and_the_largest_progress(parts) -> None:
    result = weighted_progress(parts)
    counted = [progress for weight, progress in parts if progress is not None and weight > 0]
    if not counted:
        assert result is None
    else:
        assert min(counted) <= result <= max(counted)


@given(parts, positive_weights)
def test_scaling_every_weight_leaves_the_progress_unchanged(parts, factor) -> None:
    scaled = [(weight * factor, progress) for weight, progress in parts]
    assert weighted_progress(scaled) == weighted_progress(parts)


@given(parts, st.lists(st.one_of(st.none(), progress_values), max_size=5))
def test_children_of_weight_zero_change_nothing(parts, extra) -> None:
    assert weighted_progress([*parts, *((Decimal(0), progress) for progress in extra)]) == weighted_progress(parts)


@st.composite
def shares(draw) -> Amount:
    denominator = draw(st.decimals(min_value=Decimal("0.01"), max_value=10**9, places=2))
    numerator = draw(st.decimals(min_value=0, max_value=denominator, places=2))
    return Amount(numerator=numerator, denominator=denominator)


@given(st.lists(shares(), min_size=1, max_size=10))
def test_a_percentage_rolls_up_as_the_sum_of_numerators_over_the_sum_of_denominators(amounts) -> None:
    result = total(amounts)
    numerators = sum(amount.numerator for amount in amounts)
    denominators = sum(amount.denominator for amount in amounts)
    assert result.numerator == numerators
    assert result.denominator == denominators
    assert result.ratio() == numerators * 100 / denominators


@st.composite
def contributions(draw) -> list[Contribution]:
    values = draw(st.lists(counts, min_size=1, max_size=6))
    return [Contribution(amount=Amount(value=value)) for value in values]


@given(contributions(), st.data())
def test_adding_a_dimension_breakdown_never_changes_the_total(updates, data) -> None:
    before, _ = period_totals(updates)
    broken_down = [
        Contribution(
            amount=update.amount,
            breakdown={
                (dimension, category): Amount(value=data.draw(counts))
                for dimension in data.draw(st.sets(st.sampled_from(["sex", "age-band", "comune"])))
                for category in data.draw(st.sets(st.sampled_from(["a", "b", "c"]), min_size=1))
            },
        )
        for update in updates
    ]
    after, _ = period_totals(broken_down)
    assert after == before == total(update.amount for update in updates)


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
years = st.integers(min_value=2015, max_value=2030)


@given(
    increase=st.booleans(),
    baseline=values,
    baseline_year=years,
    elapsed=st.floats(min_value=0.01, max_value=15),
    with_target=st.booleans(),
    target=values,
    horizon=st.integers(min_value=1, max_value=15),
    growth_rate=st.booleans(),
    latest=st.lists(values, min_size=2, max_size=2),
)
def test_the_status_never_worsens_as_the_latest_value_improves(
    increase, baseline, baseline_year, elapsed, with_target, target, horizon, growth_rate, latest
) -> None:
    worse, better = sorted(latest) if increase else sorted(latest, reverse=True)

    def status(value: float) -> ProgressStatus:
        return assess_status(
            increase=increase,
            baseline=baseline,
            baseline_time=baseline_year + 1.0,
            latest=value,
            latest_time=baseline_year + 1.0 + elapsed,
            target=target if with_target else None,
            target_time=baseline_year + 1.0 + horizon if with_target else None,
            growth_rate=growth_rate,
        ).status

    first, second = status(worse), status(better)
    assume(ProgressStatus.NO_DATA not in (first, second))
    assert STATUS_RANK[first] <= STATUS_RANK[second]


@given(baseline=st.floats(min_value=0.01, max_value=1e6), latest=values, increase=st.booleans())
def test_no_data_depends_on_what_is_known_not_on_the_value(baseline, latest, increase) -> None:
    known = {"increase": increase, "baseline": baseline, "baseline_time": 2025.0, "latest_time": 2026.0}
    assert assess_status(latest=latest, **known).status != ProgressStatus.NO_DATA
    assert assess_status(latest=None, **known).status == ProgressStatus.NO_DATA
