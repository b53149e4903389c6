"""Participation in the API: public reads of processes, consultations, proposals, opinion groups and surveys;
participant writes with the session of the web pages: comments, annotations on a passage, supports,
proposals, opinion statements and votes, survey responses.

Writes follow the pages' rules exactly (they call the same services): closing
dates, one support and one vote per person (a second vote changes the first),
rate limits (429), hidden contributions shown as their reason, never their text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest
from ninja import Field, P, PathEx, Router, Schema, Status
from ninja.errors import HttpError

from socialplan.api.auth import session_auth
from socialplan.api.errors import DENIED, INVALID, NOT_FOUND, UNPARSABLE, ErrorOut
from socialplan.api.params import BIGINT_MAX
from socialplan.consultations import services as consultation_services
from socialplan.consultations.models import Annotation, Comment, Consultation, Section
from socialplan.engagement import services as engagement_services
from socialplan.engagement.forms import SurveyForm, field_name
from socialplan.engagement.models import Survey
from socialplan.opinions import services as opinion_services
from socialplan.opinions.models import Conversation, Statement, Vote
from socialplan.plan.selectors import get_public_plan
from socialplan.proposals import services as proposal_services
from socialplan.proposals.forms import ProposalForm
from socialplan.proposals.models import Proposal

from . import ratelimit
from .models import Opening, Phase, Process

router = Router(tags=["participation"])

Id = P(ge=1, le=BIGINT_MAX)
Slug = P(
    max_length=80, pattern=r"^[-a-zA-Z0-9_]+$", description="The process's identifier, e.g. costruzione-del-piano."
)
LIMITED: dict[int, Any] = {429: ErrorOut}


class ParticipationPhaseOut(Schema):
    code: str
    title_it: str
    title_en: str
    start_date: date
    end_date: date
    openings: list[str]
    participants: str


class ParticipationProcessOut(Schema):
    slug: str
    title_it: str
    title_en: str
    summary_it: str
    summary_en: str
    is_plan_history: bool
    current_phase: str | None
    phases: list[ParticipationPhaseOut]


class SectionOut(Schema):
    id: int
    element_key: str
    heading: str
    body: str


class CommentOut(Schema):
    id: int
    section_id: int | None
    parent_id: int | None
    author: str
    created_at: datetime
    body: str | None
    hidden_reason: str | None
    supports: int


class AnnotationOut(Schema):
    id: int
    section_id: int
    quote: str
    start: int
    end: int
    author: str
    created_at: datetime
    body: str | None
    hidden_reason: str | None
    supports: int


class ConsultationOut(Schema):
    id: int
    process: str
    title: str
    title_en: str
    status: str
    opens_at: datetime
    closes_at: datetime
    sections: list[SectionOut]
    comments: list[CommentOut]
    annotations: list[AnnotationOut]


class CommentIn(Schema):
    body: str
    section_id: int | None = None
    parent_id: int | None = None


class AnnotationIn(Schema):
    quote: str = Field(description="The passage, exactly as it is in the section's text.")
    body: str
    start: int | None = Field(None, description="Where the passage starts in the text (a hint: the quote decides).")
    end: int | None = None


class ProposalIn(Schema):
    title: str
    body: str
    theme: str | None = Field(None, description="The code of a theme of the plan, e.g. social-procurement.")


class StatementIn(Schema):
    text: str


class PendingStatementOut(Schema):
    id: int
    text: str
    status: str


class ChoiceOut(Schema):
    id: int
    label: str


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    required: bool
    max_choices: int | None
    choices: list[ChoiceOut]


class SurveyOut(Schema):
    id: int
    process: str
    title: str
    opens_at: datetime
    closes_at: datetime
    questions: list[QuestionOut]


class SurveyResponseIn(Schema):
    answers: dict[int, int | float | str | list[int]] = Field(
        description="Question id -> answer: a choice id (one choice), a list of choice ids (several), "
        "1-5 (scale), yes/no, a number, or text."
    )


class SurveyResponseOut(Schema):
    id: int
    survey_id: int
    created_at: datetime


class ProposalOut(Schema):
    id: int
    title: str | None
    body: str | None
    hidden_reason: str | None
    theme: str | None
    status: str
    status_reason: str
    author: str
    created_at: datetime
    supports: int


class SupportOut(Schema):
    proposal_id: int
    added: bool
    supports: int


class StatementOut(Schema):
    id: int
    text: str
    agree: int
    disagree: int
    passed: int


class GroupsOut(Schema):
    computed_at: datetime
    participants: int
    votes: int
    algorithm: str
    groups: list[dict[str, Any]]
    consensus: dict[str, Any]


class ConversationOut(Schema):
    id: int
    process: str
    title: str
    question: str
    opens_at: datetime
    closes_at: datetime
    statements: list[StatementOut]
    groups: GroupsOut | None


class VoteIn(Schema):
    statement_id: int
    value: int


class VoteOut(Schema):
    statement_id: int
    value: int


def _process_out(process: Process) -> dict[str, Any]:
    current = process.current_phase()
    return {
        "slug": process.slug,
        "title_it": process.title_it or process.title,
        "title_en": process.title_en or "",
        "summary_it": process.summary_it or "",
        "summary_en": process.summary_en or "",
        "is_plan_history": process.is_plan_history,
        "current_phase": current.code if current else None,
        "phases": [
            {
                "code": phase.code,
                "title_it": phase.title_it or phase.title,
                "title_en": phase.title_en or "",
                "start_date": phase.start_date,
                "end_date": phase.end_date,
                "openings": list(phase.openings or []),
                "participants": phase.figure,
            }
            for phase in process.phases.all()
        ],
    }


def _processes() -> Any:
    plan = get_public_plan()
    if plan is None:
        return Process.objects.none()
    phases = Phase.objects.order_by("order", "start_date", "pk")
    return plan.processes.filter(published=True).prefetch_related(Prefetch("phases", queryset=phases))


def _limited(request: HttpRequest, action: str) -> None:
    try:
        ratelimit.check(request, action)
    except ratelimit.RateLimited as error:
        raise HttpError(429, str(error)) from error


@router.get(
    "/processes", response=list[ParticipationProcessOut], summary="The participatory processes of the plan, with phases"
)
def list_processes(request: HttpRequest) -> list[dict[str, Any]]:
    return [_process_out(process) for process in _processes()]


@router.get(
    "/processes/{slug}",
    response={200: ParticipationProcessOut, **NOT_FOUND, **INVALID},
    summary="A participatory process",
)
def get_process(request: HttpRequest, slug: PathEx[str, Slug]) -> dict[str, Any]:
    process = _processes().filter(slug=slug).first()
    if process is None:
        raise HttpError(404, f"No participatory process {slug!r}.")
    return _process_out(process)


def _comment_out(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "section_id": comment.section_id,
        "parent_id": comment.parent_id,
        "author": comment.author_name,
        "created_at": comment.created_at,
        "body": None if comment.is_hidden else comment.body,
        "hidden_reason": comment.hidden_reason if comment.is_hidden else None,
        "supports": comment.support_count,
    }


def _annotation_out(annotation: Annotation) -> dict[str, Any]:
    return {
        "id": annotation.pk,
        "section_id": annotation.section_id,
        "quote": annotation.quote,
        "start": annotation.start,
        "end": annotation.end,
        "author": annotation.author_name,
        "created_at": annotation.created_at,
        "body": None if annotation.is_hidden else annotation.body,
        "hidden_reason": annotation.hidden_reason if annotation.is_hidden else None,
        "supports": annotation.support_count,
    }


def _invalid(form: Any, names: dict[str, str] | None = None) -> ValidationError:
    """A form's errors as the API's 422, each under the request's field name (`names`: form field -> request)."""
    names = names or {}
    return ValidationError({names.get(field, field): list(errors) for field, errors in form.errors.items()})


