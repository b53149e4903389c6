"""Snapshots of the plan and the differences between two of them: examples from the Turin plan, then
properties that hold for any pair of generated snapshots."""

import json
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from socialplan.plan import readable, selectors, versions
from socialplan.plan.models import Action, Milestone, Objective, Plan, Theme, Tool
from socialplan.plan.versions import ADDED, CHANGED, MOVED, REMOVED

SP_S1 = "social-procurement/sp-o1/sp-s1"


def snapshot_of(plan: Plan) -> versions.Snapshot:
    return versions.build_snapshot(plan=plan, themes=selectors.themes_for_snapshot(plan=plan))


def element(snapshot: versions.Snapshot, kind: str, key: str) -> dict[str, Any]:
    return versions.elements_by_identity(snapshot)[kind, key]


def summary(changes: list[versions.ElementChange]) -> list[tuple[str, str, str]]:
    return [(change.change, change.kind, change.key) for change in changes]


# Examples on the Turin plan.


def test_a_snapshot_holds_every_level_keyed_by_codes_in_both_languages(torino, django_assert_max_num_queries):
    action = Action.objects.get(code="sp-s1")
    Tool.objects.create(action=action, code="guide", kind=Tool.Kind.LEGAL, title_it="Guida", title_en="Guide")
    milestone = Milestone.objects.create(action=action, title_it="Avvio", due_date="2025-03-01")

    with django_assert_max_num_queries(5):
        snapshot = snapshot_of(torino)

    assert json.loads(json.dumps(snapshot)) == snapshot
    kinds = [item["kind"] for item in snapshot["elements"]]
    assert kinds[0] == "plan" and kinds.count("theme") == Theme.objects.count()
    assert kinds.count("objective") == Objective.objects.count() and kinds.count("action") == Action.objects.count()
    sp_s1 = element(snapshot, "action", SP_S1)
    assert sp_s1["parent"] == "social-procurement/sp-o1"
    assert sp_s1["fields"]["title_it"].startswith("Promuovere il ruolo degli appalti pubblici")
    assert sp_s1["fields"]["title_en"].startswith("Promote public procurement")
    assert sp_s1["fields"]["status"] == "planned" and sp_s1["fields"]["weight"] == "1.00"
    assert element(snapshot, "tool", f"{SP_S1}/guide")["fields"]["kind"] == "legal"
    assert element(snapshot, "milestone", f"{SP_S1}/milestone-{milestone.pk}")["fields"]["due_date"] == "2025-03-01"


def test_the_same_plan_has_no_differences(torino):
    assert versions.diff(snapshot_of(torino), snapshot_of(torino)) == []


def test_a_changed_title_and_a_new_action_are_the_only_differences(torino):
    before = snapshot_of(torino)
    Action.objects.filter(code="sp-s1").update(title_it="Nuovo titolo")
    Action.objects.create(objective=Objective.objects.get(code="sp-o1"), code="sp-s9", order=9, title_it="Nuova")

    changes = versions.diff(before, snapshot_of(torino))

    assert summary(changes) == [(CHANGED, "action", SP_S1), (ADDED, "action", "social-procurement/sp-o1/sp-s9")]
    (title,) = changes[0].fields
    assert title.field == "title_it" and title.new == "Nuovo titolo"
    assert title.old.startswith("Promuovere il ruolo")


def test_a_removed_element_stays_where_it_was_in_the_plan(torino):
    before = snapshot_of(torino)
    Action.objects.get(code="sp-s3").delete()
    Action.objects.filter(code="sp-s2").update(status=Action.Status.DONE)

    changes = versions.diff(before, snapshot_of(torino))

    assert summary(changes) == [
        (REMOVED, "action", "social-procurement/sp-o2/sp-s3"),
        (CHANGED, "action", "social-procurement/sp-o3/sp-s2"),
    ]


