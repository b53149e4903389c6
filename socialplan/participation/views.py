"""The public pages of the participatory processes."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from socialplan.portal.current import current_plan

from . import selectors

# The sections each kind of contribution adds to a process page, in order;
# every template receives `process` and `request`.
PROCESS_SECTIONS = [
    "consultations/includes/process_section.html",
    "proposals/includes/process_section.html",
    "opinions/includes/process_section.html",
    "engagement/includes/process_section.html",
]


def process_list(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    processes = list(selectors.processes_of(plan=plan)) if plan else []
    return render(
        request,
        "participation/process_list.html",
        {"plan": plan, "processes": processes, "today": timezone.localdate()},
    )


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = current_plan(request)
    process = selectors.processes_of(plan=plan).filter(slug=slug).first() if plan else None
    if process is None:
        raise Http404
    today = timezone.localdate()
    return render(
        request,
        "participation/process_detail.html",
        {
            "plan": plan,
            "process": process,
            "phases": list(process.phases.all()),
            "current_phase": process.current_phase(today),
            "today": today,
            "sections": PROCESS_SECTIONS,
        },
    )
