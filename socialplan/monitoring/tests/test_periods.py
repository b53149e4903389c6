"""Periods: opened in a row by the managers, never overlapping."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from socialplan.monitoring.models import Indicator, Period
from socialplan.monitoring.services import create_periods


@pytest.mark.django_db
def test_semesters_end_on_the_last_day_of_their_month(torino, roles) -> None:
    indicator = Indicator.objects.get(plan=torino, code="sy-people-trained")
    periods = create_periods(indicator=indicator, user=roles.editor, start=date(2025, 8, 31), end=date(2026, 12, 31))
    assert [(period.start, period.end) for period in periods] == [
        (date(2025, 8, 31), date(2026, 2, 27)),
        (date(2026, 2, 28), date(2026, 8, 27)),
        (date(2026, 8, 28), date(2026, 12, 31)),
    ]
    assert periods[0].history.get().history_change_reason == "Period opened"


@pytest.mark.django_db
def test_quarters_of_a_year(torino, roles) -> None:
    indicator = Indicator.objects.get(plan=torino, code="sy-people-trained")
    periods = create_periods(
        indicator=indicator, user=roles.editor, start=date(2026, 1, 1), end=date(2026, 12, 31), months=3
    )
    assert [period.end for period in periods] == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
    ]


@pytest.mark.parametrize(
    ("start", "end", "months", "message"),
    [
        (date(2025, 6, 1), date(2025, 12, 31), 6, "overlaps the period 2025-01-01 - 2025-06-30"),
        (date(2027, 1, 1), date(2026, 12, 31), 6, "The end cannot precede the start"),
        (date(2027, 1, 1), date(2027, 12, 31), 0, "A period lasts at least one month"),
    ],
)
@pytest.mark.django_db
def test_bad_periods_are_refused_whole(hired, roles, start, end, months, message) -> None:
    before = list(Period.objects.filter(indicator=hired).values_list("start", "end"))
    with pytest.raises(ValidationError, match=message):
        create_periods(indicator=hired, user=roles.editor, start=start, end=end, months=months)
    assert list(Period.objects.filter(indicator=hired).values_list("start", "end")) == before
