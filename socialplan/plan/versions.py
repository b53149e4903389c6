"""What a published version holds, and what changed between two of them.

A *snapshot* is plain JSON: the plan's public content at publication, as a
list of elements in the plan's order (the plan, then each theme followed by
its objectives, their actions, and each action's milestones and tools).
Every element carries:

- `kind`: plan, theme, objective, action, milestone or tool;
- `key`: its identity across versions, built from the codes the models
  declare unique under their parent: `theme`, `theme/objective`,
  `theme/objective/action`, `theme/objective/action/tool`. Milestones have
  no code, so theirs ends with `milestone-<id>`; the plan's key is its slug;
- `parent`: the key of the element it belongs to (None for the plan and themes);
- `fields`: its public fields, each translated field once per language
  (`title_it`, `title_en`), every value a string or None.

`diff(old, new)` compares two snapshots and lists what was added, removed,
changed (field by field) and moved (the same code under another parent, when
that code is unique among the removed and added elements of its kind). An
element carried along by a moved parent is not reported as moved itself.

Nothing here reads the database: `build_snapshot` walks objects its caller has
already loaded (see selectors.plan_for_snapshot), so the same functions serve
the service that publishes, the pages and the API, and can be tested on
generated snapshots.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from modeltranslation.translator import translator

from .models import Action, ChangelogEntry, ElementKind, Milestone, Objective, Plan, Theme, Tool

SNAPSHOT_FORMAT = 1

Element = dict[str, Any]
Snapshot = dict[str, Any]
Identity = tuple[str, str]

MODELS: dict[str, type[models.Model]] = {
    ElementKind.PLAN: Plan,
    ElementKind.THEME: Theme,
    ElementKind.OBJECTIVE: Objective,
    ElementKind.ACTION: Action,
    ElementKind.MILESTONE: Milestone,
    ElementKind.TOOL: Tool,
}

# The public fields a version records for each kind; codes are in the keys, and
# the order of elements is the list's order, so neither is repeated here.
PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    ElementKind.PLAN: (
        *("title", "short_title", "territory", "status", "period_start", "period_end", "approved_on"),
        *("objective", "vision", "structure_principle", "monitoring_principle"),
    ),
    ElementKind.THEME: ("kind", "title", "summary", "vision"),
    ElementKind.OBJECTIVE: ("title", "description"),
    ElementKind.ACTION: ("title", "description", "status", "start_date", "end_date", "weight", "budget"),
    ElementKind.MILESTONE: ("title", "due_date", "completed_on"),
    ElementKind.TOOL: ("kind", "title", "description", "url"),
}

PARENT_KIND: dict[str, str | None] = {
    ElementKind.PLAN: None,
    ElementKind.THEME: None,
    ElementKind.OBJECTIVE: ElementKind.THEME,
    ElementKind.ACTION: ElementKind.OBJECTIVE,
    ElementKind.MILESTONE: ElementKind.ACTION,
    ElementKind.TOOL: ElementKind.ACTION,
}


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def is_translated(kind: str, name: str) -> bool:
    return name in translator.get_options_for_model(MODELS[kind]).fields  # type: ignore[attr-defined]


def snapshot_fields(kind: str) -> list[str]:
    """The field names a snapshot holds for `kind`, each translated field once per language."""
    names: list[str] = []
    for name in PUBLIC_FIELDS[kind]:
        names.extend([f"{name}_{code}" for code in language_codes()] if is_translated(kind, name) else [name])
    return names


def base_field(kind: str, name: str) -> tuple[str, str | None]:
    """'title_en' -> ('title', 'en'); an untranslated field -> (name, None)."""
    stem, _separator, code = name.rpartition("_")
    if stem and code in language_codes() and is_translated(kind, stem):
        return stem, code
    return name, None


def _value(instance: models.Model, name: str) -> str | None:
    """A field's value as a string: dates in ISO format, decimals as written; an empty text is "" in any language."""
    value = getattr(instance, name)
    if value is None:
        is_text = isinstance(instance._meta.get_field(name), models.CharField | models.TextField)
        return "" if is_text else None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _element(kind: str, key: str, parent: str | None, instance: models.Model) -> Element:
    return {
        "kind": str(kind),
        "key": key,
        "parent": parent,
        "fields": {name: _value(instance, name) for name in snapshot_fields(kind)},
    }


