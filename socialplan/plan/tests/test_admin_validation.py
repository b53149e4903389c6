"""The back office refuses inconsistent plan content with a clear message."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from socialplan.plan.models import Action, Milestone, Objective


@pytest.fixture
def editor_client(roles) -> Client:
    client = Client()
    client.force_login(roles.editor)
    return client


def add_action_url_in_english() -> str:
    with override("en"):
        return reverse("admin:plan_action_add")


def action_form(objective: Objective, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "objective": objective.pk,
        "code": "new-action",
        "order": 1,
        "title_it": "Nuova azione",
        "status": Action.Status.PLANNED,
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        "weight": "1",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
        "tools-TOTAL_FORMS": "0",
        "tools-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2024-12-31"}, "end_date", "The end date cannot precede the start date."),
        ({"weight": "-1"}, "weight", "The weight cannot be negative."),
    ],
)
def test_inconsistent_action_is_refused(editor_client, torino, overrides, field, message) -> None:
    objective = Objective.objects.get(code="sp-o1")
    response = editor_client.post(add_action_url_in_english(), action_form(objective, **overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any(message in error for error in errors[field]) or message in str(errors)
    assert not Action.objects.filter(code="new-action").exists()


def test_milestone_outside_the_action_dates_is_refused(editor_client, torino) -> None:
    objective = Objective.objects.get(code="sp-o1")
    data = action_form(objective) | {
        "milestones-TOTAL_FORMS": "1",
        "milestones-0-title_it": "Tappa fuori periodo",
        "milestones-0-due_date": "2026-03-01",
        "milestones-0-order": "0",
    }
    response = editor_client.post(add_action_url_in_english(), data)
    assert response.status_code == 200
    milestone_errors = response.context["inline_admin_formsets"][0].formset.errors
    assert milestone_errors == [{"due_date": ["The milestone must fall within the action's dates."]}]
    assert not Action.objects.filter(code="new-action").exists()
    assert not Milestone.objects.exists()


def test_consistent_action_with_a_milestone_is_saved(editor_client, torino) -> None:
    objective = Objective.objects.get(code="sp-o1")
    data = action_form(objective) | {
        "milestones-TOTAL_FORMS": "1",
        "milestones-0-title_it": "Tappa",
        "milestones-0-due_date": "2025-06-30",
        "milestones-0-order": "0",
    }
    response = editor_client.post(reverse("admin:plan_action_add"), data)
    assert response.status_code == 302
    action = Action.objects.get(code="new-action")
    assert action.milestones.get().due_date == date(2025, 6, 30)
