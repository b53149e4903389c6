"""manage.py load_legal_bases [--file PATH]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.opportunities.legal_bases import CONTENT_FILE, LegalBasisDataError, load_legal_bases


class Command(BaseCommand):
    help = "Load the legal bases of opportunities, with their eligibility rules and value caps, from a YAML file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=CONTENT_FILE, help=f"the YAML file (default: {CONTENT_FILE})")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            report = load_legal_bases(file)
        except LegalBasisDataError as error:
            raise CommandError(
                f"Nothing was loaded: {error.path} - {error.entry}, field '{error.field}': {error.reason}."
            ) from error
        for code in report.created:
            self.stdout.write(f"created {code}")
        for code in report.updated:
            self.stdout.write(f"updated {code}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Legal bases: {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged."
            )
        )
