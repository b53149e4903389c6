"""Importing organizations from a CSV or XLSX file (docs/ecosystem-import.md).

Two layouts, told apart by the header: the RUNTS published lists (codice
fiscale, denominazione, sezione, comune of the seat; other columns ignored)
and the platform's template (the columns `exports.py` writes, so an export
imports back unchanged).

The rules, from DESIGN.md's rules of the road:

- Idempotent on the codice fiscale: a second run creates and changes nothing.
- Every rejected row is reported with its line, field and reason; nothing is
  written unless every row is valid, or the caller accepts the valid rows.
  Everything written is written in one transaction.
- A dry run reads the database and writes nothing at all.
- Memory stays flat whatever the file's size: rows are streamed (a csv reader
  over a text stream, openpyxl in read-only mode) and handled in batches; the
  report keeps counts and the first `LISTED` rejections; the codici fiscali
  already seen (duplicates within a file) go to a temporary SQLite file,
  whose page cache is bounded, not to a Python set.
"""

from __future__ import annotations

import codecs
import csv
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import LegalForm, RuntsSection
from .services import (
    OrganizationCleaner,
    OrganizationRecord,
    PlannedWrite,
    apply_writes,
    normalize_codice_fiscale,
    plan_writes,
)
from .validators import validate_codice_fiscale

BATCH_SIZE = 1000
# Rejections and written rows listed in a report; beyond, only counted.
LISTED = 1000
# The back office previews and writes an upload within one web request, which must end before the
# server's timeout (gunicorn's default is 30 s): 5 MiB is about 30,000 rows of the template or
# 60,000 of a RUNTS list, the size of a region's list. Bigger files go through the command.
DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Read in pieces of 64 KiB: with bigger ones glibc's allocator keeps every piece it decoded (its
# mmap threshold rises to their size), and the resident memory grew with the file's size.
_CHUNK = 64 * 1024
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")

# The template's columns, in the order exports.py writes them. Lists are separated by '|'.
TEMPLATE_COLUMNS = (
    "codice_fiscale",
    "legal_name",
    "partita_iva",
    "legal_form",
    "runts_section",
    "runts_number",
    "runts_registered_on",
    "seat_comune",
    "seat_comune_name",
    "comuni_served",
    "ateco_codes",
    "ateco_edition",
    "cpv_codes",
    "website",
    "workforce",
    "disadvantaged_share",
    "volunteers",
    "certifications",
    "description",
    "source",
    "verified_on",
    "is_demo",
)
# Written by the export for people to read, ignored by the import.
INFORMATIONAL_COLUMNS = frozenset({"seat_comune_name"})

# The RUNTS lists' headers (the public search of servizi.lavoro.gov.it/runts and
# the registry's exports) as normalized by `normalize_header`, with the
# variants people produce by hand. Columns not named here are ignored.
RUNTS_COLUMNS = {
    "codice_fiscale": ("codice_fiscale", "codicefiscale", "cod_fiscale", "cf", "c_f", "codice_fiscale_ente"),
    "legal_name": ("denominazione", "denominazione_ente", "denominazione_sociale", "ragione_sociale", "nome_ente"),
    "runts_section": (
        "sezione",
        "sezione_runts",
        "sezione_registro",
        "sezione_del_registro",
        "sezione_di_iscrizione",
        "sezione_iscrizione",
    ),
    "seat_comune": (
        "comune",
        "comune_sede",
        "comune_sede_legale",
        "comune_della_sede_legale",
        "sede_legale_comune",
        "sede_comune",
        "comune_sl",
    ),
    "runts_number": (
        "repertorio",
        "numero_repertorio",
        "n_repertorio",
        "numero_iscrizione",
        "n_iscrizione",
        "numero_runts",
        "id_runts",
    ),
    "runts_registered_on": ("data_iscrizione", "data_di_iscrizione", "iscritto_il", "data_iscrizione_runts"),
    "partita_iva": ("partita_iva", "p_iva", "piva"),
    "website": ("sito_internet", "sito_web"),
}
RUNTS_REQUIRED = ("codice_fiscale", "legal_name", "runts_section", "seat_comune")

