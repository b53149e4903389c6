"""manage.py import_ocds FILE [--dry-run] [--accept-valid]"""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.opportunities.ocds_import import ImportRefused, ImportReport, import_ocds

# How often the progress line is refreshed on a terminal, and written when the output is a log.
TERMINAL_INTERVAL = 0.5
LOG_INTERVAL = 10.0
# Problems listed in full; beyond them, a count.
SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import OCDS releases (a release package, a record package, a list of compiled releases or JSON Lines, "
        "optionally gzipped) into the opportunity registry. Idempotent on the ocid; nothing is written while a "
        "release is refused, unless --accept-valid. See docs/ocds.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .json, .jsonl or .jsonl.gz file")
        parser.add_argument("--dry-run", action="store_true", help="report what would change and write nothing")
        parser.add_argument(
            "--accept-valid",
            action="store_true",
            help="write the valid releases even when others are refused (default: write nothing then)",
        )

    def handle(self, *args: Any, file: Path, dry_run: bool, accept_valid: bool, **options: Any) -> None:
        started = time.monotonic()
        try:
            report = import_ocds(
                file,
                dry_run=dry_run,
                accept_valid=accept_valid,
                progress=self._progress() if options["verbosity"] > 0 else None,
            )
        except ImportRefused as refused:
            self._report(refused.report, seconds=time.monotonic() - started)
            raise CommandError(str(refused)) from refused
        self._report(report, seconds=time.monotonic() - started)
        outcome = "dry run: nothing written" if dry_run else "written"
        self.stdout.write(self.style.SUCCESS(f"{outcome}."))

    def _progress(self) -> Any:
        terminal = self.stdout.isatty()
        interval = TERMINAL_INTERVAL if terminal else LOG_INTERVAL
        last = [time.monotonic()]

        def show(releases: int) -> None:
            now = time.monotonic()
            if now - last[0] < interval:
                return
            last[0] = now
            if terminal:
                self.stdout.write(f"\r{releases:,} releases read", ending="")
                self.stdout.flush()
            else:
                self.stdout.write(f"{releases:,} releases read")

        return show

    def _report(self, report: ImportReport, *, seconds: float) -> None:
        self.stdout.write(
            f"\n{report.read} releases read in {seconds:.1f} s: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.refused_releases} refused, {report.buyers_created} new buyers, "
            f"{report.awards} awards."
        )
        for refusal in report.refused[:SHOWN]:
            self.stdout.write(f"refused: {refusal}")
        if report.notices_total:
            self.stdout.write(f"{report.notices_total} problems reported (written as read, the raw value kept):")
            for notice in report.notices[:SHOWN]:
                self.stdout.write(f"  {notice}")
            if report.notices_total > SHOWN:
                self.stdout.write(f"  ... and {report.notices_total - SHOWN} more")
