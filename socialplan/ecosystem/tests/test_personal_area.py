"""The personal area, as a user goes through it: asking to join, being approved, editing the
profile, a verified field waiting for review (and not public) until the plan office approves it;
pledges and progress; forms shown back with clear errors; a fixed number of queries per page."""

from datetime import date, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from socialplan.accounts.models import User
from socialplan.ecosystem.models import Membership, Organization, Pledge, PledgeProgress, ProfileChange

from .factories import make_organization
from .people import fresh_codice_fiscale, make_cpv_codes, make_people


@pytest.fixture
def people(roles):
    return make_people(roles)


def url(name: str, *args, language: str = "it") -> str:
    """The path of a view in a language (requests to /en/ leave English active in the test thread)."""
    with translation.override(language):
        return reverse(name, args=args)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def profile_data(organization: Organization, **changes) -> dict:
    data = {
        "description": organization.description,
        "website": organization.website,
        "workforce": organization.workforce or "",
        "volunteers": organization.volunteers or "",
        "certifications": organization.certifications,
        "cpv_codes": "",
        "codice_fiscale": organization.codice_fiscale,
        "legal_form": organization.legal_form,
        "runts_section": organization.runts_section,
        "disadvantaged_share": organization.disadvantaged_share if organization.disadvantaged_share is not None else "",
    }
    data.update(changes)
    return data


def public_page(organization: Organization) -> str:
    return Client().get(url("portal:organization", organization.pk, language="en")).content.decode()


def test_the_whole_journey_of_a_new_member(people, roles) -> None:
    newcomer = User.objects.create_user(email="nuova@example.org", password="x")
    client = logged_in(newcomer)
    organization = people.organization

    home = client.get(url("ecosystem:home"))
    assert home.status_code == 200
    assert (
        "You do not act for any organization yet." in client.get(url("ecosystem:home", language="en")).content.decode()
    )

    # Find the organization by name and by the start of its codice fiscale, and ask to join.
    found = client.get(url("ecosystem:join"), {"q": "il ponte"})
    assert organization.legal_name in found.content.decode()
    found = client.get(url("ecosystem:join"), {"q": organization.codice_fiscale[:6]})
    assert organization.legal_name in found.content.decode()
    sent = client.post(url("ecosystem:join_organization", organization.pk), {"message": "Sono la nuova"})
    assert sent.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert (membership.status, membership.message) == ("requested", "Sono la nuova")
    assert client.get(url("ecosystem:edit_profile", organization.pk)).status_code == 403

    # An administrator of the organization approves.
    admin_client = logged_in(people.org_admin)
    waiting = admin_client.get(url("ecosystem:membership_requests"))
    assert "nuova@example.org" in waiting.content.decode()
    decided = admin_client.post(url("ecosystem:decide", membership.pk), {"decision": "approve", "role": "member"})
    assert decided.status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.decided_by) == ("approved", people.org_admin)

    # The new member edits the profile: the description at once, the legal form for review.
    edit_url = url("ecosystem:edit_profile", organization.pk)
    assert client.get(edit_url).status_code == 200
    saved = client.post(
        edit_url, profile_data(organization, description="Lavoro e inclusione a Ivrea.", legal_form="coop_ab")
    )
    assert saved.status_code == 302
    organization.refresh_from_db()
    assert organization.description == "Lavoro e inclusione a Ivrea."
    assert organization.legal_form == "coop_b"
    change = ProfileChange.objects.get(organization=organization)
    assert change.changes == {"legal_form": "coop_ab"}
    page = client.get(url("ecosystem:edit_profile", organization.pk, language="en")).content.decode()
    assert "Waiting for review" in page
    assert 'value="coop_ab" selected' in page
    public = public_page(organization)
    assert "Social cooperative type B" in public
    assert "type A+B" not in public

    # The plan office approves: the value is public and the organization verified.
    office = logged_in(roles.editor)
    assert "Cooperativa Sociale Il Ponte" in office.get(url("ecosystem:review_queue")).content.decode()
    reviewed = office.post(url("ecosystem:review_change", change.pk), {"decision": "approve", "note": ""})
    assert reviewed.status_code == 302
    organization.refresh_from_db()
    assert (organization.legal_form, organization.verified_by) == ("coop_ab", roles.editor)
    assert "Social cooperative type A+B" in public_page(organization)


