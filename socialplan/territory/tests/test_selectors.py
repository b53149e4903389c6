"""Population totals and under-35 shares, computed in the database in one query."""

from typing import Any

import pytest

from socialplan.territory.models import Territory
from socialplan.territory.selectors import comuni_of, population_by_age_band, territory_totals

UNDER_35 = ("0_14", "15_24", "25_34")


def under_35_in(properties: dict[str, Any]) -> int:
    return sum(sum(properties["population"]["by_age"][band].values()) for band in UNDER_35)


@pytest.mark.django_db
def test_totals_of_the_territory_match_the_file(
    turin: Territory, to_document: dict[str, Any], django_assert_num_queries
) -> None:
    comuni = [feature["properties"] for feature in to_document["features"]]
    with django_assert_num_queries(1):
        totals = territory_totals(territory=turin)
    assert totals.comuni == 312
    assert totals.population == sum(c["population"]["total"] for c in comuni)
    assert totals.male + totals.female == totals.population
    assert totals.under_35 == sum(under_35_in(c) for c in comuni)
    assert totals.under_35_share == pytest.approx(totals.under_35 / totals.population)
    assert 0.25 < totals.under_35_share < 0.40


@pytest.mark.django_db
def test_bands_of_the_territory_sum_to_its_population(turin: Territory, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        bands = population_by_age_band(territory=turin)
    assert [b.band.label for b in bands] == ["0-14", "15-24", "25-34", "35-64", "65+"]
    assert sum(b.total for b in bands) == territory_totals(territory=turin).population


@pytest.mark.django_db
def test_comuni_carry_their_under_35_share_and_leave_boundaries_behind(turin: Territory) -> None:
    comuni = comuni_of(territory=turin)
    torino = comuni.get(istat_code="001272")
    assert torino.under_35_share == pytest.approx(torino.population_under_35 / torino.population_total)
    assert "boundary" in torino.get_deferred_fields()
    assert "boundary" not in comuni_of(territory=turin, with_boundary=True).first().get_deferred_fields()
    youngest = comuni.order_by("-under_35_share").first()
    assert youngest.under_35_share >= torino.under_35_share
    assert comuni.filter(population_under_35__gt=100_000).count() == 1


@pytest.mark.django_db
def test_an_empty_territory_has_no_share() -> None:
    empty = Territory.objects.create(
        code="XX",
        istat_code="999",
        name="Vuoto",
        kind="province",
        region="-",
        reference_year=2023,
        source="-",
        licence="CC-BY-4.0",
        attribution="-",
    )
    totals = territory_totals(territory=empty)
    assert (totals.comuni, totals.population, totals.under_35, totals.under_35_share) == (0, 0, 0, None)
