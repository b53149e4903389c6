"""A participant's personal data: consent, export and erasure (GDPR arts. 7, 15, 17, 20).

Consent to the privacy notice is recorded with the notice's version when the
account is created. The export gathers everything the platform holds on a
person, contributions of every registered kind included. Erasure anonymises
the contributions (their author, or the kind's `person_field`, emptied: the
text stays, signed "former participant", so no count changes) and deletes
the account with its profile, follows, notifications, memberships and
registrations.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from . import contributions
from .contributions import ContributionKind
from .models import Follow, Notification, ParticipantProfile
from .signals import contributions_changed

# Raise it whenever the privacy notice changes in substance: consents record the version they accepted.
DEFAULT_PRIVACY_NOTICE_VERSION = "2026-12"


def privacy_notice_version() -> str:
    return str(getattr(settings, "PRIVACY_NOTICE_VERSION", DEFAULT_PRIVACY_NOTICE_VERSION))


def record_consent(*, user: Any, age_band: str = "", organization_type: str = "") -> ParticipantProfile:
    profile, _ = ParticipantProfile.objects.get_or_create(user=user)
    profile.privacy_accepted_at = timezone.now()
    profile.privacy_version = privacy_notice_version()
    profile.age_band = age_band or ""
    profile.organization_type = organization_type or ""
    profile.save()
    return profile


def person_field(kind: ContributionKind) -> models.ForeignKey:
    return kind.model_class._meta.get_field(kind.person_field)  # type: ignore[return-value]


def contributions_of(user: Any) -> list[tuple[ContributionKind, models.QuerySet]]:
    return [
        (kind, kind.model_class._default_manager.filter(**{kind.person_field: user}).order_by("pk"))
        for kind in contributions.kinds()
    ]


def _value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _process_of(kind: ContributionKind, obj: models.Model) -> dict[str, Any] | None:
    from .moderation import process_of

    process = process_of(kind, obj)
    if process is None:
        return None
    return {"id": process.pk, "slug": process.slug, "title": process.title}


def export(user: Any) -> dict[str, Any]:
    """Everything the platform holds on `user`, as JSON-ready data (GDPR art. 15 and 20)."""
    profile = ParticipantProfile.objects.filter(user=user).first()
    data: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _value(user.date_joined),
            "last_login": _value(user.last_login),
        },
        "profile": None,
        "memberships": [
            {"organization": membership.organization.legal_name, "role": membership.role, "status": membership.status}
            for membership in user.memberships.select_related("organization").order_by("pk")
        ],
        "follows": [
            {
                "kind": follow.content_type.model if follow.content_type is not None else "plan-element",
                "id": follow.object_id,
                "element_key": follow.element_key,
                "created_at": _value(follow.created_at),
            }
            for follow in Follow.objects.filter(user=user).select_related("content_type").order_by("pk")
        ],
        "notifications": [
            {
                "created_at": _value(item.created_at),
                "subject_it": item.subject_it,
                "subject_en": item.subject_en,
                "body_it": item.body_it,
                "body_en": item.body_en,
                "url": item.url,
                "sent_at": _value(item.sent_at),
            }
            for item in Notification.objects.filter(user=user).order_by("pk")
        ],
        "contributions": [],
    }
    if profile is not None:
        data["profile"] = {
            "public_name": profile.display_name,
            "privacy_accepted_at": _value(profile.privacy_accepted_at),
            "privacy_version": profile.privacy_version,
            "age_band": profile.age_band,
            "organization_type": profile.organization_type,
            "email_notifications": profile.digest,
        }
    for kind, objects in contributions_of(user):
        for obj in objects.select_related(kind.process_lookup):
            data["contributions"].append(
                {
                    "kind": kind.model.lower(),
                    "label": str(kind.label),
                    "id": obj.pk,
                    "created_at": _value(getattr(obj, "created_at", None)),
                    "text": str(getattr(obj, kind.text_field, "") or ""),
                    "process": _process_of(kind, obj),
                    "element_keys": getattr(obj, "element_keys", []),
                    "hidden": getattr(obj, "hidden_at", None) is not None,
                    "hidden_reason": getattr(obj, "hidden_reason", ""),
                }
            )
    return data


@transaction.atomic
def delete_account(user: Any) -> dict[str, int]:
    """Anonymise the user's contributions and delete the account; returns how many contributions were kept.

    The person field of every kind is emptied explicitly before the user row
    goes, so a kind whose foreign key would cascade still keeps its rows.
    """
    kept = 0
    for kind, objects in contributions_of(user):
        pks = list(objects.values_list("pk", flat=True))
        kept += objects.update(**{kind.person_field: None})
        contributions_changed.send(sender=delete_account, kind=kind, pks=pks)
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    ParticipantProfile.objects.filter(user=user).delete()
    # Memberships, meeting registrations and alert subscriptions cascade with the user.
    user.delete()
    return {"contributions": kept}
