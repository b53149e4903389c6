"""manage.py load_plan torino [--overwrite]"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.plan.services import UnknownPlanContent, available_plan_contents, load_plan


class Command(BaseCommand):
    help = (
        "Load a plan's content (themes, objectives, actions, phases, references) from the repository, "
        "with what other apps keep under the same name (the indicator set)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help=f"the plan to load; known: {', '.join(available_plan_contents())}")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="replace content that editors changed with the content file (default: report and keep)",
        )

    def handle(self, *args: Any, name: str, overwrite: bool, **options: Any) -> None:
        try:
            report = load_plan(name=name, overwrite=overwrite)
        except UnknownPlanContent as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(f"The content file '{name}' is not valid: {'; '.join(error.messages)}") from error
        if options["verbosity"] > 1:
            for label in report.created:
                self.stdout.write(f"created {label}")
        for label in report.updated:
            self.stdout.write(f"overwritten {label}")
        if report.differences:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.differences)} differences between the database and the content file were kept "
                    "(edited on the platform); run with --overwrite to replace them:"
                )
            )
            for difference in report.differences:
                self.stdout.write(f"  {difference}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Plan '{name}': {len(report.created)} created, {len(report.updated)} overwritten, "
                f"{report.unchanged} unchanged, {len(report.differences)} differences kept."
            )
        )
