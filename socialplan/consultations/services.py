"""Writes of the consultations: opening one on the plan's text, and what participants add to it.

Every function checks what the database alone cannot (the consultation is
open, the text is not empty, the passage is in the section) and raises
`ValidationError` with a message for the participant; the pages and the API
show it as it is. Rate limits need the request and are checked by the
callers (participation.ratelimit) before calling these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from socialplan.participation import notifications
from socialplan.participation.models import Phase, Process
from socialplan.plan import selectors as plan_selectors
from socialplan.plan.models import ElementKind, PlanVersion
from socialplan.plan.versions import build_snapshot

from . import counters
from .models import (
    ANSWER_MAX,
    COMMENT_MAX,
    MAX_DEPTH,
    QUOTE_MAX,
    Annotation,
    AnnotationSupport,
    AnonymousAnswer,
    Comment,
    CommentSupport,
    Consultation,
    Section,
    normalize_breaks,
    text_hash,
)

# The plan elements a consultation may put under discussion, and the field that holds their text.
CONSULTABLE_TEXT: dict[str, tuple[str, ...]] = {
    ElementKind.THEME: ("summary_it", "vision_it"),
    ElementKind.OBJECTIVE: ("description_it",),
    ElementKind.ACTION: ("description_it",),
}


@dataclass(frozen=True)
class DraftElement:
    key: str
    heading: str
    body: str


def draft_elements(*, process: Process) -> list[DraftElement]:
    """The plan's themes, objectives and actions as they stand now, in the plan's order, with their Italian text."""
    plan = process.plan
    snapshot = build_snapshot(plan=plan, themes=plan_selectors.themes_for_snapshot(plan=plan))
    found = []
    for element in snapshot["elements"]:
        fields = CONSULTABLE_TEXT.get(element["kind"])
        if fields is None:
            continue
        body = "\n\n".join(text for name in fields if (text := (element["fields"].get(name) or "").strip()))
        heading = element["fields"].get("title_it") or element["key"]
        found.append(DraftElement(key=element["key"], heading=heading, body=body))
    return found


def _unique_slug(process: Process, title: str) -> str:
    base = slugify(title)[:70] or "consultazione"
    slug, number = base, 2
    while Consultation.objects.filter(process=process, slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def open_consultation(
    process: Process,
    *,
    title: str,
    element_keys: Sequence[str],
    closes_at: datetime,
    opens_at: datetime | None = None,
    intro: str = "",
    title_en: str = "",
    intro_en: str = "",
    slug: str = "",
    phase: Phase | None = None,
    open_mode: bool = False,
    plan_version: PlanVersion | None = None,
) -> Consultation:
    """A consultation on the current text of the given plan elements, one section each, in the plan's order.

    The sections keep the text as it is now: later edits of the plan do not
    change what participants are commenting on.
    """
    opens_at = opens_at or timezone.now()
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the consultation a title.")]
    if closes_at <= opens_at:
        errors["closes_at"] = [_("The consultation must close after it opens.")]
    if phase is not None and phase.process_id != process.pk:
        errors["phase"] = [_("The phase belongs to another process.")]
    wanted = list(dict.fromkeys(element_keys))
    if not wanted:
        errors["element_keys"] = [_("Choose at least one element of the plan.")]
    elements = {element.key: element for element in draft_elements(process=process)}
    unknown = [key for key in wanted if key not in elements]
    if unknown:
        errors["element_keys"] = [
            _("These keys are not themes, objectives or actions of the plan: %(keys)s.") % {"keys": ", ".join(unknown)}
        ]
    if slug and Consultation.objects.filter(process=process, slug=slug).exists():
        errors["slug"] = [_("Another consultation of this process has this identifier.")]
    if errors:
        raise ValidationError(errors)
    if plan_version is None:
        plan_version = PlanVersion.objects.filter(plan=process.plan).order_by("-number").first()
    consultation = Consultation.objects.create(
        process=process,
        phase=phase,
        slug=slug or _unique_slug(process, title),
        title=title.strip(),
        title_en=title_en.strip(),
        intro=intro.strip(),
        intro_en=intro_en.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        plan_version=plan_version,
        open_mode=open_mode,
    )
    add_sections(consultation=consultation, element_keys=wanted, elements=elements)
    return consultation


def add_sections(
    *, consultation: Consultation, element_keys: Sequence[str], elements: dict[str, DraftElement] | None = None
) -> list[Section]:
    """Sections with the current text of the given plan elements, after the existing ones, in the plan's order."""
    if elements is None:
        elements = {element.key: element for element in draft_elements(process=consultation.process)}
    unknown = [key for key in element_keys if key not in elements]
    if unknown:
        raise ValidationError(
            {
                "element_keys": [
                    _("These keys are not themes, objectives or actions of the plan: %(keys)s.")
                    % {"keys": ", ".join(unknown)}
                ]
            }
        )
    chosen = set(element_keys)
    order = consultation.sections.count()
    created = []
    for element in elements.values():  # the plan's order, whatever the order of the keys given
        if element.key in chosen:
            created.append(
                Section.objects.create(
                    consultation=consultation,
                    order=order,
                    element_key=element.key,
                    heading=element.heading,
                    body=element.body,
                )
            )
            order += 1
    return created


def check_open(consultation: Consultation, now: datetime | None = None) -> None:
    now = now or timezone.now()
    status = consultation.status(now)
    if status == Consultation.Status.CLOSED:
        raise ValidationError(
            _("The consultation closed on %(date)s: it no longer accepts contributions.")
            % {"date": timezone.localtime(consultation.closes_at).strftime("%d/%m/%Y %H:%M")}
        )
    if status == Consultation.Status.UPCOMING:
        raise ValidationError(
            _("The consultation opens on %(date)s.")
            % {"date": timezone.localtime(consultation.opens_at).strftime("%d/%m/%Y %H:%M")}
        )


