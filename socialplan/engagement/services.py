"""The writes of engagement: answering a survey, taking and giving back a seat, attendance and minutes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Answer, Choice, Meeting, Question, Registration, Response, Survey


class EngagementError(Exception):
    """A write refused for a reason the person can read."""


class SurveyClosed(EngagementError):
    pass


class AlreadyAnswered(EngagementError):
    pass


class MeetingFull(EngagementError):
    pass


class RegistrationClosed(EngagementError):
    pass


def _free_text(questions: Iterable[Question], values: Mapping[int, Any]) -> str:
    parts = [
        f"{question.text}\n{values[question.pk]}"
        for question in questions
        if question.kind in Question.TEXT_KINDS and values.get(question.pk)
    ]
    return "\n\n".join(parts)


def ensure_can_answer(*, survey: Survey, user: Any) -> None:
    """Raise the reason a person may not answer now: the survey is closed, or they already answered."""
    if not survey.is_open():
        raise SurveyClosed(_("This survey is closed: answers are no longer accepted."))
    if has_answered(survey=survey, user=user):
        raise AlreadyAnswered(_("You have already answered this survey: only one response per person."))


def submit_response(*, survey: Survey, author: Any, values: Mapping[int, Any], address_hash: str = "") -> Response:
    """Store one participant's answers; `values` maps question ids to the cleaned answers of `SurveyForm`.

    A second response by the same person is refused, whatever the timing: the
    unique constraint decides between two simultaneous submissions.
    """
    ensure_can_answer(survey=survey, user=author)
    questions = list(survey.questions.all())
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey, author=author, address_hash=address_hash, text=_free_text(questions, values)
            )
            for question in questions:
                value = values.get(question.pk)
                if value in (None, "", []):
                    continue
                answer = Answer(response=response, question=question)
                if question.kind in Question.TEXT_KINDS:
                    answer.text = value
                elif question.kind in (Question.Kind.SCALE, Question.Kind.NUMBER):
                    answer.number = Decimal(value)
                elif question.kind == Question.Kind.YES_NO:
                    answer.number = Decimal(1 if value == "yes" else 0)
                answer.save()
                if question.kind in Question.CHOICE_KINDS:
                    ids = value if isinstance(value, list) else [value]
                    answer.choices.set(Choice.objects.filter(question=question, pk__in=ids))
    except IntegrityError as error:
        raise AlreadyAnswered(_("You have already answered this survey: only one response per person.")) from error
    return response


def has_answered(*, survey: Survey, user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and survey.responses.filter(author=user).exists())


def seats_taken(meeting: Meeting) -> int:
    return meeting.registrations.filter(cancelled_at__isnull=True).count()


def register(*, meeting: Meeting, user: Any) -> Registration:
    """Take a seat; the meeting's row is locked so two last-seat requests cannot both succeed."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not meeting.registration_is_open():
            raise RegistrationClosed(_("Registration for this meeting is closed."))
        registration = Registration.objects.filter(meeting=meeting, user=user).first()
        if registration is not None and registration.is_active:
            return registration
        if meeting.capacity is not None and seats_taken(meeting) >= meeting.capacity:
            raise MeetingFull(_("This meeting is full: no seats are left."))
        if registration is None:
            return Registration.objects.create(meeting=meeting, user=user)
        registration.cancelled_at = None
        registration.created_at = timezone.now()
        registration.save(update_fields=["cancelled_at", "created_at"])
        return registration


def cancel(*, meeting: Meeting, user: Any) -> bool:
    """Give the seat back; False when there was none."""
    if meeting.starts_at <= timezone.now():
        raise RegistrationClosed(_("The meeting has started: the registration can no longer be cancelled."))
    updated = Registration.objects.filter(meeting=meeting, user=user, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    )
    return bool(updated)


def record_attendance(*, meeting: Meeting, attended: Mapping[int, bool | None]) -> int:
    """Mark who came, by registration id; registrations of other meetings are ignored."""
    changed = 0
    with transaction.atomic():
        for registration in meeting.registrations.filter(pk__in=attended.keys()):
            value = attended[registration.pk]
            if registration.attended != value:
                registration.attended = value
                registration.save(update_fields=["attended"])
                changed += 1
    return changed


def save_minutes(*, meeting: Meeting, minutes: str, published: bool) -> Meeting:
    if published and not minutes.strip():
        raise EngagementError(_("Write the minutes before publishing them."))
    if published and meeting.starts_at > timezone.now():
        raise EngagementError(_("The minutes can be published once the meeting has taken place."))
    meeting.minutes = minutes
    meeting.minutes_published = published
    meeting.save(update_fields=["minutes", "minutes_published"])
    return meeting
