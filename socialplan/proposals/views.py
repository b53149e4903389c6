"""Pages of the proposals: a process's list, one proposal with its supports and answer, the form to propose."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socialplan.participation import ratelimit
from socialplan.participation.models import Opening, Process
from socialplan.participation.selectors import processes_of
from socialplan.portal.current import current_plan

from . import selectors, services
from .forms import AnswerForm, FilterForm, ProposalForm
from .models import Proposal

PAGE_SIZE = 20


def _process(request: HttpRequest, slug: str) -> Process:
    plan = current_plan(request)
    process = processes_of(plan=plan).filter(slug=slug).first() if plan else None
    if process is None:
        raise Http404
    return process


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    plan = current_plan(request)
    proposal = (
        selectors.for_lists(Proposal.objects.filter(pk=pk, process__published=True, process__plan=plan)).first()
        if plan
        else None
    )
    if proposal is None:
        raise Http404
    return proposal


def _moderates(request: HttpRequest, process: Process) -> bool:
    return request.user.has_perm("participation.moderate_process", process)


def process_proposals(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    themes = list(process.plan.themes.order_by("order"))
    filters = FilterForm(request.GET or None, themes=themes)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    proposals = selectors.proposals_of(
        process=process,
        theme_code=chosen.get("tema", ""),
        status=chosen.get("stato", ""),
        sort=chosen.get("ordine") or selectors.DEFAULT_SORT,
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "plan": process.plan,
        "process": process,
        "filters": filters,
        "page": page,
        "proposals": list(page.object_list),
        "query": query.urlencode(),
        "counts": selectors.status_summary(process=process),
        "total": page.paginator.count,
        "moderator": _moderates(request, process),
        "collecting": process.is_open_for(Opening.PROPOSALS),
    }
    return render(request, "proposals/proposal_list.html", context)


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    return _render_detail(request, proposal)


def _render_detail(
    request: HttpRequest, proposal: Proposal, *, answer_form: AnswerForm | None = None, status: int = 200
) -> HttpResponse:
    process = proposal.process
    can_answer = request.user.has_perm("proposals.answer_proposal", proposal)
    if can_answer and answer_form is None:
        answer_form = AnswerForm(initial={"status": proposal.status, "reason": proposal.status_reason})
    context: dict[str, Any] = {
        "plan": process.plan,
        "process": process,
        "proposal": proposal,
        "moderator": _moderates(request, process),
        "supported": proposal.pk in selectors.supported_by(user=request.user, proposals=[proposal]),
        "supports_open": process.is_open_for(Opening.SUPPORTS),
        "can_answer": can_answer,
        "answer_form": answer_form if can_answer else None,
        "can_withdraw": request.user.has_perm("proposals.withdraw_proposal", proposal)
        and proposal.status == Proposal.Status.EVALUATING,
    }
    return render(request, "proposals/proposal_detail.html", context, status=status)


@login_required
def new_proposal(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    collecting = process.is_open_for(Opening.PROPOSALS)
    form = ProposalForm(request.POST or None, themes=process.plan.themes.order_by("order"))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.check(request, "proposal")
            proposal = services.submit_proposal(
                process=process,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                theme=form.cleaned_data["theme"],
                address_hash=ratelimit.address_hash(request),
            )
        except ratelimit.RateLimited as error:
            form.add_error(None, str(error))
            status = 429
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your proposal is published. The plan office will answer it."))
            return redirect(proposal)
    context = {"plan": process.plan, "process": process, "form": form, "collecting": collecting}
    return render(request, "proposals/proposal_form.html", context, status=status)


@require_POST
@login_required
def support(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    withdraw = request.POST.get("action") == "withdraw"
    try:
        ratelimit.check(request, "support")
        if withdraw:
            services.withdraw_support(proposal=proposal, user=request.user)
            messages.success(request, _("Your support is withdrawn."))
        elif services.support_proposal(proposal=proposal, user=request.user):
            messages.success(request, _("Thank you: your support is counted."))
        else:
            messages.info(request, _("You already support this proposal: each person counts once."))
    except ratelimit.RateLimited as error:
        messages.error(request, str(error))
        return _render_detail(request, proposal, status=429)
    except services.Refused as error:
        messages.error(request, str(error))
    return redirect(proposal)


@require_POST
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    if not request.user.has_perm("proposals.answer_proposal", proposal):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_proposal(
                proposal=proposal,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by_user=request.user,
            )
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The answer is published and the followers are told."))
            return redirect(proposal)
    return _render_detail(request, proposal, answer_form=form, status=400)


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    if not request.user.has_perm("proposals.withdraw_proposal", proposal):
        raise PermissionDenied
    try:
        services.withdraw_proposal(proposal=proposal, by_user=request.user)
    except services.Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your proposal is withdrawn."))
    return redirect(proposal)
