"""The people of the personal-area tests: an organization with an administrator, a member and a
pending request, on top of the platform roles of the root conftest's `roles` fixture.

ROLES lists every role of the permission matrix: the platform roles, plus `org_admin` and
`org_member` of the organization under test (the `member` role of `roles` belongs to another
organization, Cooperativa Esempio).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.test import Client
from django.utils import translation

from socialplan.accounts.models import User
from socialplan.ecosystem.models import CpvCode, Membership, Organization, Pledge
from socialplan.plan.models import Action

from .factories import make_organization, valid_codice_fiscale

ROLES = ("admin", "editor", "coordinator", "member", "participant", "anonymous", "org_admin", "org_member")
PLAN_OFFICE = {"admin", "editor"}


_serial = count()


def fresh_codice_fiscale() -> str:
    """A valid entity codice fiscale never used before in this run: its digits 8-10 (the tax
    office code) stay within 001-100, as python-stdnum checks them."""
    number = next(_serial)
    return valid_codice_fiscale(7_000_000 + 1000 * (number // 100) + number % 100 + 1)


@dataclass
class People:
    organization: Organization
    org_admin: User
    org_member: User
    requester: User
    request: Membership
    pledge: Pledge
    roles: object

    def user(self, role: str) -> User | None:
        if role in ("org_admin", "org_member", "requester"):
            return getattr(self, role)
        return getattr(self.roles, role)

    def client(self, role: str) -> Client:
        client = Client()
        user = self.user(role)
        if user is not None:
            client.force_login(user)
        return client


def make_people(roles: object) -> People:
    organization = make_organization(
        legal_name="Cooperativa Sociale Il Ponte",
        codice_fiscale=fresh_codice_fiscale(),
        disadvantaged_share=Decimal("35.00"),
        workforce=12,
    )
    org_admin = User.objects.create_user(email="presidente@ilponte.example.org", password="x")
    org_member = User.objects.create_user(email="socia@ilponte.example.org", password="x")
    requester = User.objects.create_user(email="nuovo@ilponte.example.org", password="x")
    Membership.objects.create(user=org_admin, organization=organization, role=Membership.Role.ADMIN)
    Membership.objects.create(user=org_member, organization=organization, role=Membership.Role.MEMBER)
    request = Membership.objects.create(
        user=requester, organization=organization, status=Membership.Status.REQUESTED, message="Sono il nuovo socio."
    )
    pledge = Pledge.objects.create(
        organization=organization,
        action=Action.objects.get(code="sp-s1"),
        title="Formare 40 persone in inserimento lavorativo",
        quantity=Decimal("40"),
        unit="persone formate",
        due_date=date.today() + timedelta(days=365),
    )
    return People(
        organization=organization,
        org_admin=org_admin,
        org_member=org_member,
        requester=requester,
        request=request,
        pledge=pledge,
        roles=roles,
    )


def make_cpv_codes() -> list[CpvCode]:
    """A few real CPV 2008 codes (the full vocabulary comes from `manage.py load_cpv`)."""
    codes = [
        ("85311000", "Servizi di assistenza sociale con alloggio", "Social work services with accommodation"),
        ("98341130", "Servizi di pulizia", "Janitorial services"),
        ("77310000", "Servizi di piantagione e manutenzione di zone verdi", "Planting and maintenance of green areas"),
    ]
    return [
        CpvCode.objects.create(code=code, division=code[:2], level=3, label_it=label_it, label_en=label_en)
        for code, label_it, label_en in codes
    ]


@pytest.fixture
def in_english() -> Iterator[None]:
    """Messages in English, the interface's source language, whatever the default language: the
    tests that read a service's message ask for it with `pytestmark = usefixtures("in_english")`."""
    with translation.override("en"):
        yield
