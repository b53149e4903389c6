"""The open-data API serves the real Turin plan, in both languages, page by page.

Counts come from the plan content file (socialplan/plan/content/torino.yaml):
8 themes (6 macro-themes, 2 cross-cutting elements), social procurement
with 3 objectives and 3 actions, 6 process phases, 6 context references.
"""

from datetime import date
from typing import Any

import pytest
from django.test import Client

from socialplan.plan.models import Action, Milestone, Plan, Theme, Tool

pytestmark = pytest.mark.usefixtures("torino")


def get_json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def test_plan_list_and_detail_show_the_turin_plan_with_promoters_and_pillars(client: Client) -> None:
    plans = get_json(client, "/api/v1/plans")
    assert plans["count"] == 1
    assert plans["items"][0]["slug"] == "torino"

    plan = get_json(client, "/api/v1/plans/torino")
    assert plan["title_it"] == "Piano Metropolitano per l'Economia Sociale"
    assert plan["title_en"] == "Metropolitan Plan for the Social Economy"
    assert plan["territory_en"] == "Metropolitan City of Turin"
    assert plan["municipalities"] == 312
    assert plan["status"] == "implementation"
    assert [promoter["code"] for promoter in plan["promoters"]] == ["cmto", "cciaa-torino"]
    assert [pillar["code"] for pillar in plan["pillars"]] == ["industrial-policy", "multi-actor-partnership", "youth"]
    assert all(pillar["title_it"] and pillar["title_en"] for pillar in plan["pillars"])


def test_themes_are_the_eight_of_the_plan_filtered_by_plan_and_kind(client: Client) -> None:
    themes = get_json(client, "/api/v1/themes?plan=torino")
    assert themes["count"] == 8
    assert themes["items"][1]["code"] == "social-procurement"
    assert themes["items"][1]["title_it"] == "Social procurement"
    assert themes["items"][0]["title_en"] == "Governance and partnership"

    macro = get_json(client, "/api/v1/themes?plan=torino&kind=macro")
    cross_cutting = get_json(client, "/api/v1/themes?kind=cross_cutting")
    assert macro["count"] == 6
    assert [theme["code"] for theme in cross_cutting["items"]] == ["measurement", "communication"]
    assert get_json(client, "/api/v1/themes?plan=elsewhere") == {"items": [], "count": 0}


def test_social_procurement_has_three_objectives_and_three_actions(client: Client) -> None:
    theme = Theme.objects.get(code="social-procurement")

    detail = get_json(client, f"/api/v1/themes/{theme.pk}")
    objectives = get_json(client, f"/api/v1/objectives?theme={theme.pk}")
    actions = get_json(client, f"/api/v1/actions?theme={theme.pk}")

    assert detail["vision_en"].startswith("Foster co-programming")
    assert [objective["code"] for objective in detail["objectives"]] == ["sp-o1", "sp-o2", "sp-o3"]
    assert objectives["count"] == 3
    assert actions["count"] == 3
    assert {action["code"] for action in actions["items"]} == {"sp-s1", "sp-s2", "sp-s3"}
    assert {action["theme_id"] for action in actions["items"]} == {theme.pk}


def test_objective_detail_lists_its_actions_and_actions_filter_by_objective_and_status(client: Client) -> None:
    action = Action.objects.get(code="sp-s3")
    action.status = Action.Status.IN_PROGRESS
    action.save()

    objective = get_json(client, f"/api/v1/objectives/{action.objective_id}")
    by_objective = get_json(client, f"/api/v1/actions?objective={action.objective_id}")
    in_progress = get_json(client, "/api/v1/actions?status=in_progress")

    assert objective["title_en"] == "Make the most of public resources and public assets for social benefit"
    assert [item["code"] for item in objective["actions"]] == ["sp-s3"]
    assert [item["code"] for item in by_objective["items"]] == ["sp-s3"]
    assert [item["code"] for item in in_progress["items"]] == ["sp-s3"]
    assert get_json(client, "/api/v1/actions?status=done")["count"] == 0


def test_action_detail_has_both_languages_milestones_and_tools(client: Client) -> None:
    action = Action.objects.get(code="sp-s3")
    Milestone.objects.create(action=action, title_it="Bando pilota", title_en="Pilot tender", due_date=date(2026, 3, 1))
    tool = Tool.objects.create(
        action=action,
        code="pcp",
        kind=Tool.Kind.LEGAL,
        title_it="Appalto pre-commerciale",
        title_en="Pre-commercial procurement",
    )

    detail = get_json(client, f"/api/v1/actions/{action.pk}")

    assert detail["description_it"].startswith("Oltre al classico approccio al social procurement")
    assert detail["description_en"].startswith("Beyond the classic approach to social procurement")
    assert detail["weight"] == "1.00"
    assert detail["milestones"] == [
        {
            "id": detail["milestones"][0]["id"],
            "order": 0,
            "title_it": "Bando pilota",
            "title_en": "Pilot tender",
            "due_date": "2026-03-01",
            "completed_on": None,
        }
    ]
    assert [item["title_en"] for item in detail["tools"]] == ["Pre-commercial procurement"]
    assert get_json(client, f"/api/v1/tools?action={action.pk}")["items"][0]["kind"] == "legal"
    assert get_json(client, f"/api/v1/tools/{tool.pk}")["title_it"] == "Appalto pre-commerciale"


