"""Every API list and detail costs the same number of queries at ten times the data.

The data grows by loading copies of the Turin plan (each with two tools
under every action); the page is asked for with a limit large
enough to hold every item, so a query per item (an N+1) would show.
"""

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socialplan.plan.models import Action, Milestone, Objective, Plan, Promoter, Theme, Tool, VisionPillar
from socialplan.plan.services import load_plan_content, read_plan_content


def load_copies(*, start: int, stop: int) -> None:
    """Load copies number start..stop-1 of the Turin plan, with two tools under every action."""
    for number in range(start, stop):
        content = copy.deepcopy(read_plan_content("torino"))
        content["plan"]["slug"] = f"copy-{number}"
        for theme in content["themes"]:
            for objective in theme.get("objectives", []):
                for action in objective["actions"]:
                    action["tools"] = [
                        {"code": f"tool-{n}", "title_it": f"Strumento {n}", "title_en": f"Tool {n}"} for n in (1, 2)
                    ]
        load_plan_content(content=content)


def measure(client: Client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/plans",
        "/api/v1/themes",
        "/api/v1/objectives",
        "/api/v1/actions",
        "/api/v1/tools",
        "/api/v1/phases",
        "/api/v1/references",
    ],
)
def test_list_costs_the_same_queries_at_ten_times_the_data(client: Client, url: str) -> None:
    load_copies(start=0, stop=1)
    small_queries, small_page = measure(client, f"{url}?limit=200")
    load_copies(start=1, stop=10)
    large_queries, large_page = measure(client, f"{url}?limit=200")

    assert small_page["count"] > 0
    assert large_page["count"] == 10 * small_page["count"]
    assert len(large_page["items"]) == large_page["count"]
    assert large_queries == small_queries
    # The page (count + items) never needs more than a handful of queries.
    assert large_queries <= 3


def grow_plan(plan: Plan) -> None:
    for n in range(10):
        Promoter.objects.create(plan=plan, code=f"promoter-{n}", name_it=f"Promotore {n}")
        VisionPillar.objects.create(plan=plan, code=f"pillar-{n}", title_it=f"Pilastro {n}")


def grow_theme(theme: Theme) -> None:
    for n in range(10):
        Objective.objects.create(theme=theme, code=f"extra-{n}", title_it=f"Obiettivo {n}")


def grow_objective(objective: Objective) -> None:
    for n in range(10):
        Action.objects.create(objective=objective, code=f"extra-{n}", title_it=f"Azione {n}")


def grow_action(action: Action) -> None:
    for n in range(10):
        Tool.objects.create(action=action, code=f"extra-{n}", title_it=f"Strumento {n}")
        Milestone.objects.create(action=action, title_it=f"Tappa {n}", due_date=date(2026, 1, n + 1))


DETAILS: list[tuple[str, Callable[[Plan], Any], Callable[[Any], None], str]] = [
    ("/api/v1/plans/{}", lambda plan: plan, grow_plan, "pillars"),
    ("/api/v1/themes/{}", lambda plan: plan.themes.get(code="social-procurement"), grow_theme, "objectives"),
    (
        "/api/v1/objectives/{}",
        lambda plan: Objective.objects.get(theme__plan=plan, code="sp-o1"),
        grow_objective,
        "actions",
    ),
    (
        "/api/v1/actions/{}",
        lambda plan: Action.objects.get(objective__theme__plan=plan, code="sp-s1"),
        grow_action,
        "tools",
    ),
]


@pytest.mark.parametrize(("url", "pick", "grow", "children"), DETAILS, ids=[detail[3] for detail in DETAILS])
def test_detail_costs_the_same_queries_with_ten_more_children(
    client: Client, torino: Plan, url: str, pick: Callable[[Plan], Any], grow: Callable[[Any], None], children: str
) -> None:
    item = pick(torino)
    key = getattr(item, "slug", None) or item.pk
    before_queries, before = measure(client, url.format(key))
    grow(item)
    after_queries, after = measure(client, url.format(key))

    assert len(after[children]) == len(before[children]) + 10
    assert after_queries == before_queries
