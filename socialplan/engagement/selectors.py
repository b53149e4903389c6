"""Reading surveys, their results, meetings and interviews for the public pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from socialplan.participation.models import Process
from socialplan.participation.traceability import outcomes_by_id
from socialplan.plan.models import Plan

from .models import SCALE, Answer, Choice, Interview, Meeting, Question, Response, Survey


def surveys_of(*, plan: Plan) -> QuerySet[Survey]:
    return Survey.objects.filter(process__plan=plan, process__published=True).select_related("process")


def meetings_of(*, plan: Plan) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(process__plan=plan, process__published=True)
        .select_related("process")
        .annotate(taken=Count("registrations", filter=Q(registrations__cancelled_at__isnull=True)))
    )


def seats_left(meeting: Meeting) -> int | None:
    """None when the meeting has no seat limit; needs the `taken` annotation of `meetings_of`."""
    if meeting.capacity is None:
        return None
    return max(0, meeting.capacity - meeting.taken)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float  # 0..100, of those who answered the question

    @property
    def percent(self) -> int:
        return round(self.share)

    @property
    def width(self) -> str:
        return f"{self.share:.1f}"


@dataclass
class QuestionResult:
    question: Question
    answered: int
    bars: list[Bar] = field(default_factory=list)
    texts: list[tuple[Response, str]] = field(default_factory=list)
    mean: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None


def _bars(counts: list[tuple[str, int]], answered: int) -> list[Bar]:
    return [
        Bar(label=label, count=count, share=(100 * count / answered) if answered else 0.0) for label, count in counts
    ]


def survey_results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """How many responded, and per question the counts and shares, the figures or the free-text answers.

    A handful of queries whatever the number of responses. Hidden responses
    still count in the figures: hiding concerns what they say, not that they answered.
    """
    questions = list(survey.questions.all())
    total = survey.responses.count()
    answers = Answer.objects.filter(response__survey=survey)
    answered = dict(answers.values("question").annotate(n=Count("pk")).values_list("question", "n"))
    choice_counts = dict(
        Choice.objects.filter(question__survey=survey).annotate(n=Count("answers")).values_list("pk", "n")
    )
    choices_by_question: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question__survey=survey):
        choices_by_question.setdefault(choice.question_id, []).append(choice)
    number_counts: dict[tuple[int, Decimal], int] = {
        (question_id, number): n
        for question_id, number, n in answers.filter(
            question__kind__in=[Question.Kind.SCALE, Question.Kind.YES_NO], number__isnull=False
        )
        .values_list("question", "number")
        .annotate(n=Count("pk"))
        .values_list("question", "number", "n")
    }
    figures = {
        row["question"]: row
        for row in answers.filter(question__kind=Question.Kind.NUMBER, number__isnull=False)
        .values("question")
        .annotate(mean=Avg("number"), low=Min("number"), high=Max("number"))
    }
    texts: dict[int, list[tuple[Response, str]]] = {}
    text_answers = (
        answers.filter(question__kind__in=Question.TEXT_KINDS)
        .exclude(text="")
        .select_related("response__author__participant_profile", "response__survey")
        .order_by("response__created_at", "pk")
    )
    for answer in text_answers:
        texts.setdefault(answer.question_id, []).append((answer.response, answer.text))

    results = []
    for question in questions:
        count = answered.get(question.pk, 0)
        result = QuestionResult(question=question, answered=count)
        if question.kind in Question.CHOICE_KINDS:
            rows = [
                (choice.label, choice_counts.get(choice.pk, 0)) for choice in choices_by_question.get(question.pk, [])
            ]
            result.bars = _bars(rows, count)
        elif question.kind == Question.Kind.SCALE:
            rows = [(str(value), number_counts.get((question.pk, Decimal(value)), 0)) for value in SCALE]
            result.bars = _bars(rows, count)
            scale_sum = sum(int(label) * n for label, n in rows)
            result.mean = round(Decimal(scale_sum) / count, 1) if count else None
        elif question.kind == Question.Kind.YES_NO:
            rows = [
                (pgettext("answer", "Yes"), number_counts.get((question.pk, Decimal(1)), 0)),
                (pgettext("answer", "No"), number_counts.get((question.pk, Decimal(0)), 0)),
            ]
            result.bars = _bars(rows, count)
        elif question.kind == Question.Kind.NUMBER and question.pk in figures:
            row = figures[question.pk]
            result.mean = round(Decimal(row["mean"]), 2)
            result.low, result.high = row["low"], row["high"]
        else:
            result.texts = texts.get(question.pk, [])
        results.append(result)
    return total, results


def linked_responses(results: list[QuestionResult]) -> set[int]:
    """The responses, among those quoted, that led to a plan change (one query for the page)."""
    ids = {response.pk for result in results for response, _text in result.texts}
    return set(outcomes_by_id(Response, ids)) if ids else set()


def csv_rows(survey: Survey, *, with_author: bool, moderator: bool) -> tuple[list[str], list[list[str]]]:
    """The header and one row per response, one column per question (choices joined with '; ')."""
    questions = list(survey.questions.all())
    header = [_("Response"), _("Date")] + ([_("Author")] if with_author else []) + [q.text for q in questions]
    responses = (
        survey.responses.select_related("author__participant_profile")
        .prefetch_related("answers__choices")
        .order_by("created_at", "pk")
    )
    rows = []
    for number, response in enumerate(responses, start=1):
        by_question = {answer.question_id: answer for answer in response.answers.all()}
        row = [str(number), timezone.localtime(response.created_at).strftime("%Y-%m-%d %H:%M")]
        if with_author:
            row.append(response.author_name)
        for question in questions:
            row.append(_answer_text(question, by_question.get(question.pk), response, moderator=moderator))
        rows.append(row)
    return header, rows


def _answer_text(question: Question, answer: Answer | None, response: Response, *, moderator: bool) -> str:
    if answer is None:
        return ""
    if question.kind in Question.CHOICE_KINDS:
        return "; ".join(choice.label for choice in sorted(answer.choices.all(), key=lambda c: (c.order, c.pk)))
    if question.kind == Question.Kind.YES_NO:
        return pgettext("answer", "Yes") if answer.number == 1 else pgettext("answer", "No")
    if question.kind == Question.Kind.SCALE:
        return str(int(answer.number)) if answer.number is not None else ""
    if question.kind == Question.Kind.NUMBER:
        return str(answer.number.normalize()) if answer.number is not None else ""
    return visible_text(response, answer.text, moderator=moderator)


@dataclass(frozen=True)
class ProcessEngagement:
    surveys: list[Survey]
    closed_surveys: list[Survey]
    meetings: list[Meeting]
    interview_count: int
    public_interviews: list[Interview]


def process_engagement(process: Process) -> ProcessEngagement:
    now = timezone.now()
    surveys = list(process.surveys.filter(opens_at__lte=now))
    return ProcessEngagement(
        surveys=[survey for survey in surveys if survey.closes_at > now],
        closed_surveys=[survey for survey in surveys if survey.closes_at <= now],
        meetings=list(process.meetings.filter(ends_at__gte=now).order_by("starts_at")[:5]),
        interview_count=process.interviews.count(),
        public_interviews=list(
            process.interviews.filter(summary_public=True)
            .exclude(summary="")
            .select_related("organization")
            .prefetch_related("themes")
            .order_by("-held_on", "pk")
        ),
    )


def office_interviews() -> QuerySet[Interview]:
    return Interview.objects.select_related("process", "organization", "interviewer").prefetch_related("themes")


def visible_text(obj: Any, text: str, *, moderator: bool) -> str:
    """What a contribution shows: its text, or the moderators' reason when hidden (moderators still read it)."""
    if getattr(obj, "is_hidden", False) and not moderator:
        return _("Hidden by the moderators: %(reason)s") % {"reason": obj.hidden_reason}
    return text


def registrations_of(user: Any) -> list[dict[str, Any]]:
    """A person's meeting registrations for their data export (GDPR art. 15); they go with the account."""
    return [
        {
            "meeting": registration.meeting.title,
            "starts_at": registration.meeting.starts_at.isoformat(),
            "registered_at": registration.created_at.isoformat(),
            "cancelled_at": registration.cancelled_at.isoformat() if registration.cancelled_at else None,
            "attended": registration.attended,
        }
        for registration in user.meeting_registrations.select_related("meeting").order_by("pk")
    ]
