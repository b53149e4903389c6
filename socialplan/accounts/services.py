"""Writes to accounts: administrators and role assignments."""

import secrets

from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .rules import PLAN_EDITORS_GROUP


def create_administrator(*, email: str) -> tuple[User, str | None]:
    """Create the platform administrator with a generated password.

    Returns the user and the password, which is shown once and stored nowhere
    in clear; returns None as password when the administrator already exists.
    """
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing, None
    password = secrets.token_urlsafe(18)
    user = User.objects.create_superuser(email=email, password=password)
    _mark_email_verified(user)
    return user, password


@transaction.atomic
def make_plan_editor(*, user: User) -> None:
    group, _ = Group.objects.get_or_create(name=PLAN_EDITORS_GROUP)
    user.groups.add(group)
    _grant_back_office(user)


@transaction.atomic
def assign_theme_coordinator(*, user: User, theme: object) -> None:
    theme.coordinators.add(user)  # type: ignore[attr-defined]
    _grant_back_office(user)


def _grant_back_office(user: User) -> None:
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def _mark_email_verified(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
