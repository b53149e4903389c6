"""The territory file: the contract between the build step and the platform.

A territory file is one GeoJSON FeatureCollection (RFC 7946, WGS84, [lon, lat])
with a top-level `metadata` member (source, licence, attribution, the
territory, the reference year, the age bands) and one feature per comune.
This module is stdlib only because two sides import it: the build script,
which runs in its own virtual environment with the geo stack and without
Django, and the platform's loader, which must not need the geo stack.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAT = "socialplan-territory"
FORMAT_VERSION = 1

SEXES = ("male", "female")


@dataclass(frozen=True)
class AgeBand:
    """An age band in completed years; `upper` is None for the open last band."""

    key: str
    lower: int
    upper: int | None

    @property
    def label(self) -> str:
        return f"{self.lower}+" if self.upper is None else f"{self.lower}-{self.upper}"

    def contains(self, age: int) -> bool:
        return self.lower <= age and (self.upper is None or age <= self.upper)

    def as_json(self) -> dict[str, int | str | None]:
        return {"key": self.key, "lower": self.lower, "upper": self.upper}


# 0-14 and 65+ are ISTAT's and Eurostat's structural bands (dependency and
# old-age ratios); 15-24 is Eurostat's youth band; 15-24 + 25-34 are ISTAT's
# young adults; the first three together are the plan's under-35 (see
# docs/decisions/0005-territory-data.md).
AGE_BANDS = (
    AgeBand("0_14", 0, 14),
    AgeBand("15_24", 15, 24),
    AgeBand("25_34", 25, 34),
    AgeBand("35_64", 35, 64),
    AgeBand("65_plus", 65, None),
)
UNDER_35_BANDS = tuple(band for band in AGE_BANDS if band.upper is not None and band.upper < 35)

# Second-level administrative units in Italy; the model's choices use these keys.
KINDS = (
    "metropolitan_city",
    "province",
    "autonomous_province",
    "free_consortium",
    "decentralisation_entity",
)


def band_for_age(age: int) -> AgeBand:
    for band in AGE_BANDS:
        if band.contains(age):
            return band
    raise ValueError(f"No age band holds age {age}.")


def population_field(band: AgeBand, sex: str) -> str:
    """The Comune field holding one band of one sex, e.g. population_0_14_male."""
    return f"population_{band.key}_{sex}"
