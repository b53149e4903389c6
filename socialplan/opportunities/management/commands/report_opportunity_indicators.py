"""manage.py report_opportunity_indicators --reporter EMAIL [--plan SLUG] [--on YYYY-MM-DD]"""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.opportunities.indicators import report_computed_indicators
from socialplan.plan.models import Plan


class Command(BaseCommand):
    help = (
        "Compute the plan's procurement indicators (value awarded to social economy organizations, share of public "
        "procurement with social clauses) from the awards, for every ended period without an approved value, and "
        "submit them for review as the given reporter (assigned to those indicators). Run after each period ends."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reporter", required=True, help="email of the user who reports (assigned reporter)")
        parser.add_argument("--plan", default="torino", help="plan slug (default torino)")
        parser.add_argument("--on", type=date.fromisoformat, help="the day of the run (default today)")

    def handle(self, *args: Any, reporter: str, plan: str, on: date | None, **options: Any) -> None:
        user = User.objects.filter(email__iexact=reporter).first()
        if user is None:
            raise CommandError(f"No user with the email {reporter}.")
        found = Plan.objects.filter(slug=plan).first()
        if found is None:
            raise CommandError(f"No plan '{plan}'.")
        result = report_computed_indicators(plan=found, reporter=user, on=on or timezone.localdate())
        for update in result.submitted:
            period = update.period
            self.stdout.write(f"Submitted {period.indicator.code} {period.start} - {period.end}")
        for reason in result.skipped:
            self.stdout.write(self.style.WARNING(f"Skipped {reason}"))
        self.stdout.write(self.style.SUCCESS(f"{len(result.submitted)} submitted, {len(result.skipped)} skipped."))
