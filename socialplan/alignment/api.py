"""The alignment in the open-data API: the frameworks and their items, the plan's links, its coverage.

Read-only: links are recorded in the back office. The coverage report is
the portal's matrix as data; an unknown framework or plan is a 404 naming it.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import P, PathEx, QueryEx, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from socialplan.api.errors import INVALID, NOT_FOUND
from socialplan.api.params import Pagination
from socialplan.plan.api import ActionFilter, ObjectiveFilter, PlanSlug, ThemeFilter
from socialplan.plan.selectors import get_public_plan, plan_list

from . import selectors
from .models import Alignment, Framework
from .schemas import AlignmentOut, CoverageOut, FrameworkDetailOut, FrameworkOut
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
