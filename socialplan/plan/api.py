"""The plan in the open-data API: read every level, report on actions.

Views stay thin: they read through selectors, write through services and
check permissions with the same rules as the back office
(`plan.change_action`), so the API never allows what the admin forbids.
Lists are paginated with limit/offset and a total `count`.
"""

from typing import TypeVar, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import P, PathEx, QueryEx, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from socialplan.api.auth import session_auth
from socialplan.api.errors import DENIED, INVALID, NOT_FOUND, UNPARSABLE
from socialplan.api.params import BIGINT_MAX, Pagination

from . import selectors, services, versions
from .models import Action, ContextReference, Objective, Plan, PlanVersion, ProcessPhase, Theme, Tool
from .schemas import (
    ActionDetailOut,
    ActionOut,
    ActionReportIn,
    ActionStatus,
    DiffOut,
    ObjectiveDetailOut,
    ObjectiveOut,
    PhaseOut,
    PlanDetailOut,
    PlanOut,
    ReferenceLevel,
    ReferenceOut,
    ThemeDetailOut,
    ThemeKind,
    ThemeOut,
    ToolOut,
    VersionDetailOut,
    VersionOut,
)

router = Router(tags=["plan"])

Item = TypeVar("Item")

# Ids are positive database keys and slugs are slugs: anything else is a 422
# before it reaches the database (which fails on integers beyond 64 bits,
# and PostgreSQL on text with NUL characters).
SLUG = {"pattern": "^[-a-zA-Z0-9_]+$", "max_length": 50}
PlanSlug = QueryEx[str | None, P(**SLUG, description="Only this plan's, by slug (e.g. 'torino').")]
PlanSlugPath = PathEx[str, P(**SLUG)]
ThemeFilter = QueryEx[int | None, P(ge=1, le=BIGINT_MAX, description="Only this theme's, by id.")]
ObjectiveFilter = QueryEx[int | None, P(ge=1, le=BIGINT_MAX, description="Only this objective's, by id.")]
ActionFilter = QueryEx[int | None, P(ge=1, le=BIGINT_MAX, description="Only this action's, by id.")]
ThemeId = PathEx[int, P(ge=1, le=BIGINT_MAX)]
ObjectiveId = PathEx[int, P(ge=1, le=BIGINT_MAX)]
ActionId = PathEx[int, P(ge=1, le=BIGINT_MAX)]
ToolId = PathEx[int, P(ge=1, le=BIGINT_MAX)]
VERSION_NUMBER = {"ge": 1, "le": 2**31 - 1}
VersionNumber = PathEx[int, P(**VERSION_NUMBER)]


def _found(item: Item | None, *, what: str, key: object) -> Item:
    """A JSON 404 naming what was not found, rather than ninja's bare 'Not Found'."""
    if item is None:
        raise HttpError(404, f"No {what} with identifier {key!r}.")
    return item


@router.get("/plans", response={200: list[PlanOut], **INVALID}, summary="List plans")
@paginate(Pagination)
def list_plans(request: HttpRequest) -> QuerySet[Plan]:
    return selectors.plan_list()


@router.get(
    "/plans/{slug}", response={200: PlanDetailOut, **NOT_FOUND, **INVALID}, summary="Plan with promoters and pillars"
)
def get_plan(request: HttpRequest, slug: PlanSlugPath) -> Plan:
    return _found(selectors.plan_with_parts(slug=slug), what="plan", key=slug)


@router.get("/themes", response={200: list[ThemeOut], **INVALID}, summary="List themes")
@paginate(Pagination)
def list_themes(
    request: HttpRequest,
    plan: PlanSlug = None,
    kind: QueryEx[ThemeKind | None, P(description="Only macro-themes or cross-cutting elements.")] = None,
) -> QuerySet[Theme]:
    return selectors.theme_list(plan_slug=plan, kind=kind)


@router.get(
    "/themes/{theme_id}", response={200: ThemeDetailOut, **NOT_FOUND, **INVALID}, summary="Theme with objectives"
)
def get_theme(request: HttpRequest, theme_id: ThemeId) -> Theme:
    return _found(selectors.theme_with_objectives(theme_id=theme_id), what="theme", key=theme_id)


@router.get("/objectives", response={200: list[ObjectiveOut], **INVALID}, summary="List objectives")
@paginate(Pagination)
def list_objectives(request: HttpRequest, theme: ThemeFilter = None) -> QuerySet[Objective]:
    return selectors.objective_list(theme_id=theme)


@router.get(
    "/objectives/{objective_id}",
    response={200: ObjectiveDetailOut, **NOT_FOUND, **INVALID},
    summary="Objective with actions",
)
def get_objective(request: HttpRequest, objective_id: ObjectiveId) -> Objective:
    return _found(selectors.objective_with_actions(objective_id=objective_id), what="objective", key=objective_id)


@router.get("/actions", response={200: list[ActionOut], **INVALID}, summary="List actions")
@paginate(Pagination)
def list_actions(
    request: HttpRequest,
    theme: ThemeFilter = None,
    objective: ObjectiveFilter = None,
    status: QueryEx[ActionStatus | None, P(description="Only actions in this status.")] = None,
) -> QuerySet[Action]:
    return selectors.action_list(theme_id=theme, objective_id=objective, status=status)


