"""Reads of the territory: comuni and population totals, aggregated in the database.

Every total is one query whatever the number of comuni. Under-35 is the sum
of the bands that end before 35 (fileformat.UNDER_35_BANDS), so later
roll-ups (e.g. the comuni an action reaches) reuse `under_35()` in their own
annotations and aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, FloatField, QuerySet, Sum, Value
from django.db.models.functions import Cast, NullIf

from .fileformat import AGE_BANDS, SEXES, UNDER_35_BANDS, AgeBand, population_field
from .models import Comune, Territory, sum_fields


def under_35() -> Any:
    """The expression of a comune's residents under 35, both sexes."""
    return sum_fields(*(population_field(band, sex) for band in UNDER_35_BANDS for sex in SEXES))


def _share(part: Any, whole: Any) -> Any:
    """part / whole as a float in the database; None where the whole is 0 (no division by zero)."""
    return Cast(part, FloatField()) / NullIf(Cast(whole, FloatField()), Value(0.0))


def territory_by_code(*, code: str) -> Territory:
    return Territory.objects.get(code=code.upper())


def comuni_of(*, territory: Territory, with_boundary: bool = False) -> QuerySet[Comune]:
    """The territory's comuni by name, with `population_under_35` and `under_35_share` annotated.

    Boundaries are the heavy column (kilobytes a comune): only maps ask for them.
    """
    queryset = Comune.objects.filter(territory=territory).annotate(
        population_under_35=under_35(),
        under_35_share=_share(under_35(), "population_total"),
    )
    return queryset if with_boundary else queryset.defer("boundary")


@dataclass(frozen=True)
class PopulationTotals:
    comuni: int
    population: int
    male: int
    female: int
    under_35: int
    under_35_share: float | None


def territory_totals(*, territory: Territory) -> PopulationTotals:
    totals = Comune.objects.filter(territory=territory).aggregate(
        comuni=Count("pk"),
        population=Sum("population_total", default=0),
        male=Sum("population_male", default=0),
        female=Sum("population_female", default=0),
        under_35=Sum(under_35(), default=0),
        under_35_share=_share(Sum(under_35()), Sum("population_total")),
    )
    return PopulationTotals(**totals)


@dataclass(frozen=True)
class BandTotals:
    band: AgeBand
    male: int
    female: int

    @property
    def total(self) -> int:
        return self.male + self.female


def population_by_age_band(*, territory: Territory) -> list[BandTotals]:
    """The territory's residents by age band and sex, in band order."""
    sums = Comune.objects.filter(territory=territory).aggregate(
        **{
            population_field(band, sex): Sum(population_field(band, sex), default=0)
            for band in AGE_BANDS
            for sex in SEXES
        }
    )
    return [
        BandTotals(band=band, male=sums[population_field(band, "male")], female=sums[population_field(band, "female")])
        for band in AGE_BANDS
    ]