def test_an_action_moved_to_another_objective_carries_its_tools(torino):
    action = Action.objects.get(code="sp-s1")
    Tool.objects.create(action=action, code="t1", title_it="Strumento")
    Tool.objects.create(action=Action.objects.get(code="sp-s2"), code="t1", title_it="Altro strumento")
    before = snapshot_of(torino)
    action.objective = Objective.objects.get(code="sp-o2")
    action.save()

    changes = versions.diff(before, snapshot_of(torino))

    assert summary(changes) == [(MOVED, "action", "social-procurement/sp-o2/sp-s1")]
    assert changes[0].previous_key == SP_S1 and changes[0].fields == ()


def test_a_readable_diff_names_fields_and_values_in_the_reader_language(torino):
    before = snapshot_of(torino)
    Action.objects.filter(code="sp-s1").update(status=Action.Status.IN_PROGRESS, start_date="2025-03-12")
    title_en = Action.objects.get(code="sp-s3").title_en
    Action.objects.filter(code="sp-s3").update(
        title_en=title_en.replace("develop strategies", "develop green strategies")
    )
    after = snapshot_of(torino)

    with translation.override("it"):
        groups = readable.readable_diff(before, after)
    (group,) = groups
    assert group.title == "Social procurement"
    status_change, title_change = group.changes
    assert status_change.change_label == "Modificato" and status_change.kind_label == "Azione"
    fields = {field.label: (field.before, field.after) for field in status_change.fields}
    assert fields["Stato"] == ("Pianificata", "In corso")
    assert fields["Data di inizio"] == ("(vuoto)", "12 marzo 2025")
    (title,) = title_change.fields
    assert title.label == "Titolo (inglese)"
    assert [s.text.strip() for s in title.after_segments if s.kind == "ins"] == ["green"]
    assert not [s for s in title.before_segments if s.kind == "del"]


def test_word_diff_marks_only_the_words_that_changed():
    before, after = readable.word_diff("Promote social procurement now", "Promote green procurement now")
    assert [(s.kind, s.text) for s in before] == [
        ("equal", "Promote "),
        ("del", "social"),
        ("equal", " procurement now"),
    ]
    assert [(s.kind, s.text) for s in after] == [("equal", "Promote "), ("ins", "green"), ("equal", " procurement now")]


# Properties, on generated snapshots.

CODES = st.sampled_from(["a", "b", "c"])
VALUES = st.one_of(st.none(), st.sampled_from(["", "uno", "due", "uno due tre", "2025-01-01"]))
FIELDS = st.fixed_dictionaries({"title_it": VALUES, "title_en": VALUES, "status": VALUES})
CHILDREN = {"theme": "objective", "objective": "action"}


def _node(kind: str, key: str, parent: str | None, fields: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "key": key, "parent": parent, "fields": fields}


@st.composite
def subtree(draw: Any, kind: str, key: str, parent: str | None) -> list[dict[str, Any]]:
    elements = [_node(kind, key, parent, draw(FIELDS))]
    if kind == "action":
        for code in draw(st.lists(CODES, unique=True, max_size=2)):
            elements.append(_node("milestone", f"{key}/milestone-{code}", key, draw(FIELDS)))
        for code in draw(st.lists(CODES, unique=True, max_size=2)):
            elements.append(_node("tool", f"{key}/{code}", key, draw(FIELDS)))
    elif kind in CHILDREN:
        for code in draw(st.lists(CODES, unique=True, max_size=3)):
            elements.extend(draw(subtree(CHILDREN[kind], f"{key}/{code}", key)))
    return elements


@st.composite
def snapshots(draw: Any) -> versions.Snapshot:
    elements = [_node("plan", "torino", None, draw(FIELDS))]
    for code in draw(st.lists(CODES, unique=True, max_size=3)):
        elements.extend(draw(subtree("theme", code, None)))
    return {"format": versions.SNAPSHOT_FORMAT, "plan": "torino", "elements": elements}


def normalised(change: versions.ElementChange) -> tuple:
    fields = frozenset((field.field, field.old, field.new) for field in change.fields)
    return change.change, change.kind, change.key, change.previous_key, fields