# A RUNTS section implies a legal form (art. 46 D.Lgs. 117/2017); social
# cooperatives sit in section d with other social enterprises, so the form is
# only a default: the plan office's finer choice is never overwritten.
LEGAL_FORM_OF_SECTION = {
    RuntsSection.ODV: LegalForm.ODV,
    RuntsSection.APS: LegalForm.APS,
    RuntsSection.PHILANTHROPIC: LegalForm.PHILANTHROPIC,
    RuntsSection.SOCIAL_ENTERPRISE: LegalForm.SOCIAL_ENTERPRISE,
    RuntsSection.NETWORK: LegalForm.NETWORK,
    RuntsSection.MUTUAL_AID: LegalForm.MUTUAL_AID,
    RuntsSection.OTHER: LegalForm.OTHER_ETS,
}

TEMPLATE, RUNTS = "template", "runts"


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says which file and why. Nothing was written."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "ECOSYSTEM_IMPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


@dataclass(frozen=True)
class Rejection:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line}
        return f"{where}, {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass(frozen=True)
class WrittenRow:
    """A row that creates or changes an organization (changes: the fields that change)."""

    line: int
    codice_fiscale: str
    legal_name: str
    changes: tuple[str, ...] = ()


@dataclass
class ImportReport:
    file_name: str
    file_format: str = ""
    encoding: str = ""
    delimiter: str = ""
    layout: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    accept_valid_rows: bool = False
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected_rows: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    unlisted_rejections: int = 0
    created_rows: list[WrittenRow] = field(default_factory=list)
    changed_rows: list[WrittenRow] = field(default_factory=list)
    written: bool = False

    def reject(self, line: int, problems: Sequence[tuple[str, str]]) -> None:
        self.rejected_rows += 1
        for field_name, reason in problems:
            if len(self.rejections) < LISTED:
                self.rejections.append(Rejection(line=line, field=field_name, reason=reason))
            else:
                self.unlisted_rejections += 1

    @property
    def acceptable(self) -> bool:
        """Whether the file as a whole may be written."""
        return self.rejected_rows == 0 or self.accept_valid_rows


Progress = Callable[[int, float | None], None]


def import_organizations(
    *,
    path: Path,
    file_name: str | None = None,
    dry_run: bool = False,
    accept_valid_rows: bool = False,
    source: str = "",
    user: AbstractBaseUser | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import the organizations of a CSV or XLSX file and report what was (or, dry, would be) done.

    Raises ImportFileError when the file as a whole is unusable (empty, not a
    table, an unknown header, merged cells...). Rejected rows are in the
    report; the valid rows are written, in one transaction, only when no row
    is rejected or `accept_valid_rows` is given, and never on a dry run.
    `source` fills the data source of rows that name none.
    """
    name = file_name or path.name
    report = ImportReport(file_name=name, dry_run=dry_run, accept_valid_rows=accept_valid_rows)
    with ExitStack() as stack:
        table = stack.enter_context(_open_table(path, name))
        report.file_format, report.encoding, report.delimiter = table.file_format, table.encoding, table.delimiter
        layout = _detect_layout(table.header, name)
        report.layout, report.ignored_columns = layout.kind, layout.ignored
        seen = stack.enter_context(_SeenCodes())
        run = _Run(
            report=report,
            layout=layout,
            cleaner=OrganizationCleaner.load(),
            seen=seen,
            source=source.strip(),
            user=user,
            reason=f"Imported from {name}",
        )
        if dry_run:
            run.read(table, write=False, progress=progress, batch_size=batch_size)
        else:
            with transaction.atomic():
                run.read(table, write=True, progress=progress, batch_size=batch_size)
                if not report.acceptable:
                    transaction.set_rollback(True)
            report.written = report.acceptable and bool(report.created or report.changed)
    return report


# Reading the file.


@dataclass
class _Table:
    file_format: str
    encoding: str
    delimiter: str
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    position: Callable[[], float | None]


def _open_table(path: Path, name: str) -> Any:
    """A context manager over the file's header and rows, whatever its format."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            start = handle.read(8)
    except OSError as error:
        raise ImportFileError(_("%(file)s cannot be read: %(error)s") % {"file": name, "error": error}) from None
    if size == 0:
        raise ImportFileError(_("%(file)s is empty.") % {"file": name})
    if start.startswith(b"PK\x03\x04"):
        return _XlsxTable(path, name)
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("%(file)s is an Excel 97-2003 (.xls) file: save it as .xlsx or as CSV.") % {"file": name}
        )
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("%(file)s is named .xlsx but is not an XLSX file.") % {"file": name})
    return _CsvTable(path, name, size)


