"""Background tasks of monitoring (django-tasks): the daily reminders of open cycles."""

from django.utils import timezone
from django_tasks import task

from .cycles import send_reminders


@task()
def send_cycle_reminders() -> dict[str, int]:
    """Send today's reminders; the result says how many cycles were looked at and how many emails went out."""
    sent = send_reminders(today=timezone.localdate())
    return {"cycles": sent.cycles, "emails": sent.emails}
