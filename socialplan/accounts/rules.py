"""Platform roles as django-rules predicates.

Roles: platform admin (superuser), plan editor (member of the "Plan editors"
group: all plan content), theme coordinator (assigned to themes: only those),
organization member (member of an ecosystem organization), registered
participant (any authenticated user), anonymous. The object-level rules of
each app combine these predicates in the app's own rules.py.
"""

import rules

PLAN_EDITORS_GROUP = "Plan editors"

is_platform_admin = rules.is_superuser
is_plan_editor = rules.is_group_member(PLAN_EDITORS_GROUP)
is_registered = rules.is_authenticated


@rules.predicate
def is_organization_member(user: object) -> bool:
    memberships = user.memberships.filter(status="approved") if getattr(user, "is_authenticated", False) else None  # type: ignore[attr-defined]
    return bool(memberships is not None and memberships.exists())


@rules.predicate
def coordinates_any_theme(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.coordinated_themes.exists())  # type: ignore[attr-defined]


is_plan_office = is_platform_admin | is_plan_editor
