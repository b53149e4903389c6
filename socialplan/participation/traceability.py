"""From a contribution to the plan change it led to, and back.

The link itself is a `plan.ChangelogSource` row pointing at the contribution
by generic link: the plan office records it once, on the changelog entry of
the version that took the contribution in. Both directions read that row:
a contribution's page shows its outcome ("accepted in version 2: action 'X'
added"), a plan element's page lists the contributions behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from socialplan.plan import services as plan_services
from socialplan.plan.models import ChangelogEntry, ChangelogSource, ElementKind

from . import contributions


@dataclass(frozen=True)
class Outcome:
    """One readable line on what a contribution led to, with the version page it points at."""

    text: str
    url: str
    version_number: int


def link_contribution(*, entry: ChangelogEntry, contribution: models.Model, by_user: Any) -> ChangelogSource:
    """Record that `contribution` motivated `entry`; linking twice keeps one link.

    `by_user` is the plan office member making the link; the plan's history
    records the new source row (plan.services.add_changelog_source).
    """
    content_type = ContentType.objects.get_for_model(type(contribution))
    with transaction.atomic():
        # One link at a time per entry: two offices clicking at once still leave a single row.
        ChangelogEntry.objects.select_for_update().filter(pk=entry.pk).first()
        existing = ChangelogSource.objects.filter(
            entry=entry, content_type=content_type, object_id=contribution.pk
        ).first()
        if existing is not None:
            return existing
        return plan_services.add_changelog_source(entry=entry, contribution=contribution)


def unlink_contribution(*, entry: ChangelogEntry, contribution: models.Model, by_user: Any) -> int:
    """Remove the link between `contribution` and `entry`; returns how many links were removed (0 or 1)."""
    content_type = ContentType.objects.get_for_model(type(contribution))
    deleted = 0
    # Deleted one by one so that post_delete signals (cache, history) fire.
    for source in ChangelogSource.objects.filter(entry=entry, content_type=content_type, object_id=contribution.pk):
        source.delete()
        deleted += 1
    return deleted


unlink = unlink_contribution


def element_label(entry: ChangelogEntry) -> str:
    """`action 'Title'` in the interface's language, lower case, to sit inside a sentence."""
    kind = dict(ElementKind.choices).get(entry.element_kind, entry.element_kind)
    return _("%(kind)s “%(title)s”") % {"kind": str(kind).lower(), "title": entry.title}


def outcome_line(entry: ChangelogEntry) -> Outcome:
    change = dict(ChangelogEntry.Change.choices).get(entry.change, entry.change)
    text = pgettext("outcome of a contribution", "Accepted in version %(number)s: %(element)s %(change)s") % {
        "number": entry.version.number,
        "element": element_label(entry),
        "change": str(change).lower(),
    }
    return Outcome(
        text=text,
        url=reverse("portal:version", kwargs={"number": entry.version.number}),
        version_number=entry.version.number,
    )


def outcomes_of(contribution: models.Model) -> list[Outcome]:
    """What the contribution led to, oldest version first; empty when it led to no recorded change."""
    if contribution is None or getattr(contribution, "pk", None) is None:
        return []
    return outcomes_by_id(type(contribution), [contribution.pk]).get(contribution.pk, [])


def outcomes_of_kind(model: type[models.Model]) -> dict[int, list[Outcome]]:
    """The outcomes of every contribution of one kind that has any, in one query, by contribution id."""
    return outcomes_by_id(model, None)


def outcomes_by_id(model: type[models.Model], ids: Iterable[int] | None) -> dict[int, list[Outcome]]:
    """The outcomes of many contributions of one kind in one query, by contribution id (None: all)."""
    content_type = ContentType.objects.get_for_model(model)
    sources = ChangelogSource.objects.filter(content_type=content_type)
    if ids is not None:
        sources = sources.filter(object_id__in=list(ids))
    sources = sources.select_related("entry__version").order_by(
        "entry__version__number", "entry__position", "entry__pk"
    )
    found: dict[int, list[Outcome]] = {}
    for source in sources:
        if source.object_id is not None:
            found.setdefault(source.object_id, []).append(outcome_line(source.entry))
    return found


def _under(field: str, key: str) -> Q:
    """The element itself or any element below it in the plan's tree of keys."""
    return Q(**{field: key}) | Q(**{f"{field}__startswith": f"{key}/"})


def contributions_behind(element_key: str, *, limit: int | None = None) -> list[Any]:
    """The contributions (any registered kind) behind a plan element and its children, newest first.

    Two ways a contribution is behind an element: the plan office linked it to
    a changelog entry of the element (or of one below it), or the participant
    tagged it with the element's key (or one below it). Hidden contributions are
    left out. The query count is one for the links plus one for each kind
    (its rows with their authors' profiles): it does not grow with the data.
    """
    linked: dict[int, set[int]] = {}
    for content_type_id, object_id in ChangelogSource.objects.filter(
        _under("entry__element_key", element_key), content_type__isnull=False
    ).values_list("content_type_id", "object_id"):
        if content_type_id is not None and object_id is not None:
            linked.setdefault(content_type_id, set()).add(object_id)

    found: list[Any] = []
    for kind in contributions.kinds():
        model = kind.model_class
        content_type = ContentType.objects.get_for_model(model)
        ids = linked.get(content_type.pk)
        if not kind.taggable and not ids:
            continue
        condition = _tagged_with(model, element_key) if kind.taggable else Q(pk__in=())
        if ids:
            condition |= Q(pk__in=ids)
        rows = kind.visible().filter(condition).select_related("author__participant_profile")
        rows = rows.order_by("-created_at", "-pk")
        if limit is not None:
            rows = rows[:limit]
        found.extend(rows)
    found.sort(key=lambda row: (row.created_at, row.pk), reverse=True)
    return found[:limit] if limit is not None else found


def _tagged_with(model: type[models.Model], element_key: str) -> Q:
    """Rows whose element_keys holds the key or a key below it.

    JSON containment is not portable across SQLite and PostgreSQL for a
    prefix, so the list is matched as text: each key is stored quoted in the
    JSON array, so `"key"` and `"key/` find exactly the key and its children.
    """
    return Q(element_keys__icontains=f'"{element_key}"') | Q(element_keys__icontains=f'"{element_key}/')


def text_of(contribution: models.Model) -> str:
    """What the participant wrote, by the field its kind declares."""
    kind = contributions.kind_of(contribution)
    if kind is None:
        return ""
    return str(getattr(contribution, kind.text_field, "") or "")


def linkable_entries(*, plan: Any) -> Iterable[ChangelogEntry]:
    """The changelog entries the office may link a contribution to, newest version first."""
    return (
        ChangelogEntry.objects.filter(version__plan=plan)
        .select_related("version")
        .order_by("-version__number", "position", "pk")
    )