class _CsvTable:
    """A CSV file's header and rows, decoded and split as detected."""

    def __init__(self, path: Path, name: str, size: int) -> None:
        self.path, self.name, self.size = path, name, size
        self.encoding = _detect_encoding(path, name)
        self.handle: IO[str] | None = None

    def __enter__(self) -> _Table:
        self.handle = self.path.open(encoding=self.encoding, newline="")
        header_line = self.handle.readline()
        delimiter = _detect_delimiter(header_line, self.name)
        self.handle.seek(0)
        # strict: a quote left open or a stray character after a closing quote is an error, not a guess.
        reader = csv.reader(self.handle, delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except (StopIteration, csv.Error) as error:
            raise ImportFileError(
                _("%(file)s has no header: %(error)s") % {"file": self.name, "error": error}
            ) from None
        buffer: Any = cast(Any, self.handle).buffer
        return _Table(
            file_format="csv",
            encoding=_ENCODING_NAMES[self.encoding],
            delimiter=delimiter,
            header=header,
            rows=self._rows(reader),
            position=lambda: min(buffer.tell() / self.size, 1.0),
        )

    def _rows(self, reader: Any) -> Iterator[tuple[int, list[Any]]]:
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                # The reader starts afresh on the next line: one bad line is one rejected row.
                yield (
                    line,
                    [_Unreadable(_("the line cannot be read (%(error)s): check its quotes.") % {"error": error})],
                )
                continue
            yield line, row

    def __exit__(self, *exc_info: object) -> None:
        if self.handle is not None:
            self.handle.close()


_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252 (cp1252)"}


def _detect_encoding(path: Path, name: str) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such, else Windows-1252; refuse binary content."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            control = _CONTROL_BYTES.search(chunk)
            if control:
                raise ImportFileError(
                    _(
                        "%(file)s is not a CSV or XLSX file: it holds binary content "
                        "(byte %(byte)s at position %(position)s)."
                    )
                    % {"file": name, "byte": f"0x{chunk[control.start()]:02x}", "position": offset + control.start()}
                )
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            offset += len(chunk)
    if utf8:
        try:
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                cp1252.decode(chunk)
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("%(file)s is neither UTF-8 nor Windows-1252 text (%(error)s): save it as UTF-8 CSV.")
                % {"file": name, "error": error.reason}
            ) from None
    return "cp1252"


def _detect_delimiter(header_line: str, name: str) -> str:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=";,").delimiter
    except csv.Error:
        pass
    semicolons, commas = header_line.count(";"), header_line.count(",")
    if semicolons == commas == 0:
        raise ImportFileError(
            _("%(file)s: the header has one column only; separate the columns with ';' or ','.") % {"file": name}
        )
    return ";" if semicolons >= commas else ","


