"""Reporting and review through the API: the whole flow, who may do what, and bad input refused.

Every request goes through the test client with a real login. A refused
request answers the status and the message naming the field, and writes
nothing (`snapshot` holds every row the reporting flow writes, with its
history).
"""

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.ecosystem.models import Membership, Organization
from socialplan.monitoring.models import Indicator, Period, Update
from socialplan.monitoring.services import BreakdownEntry, Report, create_draft, set_period_locked

from .conftest import H1_2025, H2_2025
from .factories import approved
from .test_bad_input import snapshot

API = "/api/v1"
HIRED = f"{API}/indicators/sp-disadvantaged-hired"
FOURTEEN: dict[str, Any] = {
    "value": 14,
    "breakdown": [
        {"dimension": "sex", "category": "female", "value": 8},
        {"dimension": "sex", "category": "male", "value": 6},
    ],
    "narrative": "Assunzioni del primo semestre.\nDati dei centri per l'impiego.",
}


def client_for(user: User | None, **options: Any) -> Client:
    """A client that reads messages in English (the site's default is Italian)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **options)
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, method: str, path: str, body: Any = None, **headers: Any) -> Any:
    """A JSON request; without `body`, an empty one (as a client sends a POST without data)."""
    if method == "get":
        return client.get(path, **headers)
    data = body if isinstance(body, str) else "" if body is None else json.dumps(body)
    return getattr(client, method)(path, data=data, content_type="application/json", **headers)


def refused(response: Any, status: int, field: str | None, words: str) -> None:
    body = response.json()
    assert response.status_code == status, body
    assert words in body["detail"], body
    if field is not None:
        assert any(field in error["loc"] for error in body["errors"]), body


@pytest.fixture
def office(roles) -> User:
    """A coordinator of social procurement: manages the indicators of the `hired` and `clauses` fixtures."""
    return roles.coordinator


def draft(indicator: Indicator, reporter: User, day: date = H1_2025, **report: Any) -> Update:
    return create_draft(indicator=indicator, reporter=reporter, on=day, report=Report(**report))


# The whole flow ------------------------------------------------------------


def test_a_value_goes_from_draft_to_public_through_the_api(hired, reporter, office) -> None:
    me, reviewer, public = client_for(reporter), client_for(office), Client()

    mine = me.get(f"{API}/me/reporting").json()
    assert [item["code"] for item in mine] == ["sp-disadvantaged-hired"]
    assert mine[0]["title_it"] and mine[0]["title_en"] and mine[0]["dimensions"] == ["sex", "age-band"]
    first = mine[0]["periods"][0]
    assert (first["start"], first["end"], first["locked"], first["updates"]) == (
        "2025-01-01",
        "2025-06-30",
        False,
        [],
    )

    created = send(me, "post", f"{HIRED}/updates", {**FOURTEEN, "period": first["id"]})
    assert created.status_code == 201, created.json()
    update = created.json()
    assert (update["status"], update["value"], update["indicator"], update["period"]["id"]) == (
        "draft",
        "14.0000",
        "sp-disadvantaged-hired",
        first["id"],
    )
    assert {(row["category"], row["value"]) for row in update["breakdown"]} == {
        ("female", "8.0000"),
        ("male", "6.0000"),
    }
    url = f"{API}/updates/{update['id']}"

    assert send(me, "post", f"{url}/submit").json()["status"] == "submitted"
    waiting = reviewer.get(f"{HIRED}/updates", {"status": "submitted"}).json()
    assert [item["id"] for item in waiting["items"]] == [update["id"]]

    returned = send(reviewer, "post", f"{url}/return", {"note": "Manca la ripartizione per età."})
    assert returned.json()["status"] == "returned"
    period = me.get(f"{API}/me/reporting").json()[0]["periods"][0]
    assert period["updates"] == [
        {
            "id": update["id"],
            "status": "returned",
            "organization_id": None,
            "review_note": "Manca la ripartizione per età.",
        }
    ]

    corrected = {
        **FOURTEEN,
        "breakdown": [
            *FOURTEEN["breakdown"],
            {"dimension": "age-band", "category": "15-24", "value": 5},
            {"dimension": "age-band", "category": "25-34", "value": 9},
        ],
    }
    edited = send(me, "put", url, corrected)
    assert edited.status_code == 200, edited.json()
    assert (edited.json()["status"], len(edited.json()["breakdown"])) == ("returned", 4)
    assert send(me, "post", f"{url}/submit").json()["status"] == "submitted"
    assert public.get(HIRED).json()["latest"] is None  # not approved yet: not public

    approval = send(reviewer, "post", f"{url}/approve")
    assert approval.status_code == 200, approval.json()
    assert approval.json()["status"] == "approved"

    shown = public.get(HIRED).json()
    assert shown["latest"] == {"period_start": "2025-01-01", "period_end": "2025-06-30", "value": "14.0000"}
    steps = Update.objects.get(pk=update["id"]).history.order_by("history_date")  # type: ignore[attr-defined]
    assert [(record.history_change_reason, record.history_user) for record in steps] == [
        ("Draft created", reporter),
        ("Submitted", reporter),
        ("Returned", office),
        ("Draft edited", reporter),
        ("Resubmitted", reporter),
        ("Approved", office),
    ]


def test_an_update_named_by_a_day_and_approved_with_a_note(clauses, reporter, office) -> None:
    created = send(
        client_for(reporter),
        "post",
        f"{API}/indicators/sp-social-clauses-share/updates",
        {
            "on": "2025-12-01",
            "numerator": "300000.50",
            "denominator": 1000000,
        },
    )
    assert created.status_code == 201, created.json()
    update = Update.objects.get(pk=created.json()["id"])
    assert (update.period.end, update.numerator, update.denominator) == (
        H2_2025,
        Decimal("300000.50"),
        Decimal(1000000),
    )
    send(client_for(reporter), "post", f"{API}/updates/{update.pk}/submit")

    approved_now = send(client_for(office), "post", f"{API}/updates/{update.pk}/approve", {"note": "Grazie."})

    assert approved_now.json()["review_note"] == "Grazie."
    update.refresh_from_db()
    assert (update.status, update.reviewed_by) == (Update.Status.APPROVED, office)


def test_a_member_reports_for_their_organization(hired, roles) -> None:
    organization = Organization.objects.get(legal_name="Cooperativa Esempio")
    Membership.objects.filter(user=roles.member).update(status=Membership.Status.APPROVED)
    hired.reporting_organizations.add(organization)

    created = send(client_for(roles.member), "post", f"{HIRED}/updates", {"on": "2025-03-01", "value": 3})

    assert created.status_code == 201, created.json()
    assert created.json()["organization_id"] == organization.pk
    period = client_for(roles.member).get(f"{API}/me/reporting").json()[0]["periods"][0]
    assert [item["organization_id"] for item in period["updates"]] == [organization.pk]


# Reading updates -----------------------------------------------------------


def test_who_reads_an_update_and_a_list_of_updates(hired, reporter, office, roles) -> None:
    other = User.objects.create_user(email="other@example.org", password="x")
    hired.reporters.add(other)
    mine, theirs = draft(hired, reporter, value=1), draft(hired, other, value=2)

    assert client_for(reporter).get(f"{API}/updates/{mine.pk}").status_code == 200
    assert client_for(office).get(f"{API}/updates/{mine.pk}").status_code == 200
    refused(client_for(reporter).get(f"{API}/updates/{theirs.pk}"), 403, None, "Only the update's reporters")
    refused(client_for(roles.participant).get(f"{API}/updates/{mine.pk}"), 403, None, "Only the update's reporters")

    def listed(user: User) -> list[int]:
        return [item["id"] for item in client_for(user).get(f"{HIRED}/updates").json()["items"]]

    assert listed(reporter) == [mine.pk]
    assert listed(office) == [mine.pk, theirs.pk]
    refused(client_for(roles.participant).get(f"{HIRED}/updates"), 403, None, "managers and reporters")
    assert client_for(office).get(f"{HIRED}/updates", {"status": "approved"}).json()["count"] == 0
    refused(client_for(office).get(f"{HIRED}/updates", {"status": "finished"}), 422, "status", "Input should be")


# Bad input: the status, the field and the reason, and nothing written --------


@pytest.mark.parametrize(
    ("indicator", "body", "field", "words"),
    [
        ("hired", {"on": "2024-12-31", "value": 1}, "on", "No period of indicator 'sp-disadvantaged-hired' covers"),
        ("hired", {"value": 1}, "on", "Give the period (its id) or a day it covers"),
        ("hired", {"period": 1, "on": "2025-03-01", "value": 1}, "period", "not both"),
        ("hired", {"period": 999999, "value": 1}, "period", "has no period with id 999999"),
        ("hired", {"on": "2025-03-01", "value": "dodici"}, "value", "valid decimal"),
        ("hired", {"on": "2025-03-01", "value": [1]}, "value", "Decimal input should be"),
        ("hired", {"on": "2025-03-01", "value": True}, "value", "Decimal input should be"),
        ("hired", {"on": "2025-03-01", "value": "1.00001"}, "value", "no more than 4 decimal places"),
        ("hired", {"on": "2025-03-01", "numerator": 1, "denominator": 2}, "numerator", "takes no numerator"),
        ("hired", {"on": "2025-31-01", "value": 1}, "on", "valid date"),
        ("hired", {"on": "2025-03-01", "value": 1, "colour": "red"}, "colour", "Extra inputs are not permitted"),
        ("hired", {"on": "2025-03-01", "value": 1, "organization": 999999}, "organization", "No organization"),
        ("hired", {"on": "2025-03-01", "value": 1, "narrative": "a\x00b"}, "narrative", "should match pattern"),
        ("tables", {"on": "2025-03-01", "level": "thriving"}, "level", "Unknown level 'thriving'"),
        ("clauses", {"on": "2025-03-01", "numerator": 0, "denominator": 0}, "denominator", "cannot be 0"),
        (
            "clauses",
            {"on": "2025-03-01", "numerator": 120, "denominator": 100},
            "numerator",
            "cannot exceed the denominator (100)",
        ),
        (
            "hired",
            {
                "on": "2025-03-01",
                "value": 12,
                "breakdown": [
                    {"dimension": "sex", "category": "female", "value": 7},
                    {"dimension": "sex", "category": "male", "value": 2},
                ],
            },
            "breakdown",
            "The breakdown by sex adds up to 9, not to the value 12",
        ),
        (
            "hired",
            {"on": "2025-03-01", "value": 12, "breakdown": [{"dimension": "sex", "value": 12}]},
            "category",
            "Field required",
        ),
    ],
)
def test_bad_drafts_are_a_422_naming_the_field(
    request, reporter, indicator: str, body: dict[str, Any], field: str, words: str
) -> None:
    code = request.getfixturevalue(indicator).code
    before = snapshot()

    response = send(client_for(reporter), "post", f"{API}/indicators/{code}/updates", body)

    refused(response, 422, field, words)
    assert snapshot() == before


def test_a_day_in_the_future_is_refused(hired, reporter) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    future = Period.objects.create(indicator=hired, start=tomorrow, end=tomorrow + timedelta(days=30))
    before = snapshot()

    response = send(client_for(reporter), "post", f"{HIRED}/updates", {"period": future.pk, "value": 1})

    refused(response, 422, "on", "cannot be reported for a future date")
    assert snapshot() == before


def test_a_body_that_is_not_json_is_a_400(hired, reporter) -> None:
    before = snapshot()
    response = send(client_for(reporter), "post", f"{HIRED}/updates", "{not json")
    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("who", ["participant", "member", "coordinator", "editor"])
def test_only_assigned_reporters_draft(hired, roles, who: str) -> None:
    before = snapshot()

    response = send(client_for(getattr(roles, who)), "post", f"{HIRED}/updates", {"on": "2025-03-01", "value": 1})

    refused(response, 403, None, "not assigned to report on indicator 'sp-disadvantaged-hired'")
    assert snapshot() == before


def test_an_organization_not_assigned_is_a_403(hired, reporter) -> None:
    organization = Organization.objects.create(legal_name="Altra Cooperativa", codice_fiscale="01234567890")
    before = snapshot()

    response = send(
        client_for(reporter),
        "post",
        f"{HIRED}/updates",
        {"on": "2025-03-01", "value": 1, "organization": organization.pk},
    )

    refused(response, 403, None, "Altra Cooperativa is not assigned to report on indicator")
    assert snapshot() == before


def test_an_approved_update_cannot_be_edited_or_submitted(hired, reporter) -> None:
    update = approved(hired.periods.get(end=H1_2025), reporter, value=Decimal(14))
    before = snapshot()
    me = client_for(reporter)

    refused(send(me, "put", f"{API}/updates/{update.pk}", {"value": 20}), 422, "status", "is approved")
    refused(send(me, "post", f"{API}/updates/{update.pk}/submit"), 422, "status", "is approved")
    assert snapshot() == before


def test_a_locked_period_refuses_writes(hired, reporter, office) -> None:
    update = draft(hired, reporter, value=1)
    me = client_for(reporter)

    locked = send(client_for(office), "post", f"{API}/periods/{update.period_id}/lock")
    assert locked.status_code == 200 and locked.json()["locked"] is True
    assert me.get(f"{API}/me/reporting").json()[0]["periods"][0]["locked"] is True
    before = snapshot()

    refused(send(me, "put", f"{API}/updates/{update.pk}", {"value": 2}), 422, "period", "is locked")
    refused(send(me, "post", f"{API}/updates/{update.pk}/submit"), 422, "period", "is locked")
    other = User.objects.create_user(email="late@example.org", password="x")
    hired.reporters.add(other)
    before = snapshot()
    refused(
        send(client_for(other), "post", f"{HIRED}/updates", {"on": "2025-03-01", "value": 1}),
        422,
        "period",
        "is locked",
    )
    assert snapshot() == before

    unlocked = send(client_for(office), "post", f"{API}/periods/{update.period_id}/unlock")
    assert unlocked.json()["locked"] is False
    assert send(me, "put", f"{API}/updates/{update.pk}", {"value": 2}).status_code == 200


def test_a_submitted_update_is_not_edited(hired, reporter) -> None:
    update = draft(hired, reporter, value=1)
    send(client_for(reporter), "post", f"{API}/updates/{update.pk}/submit")
    before = snapshot()

    refused(send(client_for(reporter), "put", f"{API}/updates/{update.pk}", {"value": 2}), 422, "status", "submitted")
    refused(send(client_for(reporter), "post", f"{API}/updates/{update.pk}/submit"), 422, "status", "submitted")
    assert snapshot() == before


# The office's side: who reviews, what a review needs ------------------------


@pytest.fixture
def submitted(hired, reporter) -> Update:
    update = draft(hired, reporter, value=1)
    send(client_for(reporter), "post", f"{API}/updates/{update.pk}/submit")
    return update


@pytest.mark.parametrize(
    ("who", "words"),
    [
        ("reporter", "does not manage indicator"),
        ("participant", "does not manage indicator"),
        ("member", "does not manage indicator"),
    ],
)
def test_only_managers_review_and_lock(submitted, roles, reporter, who: str, words: str) -> None:
    user = reporter if who == "reporter" else getattr(roles, who)
    client = client_for(user)
    before = snapshot()

    refused(send(client, "post", f"{API}/updates/{submitted.pk}/approve"), 403, None, words)
    refused(send(client, "post", f"{API}/updates/{submitted.pk}/return", {"note": "No."}), 403, None, words)
    refused(send(client, "post", f"{API}/periods/{submitted.period_id}/lock"), 403, None, words)
    assert snapshot() == before


def test_a_coordinator_reviews_only_their_themes(tables, reporter, roles) -> None:
    update = draft(tables, reporter, level="constituted")
    send(client_for(reporter), "post", f"{API}/updates/{update.pk}/submit")
    before = snapshot()

    refused(send(client_for(roles.coordinator), "post", f"{API}/updates/{update.pk}/approve"), 403, None, "manage")
    assert snapshot() == before
    assert send(client_for(roles.editor), "post", f"{API}/updates/{update.pk}/approve").status_code == 200


def test_nobody_reviews_an_update_they_reported(hired, roles) -> None:
    hired.reporters.add(roles.coordinator)
    update = draft(hired, roles.coordinator, value=1)
    send(client_for(roles.coordinator), "post", f"{API}/updates/{update.pk}/submit")
    before = snapshot()

    response = send(client_for(roles.coordinator), "post", f"{API}/updates/{update.pk}/approve")

    refused(response, 403, None, "Nobody reviews an update they reported")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"note": "   "}, "review_note", "Say what the reporter must correct"),
        ({}, "note", "Field required"),
        (None, "body", "Field required"),
    ],
)
def test_a_return_needs_a_note(submitted, office, body: Any, field: str, words: str) -> None:
    before = snapshot()
    refused(send(client_for(office), "post", f"{API}/updates/{submitted.pk}/return", body), 422, field, words)
    assert snapshot() == before


def test_only_a_submitted_update_is_reviewed(hired, reporter, office) -> None:
    update = draft(hired, reporter, value=1)
    before = snapshot()
    refused(send(client_for(office), "post", f"{API}/updates/{update.pk}/approve"), 422, "status", "draft")
    assert snapshot() == before


def test_a_locked_period_still_takes_approvals_but_no_returns(submitted, office, roles) -> None:
    set_period_locked(period=submitted.period, user=roles.editor, locked=True)
    before = snapshot()

    refused(
        send(client_for(office), "post", f"{API}/updates/{submitted.pk}/return", {"note": "Correggi."}),
        422,
        "period",
        "unlock it before returning",
    )
    assert snapshot() == before
    assert send(client_for(office), "post", f"{API}/updates/{submitted.pk}/approve").json()["status"] == "approved"


# Evidence ------------------------------------------------------------------


def upload(client: Client, update: Update, name: str, content: bytes = b"%PDF-1.4 evidence") -> Any:
    return client.post(f"{API}/updates/{update.pk}/evidence", {"evidence": SimpleUploadedFile(name, content)})


def test_evidence_is_attached_and_the_report_kept(hired, reporter) -> None:
    update = draft(hired, reporter, value=14, narrative=FOURTEEN["narrative"])

    response = upload(client_for(reporter), update, "verbale.pdf")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["evidence"] == "verbale.pdf" and body["value"] == "14.0000"
    update.refresh_from_db()
    assert update.evidence.read() == b"%PDF-1.4 evidence"


def test_bad_evidence_is_refused(hired, reporter, settings) -> None:
    update = draft(hired, reporter, value=1)
    me = client_for(reporter)
    before = snapshot()

    refused(upload(me, update, "virus.exe"), 422, "evidence", "File extension")
    settings.MONITORING_EVIDENCE_MAX_BYTES = 4
    refused(upload(me, update, "verbale.pdf"), 422, "evidence", "the limit is 4")
    refused(me.post(f"{API}/updates/{update.pk}/evidence", {}), 422, "evidence", "Field required")
    refused(upload(client_for(User.objects.create_user(email="x@example.org")), update, "a.pdf"), 403, None, "assigned")
    assert snapshot() == before


# Authentication, CSRF and unknown ids -----------------------------------------

ENDPOINTS = [
    ("get", "/me/reporting"),
    ("get", "/indicators/sp-disadvantaged-hired/updates"),
    ("post", "/indicators/sp-disadvantaged-hired/updates"),
    ("get", "/updates/{update}"),
    ("put", "/updates/{update}"),
    ("post", "/updates/{update}/submit"),
    ("post", "/updates/{update}/evidence"),
    ("post", "/updates/{update}/approve"),
    ("post", "/updates/{update}/return"),
    ("post", "/periods/{period}/lock"),
    ("post", "/periods/{period}/unlock"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_clients_are_told_to_log_in(hired, reporter, method: str, path: str) -> None:
    update = draft(hired, reporter, value=1)
    before = snapshot()

    response = send(
        Client(enforce_csrf_checks=True),
        method,
        API + path.format(update=update.pk, period=update.period_id),
        {"value": 2, "note": "x"},
    )

    assert (response.status_code, response.json()) == (401, {"detail": "Unauthorized"})
    assert snapshot() == before


@pytest.mark.parametrize(("method", "path"), [endpoint for endpoint in ENDPOINTS if endpoint[0] != "get"])
def test_a_logged_in_user_needs_the_csrf_token(hired, reporter, office, method: str, path: str) -> None:
    update = draft(hired, reporter, value=1)
    user = office if "period" in path or "approve" in path or "return" in path else reporter
    before = snapshot()

    response = send(
        client_for(user, enforce_csrf_checks=True),
        method,
        API + path.format(update=update.pk, period=update.period_id),
        {"value": 2, "note": "x"},
    )

    assert (response.status_code, response.json()) == (403, {"detail": "CSRF check Failed"})
    assert snapshot() == before


def test_with_the_csrf_token_the_write_goes_through(hired, reporter) -> None:
    client = client_for(reporter, enforce_csrf_checks=True)
    client.get(f"{API}/docs")  # the docs page sets the CSRF cookie, as any page of the site does

    response = send(
        client,
        "post",
        f"{HIRED}/updates",
        {"on": "2025-03-01", "value": 1},
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )

    assert response.status_code == 201


DRAFT = {"on": "2025-03-01", "value": 1}


@pytest.mark.parametrize(
    ("method", "path", "body", "words"),
    [
        ("get", "/updates/999999", None, "No update with identifier 999999."),
        ("put", "/updates/999999", {"value": 1}, "No update with identifier 999999."),
        ("post", "/updates/999999/submit", None, "No update with identifier 999999."),
        ("post", "/updates/999999/approve", None, "No update with identifier 999999."),
        ("post", "/updates/999999/return", {"note": "x"}, "No update with identifier 999999."),
        ("post", "/periods/999999/lock", None, "No period with identifier 999999."),
        ("post", "/periods/999999/unlock", None, "No period with identifier 999999."),
        ("post", "/indicators/no-such-code/updates", DRAFT, "No indicator with code 'no-such-code'"),
        ("get", "/indicators/no-such-code/updates", None, "No indicator with code 'no-such-code'"),
        ("get", "/me/reporting?plan=nowhere", None, "No plan with slug 'nowhere'."),
        ("post", "/indicators/sp-disadvantaged-hired/updates?plan=nowhere", DRAFT, "No plan with slug 'nowhere'."),
    ],
)
def test_unknown_objects_are_a_404(hired, reporter, office, method: str, path: str, body: Any, words: str) -> None:
    before = snapshot()
    response = send(client_for(reporter if "updates" in path or "me/" in path else office), method, API + path, body)
    assert response.status_code == 404, response.json()
    assert words in response.json()["detail"]
    assert snapshot() == before


def test_evidence_for_an_unknown_update_is_a_404(hired, reporter) -> None:
    response = client_for(reporter).post(
        f"{API}/updates/999999/evidence", {"evidence": SimpleUploadedFile("a.pdf", b"%PDF")}
    )
    assert (response.status_code, response.json()) == (404, {"detail": "No update with identifier 999999."})


@pytest.mark.parametrize("path", ["/updates/0", "/updates/first", f"/updates/{2**63}", "/periods/-1/lock"])
def test_malformed_ids_are_a_422(hired, office, path: str) -> None:
    response = send(client_for(office), "post" if "lock" in path else "get", API + path)
    refused(response, 422, None, "Invalid input")


def test_messages_are_in_italian_without_accept_language(hired, reporter) -> None:
    client = Client()
    client.force_login(reporter)

    response = send(client, "post", f"{HIRED}/updates", {"on": "2024-12-31", "value": 1})

    refused(response, 422, "on", "Nessun periodo dell\u2019indicatore 'sp-disadvantaged-hired' comprende")


def test_lists_cost_the_same_queries_with_more_updates(hired, clauses, reporter, office) -> None:
    def queries(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add_reporters(count: int) -> None:
        for _ in range(count):
            other = User.objects.create_user(email=f"r{User.objects.count()}@example.org", password="x")
            hired.reporters.add(other)
            for day in (H1_2025, H2_2025):
                create_draft(
                    indicator=hired,
                    reporter=other,
                    on=day,
                    report=Report(value=2, breakdown=[BreakdownEntry("sex", "female", value=2)]),
                )

    draft(clauses, reporter, numerator=1, denominator=2)
    add_reporters(1)
    few = (
        queries(client_for(office), f"{HIRED}/updates?limit=100"),
        queries(client_for(reporter), f"{API}/me/reporting"),
    )
    add_reporters(5)
    draft(hired, reporter, value=1)
    many = (
        queries(client_for(office), f"{HIRED}/updates?limit=100"),
        queries(client_for(reporter), f"{API}/me/reporting"),
    )

    assert many == few
