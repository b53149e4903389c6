"""Reads of the consultations for the pages, the results and the export.

A consultation page costs the same few queries whatever the number of
comments: comments and annotations are read once each, with their authors
and support counts, and arranged in threads and sections in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from socialplan.participation.models import Process

from .models import Annotation, AnnotationSupport, AnonymousAnswer, Comment, CommentSupport, Consultation, Section

SORT_NEWEST = "recenti"
SORT_SUPPORTED = "sostenuti"
SORTS = (SORT_NEWEST, SORT_SUPPORTED)
TOP_COMMENTS = 10
SHOWN_ANSWERS = 50
# Threads shown per place (a section, or the whole draft) and page: a consultation of
# thousands of comments shows each place's first threads and pages through the rest.
THREADS_PER_PAGE = 10  # per place: the page renders every place at once (see decision 0017)
GENERAL = "generale"  # the place of the comments on the whole draft, in the page's links


@dataclass
class Segment:
    """A run of a section's text; `annotations` are the anchored annotations covering all of it."""

    text: str
    start: int
    annotations: list[Annotation] = field(default_factory=list)
    # The annotations that begin here: the run carries their anchor, for links from the list below the text.
    begins: list[Annotation] = field(default_factory=list)


@dataclass
class CommentNode:
    comment: Comment
    replies: list[CommentNode] = field(default_factory=list)
    reply_form: Any = None  # the page's reply form, set by the view


@dataclass
class ThreadPage:
    """One page of a place's threads: which page, of how many root comments."""

    place: str  # the section's id, or GENERAL
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // THREADS_PER_PAGE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


@dataclass
class SectionView:
    section: Section
    segments: list[Segment]
    annotations: list[Annotation]
    comments: list[CommentNode]
    threads: ThreadPage | None = None
    # The page's forms for this section, set by the view.
    comment_form: Any = None
    annotate_form: Any = None


@dataclass
class ConsultationPage:
    consultation: Consultation
    sections: list[SectionView]
    general_comments: list[CommentNode]
    general_threads: ThreadPage
    answers: list[AnonymousAnswer]
    answer_count: int
    supported_comments: set[int]
    supported_annotations: set[int]


def consultation_by_pk(pk: int) -> Consultation | None:
    return (
        Consultation.objects.select_related("process__plan", "phase", "plan_version")
        .filter(pk=pk, process__published=True)
        .first()
    )


def highlight(text: str, annotations: Iterable[Annotation]) -> list[Segment]:
    """`text` cut where anchored annotations begin and end, each run with the annotations covering it."""
    spans = [annotation for annotation in annotations if annotation.anchored and not annotation.is_hidden]
    cuts = sorted({0, len(text), *(a.start for a in spans), *(a.end for a in spans)})
    segments = []
    for start, end in pairwise(cuts):
        segments.append(
            Segment(
                text=text[start:end],
                start=start,
                annotations=[a for a in spans if a.start <= start and a.end >= end],
                begins=[a for a in spans if a.start == start],
            )
        )
    return segments


def _comments(consultation: Consultation) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(consultation=consultation)
        .select_related("author__participant_profile")
        .order_by("created_at", "pk")
    )


def _annotations(consultation: Consultation) -> QuerySet[Annotation]:
    return (
        Annotation.objects.filter(section__consultation=consultation)
        .select_related("author__participant_profile")
        .order_by("start", "created_at", "pk")
    )


def _most_supported(node: CommentNode) -> tuple[int, float]:
    comment: Any = node.comment
    return -comment.support_count, -comment.created_at.timestamp()


def _threads(comments: list[Any], sort: str) -> dict[int | None, list[CommentNode]]:
    """Root comments by section id (None: on the whole consultation), each with its replies in order."""
    nodes = {comment.pk: CommentNode(comment) for comment in comments}
    roots: dict[int | None, list[CommentNode]] = {}
    for comment in comments:
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        if parent is not None:
            parent.replies.append(node)
        else:
            roots.setdefault(comment.section_id, []).append(node)
    for nodes_of_section in roots.values():
        if sort == SORT_SUPPORTED:
            nodes_of_section.sort(key=_most_supported)
        else:
            nodes_of_section.sort(key=lambda node: node.comment.created_at, reverse=True)
    return roots