def build_snapshot(*, plan: Plan, themes: Iterable[Theme]) -> Snapshot:
    """The JSON snapshot of `plan`. `themes` must come with objectives, actions, milestones and tools prefetched."""
    elements = [_element(ElementKind.PLAN, plan.slug, None, plan)]
    for theme in themes:
        elements.append(_element(ElementKind.THEME, theme.code, None, theme))
        for objective in theme.objectives.all():
            objective_key = f"{theme.code}/{objective.code}"
            elements.append(_element(ElementKind.OBJECTIVE, objective_key, theme.code, objective))
            for action in objective.actions.all():
                action_key = f"{objective_key}/{action.code}"
                elements.append(_element(ElementKind.ACTION, action_key, objective_key, action))
                for milestone in action.milestones.all():
                    key = f"{action_key}/milestone-{milestone.pk}"
                    elements.append(_element(ElementKind.MILESTONE, key, action_key, milestone))
                for tool in action.tools.all():
                    elements.append(_element(ElementKind.TOOL, f"{action_key}/{tool.code}", action_key, tool))
    return {"format": SNAPSHOT_FORMAT, "plan": plan.slug, "elements": elements}


def empty_snapshot(plan_slug: str) -> Snapshot:
    return {"format": SNAPSHOT_FORMAT, "plan": plan_slug, "elements": []}


def digest(snapshot: Snapshot) -> str:
    """A fingerprint of the content, to tell whether the plan changed since a page showed its differences."""
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def identity(element: Element) -> Identity:
    return element["kind"], element["key"]


def code_of(key: str) -> str:
    return key.rsplit("/", 1)[-1]


def theme_key_of(element: Element) -> str | None:
    """The key of the theme an element belongs to (None for the plan itself)."""
    if element["kind"] == ElementKind.PLAN:
        return None
    return str(element["key"]).split("/", 1)[0]


def title_of(element: Element, language: str) -> str:
    fields = element["fields"]
    return str(fields.get(f"title_{language}") or fields.get("title_it") or element["key"])


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class ElementChange:
    """One difference. `key` is the element's key in the newer snapshot (the older one's when removed)."""

    change: str  # a ChangelogEntry.Change value
    kind: str
    key: str
    previous_key: str = ""
    fields: tuple[FieldChange, ...] = ()
    old: Element | None = field(default=None, compare=False)
    new: Element | None = field(default=None, compare=False)

    @property
    def element(self) -> Element:
        element = self.new if self.new is not None else self.old
        assert element is not None
        return element

    @property
    def identifier(self) -> str:
        """What a reason is filed under when the plan office writes one: 'action:theme/objective/action'."""
        return f"{self.kind}:{self.key}"


ADDED = ChangelogEntry.Change.ADDED.value
REMOVED = ChangelogEntry.Change.REMOVED.value
CHANGED = ChangelogEntry.Change.CHANGED.value
MOVED = ChangelogEntry.Change.MOVED.value


def field_changes(old: Element, new: Element) -> tuple[FieldChange, ...]:
    """The fields that differ, in the kind's own order: a snapshot read back from PostgreSQL's jsonb has
    its keys in the database's order, not the order they were written in."""
    present = {*old["fields"], *new["fields"]}
    declared = [name for name in snapshot_fields(new["kind"]) if name in present]
    names = declared + sorted(present.difference(declared))
    return tuple(
        FieldChange(name, old["fields"].get(name), new["fields"].get(name))
        for name in names
        if old["fields"].get(name) != new["fields"].get(name)
    )


