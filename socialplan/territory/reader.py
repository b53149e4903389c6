"""Read and check a territory file with the json module alone.

The whole file is checked before anything is written: every problem is
collected with the file, the feature's index in `features`, the field and
the reason, so that one run tells everything that is wrong. The result maps
straight onto the models' fields.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fileformat import AGE_BANDS, FORMAT, FORMAT_VERSION, KINDS, SEXES, population_field

MAX_PROBLEMS_SHOWN = 20
ISTAT_CODE = re.compile(r"^\d{6}$")
PROVINCE_ISTAT_CODE = re.compile(r"^\d{3}$")
TERRITORY_CODE = re.compile(r"^[A-Z]{2}$")
CADASTRAL_CODE = re.compile(r"^[A-Z]\d{3}$")


@dataclass(frozen=True)
class FileProblem:
    file: str
    feature: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"features[{self.feature}]" if self.feature is not None else "file"
        return f"{self.file}, {where}, {self.field or '(whole)'}: {self.reason}"


class TerritoryFileError(ValueError):
    """The file cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {problem}" for problem in problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        suffix = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"The territory file is not valid ({len(problems)} problems):\n{shown}{suffix}")


@dataclass(frozen=True)
class ComuneRecord:
    """One feature, as Comune field values; `index` is its place in `features`."""

    index: int
    values: dict[str, Any]


@dataclass(frozen=True)
class TerritoryFile:
    path: Path
    territory: dict[str, Any]
    comuni: list[ComuneRecord] = field(default_factory=list)


def read_territory_file(path: Path) -> TerritoryFile:
    """Parse and check `path`; raise TerritoryFileError listing every problem."""
    checker = _Checker(file=str(path))
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TerritoryFileError([FileProblem(str(path), None, "", f"cannot be read: {error.strerror}")]) from error
    except UnicodeDecodeError as error:
        raise TerritoryFileError([FileProblem(str(path), None, "", f"is not UTF-8: {error.reason}")]) from error
    except json.JSONDecodeError as error:
        reason = f"is not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        raise TerritoryFileError([FileProblem(str(path), None, "", reason)]) from error
    territory, features = checker.collection(document)
    comuni = [record for index, item in enumerate(features) if (record := checker.feature(index, item))]
    checker.unique(comuni, "istat_code", "properties.istat_code")
    checker.unique(comuni, "cadastral_code", "properties.cadastral_code")
    if territory is not None and territory["_comuni"] != len(features):
        checker.problem(None, "metadata.comuni", f"says {territory['_comuni']}, the file has {len(features)}")
    if checker.problems:
        raise TerritoryFileError(checker.problems)
    assert territory is not None  # no problems means the metadata was read
    territory.pop("_comuni")
    return TerritoryFile(path=path, territory=territory, comuni=comuni)