class _XlsxTable:
    """The first sheet of an XLSX workbook, read in openpyxl's read-only (streaming) mode."""

    def __init__(self, path: Path, name: str) -> None:
        self.path, self.name = path, name
        self.workbook: Any = None

    def __enter__(self) -> _Table:
        from openpyxl import load_workbook

        try:
            self.workbook = load_workbook(self.path, read_only=True, data_only=False)
            return self._table(self.workbook.worksheets[0])
        except ImportFileError:
            self.__exit__()
            raise
        except Exception as error:  # a foreign file format fails in many ways; each is the file's fault
            self.__exit__()
            raise ImportFileError(
                _("%(file)s is not a readable XLSX workbook (%(error)s).")
                % {"file": self.name, "error": f"{type(error).__name__}: {error}"}
            ) from None

    def _table(self, sheet: Any) -> _Table:
        merged = _merged_ranges(sheet)
        if merged:
            shown = ", ".join(merged[:20]) + (" ..." if len(merged) > 20 else "")
            raise ImportFileError(
                _(
                    "%(file)s, sheet '%(sheet)s': merged cells at %(ranges)s. "
                    "Unmerge them so that each row holds one organization."
                )
                % {"file": self.name, "sheet": sheet.title, "ranges": shown}
            )
        rows = enumerate(sheet.iter_rows(), start=1)
        try:
            _line, header_cells = next(rows)
        except StopIteration:
            raise ImportFileError(_("%(file)s is empty.") % {"file": self.name}) from None
        header = [_cell_text(cell) for cell in header_cells]
        formulas = [f"{cell.coordinate}" for cell in header_cells if cell.data_type == "f"]
        if formulas:
            raise ImportFileError(
                _("%(file)s: the header holds formulas (%(cells)s).")
                % {"file": self.name, "cells": ", ".join(formulas)}
            )
        max_row = sheet.max_row
        self.current = 1
        return _Table(
            file_format="xlsx",
            encoding="",
            delimiter="",
            header=header,
            rows=self._rows(rows),
            position=lambda: min(self.current / max_row, 1.0) if max_row else None,
        )

    def _rows(self, rows: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, list[Any]]]:
        try:
            for line, cells in rows:
                self.current = line
                yield line, [_Formula(cell.coordinate, cell.value) if cell.data_type == "f" else cell for cell in cells]
        except Exception as error:  # broken XML inside the workbook shows only when its rows are read
            raise ImportFileError(
                _("%(file)s cannot be read after row %(line)s (%(error)s).")
                % {"file": self.name, "line": self.current, "error": f"{type(error).__name__}: {error}"}
            ) from None

    def __exit__(self, *exc_info: object) -> None:
        if self.workbook is not None:
            self.workbook.close()
            self.workbook = None


@dataclass(frozen=True)
class _Unreadable:
    """A CSV line the reader could not split (a quote left open, text after a closing quote)."""

    reason: str


@dataclass(frozen=True)
class _Formula:
    coordinate: str
    formula: str


