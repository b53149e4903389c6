"""Commitment writes: organizations' partnerships in the plan's actions and their pledges.

An action has at most one lead organization (and any number of partners,
funders and supporters). A pledge is an organization's public, measurable
commitment under an action, as in the EU Transition Pathway pledges; members
report progress on it, its administrators change its status.

Every function checks the user's permission first (rules.py), runs in one
transaction and names the user and the reason in the history.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socialplan.plan.models import Action

from .audit import attribute
from .models import Organization, Partnership, Pledge, PledgeProgress
from .rules import require_perm

# Partnerships


def check_one_lead(*, action: Action, organization: Organization, role: str) -> None:
    """Raise a ValidationError on `role` when `organization` would become a second lead of `action`."""
    if role != Partnership.Role.LEAD:
        return
    lead = (
        Partnership.objects.filter(action=action, role=Partnership.Role.LEAD)
        .exclude(organization=organization)
        .select_related("organization")
        .first()
    )
    if lead is not None:
        raise ValidationError(
            {
                "role": _(
                    "This action already has a lead organization: %(lead)s. An action has one lead: "
                    "make %(lead)s a partner first, or choose another role."
                )
                % {"lead": lead.organization}
            }
        )


@transaction.atomic
def set_partnership(
    *, action: Action, organization: Organization, role: str, user: Any, since: date | None = None
) -> Partnership:
    """Give `organization` `role` in `action` (creating or changing its partnership)."""
    require_perm(user, "ecosystem.set_partnership", action)
    if role not in Partnership.Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    # Lock the action's partnerships so that two leads set at the same time are checked one after the other.
    current = {p.organization_id: p for p in Partnership.objects.select_for_update().filter(action=action)}
    check_one_lead(action=action, organization=organization, role=role)
    partnership = current.get(organization.pk) or Partnership(action=action, organization=organization)
    if partnership.pk is not None and partnership.role == role and (since is None or partnership.since == since):
        return partnership
    partnership.role = role
    if since is not None:
        partnership.since = since
    attribute(partnership, user=user, reason=f"Role set: {role}")
    try:
        with transaction.atomic():
            partnership.save()
    except IntegrityError:
        # Another lead was inserted after the lock (the action had no partnership rows to lock).
        check_one_lead(action=action, organization=organization, role=role)
        raise
    return partnership


@transaction.atomic
def remove_partnership(*, partnership: Partnership, user: Any) -> None:
    require_perm(user, "ecosystem.set_partnership", partnership)
    attribute(partnership, user=user, reason="Partnership removed")
    partnership.delete()


# Pledges


@transaction.atomic
def create_pledge(
    *,
    organization: Organization,
    action: Action,
    user: Any,
    title: str,
    quantity: Decimal,
    unit: str,
    due_date: date,
    description: str = "",
) -> Pledge:
    require_perm(user, "ecosystem.manage_pledges", organization)
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date of a new pledge cannot be in the past.")})
    pledge = Pledge(
        organization=organization,
        action=action,
        title=title.strip(),
        description=description.strip(),
        quantity=quantity,
        unit=unit.strip(),
        due_date=due_date,
    )
    pledge.full_clean()
    attribute(pledge, user=user, reason="Pledge made")
    pledge.save()
    return pledge


@transaction.atomic
def change_pledge_status(*, pledge: Pledge, user: Any, status: str) -> Pledge:
    require_perm(user, "ecosystem.manage_pledges", pledge)
    if status not in Pledge.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if locked.status != status:
        locked.status = status
        attribute(locked, user=user, reason=f"Status: {status}")
        locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def report_pledge_progress(
    *, pledge: Pledge, user: Any, reported_on: date, achieved: Decimal, note: str = ""
) -> PledgeProgress:
    """Report the quantity achieved so far on an active pledge, at a date not in the future."""
    require_perm(user, "ecosystem.report_pledge_progress", pledge)
    locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if locked.status != Pledge.Status.ACTIVE:
        raise ValidationError(
            _("Progress is reported only on active pledges; this one is %(status)s."),
            code="pledge_not_active",
            params={"status": locked.get_status_display().lower()},
        )
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The date of a report cannot be in the future.")})
    progress = PledgeProgress(pledge=locked, reported_on=reported_on, achieved=achieved, note=note.strip())
    progress.reported_by = user
    progress.full_clean()
    attribute(progress, user=user, reason="Progress reported")
    progress.save()
    return progress
