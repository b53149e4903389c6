"""The permission matrix of the personal area and of the ecosystem's services: every role x every
write (and every page), allowed or denied as rules.py designs it. A denied write changes nothing,
its history included.

Roles: the platform roles of the `roles` fixture (the `member` acts for another organization),
plus `org_admin` and `org_member` of the organization under test.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from socialplan.accounts.models import User
from socialplan.ecosystem import commitments, selfservice
from socialplan.ecosystem.models import (
    Membership,
    Organization,
    Partnership,
    Pledge,
    PledgeProgress,
    ProfileChange,
)
from socialplan.plan.models import Action, Objective, Theme

from .factories import make_organization
from .people import PLAN_OFFICE, ROLES, make_people

EVERYONE_SIGNED_IN = set(ROLES) - {"anonymous"}
ORGANIZATION_ADMINS = PLAN_OFFICE | {"org_admin"}
ORGANIZATION_MEMBERS = ORGANIZATION_ADMINS | {"org_member"}
PARTNERSHIP_SETTERS = PLAN_OFFICE | {"coordinator"}


@dataclass
class World:
    people: Any
    to_join: Organization
    change: ProfileChange
    own_action: Action
    other_action: Action
    own_partnership: Partnership
    other_partnership: Partnership


@pytest.fixture
def world(roles, torino) -> World:
    people = make_people(roles)
    governance = Theme.objects.get(plan=torino, code="governance")
    objective = Objective.objects.create(theme=governance, code="gov-o1", title_it="Obiettivo governance")
    other_action = Action.objects.create(objective=objective, code="gov-a1", title_it="Azione governance")
    own_action = Action.objects.get(code="sp-s1")
    change = selfservice.update_profile(
        organization=people.organization, user=people.org_member, values={"runts_section": "g"}
    ).pending
    return World(
        people=people,
        to_join=make_organization(legal_name="Associazione da raggiungere"),
        change=change,
        own_action=own_action,
        other_action=other_action,
        own_partnership=Partnership.objects.create(action=own_action, organization=make_organization()),
        other_partnership=Partnership.objects.create(action=other_action, organization=make_organization()),
    )


def snapshot() -> tuple:
    """Everything the personal area and the services write, history included."""
    models = (Membership, Organization, ProfileChange, Partnership, Pledge, PledgeProgress)
    return (
        tuple(Membership.objects.order_by("pk").values_list("pk", "status", "role", "message")),
        tuple(Organization.objects.order_by("pk").values_list("pk", "description", "runts_section", "verified_on")),
        tuple(ProfileChange.objects.order_by("pk").values_list("pk", "status", "changes", "review_note")),
        tuple(Partnership.objects.order_by("pk").values_list("pk", "role")),
        tuple(Pledge.objects.order_by("pk").values_list("pk", "status")),
        PledgeProgress.objects.count(),
        tuple(model.history.count() for model in models),
    )


def url(name: str, *args: Any) -> str:
    with translation.override("it"):
        return reverse(name, args=args)


# Views: every write is a POST; (url, data) for the world.

VIEW_WRITES: dict[str, tuple[Callable[[World], tuple[str, dict]], set[str]]] = {
    "ask to join": (
        lambda w: (url("ecosystem:join_organization", w.to_join.pk), {"message": "Vorrei aderire."}),
        EVERYONE_SIGNED_IN,
    ),
    "decide a request": (
        lambda w: (url("ecosystem:decide", w.people.request.pk), {"decision": "approve", "role": "member"}),
        ORGANIZATION_ADMINS,
    ),
    "edit the profile": (
        lambda w: (
            url("ecosystem:edit_profile", w.people.organization.pk),
            {
                "description": "Nuova descrizione",
                "codice_fiscale": w.people.organization.codice_fiscale,
                "legal_form": "coop_b",
                "runts_section": "g",
                "disadvantaged_share": "35.00",
                "workforce": "12",
            },
        ),
        ORGANIZATION_MEMBERS,
    ),
    "make a pledge": (
        lambda w: (
            url("ecosystem:pledges", w.people.organization.pk),
            {
                "action": w.own_action.pk,
                "title": "Nuovo impegno",
                "quantity": "3",
                "unit": "corsi",
                "due_date": (date.today() + timedelta(days=60)).isoformat(),
            },
        ),
        ORGANIZATION_ADMINS,
    ),
    "report progress": (
        lambda w: (
            url("ecosystem:pledge", w.people.pledge.pk),
            {"form": "progress", "reported_on": date.today().isoformat(), "achieved": "4", "note": ""},
        ),
        ORGANIZATION_MEMBERS,
    ),
    "change a pledge's status": (
        lambda w: (url("ecosystem:pledge", w.people.pledge.pk), {"form": "status", "status": "fulfilled"}),
        ORGANIZATION_ADMINS,
    ),
    "review a profile change": (
        lambda w: (url("ecosystem:review_change", w.change.pk), {"decision": "approve", "note": ""}),
        PLAN_OFFICE,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", VIEW_WRITES)
def test_view_writes(world, role, write) -> None:
    build, allowed = VIEW_WRITES[write]
    path, data = build(world)
    before = snapshot()

    response = world.people.client(role).post(path, data)

    if role in allowed:
        assert response.status_code == 302, f"{role} should {write}: {response.status_code}"
        assert snapshot() != before
    else:
        expected = 302 if role == "anonymous" else 403
        assert response.status_code == expected, f"{role} may not {write}: {response.status_code}"
        if role == "anonymous":
            assert response.url.startswith(url("account_login"))
        assert snapshot() == before


VIEW_PAGES: dict[str, tuple[Callable[[World], str], set[str]]] = {
    "personal area": (lambda w: url("ecosystem:home"), EVERYONE_SIGNED_IN),
    "search to join": (lambda w: url("ecosystem:join") + "?q=associazione", EVERYONE_SIGNED_IN),
    "ask to join": (lambda w: url("ecosystem:join_organization", w.to_join.pk), EVERYONE_SIGNED_IN),
    "requests to decide": (lambda w: url("ecosystem:membership_requests"), ORGANIZATION_ADMINS),
    "profile": (lambda w: url("ecosystem:edit_profile", w.people.organization.pk), ORGANIZATION_MEMBERS),
    "pledges": (lambda w: url("ecosystem:pledges", w.people.organization.pk), ORGANIZATION_MEMBERS),
    "pledge": (lambda w: url("ecosystem:pledge", w.people.pledge.pk), ORGANIZATION_MEMBERS),
    "review queue": (lambda w: url("ecosystem:review_queue"), PLAN_OFFICE),
    "review a change": (lambda w: url("ecosystem:review_change", w.change.pk), PLAN_OFFICE),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", VIEW_PAGES)
def test_pages(world, role, page) -> None:
    build, allowed = VIEW_PAGES[page]
    response = world.people.client(role).get(build(world))
    if role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)


def test_the_requests_page_lists_only_the_requests_a_user_may_decide(world) -> None:
    elsewhere = make_organization()
    stranger = User.objects.create_user(email="altrove@example.org", password="x")
    Membership.objects.create(user=stranger, organization=elsewhere, status=Membership.Status.REQUESTED)

    listed = world.people.client("org_admin").get(url("ecosystem:membership_requests")).context["requests"]
    assert [membership.organization for membership in listed] == [world.people.organization]
    everything = world.people.client("editor").get(url("ecosystem:membership_requests")).context["requests"]
    assert {membership.organization for membership in everything} == {world.people.organization, elsewhere}


# Services: the same rules hold when they are called directly (API, commands, back office).

SERVICE_WRITES: dict[str, tuple[Callable[[World, Any], object], set[str]]] = {
    "request_membership": (
        lambda w, user: selfservice.request_membership(organization=w.to_join, user=user),
        EVERYONE_SIGNED_IN,
    ),
    "decide_membership": (
        lambda w, user: selfservice.decide_membership(membership=w.people.request, user=user, approve=True),
        ORGANIZATION_ADMINS,
    ),
    "update_profile": (
        lambda w, user: selfservice.update_profile(
            organization=w.people.organization, user=user, values={"description": "Nuova", "legal_form": "coop_a"}
        ),
        ORGANIZATION_MEMBERS,
    ),
    "review_profile_change": (
        lambda w, user: selfservice.review_profile_change(change=w.change, user=user, approve=False, note="No."),
        PLAN_OFFICE,
    ),
    "set_partnership on an action of the coordinator's theme": (
        lambda w, user: commitments.set_partnership(
            action=w.own_action, organization=w.people.organization, role="supporter", user=user
        ),
        PARTNERSHIP_SETTERS,
    ),
    "set_partnership on an action of another theme": (
        lambda w, user: commitments.set_partnership(
            action=w.other_action, organization=w.people.organization, role="supporter", user=user
        ),
        PLAN_OFFICE,
    ),
    "remove_partnership of the coordinator's theme": (
        lambda w, user: commitments.remove_partnership(partnership=w.own_partnership, user=user),
        PARTNERSHIP_SETTERS,
    ),
    "remove_partnership of another theme": (
        lambda w, user: commitments.remove_partnership(partnership=w.other_partnership, user=user),
        PLAN_OFFICE,
    ),
    "create_pledge": (
        lambda w, user: commitments.create_pledge(
            organization=w.people.organization,
            action=w.own_action,
            user=user,
            title="Impegno",
            quantity=Decimal("1"),
            unit="corsi",
            due_date=date.today() + timedelta(days=10),
        ),
        ORGANIZATION_ADMINS,
    ),
    "change_pledge_status": (
        lambda w, user: commitments.change_pledge_status(pledge=w.people.pledge, user=user, status="withdrawn"),
        ORGANIZATION_ADMINS,
    ),
    "report_pledge_progress": (
        lambda w, user: commitments.report_pledge_progress(
            pledge=w.people.pledge, user=user, reported_on=date.today(), achieved=Decimal("2")
        ),
        ORGANIZATION_MEMBERS,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", SERVICE_WRITES)
def test_service_writes(world, role, write) -> None:
    call, allowed = SERVICE_WRITES[write]
    user = world.people.user(role) or AnonymousUser()
    before = snapshot()

    if role in allowed:
        call(world, user)
        assert snapshot() != before
    else:
        with pytest.raises(PermissionDenied):
            call(world, user)
        assert snapshot() == before
