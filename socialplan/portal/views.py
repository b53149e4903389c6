"""Public pages of the plan. Views only pick the plan and call selectors; templates do the rest.

Every page runs a fixed number of queries whatever the plan's size (see
the query-budget tests). When no plan is loaded, list pages explain it and
detail pages answer 404.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from socialplan.alignment.selectors import element_alignments
from socialplan.core.cache import cached_public_page
from socialplan.ecosystem.selectors import action_participants
from socialplan.monitoring.public import element_indicators
from socialplan.plan import selectors
from socialplan.plan.models import Plan

from .current import current_plan


def _plan_or_404(request: HttpRequest) -> Plan:
    plan = current_plan(request)
    if plan is None:
        raise Http404("No plan is loaded.")
    return plan


def _render_plan_page(request: HttpRequest, template: str, build: Callable[[Plan], dict[str, Any]]) -> HttpResponse:
    """Render `template` with `build(plan)`, or the 'no plan yet' page when there is none."""
    plan = current_plan(request)
    if plan is None:
        return render(request, "portal/no_plan.html")
    return render(request, template, {"plan": plan, **build(plan)})


@cached_public_page
def home(request: HttpRequest) -> HttpResponse:
    def build(plan: Plan) -> dict[str, Any]:
        themes = list(selectors.themes_of(plan=plan))
        phases = list(selectors.phases_of(plan=plan))
        return {
            "pillars": selectors.pillars_of(plan=plan),
            "macro_themes": [theme for theme in themes if theme.kind == theme.Kind.MACRO],
            "cross_cutting_themes": [theme for theme in themes if theme.kind == theme.Kind.CROSS_CUTTING],
            "phases": phases,
            "figures": selectors.plan_figures(plan=plan, themes=themes, phases=phases),
        }

    return _render_plan_page(request, "portal/home.html", build)


@cached_public_page
def explorer(request: HttpRequest) -> HttpResponse:
    """One theme's tree at a time (`?tema=<code>`), with every theme in the navigation."""

    def build(plan: Plan) -> dict[str, Any]:
        tree = selectors.plan_tree(plan=plan, theme_code=request.GET.get("tema"))
        if tree is None:
            raise Http404("No such theme.")
        return {"tree": tree}

    return _render_plan_page(request, "portal/explorer.html", build)


@cached_public_page
def theme_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = _plan_or_404(request)
    found = selectors.theme_page(plan=plan, code=code)
    if found is None:
        raise Http404("No such theme.")
    context = {"plan": plan, "theme": found} | _measurement(plan, found)
    return render(request, "portal/theme.html", context)


@cached_public_page
def objective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request)
    found = selectors.objective_page(plan=plan, pk=pk)
    if found is None:
        raise Http404("No such objective.")
    context = {"plan": plan, "objective": found, "theme": found.theme} | _measurement(plan, found)
    return render(request, "portal/objective.html", context)


@cached_public_page
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request)
    found = selectors.action_page(plan=plan, pk=pk, today=timezone.localdate())
    if found is None:
        raise Http404("No such action.")
    context = {
        "plan": plan,
        "action": found,
        "objective": found.objective,
        "theme": found.objective.theme,
        "participants": action_participants(action=found),
    } | _measurement(plan, found)
    return render(request, "portal/action.html", context)


def _measurement(plan: Plan, element: Any) -> dict[str, Any]:
    """What measures an element and which framework items it addresses (element_measurement.html)."""
    return {
        "indicators": element_indicators(plan=plan, element=element),
        "alignments": element_alignments(element=element),
    }


@cached_public_page
def process(request: HttpRequest) -> HttpResponse:
    return _render_plan_page(request, "portal/process.html", lambda plan: {"phases": selectors.phases_of(plan=plan)})


@cached_public_page
def context_references(request: HttpRequest) -> HttpResponse:
    def build(plan: Plan) -> dict[str, Any]:
        references = list(selectors.references_of(plan=plan))
        return {
            "dated_references": [reference for reference in references if reference.date],
            "frameworks": [reference for reference in references if not reference.date],
        }

    return _render_plan_page(request, "portal/context.html", build)


@cached_public_page
def about(request: HttpRequest) -> HttpResponse:
    """The platform, its licence, its open API and the accessibility statement: shown even without a plan."""
    return render(
        request,
        "portal/about.html",
        {"plan": current_plan(request), "accessibility_contact": settings.PORTAL_ACCESSIBILITY_CONTACT},
    )
