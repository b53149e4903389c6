"""Background tasks of monitoring (django-tasks): the daily reminders and the cycles' PDF reports."""

from django.utils import timezone
from django_tasks import task

from .cycles import send_reminders
from .models import Cycle
from .report import report_languages, store_pdf


@task()
def send_cycle_reminders() -> dict[str, int]:
    """Send today's reminders; the result says how many cycles were looked at and how many emails went out."""
    sent = send_reminders(today=timezone.localdate())
    return {"cycles": sent.cycles, "emails": sent.emails}


@task()
def build_cycle_report(cycle_id: int) -> dict[str, int]:
    """Build and keep the PDF report of one cycle in every language; the result gives each file's size."""
    cycle = Cycle.objects.select_related("plan").get(pk=cycle_id)
    return {language: store_pdf(cycle=cycle, language=language).size for language in report_languages()}


@task()
def build_open_cycle_reports() -> dict[str, int]:
    """Rebuild the reports of the open cycles (run daily): their figures change as reports come in."""
    built = 0
    for cycle in Cycle.objects.filter(closed_at__isnull=True).select_related("plan"):
        for language in report_languages():
            store_pdf(cycle=cycle, language=language)
            built += 1
    return {"reports": built}
