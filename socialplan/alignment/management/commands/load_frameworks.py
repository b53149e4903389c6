"""manage.py load_frameworks [--overwrite] [--data-dir FOLDER]"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.alignment.reference_data import DATA_DIR, ReferenceDataError
from socialplan.alignment.services import load_frameworks


class Command(BaseCommand):
    help = (
        "Load the reference frameworks (EU Social Economy Action Plan, Council Recommendation, Transition "
        "pathway, UN A/RES/77/281, OECD, ILO, the SDGs) and their items from socialplan/alignment/data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir", type=Path, default=DATA_DIR, help=f"the folder of the reference files (default: {DATA_DIR})"
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="replace what administrators changed with the files (default: report and keep)",
        )

    def handle(self, *args: Any, data_dir: Path, overwrite: bool, **options: Any) -> None:
        try:
            report = load_frameworks(data_dir=data_dir, overwrite=overwrite)
        except ReferenceDataError as error:
            raise CommandError(f"Nothing was loaded: {error.path} - {error.item}: {error.reason}.") from error
        except ValidationError as error:
            raise CommandError(f"Nothing was loaded from {data_dir}: {'; '.join(error.messages)}") from error
        if options["verbosity"] > 1:
            for label in report.created:
                self.stdout.write(f"created {label}")
        for label in report.updated:
            self.stdout.write(f"updated {label}")
        if report.differences:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.differences)} differences between the database and the files were kept "
                    "(changed on the platform); run with --overwrite to replace them:"
                )
            )
            for difference in report.differences:
                self.stdout.write(f"  {difference}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Frameworks: {len(report.created)} created, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged, {len(report.differences)} differences kept."
            )
        )
