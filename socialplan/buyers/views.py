"""The buyers' area (/committenti/area/): asking to act for a buyer, the plan office's queue, a buyer's
opportunities (drafts, publication, edits, closing), the social value of its contracts, and the
suppliers' reports of what they delivered.

Views stay thin: they check the permission (rules.py) so that a page is refused before it is shown,
then call a selector or a service, which checks it again; a service's errors appear on the form, on the
field they name. Every write is a POST with CSRF, followed by a redirect and a message.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socialplan.core.pages import page_of, require_perm
from socialplan.opportunities.models import Buyer, Opportunity

from . import selectors
from .forms import (
    BuyerRequestForm,
    CommitmentForm,
    DecisionForm,
    DeliveryForm,
    OpportunityForm,
    draft_initial,
    opportunity_initial,
)
from .models import BuyerMembership, OpportunityDraft
from .services import (
    NewBuyer,
    close_opportunity,
    decide_buyer_membership,
    edit_opportunity,
    propose_buyer,
    publish_opportunity,
    report_supplier_delivery,
    request_buyer_membership,
    save_draft,
    state_commitment,
)

MANAGE = "buyers.manage_buyer_opportunities"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_decide = user.has_perm("buyers.decide_buyer_membership")
    context = {
        "memberships": page_of(request, selectors.memberships_of(user=user)),
        "requests_to_decide": selectors.pending_requests().count() if may_decide else None,
        "supplies": selectors.awards_supplied_for(user=user).exists(),
    }
    return render(request, "buyers/home.html", context)


@login_required
def ask(request: HttpRequest) -> HttpResponse:
    """Ask to act for a buyer, found by codice fiscale; a buyer not yet registered is proposed."""
    require_perm(request, "buyers.ask_to_act_for_buyer")
    form = BuyerRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        buyer = selectors.buyer_for_codice_fiscale(data["codice_fiscale"])
        try:
            if buyer is not None:
                request_buyer_membership(user=request.user, buyer=buyer, message=data["message"])
            else:
                new_buyer = NewBuyer(
                    name=data["name"], codice_fiscale=data["codice_fiscale"], kind=data["kind"], website=data["website"]
                )
                propose_buyer(user=request.user, new_buyer=new_buyer, message=data["message"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("Your request has been sent to the plan office. You will find its status here.")
            )
            return redirect("buyers:home")
    status = 400 if form.errors else 200
    return render(request, "buyers/ask.html", {"form": form}, status=status)


@login_required
def requests_queue(request: HttpRequest) -> HttpResponse:
    """The plan office's queue of requests to act for a buyer or to register one."""
    require_perm(request, "buyers.decide_buyer_membership")
    return render(request, "buyers/requests.html", {"requests": page_of(request, selectors.pending_requests())})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(BuyerMembership.objects.select_related("user", "buyer"), pk=pk)
    require_perm(request, "buyers.decide_buyer_membership", membership)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or reject the request."))
        return redirect("buyers:requests")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        decided = decide_buyer_membership(
            membership=membership, user=request.user, approve=approve, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        names = {"user": decided.user, "buyer": decided.buyer_name}
        if approve:
            messages.success(request, _("%(user)s now acts for %(buyer)s.") % names)
        else:
            messages.success(request, _("The request of %(user)s for %(buyer)s was rejected.") % names)
    return redirect("buyers:requests")


@login_required
def buyer_area(request: HttpRequest, pk: int) -> HttpResponse:
    """A buyer's opportunities with their status and matches, its drafts, and the social value of its contracts."""
    buyer = get_object_or_404(Buyer, pk=pk)
    require_perm(request, MANAGE, buyer)
    awards = selectors.awards_of_buyer(buyer=buyer)
    context = {
        "buyer": buyer,
        "opportunities": page_of(request, selectors.opportunities_of(buyer=buyer)),
        "drafts": selectors.drafts_of(buyer=buyer),
        "awards": awards,
        "figures": selectors.figures_per_award(awards),
        "total": selectors.figures_in_all(awards),
        "editable_source": Opportunity.Source.MANUAL,
        "closable": (Opportunity.Status.OPEN, Opportunity.Status.PLANNED),
    }
    return render(request, "buyers/buyer_area.html", context)


def _opportunity_form(
    request: HttpRequest, *, buyer: Buyer, form: OpportunityForm, draft: OpportunityDraft | None = None
) -> HttpResponse | None:
    """Save the draft or publish it; None when the form is to be shown again with its errors."""
    if request.POST.get("action") == "publish":
        if form.is_valid():
            try:
                opportunity = publish_opportunity(user=request.user, buyer=buyer, spec=form.spec(), draft=draft)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("“%(title)s” is published.") % {"title": opportunity.title})
                return redirect("buyers:area", pk=buyer.pk)
        return None
    try:
        saved = save_draft(
            user=request.user,
            buyer=buyer,
            title=request.POST.get("title_it", ""),
            data=form.typed_values(),
            draft=draft,
        )
    except ValidationError as error:
        form.add_service_error(error)
        return None
    messages.success(request, _("The draft is saved: it is not public until you publish it."))
    return redirect("buyers:draft", pk=saved.pk)


