"""Fixtures of the buyers' area: the registry's legal bases and CPV codes, the social value measures, a buyer
with an approved member, another buyer's member, a stranger, the plan office and a supplier's member."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from socialplan.accounts.models import User
from socialplan.accounts.services import make_plan_editor
from socialplan.buyers.models import BuyerMembership
from socialplan.ecosystem.models import Membership, Organization
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.opportunities.awards import SupplierSpec, record_award
from socialplan.opportunities.models import Award, Buyer, Opportunity, SocialValueMeasure
from socialplan.opportunities.social_value import commit_social_value, load_social_value
from socialplan.opportunities.tests.conftest import buyer, cpv_codes, in_english, legal_bases  # noqa: F401
from socialplan.opportunities.tests.factories import make_opportunity


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def form_data(bases: dict, **changes) -> dict:
    """The opportunity form as a member fills it to publish a reserved contract; `None` leaves a field out."""
    data = {
        "kind": "reserved_contract",
        "legal_basis": bases["dlgs36-2023-art61"].pk,
        "title_it": "Pulizia delle biblioteche civiche",
        "title_en": "Cleaning of the town libraries",
        "description_it": "Pulizia di dodici biblioteche.",
        "cpv_codes": "90911200-5",
        "value": "180000",
        "lots": "1 | Biblioteche nord | 90000 | 90911200\n2 | Biblioteche sud | 90000 |",
        "whole_area": "on",
        "published_on": "2026-09-01",
        "deadline": "2026-10-15T12:00",
        "min_disadvantaged_share": "35",
        "reserved_participation": "res-ws",
        "reward_criteria": [],
        "documents": "Capitolato | https://example.org/capitolato.pdf",
        "action": "publish",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@dataclass
class People:
    office: User
    member: User
    other_member: User
    stranger: User
    supplier_member: User


@dataclass
class Setting:
    people: People
    buyer: Buyer
    other_buyer: Buyer
    supplier: Organization
    opportunity: Opportunity
    award: Award


def approved(user: User, of: Buyer) -> BuyerMembership:
    return BuyerMembership.objects.create(user=user, buyer=of, status=BuyerMembership.Status.APPROVED)


@pytest.fixture
def setting(legal_bases, buyer, cpv_codes) -> Setting:  # noqa: F811
    load_social_value()
    office = User.objects.create_user(email="office@example.org", password="x")
    make_plan_editor(user=office)
    member = User.objects.create_user(email="buyer@example.org", password="x")
    other_member = User.objects.create_user(email="other@example.org", password="x")
    stranger = User.objects.create_user(email="stranger@example.org", password="x")
    supplier_member = User.objects.create_user(email="coop@example.org", password="x")
    # Città metropolitana di Torino's codice fiscale.
    other_buyer = Buyer.objects.create(name="Città metropolitana di Torino", codice_fiscale="01907990012")
    approved(member, buyer)
    approved(other_member, other_buyer)
    supplier = make_organization(legal_name="Cooperativa sociale Il Verde Pulito")
    Membership.objects.create(user=supplier_member, organization=supplier, status=Membership.Status.APPROVED)
    opportunity = make_opportunity(legal_bases["dlgs36-2023-art61"], buyer, cpv_codes=("90911200",))
    award = record_award(
        opportunity=opportunity,
        suppliers=[SupplierSpec(organization=supplier)],
        date=date(2026, 5, 4),
        value=Decimal("120000"),
    )
    people = People(office, member, other_member, stranger, supplier_member)
    return Setting(people, buyer, other_buyer, supplier, opportunity, award)


@pytest.fixture
def commitment(setting):
    return commit_social_value(
        award=setting.award,
        measure=SocialValueMeasure.objects.get(code="disadvantaged-hires"),
        quantity=Decimal("4"),
        period_start=date(2026, 6, 1),
        period_end=date(2027, 5, 31),
    )
