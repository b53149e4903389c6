"""The back office of monitoring: every role x every admin view, and the review actions.

The plan office manages every indicator; the coordinator (of social
procurement, in the `roles` fixture) only those under their theme; members,
participants, reporters and anonymous visitors never enter. Updates are
read-only there and reviewed with actions that call the services.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from socialplan.monitoring.models import Dimension, Indicator, Period, Update
from socialplan.monitoring.services import Report, create_draft, submit_update

from .conftest import H1_2025, H2_2025

ROLES = ("admin", "editor", "coordinator", "member", "participant", "anonymous", "reporter")
OFFICE = {"admin", "editor"}
MANAGERS = OFFICE | {"coordinator"}


def client_for(roles, reporter, role: str) -> Client:
    client = Client()
    user = reporter if role == "reporter" else getattr(roles, role)
    if user is not None:
        client.force_login(user)
    return client


def admin_url(instance_or_model: Any, view: str) -> str:
    opts = instance_or_model._meta
    args = [instance_or_model.pk] if view in ("change", "delete", "history") else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def is_allowed(response) -> bool:
    """200 is allowed; 403, a redirect to the login page or to the admin index (out of scope) is denied."""
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 403), response.status_code
    return False


@pytest.fixture
def objects(torino, hired, reporter) -> dict[str, Any]:
    update = submit_update(
        update=create_draft(indicator=hired, reporter=reporter, on=H1_2025, report=Report(value=3)), reporter=reporter
    )
    other = Indicator.objects.get(plan=torino, code="gov-partners-engaged")
    return {
        "own_indicator": hired,
        "other_indicator": other,
        "plan_indicator": Indicator.objects.get(plan=torino, code="plan-new-organizations"),
        "own_period": hired.periods.first(),
        "other_period": Period.objects.create(indicator=other, start=H1_2025, end=H2_2025),
        "own_update": update,
        "dimension": Dimension.objects.get(code="sex"),
    }


# object -> roles that open its change page
VIEW_MATRIX = {
    "own_indicator": MANAGERS,
    "other_indicator": OFFICE,
    "plan_indicator": OFFICE,
    "own_period": MANAGERS,
    "other_period": OFFICE,
    "own_update": MANAGERS,
    "dimension": OFFICE,
}
# object -> roles that may delete it (deleting an indicator is the office's decision; updates never)
DELETE_MATRIX = VIEW_MATRIX | {"own_indicator": OFFICE, "own_update": set()}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", VIEW_MATRIX)
@pytest.mark.django_db
def test_change_and_delete_views(roles, reporter, objects, role: str, key: str) -> None:
    client = client_for(roles, reporter, role)
    assert is_allowed(client.get(admin_url(objects[key], "change"))) is (role in VIEW_MATRIX[key])
    assert is_allowed(client.get(admin_url(objects[key], "delete"))) is (role in DELETE_MATRIX[key])


# model -> (roles that list it, roles that add one)
LIST_ADD_MATRIX = {
    Indicator: (MANAGERS, MANAGERS),
    Period: (MANAGERS, MANAGERS),
    Update: (MANAGERS, set()),
    Dimension: (OFFICE, OFFICE),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", LIST_ADD_MATRIX, ids=lambda model: model.__name__)
@pytest.mark.django_db
def test_list_and_add_views(roles, reporter, objects, role: str, model: type) -> None:
    client = client_for(roles, reporter, role)
    may_list, may_add = LIST_ADD_MATRIX[model]
    assert is_allowed(client.get(admin_url(model, "changelist"))) is (role in may_list)
    assert is_allowed(client.get(admin_url(model, "add"))) is (role in may_add)


@pytest.mark.django_db
def test_a_coordinator_sees_and_chooses_only_their_themes(roles, reporter, objects) -> None:
    client = client_for(roles, reporter, "coordinator")
    page = client.get(admin_url(Indicator, "changelist")).content.decode()
    assert admin_url(objects["own_indicator"], "change") in page
    assert admin_url(objects["other_indicator"], "change") not in page
    form = client.get(admin_url(Indicator, "add")).context["adminform"].form
    assert {theme.code for theme in form.fields["theme"].queryset} == {"social-procurement"}
    response = client.post(
        admin_url(Indicator, "add"),
        {"plan": objects["own_indicator"].plan_id, "code": "plan-wide", "title_it": "Sul piano", "unit_it": "n",
         "measure": "number", "direction": "increase", "scale": 100, "order": 0,
         "indicator_dimensions-TOTAL_FORMS": 0, "indicator_dimensions-INITIAL_FORMS": 0,
         "levels-TOTAL_FORMS": 0, "levels-INITIAL_FORMS": 0, "periods-TOTAL_FORMS": 0, "periods-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Choose a theme, an objective or an action under your themes" in response.content.decode()
    assert not Indicator.objects.filter(code="plan-wide").exists()


@pytest.mark.django_db
def test_updates_are_filtered_by_status(roles, reporter, objects) -> None:
    client = client_for(roles, reporter, "editor")
    submitted = client.get(admin_url(Update, "changelist"), {"status__exact": "submitted"}).content.decode()
    approved = client.get(admin_url(Update, "changelist"), {"status__exact": "approved"}).content.decode()
    assert admin_url(objects["own_update"], "change") in submitted
    assert admin_url(objects["own_update"], "change") not in approved


@pytest.mark.django_db
def test_approving_from_the_list(roles, reporter, objects) -> None:
    update = objects["own_update"]
    response = client_for(roles, reporter, "coordinator").post(
        admin_url(Update, "changelist"), {"action": "approve_selected", "_selected_action": [update.pk]}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.reviewed_by) == (Update.Status.APPROVED, roles.coordinator)
    assert update.history.latest().history_change_reason == "Approved"


@pytest.mark.django_db
def test_returning_from_the_list_asks_for_a_note(roles, reporter, objects) -> None:
    update = objects["own_update"]
    client = client_for(roles, reporter, "editor")
    selection = {"action": "return_selected", "_selected_action": [update.pk]}
    page = client.post(admin_url(Update, "changelist"), selection)
    assert page.status_code == 200 and "Review note" in page.content.decode()
    empty = client.post(admin_url(Update, "changelist"), selection | {"apply": "1", "note": ""})
    assert empty.status_code == 200
    update.refresh_from_db()
    assert update.status == Update.Status.SUBMITTED
    done = client.post(admin_url(Update, "changelist"), selection | {"apply": "1", "note": "Manca la fonte."})
    assert done.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.review_note) == (Update.Status.RETURNED, "Manca la fonte.")


@pytest.mark.django_db
def test_a_refused_review_is_reported_not_applied(roles, reporter, objects) -> None:
    """The reviewer's own update: the service refuses, the list says why."""
    update = objects["own_update"]
    update.reporter = roles.editor
    update.save()
    response = client_for(roles, reporter, "editor").post(
        admin_url(Update, "changelist"), {"action": "approve_selected", "_selected_action": [update.pk]}, follow=True
    )
    assert "Nobody reviews an update they reported" in response.content.decode()
    update.refresh_from_db()
    assert update.status == Update.Status.SUBMITTED
