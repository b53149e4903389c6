"""Reporting on an action through the API: who may, what is checked, what history keeps.

The plan office (admin, editor) reports on every action; a theme coordinator
only on the actions of their theme (social procurement in the `roles`
fixture); members and participants never; anonymous clients are told to log
in. A refused or invalid request changes nothing; an accepted one leaves a
history record naming the user and the fields changed.
"""

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from socialplan.plan.models import Action, Objective, Plan, Theme
from socialplan.plan.services import update_action

REPORT = {"status": "in_progress", "start_date": "2025-03-01", "end_date": "2026-12-31", "weight": 2.5}
REPORT_REASON = "Reporting update: end_date, start_date, status, weight"

# role -> expected status for (an action of social procurement, an action of governance)
EXPECTED = {
    "admin": (200, 200),
    "editor": (200, 200),
    "coordinator": (200, 403),
    "member": (403, 403),
    "participant": (403, 403),
    "anonymous": (401, 401),
}


@pytest.fixture
def actions(torino: Plan) -> dict[str, Action]:
    """One action in the coordinator's theme (social procurement), one in governance."""
    governance = Theme.objects.get(plan=torino, code="governance")
    objective = Objective.objects.create(theme=governance, code="gov-o1", title_it="Obiettivo di governance")
    return {
        "social-procurement": Action.objects.get(objective__theme__plan=torino, code="sp-s1"),
        "governance": Action.objects.create(objective=objective, code="gov-a1", title_it="Azione di governance"),
    }


def history_of(action: Action) -> Any:
    """simple-history adds `history` when translation.py registers it, out of mypy's sight."""
    return action.history  # type: ignore[attr-defined]


def client_as(roles: Any, role: str, **options: Any) -> Client:
    client = Client(**options)
    user = getattr(roles, role)
    if user is not None:
        client.force_login(user)
    return client


def patch(client: Client, action_id: object, body: Any, **headers: Any) -> Any:
    payload = body if isinstance(body, str) else json.dumps(body)
    return client.patch(f"/api/v1/actions/{action_id}", data=payload, content_type="application/json", **headers)


def snapshot(action: Action) -> tuple[Any, ...]:
    action.refresh_from_db()
    return (action.status, action.start_date, action.end_date, action.weight, history_of(action).count())


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("theme", ["social-procurement", "governance"])
def test_who_may_report_on_an_action(roles, actions: dict[str, Action], role: str, theme: str) -> None:
    action = actions[theme]
    expected = EXPECTED[role][0 if theme == "social-procurement" else 1]
    before = snapshot(action)

    response = patch(client_as(roles, role), action.pk, REPORT)

    body = response.json()
    assert response.status_code == expected, body
    if expected != 200:
        assert list(body) == ["detail"]
        assert snapshot(action) == before
        return
    assert body["status"] == "in_progress"
    action.refresh_from_db()
    assert (action.status, action.start_date, action.end_date, action.weight) == (
        Action.Status.IN_PROGRESS,
        date(2025, 3, 1),
        date(2026, 12, 31),
        Decimal("2.50"),
    )
    record = history_of(action).first()
    assert history_of(action).count() == before[-1] + 1
    assert record.history_user == getattr(roles, role)
    assert record.history_change_reason == REPORT_REASON
    assert record.status == "in_progress"


def test_the_answer_is_the_updated_action_with_milestones_and_tools(roles, actions: dict[str, Action]) -> None:
    response = patch(client_as(roles, "coordinator"), actions["social-procurement"].pk, {"status": "done"})

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "done"
    assert body["code"] == "sp-s1"
    assert body["milestones"] == []
    assert body["tools"] == []


def test_only_the_fields_sent_change(roles, actions: dict[str, Action]) -> None:
    action = actions["social-procurement"]
    patch(client_as(roles, "editor"), action.pk, REPORT)

    response = patch(client_as(roles, "editor"), action.pk, {"status": "delayed"})

    action.refresh_from_db()
    assert response.status_code == 200
    assert (action.status, action.start_date, action.weight) == ("delayed", date(2025, 3, 1), Decimal("2.50"))
    assert history_of(action).first().history_change_reason == "Reporting update: status"


