"""The directory of organizations as open data: CSV, XLSX and JSON.

The columns are the import template's (imports.TEMPLATE_COLUMNS), so an export
imports back unchanged. Public fields only: people and their contact data are
never exported. Everything streams: organizations are read in chunks with
their relations prefetched per chunk, CSV and JSON are produced line by line,
XLSX through openpyxl's write-only mode (rows go to a temporary file, not to
memory).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet

from socialplan.territory.models import Comune

from .imports import TEMPLATE_COLUMNS
from .models import CpvCode, Organization
from .services import LIST_SEPARATOR

FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
CHUNK_SIZE = 2000
# Excel opens a UTF-8 CSV with accents intact only when it starts with a BOM;
# ';' is the list separator of Italian spreadsheets. The import reads both back.
CSV_DELIMITER = ";"
BOM = "\ufeff"
# Values that a spreadsheet would read as numbers or dates: kept as text in XLSX.
TEXT_COLUMNS = frozenset({"codice_fiscale", "partita_iva", "seat_comune", "runts_number"})


def directory() -> QuerySet[Organization]:
    """Every organization, with what the export needs, in a stable order."""
    return (
        Organization.objects.select_related("seat_comune")
        .prefetch_related(
            Prefetch("comuni_served", queryset=Comune.objects.only("pk", "istat_code")),
            Prefetch("cpv_codes", queryset=CpvCode.objects.only("code")),
            "activities",
        )
        .order_by("codice_fiscale")
    )


def organization_rows(queryset: QuerySet[Organization] | None = None) -> Iterator[dict[str, Any]]:
    """One dict per organization, keyed by the template's columns, with typed values (None when empty)."""
    for organization in (queryset if queryset is not None else directory()).iterator(chunk_size=CHUNK_SIZE):
        yield organization_row(organization)


def organization_row(organization: Organization) -> dict[str, Any]:
    activities = sorted(organization.activities.all(), key=lambda a: (not a.is_primary, a.edition, a.code))
    edition = activities[0].edition if activities else None
    seat = organization.seat_comune
    return {
        "codice_fiscale": organization.codice_fiscale,
        "legal_name": organization.legal_name,
        "partita_iva": organization.partita_iva or None,
        "legal_form": organization.legal_form or None,
        "runts_section": organization.runts_section or None,
        "runts_number": organization.runts_number or None,
        "runts_registered_on": organization.runts_registered_on,
        "seat_comune": seat.istat_code if seat else None,
        "seat_comune_name": seat.name if seat else None,
        "comuni_served": sorted(comune.istat_code for comune in organization.comuni_served.all()),
        "ateco_codes": [a.code if a.edition == edition else f"{a.edition}:{a.code}" for a in activities],
        "ateco_edition": edition,
        "cpv_codes": sorted(cpv.code for cpv in organization.cpv_codes.all()),
        "website": organization.website or None,
        "workforce": organization.workforce,
        "disadvantaged_share": organization.disadvantaged_share,
        "volunteers": organization.volunteers,
        "certifications": [line for line in organization.certifications.splitlines() if line.strip()],
        "description": organization.description or None,
        "source": organization.source or None,
        "verified_on": organization.verified_on,
        "is_demo": organization.is_demo,
    }


def as_text(value: Any) -> str:
    """A value as the import reads it back: lists joined by '|', dates ISO, booleans true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Line:
    """A file-like object whose write returns what it was given: csv.writer producing lines for a stream."""

    def write(self, value: str) -> str:
        return value


def iter_csv(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    yield BOM + writer.writerow(TEMPLATE_COLUMNS)
    for row in rows:
        yield writer.writerow([as_text(row[column]) for column in TEMPLATE_COLUMNS])


def iter_json(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array, one organization per line; decimals as strings (exact), dates ISO."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def write_xlsx(rows: Iterable[dict[str, Any]], stream: IO[bytes]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("organizations")
    sheet.append(list(TEMPLATE_COLUMNS))
    for row in rows:
        sheet.append([_xlsx_value(column, row[column]) for column in TEMPLATE_COLUMNS])
    workbook.save(stream)


def _xlsx_value(column: str, value: Any) -> Any:
    if column in TEXT_COLUMNS or isinstance(value, list | bool) or value is None:
        return as_text(value) or None
    if isinstance(value, Decimal):
        return float(value)
    return value


def export_organizations(
    *, file_format: str, stream: IO[bytes], queryset: QuerySet[Organization] | None = None
) -> None:
    """Write the directory to a binary stream in one of FORMATS."""
    rows = organization_rows(queryset)
    if file_format == "xlsx":
        write_xlsx(rows, stream)
        return
    chunks = iter_csv(rows) if file_format == "csv" else iter_json(rows)
    for chunk in chunks:
        stream.write(chunk.encode("utf-8"))
