"""Who may act for an organization in the ecosystem.

- The plan office (plan editors and platform admins) does everything.
- An organization's administrators (approved membership with role admin)
  decide who joins it, edit its profile and manage its pledges.
- Its approved members edit the profile (verified fields then wait for the
  plan office's review) and report progress on its pledges.
- Theme coordinators set the partnerships of the actions under their themes.
- Any registered user may ask to join an organization; nobody else writes.

With no object (the back office's list pages) a rule asks whether the user
holds the role anywhere; views always pass the object.
"""

from .rules_registry import *  # noqa: F403

# isort: split

from typing import Any

import rules
from django.core.exceptions import PermissionDenied

from socialplan.accounts.rules import coordinates_any_theme, is_plan_office, is_registered
from socialplan.plan.rules import coordinates_theme_of

from .models import Membership, Organization, Partnership, Pledge, PledgeProgress, ProfileChange


def organization_id_of(obj: Any) -> int | None:
    """The organization an object belongs to, as a primary key (no query for most objects)."""
    if isinstance(obj, Organization):
        return obj.pk
    if isinstance(obj, Membership | ProfileChange | Pledge | Partnership):
        return obj.organization_id
    if isinstance(obj, PledgeProgress):
        return obj.pledge.organization_id
    return None


def _holds_membership(user: Any, obj: Any, *, roles: tuple[str, ...]) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    memberships = Membership.objects.filter(user=user, status=Membership.Status.APPROVED, role__in=roles)
    if obj is None:
        return memberships.exists()
    organization_id = organization_id_of(obj)
    return organization_id is not None and memberships.filter(organization_id=organization_id).exists()


@rules.predicate
def is_admin_of_organization(user: Any, obj: Any) -> bool:
    return _holds_membership(user, obj, roles=(Membership.Role.ADMIN,))


@rules.predicate
def is_member_of_organization(user: Any, obj: Any) -> bool:
    """Any approved member, administrators included."""
    return _holds_membership(user, obj, roles=(Membership.Role.ADMIN, Membership.Role.MEMBER))


@rules.predicate
def coordinates_theme_of_action(user: Any, obj: Any) -> bool:
    """`obj` is an action or a partnership in one; None asks whether the user coordinates any theme."""
    action = obj.action if isinstance(obj, Partnership) else obj
    return bool(coordinates_theme_of(user, action))


can_set_partnership = is_plan_office | coordinates_theme_of_action

# The back office's ecosystem section: the plan office, and coordinators for the partnerships.
rules.add_perm("ecosystem", is_plan_office | coordinates_any_theme)

rules.add_perm("ecosystem.join_organization", is_registered)
rules.add_perm("ecosystem.decide_membership", is_plan_office | is_admin_of_organization)
rules.add_perm("ecosystem.change_organization_profile", is_plan_office | is_member_of_organization)
rules.add_perm("ecosystem.review_profile_change", is_plan_office)
rules.add_perm("ecosystem.manage_pledges", is_plan_office | is_admin_of_organization)
rules.add_perm("ecosystem.report_pledge_progress", is_plan_office | is_member_of_organization)
rules.add_perm("ecosystem.set_partnership", can_set_partnership)

# Back office models. Organization administrators and members have no back
# office: they work in the personal area.
for verb in ("view", "add", "change", "delete"):
    rules.add_perm(f"ecosystem.{verb}_membership", is_plan_office)
    rules.add_perm(f"ecosystem.{verb}_partnership", can_set_partnership)
    rules.add_perm(f"ecosystem.{verb}_pledge", is_plan_office)
    rules.add_perm(f"ecosystem.{verb}_pledgeprogress", is_plan_office)
# Proposals come only from the members' form and are decided with review_profile_change
# (`review_profile_change` above); a review stays on record.
rules.add_perm("ecosystem.view_profilechange", is_plan_office)
for verb in ("add", "change", "delete"):
    rules.add_perm(f"ecosystem.{verb}_profilechange", rules.always_deny)


def require_perm(user: Any, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `user` holds `perm` on `obj`: the services' first line."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(perm)
