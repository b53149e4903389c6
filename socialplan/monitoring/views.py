"""The reporter's pages in the personal area (/area-personale/monitoraggio/): the indicators a user
reports on, period by period, and the page where they report one period.

Views stay thin: a selector says what the user reports on, the services write and check every
rule, and their errors appear on the form. A period the user does not report on is answered 404,
as if it did not exist. Every write is a POST with CSRF, followed by a redirect and a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import reporter_selectors as selectors
from .forms import ReportForm
from .models import Update
from .reporting import save_report

SEND = "send"


@login_required
def assignments(request: HttpRequest) -> HttpResponse:
    """Every indicator the user reports on, in person or for an organization, with its periods."""
    context = {"assignments": selectors.assignments_of(user=request.user, today=timezone.localdate())}
    return render(request, "monitoring/personal/assignments.html", context)


@login_required
def report(request: HttpRequest, pk: int, organization_pk: int | None = None) -> HttpResponse:
    """One period as the user reports it: the form while it can change, what was sent once it cannot."""
    slot = selectors.slot_of(user=request.user, period_pk=pk, organization_pk=organization_pk)
    if slot is None:
        raise Http404("No such period among the user's reporting.")
    period, update = slot.period, slot.update
    editable = update is None or update.status in selectors.EDITABLE
    started = period.start <= timezone.localdate()
    dimensions = selectors.breakdown_dimensions(indicator=slot.indicator)
    form = None
    # A refused POST shows its form with the reason even when the period was locked meanwhile.
    if editable and (request.method == "POST" or (started and not period.locked)):
        form = ReportForm(
            request.POST or None,
            request.FILES or None,
            indicator=slot.indicator,
            dimensions=dimensions,
            update=update,
        )
    if request.method == "POST" and form is not None and form.is_valid():
        send = request.POST.get("intent") == SEND
        try:
            save_report(
                period=period,
                reporter=request.user,
                organization=slot.organization,
                update=update,
                report=form.report(),
                evidence=form.cleaned_data.get("evidence"),
                send=send,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if send:
                messages.success(request, _("Thank you: the report is sent to the plan office, which will review it."))
                return redirect("monitoring:assignments")
            messages.success(request, _("The draft is saved. Send it for review when it is complete."))
            return redirect(request.path)
    context = {
        "slot": slot,
        "indicator": slot.indicator,
        "period": period,
        "update": update,
        "form": form,
        "started": started,
        "breakdown": list(update.breakdown.all()) if update is not None else [],
        "returned": update is not None and update.status == Update.Status.RETURNED,
    }
    return render(request, "monitoring/personal/report.html", context)