def inverse(change: versions.ElementChange) -> tuple:
    """What the same difference looks like seen from the other side."""
    kind = {ADDED: REMOVED, REMOVED: ADDED}.get(change.change, change.change)
    key, previous = (change.previous_key, change.key) if change.previous_key else (change.key, "")
    fields = frozenset((field.field, field.new, field.old) for field in change.fields)
    return kind, change.kind, key, previous, fields


def apply(old: versions.Snapshot, changes: list[versions.ElementChange]) -> dict[versions.Identity, dict]:
    """Rebuild the newer snapshot's elements from the older one and the differences alone.

    A moved element takes what lies under it along: its descendants change keys without a change of their
    own, so later changes find them under their parent's new key.
    """
    elements = {identity: dict(item) for identity, item in versions.elements_by_identity(old).items()}
    moves: list[tuple[str, str]] = []
    for change in changes:
        if change.change == ADDED:
            elements[change.kind, change.key] = change.element
            continue
        previous = elements.pop((change.kind, _followed(change.previous_key or change.key, moves)))
        if change.change == REMOVED:
            continue
        fields = previous["fields"] | {field.field: field.new for field in change.fields}
        parent = change.key.rsplit("/", 1)[0] if previous["parent"] is not None else None
        elements[change.kind, change.key] = _node(change.kind, change.key, parent, fields)
        if change.previous_key:
            moves.append((_followed(change.previous_key, moves), change.key))
            elements = _carried(elements, *moves[-1])
    return elements


def _followed(key: str, moves: list[tuple[str, str]]) -> str:
    """Where `key` is after the moves applied so far."""
    for old_prefix, new_prefix in moves:
        if key == old_prefix or key.startswith(f"{old_prefix}/"):
            key = new_prefix + key[len(old_prefix) :]
    return key


def _carried(elements: dict, old_prefix: str, new_prefix: str) -> dict:
    """The elements under `old_prefix` moved under `new_prefix`."""
    rekeyed = {}
    for (kind, key), item in elements.items():
        if key.startswith(f"{old_prefix}/"):
            key = new_prefix + key[len(old_prefix) :]
            item = item | {"key": key, "parent": key.rsplit("/", 1)[0]}
        rekeyed[kind, key] = item
    return rekeyed


@given(snapshots())
def test_a_snapshot_compared_with_itself_has_no_differences(snapshot):
    assert versions.diff(snapshot, snapshot) == []


@given(snapshots(), snapshots())
def test_the_reverse_diff_swaps_added_and_removed_and_old_and_new(a, b):
    forward = {inverse(change) for change in versions.diff(a, b)}
    backward = {normalised(change) for change in versions.diff(b, a)}
    assert forward == backward


@given(snapshots(), snapshots())
def test_applying_the_diff_to_the_older_snapshot_gives_the_newer(a, b):
    rebuilt = apply(a, versions.diff(a, b))
    assert rebuilt == versions.elements_by_identity(b)


@given(snapshots(), snapshots())
def test_differences_follow_the_order_of_the_newer_plan(a, b):
    order = {versions.identity(item): index for index, item in enumerate(b["elements"])}
    positions = [order[change.kind, change.key] for change in versions.diff(a, b) if change.change != REMOVED]
    assert positions == sorted(positions)


@given(snapshots(), snapshots())
def test_an_element_is_reported_at_most_once(a, b):
    changes = versions.diff(a, b)
    touched_new = [(c.kind, c.key) for c in changes if c.change != REMOVED]
    touched_old = [(c.kind, c.previous_key or c.key) for c in changes if c.change != ADDED]
    assert len(touched_new) == len(set(touched_new)) and len(touched_old) == len(set(touched_old))


@pytest.mark.parametrize("kind", ["plan", "theme", "objective", "action", "milestone", "tool"])
def test_every_recorded_field_has_a_label_in_words(kind):
    with translation.override("it"):
        labels = [readable.field_label(kind, name) for name in versions.snapshot_fields(kind)]
    assert all(label and "_" not in label for label in labels), labels
