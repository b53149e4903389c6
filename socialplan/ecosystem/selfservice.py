"""Self-service writes: joining an organization and keeping its profile up to date.

A registered user asks to join an organization; the plan office or one of
the organization's administrators decides. Members edit the profile: most
fields change at once, but the fields the plan office verifies
(`Organization.VERIFIED_FIELDS`: codice fiscale, legal form, RUNTS section,
disadvantaged-worker share) wait in a `ProfileChange` until the plan office
approves them, so the public profile never shows an unverified value.

Every function checks the user's permission first (rules.py), runs in one
transaction and names the user and the reason in the history.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import attribute
from .models import Membership, Organization, ProfileChange
from .rules import require_perm

# Applied at once; everything else a member may change is in Organization.VERIFIED_FIELDS.
EDITABLE_FIELDS = ("description", "website", "workforce", "volunteers", "certifications")
EDITABLE_RELATIONS = ("comuni_served", "cpv_codes")
PROFILE_FIELDS = (*EDITABLE_FIELDS, *EDITABLE_RELATIONS, *Organization.VERIFIED_FIELDS)


# Memberships


@transaction.atomic
def request_membership(*, organization: Organization, user: Any, message: str = "") -> Membership:
    """Ask, as `user`, to join `organization`. A rejected request may be asked again."""
    require_perm(user, "ecosystem.join_organization", organization)
    membership = Membership.objects.select_for_update().filter(user=user, organization=organization).first()
    if membership is not None and membership.status == Membership.Status.APPROVED:
        raise ValidationError(
            _("You are already a member of %(organization)s."),
            code="already_member",
            params={"organization": organization},
        )
    if membership is not None and membership.status == Membership.Status.REQUESTED:
        raise ValidationError(
            _("You have already asked to join %(organization)s: the request is waiting for a decision."),
            code="already_requested",
            params={"organization": organization},
        )
    membership = membership or Membership(user=user, organization=organization)
    membership.role = Membership.Role.MEMBER
    membership.status = Membership.Status.REQUESTED
    membership.message = message.strip()
    membership.decided_by = None
    membership.decided_at = None
    attribute(membership, user=user, reason="Asked to join")
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # The same user asked twice at the same moment: the first request stands.
        raise ValidationError(
            _("You have already asked to join %(organization)s: the request is waiting for a decision."),
            code="already_requested",
            params={"organization": organization},
        ) from None
    return membership


@transaction.atomic
def decide_membership(
    *, membership: Membership, user: Any, approve: bool, role: str = Membership.Role.MEMBER
) -> Membership:
    """Approve (with `role`) or reject a request to join. A request is decided once: the row is
    locked, so a second decision arriving at the same time finds it decided and changes nothing."""
    require_perm(user, "ecosystem.decide_membership", membership)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != Membership.Status.REQUESTED:
        raise ValidationError(
            _("This request has already been decided: %(status)s."),
            code="already_decided",
            params={"status": locked.get_status_display()},
        )
    locked.status = Membership.Status.APPROVED if approve else Membership.Status.REJECTED
    if approve:
        locked.role = role
    locked.decided_by = user
    locked.decided_at = timezone.now()
    attribute(locked, user=user, reason="Request approved" if approve else "Request rejected")
    locked.save(update_fields=["status", "role", "decided_by", "decided_at"])
    return locked


# The profile


@dataclass(frozen=True)
class ProfileUpdate:
    """What an edit did: the fields published at once, and the change left waiting for review (if any)."""

    applied: list[str]
    pending: ProfileChange | None


@transaction.atomic
def update_profile(*, organization: Organization, user: Any, values: Mapping[str, Any]) -> ProfileUpdate:
    """Edit the profile of `organization` as `user`; `values` maps fields to the values wanted (fields
    left out stay as they are). Verified fields whose value differs from the public one go into the
    organization's pending change, which this edit creates, updates or (when every verified field is
    back to its public value) withdraws. Raises ValidationError with every bad field, writing nothing."""
    require_perm(user, "ecosystem.change_organization_profile", organization)
    unknown = sorted(set(values) - set(PROFILE_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be edited here.") for name in unknown})
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    fields = _clean_fields(locked, {name: value for name, value in values.items() if name not in EDITABLE_RELATIONS})
    relations = _clean_relations({name: values[name] for name in EDITABLE_RELATIONS if name in values})
    at_once = {name: value for name, value in fields.items() if name not in Organization.VERIFIED_FIELDS}
    for_review = {name: value for name, value in fields.items() if name in Organization.VERIFIED_FIELDS}
    applied = _apply(locked, at_once, user=user, reason="Profile edited in the personal area", verified=False)
    applied += _apply_relations(locked, relations, user=user)
    pending = _propose(locked, for_review, user=user)
    return ProfileUpdate(applied=applied, pending=pending)


@transaction.atomic
def review_profile_change(*, change: ProfileChange, user: Any, approve: bool, note: str = "") -> ProfileChange:
    """Approve a pending change (its values become public and the organization counts as verified
    today by `user`) or reject it with a note for the members (the public values stay)."""
    require_perm(user, "ecosystem.review_profile_change", change)
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say why the change is rejected: the organization's members will read it.")})
    # Organization first, then the change: the order update_profile locks them in.
    organization = Organization.objects.select_for_update().get(pk=change.organization_id)
    locked = ProfileChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != ProfileChange.Status.PENDING:
        raise ValidationError(
            _("This change has already been reviewed: %(status)s."),
            code="already_reviewed",
            params={"status": locked.get_status_display()},
        )
    if approve:
        values = _clean_fields(organization, locked.changes)
        _apply(organization, values, user=user, reason=f"Profile change {locked.pk} approved", verified=True)
    locked.status = ProfileChange.Status.APPROVED if approve else ProfileChange.Status.REJECTED
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.review_note = note
    attribute(locked, user=user, reason="Approved" if approve else "Rejected")
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return locked


def organization_field(name: str) -> "models.Field[Any, Any]":
    """A concrete field of Organization (the profile's fields are all concrete)."""
    return cast("models.Field[Any, Any]", Organization._meta.get_field(name))


def proposal_value(name: str, value: Any) -> Any:
    """A verified field's value as a ProfileChange stores it (JSON): decimals as fixed-point text."""
    field = organization_field(name)
    if value is None or value == "":
        return value
    if isinstance(field, models.DecimalField):
        step = Decimal(1).scaleb(-field.decimal_places)
        return format(Decimal(value).quantize(step), "f")
    return str(value)


def _clean_fields(organization: Organization, values: Mapping[str, Any]) -> dict[str, Any]:
    """Each value converted and validated as the model field does; all errors at once."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in values.items():
        if name not in PROFILE_FIELDS or name in EDITABLE_RELATIONS:
            errors[name] = [str(_("This field cannot be edited here."))]
            continue
        field = organization_field(name)
        value = raw.strip() if isinstance(raw, str) else raw
        if name == "codice_fiscale" and isinstance(value, str):
            value = value.replace(" ", "").upper()
        if value == "" and field.null:
            value = None
        try:
            cleaned[name] = field.clean(value, organization)
        except ValidationError as error:
            errors[name] = error.messages
    codice_fiscale = cleaned.get("codice_fiscale")
    if (
        codice_fiscale
        and Organization.objects.filter(codice_fiscale=codice_fiscale).exclude(pk=organization.pk).exists()
    ):
        errors["codice_fiscale"] = [str(_("Another organization already has this codice fiscale."))]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_relations(values: Mapping[str, Iterable[Any]]) -> dict[str, set[Any]]:
    """Primary keys of the comuni and CPV codes wanted (instances or keys), each checked to exist."""
    cleaned: dict[str, set[Any]] = {}
    errors: dict[str, list[str]] = {}
    for name, items in values.items():
        keys = {getattr(item, "pk", item) for item in items}
        model = cast("type[models.Model]", organization_field(name).related_model)
        found = set(model._default_manager.filter(pk__in=keys).values_list("pk", flat=True))
        missing = sorted(str(key) for key in keys - found)
        if missing:
            errors[name] = [str(_("Unknown: %(keys)s.") % {"keys": ", ".join(missing)})]
        cleaned[name] = found
    if errors:
        raise ValidationError(errors)
    return cleaned


def _apply(
    organization: Organization, values: Mapping[str, Any], *, user: Any, reason: str, verified: bool
) -> list[str]:
    """Write the values that differ; `verified` also records today's verification by `user`."""
    changed = [name for name, value in values.items() if getattr(organization, name) != value]
    for name in changed:
        setattr(organization, name, values[name])
    update_fields = list(changed)
    if verified:
        organization.verified_on = timezone.localdate()
        organization.verified_by = user
        update_fields += ["verified_on", "verified_by"]
    if update_fields:
        attribute(organization, user=user, reason=f"{reason}: {', '.join(changed) or 'verified'}")
        organization.save(update_fields=update_fields)
    return changed


def _apply_relations(organization: Organization, relations: Mapping[str, set[Any]], *, user: Any) -> list[str]:
    changed = []
    for name, keys in relations.items():
        manager = getattr(organization, name)
        if set(manager.values_list("pk", flat=True)) != keys:
            attribute(organization, user=user, reason=f"Profile edited in the personal area: {name}")
            manager.set(keys)
            changed.append(name)
    return changed


def _propose(organization: Organization, values: Mapping[str, Any], *, user: Any) -> ProfileChange | None:
    """Merge the verified values wanted into the organization's one pending change."""
    pending = (
        ProfileChange.objects.select_for_update()
        .filter(organization=organization, status=ProfileChange.Status.PENDING)
        .order_by("pk")
        .first()
    )
    wanted = {name: proposal_value(name, value) for name, value in values.items()}
    differing = {
        name: value for name, value in wanted.items() if value != proposal_value(name, getattr(organization, name))
    }
    kept = {name: value for name, value in (pending.changes if pending else {}).items() if name not in wanted}
    merged = {**kept, **differing}
    changes = {name: merged[name] for name in Organization.VERIFIED_FIELDS if name in merged}
    if pending is None:
        if not changes:
            return None
        pending = ProfileChange(organization=organization, changes=changes, proposed_by=user)
        attribute(pending, user=user, reason="Proposed")
        pending.save()
        return pending
    if changes == pending.changes:
        return pending
    if not changes:
        attribute(pending, user=user, reason="Withdrawn: the values are back to the public ones")
        pending.delete()
        return None
    pending.changes = changes
    pending.proposed_by = user
    attribute(pending, user=user, reason="Proposal updated")
    pending.save(update_fields=["changes", "proposed_by"])
    return pending
