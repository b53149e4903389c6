"""Writing one organization: cleaned values, errors by field name, one history record with the reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from socialplan.accounts.models import User
from socialplan.ecosystem.models import AtecoActivity, Organization
from socialplan.ecosystem.services import create_organization, update_organization
from socialplan.territory.models import Comune

from .registry_support import (  # noqa: F401 - fixtures
    comuni_fixture,
    cpv_codes_fixture,
    english_fixture,
    entity_codice_fiscale,
    registry_fixture,
)

pytestmark = pytest.mark.django_db


def test_an_organization_is_created_from_what_a_person_writes(registry) -> None:
    user = User.objects.create_user(email="office@example.org", password="x")
    code = entity_codice_fiscale(4242)
    change = create_organization(
        data={
            "codice_fiscale": f"  {code} ",
            "legal_name": "Cooperativa Sociale Il Ponte",
            "partita_iva": f"IT {code}",
            "legal_form": "Social cooperative type B",
            "runts_section": "d) Imprese sociali",
            "seat_comune": "Moncalieri",
            "comuni_served": ["001272", "Moncalieri", "Chieri"],
            "ateco_codes": "88.10.00|2022:96.09.09",
            "cpv_codes": "85311000-2|90910000",
            "disadvantaged_share": "41,5 %",
            "workforce": "23",
            "website": "ilponte.example.org",
        },
        user=user,
        reason="Registered by the plan office",
    )
    organization = Organization.objects.get(pk=change.organization.pk)
    assert change.created
    assert (organization.codice_fiscale, organization.partita_iva) == (code, code)
    assert (organization.legal_form, organization.runts_section) == ("coop_b", "d")
    assert organization.seat_comune.name == "Moncalieri"
    assert sorted(organization.comuni_served.values_list("name", flat=True)) == ["Chieri", "Moncalieri", "Torino"]
    assert sorted(organization.cpv_codes.values_list("code", flat=True)) == ["85311000", "90910000"]
    assert organization.disadvantaged_share == Decimal("41.50")
    assert organization.website == "https://ilponte.example.org"
    activities = list(AtecoActivity.objects.filter(organization=organization).order_by("-is_primary"))
    assert [(a.code, a.edition, a.section, a.is_primary) for a in activities] == [
        ("88.10.00", "2025", "R", True),
        ("96.09.09", "2022", "S", False),
    ]
    # One history record, with who, why and the relations as they ended up.
    (record,) = organization.history.all()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        user,
        "Registered by the plan office",
    )
    assert sorted(row.comune.name for row in record.comuni_served.all()) == ["Chieri", "Moncalieri", "Torino"]
    assert sorted(row.cpvcode_id for row in record.cpv_codes.all()) == ["85311000", "90910000"]


def test_every_problem_is_reported_under_its_field_name(registry) -> None:
    with pytest.raises(ValidationError) as caught:
        create_organization(
            data={
                "codice_fiscale": "12345678901",
                "partita_iva": "123",
                "legal_form": "cooperativa",
                "runts_section": "z",
                "seat_comune": "Milano",
                "comuni_served": "Torino|Atlantide",
                "ateco_codes": "88.10.00|99.99.99",
                "cpv_codes": "85311000|12345678",
                "workforce": "-3",
                "disadvantaged_share": "130",
                "website": "not a url",
                "verified_on": "31/02/2025",
                "colour": "red",
            },
            reason="test",
        )
    errors = caught.value.message_dict
    assert set(errors) == {
        "codice_fiscale",
        "legal_name",
        "partita_iva",
        "legal_form",
        "runts_section",
        "seat_comune",
        "comuni_served",
        "ateco_codes",
        "cpv_codes",
        "workforce",
        "disadvantaged_share",
        "website",
        "verified_on",
        "colour",
    }
    assert errors["comuni_served"] == ["'Atlantide' is not a comune of the territory."]
    assert errors["cpv_codes"] == ["'12345678' is not a CPV 2008 code."]
    assert "99.99.99" in errors["ateco_codes"][0]
    assert not Organization.objects.exists()


def test_a_codice_fiscale_is_registered_once(registry) -> None:
    code = entity_codice_fiscale(7)
    create_organization(data={"codice_fiscale": code, "legal_name": "Prima"}, reason="test")
    with pytest.raises(ValidationError) as caught:
        create_organization(data={"codice_fiscale": code.lower(), "legal_name": "Seconda"}, reason="test")
    assert "Prima" in caught.value.message_dict["codice_fiscale"][0]


def test_an_update_changes_only_the_fields_it_names_and_says_which(registry) -> None:
    created = create_organization(
        data={
            "codice_fiscale": entity_codice_fiscale(8),
            "legal_name": "Associazione Vicini",
            "seat_comune": "Torino",
            "comuni_served": "Torino",
            "cpv_codes": "85311000",
        },
        reason="test",
    ).organization
    change = update_organization(
        organization=created, data={"workforce": 5, "comuni_served": ["Torino", "Ivrea"]}, reason="Profile update"
    )
    organization = change.organization
    assert change.changed_fields == ("workforce", "comuni_served")
    assert organization.workforce == 5 and organization.legal_name == "Associazione Vicini"
    assert sorted(organization.comuni_served.values_list("name", flat=True)) == ["Ivrea", "Torino"]
    assert list(organization.cpv_codes.values_list("code", flat=True)) == ["85311000"]
    latest = organization.history.first()
    assert (latest.history_type, latest.history_change_reason) == ("~", "Profile update")
    assert sorted(row.comune.name for row in latest.comuni_served.all()) == ["Ivrea", "Torino"]
    assert [row.cpvcode_id for row in latest.cpv_codes.all()] == ["85311000"]
    # The same values again: nothing changes, nothing enters the history.
    again = update_organization(organization=organization, data={"workforce": "5"}, reason="Again")
    assert again.changed_fields == () and organization.history.count() == 2


def test_an_update_cannot_take_another_organizations_codice_fiscale(registry) -> None:
    first = create_organization(data={"codice_fiscale": entity_codice_fiscale(1), "legal_name": "A"}, reason="t")
    second = create_organization(data={"codice_fiscale": entity_codice_fiscale(2), "legal_name": "B"}, reason="t")
    with pytest.raises(ValidationError) as caught:
        update_organization(
            organization=second.organization, data={"codice_fiscale": entity_codice_fiscale(1)}, reason="t"
        )
    assert "A" in caught.value.message_dict["codice_fiscale"][0]
    assert Organization.objects.get(pk=first.organization.pk).codice_fiscale == entity_codice_fiscale(1)


def test_comuni_may_be_given_as_instances(registry) -> None:
    torino = Comune.objects.get(istat_code="001272")
    change = create_organization(
        data={"codice_fiscale": entity_codice_fiscale(3), "legal_name": "C", "seat_comune": torino}, reason="t"
    )
    assert change.organization.seat_comune_id == torino.pk
