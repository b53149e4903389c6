"""manage.py build_report: build the PDF monitoring report of cycles (by id, or every open one with --open)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialplan.monitoring.models import Cycle
from socialplan.monitoring.tasks import build_cycle_report, build_open_cycle_reports


class Command(BaseCommand):
    help = (
        "Enqueue the background task that builds the PDF report of monitoring cycles, in Italian and English. "
        "Give cycle ids, or --open for every open cycle (run it daily beside send_reminders). With the default "
        "backend the task runs at once; with TASKS_BACKEND=django_tasks_db.DatabaseBackend a `manage.py db_worker` "
        "runs it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("cycles", nargs="*", type=int, help="ids of the cycles")
        parser.add_argument("--open", action="store_true", help="every cycle not yet closed")

    def handle(self, *args: Any, **options: Any) -> None:
        ids: list[int] = options["cycles"]
        if not ids and not options["open"]:
            raise CommandError("Give the ids of the cycles, or --open for every open cycle.")
        unknown = sorted(set(ids) - set(Cycle.objects.filter(pk__in=ids).values_list("pk", flat=True)))
        if unknown:
            raise CommandError(f"No monitoring cycle with id {', '.join(map(str, unknown))}.")
        results = [build_cycle_report.enqueue(cycle_id) for cycle_id in ids]
        if options["open"]:
            results.append(build_open_cycle_reports.enqueue())
        for result in results:
            if result.is_finished:
                self.stdout.write(self.style.SUCCESS(f"Built: {result.return_value}"))
            else:
                self.stdout.write(self.style.SUCCESS(f"Enqueued as task {result.id}."))