_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([^\"]+)\"[^>]*>")


def _merged_ranges(sheet: Any) -> list[str]:
    """The merged ranges of a read-only sheet (which openpyxl does not expose in that mode).

    They are <mergeCell ref="A1:B2"/> elements after the sheet's data; the raw
    XML is scanned in chunks, which costs a fraction of parsing it and keeps
    memory flat. Text in the sheet cannot fake one: '<' is escaped in XML text.
    """
    ranges: list[str] = []
    tail = b""
    with sheet._get_source() as source:
        while chunk := source.read(_CHUNK):
            window = tail + chunk
            ranges.extend(match.decode("ascii", "replace") for match in _MERGE_CELL.findall(window))
            # A tag cut in two by the chunk boundary (a '<' without its '>') is found in the next window.
            cut = window.rfind(b"<")
            tail = window[cut:] if cut >= 0 and b">" not in window[cut:] else b""
    return ranges


def _cell_text(cell: Any) -> str:
    """A cell's value as the text a CSV would hold: spreadsheets store codes as numbers and dates as dates."""
    value = getattr(cell, "value", cell)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


# The header.


@dataclass(frozen=True)
class _Layout:
    kind: str
    fields: list[str | None]  # per column: the record field it feeds, or None (ignored)
    ignored: list[str]


def normalize_header(text: str) -> str:
    """'Codice Fiscale ' -> 'codice_fiscale', 'Comune (sede legale)' -> 'comune_sede_legale'."""
    text = text.replace("\ufeff", "")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")


def _detect_layout(header: list[str], name: str) -> _Layout:
    names = [normalize_header(column) for column in header]
    while names and not names[-1]:
        names.pop()
    if "legal_name" in names:
        unknown = [header[i] for i, column in enumerate(names) if column and column not in TEMPLATE_COLUMNS]
        if unknown:
            raise ImportFileError(
                _("%(file)s: unknown columns %(columns)s. The template's columns are: %(known)s.")
                % {"file": name, "columns": ", ".join(repr(c) for c in unknown), "known": ", ".join(TEMPLATE_COLUMNS)}
            )
        fields = [column if column and column not in INFORMATIONAL_COLUMNS else None for column in names]
        _refuse_repeated(fields, header, name)
        return _Layout(kind=TEMPLATE, fields=fields, ignored=[])
    aliases = {alias: target for target, variants in RUNTS_COLUMNS.items() for alias in variants}
    fields = [aliases.get(column) for column in names]
    missing = [target for target in RUNTS_REQUIRED if target not in fields]
    if missing:
        raise ImportFileError(
            _(
                "%(file)s: the header matches neither layout. A RUNTS list needs the columns codice fiscale, "
                "denominazione, sezione and comune (missing here: %(missing)s); the template has legal_name "
                "and the columns listed in docs/ecosystem-import.md."
            )
            % {"file": name, "missing": ", ".join(RUNTS_COLUMNS[target][0] for target in missing)}
        )
    _refuse_repeated(fields, header, name)
    ignored = [header[i] for i, target in enumerate(fields) if target is None and header[i].strip()]
    return _Layout(kind=RUNTS, fields=fields, ignored=ignored)


def _refuse_repeated(fields: list[str | None], header: list[str], name: str) -> None:
    for target in {f for f in fields if f}:
        columns = [header[i] for i, f in enumerate(fields) if f == target]
        if len(columns) > 1:
            raise ImportFileError(
                _("%(file)s: the columns %(columns)s all give %(field)s; keep one.")
                % {"file": name, "columns": ", ".join(repr(c) for c in columns), "field": target}
            )


# Rows.


class _SeenCodes:
    """The codici fiscali met so far and their first line, in a temporary SQLite file (flat memory)."""

    def __enter__(self) -> _SeenCodes:
        # An empty name: a private temporary database on disk, removed when closed.
        self.connection = sqlite3.connect("")
        self.connection.execute("CREATE TABLE seen (code TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID")
        return self

    def repeated(self, codes: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
        """Record (code, line) pairs in file order; return (code, line, first line) for each repetition."""
        if not codes:
            return []
        placeholders = ",".join("?" * len(codes))
        first: dict[str, int] = dict(
            self.connection.execute(
                f"SELECT code, line FROM seen WHERE code IN ({placeholders})",  # noqa: S608 - placeholders only
                [code for code, _line in codes],
            )
        )
        repeated, new = [], {}
        for code, line in codes:
            if code in first:
                repeated.append((code, line, first[code]))
            else:
                first[code] = new[code] = line
        self.connection.executemany("INSERT INTO seen VALUES (?, ?)", new.items())
        return repeated

    def __exit__(self, *exc_info: object) -> None:
        self.connection.close()


@dataclass
class _Run:
    report: ImportReport
    layout: _Layout
    cleaner: OrganizationCleaner
    seen: _SeenCodes
    source: str
    user: AbstractBaseUser | None
    reason: str

    def read(self, table: _Table, *, write: bool, progress: Progress | None, batch_size: int) -> None:
        batch: list[tuple[int, list[Any]]] = []
        for line, cells in table.rows:
            if all(_is_blank(cell) for cell in cells):
                continue
            batch.append((line, cells))
            if len(batch) >= batch_size:
                self._batch(batch, write=write)
                batch = []
                if progress:
                    progress(self.report.rows, table.position())
        if batch:
            self._batch(batch, write=write)
        if progress:
            progress(self.report.rows, 1.0)
        if self.report.rows == 0:
            raise ImportFileError(_("%(file)s has a header but no rows.") % {"file": self.report.file_name})

    def _batch(self, rows: list[tuple[int, list[Any]]], *, write: bool) -> None:
        self.report.rows += len(rows)
        problems: dict[int, list[tuple[str, str]]] = {}
        records: dict[int, OrganizationRecord] = {}
        codes: list[tuple[str, int]] = []
        for line, cells in rows:
            if isinstance(cells[0], _Unreadable):
                problems[line] = [("", cells[0].reason)]
                continue
            data, row_problems = self._data(cells)
            try:
                record = self.cleaner.clean(data, creating=True)
            except ValidationError as error:
                row_problems += [
                    (name, message) for name, messages in error.message_dict.items() for message in messages
                ]
                # A rejected row's codice fiscale still counts: a later row with it is a repetition.
                code = _valid_code(data.get("codice_fiscale"))
            else:
                if self.layout.kind == RUNTS and record.values.get("runts_section"):
                    record = record.with_defaults(legal_form=LEGAL_FORM_OF_SECTION[record.values["runts_section"]])
                records[line] = record
                code = record.codice_fiscale
            if code:
                codes.append((code, line))
            if row_problems:
                problems[line] = row_problems
        for code, line, first in self.seen.repeated(codes):
            problems.setdefault(line, []).append(
                (
                    "codice_fiscale",
                    _("%(code)s is repeated: line %(line)s has it already.") % {"code": code, "line": first},
                )
            )
        for line, row_problems in sorted(problems.items()):
            self.report.reject(line, row_problems)
            records.pop(line, None)
        lines = list(records)
        plans = plan_writes(list(records.values()))
        for line, plan in zip(lines, plans, strict=True):
            self._count(line, plan)
        if write and self.report.acceptable:
            apply_writes(plans, user=self.user, reason=self.reason)

    def _data(self, cells: list[Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """The row's values by record field, and the problems of its cells (formulas, extra values)."""
        fields = self.layout.fields
        data: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        for index, cell in enumerate(cells):
            target = fields[index] if index < len(fields) else None
            if isinstance(cell, _Formula):
                problems.append(
                    (
                        target or _("column %(column)s") % {"column": cell.coordinate.rstrip("0123456789")},
                        _("cell %(cell)s holds a formula (%(formula)s): replace it with its value.")
                        % {"cell": cell.coordinate, "formula": str(cell.formula)[:60]},
                    )
                )
                continue
            if index >= len(fields):
                if not _is_blank(cell):
                    problems.append(
                        (
                            "",
                            _("%(count)s values for %(columns)s columns.")
                            % {"count": len(cells), "columns": len(fields)},
                        )
                    )
                    break
                continue
            if target:
                data[target] = _cell_text(cell).strip()
        for target in fields:
            if target:
                data.setdefault(target, "")
        if self.source and not data.get("source"):
            data["source"] = self.source
        return data, problems

    def _count(self, line: int, plan: PlannedWrite) -> None:
        report = self.report
        if plan.unchanged:
            report.unchanged += 1
            return
        row = WrittenRow(
            line=line,
            codice_fiscale=plan.record.codice_fiscale or "",
            legal_name=str(plan.record.values.get("legal_name", "")),
            changes=plan.changes,
        )
        if plan.creates:
            report.created += 1
            if len(report.created_rows) < LISTED:
                report.created_rows.append(row)
        else:
            report.changed += 1
            if len(report.changed_rows) < LISTED:
                report.changed_rows.append(row)


def _is_blank(cell: Any) -> bool:
    return not isinstance(cell, _Formula | _Unreadable) and _cell_text(cell).strip() == ""


def _valid_code(value: Any) -> str | None:
    """The normalized codice fiscale of a row if it is valid, to find repeated ones even in rejected rows."""
    if not value:
        return None
    code = normalize_codice_fiscale(str(value))
    try:
        validate_codice_fiscale(code)
    except ValidationError:
        return None
    return code