def _clean_text(value: str, *, limit: int, field: str, empty: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [empty]})
    if len(text) > limit:
        raise ValidationError(
            {
                field: [
                    _("Keep it within %(limit)s characters (this one has %(length)s).")
                    % {"limit": limit, "length": len(text)}
                ]
            }
        )
    return text


def _element_keys(section: Section | None) -> list[str]:
    return [section.element_key] if section is not None and section.element_key else []


@transaction.atomic
def post_comment(
    *,
    consultation: Consultation,
    user: Any,
    body: str,
    section: Section | None = None,
    parent: Comment | None = None,
    address_hash: str = "",
) -> Comment:
    """A comment on the consultation, on one of its sections, or a reply.

    A reply to a comment at the deepest level joins the conversation of that
    comment's parent, so threads never go deeper than MAX_DEPTH.
    """
    check_open(consultation)
    text = _clean_text(body, limit=COMMENT_MAX, field="body", empty=_("Write your comment."))
    if section is not None and section.consultation_id != consultation.pk:
        raise ValidationError(_("This section belongs to another consultation."))
    depth = 1
    if parent is not None:
        if parent.consultation_id != consultation.pk:
            raise ValidationError(_("You can only reply to a comment of this consultation."))
        if parent.depth >= MAX_DEPTH and parent.parent is not None:
            parent = parent.parent
        section = parent.section
        depth = parent.depth + 1
    with transaction.atomic():
        comment = Comment.objects.create(
            consultation=consultation,
            section=section,
            parent=parent,
            depth=depth,
            body=text,
            author=user,
            address_hash=address_hash,
            element_keys=_element_keys(section),
        )
        counters.comment_added(comment)
    notifications.follow(user, comment)
    if parent is not None:
        notifications.notify_followers(
            parent,
            subject_it=f"Nuova risposta nella consultazione «{consultation.title}»",
            subject_en=f"New reply in the consultation “{consultation.title_en or consultation.title}”",
            body_it=text,
            body_en=text,
            url=comment.get_absolute_url(),
            exclude_user=user,
        )
    return comment


def locate_passage(text: str, quote: str, start: int | None = None, end: int | None = None) -> tuple[int, int] | None:
    """Where `quote` is in `text`: at the offsets given when they hold it, else its first occurrence."""
    if start is not None and end is not None and 0 <= start < end and text[start:end] == quote:
        return start, end
    position = text.find(quote)
    return (position, position + len(quote)) if position >= 0 else None


@transaction.atomic
def annotate(
    *,
    section: Section,
    user: Any,
    quote: str,
    body: str,
    start: int | None = None,
    end: int | None = None,
    address_hash: str = "",
) -> Annotation:
    """An annotation on a passage of `section`; the passage must be in the section's text as it is now."""
    check_open(section.consultation)
    passage = normalize_breaks(quote or "")
    if not passage.strip():
        raise ValidationError({"quote": [_("Copy the passage you are commenting on from the text.")]})
    if len(passage) > QUOTE_MAX:
        raise ValidationError(
            {"quote": [_("Choose a shorter passage: at most %(limit)s characters.") % {"limit": QUOTE_MAX}]}
        )
    span = locate_passage(section.body, passage, start, end) or locate_passage(section.body, passage.strip())
    if span is None:
        raise ValidationError(
            {"quote": [_("This passage is not in the text of the section: copy it exactly as it is written.")]}
        )
    text = _clean_text(body, limit=COMMENT_MAX, field="body", empty=_("Write your comment on the passage."))
    with transaction.atomic():
        annotation = Annotation.objects.create(
            section=section,
            quote=section.body[span[0] : span[1]],
            start=span[0],
            end=span[1],
            body_hash_at=text_hash(section.body),
            body=text,
            author=user,
            address_hash=address_hash,
            element_keys=_element_keys(section),
        )
        counters.annotation_added(annotation, section.consultation)
    notifications.follow(user, annotation)
    return annotation


def _support(
    model: type[CommentSupport | AnnotationSupport],
    consultation: Consultation,
    target: Comment | Annotation,
    **row: Any,
) -> bool:
    check_open(consultation)
    try:
        with transaction.atomic():
            _support_row, created = model.objects.get_or_create(**row)
            if created:
                counters.support_added(target)
    except IntegrityError:  # the same support stored at the same moment by another request
        return False
    return created


def support_comment(*, comment: Comment, user: Any) -> bool:
    """Support a comment; a second support by the same participant changes nothing. True when counted."""
    if comment.is_hidden:
        raise ValidationError(_("This comment was hidden by the moderators."))
    return _support(CommentSupport, comment.consultation, comment, comment=comment, user=user)


def support_annotation(*, annotation: Annotation, user: Any) -> bool:
    if annotation.is_hidden:
        raise ValidationError(_("This annotation was hidden by the moderators."))
    return _support(AnnotationSupport, annotation.section.consultation, annotation, annotation=annotation, user=user)


def post_anonymous_answer(*, consultation: Consultation, body: str, address_hash: str = "") -> AnonymousAnswer:
    """A short answer without an account, accepted only by consultations in open mode."""
    if not consultation.open_mode:
        raise ValidationError(_("This consultation accepts contributions from registered participants only."))
    check_open(consultation)
    text = _clean_text(body, limit=ANSWER_MAX, field="body", empty=_("Write your answer."))
    return AnonymousAnswer.objects.create(consultation=consultation, body=text, address_hash=address_hash)
