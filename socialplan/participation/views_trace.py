"""Participation pages about what contributions led to: the plan office's linking page and the consultation report."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from socialplan.accounts.rules import is_plan_office
from socialplan.ecosystem.forms import PortalForm
from socialplan.plan.models import ChangelogEntry, ChangelogSource, Plan
from socialplan.portal.current import current_plan

from . import contributions, report, selectors, traceability
from .models import Contribution


class ContributionForm(PortalForm):
    """Which contribution: its kind and its number, as its page's "Link to a plan change" button sends them."""

    tipo = forms.ChoiceField(label=gettext_lazy("Kind of contribution"))
    id = forms.IntegerField(label=gettext_lazy("Number of the contribution"), min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["tipo"]).choices = [
            (kind.model.lower(), kind.label) for kind in contributions.kinds()
        ]


class LinkForm(PortalForm):
    entry = forms.TypedChoiceField(label=gettext_lazy("Plan change"), coerce=int)

    def __init__(self, *args: Any, entries: list[ChangelogEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grouped: dict[str, list[tuple[int, str]]] = {}
        for entry in entries:
            label = f"{entry.get_change_display()}: {traceability.element_label(entry)}"
            grouped.setdefault(str(entry.version), []).append((entry.pk, label))
        cast(forms.ChoiceField, self.fields["entry"]).choices = [("", _("Choose a change")), *grouped.items()]


def _contribution(plan: Plan, label: str, pk: int) -> tuple[contributions.ContributionKind, models.Model] | None:
    kind = next((kind for kind in contributions.kinds() if kind.model.lower() == label), None)
    if kind is None:
        return None
    found = (
        kind.model_class._default_manager.filter(pk=pk, **{f"{kind.process_lookup}__plan": plan})
        .select_related("author__participant_profile")
        .first()
    )
    return (kind, found) if found is not None else None


@login_required
def link_changes(request: HttpRequest) -> HttpResponse:
    """The plan office records which plan change a contribution led to (or removes the link)."""
    if not is_plan_office.test(request.user):
        raise PermissionDenied
    plan = current_plan(request)
    if plan is None:
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    chooser = ContributionForm(data if "tipo" in data else None)
    entries = list(traceability.linkable_entries(plan=plan))
    link_form = LinkForm(
        request.POST if request.method == "POST" and "entry" in request.POST else None, entries=entries
    )
    chosen = None
    if chooser.is_bound and chooser.is_valid():
        chosen = _contribution(plan, chooser.cleaned_data["tipo"], chooser.cleaned_data["id"])
        if chosen is None:
            chooser.add_error("id", _("No contribution of this kind with this number in the plan's processes."))
    if request.method == "POST" and chosen is not None:
        kind, contribution = chosen
        here = f"{reverse('participation:traceability')}?tipo={kind.model.lower()}&id={contribution.pk}"
        if request.POST.get("action") == "unlink":
            entry = next((entry for entry in entries if str(entry.pk) == request.POST.get("entry")), None)
            if entry is not None and traceability.unlink(entry=entry, contribution=contribution, by_user=request.user):
                messages.success(request, _("The link is removed."))
            return redirect(here)
        if link_form.is_valid():
            entry = next(entry for entry in entries if entry.pk == link_form.cleaned_data["entry"])
            traceability.link_contribution(entry=entry, contribution=contribution, by_user=request.user)
            messages.success(request, _("The contribution is linked to the plan change."))
            return redirect(here)
    links: list[ChangelogSource] = []
    if chosen is not None:
        links = list(cast(Contribution, chosen[1]).outcome_sources())
    context = {
        "plan": plan,
        "chooser": chooser,
        "link_form": link_form,
        "chosen": chosen,
        "kind": chosen[0] if chosen else None,
        "contribution": chosen[1] if chosen else None,
        "text": traceability.text_of(chosen[1]) if chosen else "",
        "links": links,
        "has_entries": bool(entries),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "participation/traceability.html", context, status=status)


def _process(request: HttpRequest, slug: str) -> Any:
    plan = current_plan(request)
    process = selectors.processes_of(plan=plan).filter(slug=slug).first() if plan else None
    if process is None:
        raise Http404
    return process


def consultation_report(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    found = report.consultation_report(process=process)
    return render(request, "participation/report.html", {"plan": process.plan, "report": found})


def consultation_report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    language = get_language()
    content = report.build_pdf(process=process, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{process.slug}-report-{language}.pdf"'
    return response
