"""manage.py load_territory TO [--file PATH] [--overwrite]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.territory.reader import TerritoryFileError
from socialplan.territory.services import (
    UnknownTerritory,
    available_territories,
    load_territory,
    load_territory_file,
)


class Command(BaseCommand):
    help = "Load a territory (comuni, population, boundaries) from its file in the repository."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help=f"the territory to load; known: {', '.join(available_territories())}")
        parser.add_argument("--file", type=Path, help="load this territory file instead of the repository's")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="replace values that differ from the file (default: report and keep)",
        )

    def handle(self, *args: Any, code: str, file: Path | None, overwrite: bool, **options: Any) -> None:
        try:
            if file is None:
                report = load_territory(code=code, overwrite=overwrite)
            else:
                report = load_territory_file(path=file, overwrite=overwrite, expected_code=code.upper())
        except (UnknownTerritory, TerritoryFileError) as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] > 1:
            for label in report.created:
                self.stdout.write(f"created {label}")
        for label in report.updated:
            self.stdout.write(f"overwritten {label}")
        if report.differences:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.differences)} differences between the database and the territory file were kept; "
                    "run with --overwrite to replace them:"
                )
            )
            for difference in report.differences:
                self.stdout.write(f"  {difference}")
        if report.missing_from_file:
            self.stdout.write(
                self.style.WARNING(f"{len(report.missing_from_file)} comuni are not in the file and were kept:")
            )
            for label in report.missing_from_file:
                self.stdout.write(f"  {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Territory '{report.territory}': {len(report.created)} created, {len(report.updated)} overwritten, "
                f"{report.unchanged} unchanged, {len(report.differences)} differences kept."
            )
        )
