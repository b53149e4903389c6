"""manage.py import_organizations FILE [--dry-run] [--accept-valid-rows] [--source TEXT]"""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.ecosystem.imports import ImportFileError, ImportReport, import_organizations

# How often the progress line is refreshed on a terminal, and written when the output is a log.
TERMINAL_INTERVAL = 0.5
LOG_INTERVAL = 10.0


class Command(BaseCommand):
    help = (
        "Import organizations from a CSV or XLSX file: a RUNTS list or the platform's template "
        "(docs/ecosystem-import.md). Idempotent on the codice fiscale; nothing is written while a row is rejected, "
        "unless --accept-valid-rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .csv (UTF-8 or Windows-1252, ';' or ',') or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="report what would change and write nothing")
        parser.add_argument(
            "--accept-valid-rows",
            action="store_true",
            help="write the valid rows even when others are rejected (default: write nothing then)",
        )
        parser.add_argument("--source", default="", help="data source written on rows that name none")

    def handle(
        self, *args: Any, file: Path, dry_run: bool, accept_valid_rows: bool, source: str, **options: Any
    ) -> None:
        started = time.monotonic()
        try:
            report = import_organizations(
                path=file,
                dry_run=dry_run,
                accept_valid_rows=accept_valid_rows,
                source=source,
                progress=self._progress() if options["verbosity"] > 0 else None,
            )
        except ImportFileError as error:
            raise CommandError(f"{error} Nothing was written.") from error
        self._report(report, seconds=time.monotonic() - started, verbosity=options["verbosity"])
        if not report.acceptable:
            outcome = "the file would not be written" if report.dry_run else "nothing was written"
            raise CommandError(
                f"{report.rejected_rows} rows rejected: {outcome}. Correct them, or import the valid rows alone "
                "with --accept-valid-rows."
            )

    def _progress(self) -> Any:
        """A progress line on a terminal (rewritten in place), a line every LOG_INTERVAL seconds in a log.

        Rows are counted as they are read; the share is the file's bytes read (CSV) or
        the sheet's rows (XLSX), so no first pass is needed to count the rows.
        """
        terminal = self.stdout.isatty()
        interval = TERMINAL_INTERVAL if terminal else LOG_INTERVAL
        last = [0.0]

        def show(rows: int, share: float | None) -> None:
            now = time.monotonic()
            done = share is not None and share >= 1.0
            if now - last[0] < interval and not done:
                return
            last[0] = now
            text = f"{rows:,} rows read" + (f" ({share:.0%})" if share is not None else "")
            if terminal:
                self.stdout.write(f"\r{text}", ending="\n" if done else "")
                self.stdout.flush()
            elif not done:
                self.stdout.write(text)

        return show

    def _report(self, report: ImportReport, *, seconds: float, verbosity: int) -> None:
        described = report.file_format.upper()
        if report.encoding:
            described += f", {report.encoding}, separator '{report.delimiter}'"
        self.stdout.write(f"{report.file_name}: {described}; layout: {report.layout}.")
        if report.ignored_columns:
            self.stdout.write(f"Columns ignored: {', '.join(report.ignored_columns)}.")
        if verbosity > 1:
            for row in report.created_rows:
                self.stdout.write(f"  line {row.line}: create {row.codice_fiscale} {row.legal_name}")
            for row in report.changed_rows:
                self.stdout.write(f"  line {row.line}: change {row.codice_fiscale} ({', '.join(row.changes)})")
        for rejection in report.rejections:
            self.stdout.write(self.style.ERROR(f"  {rejection}"))
        if report.unlisted_rejections:
            self.stdout.write(self.style.ERROR(f"  ... and {report.unlisted_rejections} more problems."))
        if report.dry_run:
            outcome = "dry run, nothing written"
        elif not report.acceptable:
            outcome = "nothing written"
        else:
            outcome = "written" if report.written else "nothing to write"
        summary = (
            f"{report.rows} rows in {seconds:.1f} s: created {report.created}, changed {report.changed}, "
            f"unchanged {report.unchanged}, rejected {report.rejected_rows} ({outcome})."
        )
        self.stdout.write(self.style.SUCCESS(summary) if report.acceptable else self.style.WARNING(summary))
