"""The personal area (/area-personale/): a signed-in user's organizations and requests, joining an
organization, deciding requests, editing a profile, pledges, and the plan office's review queue.

Views stay thin: they check the permission (rules.py) so that a page is refused before it is
shown, then call a selector or a service, which checks it again; errors from a service appear on
the form. Every write is a POST with CSRF, followed by a redirect and a message.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socialplan.core.pages import page_of, require_perm
from socialplan.monitoring.reporter_selectors import indicators_reported_by
from socialplan.plan.selectors import get_public_plan

from . import personal_selectors as selectors
from .commitments import change_pledge_status, create_pledge, report_pledge_progress
from .forms import (
    DecisionChoices,
    MembershipDecisionForm,
    MembershipRequestForm,
    OrganizationSearchForm,
    PledgeForm,
    PledgeStatusForm,
    ProfileForm,
    ProgressForm,
    ReviewForm,
    profile_initial,
)
from .models import Membership, Organization, Pledge, ProfileChange
from .selfservice import decide_membership, request_membership, review_profile_change, update_profile


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_review = user.has_perm("ecosystem.review_profile_change")
    context = {
        "memberships": page_of(request, selectors.memberships_of(user=user)),
        "requests_to_decide": selectors.membership_requests_for(user=user).count(),
        "may_decide": user.has_perm("ecosystem.decide_membership"),
        "changes_to_review": selectors.pending_profile_changes().count() if may_review else None,
        "indicators_to_report": indicators_reported_by(user=user).count(),
    }
    return render(request, "ecosystem/home.html", context)


@login_required
def join(request: HttpRequest) -> HttpResponse:
    """Find an organization by name or codice fiscale."""
    form = OrganizationSearchForm(request.GET or None)
    results = None
    query = ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        results = page_of(request, selectors.organizations_matching(query=query, user=request.user))
    context = {"form": form, "results": results, "query_string": urlencode({"q": query})}
    return render(request, "ecosystem/join.html", context)


@login_required
def join_organization(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    require_perm(request, "ecosystem.join_organization", organization)
    membership = selectors.membership_of(user=request.user, organization=organization)
    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_membership(organization=organization, user=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Your request to join %(organization)s has been sent. You will find its status here.")
                % {"organization": organization},
            )
            return redirect("ecosystem:home")
    context = {"organization": organization, "membership": membership, "form": form}
    return render(request, "ecosystem/join_organization.html", context)


@login_required
def membership_requests(request: HttpRequest) -> HttpResponse:
    """Requests to join waiting for the user's decision (plan office: all; organization admins: theirs)."""
    require_perm(request, "ecosystem.decide_membership")
    context = {
        "requests": page_of(request, selectors.membership_requests_for(user=request.user)),
        "roles": Membership.Role.choices,
        "default_role": Membership.Role.MEMBER,
    }
    return render(request, "ecosystem/membership_requests.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user", "organization"), pk=pk)
    require_perm(request, "ecosystem.decide_membership", membership)
    form = MembershipDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or reject the request, and a role from the list."))
        return redirect("ecosystem:membership_requests")
    approve = form.cleaned_data["decision"] == DecisionChoices.APPROVE
    try:
        decide_membership(membership=membership, user=request.user, approve=approve, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        names = {"user": membership.user, "organization": membership.organization}
        if approve:
            messages.success(request, _("%(user)s is now a member of %(organization)s.") % names)
        else:
            messages.success(request, _("The request of %(user)s to join %(organization)s was rejected.") % names)
    return redirect("ecosystem:membership_requests")


@login_required
def edit_profile(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    require_perm(request, "ecosystem.change_organization_profile", organization)
    pending = selectors.pending_change_of(organization=organization)
    initial = profile_initial(organization, pending.changes if pending else None)
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = update_profile(organization=organization, user=request.user, values=form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if result.applied:
                messages.success(request, _("The profile has been updated."))
            if result.pending is not None:
                messages.info(
                    request,
                    _(
                        "The changes to verified fields wait for the plan office's review: "
                        "the public profile keeps the current values until then."
                    ),
                )
            if not result.applied and result.pending is None:
                messages.info(request, _("Nothing to change: the profile already has these values."))
            return redirect("ecosystem:edit_profile", pk=organization.pk)
    context = {
        "organization": organization,
        "form": form,
        "pending": pending,
        "pending_fields": selectors.describe_change(change=pending, organization=organization) if pending else [],
        "recent_changes": selectors.recent_profile_changes(organization=organization),
        "may_manage_pledges": request.user.has_perm("ecosystem.manage_pledges", organization),
    }
    return render(request, "ecosystem/edit_profile.html", context)


@login_required
def pledges(request: HttpRequest, pk: int) -> HttpResponse:
    """An organization's pledges; its administrators (and the plan office) make new ones here."""
    organization = get_object_or_404(Organization, pk=pk)
    require_perm(request, "ecosystem.report_pledge_progress", organization)
    may_manage = request.user.has_perm("ecosystem.manage_pledges", organization)
    form = None
    if may_manage:
        form = PledgeForm(request.POST or None, actions=selectors.actions_of(plan=get_public_plan()))
    elif request.method == "POST":
        raise PermissionDenied("ecosystem.manage_pledges")
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pledge = create_pledge(
                organization=organization,
                action=data["action"],
                user=request.user,
                title=data["title"],
                description=data["description"],
                quantity=data["quantity"],
                unit=data["unit"],
                due_date=data["due_date"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The pledge has been published."))
            return redirect("ecosystem:pledge", pk=pledge.pk)
    context = {
        "organization": organization,
        "pledges": page_of(request, selectors.pledges_of(organization=organization)),
        "form": form,
    }
    return render(request, "ecosystem/pledges.html", context)


@login_required
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A pledge with its progress reports: members report progress, administrators change its status."""
    pledge = get_object_or_404(Pledge.objects.select_related("organization", "action"), pk=pk)
    require_perm(request, "ecosystem.report_pledge_progress", pledge)
    may_manage = request.user.has_perm("ecosystem.manage_pledges", pledge)
    posted = request.POST.get("form") if request.method == "POST" else None
    progress_form = ProgressForm(request.POST if posted == "progress" else None)
    status_form = PledgeStatusForm(request.POST if posted == "status" else None, initial={"status": pledge.status})
    if posted == "status" and not may_manage:
        raise PermissionDenied("ecosystem.manage_pledges")
    if posted == "progress" and progress_form.is_valid():
        data = progress_form.cleaned_data
        try:
            report_pledge_progress(
                pledge=pledge,
                user=request.user,
                reported_on=data["reported_on"],
                achieved=data["achieved"],
                note=data["note"],
            )
        except ValidationError as error:
            progress_form.add_service_error(error)
        else:
            messages.success(request, _("Thank you: the progress has been recorded."))
            return redirect("ecosystem:pledge", pk=pledge.pk)
    if posted == "status" and status_form.is_valid():
        try:
            change_pledge_status(pledge=pledge, user=request.user, status=status_form.cleaned_data["status"])
        except ValidationError as error:
            status_form.add_service_error(error)
        else:
            messages.success(request, _("The status of the pledge has been changed."))
            return redirect("ecosystem:pledge", pk=pledge.pk)
    context = {
        "pledge": pledge,
        "organization": pledge.organization,
        "reports": page_of(request, selectors.progress_of(pledge=pledge)),
        # Reports go on active pledges; a report refused because the pledge just changed shows why.
        "progress_form": progress_form if pledge.status == Pledge.Status.ACTIVE or posted == "progress" else None,
        "status_form": status_form if may_manage else None,
    }
    return render(request, "ecosystem/pledge.html", context)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The plan office's queue of profile changes waiting for review."""
    require_perm(request, "ecosystem.review_profile_change")
    return render(
        request, "ecosystem/review_queue.html", {"changes": page_of(request, selectors.pending_profile_changes())}
    )


@login_required
def review_change(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(
        ProfileChange.objects.select_related("organization", "proposed_by", "reviewed_by"), pk=pk
    )
    require_perm(request, "ecosystem.review_profile_change", change)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == DecisionChoices.APPROVE
        try:
            review_profile_change(change=change, user=request.user, approve=approve, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if approve:
                messages.success(request, _("The change is approved and published."))
            else:
                messages.success(request, _("The change is rejected; the members will read your note."))
            return redirect("ecosystem:review_queue")
    context = {
        "change": change,
        "organization": change.organization,
        "fields": selectors.describe_change(change=change, organization=change.organization),
        "form": form if change.status == ProfileChange.Status.PENDING else None,
    }
    return render(request, "ecosystem/review_change.html", context)
