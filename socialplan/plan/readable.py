"""A diff between two versions told for people: grouped by theme, with field names and values in words.

versions.diff speaks in keys and raw values ('status': 'planned' ->
'in_progress'); the public pages and the back office show "Status: Planned
-> In progress", dates as "12 marzo 2025", and changed texts word by word,
with the removed and added words marked (<del>, <ins>) and named for screen
readers. Labels follow the active language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import cast

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from . import versions
from .models import ChangelogEntry, ElementKind

TEXT_FIELDS = (models.CharField, models.TextField)
LANGUAGE_NAMES = {
    "it": pgettext_lazy("language, in a field label", "Italian"),
    "en": pgettext_lazy("language, in a field label", "English"),
}
WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    """A run of words: 'equal', 'del' (only before) or 'ins' (only after)."""

    kind: str
    text: str


@dataclass(frozen=True)
class ReadableField:
    label: str
    before: str
    after: str
    before_segments: list[Segment] = field(default_factory=list)
    after_segments: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class ReadableChange:
    identifier: str
    change: str
    change_label: str
    kind_label: str
    title: str
    fields: list[ReadableField]
    moved_from: str = ""
    moved_to: str = ""


@dataclass
class ThemeGroup:
    """The changes under one theme (or to the plan as a whole, `is_plan` True)."""

    title: str
    is_plan: bool
    changes: list[ReadableChange] = field(default_factory=list)


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _model_field(kind: str, name: str) -> models.Field:
    return cast(models.Field, versions.MODELS[kind]._meta.get_field(name))


def field_label(kind: str, name: str) -> str:
    """'title_en' of an action -> 'Title (English)'; 'status' -> 'Status'."""
    stem, code = versions.base_field(kind, name)
    try:
        verbose = str(_model_field(kind, stem).verbose_name)
    except FieldDoesNotExist:
        verbose = stem.replace("_", " ")
    if code is None:
        return capfirst(verbose)
    return f"{capfirst(verbose)} ({LANGUAGE_NAMES.get(code, code)})"


def field_value(kind: str, name: str, value: str | None) -> str:
    """A snapshot value in words: choice labels, localised dates and numbers; '(empty)' for nothing."""
    if value is None or value == "":
        return _("(empty)")
    stem, _code = versions.base_field(kind, name)
    try:
        model_field = _model_field(kind, stem)
    except FieldDoesNotExist:
        return value
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateField):
        return _long_date(date.fromisoformat(value))
    if isinstance(model_field, models.DecimalField):
        return _number(value, model_field.decimal_places)
    return value


def _long_date(value: date) -> str:
    text = date_format(value, "DATE_FORMAT")
    # Italian writes month names in lower case ("12 marzo 2025").
    return text.lower() if _language() == "it" else text


def _number(value: str, places: int) -> str:
    try:
        return number_format(Decimal(value), decimal_pos=places, use_l10n=True, force_grouping=True)
    except InvalidOperation:
        return value


def word_diff(before: str, after: str) -> tuple[list[Segment], list[Segment]]:
    """The two texts cut into runs of words, those only in `before` marked 'del', those only in `after` 'ins'."""
    old_words, new_words = WORDS.findall(before), WORDS.findall(after)
    old_segments: list[Segment] = []
    new_segments: list[Segment] = []
    matcher = SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        old_text, new_text = "".join(old_words[old_start:old_end]), "".join(new_words[new_start:new_end])
        if tag == "equal":
            old_segments.append(Segment("equal", old_text))
            new_segments.append(Segment("equal", new_text))
            continue
        old_segments.extend(_marked("del", old_text))
        new_segments.extend(_marked("ins", new_text))
    return _joined(old_segments), _joined(new_segments)


def _marked(kind: str, text: str) -> list[Segment]:
    """The changed words marked, the spaces around them left unmarked."""
    words = text.strip()
    if not words:
        return [Segment("equal", text)] if text else []
    start = text.index(words)
    edges = (text[:start], text[start + len(words) :])
    return [
        segment
        for segment in (Segment("equal", edges[0]), Segment(kind, words), Segment("equal", edges[1]))
        if segment.text
    ]


def _joined(segments: list[Segment]) -> list[Segment]:
    """Neighbouring runs of the same kind as one: fewer, longer marks read better."""
    joined: list[Segment] = []
    for segment in segments:
        if joined and joined[-1].kind == segment.kind:
            joined[-1] = Segment(segment.kind, joined[-1].text + segment.text)
        else:
            joined.append(segment)
    return joined


def readable_field(kind: str, change: versions.FieldChange) -> ReadableField:
    before = field_value(kind, change.field, change.old)
    after = field_value(kind, change.field, change.new)
    stem, _code = versions.base_field(kind, change.field)
    model_field = _model_field(kind, stem)
    is_text = isinstance(model_field, TEXT_FIELDS) and not model_field.choices and stem != "url"
    if is_text and change.old and change.new:
        before_segments, after_segments = word_diff(change.old, change.new)
        return ReadableField(field_label(kind, change.field), before, after, before_segments, after_segments)
    return ReadableField(field_label(kind, change.field), before, after)


def _kind_label(kind: str) -> str:
    return str(ElementKind(kind).label)


def _change_label(change: str) -> str:
    return str(ChangelogEntry.Change(change).label)


def readable_change(
    change: versions.ElementChange, *, old: dict[versions.Identity, dict], new: dict[versions.Identity, dict]
) -> ReadableChange:
    language = _language()
    moved_from = moved_to = ""
    if change.change == versions.MOVED and change.old is not None and change.new is not None:
        parent_kind = versions.PARENT_KIND[change.kind]
        if parent_kind is not None:
            moved_from = _title_at(old, (parent_kind, change.old["parent"]), language)
            moved_to = _title_at(new, (parent_kind, change.new["parent"]), language)
    return ReadableChange(
        identifier=change.identifier,
        change=change.change,
        change_label=_change_label(change.change),
        kind_label=_kind_label(change.kind),
        title=versions.title_of(change.element, language),
        fields=[readable_field(change.kind, field_change) for field_change in change.fields],
        moved_from=moved_from,
        moved_to=moved_to,
    )


def _title_at(elements: dict[versions.Identity, dict], key: versions.Identity, language: str) -> str:
    element = elements.get(key)
    return versions.title_of(element, language) if element else key[1]


def readable_diff(
    old: versions.Snapshot, new: versions.Snapshot, changes: list[versions.ElementChange] | None = None
) -> list[ThemeGroup]:
    """The differences from `old` to `new` (`changes`, when already computed), grouped by theme in the
    plan's order; the plan's own first."""
    old_elements, new_elements = versions.elements_by_identity(old), versions.elements_by_identity(new)
    language = _language()
    groups: dict[str | None, ThemeGroup] = {}
    for change in versions.diff(old, new) if changes is None else changes:
        theme_key = versions.theme_key_of(change.element)
        if theme_key not in groups:
            groups[theme_key] = _group(theme_key, old_elements, new_elements, language)
        groups[theme_key].changes.append(readable_change(change, old=old_elements, new=new_elements))
    return sorted(groups.values(), key=lambda group: not group.is_plan)


def _group(
    theme_key: str | None,
    old: dict[versions.Identity, dict],
    new: dict[versions.Identity, dict],
    language: str,
) -> ThemeGroup:
    if theme_key is None:
        return ThemeGroup(title=_("The plan as a whole"), is_plan=True)
    identity = (str(ElementKind.THEME), theme_key)
    return ThemeGroup(title=_title_at(new if identity in new else old, identity, language), is_plan=False)


def count_changes(groups: list[ThemeGroup]) -> int:
    return sum(len(group.changes) for group in groups)
