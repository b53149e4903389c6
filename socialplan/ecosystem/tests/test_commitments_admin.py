"""The back office of memberships, profile changes, partnerships and pledges: it goes through the
same services (a second lead gets the same clear error, reviews need a note to reject), and
theme coordinators see and set only the partnerships of their themes."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import translation

from socialplan.ecosystem.commitments import set_partnership
from socialplan.ecosystem.models import Membership, Partnership, PledgeProgress, ProfileChange
from socialplan.ecosystem.selfservice import update_profile
from socialplan.plan.models import Action, Objective, Theme

from .factories import make_organization
from .people import in_english, make_people  # noqa: F401 (in_english: a fixture)

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def people(roles):
    return make_people(roles)


@pytest.fixture
def actions(torino) -> dict[str, Action]:
    """An action of the coordinator's theme (social procurement) and one of another theme."""
    governance = Theme.objects.get(plan=torino, code="governance")
    objective = Objective.objects.create(theme=governance, code="gov-o1", title_it="Obiettivo governance")
    return {
        "own": Action.objects.get(code="sp-s1"),
        "other": Action.objects.create(objective=objective, code="gov-a1", title_it="Azione governance"),
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def admin_url(name: str, *args) -> str:
    """The English back office (its messages are the source strings)."""
    with translation.override("en"):
        return reverse(f"admin:{name}", args=args)


ADD_PARTNERSHIP = admin_url("ecosystem_partnership_add")


def test_a_second_lead_in_the_back_office_gets_the_clear_error(roles, actions) -> None:
    first, second = make_organization(legal_name="Consorzio Capofila"), make_organization()
    set_partnership(action=actions["own"], organization=first, role="lead", user=roles.editor)

    response = logged_in(roles.editor).post(
        ADD_PARTNERSHIP, {"action": actions["own"].pk, "organization": second.pk, "role": "lead", "since": ""}
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "already has a lead organization: Consorzio Capofila" in text
    assert "is violated" not in text
    assert Partnership.objects.count() == 1


def test_a_partner_is_added_in_the_back_office_with_history(roles, actions) -> None:
    organization = make_organization()

    response = logged_in(roles.editor).post(
        ADD_PARTNERSHIP, {"action": actions["own"].pk, "organization": organization.pk, "role": "lead", "since": ""}
    )

    assert response.status_code == 302
    partnership = Partnership.objects.get()
    assert (partnership.organization, partnership.role) == (organization, "lead")
    assert partnership.history.get().history_user == roles.editor


def test_a_coordinator_sees_and_sets_only_the_partnerships_of_their_themes(roles, actions) -> None:
    own = set_partnership(action=actions["own"], organization=make_organization(), role="partner", user=roles.editor)
    other = set_partnership(
        action=actions["other"], organization=make_organization(), role="partner", user=roles.editor
    )
    client = logged_in(roles.coordinator)

    listing = client.get(admin_url("ecosystem_partnership_changelist"))
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == [own]
    assert client.get(admin_url("ecosystem_partnership_change", own.pk)).status_code == 200
    assert client.get(admin_url("ecosystem_partnership_change", other.pk)).status_code in (302, 403)

    response = client.post(
        ADD_PARTNERSHIP,
        {"action": actions["other"].pk, "organization": make_organization().pk, "role": "supporter", "since": ""},
    )
    assert response.status_code == 200
    assert "action" in response.context["adminform"].form.errors
    assert Partnership.objects.filter(action=actions["other"]).count() == 1

    # Nothing else of the ecosystem's back office opens for a coordinator.
    for name in ("membership", "profilechange", "pledge"):
        assert client.get(reverse(f"admin:ecosystem_{name}_changelist")).status_code == 403


def test_the_plan_office_approves_requests_in_the_back_office(people, roles) -> None:
    response = logged_in(roles.editor).post(
        admin_url("ecosystem_membership_changelist"),
        {"action": "approve_requests", ACTION_CHECKBOX_NAME: [people.request.pk]},
        follow=True,
    )

    assert response.status_code == 200
    people.request.refresh_from_db()
    assert (people.request.status, people.request.decided_by) == ("approved", roles.editor)
    # Approving again reports the request as decided and changes nothing.
    response = logged_in(roles.admin).post(
        admin_url("ecosystem_membership_changelist"),
        {"action": "reject_requests", ACTION_CHECKBOX_NAME: [people.request.pk]},
        follow=True,
    )
    assert "already been decided" in response.content.decode()
    people.request.refresh_from_db()
    assert people.request.status == Membership.Status.APPROVED


def test_the_plan_office_reviews_profile_changes_in_the_back_office(people, roles) -> None:
    approved = update_profile(
        organization=people.organization, user=people.org_member, values={"legal_form": "coop_ab"}
    ).pending
    other = make_organization(runts_section="d")
    rejected = update_profile(organization=other, user=roles.editor, values={"runts_section": "g"}).pending
    client = logged_in(roles.editor)
    changelist = admin_url("ecosystem_profilechange_changelist")

    client.post(changelist, {"action": "approve_changes", ACTION_CHECKBOX_NAME: [approved.pk]})
    people.organization.refresh_from_db()
    assert people.organization.legal_form == "coop_ab"

    # Rejecting asks for the note first, and rejects nothing without it.
    asked = client.post(changelist, {"action": "reject_changes", ACTION_CHECKBOX_NAME: [rejected.pk]})
    assert asked.status_code == 200
    assert 'name="note"' in asked.content.decode()
    empty = client.post(changelist, {"action": "reject_changes", ACTION_CHECKBOX_NAME: [rejected.pk], "note": " "})
    assert empty.status_code == 200
    rejected.refresh_from_db()
    assert rejected.status == ProfileChange.Status.PENDING

    client.post(
        changelist, {"action": "reject_changes", ACTION_CHECKBOX_NAME: [rejected.pk], "note": "Sezione errata."}
    )
    rejected.refresh_from_db()
    other.refresh_from_db()
    assert (rejected.status, rejected.review_note, other.runts_section) == ("rejected", "Sezione errata.", "d")

    # The record of a change is read-only and cannot be added by hand.
    assert client.get(admin_url("ecosystem_profilechange_add")).status_code == 403
    page = client.get(admin_url("ecosystem_profilechange_change", approved.pk))
    assert page.status_code == 200
    assert "A+B" in page.content.decode()  # the proposed legal form, as people read it


def test_the_plan_office_records_progress_on_a_pledge_in_the_back_office(people, roles) -> None:
    pledge = people.pledge
    data = {
        "organization": people.organization.pk,
        "action": pledge.action.pk,
        "title": pledge.title,
        "description": "",
        "quantity": "40",
        "unit": pledge.unit,
        "due_date": pledge.due_date.isoformat(),
        "status": "active",
        "progress_reports-TOTAL_FORMS": "1",
        "progress_reports-INITIAL_FORMS": "0",
        "progress_reports-MIN_NUM_FORMS": "0",
        "progress_reports-MAX_NUM_FORMS": "1000",
        "progress_reports-0-reported_on": date.today().isoformat(),
        "progress_reports-0-achieved": "8",
        "progress_reports-0-note": "Dal rendiconto",
    }

    response = logged_in(roles.editor).post(admin_url("ecosystem_pledge_change", pledge.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    report = PledgeProgress.objects.get()
    assert (report.achieved, report.reported_by) == (Decimal("8"), roles.editor)
