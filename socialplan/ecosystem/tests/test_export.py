"""Exporting the directory: the template's columns, public fields only, and an export imports back unchanged."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from socialplan.ecosystem.imports import TEMPLATE_COLUMNS, import_organizations
from socialplan.ecosystem.models import Organization, Person, Position

from .registry_support import (  # noqa: F401 - fixtures
    comuni_fixture,
    cpv_codes_fixture,
    english_fixture,
    registry_fixture,
    template_row,
    template_rows,
    write_csv,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(registry, tmp_path) -> list[Organization]:
    """Three organizations with every kind of value, one with a private contact person."""
    rows = [
        template_row(
            1,
            partita_iva="",
            runts_number="RUNTS-42",
            runts_registered_on="2023-04-01",
            ateco_codes="88.10.00|2022:96.09.09",
            description='Prima riga;\nseconda riga, con "virgolette"',
            source="RUNTS",
            verified_on="2026-01-15",
            volunteers="4",
            is_demo="no",
        ),
        template_row(2, comuni_served="", cpv_codes="", ateco_codes="", certifications="", disadvantaged_share=""),
        template_row(3, legal_form="aps", runts_section="b", seat_comune="Ivrea", is_demo="sì"),
    ]
    report = import_organizations(path=write_csv(tmp_path / "seed.csv", template_rows(rows)))
    assert report.created == 3, report.rejections
    person = Person.objects.create(
        first_name="Anna", last_name="Rossi", email="anna.rossi@example.org", phone="011 555"
    )
    Position.objects.create(person=person, organization=Organization.objects.first(), role="presidente", is_public=True)
    return list(Organization.objects.order_by("codice_fiscale"))


def export(tmp_path: Path, file_format: str) -> Path:
    path = tmp_path / f"export.{file_format}"
    call_command("export_organizations", "--format", file_format, "--output", str(path), stderr=io.StringIO())
    return path


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(directory, tmp_path, file_format) -> None:
    path = export(tmp_path, file_format)
    report = import_organizations(path=path, dry_run=True)
    assert (report.layout, report.rows, report.created, report.changed, report.rejections) == ("template", 3, 0, 0, [])
    assert report.unchanged == 3


def test_an_export_rebuilds_the_same_directory_in_an_empty_registry(directory, tmp_path) -> None:
    first = export(tmp_path, "csv").read_bytes()
    Organization.objects.all().delete()
    assert import_organizations(path=tmp_path / "export.csv").created == 3
    assert export(tmp_path, "csv").read_bytes() == first


def test_the_csv_has_the_template_columns_and_typed_values_as_text(directory, tmp_path) -> None:
    text = export(tmp_path, "csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert tuple(rows[0]) == TEMPLATE_COLUMNS
    first = rows[0]
    assert first["ateco_codes"] == "88.10.00|2022:96.09.09" and first["ateco_edition"] == "2025"
    assert first["comuni_served"] == "001156|001272"
    assert first["seat_comune"] == "001272" and first["seat_comune_name"] == "Torino"
    assert first["disadvantaged_share"] == "35.50" and first["is_demo"] == "false"
    assert first["certifications"] == "ISO 9001|SA8000"
    assert first["description"] == 'Prima riga;\nseconda riga, con "virgolette"'
    assert rows[2]["is_demo"] == "true" and rows[2]["seat_comune_name"] == "Ivrea"


def test_the_json_export_is_typed(directory, tmp_path) -> None:
    data = json.loads(export(tmp_path, "json").read_text(encoding="utf-8"))
    assert [row["codice_fiscale"] for row in data] == [o.codice_fiscale for o in directory]
    first = data[0]
    assert first["workforce"] == 12 and first["disadvantaged_share"] == "35.50"
    assert first["cpv_codes"] == ["85311000", "90910000"] and first["runts_registered_on"] == "2023-04-01"
    assert data[1]["partita_iva"] is None and data[1]["cpv_codes"] == []


def test_the_xlsx_export_keeps_codes_as_text(directory, tmp_path) -> None:
    sheet = load_workbook(export(tmp_path, "xlsx"), read_only=True).worksheets[0]
    header, first = list(sheet.iter_rows(max_row=2, values_only=True))
    row = dict(zip(header, first, strict=True))
    assert row["codice_fiscale"] == directory[0].codice_fiscale and row["seat_comune"] == "001272"
    assert row["workforce"] == 12


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_no_export_holds_private_contact_data(directory, tmp_path, file_format) -> None:
    content = export(tmp_path, file_format).read_bytes()
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        content = repr(list(sheet.iter_rows(values_only=True))).encode()
    for private in (b"anna.rossi@example.org", b"011 555", b"Rossi"):
        assert private not in content


def test_the_command_writes_csv_to_standard_output(directory) -> None:
    out = io.StringIO()
    call_command("export_organizations", stdout=out)
    assert out.getvalue().startswith("\ufeffcodice_fiscale;legal_name;")
    assert out.getvalue().count("\r\n") == 4  # header + 3 rows (the line break inside a description is "\n")
