"""`load_plan torino` links the Turin plan to the frameworks: idempotent, and all or nothing on a bad code."""

import copy
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError

from socialplan.alignment.content import CONTENT_DIR, load_alignment_content
from socialplan.alignment.models import Alignment, Framework
from socialplan.alignment.services import LOAD_REASON
from socialplan.plan.models import Action, Plan, Theme
from socialplan.plan.services import load_plan


@pytest.fixture
def torino(db) -> Plan:
    """The Turin plan exactly as `load_plan torino` loads it."""
    load_plan(name="torino")
    return Plan.objects.get(slug="torino")


def turin_content() -> dict[str, Any]:
    with (CONTENT_DIR / "torino.yaml").open(encoding="utf-8") as handle:
        content: dict[str, Any] = yaml.safe_load(handle)
    return content


def codes_linked_to(element: object) -> set[str]:
    field = type(element).__name__.lower()
    return set(Alignment.objects.filter(**{field: element}).values_list("item__code", flat=True))


def test_the_frameworks_come_with_the_plan_and_the_links_with_them(torino: Plan) -> None:
    assert Framework.objects.count() == 7
    assert Alignment.objects.count() == sum(len(entry.get("links", [])) for entry in turin_content()["elements"])
    assert {"EU-CR-3.1", "EU-CR-1.7", "EU-CR-1.8", "UN-SSE-1"} <= codes_linked_to(torino)
    procurement = Theme.objects.get(plan=torino, code="social-procurement")
    assert codes_linked_to(procurement) == {"EU-CR-2.5", "EU-SEAP-1.4", "OECD-SSE-5"}
    first_action = Action.objects.get(objective__theme=procurement, code="sp-s1")
    assert {"EU-CR-2.5", "12.7", "UN-SSE-1.f"} <= codes_linked_to(first_action)
    alignment = Alignment.objects.get(action=first_action, item__code="12.7")
    assert alignment.note_it == "Criteri sociali ed ecologici negli appalti pubblici."
    assert alignment.note_en == "Social and green criteria in public procurement."
    assert alignment.history.latest().history_change_reason == LOAD_REASON


def test_the_plan_does_not_claim_what_its_text_does_not_say(torino: Plan) -> None:
    """Housing, care services, State aid, taxation, EU funds and international cooperation are not in the plan."""
    linked = set(Alignment.objects.values_list("item__code", flat=True))
    assert not linked & {"EU-CR-1.3", "EU-CR-1.4", "EU-CR-2.6", "EU-CR-2.7", "EU-CR-3.2", "EU-CR-3.3"}


def test_a_second_load_changes_nothing(torino: Plan) -> None:
    rows, history_rows = Alignment.objects.count(), Alignment.history.count()
    report = load_plan(name="torino")
    assert not report.created and not report.updated and not report.differences
    assert (Alignment.objects.count(), Alignment.history.count()) == (rows, history_rows)


def test_a_note_edited_on_the_platform_is_kept_and_reported(torino: Plan) -> None:
    alignment = Alignment.objects.get(action__code="sp-s1", item__code="12.7")
    alignment.note_en = "Edited"
    alignment.save()

    report = load_plan(name="torino")

    alignment.refresh_from_db()
    assert alignment.note_en == "Edited"
    assert [(difference.field, difference.in_content) for difference in report.differences] == [
        ("note_en", "Social and green criteria in public procurement.")
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"framework": "EU-XX"}, "names the unknown framework 'EU-XX'; known: EU-CR, EU-SEAP"),
        ({"item": "EU-CR-9.9"}, "names the unknown item 'EU-CR-9.9' of framework 'EU-CR'"),
    ],
    ids=["framework", "item"],
)
def test_an_unknown_code_is_refused_naming_it_and_nothing_is_written(
    torino: Plan, change: dict[str, str], message: str
) -> None:
    Alignment.objects.all().delete()
    content = copy.deepcopy(turin_content())
    # The last entry's first link: everything before it would have been written, were the file not checked first.
    content["elements"][-1]["links"][0].update(change)

    with pytest.raises(ValidationError) as error:
        load_alignment_content(plan=torino, content=content)

    assert message in error.value.messages[0]
    assert "theme 'communication'" in error.value.messages[0]
    assert not Alignment.objects.exists()


def test_an_unknown_element_is_refused(torino: Plan) -> None:
    content = {"plan": "torino", "elements": [{"action": "social-procurement/sp-o1/nope", "links": []}]}
    with pytest.raises(ValidationError, match="Plan 'torino' has no action 'social-procurement/sp-o1/nope'"):
        load_alignment_content(plan=torino, content=content)


def test_the_file_must_be_for_the_plan(torino: Plan) -> None:
    with pytest.raises(ValidationError, match="The alignments are for plan 'milano', not 'torino'"):
        load_alignment_content(plan=torino, content={"plan": "milano", "elements": []})