def test_a_rejection_shows_its_note_to_the_members(people, roles) -> None:
    organization = people.organization
    member = logged_in(people.org_member)
    edit_url = url("ecosystem:edit_profile", organization.pk)
    member.post(edit_url, profile_data(organization, runts_section="g"))
    change = ProfileChange.objects.get()
    office = logged_in(roles.admin)

    without_note = office.post(url("ecosystem:review_change", change.pk), {"decision": "reject", "note": ""})
    assert without_note.status_code == 200
    assert 'aria-invalid="true"' in without_note.content.decode()
    change.refresh_from_db()
    assert change.status == "pending"

    office.post(
        url("ecosystem:review_change", change.pk),
        {"decision": "reject", "note": "Nel RUNTS risulta la sezione d."},
    )
    organization.refresh_from_db()
    assert organization.runts_section == "d"
    page = member.get(edit_url).content.decode()
    assert "Nel RUNTS risulta la sezione d." in page
    assert 'value="d" selected' in page


def test_the_profile_form_says_which_fields_are_reviewed_and_shows_errors_by_field(people) -> None:
    client = logged_in(people.org_member)
    form_url = url("ecosystem:edit_profile", people.organization.pk, language="en")
    make_cpv_codes()

    form = client.get(form_url).content.decode()
    assert "Verified by the plan office" in form
    assert form.count("Reviewed by the plan office before it is published.") == len(Organization.VERIFIED_FIELDS)

    response = client.post(
        form_url,
        profile_data(
            people.organization,
            codice_fiscale="12345678901",
            workforce="-2",
            cpv_codes="85311000 1234 99999999",
            description="Mai salvata",
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct 3 errors." in page
    assert 'id="id_codice_fiscale_error"' in page
    assert 'aria-describedby="id_codice_fiscale_helptext id_codice_fiscale_error"' in page
    assert "A CPV code has eight digits" in page
    people.organization.refresh_from_db()
    assert people.organization.description == ""
    assert not ProfileChange.objects.exists()

    response = client.post(form_url, profile_data(people.organization, cpv_codes="85311000-2, 98341130"))
    assert response.status_code == 302
    assert set(people.organization.cpv_codes.values_list("code", flat=True)) == {"85311000", "98341130"}


def test_a_duplicate_codice_fiscale_shows_on_its_field(people) -> None:
    other = make_organization(codice_fiscale=fresh_codice_fiscale())
    response = logged_in(people.org_admin).post(
        url("ecosystem:edit_profile", people.organization.pk, language="en"),
        profile_data(people.organization, codice_fiscale=other.codice_fiscale),
    )
    assert response.status_code == 200
    assert "Another organization already has this codice fiscale." in response.content.decode()
    assert response.context["form"].errors["codice_fiscale"]


def test_pledges_are_made_by_administrators_and_reported_by_members(people) -> None:
    organization = people.organization
    admin_client = logged_in(people.org_admin)
    pledges_url = url("ecosystem:pledges", organization.pk)
    action = people.pledge.action

    missing = admin_client.post(pledges_url, {"action": "", "title": "", "quantity": "x", "unit": "", "due_date": ""})
    assert missing.status_code == 200
    assert set(missing.context["form"].errors) == {"action", "title", "quantity", "unit", "due_date"}
    past = admin_client.post(
        pledges_url,
        {
            "action": action.pk,
            "title": "Nuovo impegno",
            "quantity": "5",
            "unit": "tirocini",
            "due_date": (date.today() - timedelta(days=1)).isoformat(),
        },
    )
    assert "due_date" in past.context["form"].errors
    made = admin_client.post(
        pledges_url,
        {
            "action": action.pk,
            "title": "Nuovo impegno",
            "quantity": "5",
            "unit": "tirocini",
            "due_date": (date.today() + timedelta(days=90)).isoformat(),
        },
    )
    pledge = Pledge.objects.get(title="Nuovo impegno")
    assert made.status_code == 302
    assert made.url == url("ecosystem:pledge", pledge.pk)

    member = logged_in(people.org_member)
    members_view = member.get(pledges_url)
    assert members_view.status_code == 200
    assert members_view.context["form"] is None
    pledge_url = url("ecosystem:pledge", pledge.pk)
    reported = member.post(
        pledge_url, {"form": "progress", "reported_on": date.today().isoformat(), "achieved": "2", "note": ""}
    )
    assert reported.status_code == 302
    assert PledgeProgress.objects.get(pledge=pledge).reported_by == people.org_member
    assert "2 / 5 tirocini" in member.get(pledges_url).content.decode()

    assert member.post(pledge_url, {"form": "status", "status": "withdrawn"}).status_code == 403
    assert admin_client.post(pledge_url, {"form": "status", "status": "fulfilled"}).status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "fulfilled"
    # A fulfilled pledge takes no more reports: the form is gone.
    assert member.get(pledge_url).context["progress_form"] is None


def test_anonymous_visitors_are_sent_to_sign_in(people) -> None:
    response = Client().get(url("ecosystem:home"))
    assert response.status_code == 302
    assert response.url.startswith(url("account_login"))


def test_a_refusal_is_an_accessible_page_in_the_portal_layout(people) -> None:
    response = logged_in(people.roles.participant).get(url("ecosystem:review_queue", language="en"))
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


# Query budgets: the same number of queries with ten times the data.


_serial = count()


def grow(people, times: int) -> None:
    organization = people.organization
    for number in (next(_serial) for _ in range(times)):
        user = User.objects.create_user(email=f"richiedente{number}@example.org", password="x")
        Membership.objects.create(user=user, organization=organization, status=Membership.Status.REQUESTED)
        other = make_organization(legal_name=f"Cooperativa Ponte {number}")
        Membership.objects.create(user=people.org_admin, organization=other, role=Membership.Role.ADMIN)
        ProfileChange.objects.create(organization=other, changes={"runts_section": "g"}, proposed_by=user)
        pledge = Pledge.objects.create(
            organization=organization,
            action=people.pledge.action,
            title=f"Impegno {number}",
            quantity=10,
            unit="persone",
            due_date=date.today() + timedelta(days=30),
        )
        PledgeProgress.objects.create(pledge=pledge, reported_on=date.today(), achieved=number)


PAGES = {
    "home": lambda people: url("ecosystem:home"),
    "join": lambda people: url("ecosystem:join") + "?q=ponte",
    "requests": lambda people: url("ecosystem:membership_requests"),
    "reviews": lambda people: url("ecosystem:review_queue"),
    "profile": lambda people: url("ecosystem:edit_profile", people.organization.pk),
    "pledges": lambda people: url("ecosystem:pledges", people.organization.pk),
    "pledge": lambda people: url("ecosystem:pledge", people.pledge.pk),
}


@pytest.mark.parametrize("name", PAGES)
def test_each_page_runs_a_fixed_number_of_queries(people, roles, name, django_assert_max_num_queries) -> None:
    user = roles.editor if name == "reviews" else people.org_admin
    client = logged_in(user)
    page_url = PAGES[name](people)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url).status_code == 200
        return len(queries)

    grow(people, 3)
    small = count_queries()
    grow(people, 30)
    assert count_queries() == small
    with django_assert_max_num_queries(25):
        client.get(page_url)
