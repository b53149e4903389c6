"""The OpenAPI document is valid, complete, and the API keeps to it.

Open-data users generate clients from /api/v1/openapi.json: it must be a
valid OpenAPI document, declare every status an operation answers, and
carry every translated field in both languages. schemathesis then sends
generated GET requests to the application in-process and checks that none
answers 5xx and every answer matches the declared schema.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from modeltranslation.translator import translator
from openapi_spec_validator import validate

from socialplan.plan.models import (
    Action,
    ContextReference,
    Milestone,
    Objective,
    Plan,
    ProcessPhase,
    Promoter,
    Theme,
    Tool,
    VisionPillar,
)
from socialplan.wsgi import application

OPENAPI_URL = "/api/v1/openapi.json"

# component -> model whose translated fields it must carry in both languages
TRANSLATED_COMPONENTS = {
    "PlanOut": Plan,
    "PromoterOut": Promoter,
    "VisionPillarOut": VisionPillar,
    "ThemeOut": Theme,
    "ObjectiveOut": Objective,
    "ActionOut": Action,
    "MilestoneOut": Milestone,
    "ToolOut": Tool,
    "PhaseOut": ProcessPhase,
    "ReferenceOut": ContextReference,
}


@pytest.fixture
def document(client: Client) -> dict[str, Any]:
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200
    return response.json()


def test_the_openapi_document_is_valid(document: dict[str, Any]) -> None:
    validate(document)


def test_every_operation_declares_the_statuses_it_answers(document: dict[str, Any]) -> None:
    declared = {
        (method.upper(), path): set(operation["responses"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }

    # The open reads; operations for logged-in users (401) are checked below.
    reads = {key for key, statuses in declared.items() if key[0] == "GET" and "401" not in statuses}
    lists = {path for method, path in reads if "{" not in path}
    details = {path for method, path in reads if "{" in path}
    assert lists == {
        f"/api/v1/{name}"
        for name in (
            *("plans", "themes", "objectives", "actions", "tools", "phases", "references"),
            *("organizations", "partnerships", "pledges", "comuni", "comuni/geojson"),
            *("frameworks", "alignments", "coverage", "indicators", "cycles"),
            "opportunities",
            "processes",
        )
    }
    # five of the plan, an organization and its pledges, a framework; a plan's versions, a version, a diff;
    # an indicator; an opportunity, a buyer, an opportunity's ranked organizations; a process, its proposals,
    # a consultation, an opinion conversation, a survey
    assert len(details) == 20
    for path in lists:
        # The coverage report, the indicators and the cycles are of a named plan: an unknown name is a 404.
        of_a_plan = ("/api/v1/coverage", "/api/v1/indicators", "/api/v1/cycles")
        expected = {"200", "404", "422"} if path in of_a_plan else {"200", "422"}
        if path == "/api/v1/processes":  # a plan's few processes, unpaged: nothing to validate
            expected = {"200"}
        assert declared["GET", path] == expected, path
    for path in details:
        assert declared["GET", path] == {"200", "404", "422"}, path
    assert declared["PATCH", "/api/v1/actions/{action_id}"] == {"200", "400", "401", "403", "404", "422"}
    for key, statuses in declared.items():
        if key[0] != "GET" or "401" in statuses:
            assert {"401", "403", "422"} <= statuses, key


def test_errors_have_a_detail_message_schema(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for operations in document["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status.startswith("2"):
                    continue
                reference = response["content"]["application/json"]["schema"]["$ref"]
                error = schemas[reference.rsplit("/", 1)[1]]
                assert error["properties"]["detail"]["type"] == "string"
                assert "detail" in error["required"]


@pytest.mark.parametrize(("component", "model"), TRANSLATED_COMPONENTS.items())
def test_every_translated_field_is_published_in_both_languages(
    document: dict[str, Any], component: str, model: type
) -> None:
    properties = document["components"]["schemas"][component]["properties"]
    translated = translator.get_options_for_model(model).all_fields

    for field in translated:
        assert {f"{field}_it", f"{field}_en"} <= set(properties), f"{component}.{field}"


# Loaded at collection: the document needs no database. (schemathesis's lazy
# `from_fixture` loader relies on a pytest internal that pytest 9 removed.)
schema = schemathesis.openapi.from_wsgi(OPENAPI_URL, application).include(method="GET")


@pytest.fixture
def wsgi_keeps_the_test_connection() -> Iterator[None]:
    """Keep the test's database connection open across in-process WSGI requests.

    Unlike Django's test Client, a plain WSGI call fires close_old_connections
    at the end of each request; inside the test's transaction that closes the
    connection (PostgreSQL; SQLite's in-memory test database survives it).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Real content, so that ids and slugs can hit it.
@pytest.mark.usefixtures("torino", "wsgi_keeps_the_test_connection")
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_get_answers_without_server_error_and_within_its_schema(case: Any) -> None:
    case.call_and_validate()
