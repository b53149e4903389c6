"""The plan office links plan elements to framework items through the API, and removes links.

Only the plan office (platform admins, plan editors) writes here; every
other role is refused, anonymous clients are told to log in, and bad input
is a 422 naming the field. A refused request changes nothing: neither the
links nor their history.
"""

import json
from typing import Any

import pytest
from django.test import Client

from socialplan.alignment.models import Alignment, FrameworkItem
from socialplan.plan.models import Action, Plan, Theme

API = "/api/v1/alignments"
# Not linked by the Turin content: the tests create it.
NEW_LINK = {"element": "action", "code": "social-procurement/sp-o1/sp-s1", "framework": "EU-CR", "item": "EU-CR-0"}


def history() -> Any:
    return Alignment.history  # type: ignore[attr-defined]


def snapshot() -> tuple[Any, ...]:
    return list(Alignment.objects.order_by("pk").values()), history().count()


def client_for(user: Any, **options: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **options)
    if user is not None:
        client.force_login(user)
    return client


def post(client: Client, body: Any, **headers: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(API, data=data, content_type="application/json", **headers)


@pytest.fixture
def action(torino: Plan) -> Action:
    return Action.objects.get(objective__theme__plan=torino, code="sp-s1")


def test_the_office_links_an_element_named_by_its_code(torino: Plan, roles, action: Action) -> None:
    assert not Alignment.objects.filter(action=action, item__code="EU-CR-0").exists()

    response = post(client_for(roles.editor), {**NEW_LINK, "note_it": "Clausole sociali", "note_en": "Social clauses"})

    body = response.json()
    assert response.status_code == 201, body
    assert (body["element"], body["action_id"], body["framework"], body["item"], body["plan"]) == (
        "action",
        action.pk,
        "EU-CR",
        "EU-CR-0",
        "torino",
    )
    assert (body["note_it"], body["note_en"]) == ("Clausole sociali", "Social clauses")
    link = Alignment.objects.get(pk=body["id"])
    assert (link.action, link.item.code) == (action, "EU-CR-0")
    record = history().filter(id=link.pk).first()
    assert (record.history_user, record.history_change_reason) == (roles.editor, "Alignment recorded")
    # The public read shows it.
    listed = Client().get(f"{API}?action={action.pk}&framework=EU-CR&limit=100").json()["items"]
    assert body["id"] in [item["id"] for item in listed]


def test_the_same_link_again_changes_its_note_and_adds_no_row(torino: Plan, roles) -> None:
    first = post(client_for(roles.admin), NEW_LINK).json()
    count = Alignment.objects.count()

    again = post(client_for(roles.admin), {**NEW_LINK, "note_it": "Nota corretta"})

    assert again.status_code == 200
    assert (again.json()["id"], again.json()["note_it"]) == (first["id"], "Nota corretta")
    assert Alignment.objects.count() == count


@pytest.mark.parametrize(
    ("element", "code"),
    [("plan", "torino"), ("theme", "social-procurement"), ("objective", "social-procurement/sp-o1")],
)
def test_every_kind_of_element_by_code_and_by_id(torino: Plan, roles, element: str, code: str) -> None:
    by_code = post(client_for(roles.editor), {"element": element, "code": code, "framework": "SDG", "item": "1.1"})
    assert by_code.status_code == 201, by_code.json()
    Alignment.objects.filter(pk=by_code.json()["id"]).delete()
    element_id = by_code.json()[f"{element}_id"] if element != "plan" else torino.pk

    by_id = post(client_for(roles.editor), {"element": element, "id": element_id, "framework": "SDG", "item": "1.1"})

    assert by_id.status_code == 201, by_id.json()
    assert by_id.json()["element"] == element
    link = Alignment.objects.get(pk=by_id.json()["id"])
    assert link.element.pk == element_id and link.item == FrameworkItem.objects.get(framework__code="SDG", code="1.1")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"framework": "EU-XX"}, "framework", "Unknown framework 'EU-XX'; known: EU-SEAP, EU-CR"),
        ({"item": "EU-CR-99"}, "item", "Framework 'EU-CR' has no item 'EU-CR-99'"),
        (
            {"code": "social-procurement/sp-o1/nope"},
            "code",
            "Plan 'torino' has no element of kind 'action' with the code 'social-procurement/sp-o1/nope'",
        ),
        ({"code": "sp-s1"}, "code", "write codes as 'theme/objective/action'"),
        ({"code": None, "id": 999999}, "id", "The id 999999 matches no element of kind 'action'"),
        ({"id": 1}, "id", "Give the element's id or its code, one of them"),
        ({"code": None}, "id", "Give the element's id or its code, one of them"),
        ({"plan": "nowhere"}, "plan", "No plan has the slug 'nowhere'"),
        ({"element": "tool"}, "element", "Input should be 'plan', 'theme', 'objective' or 'action'"),
        ({"framework": None}, "framework", "Input should be a valid string"),
        ({"note": "x"}, "note", "Extra inputs are not permitted"),
        ({"note_it": "a\x00b"}, "note_it", "should match pattern"),
        ({"item": "EU CR 1"}, "item", "should match pattern"),
        ({"id": 0, "code": None}, "id", "greater than or equal to 1"),
    ],
)
def test_bad_links_are_a_422_naming_the_field(torino: Plan, roles, change: dict[str, Any], field: str, words: str):
    before = snapshot()

    response = post(client_for(roles.editor), {**NEW_LINK, **change})

    body = response.json()
    assert response.status_code == 422, body
    assert words in body["detail"]
    assert any(field in error["loc"] for error in body["errors"]), body
    assert snapshot() == before


