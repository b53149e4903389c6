"""Monitoring in the open-data API: the plan's indicators with their approved values and status.

Read-only and public: only approved values are published, as on the portal.
Reporters and reviewers write in the back office, or through the API's
reporting endpoints (reporting_api.py).
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import P, PathEx, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from socialplan.api.errors import INVALID, NOT_FOUND
from socialplan.api.params import Pagination
from socialplan.plan.api import PlanSlug
from socialplan.plan.models import Plan
from socialplan.plan.selectors import get_public_plan, plan_list

from .models import Indicator
from .schemas import CycleOut, IndicatorDetailOut, IndicatorOut
from .selectors import IndicatorProgress, indicator_family, indicator_progress

router = Router(tags=["monitoring"])

IndicatorCode = PathEx[str, P(pattern="^[-a-zA-Z0-9_]+$", max_length=50)]


def _plan(slug: str | None) -> Plan:
    chosen = plan_list().filter(slug=slug).first() if slug else get_public_plan()
    if chosen is None:
        raise HttpError(404, f"No plan with slug {slug!r}." if slug else "No plan is loaded.")
    return chosen


@router.get(
    "/indicators",
    response={200: list[IndicatorOut], **NOT_FOUND, **INVALID},
    summary="List a plan's indicators with their latest value and status",
    description="Without `plan`, the plan the portal shows. An unknown plan is a 404 naming it.",
)
@paginate(Pagination)
def list_indicators(request: HttpRequest, plan: PlanSlug = None) -> list[IndicatorProgress]:
    return indicator_progress(plan=_plan(plan))


@router.get(
    "/indicators/{code}",
    response={200: IndicatorDetailOut, **NOT_FOUND, **INVALID},
    summary="An indicator with its approved values period by period",
    description="Without `plan`, the plan the portal shows.",
)
def get_indicator(request: HttpRequest, code: IndicatorCode, plan: PlanSlug = None) -> Any:
    chosen = _plan(plan)
    indicator = Indicator.objects.filter(plan=chosen, code=code).first()
    if indicator is None:
        raise HttpError(404, f"No indicator with code {code!r} in plan {chosen.slug!r}.")
    family = indicator_progress(plan=chosen, indicator_ids=indicator_family(indicator))
    return next(item for item in family if item.indicator.pk == indicator.pk)


@router.get(
    "/cycles",
    response={200: list[CycleOut], **NOT_FOUND, **INVALID},
    summary="List a plan's monitoring cycles with the addresses of their reports",
    description="Without `plan`, the plan the portal shows. Newest window first.",
)
@paginate(Pagination)
def list_cycles(request: HttpRequest, plan: PlanSlug = None) -> list[dict[str, Any]]:
    return [_cycle_out(request, cycle) for cycle in _plan(plan).cycles.order_by("-ends_on", "-pk")]


def _cycle_out(request: HttpRequest, cycle: Any) -> dict[str, Any]:
    urls: dict[str, str] = {}
    for language in ("it", "en"):
        with translation.override(language):
            urls[f"report_{language}"] = request.build_absolute_uri(reverse("portal:cycle_report", args=[cycle.pk]))
            urls[f"pdf_{language}"] = request.build_absolute_uri(reverse("portal:cycle_report_pdf", args=[cycle.pk]))
    fields = ("id", "title_it", "title_en", "starts_on", "ends_on", "due_date", "closed_at")
    return {name: getattr(cycle, name) for name in fields} | urls
