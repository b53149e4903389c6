"""The permission matrix of the back office: every role x every plan admin view.

A theme coordinator edits their own theme (social procurement in the `roles`
fixture) and nothing else; plan editors edit all plan content but not users;
organization members, participants and anonymous visitors never enter.
"""

from datetime import date
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from socialplan.accounts.models import User
from socialplan.ecosystem.models import Organization
from socialplan.plan.models import (
    Action,
    ChangelogEntry,
    ContextReference,
    Milestone,
    Objective,
    Plan,
    PlanVersion,
    ProcessPhase,
    Theme,
    Tool,
)
from socialplan.plan.services import publish_version

ROLES = ("admin", "editor", "coordinator", "member", "participant", "anonymous")
OFFICE = {"admin", "editor"}
STAFF_COORDINATOR = OFFICE | {"coordinator"}


@pytest.fixture
def objects(roles, torino: Plan) -> dict[str, Any]:
    """One object of every kind inside the coordinator's theme and one outside it."""
    own_theme = Theme.objects.get(plan=torino, code="social-procurement")
    other_theme = Theme.objects.get(plan=torino, code="governance")
    other_objective = Objective.objects.create(theme=other_theme, code="gov-o1", title_it="Obiettivo governance")
    other_action = Action.objects.create(
        objective=other_objective, code="gov-a1", title_it="Azione governance", start_date=date(2025, 1, 1)
    )
    own_action = Action.objects.get(objective__theme=own_theme, code="sp-s1")
    own_action.start_date, own_action.end_date = date(2025, 1, 1), date(2026, 12, 31)
    own_action.save()
    return {
        "plan": torino,
        "phase": ProcessPhase.objects.filter(plan=torino).first(),
        "reference": ContextReference.objects.filter(plan=torino).first(),
        "own_theme": own_theme,
        "other_theme": other_theme,
        "own_objective": own_action.objective,
        "other_objective": other_objective,
        "own_action": own_action,
        "other_action": other_action,
        "own_tool": Tool.objects.create(action=own_action, code="t1", title_it="Strumento"),
        "other_tool": Tool.objects.create(action=other_action, code="t1", title_it="Strumento"),
        "own_milestone": Milestone.objects.create(action=own_action, title_it="Tappa", due_date=date(2025, 6, 1)),
        "other_milestone": Milestone.objects.create(action=other_action, title_it="Tappa", due_date=date(2025, 6, 1)),
        "user": roles.participant,
        "organization": Organization.objects.get(),
    }


# object key -> roles that may change it
CHANGE_MATRIX = {
    "plan": OFFICE,
    "phase": OFFICE,
    "reference": OFFICE,
    "own_theme": STAFF_COORDINATOR,
    "other_theme": OFFICE,
    "own_objective": STAFF_COORDINATOR,
    "other_objective": OFFICE,
    "own_action": STAFF_COORDINATOR,
    "other_action": OFFICE,
    "own_tool": STAFF_COORDINATOR,
    "other_tool": OFFICE,
    "own_milestone": STAFF_COORDINATOR,
    "other_milestone": OFFICE,
    "user": {"admin"},
    "organization": OFFICE,
}

# Coordinators steer their theme but may not delete it.
DELETE_EXCEPTIONS = {"own_theme": OFFICE}

# model -> roles that may open its add page (and its list, but for LIST_EXCEPTIONS)
ADD_MATRIX = {
    Plan: OFFICE,
    ProcessPhase: OFFICE,
    ContextReference: OFFICE,
    Theme: OFFICE,
    Objective: STAFF_COORDINATOR,
    Action: STAFF_COORDINATOR,
    Tool: STAFF_COORDINATOR,
    Milestone: STAFF_COORDINATOR,
    User: {"admin"},
    Organization: OFFICE,
}


# Coordinators see the list of themes (narrowed to theirs) but may not add one.
LIST_EXCEPTIONS = {Theme: STAFF_COORDINATOR}


def client_for(roles, role: str) -> Client:
    client = Client()
    user = getattr(roles, role)
    if user is not None:
        client.force_login(user)
    return client


def admin_url(instance_or_model: Any, view: str) -> str:
    opts = instance_or_model._meta
    args = [instance_or_model.pk] if view in ("change", "delete", "history") else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def is_allowed(response) -> bool:
    """200 is allowed; 403, a redirect to the login page, or to the admin index
    (an object outside the user's scope does not exist for them) is denied."""
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 403), response.status_code
    return False


