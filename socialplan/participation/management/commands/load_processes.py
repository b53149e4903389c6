"""Load the participatory process that built a plan, with the plan's own phases."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.participation.services import ContentError, sync_plan_history
from socialplan.plan.models import Plan


class Command(BaseCommand):
    help = "Create or update the process that built the plan (participation/content/<name>.yaml)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Plan slug and content file name, e.g. 'torino'.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        plan = Plan.objects.filter(slug=name).first()
        if plan is None:
            raise CommandError(f"No plan '{name}': run load_plan {name} first.")
        try:
            report = sync_plan_history(plan=plan, name=name)
        except ContentError as error:
            raise CommandError(str(error)) from error
        verb = "created" if report.created else "updated"
        self.stdout.write(f"Process '{report.process.slug}' {verb} with {report.phases} phases.")
