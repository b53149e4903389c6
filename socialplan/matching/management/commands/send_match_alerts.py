"""manage.py send_match_alerts"""

from typing import Any

from django.core.management.base import BaseCommand

from socialplan.matching.tasks import send_match_alerts


class Command(BaseCommand):
    help = "Email the alert subscribers their new matching opportunities (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_match_alerts.enqueue()
        if result.is_finished:
            self.stdout.write(self.style.SUCCESS(f"Done: {result.return_value}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"Enqueued as task {result.id}."))
