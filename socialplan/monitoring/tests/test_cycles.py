"""Monitoring cycles: who owes a report, who is late, and reminders before and after the due date."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.ecosystem.models import Membership
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.monitoring.cycles import close_cycle, cycle_status, open_cycle, send_reminders
from socialplan.monitoring.models import Reminder, Update
from socialplan.monitoring.services import Report, create_draft, submit_update

from .conftest import H1_2025

DUE = date(2025, 7, 31)


@pytest.fixture
def cycle(torino, roles, hired):
    return open_cycle(
        plan=torino,
        user=roles.editor,
        title_it="Primo semestre 2025",
        title_en="First semester 2025",
        starts_on=date(2025, 6, 1),
        ends_on=date(2025, 6, 30),
        due_date=DUE,
    )


def test_only_the_plan_office_opens_a_cycle_and_only_on_periods_that_exist(torino, roles, hired):
    window = {"title_it": "Ciclo", "starts_on": date(2025, 6, 1), "ends_on": date(2025, 6, 30), "due_date": DUE}
    for role in ("coordinator", "member", "participant"):
        with pytest.raises(PermissionDenied):
            open_cycle(plan=torino, user=getattr(roles, role), **window)
    with pytest.raises(ValidationError, match="No period"):
        open_cycle(
            plan=torino,
            user=roles.editor,
            **{**window, "starts_on": date(2030, 1, 1), "ends_on": date(2030, 6, 30), "due_date": date(2030, 7, 31)},
        )
    with pytest.raises(ValidationError):
        open_cycle(plan=torino, user=roles.editor, **{**window, "due_date": date(2025, 6, 1)})


def test_the_dashboard_says_who_has_reported_who_waits_for_review_and_who_is_late(cycle, hired, reporter):
    status = cycle_status(cycle=cycle, today=DUE)
    assert [(item.period.end, item.reporter) for item in status.obligations] == [(H1_2025, reporter)]
    assert status.missing and not status.late

    update = create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=Decimal(4)))
    assert cycle_status(cycle=cycle, today=DUE + timedelta(days=1)).late  # a draft does not count

    submit_update(update=update, reporter=reporter)
    status = cycle_status(cycle=cycle, today=DUE + timedelta(days=1))
    assert not status.late and len(status.reported) == 1 and len(status.waiting_for_review) == 1


def test_reminders_go_before_the_due_date_once_then_every_interval_after_it(cycle, reporter):
    assert send_reminders(today=DUE - timedelta(days=8)).emails == 0  # the window has not opened
    assert send_reminders(today=DUE - timedelta(days=7)).emails == 1
    assert send_reminders(today=DUE - timedelta(days=7)).emails == 0  # never twice a day
    assert send_reminders(today=DUE - timedelta(days=2)).emails == 0  # one before the due date
    assert send_reminders(today=DUE + timedelta(days=1)).emails == 1
    assert send_reminders(today=DUE + timedelta(days=5)).emails == 0
    assert send_reminders(today=DUE + timedelta(days=8)).emails == 1
    assert [message.to for message in mail.outbox] == [[reporter.email]] * 3
    assert "Primo semestre 2025" in mail.outbox[0].subject
    assert "First semester 2025" in mail.outbox[0].body and "Primo semestre 2025" in mail.outbox[0].body
    assert list(Reminder.objects.order_by("sent_on").values_list("kind", flat=True)) == ["before", "after", "after"]


def test_no_reminder_once_reported_or_closed(cycle, hired, reporter, roles):
    update = create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=Decimal(4)))
    submit_update(update=update, reporter=reporter)
    assert send_reminders(today=DUE + timedelta(days=1)).emails == 0
    update.status = Update.Status.RETURNED
    update.save()
    assert send_reminders(today=DUE + timedelta(days=1)).emails == 1  # returned: owed again
    close_cycle(cycle=cycle, user=roles.editor)
    assert send_reminders(today=DUE + timedelta(days=30)).emails == 0


def test_an_organization_owes_its_report_and_its_approved_members_are_reminded(cycle, hired, reporter):
    organization = make_organization()
    hired.reporting_organizations.add(organization)
    member = User.objects.create_user(email="member-of-org@example.org", password="x")
    pending = User.objects.create_user(email="pending@example.org", password="x")
    Membership.objects.create(user=member, organization=organization, status=Membership.Status.APPROVED)
    Membership.objects.create(user=pending, organization=organization, status=Membership.Status.REQUESTED)

    send_reminders(today=DUE + timedelta(days=1))
    assert sorted(message.to[0] for message in mail.outbox) == [member.email, reporter.email]
    assert organization.legal_name in next(m.body for m in mail.outbox if m.to == [member.email])


def test_the_command_runs_the_reminders_as_a_background_task(torino, roles, hired, reporter):
    today = timezone.localdate()
    period = hired.periods.order_by("start").first()
    open_cycle(
        plan=torino,
        user=roles.editor,
        title_it="Ciclo di oggi",
        starts_on=period.end,
        ends_on=period.end,
        due_date=max(today, period.end),
        remind_before_days=0,
    )
    output = StringIO()
    call_command("send_reminders", stdout=output)
    expected = 1 if today > max(today, period.end) else 0
    assert f"Reminders: {expected} emails for 1 open cycles." in output.getvalue()


def test_the_cycle_dashboard_in_the_back_office(cycle, roles):
    client = Client()
    client.force_login(roles.editor)
    page = client.get(f"/admin/monitoring/cycle/{cycle.pk}/change/").content.decode()
    assert "reporter@example.org" in page
    coordinator = Client()
    coordinator.force_login(roles.coordinator)
    assert coordinator.get(f"/admin/monitoring/cycle/{cycle.pk}/change/").status_code in (302, 403)
