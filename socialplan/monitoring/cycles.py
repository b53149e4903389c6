"""Monitoring cycles: who must report, who has, who is late, and the reminders.

A cycle asks for every period of the plan's indicators that ends within its
window. Each period is owed by each reporter assigned to the indicator in
person, and by each organization assigned to it (any approved member reports
for the organization). An obligation is met by an update submitted or
approved; a draft or a returned update does not meet it. After the due date an
unmet obligation is late.

Reminders (`send_reminders`, run daily by the `send_reminders` command through
a background task) go to the people who still owe a report: once
`remind_before_days` before the due date, then every `remind_every_days_after`
days after it, until the cycle is closed. A person gets one email per cycle
and day listing everything they owe; a second run the same day sends nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from socialplan.accounts.rules import is_plan_office
from socialplan.ecosystem.models import Membership, Organization
from socialplan.plan.models import Plan

from .models import Cycle, Period, Reminder, Update

MET = (Update.Status.SUBMITTED, Update.Status.APPROVED)


@dataclass(frozen=True)
class Obligation:
    """One report owed: a period, by a person or by an organization, and where it stands."""

    period: Period
    reporter: Any | None
    organization: Organization | None
    update: Update | None

    @property
    def met(self) -> bool:
        return self.update is not None and self.update.status in MET

    @property
    def state(self) -> str:
        return self.update.status if self.update is not None else "missing"


@dataclass
class CycleStatus:
    cycle: Cycle
    today: date
    obligations: list[Obligation]

    @property
    def is_late(self) -> bool:
        return self.today > self.cycle.due_date

    @property
    def reported(self) -> list[Obligation]:
        return [item for item in self.obligations if item.met]

    @property
    def missing(self) -> list[Obligation]:
        return [item for item in self.obligations if not item.met]

    @property
    def late(self) -> list[Obligation]:
        return self.missing if self.is_late else []

    @property
    def waiting_for_review(self) -> list[Obligation]:
        return [item for item in self.obligations if item.state == Update.Status.SUBMITTED]


def open_cycle(
    *,
    plan: Plan,
    user: Any,
    title_it: str,
    starts_on: date,
    ends_on: date,
    due_date: date,
    title_en: str = "",
    remind_before_days: int = 7,
    remind_every_days_after: int = 7,
) -> Cycle:
    """The plan office opens a cycle; the window must hold at least one period of the plan."""
    if not is_plan_office(user):
        raise PermissionDenied("Only the plan office opens monitoring cycles.")
    cycle = Cycle(
        plan=plan,
        title_it=title_it,
        title_en=title_en,
        starts_on=starts_on,
        ends_on=ends_on,
        due_date=due_date,
        remind_before_days=remind_before_days,
        remind_every_days_after=remind_every_days_after,
        opened_by=user,
    )
    cycle.full_clean()
    if not _periods(cycle).exists():
        raise ValidationError(
            {"ends_on": f"No period of the plan's indicators ends between {starts_on} and {ends_on}."}
        )
    cycle.save()
    return cycle


def close_cycle(*, cycle: Cycle, user: Any) -> Cycle:
    if not is_plan_office(user):
        raise PermissionDenied("Only the plan office closes monitoring cycles.")
    if cycle.closed_at is None:
        cycle.closed_at = timezone.now()
        cycle.save(update_fields=["closed_at"])
    return cycle


def _periods(cycle: Cycle) -> Any:
    return Period.objects.filter(indicator__plan=cycle.plan, end__gte=cycle.starts_on, end__lte=cycle.ends_on).order_by(
        "indicator__order", "indicator__code", "start"
    )


def cycle_status(*, cycle: Cycle, today: date) -> CycleStatus:
    """Every obligation of the cycle with its latest update. Five queries whatever the size."""
    # A period nobody is assigned to report on owes nothing: its updates are not read.
    assigned = Q(indicator__reporters__isnull=False) | Q(indicator__reporting_organizations__isnull=False)
    periods = list(
        _periods(cycle)
        .filter(pk__in=_periods(cycle).filter(assigned).values("pk"))
        .select_related("indicator")
        .prefetch_related(
            Prefetch("indicator__reporters"),
            Prefetch("indicator__reporting_organizations"),
            Prefetch(
                "updates",
                queryset=Update.objects.order_by("pk").only(
                    "pk", "period_id", "status", "reporter_id", "organization_id"
                ),
            ),
        )
    )
    obligations = []
    for period in periods:
        updates = list(period.updates.all())
        for person in period.indicator.reporters.all():
            own = [update for update in updates if update.reporter_id == person.pk and update.organization_id is None]
            obligations.append(Obligation(period, person, None, own[-1] if own else None))
        for organization in period.indicator.reporting_organizations.all():
            theirs = [update for update in updates if update.organization_id == organization.pk]
            obligations.append(Obligation(period, None, organization, _best(theirs)))
    return CycleStatus(cycle=cycle, today=today, obligations=obligations)


def _best(updates: list[Update]) -> Update | None:
    """An organization's update that counts: one submitted or approved if any, else the latest."""
    met = [update for update in updates if update.status in MET]
    return (met or updates or [None])[-1]


