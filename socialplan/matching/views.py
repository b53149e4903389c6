"""Pages of the matcher: the organizations for an opportunity (public), the opportunities for my
organization and the alert subscriptions (personal area)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socialplan.ecosystem.models import Membership, Organization
from socialplan.opportunities.models import Opportunity

from .consortia import suggest_consortia
from .engine import WEIGHTS, prefetched, rank_opportunities, rank_organizations
from .forms import AlertForm
from .models import AlertSubscription

SHOWN_ORGANIZATIONS = 20


def _member_organizations(user: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(memberships__user=user, memberships__status=Membership.Status.APPROVED).order_by(
        "legal_name"
    )


def opportunity_organizations(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = prefetched(Opportunity.objects.filter(pk=pk)).first()
    if opportunity is None:
        raise Http404
    context = {
        "opportunity": opportunity,
        "matches": rank_organizations(opportunity, limit=SHOWN_ORGANIZATIONS),
        "consortia": suggest_consortia(opportunity),
        "weights": {name: round(weight * 100) for name, weight in WEIGHTS.items()},
    }
    return render(request, "matching/opportunity_organizations.html", context)


@login_required
def my_opportunities(request: HttpRequest) -> HttpResponse:
    organizations = list(_member_organizations(request.user))
    chosen = organizations[0] if organizations else None
    wanted = request.GET.get("organizzazione", "")
    if wanted:
        chosen = next((organization for organization in organizations if str(organization.pk) == wanted), chosen)
    context = {
        "organizations": organizations,
        "organization": chosen,
        "matches": rank_opportunities(chosen) if chosen else [],
    }
    return render(request, "matching/my_opportunities.html", context)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    organizations = _member_organizations(request.user)
    form = AlertForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            subscription = AlertSubscription.objects.create(
                user=request.user,
                organization=data["organization"],
                kinds=data["kinds"],
                cpv_prefixes=data["cpv_prefixes"],
                min_score=data["min_score"],
                frequency=data["frequency"],
            )
            if data["comune"]:
                subscription.comuni.set([data["comune"]])
        messages.success(request, _("Alert saved: new matches will reach you by email."))
        return redirect("matching:alerts")
    subscriptions = (
        AlertSubscription.objects.filter(user=request.user, active=True)
        .select_related("organization")
        .prefetch_related("comuni")
    )
    kind_names = dict(Opportunity.Kind.choices)
    context = {
        "form": form,
        "has_organizations": organizations.exists(),
        "subscriptions": [
            {
                "subscription": subscription,
                "kinds": [kind_names.get(kind, kind) for kind in subscription.kinds],
            }
            for subscription in subscriptions
        ],
    }
    return render(request, "matching/alerts.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def stop_alert(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(AlertSubscription, pk=pk, user=request.user)
    subscription.active = False
    subscription.save(update_fields=["active"])
    messages.success(request, _("Alert stopped."))
    return redirect("matching:alerts")
