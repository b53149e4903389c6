"""The plan's versions in the open-data API: the list, a version with its changelog, the diff of two."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socialplan.ecosystem.models import Organization
from socialplan.plan.models import Action, Objective, Plan
from socialplan.plan.services import ChangeReason, add_changelog_source, publish_version

SP_S1 = "social-procurement/sp-o1/sp-s1"


@pytest.fixture
def two_versions(torino: Plan, roles) -> Plan:
    publish_version(plan=torino, user=roles.editor, summary_it="Prima versione", summary_en="First version")
    Action.objects.filter(code="sp-s1").update(status=Action.Status.IN_PROGRESS, title_en="Promote social procurement")
    Action.objects.create(objective=Objective.objects.get(code="sp-o1"), code="sp-s9", order=9, title_it="Nuova")
    version = publish_version(
        plan=torino,
        user=roles.editor,
        summary_it="Seconda versione",
        reasons={f"action:{SP_S1}": ChangeReason(it="Avviata", en="Started")},
    )
    add_changelog_source(entry=version.changelog.get(element_key=SP_S1), label="Evento pubblico", url="https://e.org")
    return torino


def get_json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()


def test_the_versions_are_listed_newest_first_with_their_change_counts(client, two_versions):
    page = get_json(client, "/api/v1/plans/torino/versions")
    assert page["count"] == 2
    assert [(item["number"], item["change_count"]) for item in page["items"]] == [(2, 2), (1, 0)]
    assert page["items"][1]["summary_en"] == "First version" and page["items"][0]["plan"] == "torino"


def test_a_version_carries_its_changelog_with_reasons_and_sources(client, two_versions):
    version = get_json(client, "/api/v1/plans/torino/versions/2")
    changed, added = version["changelog"]
    assert (changed["change"], changed["element_kind"], changed["element_key"]) == ("changed", "action", SP_S1)
    assert changed["changed_fields"] == ["title_en", "status"]
    assert (changed["reason_it"], changed["reason_en"]) == ("Avviata", "Started")
    assert changed["sources"] == [
        {"label": "Evento pubblico", "url": "https://e.org", "contribution_type": None, "contribution_id": None}
    ]
    assert (added["change"], added["title_it"], added["reason_it"]) == ("added", "Nuova", "")


def test_the_diff_lists_field_level_changes_between_any_two_versions(client, two_versions):
    diff = get_json(client, "/api/v1/plans/torino/diff?from=1&to=2")
    assert (diff["from_version"], diff["to_version"]) == (1, 2)
    changed, added = diff["differences"]
    assert {field["field"]: (field["old"], field["new"]) for field in changed["fields"]} == {
        "title_en": (changed["fields"][0]["old"], "Promote social procurement"),
        "status": ("planned", "in_progress"),
    }
    assert added["change"] == "added" and added["element_key"] == "social-procurement/sp-o1/sp-s9"

    backwards = get_json(client, "/api/v1/plans/torino/diff?from=2&to=1")
    assert [item["change"] for item in backwards["differences"]] == ["changed", "removed"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/plans/milano/versions", 404),
        ("/api/v1/plans/torino/versions/3", 404),
        ("/api/v1/plans/torino/versions/0", 422),
        ("/api/v1/plans/torino/versions/99999999999999999999", 422),
        ("/api/v1/plans/torino/diff?from=1&to=7", 404),
        ("/api/v1/plans/torino/diff?from=1", 422),
        ("/api/v1/plans/torino/diff?from=uno&to=2", 422),
    ],
)
def test_unknown_versions_and_bad_numbers_are_clear_errors(client, two_versions, url, status):
    assert "detail" in get_json(client, url, status=status)


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        get_json(client, url)
    return len(queries)


def test_version_reads_cost_the_same_queries_whatever_the_changelog(client, two_versions, roles):
    """One query per kind of contribution linked, never one per source."""
    urls = ["/api/v1/plans/torino/versions", "/api/v1/plans/torino/versions/2", "/api/v1/plans/torino/diff?from=1&to=2"]
    first, second = two_versions.versions.get(number=2).changelog.all()
    add_changelog_source(entry=first, contribution=roles.member)
    add_changelog_source(entry=first, contribution=Organization.objects.get())
    before = [count_queries(client, url) for url in urls]
    for user in (roles.participant, roles.coordinator, roles.editor):
        add_changelog_source(entry=second, contribution=user)
    add_changelog_source(entry=second, contribution=Organization.objects.create(legal_name="Coop Due"))
    assert [count_queries(client, url) for url in urls] == before
