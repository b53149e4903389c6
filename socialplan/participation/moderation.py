"""Abuse reports and the moderation of contributions.

Anyone signed in may report a contribution of any registered kind, once. The
plan office moderates every process, a process's moderators only theirs
(`rules.can_moderate` on the contribution's process). Hiding keeps the text
for the moderators, shows the reason to everyone else, decides the pending
reports and tells the author why; unhiding and dismissing are recorded too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from socialplan.accounts.rules import is_plan_office

from . import contributions
from .contributions import ContributionKind
from .models import Process, Report
from .notifications import notify_user
from .rules import can_moderate
from .signals import contributions_changed


class NotAContribution(LookupError):
    """The content type and id name no contribution of a registered kind."""


class AlreadyReported(Exception):
    pass


class NotAllowed(PermissionError):
    pass


def resolve(content_type_id: int, object_id: int) -> tuple[ContributionKind, Any]:
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist as error:
        raise NotAContribution(content_type_id) from error
    model = content_type.model_class()
    kind = contributions.kind_of(model) if model is not None else None
    if kind is None:
        raise NotAContribution(content_type_id)
    obj = kind.model_class._default_manager.filter(pk=object_id).first()
    if obj is None:
        raise NotAContribution(f"{content_type_id}/{object_id}")
    return kind, obj


def process_of(kind: ContributionKind, obj: Any) -> Process | None:
    value: Any = obj
    for name in kind.process_lookup.split("__"):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def text_of(kind: ContributionKind, obj: Any) -> str:
    return str(getattr(obj, kind.text_field, "") or "")


def may_moderate(user: Any, kind: ContributionKind, obj: Any) -> bool:
    process = process_of(kind, obj)
    return bool(can_moderate(user, process) if process is not None else is_plan_office(user))


def may_use_queue(user: Any) -> bool:
    return bool(can_moderate(user, None))


@transaction.atomic
def report(*, reporter: Any, target: Any, reason: str, details: str = "") -> Report:
    """Store a report; a second report of the same contribution by the same person raises AlreadyReported."""
    content_type = ContentType.objects.get_for_model(type(target))
    if Report.objects.filter(content_type=content_type, object_id=target.pk, reporter=reporter).exists():
        raise AlreadyReported
    try:
        with transaction.atomic():
            return Report.objects.create(
                content_type=content_type, object_id=target.pk, reporter=reporter, reason=reason, details=details
            )
    except IntegrityError as error:
        raise AlreadyReported from error


def _reports_of(obj: Any) -> models.QuerySet[Report]:
    return Report.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def _check(moderator: Any, kind: ContributionKind, obj: Any) -> None:
    if not may_moderate(moderator, kind, obj):
        raise NotAllowed


def _author_of(kind: ContributionKind, obj: Any) -> Any:
    return getattr(obj, kind.person_field, None)


@transaction.atomic
def hide(*, moderator: Any, kind: ContributionKind, obj: Any, reason: str) -> None:
    """Hide a contribution with a reason, decide its pending reports and tell the author why."""
    _check(moderator, kind, obj)
    now = timezone.now()
    obj.hidden_at = now
    obj.hidden_by = moderator
    obj.hidden_reason = reason
    obj.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    contributions_changed.send(sender=hide, kind=kind, pks=[obj.pk])
    _reports_of(obj).filter(decision=Report.Decision.PENDING).update(
        decision=Report.Decision.HIDDEN, decided_at=now, decided_by=moderator
    )
    author = _author_of(kind, obj)
    if author is not None:
        process = process_of(kind, obj)
        notify_user(
            author,
            subject_it="Un tuo contributo è stato nascosto dai moderatori",
            subject_en="The moderators hid one of your contributions",
            body_it=f"Motivo: {reason}\n\nIl testo resta visibile ai soli moderatori.",
            body_en=f"Reason: {reason}\n\nThe text stays visible to the moderators only.",
            url=process.get_absolute_url() if process is not None else "",
        )


@transaction.atomic
def unhide(*, moderator: Any, kind: ContributionKind, obj: Any) -> None:
    _check(moderator, kind, obj)
    obj.hidden_at = None
    obj.hidden_by = None
    obj.hidden_reason = ""
    obj.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    contributions_changed.send(sender=unhide, kind=kind, pks=[obj.pk])
    author = _author_of(kind, obj)
    if author is not None:
        process = process_of(kind, obj)
        notify_user(
            author,
            subject_it="Un tuo contributo è di nuovo visibile",
            subject_en="One of your contributions is visible again",
            body_it="I moderatori hanno riesaminato il contributo e lo hanno reso di nuovo visibile.",
            body_en="The moderators reviewed the contribution and made it visible again.",
            url=process.get_absolute_url() if process is not None else "",
        )


@transaction.atomic
def dismiss(*, moderator: Any, kind: ContributionKind, obj: Any) -> int:
    """Dismiss the pending reports of a contribution, which stays visible; returns how many."""
    _check(moderator, kind, obj)
    return (
        _reports_of(obj)
        .filter(decision=Report.Decision.PENDING)
        .update(decision=Report.Decision.DISMISSED, decided_at=timezone.now(), decided_by=moderator)
    )


@dataclass
class QueueItem:
    kind: ContributionKind
    obj: Any
    content_type_id: int
    process: Process | None
    reports: list[Report] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # a refused hide form, shown back on this item

    @property
    def ref(self) -> str:
        return f"{self.content_type_id}-{self.obj.pk}"

    @property
    def text(self) -> str:
        return text_of(self.kind, self.obj)


def _moderated(user: Any, kind: ContributionKind) -> models.QuerySet:
    objects = kind.model_class._default_manager.select_related(kind.process_lookup, "author__participant_profile")
    if is_plan_office(user):
        return objects
    return objects.filter(**{f"{kind.process_lookup}__moderators": user})


def queue(user: Any) -> list[QueueItem]:
    """The contributions with pending reports that `user` may moderate, reports grouped by contribution."""
    items: list[QueueItem] = []
    for kind in contributions.kinds():
        content_type = ContentType.objects.get_for_model(kind.model_class)
        pending = Report.objects.filter(content_type=content_type, decision=Report.Decision.PENDING)
        ids = set(pending.values_list("object_id", flat=True))
        if not ids:
            continue
        by_id = _moderated(user, kind).filter(pk__in=ids).in_bulk()
        grouped: dict[int, QueueItem] = {}
        for item in pending.filter(object_id__in=by_id).select_related("reporter").order_by("created_at"):
            obj = by_id[item.object_id]
            if item.object_id not in grouped:
                grouped[item.object_id] = QueueItem(kind, obj, content_type.pk, process_of(kind, obj))
            grouped[item.object_id].reports.append(item)
        items.extend(grouped.values())
    items.sort(key=lambda item: item.reports[0].created_at)
    return items


def hidden(user: Any, *, limit: int = 50) -> list[QueueItem]:
    """The contributions `user` may moderate that are hidden, newest first (to unhide one)."""
    items: list[QueueItem] = []
    for kind in contributions.kinds():
        content_type = ContentType.objects.get_for_model(kind.model_class)
        for obj in _moderated(user, kind).filter(hidden_at__isnull=False).order_by("-hidden_at")[:limit]:
            items.append(QueueItem(kind, obj, content_type.pk, process_of(kind, obj)))
    items.sort(key=lambda item: item.obj.hidden_at, reverse=True)
    return items[:limit]
