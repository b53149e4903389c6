"""The writes on proposals: submit, support, answer, withdraw.

Each refuses, with a message a participant can read, what the process does
not allow today; none double-counts a support sent twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from socialplan.participation import notifications
from socialplan.participation.models import Opening, Process
from socialplan.plan.models import Theme

from . import counters
from .models import Proposal, ProposalSupport


class Refused(Exception):
    """A write the process or the proposal's state does not allow; the message says why."""


def submit_proposal(
    *,
    process: Process,
    author: Any,
    title: str,
    body: str,
    theme: Theme | None = None,
    address_hash: str = "",
    today: date | None = None,
) -> Proposal:
    if not process.is_open_for(Opening.PROPOSALS, today):
        raise Refused(_("This process is not collecting proposals now."))
    element_keys = [theme.code] if theme is not None else []
    proposal = Proposal.objects.create(
        process=process,
        author=author,
        title=title.strip(),
        body=body.strip(),
        theme=theme,
        element_keys=element_keys,
        address_hash=address_hash,
    )
    notifications.follow(author, proposal)
    return proposal


def support_proposal(*, proposal: Proposal, user: Any, today: date | None = None) -> bool:
    """Add `user`'s support; True when it was added, False when they already supported it."""
    if not proposal.process.is_open_for(Opening.SUPPORTS, today):
        raise Refused(_("Supports are closed in this process."))
    if proposal.status == Proposal.Status.WITHDRAWN or proposal.is_hidden:
        raise Refused(_("This proposal can no longer be supported."))
    try:
        with transaction.atomic():
            _support, created = ProposalSupport.objects.get_or_create(proposal=proposal, user=user)
            if created:
                counters.support_added(proposal)
    except IntegrityError:  # the same support stored at the same moment by another request
        return False
    return created


def withdraw_support(*, proposal: Proposal, user: Any, today: date | None = None) -> bool:
    if not proposal.process.is_open_for(Opening.SUPPORTS, today):
        raise Refused(_("Supports are closed in this process."))
    with transaction.atomic():
        deleted, _counts = ProposalSupport.objects.filter(proposal=proposal, user=user).delete()
        if deleted:
            counters.support_removed(proposal)
    return bool(deleted)


def answer_proposal(*, proposal: Proposal, status: str, reason: str, by_user: Any) -> Proposal:
    """The office's answer; a rejection always says why. The author and the followers hear of it."""
    reason = reason.strip()
    if status not in Proposal.ANSWERS:
        raise Refused(_("Choose one of the answers offered."))
    if status == Proposal.Status.REJECTED and not reason:
        raise Refused(_("A rejected proposal needs the reason of the rejection."))
    if proposal.status == Proposal.Status.WITHDRAWN:
        raise Refused(_("The author withdrew this proposal: it cannot be answered."))
    proposal.status = status
    proposal.status_reason = reason
    proposal.answered_at = timezone.now()
    proposal.answered_by = by_user
    proposal.save(update_fields=["status", "status_reason", "answered_at", "answered_by"])
    _tell_followers(proposal, exclude_user=by_user)
    return proposal


def withdraw_proposal(*, proposal: Proposal, by_user: Any) -> Proposal:
    if proposal.author_id is None or proposal.author_id != by_user.pk:
        raise Refused(_("Only the author can withdraw a proposal."))
    if proposal.status != Proposal.Status.EVALUATING:
        raise Refused(_("An answered proposal cannot be withdrawn."))
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status"])
    return proposal


def _tell_followers(proposal: Proposal, *, exclude_user: Any) -> int:
    """Notify the followers of the proposal (its author follows it from the start) in both languages."""
    texts = {}
    for language in ("it", "en"):
        with translation.override(language):
            texts[f"subject_{language}"] = _("Your followed proposal was answered: %(title)s") % {
                "title": proposal.title
            }
            answer = _("Answer: %(status)s.") % {"status": proposal.get_status_display()}
            texts[f"body_{language}"] = f"{answer}\n{proposal.status_reason}".strip()
    return notifications.notify_followers(proposal, url=proposal.get_absolute_url(), exclude_user=exclude_user, **texts)