def test_phases_are_the_six_of_the_process_in_order(client: Client) -> None:
    phases = get_json(client, "/api/v1/phases?plan=torino")

    assert phases["count"] == 6
    assert [phase["code"] for phase in phases["items"]] == [f"phase-{number}" for number in range(1, 7)]
    assert phases["items"][5]["name_en"] == "Phase VI: presentation of the Plan"
    assert phases["items"][0]["start_date"] == "2024-07-01"


def test_references_filter_by_plan_and_level(client: Client) -> None:
    references = get_json(client, "/api/v1/references?plan=torino")
    european = get_json(client, "/api/v1/references?plan=torino&level=eu")

    assert references["count"] == 6
    # Undated frameworks come first, then by date.
    assert references["items"][0]["code"] == "torino-social-impact"
    assert [item["code"] for item in european["items"]] == [
        "eu-social-economy-action-plan",
        "eu-council-recommendation",
    ]
    assert european["items"][0]["title_en"] == "European Commission Social Economy Action Plan"
    assert european["items"][0]["date_precision"] == "year"


def test_limit_and_offset_page_through_a_list_with_its_total_count(client: Client) -> None:
    every_theme = [theme["code"] for theme in get_json(client, "/api/v1/themes")["items"]]

    first = get_json(client, "/api/v1/themes?limit=3")
    second = get_json(client, "/api/v1/themes?limit=3&offset=3")
    last = get_json(client, "/api/v1/themes?limit=3&offset=6")
    beyond = get_json(client, "/api/v1/themes?limit=3&offset=50")

    assert [page["count"] for page in (first, second, last, beyond)] == [8, 8, 8, 8]
    assert [len(page["items"]) for page in (first, second, last, beyond)] == [3, 3, 2, 0]
    paged = [theme["code"] for page in (first, second, last) for theme in page["items"]]
    assert paged == every_theme
    assert len(set(paged)) == 8


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "offset=-1", "limit=many", "offset=9223372036854775808"])
def test_pagination_outside_its_bounds_is_a_422_naming_the_parameter(client: Client, query: str) -> None:
    error = get_json(client, f"/api/v1/actions?{query}", status=422)

    parameter = query.split("=")[0]
    assert error["errors"][0]["loc"] == ["query", parameter]
    assert f"query.{parameter}" in error["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/plans/milano",
        "/api/v1/themes/999999",
        "/api/v1/objectives/999999",
        "/api/v1/actions/999999",
        "/api/v1/tools/999999",
        "/api/v1/actions/9223372036854775807",
    ],
)
def test_unknown_identifiers_are_a_json_404(client: Client, url: str) -> None:
    error = get_json(client, url, status=404)

    assert error["detail"].startswith("No ")
    assert url.rsplit("/", 1)[1] in error["detail"]


@pytest.mark.parametrize(
    "url", ["/api/v1/themes/social", "/api/v1/actions/1.5", "/api/v1/objectives/%20", "/api/v1/tools/1e3"]
)
def test_non_integer_identifiers_are_a_json_422(client: Client, url: str) -> None:
    error = get_json(client, url, status=422)

    assert error["errors"][0]["loc"][0] == "path"
    assert "valid integer" in error["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/actions/0",
        "/api/v1/themes/-3",
        # Beyond the database's 64-bit keys: refused before any query (SQLite would fail on it).
        "/api/v1/objectives/9223372036854775808",
        "/api/v1/tools?action=-28716493971939808772096",
        "/api/v1/actions?theme=99999999999999999999999",
        # Not a slug: PostgreSQL would refuse the NUL character.
        "/api/v1/plans/a%00b",
        "/api/v1/themes?plan=a%00b",
        "/api/v1/phases?plan=torino%20",
    ],
)
def test_identifiers_the_database_cannot_hold_are_a_422(client: Client, url: str) -> None:
    error = get_json(client, url, status=422)

    assert " should " in error["detail"]


@pytest.mark.parametrize(
    "url", ["/api/v1/themes?kind=micro", "/api/v1/actions?status=finished", "/api/v1/references?level=regional"]
)
def test_unknown_filter_values_are_a_422_listing_the_valid_ones(client: Client, url: str) -> None:
    error = get_json(client, url, status=422)

    assert error["errors"][0]["loc"][0] == "query"
    assert "Input should be" in error["detail"]


def test_english_left_empty_is_null_not_the_italian_text(client: Client, torino: Plan) -> None:
    Theme.objects.filter(plan=torino, code="governance").update(summary_it="Sintesi", summary_en=None)

    governance = get_json(client, "/api/v1/themes?plan=torino&limit=1")["items"][0]

    assert governance["summary_it"] == "Sintesi"
    assert governance["summary_en"] is None