def _page_of(
    consultation: Consultation, section_id: int | None, sort: str, number: int, total: int
) -> tuple[list[Comment], ThreadPage]:
    """One page of a place's threads: its root comments in the page's order."""
    pages = ThreadPage(place=str(section_id) if section_id else GENERAL, number=1, total=total)
    pages.number = min(max(number, 1), pages.pages)
    roots = _comments(consultation).filter(parent=None, section_id=section_id)
    order = ("-support_count", "-created_at", "-pk") if sort == SORT_SUPPORTED else ("-created_at", "-pk")
    offset = (pages.number - 1) * THREADS_PER_PAGE
    return list(roots.order_by(*order)[offset : offset + THREADS_PER_PAGE]), pages


def _replies(roots: list[Comment]) -> list[Comment]:
    """The replies under `roots`, a level at a time for every place at once (threads are at most MAX_DEPTH deep)."""
    found: list[Comment] = []
    level = [comment.pk for comment in roots]
    while level:
        replies = list(
            Comment.objects.filter(parent_id__in=level)
            .select_related("author__participant_profile")
            .order_by("created_at", "pk")
        )
        found.extend(replies)
        level = [reply.pk for reply in replies]
    return found


def consultation_page(
    *, consultation: Consultation, user: Any, sort: str = SORT_NEWEST, pages: dict[str, int] | None = None
) -> ConsultationPage:
    """The page: every section with its annotations, and per place one page of threads (`pages`: place -> number)."""
    pages = pages or {}
    sections = list(consultation.sections.all())
    annotations = list(_annotations(consultation))
    by_section: dict[int, list[Annotation]] = {}
    texts = {section.pk: section for section in sections}
    for annotation in annotations:
        annotation.section = texts[annotation.section_id]
        annotation.anchored = annotation.anchor(annotation.section.body)
        by_section.setdefault(annotation.section_id, []).append(annotation)
    totals = dict(
        Comment.objects.filter(consultation=consultation, parent=None)
        .values_list("section_id")
        .annotate(total=Count("pk"))
        .values_list("section_id", "total")
    )
    comments: list[Comment] = []
    thread_pages: dict[int | None, ThreadPage] = {}
    for section_id in [*(section.pk for section in sections), None]:
        place = str(section_id) if section_id else GENERAL
        if totals.get(section_id):
            found, thread_pages[section_id] = _page_of(
                consultation, section_id, sort, pages.get(place, 1), totals[section_id]
            )
            comments.extend(found)
        else:
            thread_pages[section_id] = ThreadPage(place=place, number=1, total=0)
    comments.extend(_replies(comments))
    threads = _threads(comments, sort)
    supported_comments: set[int] = set()
    supported_annotations: set[int] = set()
    if getattr(user, "is_authenticated", False):
        supported_comments = set(
            CommentSupport.objects.filter(user=user, comment__consultation=consultation).values_list(
                "comment_id", flat=True
            )
        )
        supported_annotations = set(
            AnnotationSupport.objects.filter(user=user, annotation__section__consultation=consultation).values_list(
                "annotation_id", flat=True
            )
        )
    answers = AnonymousAnswer.objects.filter(consultation=consultation).order_by("-created_at", "-pk")
    return ConsultationPage(
        consultation=consultation,
        sections=[
            SectionView(
                section=section,
                segments=highlight(section.body, by_section.get(section.pk, [])),
                annotations=sorted(by_section.get(section.pk, []), key=lambda a: (a.start, a.created_at, a.pk)),
                comments=threads.get(section.pk, []),
                threads=thread_pages[section.pk],
            )
            for section in sections
        ],
        general_comments=threads.get(None, []),
        general_threads=thread_pages[None],
        answers=list(answers.filter(hidden_at__isnull=True)[:SHOWN_ANSWERS]),
        answer_count=answers.filter(hidden_at__isnull=True).count(),
        supported_comments=supported_comments,
        supported_annotations=supported_annotations,
    )