@pytest.mark.parametrize(("role", "status"), [("coordinator", 403), ("member", 403), ("participant", 403)])
def test_only_the_plan_office_writes_links(torino: Plan, roles, role: str, status: int) -> None:
    link = Alignment.objects.filter(theme__code="social-procurement").order_by("pk")[0]
    before = snapshot()

    created = post(client_for(getattr(roles, role)), NEW_LINK)
    deleted = client_for(getattr(roles, role)).delete(f"{API}/{link.pk}")

    for response in (created, deleted):
        assert response.status_code == status
        assert "Only the plan office" in response.json()["detail"]
    assert snapshot() == before


def test_anonymous_clients_are_told_to_log_in(torino: Plan) -> None:
    link = Alignment.objects.order_by("pk")[0]
    before = snapshot()
    client = Client(enforce_csrf_checks=True)

    assert (post(client, NEW_LINK).status_code, client.delete(f"{API}/{link.pk}").status_code) == (401, 401)
    assert snapshot() == before


def test_a_logged_in_user_needs_the_csrf_token(torino: Plan, roles) -> None:
    link = Alignment.objects.order_by("pk")[0]
    before = snapshot()
    client = client_for(roles.editor, enforce_csrf_checks=True)

    for response in (post(client, NEW_LINK), client.delete(f"{API}/{link.pk}")):
        assert (response.status_code, response.json()) == (403, {"detail": "CSRF check Failed"})
    assert snapshot() == before

    client.get("/api/v1/docs")  # sets the CSRF cookie
    assert post(client, NEW_LINK, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value).status_code == 201


def test_the_office_removes_a_link(torino: Plan, roles) -> None:
    theme = Theme.objects.get(plan=torino, code="social-procurement")
    link = Alignment.objects.filter(theme=theme).order_by("pk")[0]

    response = client_for(roles.editor).delete(f"{API}/{link.pk}")

    assert response.status_code == 204
    assert not Alignment.objects.filter(pk=link.pk).exists()
    record = history().filter(id=link.pk).first()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "-",
        roles.editor,
        "Alignment removed",
    )


@pytest.mark.parametrize(("path", "status"), [("999999", 404), ("0", 422), ("first", 422), (str(2**63), 422)])
def test_unknown_and_malformed_link_ids(torino: Plan, roles, path: str, status: int) -> None:
    before = snapshot()
    response = client_for(roles.editor).delete(f"{API}/{path}")
    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "No alignment with identifier 999999."}
    assert snapshot() == before


def test_a_body_that_is_not_json_is_a_400(torino: Plan, roles) -> None:
    before = snapshot()
    assert post(client_for(roles.editor), "{not json").status_code == 400
    assert snapshot() == before