@dataclass
class _Checker:
    file: str
    problems: list[FileProblem] = field(default_factory=list)

    def problem(self, feature: int | None, name: str, reason: str) -> None:
        self.problems.append(FileProblem(self.file, feature, name, reason))

    def collection(self, document: Any) -> tuple[dict[str, Any] | None, list[Any]]:
        if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
            self.problem(None, "type", "must be a GeoJSON FeatureCollection")
            return None, []
        features = document.get("features")
        if not isinstance(features, list):
            self.problem(None, "features", "must be a list")
            features = []
        metadata = document.get("metadata")
        if not isinstance(metadata, dict):
            self.problem(None, "metadata", "is missing: source, licence and attribution must travel with the data")
            return None, features
        return self.metadata(metadata), features

    def metadata(self, metadata: dict[str, Any]) -> dict[str, Any] | None:
        before = len(self.problems)
        if metadata.get("format") != FORMAT or metadata.get("format_version") != FORMAT_VERSION:
            self.problem(None, "metadata.format", f"must be {FORMAT!r} version {FORMAT_VERSION}")
        if metadata.get("age_bands") != [band.as_json() for band in AGE_BANDS]:
            bands = ", ".join(band.label for band in AGE_BANDS)
            self.problem(None, "metadata.age_bands", f"must be the platform's bands {bands}")
        territory = metadata.get("territory")
        if not isinstance(territory, dict):
            self.problem(None, "metadata.territory", "must be an object")
            territory = {}
        values = {
            "code": self.text(None, territory, "code", prefix="metadata.territory.", pattern=TERRITORY_CODE),
            "istat_code": self.text(
                None, territory, "istat_code", prefix="metadata.territory.", pattern=PROVINCE_ISTAT_CODE
            ),
            "kind": self.text(None, territory, "kind", prefix="metadata.territory.", choices=KINDS),
            "name_it": self.text(None, territory, "name_it", prefix="metadata.territory.", max_length=200),
            "name_en": self.text(None, territory, "name_en", prefix="metadata.territory.", max_length=200),
            "region": self.text(None, territory, "region", prefix="metadata.territory.", max_length=100),
            "reference_year": self.integer(None, metadata, "reference_year", prefix="metadata.", low=1900, high=2100),
            "source": self.text(None, metadata, "source", prefix="metadata."),
            "source_url": self.text(None, metadata, "source_url", prefix="metadata.", required=False),
            "licence": self.text(None, metadata, "licence", prefix="metadata.", max_length=40),
            "licence_url": self.text(None, metadata, "licence_url", prefix="metadata.", required=False),
            "attribution_it": self.text(None, metadata, "attribution_it", prefix="metadata."),
            "attribution_en": self.text(None, metadata, "attribution_en", prefix="metadata."),
            "_comuni": self.integer(None, metadata, "comuni", prefix="metadata.", low=1),
        }
        return values if len(self.problems) == before else None

    def feature(self, index: int, item: Any) -> ComuneRecord | None:
        before = len(self.problems)
        if not isinstance(item, dict) or item.get("type") != "Feature":
            self.problem(index, "type", "must be a GeoJSON Feature")
            return None
        properties = item.get("properties")
        if not isinstance(properties, dict):
            self.problem(index, "properties", "must be an object")
            return None
        values: dict[str, Any] = {
            "istat_code": self.text(index, properties, "istat_code", pattern=ISTAT_CODE),
            "name": self.text(index, properties, "name", max_length=100),
            "cadastral_code": self.text(index, properties, "cadastral_code", pattern=CADASTRAL_CODE),
            **self.population(index, properties.get("population")),
            **self.point(index, properties.get("point")),
            "boundary": self.geometry(index, item.get("geometry")),
        }
        return ComuneRecord(index, values) if len(self.problems) == before else None

    def population(self, index: int, population: Any) -> dict[str, Any]:
        prefix = "properties.population."
        if not isinstance(population, dict):
            self.problem(index, "properties.population", "must be an object")
            return {}
        values = {
            f"population_{name}": self.integer(index, population, name, prefix=prefix, low=0)
            for name in ("total", "male", "female")
        }
        by_age = population.get("by_age")
        if not isinstance(by_age, dict) or set(by_age) != {band.key for band in AGE_BANDS}:
            self.problem(index, f"{prefix}by_age", f"must hold the bands {', '.join(b.key for b in AGE_BANDS)}")
            return values
        for band in AGE_BANDS:
            counts = by_age[band.key]
            if not isinstance(counts, dict):
                self.problem(index, f"{prefix}by_age.{band.key}", "must be an object")
                continue
            for sex in SEXES:
                values[population_field(band, sex)] = self.integer(
                    index, counts, sex, prefix=f"{prefix}by_age.{band.key}.", low=0
                )
        counts = {name: value for name, value in values.items() if value is not None}
        if len(counts) != 3 + len(AGE_BANDS) * len(SEXES):
            return values  # the sums mean nothing with a count missing
        if counts["population_male"] + counts["population_female"] != counts["population_total"]:
            self.problem(index, f"{prefix}total", "is not male + female")
        for sex in SEXES:
            if sum(counts[population_field(band, sex)] for band in AGE_BANDS) != counts[f"population_{sex}"]:
                self.problem(index, f"{prefix}{sex}", "is not the sum of its age bands")
        return values

    def point(self, index: int, point: Any) -> dict[str, Any]:
        if not _is_position(point):
            self.problem(index, "properties.point", "must be [longitude, latitude] in degrees")
            return {}
        return {"longitude": float(point[0]), "latitude": float(point[1])}

    def geometry(self, index: int, geometry: Any) -> str | None:
        """The geometry as compact GeoJSON text, the same text for the same shape (so reloads compare equal)."""
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            self.problem(index, "geometry", "must be a GeoJSON Polygon or MultiPolygon")
            return None
        coordinates = geometry.get("coordinates")
        polygons = coordinates if geometry["type"] == "MultiPolygon" else [coordinates]
        if not isinstance(polygons, list) or not polygons or not all(_is_polygon(p) for p in polygons):
            reason = "must be closed rings of at least 4 [longitude, latitude] positions"
            self.problem(index, "geometry.coordinates", reason)
            return None
        return json.dumps(
            {"type": geometry["type"], "coordinates": coordinates}, ensure_ascii=False, separators=(",", ":")
        )

    def text(
        self,
        index: int | None,
        source: dict[str, Any],
        name: str,
        *,
        prefix: str = "properties.",
        pattern: re.Pattern[str] | None = None,
        choices: tuple[str, ...] | None = None,
        max_length: int | None = None,
        required: bool = True,
    ) -> str | None:
        value = source.get(name, "" if not required else None)
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(index, prefix + name, "is missing or not text")
            return None
        value = value.strip()
        if pattern is not None and not pattern.match(value):
            self.problem(index, prefix + name, f"{value!r} does not match {pattern.pattern}")
        elif choices is not None and value not in choices:
            self.problem(index, prefix + name, f"{value!r} is not one of {', '.join(choices)}")
        elif max_length is not None and len(value) > max_length:
            self.problem(index, prefix + name, f"is longer than {max_length} characters")
        return value

    def integer(
        self,
        index: int | None,
        source: dict[str, Any],
        name: str,
        *,
        prefix: str,
        low: int,
        high: int | None = None,
    ) -> int | None:
        value = source.get(name)
        # bool is an int in Python, never a count in a file.
        if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.problem(index, prefix + name, f"must be a whole number {bounds}, not {value!r}")
            return None
        return value

    def unique(self, comuni: list[ComuneRecord], key: str, name: str) -> None:
        seen: dict[str, int] = {}
        for record in comuni:
            value = record.values[key]
            if value in seen:
                self.problem(record.index, name, f"{value!r} repeats features[{seen[value]}]")
            seen.setdefault(value, record.index)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_position(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(_is_number(item) for item in value)
        and -180 <= value[0] <= 180
        and -90 <= value[1] <= 90
    )


def _is_polygon(rings: Any) -> bool:
    return (
        isinstance(rings, list)
        and bool(rings)
        and all(
            isinstance(ring, list) and len(ring) >= 4 and all(_is_position(p) for p in ring) and ring[0] == ring[-1]
            for ring in rings
        )
    )
