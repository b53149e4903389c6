"""The alignment in the open-data API: the frameworks and their items, the plan's links, its coverage.

Reads are public. The coverage report is the portal's matrix as data; an
unknown framework or plan is a 404 naming it. The plan office also records
and removes links here (logged in with its session, CSRF token in the
X-CSRFToken header), as in the back office and `load_plan`; an unknown
element, framework or item in a new link is a 422 naming the field.
"""

from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import P, PathEx, QueryEx, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from socialplan.accounts.rules import is_plan_office
from socialplan.api.auth import session_auth
from socialplan.api.errors import DENIED, INVALID, NOT_FOUND, UNPARSABLE
from socialplan.api.params import BIGINT_MAX, Pagination
from socialplan.plan.api import ActionFilter, ObjectiveFilter, PlanSlug, ThemeFilter
from socialplan.plan.models import Action, Objective, Plan, Theme
from socialplan.plan.selectors import get_public_plan, plan_list

from . import selectors, services
from .models import Alignment, Framework, FrameworkItem
from .schemas import AlignmentIn, AlignmentOut, CoverageOut, FrameworkDetailOut, FrameworkOut
from .selectors import FrameworkCoverage, ItemCoverage, UnknownFramework

router = Router(tags=["alignment"])

CODE = {"pattern": "^[-a-zA-Z0-9_]+$", "max_length": 40}
FrameworkCode = PathEx[str, P(**CODE)]
FrameworkFilter = QueryEx[str | None, P(**CODE, description="Only this framework's, by code (e.g. 'EU-CR').")]


@router.get("/frameworks", response={200: list[FrameworkOut], **INVALID}, summary="List frameworks")
@paginate(Pagination)
def list_frameworks(request: HttpRequest) -> QuerySet[Framework]:
    return selectors.framework_list()


@router.get(
    "/frameworks/{code}", response={200: FrameworkDetailOut, **NOT_FOUND, **INVALID}, summary="Framework with items"
)
def get_framework(request: HttpRequest, code: FrameworkCode) -> Framework:
    framework = selectors.framework_with_items(code=code)
    if framework is None:
        raise HttpError(404, f"No framework with code {code!r}. Known: {', '.join(selectors.framework_codes())}.")
    return framework


@router.get("/alignments", response={200: list[AlignmentOut], **INVALID}, summary="List links of plan elements")
@paginate(Pagination)
def list_alignments(
    request: HttpRequest,
    framework: FrameworkFilter = None,
    plan: PlanSlug = None,
    theme: ThemeFilter = None,
    objective: ObjectiveFilter = None,
    action: ActionFilter = None,
) -> QuerySet[Alignment]:
    return selectors.alignment_list(
        framework=framework, plan_slug=plan, theme_id=theme, objective_id=objective, action_id=action
    )


@router.get(
    "/coverage",
    response={200: CoverageOut, **NOT_FOUND, **INVALID},
    summary="Coverage of the frameworks by a plan",
    description=(
        "Per framework, every item with whether the plan covers it (an element of the plan is linked to it or "
        "to one of its sub-items), the elements linked to it, and the topmost items not covered yet. "
        "Without `plan`, the plan the portal shows. An unknown framework or plan is a 404 naming it."
    ),
)
def get_coverage(request: HttpRequest, framework: FrameworkFilter = None, plan: PlanSlug = None) -> dict[str, Any]:
    chosen = plan_list().filter(slug=plan).first() if plan else get_public_plan()
    if plan and chosen is None:
        raise HttpError(404, f"No plan with slug {plan!r}.")
    try:
        frameworks = selectors.coverage(plan=chosen, framework_code=framework)
    except UnknownFramework as error:
        raise HttpError(404, str(error)) from error
    return {"plan": chosen.slug if chosen else None, "frameworks": [_framework_out(entry) for entry in frameworks]}


def _framework_out(entry: FrameworkCoverage) -> dict[str, Any]:
    return {
        "code": entry.framework.code,
        "title_it": entry.framework.title_it,
        "title_en": entry.framework.title_en,
        "total": entry.total,
        "covered": entry.covered_count,
        "not_covered_yet": [uncovered.item.code for uncovered in entry.not_covered_yet],
        "items": [_item_out(item, parent) for top in entry.items for item, parent in _with_parents(top)],
    }


def _with_parents(entry: ItemCoverage, parent: str | None = None) -> list[tuple[ItemCoverage, str | None]]:
    nested = [pair for child in entry.children for pair in _with_parents(child, entry.item.code)]
    return [(entry, parent), *nested]


def _item_out(entry: ItemCoverage, parent_code: str | None) -> dict[str, Any]:
    return {
        "code": entry.item.code,
        "parent": parent_code,
        "title_it": entry.item.title_it,
        "title_en": entry.item.title_en,
        "covered": entry.covered,
        "covered_by": [
            {"element": element.kind, "id": element.element_id, "title": element.title} for element in entry.elements
        ],
    }


# The plan office's links ---------------------------------------------------