def _recipients(status: CycleStatus) -> dict[Any, list[Obligation]]:
    """Each person who owes a report, with what they owe (for an organization: its approved members)."""
    owed: dict[Any, list[Obligation]] = defaultdict(list)
    organizations = {item.organization.pk for item in status.missing if item.organization is not None}
    members: dict[int, list[Any]] = defaultdict(list)
    for membership in Membership.objects.filter(
        organization_id__in=organizations, status=Membership.Status.APPROVED
    ).select_related("user"):
        members[membership.organization_id].append(membership.user)
    for item in status.missing:
        people = [item.reporter] if item.reporter is not None else members[item.organization.pk]
        for person in people:
            if person.is_active and person.email:
                owed[person].append(item)
    return owed


def reminder_kind(cycle: Cycle, today: date, last_after: date | None, before_sent: bool) -> str | None:
    """Which reminder a person who owes a report gets today, if any."""
    if cycle.closed_at is not None:
        return None
    if today <= cycle.due_date:
        window_opens = cycle.due_date - timedelta(days=cycle.remind_before_days)
        if cycle.remind_before_days and today >= window_opens and not before_sent:
            return Reminder.Kind.BEFORE
        return None
    if last_after is None or (today - last_after).days >= cycle.remind_every_days_after:
        return Reminder.Kind.AFTER
    return None


@dataclass(frozen=True)
class SentReminders:
    cycles: int
    emails: int


def send_reminders(*, today: date) -> SentReminders:
    """Send today's reminders of every open cycle; one email per person and cycle, recorded, never twice a day."""
    emails = 0
    cycles = list(Cycle.objects.filter(closed_at__isnull=True, starts_on__lte=today).select_related("plan"))
    with get_connection() as connection:
        for cycle in cycles:
            emails += _remind(cycle, today, connection)
    return SentReminders(cycles=len(cycles), emails=emails)


def _remind(cycle: Cycle, today: date, connection: Any) -> int:
    status = cycle_status(cycle=cycle, today=today)
    owed = _recipients(status)
    if not owed:
        return 0
    history: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in Reminder.objects.filter(cycle=cycle, user__in=list(owed)):
        history[reminder.user_id].append(reminder)
    sent = 0
    for person, items in owed.items():
        past = history[person.pk]
        last_after = max((item.sent_on for item in past if item.kind == Reminder.Kind.AFTER), default=None)
        before_sent = any(item.kind == Reminder.Kind.BEFORE for item in past)
        kind = reminder_kind(cycle, today, last_after, before_sent)
        if kind is None or any(item.sent_on == today and item.kind == kind for item in past):
            continue
        with transaction.atomic():
            Reminder.objects.create(cycle=cycle, user=person, kind=kind, sent_on=today, missing=len(items))
            _email(cycle, person, items, kind, today, connection).send(fail_silently=False)
        sent += 1
    return sent


def _email(cycle: Cycle, person: Any, items: list[Obligation], kind: str, today: date, connection: Any) -> EmailMessage:
    """The reminder in Italian and English, in one message (the platform does not know the person's language)."""
    context = {
        "cycle": cycle,
        "person": person,
        "items": items,
        "late": kind == Reminder.Kind.AFTER,
        "today": today,
        # Each language's body links to the reporter's pages in that language.
        "base_url": settings.PORTAL_BASE_URL,
    }
    bodies = []
    for language in ("it", "en"):
        with translation.override(language):
            bodies.append(render_to_string("monitoring/email/reminder.txt", context).strip())
    with translation.override("it"):
        subject = render_to_string("monitoring/email/reminder_subject.txt", context).strip()
    body = "\n\n----------\n\n".join(bodies)
    return EmailMessage(subject=subject, body=body, to=[person.email], connection=connection)
