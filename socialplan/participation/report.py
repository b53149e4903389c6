"""The consultation report of a process: who took part, on what, what they raised and what they were answered.

One read (`consultation_report`) feeds the web page and the PDF, so they
say the same. Every registered kind of contribution counts
(`contributions.kinds()`); hidden contributions do not. The numbers:

- by phase: the contributions created within each phase's dates (phases may
  overlap, so a contribution can count in two);
- by theme: the first segment of each plan element key a contribution
  concerns, or its own theme when its kind has one; a contribution that
  concerns two themes counts in both, one with none counts as "no theme";
- by organization type and age band: what participants told in their
  profile, "not stated" otherwise; participants are counted once each;
- distinct participants: the people behind the contributions.

The main themes raised are the participants' texts grouped by similarity:
words stemmed as the matcher does (matching/text.py), TF-IDF weighted, then
k-means on the normalized vectors (cosine similarity), with the number of
groups that separates them best (silhouette) and a fixed seed, so the same
texts always give the same groups. Each group is named by its heaviest words.

The PDF (WeasyPrint) reuses the monitoring report's stylesheet and fonts.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from socialplan.matching import text as matching_text
from socialplan.plan.models import Theme

from . import contributions, traceability
from .models import ParticipantProfile, Phase, Process

MAX_GROUPS = 12
SAMPLE_FOR_CHOICE = 1000
EXAMPLE_LENGTH = 280
GROUP_CACHE_SECONDS = 24 * 3600
NOT_STATED = ""


@dataclass(frozen=True)
class Row:
    """One line of a table of numbers: a label, contributions and participants."""

    label: str
    contributions: int
    participants: int


@dataclass(frozen=True)
class ThemeGroup:
    """Texts that speak of the same thing: the words that name them, how many, two examples.

    `members` are the positions of its texts in the list that was grouped.
    """

    terms: list[str]
    size: int
    examples: list[str]
    members: list[int]


@dataclass(frozen=True)
class Response:
    """A proposal and what it was answered."""

    title: str
    url: str
    status: str
    status_label: str
    reason: str
    supports: int
    outcomes: list[traceability.Outcome]


@dataclass
class ConsultationReport:
    process: Process
    generated_on: date
    total_contributions: int = 0
    participants: int = 0
    by_kind: list[Row] = field(default_factory=list)
    by_phase: list[Row] = field(default_factory=list)
    by_theme: list[Row] = field(default_factory=list)
    by_organization_type: list[Row] = field(default_factory=list)
    by_age_band: list[Row] = field(default_factory=list)
    groups: list[ThemeGroup] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)


@dataclass(frozen=True)
class _Item:
    """One contribution as the report needs it, whatever its kind."""

    kind: str
    created_on: date
    person: int | None
    themes: frozenset[str]
    text: str


def _theme_field(model: Any) -> bool:
    try:
        related = model._meta.get_field("theme").related_model
    except FieldDoesNotExist:  # the kind has no theme of its own
        return False
    return related is Theme


def _free_text(model: Any, name: str) -> bool:
    """Whether the field holds what a participant wrote (a vote's value, a choice, is not grouped as text)."""
    field = model._meta.get_field(name)
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def _items(process: Process) -> list[_Item]:
    """Every visible contribution of the process, one query per kind."""
    items: list[_Item] = []
    for kind in contributions.kinds():
        model = kind.model_class
        has_theme = _theme_field(model)
        written = _free_text(model, kind.text_field)
        fields = ["created_at", "element_keys", kind.person_field, kind.text_field]
        if has_theme:
            fields.append("theme__code")
        rows = kind.visible().filter(**{kind.process_lookup: process}).values_list(*fields)
        for row in rows:
            created_at, keys, person, text = row[:4]
            themes = {str(key).split("/", 1)[0] for key in keys or [] if key}
            if has_theme and row[4]:
                themes.add(row[4])
            items.append(
                _Item(
                    kind=kind.model,
                    created_on=timezone.localdate(created_at),
                    person=person if kind.by_participants else None,
                    themes=frozenset(themes),
                    text=str(text or "").strip() if written else "",
                )
            )
    return items


def _row(label: str, items: list[_Item]) -> Row:
    return Row(
        label=label,
        contributions=len(items),
        participants=len({item.person for item in items if item.person is not None}),
    )


def _by_phase(phases: list[Phase], items: list[_Item]) -> list[Row]:
    return [
        _row(phase.title, [item for item in items if phase.start_date <= item.created_on <= phase.end_date])
        for phase in phases
    ]


def _by_theme(process: Process, items: list[_Item]) -> list[Row]:
    themes = list(process.plan.themes.order_by("order"))
    rows = [_row(theme.title, [item for item in items if theme.code in item.themes]) for theme in themes]
    known = {theme.code for theme in themes}
    rows.append(_row(_("no theme"), [item for item in items if not item.themes & known]))
    return [row for row in rows if row.contributions]


def _by_profile(items: list[_Item], attribute: str, choices: list[tuple[str, Any]]) -> list[Row]:
    """Contributions and participants by what the participants told in their profile."""
    people = {item.person for item in items if item.person is not None}
    told = dict(
        ParticipantProfile.objects.filter(user_id__in=people)
        .exclude(**{attribute: ""})
        .values_list("user_id", attribute)
    )
    buckets: dict[str, list[_Item]] = {}
    for item in items:
        buckets.setdefault(told.get(item.person, NOT_STATED), []).append(item)
    rows = [_row(str(label), buckets.get(value, [])) for value, label in choices]
    rows.append(_row(_("not stated"), buckets.get(NOT_STATED, [])))
    return [row for row in rows if row.contributions]


def group_texts(texts: list[str], *, max_groups: int = MAX_GROUPS) -> list[ThemeGroup]:
    """Group texts by similarity, largest group first, each named by its heaviest words; empty texts are left out."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    positions = [position for position, text in enumerate(texts) if text.strip()]
    texts = [texts[position] for position in positions]
    if not texts:
        return []
    vectorizer = TfidfVectorizer(tokenizer=matching_text.stems, lowercase=False, token_pattern=None, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no word left once function words are dropped
        return []
    labels = [0] * len(texts)
    count = _best_group_count(matrix, max_groups=max_groups)
    if count > 1:
        labels = [int(label) for label in KMeans(n_clusters=count, n_init=4, random_state=0).fit_predict(matrix)]
    return _describe_groups(texts, positions, matrix, labels, vectorizer.get_feature_names_out())


def _best_group_count(matrix: Any, *, max_groups: int) -> int:
    """The number of groups that separates the texts best (silhouette), tried on a sample of them.

    The sample keeps the choice quick on a large consultation; the groups
    themselves are then made from every text.
    """
    import numpy
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    rows = matrix.shape[0]
    if rows > SAMPLE_FOR_CHOICE:
        chosen = numpy.sort(numpy.random.default_rng(0).choice(rows, SAMPLE_FOR_CHOICE, replace=False))
        matrix = matrix[chosen]
        rows = SAMPLE_FOR_CHOICE
    best_count, best = 1, -1.0
    for count in range(2, min(max_groups, _distinct_rows(matrix), rows - 1) + 1):
        found = KMeans(n_clusters=count, n_init=2, random_state=0).fit_predict(matrix)
        if len(set(found)) < 2:
            continue
        score = silhouette_score(matrix, found, metric="cosine")
        if score > best:
            best_count, best = count, score
    return best_count


def _distinct_rows(matrix: Any) -> int:
    """How many different vectors: k-means cannot make more groups than that."""
    rows = matrix.tocsr()
    rows.sort_indices()
    return len(
        {
            (rows.indices[start:end].tobytes(), rows.data[start:end].round(9).tobytes())
            for start, end in zip(rows.indptr[:-1], rows.indptr[1:], strict=True)
        }
    )


def _describe_groups(
    texts: list[str], positions: list[int], matrix: Any, labels: list[int], stems: Any
) -> list[ThemeGroup]:
    import numpy

    surface: dict[str, Counter[str]] = {}
    for text in texts:
        found = matching_text.words(text)
        for stem, word in zip(matching_text.stem_words(found), found, strict=True):
            surface.setdefault(stem, Counter())[word] += 1
    groups = []
    label_array = numpy.array(labels)
    for label in sorted(set(labels)):
        members = numpy.flatnonzero(label_array == label)
        centroid = numpy.asarray(matrix[members].mean(axis=0)).ravel()
        top = [stems[index] for index in centroid.argsort()[::-1][:4] if centroid[index] > 0]
        closeness = numpy.asarray(matrix[members] @ centroid).ravel()
        nearest = [members[index] for index in closeness.argsort()[::-1][:2]]
        groups.append(
            ThemeGroup(
                terms=[surface[stem].most_common(1)[0][0] if stem in surface else stem for stem in top],
                size=len(members),
                examples=[_excerpt(texts[index]) for index in nearest],
                members=[positions[index] for index in members],
            )
        )
    groups.sort(key=lambda group: (-group.size, group.terms))
    return groups


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXAMPLE_LENGTH else text[: EXAMPLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _groups(process: Process, items: list[_Item]) -> list[ThemeGroup]:
    """The grouping is the costly part: kept until a contribution is added, hidden or removed."""
    fingerprint = hashlib.sha256()
    for kind in contributions.kinds():
        stats = (
            kind.visible()
            .filter(**{kind.process_lookup: process})
            .order_by()
            .aggregate(count=Count("pk"), last=Max("pk"))
        )
        fingerprint.update(f"{kind.model}:{stats['count']}:{stats['last']};".encode())
    key = f"consultation-groups:{process.pk}:{fingerprint.hexdigest()}"
    groups = cache.get(key)
    if groups is None:
        groups = group_texts([item.text for item in items])
        cache.set(key, groups, timeout=GROUP_CACHE_SECONDS)
    return groups


def _responses(process: Process) -> list[Response]:
    """Each visible proposal and its answer (the proposals app's kind, when installed)."""
    kind = next((kind for kind in contributions.kinds() if kind.model == "proposals.Proposal"), None)
    if kind is None:
        return []
    model = kind.model_class
    proposals = list(
        model._default_manager.filter(process=process, hidden_at__isnull=True).order_by(
            "status", "-support_count", "pk"
        )
    )
    outcomes = traceability.outcomes_by_id(model, [proposal.pk for proposal in proposals])
    return [
        Response(
            title=proposal.title,
            url=proposal.get_absolute_url(),
            status=proposal.status,
            status_label=str(proposal.get_status_display()),
            reason=proposal.status_reason,
            supports=proposal.support_count,
            outcomes=outcomes.get(proposal.pk, []),
        )
        for proposal in proposals
    ]


def consultation_report(*, process: Process, today: date | None = None) -> ConsultationReport:
    items = _items(process)
    by_kind = []
    for kind in contributions.kinds():
        of_kind = [item for item in items if item.kind == kind.model]
        if of_kind:
            by_kind.append(_row(str(kind.label_plural), of_kind))
    return ConsultationReport(
        process=process,
        generated_on=today or timezone.localdate(),
        total_contributions=len(items),
        participants=len({item.person for item in items if item.person is not None}),
        by_kind=by_kind,
        by_phase=_by_phase(list(process.phases.order_by("order", "start_date", "pk")), items),
        by_theme=_by_theme(process, items),
        by_organization_type=_by_profile(items, "organization_type", list(ParticipantProfile.OrganizationType.choices)),
        by_age_band=_by_profile(items, "age_band", list(ParticipantProfile.AgeBand.choices)),
        groups=_groups(process, items),
        responses=_responses(process),
    )


def report_html(report: ConsultationReport, *, base_url: str) -> str:
    """The report as a standalone HTML document for the PDF, in the active language."""
    from socialplan.monitoring.report import _stylesheet

    return render_to_string(
        "participation/report_pdf.html",
        {"report": report, "stylesheet": _stylesheet(), "base_url": base_url, "pdf": True},
    )


def build_pdf(*, process: Process, language: str, today: date | None = None) -> bytes:
    """The report of `process` as a PDF in `language` ("it" or "en")."""
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF needs

    base_url = settings.PORTAL_BASE_URL
    with translation.override(language):
        report = consultation_report(process=process, today=today)
        html = report_html(report, base_url=base_url)
    return HTML(string=html, base_url=base_url).write_pdf()  # type: ignore[no-any-return]
