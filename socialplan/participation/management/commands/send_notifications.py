"""Send the participants' notifications: `--frequency immediate` every few minutes, daily and weekly by cron."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from socialplan.participation.notifications import purge_sent_notifications, send_notifications


class Command(BaseCommand):
    help = "Email each participant their unsent notifications, at the frequency they chose."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--frequency", choices=["immediate", "daily", "weekly"], default="daily")

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_notifications(frequency=options["frequency"])
        purged = purge_sent_notifications()
        self.stdout.write(
            f"{result['emails']} emails, {result['notifications']} notifications sent; "
            f"{result['silenced']} not sent (emails turned off); {purged} old notifications deleted."
        )
