"""manage.py load_demo [--remove] [--territory TO] [--plan torino] [--count 500]"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.ecosystem.demo import DEMO_COUNT, DemoError, load_demo, remove_demo
from socialplan.monitoring.demo import load_monitoring_demo, remove_monitoring_demo
from socialplan.opportunities.demo import load_opportunities_demo, remove_opportunities_demo
from socialplan.opportunities.demo_awards import load_awards_demo, remove_awards_demo
from socialplan.participation.demo import load_participation_demo, remove_participation_demo
from socialplan.plan.models import Plan


class Command(BaseCommand):
    help = (
        "Load invented demo organizations (marked as demo) over the territory's comuni, with partnerships and "
        "pledges on the plan's actions, and demo values of the plan's indicators; a second run changes nothing. "
        "--remove deletes them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--remove", action="store_true", help="delete every demo organization instead")
        parser.add_argument("--territory", default="TO", help="territory whose comuni seat them (default TO)")
        parser.add_argument("--plan", default="torino", help="plan whose actions they join (default torino)")
        parser.add_argument("--count", type=int, default=DEMO_COUNT, help=f"organizations (default {DEMO_COUNT})")

    def handle(self, *args: Any, remove: bool, territory: str, plan: str, count: int, **options: Any) -> None:
        if remove:
            deleted = remove_demo()
            values = remove_monitoring_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Deleted {deleted} demo organizations and what hung on them, and {values} demo indicator values."
                )
            )
            remove_awards_demo()
            remove_participation_demo()
            opportunities = remove_opportunities_demo()
            self.stdout.write(self.style.SUCCESS(f"Deleted {opportunities} demo opportunities and their demo buyers."))
            return
        try:
            report = load_demo(territory_code=territory, plan_slug=plan, count=count)
        except DemoError as error:
            raise CommandError(str(error)) from error
        if report.held_by_real_organizations:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.held_by_real_organizations)} demo codici fiscali belong to real organizations; "
                    f"those demo organizations were skipped: {', '.join(report.held_by_real_organizations)}"
                )
            )
        if report.without_cpv:
            self.stdout.write(
                self.style.WARNING(
                    "The CPV table is empty: demo organizations have no CPV capabilities. Run `manage.py load_cpv` "
                    "first (and `load_demo --remove` to reload those created without them)."
                )
            )
        if not report.actions:
            self.stdout.write(self.style.WARNING(f"No actions in plan '{plan}': no demo partnerships or pledges."))
        demo_plan = Plan.objects.filter(slug=plan).first()
        if demo_plan is not None:
            values = load_monitoring_demo(plan=demo_plan)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo indicator values: {values.updates} approved values on {values.indicators} indicators "
                    f"({values.skipped} indicators with real periods left alone)."
                )
            )
        opportunities = load_opportunities_demo()
        if opportunities.missing_cpv:
            self.stdout.write(
                self.style.WARNING(
                    "CPV codes not in the table, left out of the demo opportunities: "
                    f"{', '.join(opportunities.missing_cpv)} (run `manage.py load_cpv` first)."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo opportunities: {opportunities.created} created ({opportunities.already_present} already there), "
                f"{opportunities.buyers_created} demo buyers created."
            )
        )
        awards = load_awards_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo awards with their social value: {len(awards)}."))
        if demo_plan is not None:
            participation = load_participation_demo(plan=demo_plan)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo participation: process '{participation.process.slug}', "
                    f"{participation.participants_created} participants created; {'; '.join(participation.loaded)}"
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo: {report.organizations} organizations created ({report.already_present} already there), "
                f"{report.partnerships} partnerships, {report.pledges} pledges and {report.progress_reports} "
                f"progress reports on {report.actions} actions."
            )
        )