def _consultation(consultation_id: int) -> Consultation:
    consultation = (
        Consultation.objects.filter(pk=consultation_id, process__published=True).select_related("process").first()
    )
    if consultation is None:
        raise HttpError(404, f"No consultation with identifier {consultation_id}.")
    return consultation


@router.get(
    "/consultations/{consultation_id}",
    response={200: ConsultationOut, **NOT_FOUND, **INVALID},
    summary="A consultation: its sections (the draft text) and its comments",
)
def get_consultation(request: HttpRequest, consultation_id: PathEx[int, Id]) -> dict[str, Any]:
    consultation = _consultation(consultation_id)
    comments = consultation.comments.select_related("author__participant_profile").order_by("created_at", "pk")
    annotations = Annotation.objects.filter(section__consultation=consultation).select_related(
        "author__participant_profile"
    )
    return {
        "id": consultation.pk,
        "process": consultation.process.slug,
        "title": consultation.title,
        "title_en": consultation.title_en,
        "status": consultation.status(),
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "sections": [
            {"id": section.pk, "element_key": section.element_key, "heading": section.heading, "body": section.body}
            for section in consultation.sections.order_by("order", "pk")
        ],
        "comments": [_comment_out(comment) for comment in comments],
        "annotations": [_annotation_out(annotation) for annotation in annotations],
    }


