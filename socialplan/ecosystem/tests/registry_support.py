"""What the registry's tests share: the Turin comuni, a few real CPV codes, valid codici fiscali, files to import.

The fixtures are declared under their own name (`registry`) and imported under another
(`registry_fixture`), so that a test's argument never shadows an import.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from socialplan.ecosystem.demo import invented_codice_fiscale
from socialplan.ecosystem.models import CpvCode
from socialplan.ecosystem.reference import read_cpv_file
from socialplan.territory.services import load_territory

# Real CPV 2008 codes: social services, cleaning, catering, green areas, training.
CPV_SAMPLE = ("85311000", "85312000", "90910000", "55520000", "77310000", "80500000", "98341130")


def entity_codice_fiscale(number: int) -> str:
    """A valid 11-digit codice fiscale of an entity: 7 digits, office code 001, Luhn check digit."""
    return invented_codice_fiscale(progressive=number)


@cache
def _cpv_sample_rows() -> tuple[tuple[str, str, int, str, str], ...]:
    wanted = set(CPV_SAMPLE)
    return tuple(
        (entry.code, entry.division, entry.level, entry.label_it, entry.label_en)
        for entry in read_cpv_file(Path(settings.CPV_JSON))
        if entry.code in wanted
    )


@pytest.fixture(autouse=True, name="english")
def english_fixture() -> Iterator[None]:
    """Messages are compared in English, the language they are written in; Italian is the default."""
    with translation.override("en"):
        yield


@pytest.fixture(name="comuni")
def comuni_fixture(db) -> None:
    """The 312 comuni of the Città metropolitana di Torino."""
    load_territory(code="TO")


@pytest.fixture(name="cpv_codes")
def cpv_codes_fixture(db) -> list[str]:
    """A handful of real CPV codes (the full table is load_cpv's own test)."""
    CpvCode.objects.bulk_create(
        CpvCode(code=code, division=division, level=level, label_it=label_it, label_en=label_en)
        for code, division, level, label_it, label_en in _cpv_sample_rows()
    )
    return list(CPV_SAMPLE)


@pytest.fixture(name="registry")
def registry_fixture(comuni, cpv_codes) -> None:
    """Everything an import checks against."""


def write_csv(
    path: Path, rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8", delimiter: str = ";", bom: bool = False
) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: Iterable[Sequence[Any]], *, merge: str | None = None) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


def template_row(number: int, **values: Any) -> dict[str, Any]:
    """A valid row of the template for a social cooperative in Turin."""
    row = {
        "codice_fiscale": entity_codice_fiscale(number),
        "legal_name": f"Cooperativa sociale numero {number}",
        "legal_form": "coop_b",
        "runts_section": "d",
        "seat_comune": "001272",
        "comuni_served": "001272|001156",
        "ateco_codes": "88.10.00|81.21.00",
        "cpv_codes": "85311000|90910000",
        "workforce": "12",
        "disadvantaged_share": "35,5",
        "website": "www.example.org",
        "certifications": "ISO 9001|SA8000",
    }
    row.update(values)
    return row


def template_rows(rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """Header and rows of the template with the columns the rows use, in a stable order."""
    rows = list(rows)
    columns = list(dict.fromkeys(column for row in rows for column in row))
    return [columns] + [[row.get(column, "") for column in columns] for row in rows]
