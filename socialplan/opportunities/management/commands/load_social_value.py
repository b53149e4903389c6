"""manage.py load_social_value [--file PATH]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.opportunities.social_value import CONTENT_FILE, SocialValueDataError, load_social_value


class Command(BaseCommand):
    help = "Load the social value measures and their indicative proxy values (EUR per unit) from a YAML file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=CONTENT_FILE, help=f"the YAML file (default: {CONTENT_FILE})")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            report = load_social_value(file)
        except SocialValueDataError as error:
            raise CommandError(
                f"Nothing was loaded: {error.path} - {error.entry}, field '{error.field}': {error.reason}."
            ) from error
        for code in report.created:
            self.stdout.write(f"created {code}")
        for code in report.updated:
            self.stdout.write(f"updated {code}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Social value measures: {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged."
            )
        )