@router.post(
    "/consultations/{consultation_id}/comments",
    response={201: CommentOut, **UNPARSABLE, **DENIED, **NOT_FOUND, **INVALID, **LIMITED},
    auth=session_auth,
    summary="Comment on a consultation, on one of its sections, or reply to a comment",
)
def post_comment(request: HttpRequest, consultation_id: PathEx[int, Id], payload: CommentIn) -> Status:
    consultation = _consultation(consultation_id)
    section = parent = None
    if payload.section_id is not None:
        section = Section.objects.filter(pk=payload.section_id, consultation=consultation).first()
        if section is None:
            raise ValidationError({"section_id": [f"No section {payload.section_id} in this consultation."]})
    if payload.parent_id is not None:
        parent = Comment.objects.filter(pk=payload.parent_id, consultation=consultation).first()
        if parent is None:
            raise ValidationError({"parent_id": [f"No comment {payload.parent_id} in this consultation."]})
    try:
        consultation_services.check_open(consultation)
    except ValidationError as error:
        raise HttpError(403, " ".join(error.messages)) from error
    _limited(request, "comment")
    comment = consultation_services.post_comment(
        consultation=consultation,
        user=request.user,
        body=payload.body,
        section=section,
        parent=parent,
        address_hash=ratelimit.address_hash(request),
    )
    return Status(201, _comment_out(comment))


@router.post(
    "/consultations/{consultation_id}/sections/{section_id}/annotations",
    response={201: AnnotationOut, **UNPARSABLE, **DENIED, **NOT_FOUND, **INVALID, **LIMITED},
    auth=session_auth,
    summary="Comment on a passage of a section of the draft",
)
def post_annotation(
    request: HttpRequest, consultation_id: PathEx[int, Id], section_id: PathEx[int, Id], payload: AnnotationIn
) -> Status:
    consultation = _consultation(consultation_id)
    section = Section.objects.filter(pk=section_id, consultation=consultation).select_related("consultation").first()
    if section is None:
        raise HttpError(404, f"No section {section_id} in this consultation.")
    try:
        consultation_services.check_open(consultation)
    except ValidationError as error:
        raise HttpError(403, " ".join(error.messages)) from error
    _limited(request, "annotation")
    annotation = consultation_services.annotate(
        section=section,
        user=request.user,
        quote=payload.quote,
        body=payload.body,
        start=payload.start,
        end=payload.end,
        address_hash=ratelimit.address_hash(request),
    )
    return Status(201, _annotation_out(annotation))


def _proposal_out(proposal: Proposal) -> dict[str, Any]:
    hidden = proposal.is_hidden
    return {
        "id": proposal.pk,
        "title": None if hidden else proposal.title,
        "body": None if hidden else proposal.body,
        "hidden_reason": proposal.hidden_reason if hidden else None,
        "theme": proposal.theme.code if proposal.theme_id else None,
        "status": proposal.status,
        "status_reason": proposal.status_reason,
        "author": proposal.author_name,
        "created_at": proposal.created_at,
        "supports": proposal.support_count,
    }


@router.get(
    "/processes/{slug}/proposals",
    response={200: list[ProposalOut], **NOT_FOUND, **INVALID},
    summary="The proposals of a process, with their status, the office's answer and their supports",
)
def list_proposals(request: HttpRequest, slug: PathEx[str, Slug]) -> list[dict[str, Any]]:
    process = _processes().filter(slug=slug).first()
    if process is None:
        raise HttpError(404, f"No participatory process {slug!r}.")
    proposals = process.proposals.select_related("theme", "author__participant_profile").order_by("-created_at", "-pk")
    return [_proposal_out(proposal) for proposal in proposals]


