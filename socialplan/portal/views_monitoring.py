"""Public monitoring pages: the plan overview, one page per indicator, and the Open SDG downloads."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from socialplan.core.cache import cached_public_page
from socialplan.monitoring import opensdg, public, report
from socialplan.monitoring.models import Cycle
from socialplan.monitoring.rollup import ProgressStatus

from .current import current_plan


@cached_public_page
def overview(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    if plan is None:
        return render(request, "portal/no_plan.html")
    found = public.overview(plan=plan, today=timezone.localdate())
    return render(request, "portal/monitoring.html", {"plan": plan, "overview": found})


@cached_public_page
def indicators(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    if plan is None:
        return render(request, "portal/no_plan.html")
    theme, status = request.GET.get("tema", ""), request.GET.get("stato", "")
    found = public.indicator_list(plan=plan, theme_code=theme, status=status)
    page = Paginator(found.items, public.INDICATORS_PAGE_SIZE).get_page(request.GET.get("pagina"))
    statuses = ProgressStatus.choices
    return render(request, "portal/indicators.html", {"plan": plan, "found": found, "page": page, "statuses": statuses})


@cached_public_page
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = current_plan(request)
    found = public.indicator_page(plan=plan, code=code) if plan is not None else None
    if found is None:
        raise Http404("No such indicator.")
    return render(request, "portal/indicator.html", {"plan": plan, "page": found})


@cached_public_page
def indicator_csv(request: HttpRequest, code: str) -> HttpResponse:
    plan = current_plan(request)
    indicator = plan.indicators.filter(code=code).prefetch_related("dimensions").first() if plan else None
    if plan is None or indicator is None:
        raise Http404("No such indicator.")
    progress, breakdown = opensdg.one_indicator(plan=plan, indicator=indicator)
    response = HttpResponse(opensdg.indicator_csv(progress, breakdown), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="indicator_{code}.csv"'
    return response


@cached_public_page
def indicators_zip(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    if plan is None:
        raise Http404("No plan is loaded.")
    response = HttpResponse(opensdg.all_indicators_zip(plan=plan), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-indicators-open-sdg.zip"'
    return response


def _cycle(request: HttpRequest, pk: int) -> Cycle:
    plan = current_plan(request)
    cycle = plan.cycles.filter(pk=pk).select_related("plan").first() if plan is not None else None
    if cycle is None:
        raise Http404("No such monitoring cycle.")
    return cycle


@cached_public_page
def reports(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    if plan is None:
        return render(request, "portal/no_plan.html")
    cycles = list(plan.cycles.order_by("-ends_on", "-pk"))
    return render(request, "portal/cycle_reports.html", {"plan": plan, "cycles": cycles})


@cached_public_page
def cycle_report(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    found = report.cycle_report(cycle=cycle, today=timezone.localdate())
    return render(request, "portal/cycle_report.html", {"plan": cycle.plan, "report": found})


def cycle_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF as last built in the page's language; built now, and kept, when there is none yet."""
    cycle = _cycle(request, pk)
    language = get_language()
    stored = cycle.reports.filter(language=language).exclude(file="").first()
    if stored is None or not stored.file.storage.exists(stored.file.name):
        stored = report.store_pdf(cycle=cycle, language=language)
    response = FileResponse(stored.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{cycle.plan.slug}-monitoring-{cycle.pk}-{language}.pdf"'
    return response