AlignmentId = PathEx[int, P(ge=1, le=BIGINT_MAX)]
ELEMENT_MODELS: dict[str, type[services.PlanElement]] = {
    "plan": Plan,
    "theme": Theme,
    "objective": Objective,
    "action": Action,
}
# How many parts a code has: 'theme', 'theme/objective', 'theme/objective/action'; a plan's is its slug.
CODE_PARTS = {"plan": 1, "theme": 1, "objective": 2, "action": 3}


def _plan_office(request: HttpRequest) -> AbstractBaseUser:
    if not is_plan_office(request.user):
        raise HttpError(403, "Only the plan office (platform admins and plan editors) may change the alignments.")
    return cast(AbstractBaseUser, request.user)  # session_auth lets only logged-in users through


@router.post(
    "/alignments",
    auth=session_auth,
    response={200: AlignmentOut, 201: AlignmentOut, **UNPARSABLE, **DENIED, **INVALID},
    summary="Link a plan element to a framework item",
    description=(
        "For the plan office, logged in with its session (send the CSRF token in the X-CSRFToken header). "
        "Name the element by `element` and `id`, as the reads give them, or by `element` and `code` in `plan`. "
        "A new link answers 201; a link that exists already gets the notes sent and answers 200. "
        "An unknown element, framework or item is a 422 naming the field."
    ),
)
def create_alignment(request: HttpRequest, payload: AlignmentIn) -> Status[Alignment]:
    user = _plan_office(request)
    with translation.override(translation.get_language_from_request(request)):
        element, item = _element(payload), _item(payload)
    kind = services.element_kind(element)
    existed = Alignment.objects.filter(item=item, **{kind: element}).exists()
    alignment = services.align(element=element, item=item, note_it=payload.note_it, note_en=payload.note_en, user=user)
    return Status(200 if existed else 201, selectors.alignment_list().get(pk=alignment.pk))


@router.delete(
    "/alignments/{alignment_id}",
    auth=session_auth,
    response={204: None, **DENIED, **NOT_FOUND, **INVALID},
    summary="Remove a link",
    description="For the plan office, logged in with its session (send the CSRF token in the X-CSRFToken header).",
)
def delete_alignment(request: HttpRequest, alignment_id: AlignmentId) -> Status[None]:
    user = _plan_office(request)
    alignment = Alignment.objects.filter(pk=alignment_id).first()
    if alignment is None:
        raise HttpError(404, f"No alignment with identifier {alignment_id!r}.")
    services.remove_alignment(alignment=alignment, user=user)
    return Status(204, None)


def _element(payload: AlignmentIn) -> services.PlanElement:
    if (payload.id is None) == (payload.code is None):
        raise ValidationError({"id": _("Give the element's id or its code, one of them.")})
    if payload.id is not None:
        found = ELEMENT_MODELS[payload.element].objects.filter(pk=payload.id).first()
        if found is None:
            raise ValidationError(
                {
                    "id": _("The id %(id)s matches no element of kind '%(kind)s'.")
                    % {"kind": _kind(payload), "id": payload.id}
                }
            )
        return found
    code = cast(str, payload.code)
    if payload.element == "plan":
        plan = plan_list().filter(slug=code).first()
        if plan is None:
            raise ValidationError({"code": _("No plan has the slug '%(slug)s'.") % {"slug": code}})
        return plan
    plan = plan_list().filter(slug=payload.plan).first() if payload.plan else get_public_plan()
    if plan is None:
        raise ValidationError({"plan": _("No plan has the slug '%(slug)s'.") % {"slug": payload.plan or ""}})
    parts = code.split("/")
    found = None
    if len(parts) == CODE_PARTS[payload.element]:
        found = _element_by_code(plan, payload.element, parts)
    if found is None:
        raise ValidationError(
            {
                "code": _(
                    "Plan '%(plan)s' has no element of kind '%(kind)s' with the code '%(code)s' "
                    "(write codes as 'theme/objective/action')."
                )
                % {"plan": plan.slug, "kind": _kind(payload), "code": code}
            }
        )
    return found


def _kind(payload: AlignmentIn) -> str:
    return str(ELEMENT_MODELS[payload.element]._meta.verbose_name)


def _element_by_code(plan: Plan, kind: str, parts: list[str]) -> services.PlanElement | None:
    if kind == "theme":
        return Theme.objects.filter(plan=plan, code=parts[0]).first()
    if kind == "objective":
        return Objective.objects.filter(theme__plan=plan, theme__code=parts[0], code=parts[1]).first()
    return Action.objects.filter(
        objective__theme__plan=plan, objective__theme__code=parts[0], objective__code=parts[1], code=parts[2]
    ).first()


def _item(payload: AlignmentIn) -> FrameworkItem:
    framework = Framework.objects.filter(code=payload.framework).first()
    if framework is None:
        known = ", ".join(selectors.framework_codes())
        raise ValidationError(
            {
                "framework": _("Unknown framework '%(code)s'; known: %(known)s.")
                % {"code": payload.framework, "known": known}
            }
        )
    item = FrameworkItem.objects.filter(framework=framework, code=payload.item).first()
    if item is None:
        raise ValidationError(
            {
                "item": _("Framework '%(framework)s' has no item '%(code)s'.")
                % {"framework": framework.code, "code": payload.item}
            }
        )
    return item
