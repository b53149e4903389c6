"""Self-service: a user asks to join an organization, is approved, edits the profile; a change to a
verified field waits for the plan office's review before it is public."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from socialplan.accounts.models import User
from socialplan.ecosystem.models import Membership, Organization, ProfileChange
from socialplan.ecosystem.selfservice import (
    decide_membership,
    request_membership,
    review_profile_change,
    update_profile,
)
from socialplan.territory.models import Territory
from socialplan.territory.services import load_territory

from .factories import make_organization, valid_codice_fiscale
from .people import fresh_codice_fiscale, in_english, make_cpv_codes, make_people  # noqa: F401 (in_english: a fixture)

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def people(roles):
    return make_people(roles)


@pytest.fixture
def turin(db):
    load_territory(code="TO")
    return Territory.objects.get(code="TO")


@pytest.fixture
def cpv(db):
    return make_cpv_codes()


def latest_history(instance):
    return instance.history.order_by("-history_id").first()


# Joining


def test_a_user_asks_to_join_and_the_plan_office_approves(people, roles) -> None:
    newcomer = User.objects.create_user(email="volontaria@example.org", password="x")

    membership = request_membership(organization=people.organization, user=newcomer, message="  Sono la tesoriera. ")

    assert (membership.status, membership.role, membership.message) == ("requested", "member", "Sono la tesoriera.")
    assert not newcomer.has_perm("ecosystem.change_organization_profile", people.organization)

    decided = decide_membership(membership=membership, user=roles.editor, approve=True)

    assert decided.status == Membership.Status.APPROVED
    assert decided.decided_by == roles.editor
    assert decided.decided_at is not None
    assert newcomer.has_perm("ecosystem.change_organization_profile", people.organization)
    assert latest_history(decided).history_user == roles.editor
    assert latest_history(decided).history_change_reason == "Request approved"


def test_an_administrator_of_the_organization_approves_a_request_as_administrator(people) -> None:
    decided = decide_membership(
        membership=people.request, user=people.org_admin, approve=True, role=Membership.Role.ADMIN
    )

    assert (decided.status, decided.role, decided.decided_by) == ("approved", "admin", people.org_admin)
    assert people.requester.has_perm("ecosystem.decide_membership", people.organization)


def test_a_rejected_user_may_ask_again_but_not_twice_at_once(people) -> None:
    decide_membership(membership=people.request, user=people.org_admin, approve=False)
    assert not people.requester.has_perm("ecosystem.change_organization_profile", people.organization)

    again = request_membership(organization=people.organization, user=people.requester, message="Riprovo.")
    assert (again.pk, again.status, again.decided_by) == (people.request.pk, "requested", None)

    with pytest.raises(ValidationError, match="already asked"):
        request_membership(organization=people.organization, user=people.requester)
    with pytest.raises(ValidationError, match="already a member"):
        request_membership(organization=people.organization, user=people.org_member)
    assert Membership.objects.filter(user=people.requester).count() == 1


def test_a_request_is_decided_once(people, roles) -> None:
    decide_membership(membership=people.request, user=people.org_admin, approve=True)

    with pytest.raises(ValidationError, match="already been decided"):
        decide_membership(membership=people.request, user=roles.editor, approve=False)

    people.request.refresh_from_db()
    assert (people.request.status, people.request.decided_by) == ("approved", people.org_admin)
    assert people.request.history.filter(history_change_reason__startswith="Request").count() == 1


def test_a_role_outside_the_list_is_refused(people) -> None:
    with pytest.raises(ValidationError):
        decide_membership(membership=people.request, user=people.org_admin, approve=True, role="owner")
    people.request.refresh_from_db()
    assert people.request.status == "requested"


# Editing the profile


def test_fields_that_are_not_verified_are_published_at_once_with_history(people) -> None:
    result = update_profile(
        organization=people.organization,
        user=people.org_member,
        values={"description": "Inserimento lavorativo a Torino.", "workforce": 15, "website": "https://ponte.org"},
    )

    organization = Organization.objects.get(pk=people.organization.pk)
    assert (organization.description, organization.workforce, organization.website) == (
        "Inserimento lavorativo a Torino.",
        15,
        "https://ponte.org",
    )
    assert sorted(result.applied) == ["description", "website", "workforce"]
    assert result.pending is None
    record = latest_history(organization)
    assert record.history_user == people.org_member
    assert "workforce" in record.history_change_reason


def test_comuni_served_and_cpv_codes_are_published_at_once(people, turin, cpv) -> None:
    comuni = list(turin.comuni.order_by("istat_code")[:2])
    result = update_profile(
        organization=people.organization,
        user=people.org_member,
        values={"comuni_served": comuni, "cpv_codes": ["85311000"]},
    )

    assert sorted(result.applied) == ["comuni_served", "cpv_codes"]
    assert set(people.organization.comuni_served.all()) == set(comuni)
    assert list(people.organization.cpv_codes.values_list("code", flat=True)) == ["85311000"]
    assert latest_history(people.organization).history_user == people.org_member


def test_a_verified_field_waits_for_review_and_is_not_public_until_approved(people, roles) -> None:
    result = update_profile(
        organization=people.organization,
        user=people.org_member,
        values={"legal_form": "coop_ab", "disadvantaged_share": Decimal("41.5"), "description": "Nuova descrizione"},
    )

    organization = Organization.objects.get(pk=people.organization.pk)
    # The public values are unchanged; the description, not verified, is published.
    assert (organization.legal_form, organization.disadvantaged_share) == ("coop_b", Decimal("35.00"))
    assert organization.description == "Nuova descrizione"
    change = result.pending
    assert change.status == ProfileChange.Status.PENDING
    assert change.changes == {"legal_form": "coop_ab", "disadvantaged_share": "41.50"}
    assert change.proposed_by == people.org_member
    assert organization.verified_on is None

    review_profile_change(change=change, user=roles.editor, approve=True)

    organization.refresh_from_db()
    change.refresh_from_db()
    assert (organization.legal_form, organization.disadvantaged_share) == ("coop_ab", Decimal("41.50"))
    assert organization.verified_by == roles.editor
    assert organization.verified_on is not None
    assert (change.status, change.reviewed_by) == ("approved", roles.editor)
    assert latest_history(organization).history_change_reason.startswith(f"Profile change {change.pk} approved")


def test_a_rejected_change_keeps_the_public_value_and_records_the_note(people, roles) -> None:
    change = update_profile(
        organization=people.organization, user=people.org_admin, values={"runts_section": "g"}
    ).pending

    review_profile_change(change=change, user=roles.admin, approve=False, note="  La visura indica la sezione d.  ")

    change.refresh_from_db()
    people.organization.refresh_from_db()
    assert people.organization.runts_section == "d"
    assert (change.status, change.review_note, change.reviewed_by) == (
        "rejected",
        "La visura indica la sezione d.",
        roles.admin,
    )
    assert people.organization.verified_on is None


def test_a_rejection_needs_a_note_and_a_change_is_reviewed_once(people, roles) -> None:
    change = update_profile(
        organization=people.organization, user=people.org_admin, values={"runts_section": "g"}
    ).pending

    with pytest.raises(ValidationError) as error:
        review_profile_change(change=change, user=roles.editor, approve=False, note="   ")
    assert "note" in error.value.message_dict
    change.refresh_from_db()
    assert change.status == "pending"

    review_profile_change(change=change, user=roles.editor, approve=True)
    with pytest.raises(ValidationError, match="already been reviewed"):
        review_profile_change(change=change, user=roles.admin, approve=False, note="Ci ho ripensato.")
    change.refresh_from_db()
    assert change.status == "approved"


def test_a_second_edit_updates_the_one_pending_change_and_can_withdraw_it(people) -> None:
    first = update_profile(
        organization=people.organization, user=people.org_member, values={"legal_form": "coop_ab"}
    ).pending
    second = update_profile(
        organization=people.organization,
        user=people.org_admin,
        values={"legal_form": "coop_ab", "runts_section": "g"},
    ).pending

    assert second.pk == first.pk
    assert second.changes == {"legal_form": "coop_ab", "runts_section": "g"}
    assert second.proposed_by == people.org_admin

    # Back to the public values: nothing is left to review.
    third = update_profile(
        organization=people.organization,
        user=people.org_admin,
        values={"legal_form": "coop_b", "runts_section": "d"},
    )
    assert third.pending is None
    assert not ProfileChange.objects.filter(organization=people.organization).exists()


def test_the_same_values_change_nothing(people) -> None:
    organization = people.organization
    before = organization.history.count()

    result = update_profile(
        organization=organization,
        user=people.org_member,
        values={"workforce": 12, "legal_form": "coop_b", "disadvantaged_share": Decimal("35")},
    )

    assert (result.applied, result.pending) == ([], None)
    assert organization.history.count() == before


@pytest.mark.parametrize(
    ("values", "bad_field"),
    [
        ({"codice_fiscale": "12345678901"}, "codice_fiscale"),
        ({"legal_form": "spa"}, "legal_form"),
        ({"disadvantaged_share": Decimal("120")}, "disadvantaged_share"),
        ({"workforce": -3}, "workforce"),
        ({"website": "not a url"}, "website"),
        ({"cpv_codes": ["99999999"]}, "cpv_codes"),
        ({"legal_name": "Un altro nome"}, "legal_name"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(people, values, bad_field) -> None:
    organization = people.organization
    before = (organization.history.count(), ProfileChange.objects.count())

    with pytest.raises(ValidationError) as error:
        update_profile(organization=organization, user=people.org_admin, values={"description": "X", **values})

    assert bad_field in error.value.message_dict
    organization.refresh_from_db()
    assert organization.description == ""
    assert (organization.history.count(), ProfileChange.objects.count()) == before


def test_a_codice_fiscale_of_another_organization_is_refused(people) -> None:
    other = make_organization(codice_fiscale=fresh_codice_fiscale())
    with pytest.raises(ValidationError, match="already has this codice fiscale"):
        update_profile(
            organization=people.organization, user=people.org_admin, values={"codice_fiscale": other.codice_fiscale}
        )
    assert not ProfileChange.objects.exists()


def test_approval_checks_the_values_again(people, roles) -> None:
    """The codice fiscale proposed was free when proposed, taken when reviewed: nothing is applied."""
    wanted = valid_codice_fiscale(8_000_001)
    change = update_profile(
        organization=people.organization, user=people.org_admin, values={"codice_fiscale": f" {wanted.lower()} "}
    ).pending
    assert change.changes == {"codice_fiscale": wanted}
    make_organization(codice_fiscale=wanted)

    with pytest.raises(ValidationError, match="already has this codice fiscale"):
        review_profile_change(change=change, user=roles.editor, approve=True)

    change.refresh_from_db()
    people.organization.refresh_from_db()
    assert change.status == "pending"
    assert people.organization.codice_fiscale != wanted
    assert people.organization.verified_on is None