def change_form_data(instance: Any) -> dict[str, Any]:
    """The POST body of the admin change form for `instance`, with a changed title."""
    data = {}
    for name, value in model_to_dict(instance).items():
        if value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = getattr(value, "pk", value)
    if "title_it" in data:
        data["title_it"] = "Titolo modificato"
    for prefix in ("milestones", "tools", "promoters", "pillars", "memberships"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    if isinstance(instance, Action):
        data["milestones-INITIAL_FORMS"] = "0"
    return data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", CHANGE_MATRIX)
def test_change_view(roles, objects, role: str, key: str) -> None:
    instance = objects[key]
    client = client_for(roles, role)
    expected = role in CHANGE_MATRIX[key]
    assert is_allowed(client.get(admin_url(instance, "change"))) is expected
    may_delete = role in DELETE_EXCEPTIONS.get(key, CHANGE_MATRIX[key])
    assert is_allowed(client.get(admin_url(instance, "delete"))) is may_delete


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", ADD_MATRIX, ids=lambda m: m.__name__)
def test_list_and_add_views(roles, objects, role: str, model: type) -> None:
    client = client_for(roles, role)
    expected = role in ADD_MATRIX[model]
    may_list = role in LIST_EXCEPTIONS.get(model, ADD_MATRIX[model])
    assert is_allowed(client.get(admin_url(model, "changelist"))) is may_list
    assert is_allowed(client.get(admin_url(model, "add"))) is expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", ["own_theme", "other_theme", "own_objective", "other_objective", "own_action"])
def test_posting_a_change(roles, objects, role: str, key: str) -> None:
    """Allowed roles change the title and the history says who; denied roles change nothing."""
    instance = objects[key]
    response = client_for(roles, role).post(admin_url(instance, "change"), change_form_data(instance))
    instance.refresh_from_db()
    if role in CHANGE_MATRIX[key]:
        assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
        assert instance.title_it == "Titolo modificato"
        assert instance.history.latest().history_user == getattr(roles, role)
    else:
        assert response.status_code in (302, 403)
        assert instance.title_it != "Titolo modificato"


def test_coordinator_lists_only_their_theme(roles, objects) -> None:
    client = client_for(roles, "coordinator")
    page = client.get(admin_url(Objective, "changelist")).content.decode()
    assert admin_url(objects["own_objective"], "change") in page
    assert admin_url(objects["other_objective"], "change") not in page


def test_coordinator_cannot_attach_an_objective_to_another_theme(roles, objects) -> None:
    client = client_for(roles, "coordinator")
    data = {"theme": objects["other_theme"].pk, "code": "x", "title_it": "Intruso", "order": 0}
    response = client.post(admin_url(Objective, "add"), data)
    assert response.status_code == 200
    assert "theme" in response.context["adminform"].form.errors
    assert not Objective.objects.filter(code="x").exists()


def test_coordinator_cannot_reassign_their_theme(roles, objects) -> None:
    theme = objects["own_theme"]
    data = change_form_data(theme) | {"coordinators": [], "kind": Theme.Kind.CROSS_CUTTING}
    client_for(roles, "coordinator").post(admin_url(theme, "change"), data)
    theme.refresh_from_db()
    assert theme.kind == Theme.Kind.MACRO
    assert theme.coordinators.filter(pk=roles.coordinator.pk).exists()


# Versions: only the plan office publishes and explains changes; a published version is read-only for
# everyone, and changelog entries are neither added nor deleted by hand.


@pytest.fixture
def version_2(roles, objects) -> PlanVersion:
    plan = objects["plan"]
    publish_version(plan=plan, user=roles.editor, summary_it="Prima versione")
    objects["own_action"].title_it = "Titolo rivisto"
    objects["own_action"].save()
    return publish_version(plan=plan, user=roles.editor, summary_it="Seconda versione")


@pytest.mark.parametrize("role", ROLES)
def test_versions_back_office(roles, version_2, role: str) -> None:
    client = client_for(roles, role)
    entry = version_2.changelog.get()
    office = role in OFFICE
    for url in (
        admin_url(PlanVersion, "changelist"),
        admin_url(version_2, "change"),
        admin_url(ChangelogEntry, "changelist"),
        admin_url(entry, "change"),
        reverse("admin:plan_plan_publish", args=[version_2.plan_id]),
    ):
        assert is_allowed(client.get(url)) is office, url
    for url in (admin_url(PlanVersion, "add"), admin_url(version_2, "delete")):
        assert not is_allowed(client.get(url)), url
    for url in (admin_url(ChangelogEntry, "add"), admin_url(entry, "delete")):
        assert not is_allowed(client.get(url)), url


@pytest.mark.parametrize("role", ROLES)
def test_a_published_version_cannot_be_edited_in_the_back_office(roles, version_2, role: str) -> None:
    client = client_for(roles, role)
    page = client.get(admin_url(version_2, "change"))
    assert 'name="_save"' not in page.content.decode()
    client.post(admin_url(version_2, "change"), {"summary_it": "Riscritta", "number": 9})
    version_2.refresh_from_db()
    assert (version_2.number, version_2.summary_it) == (2, "Seconda versione")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_writes_reasons_and_sources(roles, version_2, role: str) -> None:
    entry = version_2.changelog.get()
    data = {
        "reason_it": "Richiesta dal tavolo",
        "reason_en": "Asked by the table",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-label": "Tavolo del 12 marzo",
        "sources-0-url": "https://example.org/tavolo",
        "sources-0-content_type": "",
        "sources-0-object_id": "",
    }
    response = client_for(roles, role).post(admin_url(entry, "change"), data)
    entry.refresh_from_db()
    if role in OFFICE:
        assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
        assert entry.reason_it == "Richiesta dal tavolo" and entry.sources.get().label == "Tavolo del 12 marzo"
        assert entry.history.latest().history_user == getattr(roles, role)
    else:
        assert response.status_code in (302, 403)
        assert entry.reason_it == "" and not entry.sources.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_plan_page_offers_publishing_to_the_office_only(roles, version_2, role: str) -> None:
    response = client_for(roles, role).get(admin_url(version_2.plan, "change"))
    publish = reverse("admin:plan_plan_publish", args=[version_2.plan_id])
    assert (response.status_code == 200 and publish in response.content.decode()) is (role in OFFICE)
