"""Follows and notifications: who hears of what, and the emails that tell them.

A participant follows a process, a plan element (by its key) or a
contribution; authors follow their own contributions (the apps call
`follow(author, contribution)` when they store one). `notify_user` and
`notify_followers` store notifications; `send_notifications` gathers each
participant's unsent notifications in one email at the frequency they chose
(`ParticipantProfile.digest`, daily when they never chose). Every email
carries a one-click unsubscribe (RFC 8058) by the profile's token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import contributions
from .models import Follow, Notification, ParticipantProfile, Process

User = get_user_model()

# Plan element keys: codes joined by "/", e.g. "social-procurement/sp-o1/sp-a3" (see plan.versions).
ELEMENT_KEY = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")

Target = models.Model | str


class NotFollowable(ValueError):
    """The target is neither a process, a registered contribution nor a plan element key."""


@dataclass(frozen=True)
class TargetRef:
    """A followable thing: a process or contribution by content type and id, or a plan element by key."""

    content_type_id: int | None = None
    object_id: int | None = None
    element_key: str = ""


def is_followable_model(model: type[models.Model]) -> bool:
    return model is Process or contributions.kind_of(model) is not None


def element_key_of(element: models.Model) -> str | None:
    """The key of a plan theme, objective or action (as in plan.versions), None for anything else."""
    from socialplan.plan.models import Action, Objective, Theme

    if isinstance(element, Theme):
        return element.code
    if isinstance(element, Objective):
        return f"{element.theme.code}/{element.code}"
    if isinstance(element, Action):
        return f"{element.objective.theme.code}/{element.objective.code}/{element.code}"
    return None


def target_ref(target: Target | None, *, element_key: str = "") -> TargetRef:
    """The reference of a process, a contribution, a plan theme/objective/action or an element key."""
    if isinstance(target, models.Model) and element_key_of(target) is not None:
        target = element_key_of(target)
    if isinstance(target, str) or target is None:
        key = (target or element_key or "").strip()
        if not key or len(key) > 255 or not ELEMENT_KEY.match(key):
            raise NotFollowable(key)
        return TargetRef(element_key=key)
    if not is_followable_model(type(target)) or target.pk is None:
        raise NotFollowable(repr(target))
    return TargetRef(content_type_id=ContentType.objects.get_for_model(type(target)).pk, object_id=target.pk)


def resolve_ref(*, content_type_id: int | None, object_id: int | None, element_key: str) -> TargetRef:
    """The reference a follow form posted, checked: the object exists and may be followed."""
    if content_type_id is None and object_id is None:
        return target_ref(None, element_key=element_key)
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)  # type: ignore[arg-type]
    except ContentType.DoesNotExist as error:
        raise NotFollowable(str(content_type_id)) from error
    model = content_type.model_class()
    if model is None or not is_followable_model(model) or not model._default_manager.filter(pk=object_id).exists():
        raise NotFollowable(f"{content_type_id}/{object_id}")
    return TargetRef(content_type_id=content_type.pk, object_id=object_id)


def _follow_filter(ref: TargetRef) -> dict[str, object]:
    return {"content_type_id": ref.content_type_id, "object_id": ref.object_id, "element_key": ref.element_key}


def follow(user: Any, target: Target | TargetRef) -> bool:
    """Make `user` follow `target`; following twice is a no-op. True when a follow was added."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    ref = target if isinstance(target, TargetRef) else target_ref(target)
    try:
        with transaction.atomic():
            _, created = Follow.objects.get_or_create(user=user, **_follow_filter(ref))  # type: ignore[arg-type]
    except IntegrityError:  # the same follow stored at the same moment by another request
        return False
    return created


def unfollow(user: Any, target: Target | TargetRef) -> bool:
    ref = target if isinstance(target, TargetRef) else target_ref(target)
    deleted, _ = Follow.objects.filter(user=user, **_follow_filter(ref)).delete()
    return bool(deleted)


def followed_refs(request: HttpRequest) -> set[TargetRef]:
    """The current user's follows, read once per request (a page may show many follow buttons)."""
    cached = getattr(request, "_participation_follows", None)
    if cached is None:
        user: Any = request.user
        rows = Follow.objects.filter(user=user).values_list("content_type_id", "object_id", "element_key")
        cached = {TargetRef(ct, oid, key) for ct, oid, key in rows}
        request._participation_follows = cached  # type: ignore[attr-defined]
    return cached


def followers(targets: Iterable[Target]) -> models.QuerySet:
    """The users following any of `targets`, each once."""
    condition = models.Q(pk__in=[])
    for target in targets:
        ref = target_ref(target)
        condition |= models.Q(**{f"follows__{name}": value for name, value in _follow_filter(ref).items()})
    return User.objects.filter(condition, is_active=True).distinct()


def _subject(text: str) -> str:
    """A subject fits its column whatever title it quotes."""
    limit = Notification._meta.get_field("subject_it").max_length or 255
    return text if len(text) <= limit else text[: limit - 1] + "…"