def _render_form(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    status = 400 if context["form"].errors else 200
    return render(request, "buyers/opportunity_form.html", context, status=status)


@login_required
def new_opportunity(request: HttpRequest, pk: int) -> HttpResponse:
    buyer = get_object_or_404(Buyer, pk=pk)
    require_perm(request, MANAGE, buyer)
    form = OpportunityForm(request.POST or None)
    if request.method == "POST":
        response = _opportunity_form(request, buyer=buyer, form=form)
        if response is not None:
            return response
    return _render_form(request, {"buyer": buyer, "form": form, "is_draft": True})


@login_required
def edit_draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(OpportunityDraft.objects.select_related("buyer"), pk=pk, opportunity__isnull=True)
    require_perm(request, MANAGE, draft)
    form = OpportunityForm(request.POST or None, initial=draft_initial(draft.data))
    if request.method == "POST":
        response = _opportunity_form(request, buyer=draft.buyer, form=form, draft=draft)
        if response is not None:
            return response
    return _render_form(request, {"buyer": draft.buyer, "form": form, "is_draft": True, "draft": draft})


@login_required
def edit_published(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity: Opportunity = get_object_or_404(Opportunity.objects.select_related("buyer"), pk=pk)
    require_perm(request, MANAGE, opportunity)
    if opportunity.source != Opportunity.Source.MANUAL:
        raise PermissionDenied("imported")
    form = OpportunityForm(request.POST or None, initial=opportunity_initial(opportunity))
    if request.method == "POST" and form.is_valid():
        try:
            edit_opportunity(user=request.user, opportunity=opportunity, spec=form.spec())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The opportunity has been updated."))
            return redirect("buyers:area", pk=opportunity.buyer_id)
    return _render_form(request, {"buyer": opportunity.buyer, "form": form, "opportunity": opportunity})


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity, pk=pk)
    require_perm(request, MANAGE, opportunity)
    try:
        close_opportunity(user=request.user, opportunity=opportunity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” is closed: it takes no more answers.") % {"title": opportunity.title})
    return redirect("buyers:area", pk=opportunity.buyer_id)


@login_required
def award(request: HttpRequest, pk: int) -> HttpResponse:
    """A contract of the buyer: the social value it commits to, and what the supplier reported."""
    found = selectors.award_page(pk=pk)
    if found is None:
        raise Http404
    require_perm(request, "buyers.commit_social_value", found)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            state_commitment(user=request.user, award=found, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The commitment has been recorded."))
            return redirect("buyers:award", pk=found.pk)
    context = {
        "award": found,
        "buyer": found.opportunity.buyer,
        "form": form,
        "figures": selectors.figures_of_award(found),
    }
    return render(request, "buyers/award.html", context, status=400 if form.errors else 200)


@login_required
def supplier_area(request: HttpRequest) -> HttpResponse:
    """The contracts won by the user's organizations, with committed against delivered social value."""
    awards = selectors.awards_supplied_for(user=request.user)
    context = {
        "awards": page_of(request, awards),
        "figures": selectors.figures_per_award(awards),
        "total": selectors.figures_in_all(awards),
    }
    return render(request, "buyers/supplier_area.html", context)


@login_required
def supplier_award(request: HttpRequest, pk: int) -> HttpResponse:
    """One contract won: its commitments, the deliveries reported, and the form to report one."""
    found = selectors.award_page(pk=pk)
    if found is None:
        raise Http404
    require_perm(request, "buyers.report_social_value_delivery", found)
    commitments = list(found.commitments.all())
    form = DeliveryForm(request.POST or None, commitments=commitments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report_supplier_delivery(user=request.user, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Thank you: the delivery has been recorded."))
            return redirect("buyers:supplier_award", pk=found.pk)
    context = {
        "award": found,
        "form": form,
        "commitments": commitments,
        "figures": selectors.figures_of_award(found),
    }
    return render(request, "buyers/supplier_award.html", context, status=400 if form.errors else 200)