@router.get(
    "/actions/{action_id}",
    response={200: ActionDetailOut, **NOT_FOUND, **INVALID},
    summary="Action with milestones and tools",
)
def get_action(request: HttpRequest, action_id: ActionId) -> Action:
    return _found(selectors.action_with_parts(action_id=action_id), what="action", key=action_id)


@router.patch(
    "/actions/{action_id}",
    auth=session_auth,
    response={200: ActionDetailOut, **UNPARSABLE, **DENIED, **NOT_FOUND, **INVALID},
    summary="Report on an action: status, dates, weight",
    description=(
        "For the plan office and the coordinators of the action's theme, logged in with their session "
        "(send the CSRF token in the X-CSRFToken header). Only the fields sent change; the history "
        "records who changed what."
    ),
)
def report_on_action(request: HttpRequest, action_id: ActionId, payload: ActionReportIn) -> Action:
    action = _found(selectors.action_with_parts(action_id=action_id), what="action", key=action_id)
    if not request.user.has_perm("plan.change_action", action):
        raise HttpError(403, "Only the plan office and the coordinators of its theme may report on this action.")
    user = cast(AbstractBaseUser, request.user)  # session_auth lets only logged-in users through
    services.update_action(action=action, user=user, **payload.model_dump(exclude_unset=True))
    return _found(selectors.action_with_parts(action_id=action_id), what="action", key=action_id)


@router.get("/tools", response={200: list[ToolOut], **INVALID}, summary="List tools")
@paginate(Pagination)
def list_tools(request: HttpRequest, action: ActionFilter = None) -> QuerySet[Tool]:
    return selectors.tool_list(action_id=action)


@router.get("/tools/{tool_id}", response={200: ToolOut, **NOT_FOUND, **INVALID}, summary="Tool")
def get_tool(request: HttpRequest, tool_id: ToolId) -> Tool:
    return _found(selectors.tool_by_id(tool_id=tool_id), what="tool", key=tool_id)


@router.get("/phases", response={200: list[PhaseOut], **INVALID}, summary="List process phases")
@paginate(Pagination)
def list_phases(request: HttpRequest, plan: PlanSlug = None) -> QuerySet[ProcessPhase]:
    return selectors.phase_list(plan_slug=plan)


@router.get("/references", response={200: list[ReferenceOut], **INVALID}, summary="List context references")
@paginate(Pagination)
def list_references(
    request: HttpRequest,
    plan: PlanSlug = None,
    level: QueryEx[ReferenceLevel | None, P(description="Only references at this level.")] = None,
) -> QuerySet[ContextReference]:
    return selectors.reference_list(plan_slug=plan, level=level)


# Published versions of a plan, their changelog, and the differences between any two.


def _plan(slug: str) -> Plan:
    return _found(Plan.objects.filter(slug=slug).first(), what="plan", key=slug)


@router.get(
    "/plans/{slug}/versions",
    response={200: list[VersionOut], **NOT_FOUND, **INVALID},
    summary="List a plan's published versions, newest first",
)
@paginate(Pagination)
def list_versions(request: HttpRequest, slug: PlanSlugPath) -> QuerySet[PlanVersion]:
    return selectors.versions_of(plan=_plan(slug)).select_related("plan")


@router.get(
    "/plans/{slug}/versions/{number}",
    response={200: VersionDetailOut, **NOT_FOUND, **INVALID},
    summary="A published version with its changelog: what changed, why, and from which contributions",
)
def get_version(request: HttpRequest, slug: PlanSlugPath, number: VersionNumber) -> PlanVersion:
    version = selectors.version_with_changelog(plan=_plan(slug), number=number)
    return _found(version, what="version", key=number)


@router.get(
    "/plans/{slug}/diff",
    response={200: DiffOut, **NOT_FOUND, **INVALID},
    summary="The differences between two versions of a plan, field by field",
)
def diff_versions(
    request: HttpRequest,
    slug: PlanSlugPath,
    from_version: QueryEx[int, P(alias="from", **VERSION_NUMBER, description="The older version's number.")],
    to_version: QueryEx[int, P(alias="to", **VERSION_NUMBER, description="The newer version's number.")],
) -> dict[str, object]:
    plan = _plan(slug)
    found = selectors.versions_by_number(plan=plan, numbers=[from_version, to_version])
    old = _found(found.get(from_version), what="version", key=from_version)
    new = _found(found.get(to_version), what="version", key=to_version)
    differences = [
        {
            "change": change.change,
            "element_kind": change.kind,
            "element_key": change.key,
            "previous_key": change.previous_key,
            "title_it": versions.title_of(change.element, "it"),
            "title_en": versions.title_of(change.element, "en"),
            "fields": [{"field": item.field, "old": item.old, "new": item.new} for item in change.fields],
        }
        for change in versions.diff(old.snapshot, new.snapshot)
    ]
    return {"plan": plan.slug, "from_version": old.number, "to_version": new.number, "differences": differences}