def notify_user(
    user: Any, *, subject_it: str, subject_en: str, body_it: str = "", body_en: str = "", url: str = ""
) -> Notification:
    return Notification.objects.create(
        user=user,
        subject_it=_subject(subject_it),
        subject_en=_subject(subject_en),
        body_it=body_it,
        body_en=body_en,
        url=url[:500],
    )


def notify_followers(
    target: Target | Iterable[Target],
    *,
    subject_it: str,
    subject_en: str,
    body_it: str = "",
    body_en: str = "",
    url: str = "",
    exclude_user: Any = None,
) -> int:
    """Notify everyone following `target` (or any of several targets), each user once; returns how many."""
    targets = [target] if isinstance(target, (str, models.Model)) else list(target)
    users = followers(targets)
    if exclude_user is not None:
        users = users.exclude(pk=exclude_user.pk)
    now = timezone.now()
    created = Notification.objects.bulk_create(
        Notification(
            user_id=user_id,
            created_at=now,
            subject_it=_subject(subject_it),
            subject_en=_subject(subject_en),
            body_it=body_it,
            body_en=body_en,
            url=url[:500],
        )
        for user_id in users.values_list("pk", flat=True)
    )
    return len(created)


def profile_of(user: Any) -> ParticipantProfile:
    """The user's profile, created with the defaults when they never had one."""
    profile, _ = ParticipantProfile.objects.get_or_create(user=user)
    return profile


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.PORTAL_BASE_URL}{url}"


def unsubscribe_url(profile: ParticipantProfile) -> str:
    return absolute(reverse("participation:unsubscribe", kwargs={"token": profile.unsubscribe_token}))


def _email(user: Any, profile: ParticipantProfile, items: list[Notification], connection: Any) -> EmailMessage:
    link = unsubscribe_url(profile)
    context = {
        "user": user,
        "items": [(item, absolute(item.url) if item.url else "") for item in items],
        "unsubscribe_url": link,
        "profile_url": absolute(reverse("participation:profile")),
    }
    bodies = []
    for language in ("it", "en"):
        with translation.override(language):
            bodies.append(render_to_string("participation/email/notifications.txt", context).strip())
    with translation.override("it"):
        subject = render_to_string("participation/email/notifications_subject.txt", context).strip()
    return EmailMessage(
        subject=" ".join(subject.split()),
        body="\n\n----------\n\n".join(bodies),
        to=[user.email],
        connection=connection,
        headers={
            # RFC 2369 and RFC 8058: mail clients offer an unsubscribe button that POSTs to this URL.
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_notifications(*, frequency: str, now: datetime | None = None) -> dict[str, int]:
    """Send each user whose digest is `frequency` one email with their unsent notifications.

    Notifications are marked sent in the same transaction that sends the email,
    so none is sent twice. Users who chose "never" have theirs marked sent
    without an email whatever `frequency` is asked.
    """
    if frequency not in ParticipantProfile.Digest.values or frequency == ParticipantProfile.Digest.NEVER:
        raise ValueError(f"Unknown frequency {frequency!r}: one of immediate, daily, weekly.")
    now = now or timezone.now()
    unsent = Notification.objects.filter(sent_at__isnull=True)
    silenced = unsent.filter(user__participant_profile__digest=ParticipantProfile.Digest.NEVER).update(sent_at=now)
    chosen = models.Q(user__participant_profile__digest=frequency)
    if frequency == ParticipantProfile.Digest.DAILY:
        chosen |= models.Q(user__participant_profile__isnull=True)
    user_ids = list(unsent.filter(chosen).order_by().values_list("user_id", flat=True).distinct())
    connection = get_connection()
    emails = notifications = 0
    for user in User.objects.filter(pk__in=user_ids).order_by("pk"):
        with transaction.atomic():
            items = list(Notification.objects.select_for_update().filter(user=user, sent_at__isnull=True))
            if not items:
                continue
            if not user.email or not user.is_active:
                Notification.objects.filter(pk__in=[item.pk for item in items]).update(sent_at=now)
                continue
            Notification.objects.filter(pk__in=[item.pk for item in items]).update(sent_at=now)
            _email(user, profile_of(user), items, connection).send(fail_silently=False)
        emails += 1
        notifications += len(items)
    return {"emails": emails, "notifications": notifications, "silenced": silenced}


def unsubscribe(*, token: str) -> ParticipantProfile | None:
    """Stop every email to the profile with this token (the link and the one-click header lead here)."""
    profile = ParticipantProfile.objects.filter(unsubscribe_token=token).first()
    if profile is not None and profile.digest != ParticipantProfile.Digest.NEVER:
        profile.digest = ParticipantProfile.Digest.NEVER
        profile.save(update_fields=["digest"])
    return profile


# The privacy notice promises that sent notifications are kept twelve months at most.
RETENTION = timedelta(days=365)


def purge_sent_notifications(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    deleted, _ = Notification.objects.filter(sent_at__lt=now - RETENTION).delete()
    return deleted