@router.post(
    "/proposals/{proposal_id}/supports",
    response={200: SupportOut, **DENIED, **NOT_FOUND, **INVALID, **LIMITED},
    auth=session_auth,
    summary="Support a proposal (once: a second support changes nothing)",
)
def support_proposal(request: HttpRequest, proposal_id: PathEx[int, Id]) -> dict[str, Any]:
    proposal = Proposal.objects.filter(pk=proposal_id, process__published=True).select_related("process").first()
    if proposal is None:
        raise HttpError(404, f"No proposal with identifier {proposal_id}.")
    _limited(request, "support")
    try:
        added = proposal_services.support_proposal(proposal=proposal, user=request.user)
    except proposal_services.Refused as error:
        raise HttpError(403, str(error)) from error
    return {"proposal_id": proposal.pk, "added": added, "supports": proposal.supports.count()}


@router.post(
    "/processes/{slug}/proposals",
    response={201: ProposalOut, **UNPARSABLE, **DENIED, **NOT_FOUND, **INVALID, **LIMITED},
    auth=session_auth,
    summary="Propose a new action or a change to the plan, under one of its themes or none",
)
def post_proposal(request: HttpRequest, slug: PathEx[str, Slug], payload: ProposalIn) -> Status:
    process = _processes().filter(slug=slug).select_related("plan").first()
    if process is None:
        raise HttpError(404, f"No participatory process {slug!r}.")
    themes = process.plan.themes.order_by("order")
    theme_id = None
    if payload.theme:
        theme_id = themes.filter(code=payload.theme).values_list("pk", flat=True).first()
        if theme_id is None:
            raise ValidationError({"theme": [f"No theme {payload.theme!r} in the plan."]})
    form = ProposalForm({"title": payload.title, "body": payload.body, "theme": theme_id or ""}, themes=themes)
    if not form.is_valid():
        raise _invalid(form)
    if not process.is_open_for(Opening.PROPOSALS):
        raise HttpError(403, "This process is not collecting proposals now.")
    _limited(request, "proposal")
    try:
        proposal = proposal_services.submit_proposal(
            process=process,
            author=request.user,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            theme=form.cleaned_data["theme"],
            address_hash=ratelimit.address_hash(request),
        )
    except proposal_services.Refused as error:
        raise HttpError(403, str(error)) from error
    return Status(201, _proposal_out(proposal))


def _conversation(conversation_id: int) -> Conversation:
    conversation = (
        Conversation.objects.filter(pk=conversation_id, process__published=True).select_related("process").first()
    )
    if conversation is None:
        raise HttpError(404, f"No opinion conversation with identifier {conversation_id}.")
    return conversation


@router.get(
    "/conversations/{conversation_id}",
    response={200: ConversationOut, **NOT_FOUND, **INVALID},
    summary="An opinion conversation: its statements with their votes, and the opinion groups last computed",
)
def get_conversation(request: HttpRequest, conversation_id: PathEx[int, Id]) -> dict[str, Any]:
    conversation = _conversation(conversation_id)
    counts: dict[int, dict[int, int]] = {}
    for statement_id, value, total in (
        Vote.objects.filter(statement__conversation=conversation)
        .values_list("statement_id", "value")
        .annotate(total=Count("pk"))
        .order_by()
    ):
        counts.setdefault(statement_id, {})[value] = total
    statements = conversation.statements.filter(status=Statement.Status.ACCEPTED, hidden_at__isnull=True).order_by("pk")
    result = conversation.groups_results.order_by("-computed_at", "-pk").first()
    return {
        "id": conversation.pk,
        "process": conversation.process.slug,
        "title": conversation.title,
        "question": conversation.question,
        "opens_at": conversation.opens_at,
        "closes_at": conversation.closes_at,
        "statements": [
            {
                "id": statement.pk,
                "text": statement.text,
                "agree": counts.get(statement.pk, {}).get(1, 0),
                "disagree": counts.get(statement.pk, {}).get(-1, 0),
                "passed": counts.get(statement.pk, {}).get(0, 0),
            }
            for statement in statements
        ],
        "groups": None
        if result is None
        else {
            "computed_at": result.computed_at,
            "participants": result.participants,
            "votes": result.votes,
            "algorithm": result.algorithm,
            "groups": result.groups,
            "consensus": result.consensus,
        },
    }


