"""Importing organizations from files: RUNTS lists and the template, CSV and XLSX, and every kind of bad input."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from socialplan.ecosystem.imports import ImportFileError, Rejection, import_organizations, max_upload_bytes
from socialplan.ecosystem.models import AtecoActivity, Organization

from .registry_support import (  # noqa: F401 - fixtures
    comuni_fixture,
    cpv_codes_fixture,
    english_fixture,
    entity_codice_fiscale,
    registry_fixture,
    template_row,
    template_rows,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

RUNTS_HEADER = ["Codice fiscale", "Denominazione", "Sezione", "Comune", "Provincia", "Numero repertorio"]


def runts_list(path: Path) -> Path:
    """A RUNTS-style list as Excel saves it on an Italian PC: Windows-1252, ';', accents, 3 bad rows."""
    rows = [
        RUNTS_HEADER,
        [
            entity_codice_fiscale(1),
            "Associazione Città Aperta ODV",
            "a) Organizzazioni di volontariato",
            "TORINO",
            "TO",
            "101",
        ],
        [
            entity_codice_fiscale(2),
            "Società di Mutuo Soccorso Borgo Po",
            "f) Società di mutuo soccorso",
            "Torino",
            "TO",
            "102",
        ],
        ["12345678901", "Codice sbagliato APS", "b) Associazioni di promozione sociale", "Ivrea", "TO", "103"],
        [entity_codice_fiscale(3), "Cooperativa Perù", "d) Imprese sociali", "Moncalieri", "TO", "104"],
        [
            entity_codice_fiscale(4),
            "Associazione di Milano",
            "b) Associazioni di promozione sociale",
            "Milano",
            "MI",
            "105",
        ],
        [entity_codice_fiscale(5), "Fondazione Comunità Canavese", "c) Enti filantropici", "Ivrea", "TO", "106"],
        [entity_codice_fiscale(1), "Associazione Città Aperta (doppione)", "a", "Torino", "TO", "107"],
    ]
    return write_csv(path, rows, encoding="cp1252", delimiter=";")


def test_a_runts_list_with_bad_rows_reports_exactly_those_rows_and_writes_nothing(registry, tmp_path) -> None:
    path = runts_list(tmp_path / "runts.csv")
    report = import_organizations(path=path)
    assert (report.file_format, report.encoding, report.delimiter, report.layout) == (
        "csv",
        "Windows-1252 (cp1252)",
        ";",
        "runts",
    )
    assert report.ignored_columns == ["Provincia"]
    assert [(r.line, r.field) for r in report.rejections] == [
        (4, "codice_fiscale"),
        (6, "seat_comune"),
        (8, "codice_fiscale"),
    ]
    assert report.rejections[1].reason == "'Milano' is not a comune of the territory."
    assert report.rejections[2].reason == f"{entity_codice_fiscale(1)} is repeated: line 2 has it already."
    assert (report.rows, report.created, report.rejected_rows, report.written) == (7, 4, 3, False)
    assert not Organization.objects.exists()

    accepted = import_organizations(path=path, accept_valid_rows=True, source="RUNTS, March 2026")
    assert (accepted.created, accepted.rejected_rows, accepted.written) == (4, 3, True)
    names = dict(Organization.objects.values_list("codice_fiscale", "legal_name"))
    assert names[entity_codice_fiscale(3)] == "Cooperativa Perù"
    odv = Organization.objects.get(codice_fiscale=entity_codice_fiscale(1))
    assert (odv.runts_section, odv.legal_form, odv.runts_number, odv.seat_comune.name) == ("a", "odv", "101", "Torino")
    assert odv.source == "RUNTS, March 2026"
    assert odv.history.get().history_change_reason == "Imported from runts.csv"


def test_a_second_import_of_the_same_file_creates_and_changes_nothing(registry, tmp_path) -> None:
    path = tmp_path / "organizations.csv"
    write_csv(path, template_rows(template_row(n) for n in range(1, 6)))
    first = import_organizations(path=path)
    assert (first.created, first.changed, first.unchanged, first.written) == (5, 0, 0, True)
    history = Organization.history.count()
    second = import_organizations(path=path)
    assert (second.created, second.changed, second.unchanged, second.written) == (0, 0, 5, False)
    assert Organization.history.count() == history


def test_a_changed_row_changes_its_organization_and_says_which_fields(registry, tmp_path) -> None:
    path = tmp_path / "organizations.csv"
    write_csv(path, template_rows([template_row(1), template_row(2)]))
    import_organizations(path=path)
    write_csv(path, template_rows([template_row(1, workforce="20", comuni_served="001272"), template_row(2)]))
    dry = import_organizations(path=path, dry_run=True)
    assert [(row.line, row.changes) for row in dry.changed_rows] == [(2, ("workforce", "comuni_served"))]
    assert Organization.objects.get(codice_fiscale=entity_codice_fiscale(1)).workforce == 12
    report = import_organizations(path=path)
    assert (report.changed, report.unchanged) == (1, 1)
    organization = Organization.objects.get(codice_fiscale=entity_codice_fiscale(1))
    assert organization.workforce == 20
    assert list(organization.comuni_served.values_list("istat_code", flat=True)) == ["001272"]
    assert organization.history.first().history_type == "~"


def test_a_dry_run_reports_and_writes_nothing(registry, tmp_path) -> None:
    path = write_csv(tmp_path / "o.csv", template_rows(template_row(n) for n in range(1, 4)))
    report = import_organizations(path=path, dry_run=True)
    assert (report.created, report.rejected_rows, report.written) == (3, 0, False)
    assert not Organization.objects.exists() and not Organization.history.exists()
    assert not AtecoActivity.objects.exists()


def test_a_runts_section_gives_a_legal_form_only_where_there_is_none(registry, tmp_path) -> None:
    code = entity_codice_fiscale(9)
    write_csv(tmp_path / "t.csv", template_rows([template_row(9, legal_form="coop_b", runts_section="d")]))
    import_organizations(path=tmp_path / "t.csv")
    path = write_csv(tmp_path / "r.csv", [RUNTS_HEADER[:4], [code, "Cooperativa sociale numero 9", "d", "Torino"]])
    report = import_organizations(path=path)
    assert (report.changed, report.unchanged) == (0, 1)
    assert Organization.objects.get(codice_fiscale=code).legal_form == "coop_b"


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom", "described"),
    [
        ("utf-8", ",", True, "UTF-8"),
        ("utf-8", ";", False, "UTF-8"),
        ("cp1252", ",", False, "Windows-1252 (cp1252)"),
    ],
)
def test_encodings_and_separators_are_detected(registry, tmp_path, encoding, delimiter, bom, described) -> None:
    rows = template_rows([template_row(1, legal_name="Società Cooperativa Àncora, Torino")])
    path = write_csv(tmp_path / "o.csv", rows, encoding=encoding, delimiter=delimiter, bom=bom)
    report = import_organizations(path=path)
    assert (report.encoding, report.delimiter, report.created) == (described, delimiter, 1)
    assert Organization.objects.get().legal_name == "Società Cooperativa Àncora, Torino"


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        ({"codice_fiscale": "ABCDEF12G34H567I"}, "codice_fiscale", "is not a valid codice fiscale"),
        ({"partita_iva": "01234567891"}, "partita_iva", "is not a valid partita IVA"),
        ({"seat_comune": "Roma"}, "seat_comune", "'Roma' is not a comune of the territory."),
        ({"comuni_served": "Torino|Pinerolo|Gotham"}, "comuni_served", "'Gotham' is not a comune"),
        ({"ateco_codes": "88.10.00|12.34.56"}, "ateco_codes", "'12.34.56' is not an ATECO 2025 code."),
        ({"ateco_edition": "1991"}, "ateco_edition", "'1991' is not an ATECO edition"),
        ({"cpv_codes": "85311000|45000000"}, "cpv_codes", "'45000000' is not a CPV 2008 code."),
        ({"legal_form": "spa"}, "legal_form", "is not a valid choice"),
        ({"disadvantaged_share": "abc"}, "disadvantaged_share", "'abc' is not a number."),
        ({"workforce": "dodici"}, "workforce", "'dodici' is not a whole number"),
        ({"legal_name": ""}, "legal_name", ""),
        ({"verified_on": "2025-13-01"}, "verified_on", "is not a date"),
    ],
)
def test_each_bad_value_rejects_its_row_with_line_field_and_reason(registry, tmp_path, values, field, reason) -> None:
    path = write_csv(tmp_path / "o.csv", template_rows([template_row(1), template_row(2, **values)]))
    report = import_organizations(path=path)
    (rejection,) = report.rejections
    assert (rejection.line, rejection.field) == (3, field)
    assert reason in rejection.reason
    assert not Organization.objects.exists()


def test_a_row_with_more_values_than_the_header_is_rejected(registry, tmp_path) -> None:
    rows = template_rows([template_row(1), template_row(2)])
    rows[2] += ["extra value"]
    report = import_organizations(path=write_csv(tmp_path / "o.csv", rows))
    assert report.rejections[-1].line == 3 and "values for" in report.rejections[-1].reason


def test_duplicates_are_found_across_batches_and_in_otherwise_rejected_rows(registry, tmp_path) -> None:
    rows = [template_row(n) for n in range(1, 8)]
    rows.append(template_row(3, seat_comune="Gotham"))
    rows.append(template_row(8))
    rows.append(template_row(8))
    report = import_organizations(path=write_csv(tmp_path / "o.csv", template_rows(rows)), batch_size=3)
    assert [(r.line, r.field) for r in report.rejections] == [
        (9, "seat_comune"),
        (9, "codice_fiscale"),
        (11, "codice_fiscale"),
    ]
    assert report.rejections[1].reason.endswith("line 4 has it already.")
    assert (report.rows, report.created, report.rejected_rows) == (10, 8, 2)


def test_rejections_beyond_the_listed_ones_are_counted(registry, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("socialplan.ecosystem.imports.LISTED", 2)
    rows = [template_row(n, seat_comune="Gotham") for n in range(1, 6)]
    report = import_organizations(path=write_csv(tmp_path / "o.csv", template_rows(rows)))
    assert (len(report.rejections), report.unlisted_rejections, report.rejected_rows) == (2, 3, 5)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"codice_fiscale;legal_name\r\n", "has a header but no rows"),
        (b"codice_fiscale;legal_name\r\n;\r\n\r\n", "has a header but no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
        (b"codice fiscale;denominazione\r\n\x81\x8d\x8f\x90\x9d;x\r\n", "neither UTF-8 nor Windows-1252"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Excel 97-2003"),
        (b"codice_fiscale legal_name\r\n", "one column only"),
        (b"nome;indirizzo\r\nx;y\r\n", "matches neither layout"),
        (b"codice_fiscale;legal_name;workforc\r\nx;y;1\r\n", "unknown columns 'workforc'"),
        (b"codice_fiscale;legal_name;legal_name\r\nx;y;z\r\n", "keep one"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why_and_writes_nothing(registry, tmp_path, content, message) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message) as caught:
        import_organizations(path=path)
    assert "bad.csv" in str(caught.value)
    assert not Organization.objects.exists()


def test_a_line_with_broken_quotes_is_a_rejected_row_and_the_next_lines_are_read(registry, tmp_path) -> None:
    rows = template_rows([template_row(1), template_row(2), template_row(3)])
    path = write_csv(tmp_path / "o.csv", rows)
    lines = path.read_bytes().split(b"\r\n")
    lines[2] = lines[2].replace(b"Cooperativa sociale numero 2", b'"Cooperativa" sociale numero 2')
    path.write_bytes(b"\r\n".join(lines))
    report = import_organizations(path=path)
    assert [(r.line, r.field) for r in report.rejections] == [(3, "")]
    assert "check its quotes" in report.rejections[0].reason
    assert (report.rows, report.created, report.rejected_rows, report.written) == (3, 2, 1, False)


def test_a_file_named_xlsx_that_is_not_one_is_refused(registry, tmp_path) -> None:
    path = write_csv(tmp_path / "o.xlsx", template_rows([template_row(1)]))
    with pytest.raises(ImportFileError, match="not an XLSX file"):
        import_organizations(path=path)


def test_an_xlsx_file_is_read_with_codes_and_dates_as_a_spreadsheet_stores_them(registry, tmp_path) -> None:
    from datetime import date

    rows = template_rows([template_row(1, verified_on="", workforce="")])
    rows[0] += ["runts_registered_on"]
    rows[1][rows[0].index("codice_fiscale")] = int(entity_codice_fiscale(1))  # the leading zeros are lost
    rows[1][rows[0].index("seat_comune")] = 1272
    rows[1][rows[0].index("workforce")] = 12
    rows[1] += [date(2023, 5, 4)]
    report = import_organizations(path=write_xlsx(tmp_path / "o.xlsx", rows))
    assert (report.file_format, report.created, report.rejections) == ("xlsx", 1, [])
    organization = Organization.objects.get()
    assert organization.codice_fiscale == entity_codice_fiscale(1)
    assert organization.seat_comune.istat_code == "001272"
    assert organization.runts_registered_on == date(2023, 5, 4)


def test_xlsx_cells_with_formulas_are_rejected_with_their_position(registry, tmp_path) -> None:
    rows = template_rows([template_row(1), template_row(2)])
    rows[2][rows[0].index("workforce")] = "=10+2"
    report = import_organizations(path=write_xlsx(tmp_path / "o.xlsx", rows))
    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rows[0].index("workforce")]
    assert report.rejections == [
        Rejection(
            line=3,
            field="workforce",
            reason=f"cell {column}3 holds a formula (=10+2): replace it with its value.",
        )
    ]
    assert not Organization.objects.exists()


def test_xlsx_files_with_merged_cells_are_refused_with_the_ranges(registry, tmp_path) -> None:
    rows = template_rows([template_row(1), template_row(2)])
    path = write_xlsx(tmp_path / "o.xlsx", rows, merge="B2:B3")
    with pytest.raises(ImportFileError, match="merged cells at B2:B3"):
        import_organizations(path=path)


def test_an_xlsx_header_made_by_formulas_is_refused(registry, tmp_path) -> None:
    rows = template_rows([template_row(1)])
    rows[0][1] = '="legal_" & "name"'
    with pytest.raises(ImportFileError, match=r"the header holds formulas \(B1\)"):
        import_organizations(path=write_xlsx(tmp_path / "o.xlsx", rows))


def test_a_broken_xlsx_file_is_refused(registry, tmp_path) -> None:
    path = write_xlsx(tmp_path / "o.xlsx", template_rows([template_row(1)]))
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(ImportFileError, match="not a readable XLSX workbook"):
        import_organizations(path=path)


def test_the_back_office_upload_limit_is_a_setting() -> None:
    assert max_upload_bytes() == 5 * 1024 * 1024
    with override_settings(ECOSYSTEM_IMPORT_MAX_UPLOAD_BYTES=1000):
        assert max_upload_bytes() == 1000


def test_the_command_reports_rejections_and_fails_until_the_valid_rows_are_accepted(registry, tmp_path) -> None:
    path = runts_list(tmp_path / "runts.csv")
    out = StringIO()
    with pytest.raises(CommandError, match="3 rows rejected: nothing was written"):
        call_command("import_organizations", str(path), stdout=out)
    printed = out.getvalue()
    assert "runts.csv: CSV, Windows-1252 (cp1252), separator ';'; layout: runts." in printed
    assert "line 6, seat_comune: 'Milano' is not a comune of the territory." in printed
    assert not Organization.objects.exists()

    with pytest.raises(CommandError, match="the file would not be written"):
        call_command("import_organizations", str(path), "--dry-run", stdout=StringIO())
    out = StringIO()
    call_command("import_organizations", str(path), "--accept-valid-rows", "--source", "RUNTS", stdout=out)
    assert "created 4, changed 0, unchanged 0, rejected 3" in out.getvalue()
    assert Organization.objects.count() == 4


def test_the_command_refuses_a_missing_file(registry, tmp_path) -> None:
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_organizations", str(tmp_path / "missing.csv"), stdout=StringIO())


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_an_import_that_writes_refreshes_the_public_pages(
    registry, tmp_path, django_capture_on_commit_callbacks
) -> None:
    from socialplan.core.cache import content_version

    path = write_csv(tmp_path / "o.csv", template_rows([template_row(1)]))
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        import_organizations(path=path, dry_run=True)
    assert content_version() == before
    with django_capture_on_commit_callbacks(execute=True):
        import_organizations(path=path)
    assert content_version() != before
