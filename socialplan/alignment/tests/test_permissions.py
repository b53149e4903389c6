"""The permission matrix of the alignment: every role x the back office's views and the rules themselves.

The plan office links any element; a theme coordinator (social procurement
in the `roles` fixture) only the elements under their theme, never the plan
itself; frameworks are read-only but for platform admins; organization
members, participants and anonymous visitors never enter.
"""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from socialplan.alignment.models import Alignment, Framework, FrameworkItem
from socialplan.plan.models import Plan

ROLES = ("admin", "editor", "coordinator", "member", "participant", "anonymous")
OFFICE = {"admin", "editor"}
STAFF_COORDINATOR = OFFICE | {"coordinator"}


@pytest.fixture
def objects(roles, torino: Plan) -> dict[str, Any]:
    """An alignment of the plan, one under the coordinator's theme (an action's), one under another theme."""
    return {
        "plan_alignment": Alignment.objects.get(plan=torino, item__code="EU-CR-3.1"),
        "own_alignment": Alignment.objects.get(action__code="sp-s1", item__code="12.7"),
        "other_alignment": Alignment.objects.get(theme__code="communication", item__code="EU-CR-2.9"),
        "framework": Framework.objects.get(code="EU-CR"),
        "item": FrameworkItem.objects.get(code="EU-CR-2.6"),
    }


# object -> roles that may change it; roles that may view it
CHANGE_MATRIX = {
    "plan_alignment": OFFICE,
    "own_alignment": STAFF_COORDINATOR,
    "other_alignment": OFFICE,
    "framework": {"admin"},
    "item": {"admin"},
}
VIEW_MATRIX = {**CHANGE_MATRIX, "framework": STAFF_COORDINATOR, "item": STAFF_COORDINATOR}


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
    """200 is allowed; 403, or a redirect (to the login page, or away from an object out of scope) is denied."""
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 403), response.status_code
    return False


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", CHANGE_MATRIX)
def test_rules(roles, objects, role: str, key: str) -> None:
    user, instance = getattr(roles, role) or AnonymousUser(), objects[key]
    opts = instance._meta
    assert user.has_perm(f"alignment.change_{opts.model_name}", instance) is (role in CHANGE_MATRIX[key])
    assert user.has_perm(f"alignment.delete_{opts.model_name}", instance) is (role in CHANGE_MATRIX[key])
    assert user.has_perm(f"alignment.view_{opts.model_name}", instance) is (role in VIEW_MATRIX[key])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", CHANGE_MATRIX)
def test_change_view(roles, objects, role: str, key: str) -> None:
    """Those who may change see the form; those who may only view it see it read-only; the others are turned away."""
    response = client_for(roles, role).get(admin_url(objects[key], "change"))
    assert is_allowed(response) is (role in VIEW_MATRIX[key])
    if is_allowed(response):
        assert response.context["has_change_permission"] is (role in CHANGE_MATRIX[key])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("model", "may_add"), [(Alignment, STAFF_COORDINATOR), (Framework, {"admin"}), (FrameworkItem, {"admin"})]
)
def test_list_and_add_views(roles, objects, role: str, model: type, may_add: set[str]) -> None:
    client = client_for(roles, role)
    assert is_allowed(client.get(admin_url(model, "changelist"))) is (role in STAFF_COORDINATOR)
    assert is_allowed(client.get(admin_url(model, "add"))) is (role in may_add)


def test_coordinator_lists_only_their_themes_alignments(roles, objects) -> None:
    page = client_for(roles, "coordinator").get(admin_url(Alignment, "changelist")).content.decode()
    assert admin_url(objects["own_alignment"], "change") in page
    assert admin_url(objects["other_alignment"], "change") not in page
    assert admin_url(objects["plan_alignment"], "change") not in page


def test_coordinator_links_an_element_of_their_theme_and_the_history_says_who(roles, objects) -> None:
    action = objects["own_alignment"].action
    data = {"item": objects["item"].pk, "action": action.pk, "note_it": "Aiuti di Stato", "note_en": ""}
    response = client_for(roles, "coordinator").post(admin_url(Alignment, "add"), data)
    assert response.status_code == 302
    alignment = Alignment.objects.get(action=action, item=objects["item"])
    assert alignment.history.latest().history_user == roles.coordinator


@pytest.mark.parametrize("element", ["theme", "plan"])
def test_coordinator_cannot_link_another_theme_or_the_plan(roles, objects, element: str) -> None:
    target = objects["other_alignment"].theme if element == "theme" else objects["plan_alignment"].plan
    data = {"item": objects["item"].pk, element: target.pk, "note_it": "", "note_en": ""}
    response = client_for(roles, "coordinator").post(admin_url(Alignment, "add"), data)
    assert response.status_code == 200
    assert element in response.context["adminform"].form.errors
    assert not Alignment.objects.filter(item=objects["item"]).exists()


def test_an_alignment_names_exactly_one_element(roles, objects) -> None:
    data = {"item": objects["item"].pk, "note_it": "", "note_en": ""}
    response = client_for(roles, "editor").post(admin_url(Alignment, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Scegli un solo elemento: il piano, un tema, un obiettivo o un'azione."
    ]
    assert not Alignment.objects.filter(item=objects["item"]).exists()


def test_editors_cannot_change_a_framework(roles, objects) -> None:
    item = objects["item"]
    data = {"framework": item.framework_id, "code": item.code, "order": 1, "title_it": "Cambiato", "verified": "on"}
    client_for(roles, "editor").post(admin_url(item, "change"), data)
    item.refresh_from_db()
    assert item.title_it != "Cambiato"


def test_an_element_is_linked_to_an_item_once(roles, objects) -> None:
    existing = objects["own_alignment"]
    data = {"item": existing.item_id, "action": existing.action_id, "note_it": "", "note_en": ""}
    response = client_for(roles, "editor").post(admin_url(Alignment, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["Questo elemento è già collegato a questa voce."]
    assert Alignment.objects.filter(item=existing.item, action=existing.action).count() == 1