@dataclass
class SectionFigures:
    section: Section
    comments: int
    annotations: int
    supports: int


@dataclass
class Results:
    comments: int
    annotations: int
    supports: int
    participants: int
    answers: int
    sections: list[SectionFigures]
    top_comments: list[Comment]


VISIBLE = Q(hidden_at__isnull=True)


def results(*, consultation: Consultation) -> Results:
    """What the consultation gathered; hidden contributions and their supports are not counted.

    The supports come from the counts kept on each comment and annotation (counters.py), summed per
    section; only the participants, who may have written or supported anything, are read row by row.
    """
    comments = Comment.objects.filter(VISIBLE, consultation=consultation)
    annotations = Annotation.objects.filter(VISIBLE, section__consultation=consultation)
    people = (
        comments.exclude(author=None)
        .order_by()
        .values_list("author_id")
        .union(
            annotations.exclude(author=None).order_by().values_list("author_id"),
            CommentSupport.objects.filter(comment__in=comments).exclude(user=None).order_by().values_list("user_id"),
            AnnotationSupport.objects.filter(annotation__in=annotations)
            .exclude(user=None)
            .order_by()
            .values_list("user_id"),
        )
        .count()
    )
    by_section = {
        section_id: (count, supports or 0)
        for section_id, count, supports in comments.order_by()
        .values_list("section_id")
        .annotate(count=Count("pk"), supports=Sum("support_count"))
    }
    annotations_by_section = {
        section_id: (count, supports or 0)
        for section_id, count, supports in annotations.order_by()
        .values_list("section_id")
        .annotate(count=Count("pk"), supports=Sum("support_count"))
    }
    top = (
        comments.select_related("author__participant_profile", "section", "consultation")
        .filter(support_count__gt=0)
        .order_by("-support_count", "created_at", "pk")[:TOP_COMMENTS]
    )
    return Results(
        comments=sum(count for count, _supports in by_section.values()),
        annotations=sum(count for count, _supports in annotations_by_section.values()),
        supports=sum(supports for _count, supports in [*by_section.values(), *annotations_by_section.values()]),
        participants=people,
        answers=AnonymousAnswer.objects.filter(VISIBLE, consultation=consultation).count(),
        sections=[
            SectionFigures(
                section=section,
                comments=by_section.get(section.pk, (0, 0))[0],
                annotations=annotations_by_section.get(section.pk, (0, 0))[0],
                supports=by_section.get(section.pk, (0, 0))[1] + annotations_by_section.get(section.pk, (0, 0))[1],
            )
            for section in consultation.sections.all()
        ],
        top_comments=list(top),
    )


EXPORT_HEADER = (
    "kind",
    "id",
    "section",
    "element_key",
    "reply_to",
    "author",
    "created_at",
    "passage",
    "text",
    "supports",
)


def export_rows(*, consultation: Consultation) -> Iterator[tuple[object, ...]]:
    """Every visible contribution of the consultation, one row each, for the CSV of the results."""
    yield EXPORT_HEADER
    for comment in _comments(consultation).filter(VISIBLE).select_related("section"):
        section = comment.section
        yield (
            "comment",
            comment.pk,
            section.heading if section else "",
            section.element_key if section else "",
            comment.parent_id or "",
            comment.author_name,
            comment.created_at.isoformat(),
            "",
            comment.body,
            comment.support_count,
        )
    for annotation in _annotations(consultation).filter(VISIBLE).select_related("section"):
        yield (
            "annotation",
            annotation.pk,
            annotation.section.heading,
            annotation.section.element_key,
            "",
            annotation.author_name,
            annotation.created_at.isoformat(),
            annotation.quote,
            annotation.body,
            annotation.support_count,
        )
    for answer in AnonymousAnswer.objects.filter(VISIBLE, consultation=consultation).order_by("created_at", "pk"):
        yield ("anonymous-answer", answer.pk, "", "", "", "", answer.created_at.isoformat(), "", answer.body, "")


def consultations_of(*, process: Process) -> QuerySet[Consultation]:
    """The process's consultations, newest first; their counts of visible contributions are kept on the rows."""
    return process.consultations.order_by("-opens_at", "pk")
