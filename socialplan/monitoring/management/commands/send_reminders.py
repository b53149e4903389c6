"""manage.py send_reminders: enqueue today's reminders of the open monitoring cycles (run it daily, e.g. by cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from socialplan.monitoring.tasks import send_cycle_reminders


class Command(BaseCommand):
    help = (
        "Enqueue the background task that emails the reporters who still owe a report in an open monitoring "
        "cycle (before and after its due date). With the default backend the task runs at once; with "
        "TASKS_BACKEND=django_tasks_db.DatabaseBackend a `manage.py db_worker` runs it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_cycle_reminders.enqueue()
        if result.is_finished:
            figures = result.return_value
            self.stdout.write(
                self.style.SUCCESS(f"Reminders: {figures['emails']} emails for {figures['cycles']} open cycles.")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Reminders enqueued as task {result.id}."))
