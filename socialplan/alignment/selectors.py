"""Reads of the alignment app, each with a fixed number of queries whatever the data size.

Coverage: an item is covered by a plan when one of the plan's elements (the
plan, a theme, an objective, an action) is linked to it or to one of its
sub-items - an SDG goal is covered when one of its targets is. Each
framework counts its covered items against all its items, and lists as
"not covered yet" the uncovered items whose parent is covered or that have
no parent (an uncovered goal stands for its uncovered targets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from socialplan.plan.models import Plan

from .models import Alignment, Framework, FrameworkItem

# What a framework code may hold; anything else names no framework and never reaches the database.
FRAMEWORK_CODE = re.compile(r"[-a-zA-Z0-9_]{1,40}")
ELEMENT_RELATIONS = [
    "item__framework",
    "plan",
    "theme__plan",
    "objective__theme__plan",
    "action__objective__theme__plan",
]


class UnknownFramework(LookupError):
    def __init__(self, code: str, known: list[str]) -> None:
        self.code = code
        self.known = known
        super().__init__(f"Unknown framework '{code}'. Known frameworks: {', '.join(known) or 'none'}.")


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.order_by("order", "code")


def framework_codes() -> list[str]:
    return list(framework_list().values_list("code", flat=True))


def framework_with_items(*, code: str) -> Framework | None:
    return Framework.objects.filter(code=code).prefetch_related("items__parent").first()


def alignments_of(*, plan: Plan) -> Q:
    """Alignments of the plan itself and of any element under it."""
    return Q(plan=plan) | Q(theme__plan=plan) | Q(objective__theme__plan=plan) | Q(action__objective__theme__plan=plan)


def alignment_list(
    *,
    framework: str | None = None,
    plan_slug: str | None = None,
    theme_id: int | None = None,
    objective_id: int | None = None,
    action_id: int | None = None,
) -> QuerySet[Alignment]:
    alignments = Alignment.objects.select_related(*ELEMENT_RELATIONS).order_by(
        "item__framework__order", "item__order", "pk"
    )
    if framework:
        alignments = alignments.filter(item__framework__code=framework)
    if plan_slug:
        plan_filter = Q(plan__slug=plan_slug) | Q(theme__plan__slug=plan_slug)
        plan_filter |= Q(objective__theme__plan__slug=plan_slug) | Q(action__objective__theme__plan__slug=plan_slug)
        alignments = alignments.filter(plan_filter)
    for name, value in (("theme_id", theme_id), ("objective_id", objective_id), ("action_id", action_id)):
        if value is not None:
            alignments = alignments.filter(**{name: value})
    return alignments


@dataclass(frozen=True)
class CoveringElement:
    """A plan element that addresses an item, ready for a link."""

    kind: str  # 'plan', 'theme', 'objective' or 'action'
    kind_label: str
    element_id: int
    title: str
    url: str
    note: str


@dataclass
class ItemCoverage:
    item: FrameworkItem
    elements: list[CoveringElement] = field(default_factory=list)
    children: list[ItemCoverage] = field(default_factory=list)
    covered: bool = False

    @property
    def descendant_count(self) -> int:
        return sum(1 + child.descendant_count for child in self.children)


@dataclass
class FrameworkCoverage:
    framework: Framework
    items: list[ItemCoverage]

    @property
    def all_items(self) -> list[ItemCoverage]:
        return [entry for top in self.items for entry in _flattened(top)]

    @property
    def total(self) -> int:
        return len(self.all_items)

    @property
    def covered_count(self) -> int:
        return sum(1 for entry in self.all_items if entry.covered)

    @property
    def uncovered_count(self) -> int:
        return self.total - self.covered_count

    @property
    def not_covered_yet(self) -> list[ItemCoverage]:
        """The topmost uncovered items: each stands for itself and its sub-items."""
        found: list[ItemCoverage] = []
        pending = list(self.items)
        while pending:
            entry = pending.pop(0)
            if entry.covered:
                pending[0:0] = entry.children
            else:
                found.append(entry)
        return found


def coverage(*, plan: Plan | None, framework_code: str | None = None) -> list[FrameworkCoverage]:
    """Per framework (or the one named), its items nested, each with the plan's elements that cover it.

    Three queries: the frameworks, their items, the plan's alignments to them.
    Raises UnknownFramework for a code that names no framework.
    """
    if framework_code and not FRAMEWORK_CODE.fullmatch(framework_code):
        raise UnknownFramework(framework_code, framework_codes())
    frameworks = list(framework_list().filter(code=framework_code) if framework_code else framework_list())
    if framework_code and not frameworks:
        raise UnknownFramework(framework_code, framework_codes())
    entries = {
        item.pk: ItemCoverage(item=item)
        for item in FrameworkItem.objects.filter(framework__in=frameworks).order_by("framework__order", "order")
    }
    if plan is not None:
        linked = Alignment.objects.filter(alignments_of(plan=plan), item__in=list(entries)).select_related(
            *ELEMENT_RELATIONS[1:]
        )
        for alignment in linked.order_by("pk"):
            entries[alignment.item_id].elements.append(covering_element(alignment))
    tops: dict[int, list[ItemCoverage]] = {framework.pk: [] for framework in frameworks}
    for entry in entries.values():
        parent = entries.get(entry.item.parent_id) if entry.item.parent_id else None
        (parent.children if parent else tops[entry.item.framework_id]).append(entry)
    for top_items in tops.values():
        for top in top_items:
            _mark_covered(top)
    return [FrameworkCoverage(framework=framework, items=tops[framework.pk]) for framework in frameworks]


def covering_element(alignment: Alignment) -> CoveringElement:
    element = alignment.element
    url = reverse("portal:home") if alignment.plan_id else element.get_absolute_url()
    return CoveringElement(
        kind=alignment.element_kind,
        kind_label=str(element._meta.verbose_name),
        element_id=element.pk,
        title=str(element),
        url=url,
        note=alignment.note,
    )


def _mark_covered(entry: ItemCoverage) -> bool:
    children_covered = [_mark_covered(child) for child in entry.children]
    entry.covered = bool(entry.elements) or any(children_covered)
    return entry.covered


def _flattened(entry: ItemCoverage) -> list[ItemCoverage]:
    return [entry, *(nested for child in entry.children for nested in _flattened(child))]


def element_alignments(*, element: Any) -> list[Alignment]:
    """The framework items a theme, objective or action addresses, framework by framework. One query."""
    field = element._meta.model_name
    return list(
        Alignment.objects.filter(**{field: element})
        .select_related("item__framework")
        .order_by("item__framework__order", "item__framework__code", "item__order", "item__code")
    )
