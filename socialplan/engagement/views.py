"""Pages of surveys, meetings and interviews, under /partecipa/attivita/."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from socialplan.accounts.rules import is_plan_office
from socialplan.participation.models import Process
from socialplan.participation.ratelimit import RateLimited, address_hash, check
from socialplan.participation.rules import can_moderate
from socialplan.portal.current import current_plan

from . import selectors, services
from .forms import MinutesForm, SurveyForm
from .ical import meeting_calendar
from .models import Meeting, Registration, Survey


def _survey(request: HttpRequest, pk: int) -> Survey:
    plan = current_plan(request)
    survey = selectors.surveys_of(plan=plan).filter(pk=pk).first() if plan else None
    if survey is None:
        raise Http404
    return survey


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    plan = current_plan(request)
    meeting = selectors.meetings_of(plan=plan).filter(pk=pk).first() if plan else None
    if meeting is None:
        raise Http404
    return meeting


def _moderates(request: HttpRequest, process: Process) -> bool:
    return bool(can_moderate(request.user, process))


def survey(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = SurveyForm(survey=survey)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = SurveyForm(request.POST, survey=survey)
        try:
            services.ensure_can_answer(survey=survey, user=request.user)
            if form.is_valid():
                check(request, "survey")
                services.submit_response(
                    survey=survey, author=request.user, values=form.answers(), address_hash=address_hash(request)
                )
                messages.success(request, _("Thank you: your answers have been recorded."))
                return redirect("engagement:results", pk=survey.pk)
            status = 400
        except RateLimited as limited:
            form.add_error(None, str(limited))
            status = 429
        except services.EngagementError as error:
            messages.warning(request, str(error))
            return redirect(survey.get_absolute_url())
    answered = services.has_answered(survey=survey, user=request.user)
    context = {
        "survey": survey,
        "form": form,
        "can_answer": request.user.is_authenticated and survey.is_open() and not answered,
        "answered": answered,
        "is_open": survey.is_open(),
        "not_yet_open": survey.opens_at > timezone.now(),
    }
    return render(request, "engagement/survey.html", context, status=status)


def results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    total, questions = selectors.survey_results(survey)
    context = {
        "survey": survey,
        "total": total,
        "results": questions,
        "linked": selectors.linked_responses(questions),
        "moderator": _moderates(request, survey.process),
    }
    return render(request, "engagement/results.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _spreadsheet_safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    office = bool(is_plan_office(request.user))
    header, rows = selectors.csv_rows(
        survey,
        with_author=office or not survey.anonymous_results,
        moderator=_moderates(request, survey.process),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="questionario-{survey.pk}-risultati.csv"'
    response.write("\ufeff")  # so spreadsheets read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_spreadsheet_safe(cell) for cell in row])
    return response


def meeting_list(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    meetings = selectors.meetings_of(plan=plan) if plan else Meeting.objects.none()
    processes = list(plan.processes.filter(published=True, meetings__isnull=False).distinct()) if plan else []
    chosen = request.GET.get("processo", "")
    if chosen:
        meetings = meetings.filter(process__slug=chosen)
    now = timezone.now()
    upcoming = list(meetings.filter(ends_at__gte=now).order_by("starts_at", "pk"))
    past = list(meetings.filter(ends_at__lt=now).order_by("-starts_at", "pk"))
    for meeting in upcoming:
        meeting.seats_left = selectors.seats_left(meeting)
    context = {"upcoming": upcoming, "past": past, "processes": processes, "chosen": chosen}
    return render(request, "engagement/meeting_list.html", context)


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    registration = None
    if request.user.is_authenticated:
        registration = Registration.objects.filter(meeting=meeting, user=request.user).first()
    context = {
        "meeting": meeting,
        "seats_left": selectors.seats_left(meeting),
        "registration": registration if registration and registration.is_active else None,
        "registration_open": meeting.registration_is_open(),
        "registration_not_yet": bool(meeting.registration_opens_at and meeting.registration_opens_at > timezone.now()),
        "started": meeting.starts_at <= timezone.now(),
        "runs_meeting": _moderates(request, meeting.process),
        "minutes": selectors.visible_text(meeting, meeting.minutes, moderator=_moderates(request, meeting.process)),
    }
    return render(request, "engagement/meeting_detail.html", context)


@login_required
@require_POST
def meeting_register(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        check(request, "registration")
        services.register(meeting=meeting, user=request.user)
    except (RateLimited, services.EngagementError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are registered: your seat is kept."))
    return redirect(meeting.get_absolute_url())


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    try:
        cancelled = services.cancel(meeting=meeting, user=request.user)
    except services.EngagementError as error:
        messages.error(request, str(error))
    else:
        if cancelled:
            messages.success(request, _("Your registration is cancelled: the seat is free for someone else."))
    return redirect(meeting.get_absolute_url())


ATTENDANCE_VALUES: dict[str, bool | None] = {"": None, "yes": True, "no": False}


@login_required
def meeting_office(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if not _moderates(request, meeting.process):
        raise PermissionDenied
    registrations = list(
        meeting.registrations.filter(cancelled_at__isnull=True).select_related("user__participant_profile")
    )
    minutes_form = MinutesForm(initial={"minutes": meeting.minutes, "published": meeting.minutes_published})
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "attendance":
            attended = {
                registration.pk: ATTENDANCE_VALUES.get(request.POST.get(f"attended-{registration.pk}", ""))
                for registration in registrations
            }
            services.record_attendance(meeting=meeting, attended=attended)
            messages.success(request, _("Attendance saved."))
            return redirect("engagement:meeting_office", pk=meeting.pk)
        minutes_form = MinutesForm(request.POST)
        if minutes_form.is_valid():
            try:
                services.save_minutes(
                    meeting=meeting,
                    minutes=minutes_form.cleaned_data["minutes"],
                    published=minutes_form.cleaned_data["published"],
                )
            except services.EngagementError as error:
                minutes_form.add_error(None, str(error))
            else:
                messages.success(request, _("Minutes saved."))
                return redirect("engagement:meeting_office", pk=meeting.pk)
        status = 400
    context: dict[str, Any] = {
        "meeting": meeting,
        "registrations": registrations,
        "attended_count": sum(1 for registration in registrations if registration.attended),
        "minutes_form": minutes_form,
    }
    return render(request, "engagement/meeting_office.html", context, status=status)


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    body = meeting_calendar(
        meeting,
        url=request.build_absolute_uri(meeting.get_absolute_url()),
        host=request.get_host().split(":")[0],
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incontro-{meeting.pk}.ics"'
    return response


@login_required
def interview_list(request: HttpRequest) -> HttpResponse:
    if not is_plan_office(request.user):
        raise PermissionDenied
    plan = current_plan(request)
    interviews = selectors.office_interviews().filter(process__plan=plan) if plan else []
    return render(request, "engagement/interview_list.html", {"interviews": interviews})