def _match_moves(removed: list[Identity], added: list[Identity]) -> dict[Identity, Identity]:
    """Pair removed and added elements that are one element under another parent.

    First, elements whose (kind, code) occurs exactly once among the removed
    and once among the added; then, deepest first, whatever such a moved
    element carried along (the same path below it).
    """
    removed_codes = Counter((kind, code_of(key)) for kind, key in removed)
    added_codes = Counter((kind, code_of(key)) for kind, key in added)
    by_code = {(kind, code_of(key)): (kind, key) for kind, key in added}
    moves = {
        (kind, key): by_code[kind, code_of(key)]
        for kind, key in removed
        if removed_codes[kind, code_of(key)] == 1 and added_codes[kind, code_of(key)] == 1
    }
    added_left = set(added) - set(moves.values())
    for (_kind, old_key), (_kind2, new_key) in sorted(moves.items(), key=lambda pair: (-pair[0][1].count("/"), pair)):
        for kind, key in removed:
            if (kind, key) in moves or not key.startswith(f"{old_key}/"):
                continue
            candidate = (kind, f"{new_key}{key[len(old_key) :]}")
            if candidate in added_left:
                moves[kind, key] = candidate
                added_left.discard(candidate)
    return moves


def _is_carried(element: Element, old_element: Element, moves: dict[Identity, Identity]) -> bool:
    """True when the element only followed its parent, which moved."""
    parent_kind = PARENT_KIND[element["kind"]]
    if parent_kind is None or old_element["parent"] is None:
        return False
    return moves.get((parent_kind, old_element["parent"])) == (parent_kind, element["parent"])


def _positions(
    old: list[Element], new_index: dict[Identity, int], matched: dict[Identity, Identity]
) -> dict[Identity, tuple[int, int, int]]:
    """Where a removed element goes in a list ordered like the newer plan: after what preceded it."""
    positions: dict[Identity, tuple[int, int, int]] = {}
    anchor = -1
    for index, element in enumerate(old):
        survivor = matched.get(identity(element))
        if survivor is not None:
            anchor = new_index[survivor]
        else:
            positions[identity(element)] = (anchor, 1, index)
    return positions


def diff(old: Snapshot, new: Snapshot) -> list[ElementChange]:
    """Every difference between two snapshots, in the order of the plan (the newer one, removals in place)."""
    old_elements = {identity(element): element for element in old["elements"]}
    new_elements = {identity(element): element for element in new["elements"]}
    removed = [key for key in old_elements if key not in new_elements]
    added = [key for key in new_elements if key not in old_elements]
    moves = _match_moves(removed, added)
    matched = {key: key for key in old_elements if key in new_elements} | moves
    new_index = {identity(element): index for index, element in enumerate(new["elements"])}

    ordered: list[tuple[tuple[int, int, int], ElementChange]] = []
    for old_id, new_id in matched.items():
        change = _compare(old_elements[old_id], new_elements[new_id], moves)
        if change is not None:
            ordered.append(((new_index[new_id], 0, 0), change))
    moved_to = set(moves.values())
    for new_id in added:
        if new_id not in moved_to:
            element = new_elements[new_id]
            ordered.append(((new_index[new_id], 0, 0), ElementChange(ADDED, new_id[0], new_id[1], new=element)))
    positions = _positions(old["elements"], new_index, matched)
    for old_id in removed:
        if old_id not in moves:
            element = old_elements[old_id]
            ordered.append((positions[old_id], ElementChange(REMOVED, old_id[0], old_id[1], old=element)))
    return [change for _position, change in sorted(ordered, key=lambda pair: pair[0])]


def _compare(old: Element, new: Element, moves: dict[Identity, Identity]) -> ElementChange | None:
    fields = field_changes(old, new)
    if old["key"] == new["key"]:
        return ElementChange(CHANGED, new["kind"], new["key"], fields=fields, old=old, new=new) if fields else None
    if _is_carried(new, old, moves):
        if not fields:
            return None
        return ElementChange(CHANGED, new["kind"], new["key"], old["key"], fields, old=old, new=new)
    return ElementChange(MOVED, new["kind"], new["key"], old["key"], fields, old=old, new=new)


def elements_by_identity(snapshot: Snapshot) -> dict[Identity, Element]:
    return {identity(element): element for element in snapshot["elements"]}
