"""Partnerships (one lead per action) and pledges with their progress reports."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from socialplan.ecosystem.commitments import (
    change_pledge_status,
    create_pledge,
    remove_partnership,
    report_pledge_progress,
    set_partnership,
)
from socialplan.ecosystem.models import Partnership, Pledge, PledgeProgress
from socialplan.plan.models import Action

from .factories import make_organization
from .people import in_english, make_people  # noqa: F401 (in_english: a fixture)

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def people(roles):
    return make_people(roles)


@pytest.fixture
def action(torino) -> Action:
    return Action.objects.get(code="sp-s1")


# Partnerships


def test_an_action_gets_a_lead_and_partners_with_roles(roles, action) -> None:
    lead, partner, funder = make_organization(), make_organization(), make_organization()

    set_partnership(action=action, organization=lead, role="lead", user=roles.editor, since=date(2026, 1, 1))
    set_partnership(action=action, organization=partner, role="partner", user=roles.coordinator)
    set_partnership(action=action, organization=funder, role="funder", user=roles.admin)

    roles_by_organization = dict(action.partnerships.values_list("organization_id", "role"))
    assert roles_by_organization == {lead.pk: "lead", partner.pk: "partner", funder.pk: "funder"}
    partnership = Partnership.objects.get(organization=lead)
    assert partnership.since == date(2026, 1, 1)
    assert partnership.history.get().history_user == roles.editor


def test_a_second_lead_is_refused_with_a_clear_error_and_nothing_is_written(roles, action) -> None:
    first, second = make_organization(legal_name="Consorzio Capofila"), make_organization()
    set_partnership(action=action, organization=first, role="lead", user=roles.editor)
    set_partnership(action=action, organization=second, role="partner", user=roles.editor)
    history_before = Partnership.history.count()

    with pytest.raises(ValidationError) as error:
        set_partnership(action=action, organization=second, role="lead", user=roles.editor)

    message = " ".join(error.value.message_dict["role"])
    assert "already has a lead organization: Consorzio Capofila" in message
    assert dict(action.partnerships.values_list("organization_id", "role")) == {first.pk: "lead", second.pk: "partner"}
    assert Partnership.history.count() == history_before


def test_the_lead_changes_once_the_old_lead_becomes_a_partner(roles, action) -> None:
    first, second = make_organization(), make_organization()
    set_partnership(action=action, organization=first, role="lead", user=roles.editor)

    set_partnership(action=action, organization=first, role="partner", user=roles.editor)
    set_partnership(action=action, organization=second, role="lead", user=roles.editor)

    assert dict(action.partnerships.values_list("organization_id", "role")) == {first.pk: "partner", second.pk: "lead"}
    # Setting the lead again as lead changes nothing.
    set_partnership(action=action, organization=second, role="lead", user=roles.editor)
    assert Partnership.objects.get(organization=second).history.count() == 1


def test_a_role_outside_the_list_is_refused(roles, action) -> None:
    with pytest.raises(ValidationError):
        set_partnership(action=action, organization=make_organization(), role="sponsor", user=roles.editor)
    assert not Partnership.objects.exists()


def test_removing_a_partnership_is_in_the_history(roles, action) -> None:
    partnership = set_partnership(action=action, organization=make_organization(), role="partner", user=roles.editor)

    remove_partnership(partnership=partnership, user=roles.coordinator)

    assert not Partnership.objects.exists()
    removal = Partnership.history.filter(history_type="-").get()
    assert (removal.history_user, removal.history_change_reason) == (roles.coordinator, "Partnership removed")


# Pledges


def test_an_organization_administrator_makes_a_pledge(people, action) -> None:
    due = date.today() + timedelta(days=200)

    pledge = create_pledge(
        organization=people.organization,
        action=action,
        user=people.org_admin,
        title=" 10 assunzioni di persone svantaggiate ",
        quantity=Decimal("10"),
        unit="assunzioni",
        due_date=due,
    )

    assert (pledge.title, pledge.status, pledge.due_date) == ("10 assunzioni di persone svantaggiate", "active", due)
    assert pledge.history.get().history_user == people.org_admin


@pytest.mark.parametrize(
    ("changes", "bad_field"),
    [
        ({"due_date": date.today() - timedelta(days=1)}, "due_date"),
        ({"quantity": Decimal("-5")}, "quantity"),
        ({"title": "   "}, "title"),
        ({"unit": ""}, "unit"),
    ],
)
def test_a_bad_pledge_is_refused_and_nothing_is_written(people, action, changes, bad_field) -> None:
    values = {
        "title": "Impegno",
        "quantity": Decimal("3"),
        "unit": "corsi",
        "due_date": date.today() + timedelta(days=30),
        **changes,
    }
    before = Pledge.objects.count()

    with pytest.raises(ValidationError) as error:
        create_pledge(organization=people.organization, action=action, user=people.org_admin, **values)

    assert bad_field in error.value.message_dict
    assert Pledge.objects.count() == before


def test_members_report_progress_on_an_active_pledge(people) -> None:
    report = report_pledge_progress(
        pledge=people.pledge,
        user=people.org_member,
        reported_on=date.today(),
        achieved=Decimal("12"),
        note=" Primo corso ",
    )

    assert (report.achieved, report.note, report.reported_by) == (Decimal("12"), "Primo corso", people.org_member)
    assert report.history.get().history_user == people.org_member


def test_progress_is_not_reported_in_the_future_nor_on_a_withdrawn_pledge(people) -> None:
    with pytest.raises(ValidationError) as error:
        report_pledge_progress(
            pledge=people.pledge,
            user=people.org_member,
            reported_on=date.today() + timedelta(days=1),
            achieved=Decimal("1"),
        )
    assert "reported_on" in error.value.message_dict

    change_pledge_status(pledge=people.pledge, user=people.org_admin, status="withdrawn")
    with pytest.raises(ValidationError, match="only on active pledges"):
        report_pledge_progress(
            pledge=people.pledge, user=people.org_member, reported_on=date.today(), achieved=Decimal("1")
        )
    assert not PledgeProgress.objects.exists()


def test_the_status_of_a_pledge_changes_with_history(people) -> None:
    changed = change_pledge_status(pledge=people.pledge, user=people.org_admin, status="fulfilled")

    assert changed.status == "fulfilled"
    record = changed.history.order_by("-history_id").first()
    assert (record.history_user, record.history_change_reason) == (people.org_admin, "Status: fulfilled")
    with pytest.raises(ValidationError):
        change_pledge_status(pledge=people.pledge, user=people.org_admin, status="forgotten")
    people.pledge.refresh_from_db()
    assert people.pledge.status == "fulfilled"
