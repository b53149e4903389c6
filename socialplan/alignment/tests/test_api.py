"""The alignment in the open-data API: frameworks with items, the plan's links, and its coverage."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialplan.alignment.models import Alignment
from socialplan.plan.models import Action, Plan, Theme


def test_frameworks_are_listed_in_both_languages(client, torino: Plan) -> None:
    body = client.get("/api/v1/frameworks").json()
    assert body["count"] == 7
    council = next(framework for framework in body["items"] if framework["code"] == "EU-CR")
    assert council["title_it"].startswith("Raccomandazione del Consiglio")
    assert council["title_en"].startswith("Council Recommendation")
    assert (council["publisher"], council["year"], council["order"]) == ("Council of the European Union", 2023, 2)


def test_a_framework_comes_with_its_items_and_their_parents(client, torino: Plan) -> None:
    response = client.get("/api/v1/frameworks/SDG")
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 186
    target = next(item for item in items if item["code"] == "12.7")
    assert target["parent"] == "12" and target["verified"] is True
    assert target["title_it"].startswith("Promuovere pratiche") and target["title_en"].startswith("Promote public")


def test_an_unknown_framework_is_a_404_naming_the_known_ones(client, torino: Plan) -> None:
    response = client.get("/api/v1/frameworks/EU-XX")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No framework with code 'EU-XX'. Known: EU-SEAP, EU-CR")


def test_alignments_filter_by_framework_and_element(client, torino: Plan) -> None:
    theme = Theme.objects.get(plan=torino, code="social-procurement")
    action = Action.objects.get(objective__theme=theme, code="sp-s1")

    of_council = client.get("/api/v1/alignments", {"framework": "EU-CR", "limit": 100}).json()
    assert of_council["count"] == Alignment.objects.filter(item__framework__code="EU-CR").count() == 12
    of_theme = client.get("/api/v1/alignments", {"theme": theme.pk}).json()["items"]
    assert {link["item"] for link in of_theme} == {"EU-CR-2.5", "EU-SEAP-1.4", "OECD-SSE-5"}
    (link,) = client.get("/api/v1/alignments", {"action": action.pk, "framework": "SDG"}).json()["items"]
    assert link | {"id": 0, "item_id": 0} == {
        "id": 0,
        "framework": "SDG",
        "item": "12.7",
        "item_id": 0,
        "element": "action",
        "plan": "torino",
        "theme_id": None,
        "objective_id": None,
        "action_id": action.pk,
        "note_it": "Criteri sociali ed ecologici negli appalti pubblici.",
        "note_en": "Social and green criteria in public procurement.",
    }
    assert client.get("/api/v1/alignments", {"plan": "altrove"}).json()["count"] == 0


def test_listing_alignments_takes_a_fixed_number_of_queries(client, torino: Plan) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/alignments", {"limit": 100}).status_code == 200
    assert len(queries) <= 3  # the count and the page, with every element and plan joined


def test_coverage_of_the_council_recommendation(client, torino: Plan) -> None:
    response = client.get("/api/v1/coverage", {"framework": "EU-CR"})

    assert response.status_code == 200
    body = response.json()
    assert body["plan"] == "torino"
    (council,) = body["frameworks"]
    assert (council["total"], council["covered"]) == (25, 14)
    assert {"EU-CR-1.4", "EU-CR-2.6", "EU-CR-2.7", "EU-CR-3.2"} <= set(council["not_covered_yet"])
    items = {item["code"]: item for item in council["items"]}
    assert items["EU-CR-2"]["covered"] and items["EU-CR-2"]["covered_by"] == []
    assert items["EU-CR-2.5"]["parent"] == "EU-CR-2"
    assert [cover["element"] for cover in items["EU-CR-2.5"]["covered_by"]] == ["theme", "action"]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"framework": "EU-XX"}, 404, "Unknown framework 'EU-XX'. Known frameworks: EU-SEAP, EU-CR"),
        ({"plan": "altrove"}, 404, "No plan with slug 'altrove'."),
        ({"framework": "EU CR"}, 422, "query.framework: String should match pattern"),
    ],
)
def test_coverage_refuses_an_unknown_code_with_a_clear_message(
    client, torino: Plan, query: dict[str, str], status: int, message: str
) -> None:
    response = client.get("/api/v1/coverage", query)
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert Alignment.objects.count() == 38


def test_coverage_without_any_plan(client, frameworks) -> None:
    body = client.get("/api/v1/coverage", {"framework": "EU-CR"}).json()
    assert body["plan"] is None
    assert body["frameworks"][0]["covered"] == 0