def test_a_date_can_be_cleared_with_null(roles, actions: dict[str, Action]) -> None:
    action = actions["social-procurement"]
    patch(client_as(roles, "editor"), action.pk, REPORT)

    response = patch(client_as(roles, "editor"), action.pk, {"end_date": None})

    action.refresh_from_db()
    assert response.status_code == 200
    assert action.end_date is None
    assert action.start_date == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"start_date": "2026-01-10", "end_date": "2026-01-09"}, "end_date", "cannot precede"),
        ({"end_date": "2024-12-31"}, "end_date", "cannot precede"),
        ({"weight": -1}, "weight", "greater than or equal to 0"),
        ({"weight": "heavy"}, "weight", "weight"),
        ({"weight": 1.234}, "weight", "2 decimal places"),
        ({"status": "finished"}, "status", "'planned', 'in_progress', 'delayed', 'done' or 'cancelled'"),
        ({"status": None}, "status", "Input should be"),
        ({"end_date": "31/12/2026"}, "end_date", "valid date"),
        ({"title_it": "Nuovo titolo"}, "title_it", "Extra inputs are not permitted"),
    ],
)
def test_invalid_reports_are_a_clear_422_and_change_nothing(
    roles, actions: dict[str, Action], body: dict[str, Any], field: str, words: str
) -> None:
    action = actions["social-procurement"]
    action.start_date = date(2025, 1, 1)
    action.save()
    before = snapshot(action)

    # Messages from the model follow Accept-Language (Italian, the site's language, by default).
    response = patch(client_as(roles, "editor"), action.pk, body, HTTP_ACCEPT_LANGUAGE="en")

    error = response.json()
    assert response.status_code == 422, error
    assert words in error["detail"]
    assert field in error["errors"][0]["loc"]
    assert snapshot(action) == before


def test_a_body_that_is_not_json_is_a_400(roles, actions: dict[str, Action]) -> None:
    response = patch(client_as(roles, "editor"), actions["social-procurement"].pk, "{not json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}


def test_unknown_and_malformed_action_ids(roles) -> None:
    editor = client_as(roles, "editor")

    assert patch(editor, 999999, REPORT).status_code == 404
    assert patch(editor, 999999, REPORT).json() == {"detail": "No action with identifier 999999."}
    assert patch(editor, "first", REPORT).status_code == 422
    # Authentication comes first: an anonymous client learns nothing about ids.
    assert patch(client_as(roles, "anonymous"), 999999, REPORT).status_code == 401


def test_a_logged_in_user_needs_the_csrf_token(roles, actions: dict[str, Action]) -> None:
    action = actions["social-procurement"]
    before = snapshot(action)
    client = client_as(roles, "editor", enforce_csrf_checks=True)

    refused = patch(client, action.pk, REPORT)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "CSRF check Failed"}
    assert snapshot(action) == before

    client.get("/api/v1/docs")  # the docs page sets the CSRF cookie, as any page of the site does
    accepted = patch(client, action.pk, REPORT, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert accepted.status_code == 200


def test_an_anonymous_client_without_csrf_token_is_told_to_log_in(roles, actions: dict[str, Action]) -> None:
    response = patch(client_as(roles, "anonymous", enforce_csrf_checks=True), actions["governance"].pk, REPORT)

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


# The service itself, as any caller (a form, a command) would use it.


def test_update_action_records_the_user_without_a_request(roles, actions: dict[str, Action]) -> None:
    action = update_action(action=actions["governance"], user=roles.editor, status=Action.Status.DONE)

    record = history_of(action).first()
    assert record.history_user == roles.editor
    assert record.history_change_reason == "Reporting update: status"


def test_update_action_with_nothing_new_writes_no_history(roles, actions: dict[str, Action]) -> None:
    action = actions["governance"]
    before = history_of(action).count()

    update_action(action=action, user=roles.editor, status=action.status, weight=Decimal("1.00"))

    assert history_of(action).count() == before


def test_update_action_refuses_content_fields(roles, actions: dict[str, Action]) -> None:
    action = actions["governance"]
    before = snapshot(action)

    with pytest.raises(ValidationError) as error:
        update_action(action=action, user=roles.editor, status="done", title_it="Altro titolo")

    assert error.value.message_dict == {"title_it": ["This field cannot be changed by a reporting update."]}
    assert snapshot(action) == before


def test_update_action_validates_against_the_stored_dates(roles, actions: dict[str, Action]) -> None:
    action = actions["governance"]
    Action.objects.filter(pk=action.pk).update(start_date=date(2026, 1, 1))
    before = snapshot(action)

    # `action` still holds no start date in memory: the service checks the stored one.
    action.start_date = None
    with pytest.raises(ValidationError) as error:
        update_action(action=action, user=roles.editor, end_date=date(2025, 12, 31))

    assert "end_date" in error.value.message_dict
    assert snapshot(action) == before