@router.post(
    "/conversations/{conversation_id}/votes",
    response={200: VoteOut, **UNPARSABLE, **DENIED, **NOT_FOUND, **INVALID, **LIMITED},
    auth=session_auth,
    summary="Vote on a statement: 1 agree, -1 disagree, 0 pass; voting again changes the vote",
)
def vote(request: HttpRequest, conversation_id: PathEx[int, Id], payload: VoteIn) -> dict[str, Any]:
    conversation = _conversation(conversation_id)
    statement = conversation.statements.filter(pk=payload.statement_id).select_related("conversation").first()
    if statement is None:
        raise ValidationError({"statement_id": [f"No statement {payload.statement_id} in this conversation."]})
    if payload.value not in (-1, 0, 1):
        raise ValidationError({"value": ["A vote is 1 (agree), -1 (disagree) or 0 (pass)."]})
    _limited(request, "vote")
    try:
        cast = opinion_services.cast_vote(participant=request.user, statement=statement, value=payload.value)
    except opinion_services.Refused as error:
        raise HttpError(403, str(error)) from error
    return {"statement_id": statement.pk, "value": cast.value}


@router.post(
    "/conversations/{conversation_id}/statements",
    response={201: PendingStatementOut, **UNPARSABLE, **DENIED, **NOT_FOUND, **INVALID, **LIMITED},
    auth=session_auth,
    summary="Add a statement to vote on; it waits for a moderator before anyone votes on it",
)
def post_statement(request: HttpRequest, conversation_id: PathEx[int, Id], payload: StatementIn) -> Status:
    conversation = _conversation(conversation_id)
    if not payload.text.strip():
        raise ValidationError({"text": ["Write the statement."]})
    _limited(request, "statement")
    try:
        statement = opinion_services.add_statement(
            author=request.user,
            conversation=conversation,
            text=payload.text,
            address_hash=ratelimit.address_hash(request),
        )
    except opinion_services.Refused as error:
        raise HttpError(403, str(error)) from error
    return Status(201, {"id": statement.pk, "text": statement.text, "status": statement.status})


def _survey(survey_id: int) -> Survey:
    survey = Survey.objects.filter(pk=survey_id, process__published=True).select_related("process").first()
    if survey is None:
        raise HttpError(404, f"No survey with identifier {survey_id}.")
    return survey


@router.get(
    "/surveys/{survey_id}",
    response={200: SurveyOut, **NOT_FOUND, **INVALID},
    summary="A survey and its questions, with the choices of each",
)
def get_survey(request: HttpRequest, survey_id: PathEx[int, Id]) -> dict[str, Any]:
    survey = _survey(survey_id)
    return {
        "id": survey.pk,
        "process": survey.process.slug,
        "title": survey.title,
        "opens_at": survey.opens_at,
        "closes_at": survey.closes_at,
        "questions": [
            {
                "id": question.pk,
                "kind": question.kind,
                "text": question.text,
                "required": question.required,
                "max_choices": question.max_choices,
                "choices": [{"id": choice.pk, "label": choice.label} for choice in question.choices.all()],
            }
            for question in survey.questions.prefetch_related("choices")
        ],
    }


@router.post(
    "/surveys/{survey_id}/responses",
    response={201: SurveyResponseOut, **UNPARSABLE, **DENIED, **NOT_FOUND, **INVALID, **LIMITED},
    auth=session_auth,
    summary="Answer a survey (once per person), with the same checks as its page",
)
def post_survey_response(request: HttpRequest, survey_id: PathEx[int, Id], payload: SurveyResponseIn) -> Status:
    survey = _survey(survey_id)
    questions = {question.pk: question for question in survey.questions.all()}
    unknown = sorted(set(payload.answers) - set(questions))
    if unknown:
        raise ValidationError({"answers": [f"No question {unknown} in this survey."]})
    form = SurveyForm(
        {
            field_name(questions[question_id]): [str(item) for item in value] if isinstance(value, list) else str(value)
            for question_id, value in payload.answers.items()
        },
        survey=survey,
    )
    if not form.is_valid():
        raise _invalid(form, {field_name(question): f"answers.{question.pk}" for question in form.questions})
    try:
        engagement_services.ensure_can_answer(survey=survey, user=request.user)
        _limited(request, "survey")
        response = engagement_services.submit_response(
            survey=survey, author=request.user, values=form.answers(), address_hash=ratelimit.address_hash(request)
        )
    except engagement_services.EngagementError as error:
        raise HttpError(403, str(error)) from error
    return Status(201, {"id": response.pk, "survey_id": survey.pk, "created_at": response.created_at})
