"""What the registry refuses: each refusal names its field, and nothing is written."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from socialplan.opportunities.models import Buyer, Opportunity
from socialplan.opportunities.services import DocumentSpec, LotSpec, create_opportunity, update_opportunity

from .factories import make_opportunity, opportunity_fields


def refused(basis, buyer, *, cpv_codes=(), lots=(), documents=(), **fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        create_opportunity(
            cpv_codes=cpv_codes, lots=lots, documents=documents, **opportunity_fields(basis, buyer, **fields)
        )
    assert Opportunity.objects.count() == 0
    return raised.value.message_dict


@pytest.fixture
def art5(legal_bases):
    return legal_bases["l381-1991-art5"]


def test_a_valid_opportunity_is_saved_with_its_codes_lots_and_documents(legal_bases, buyer, cpv_codes) -> None:
    opportunity = create_opportunity(
        cpv_codes=["90911200"],
        lots=[LotSpec(number=1, title="Sede centrale", value=Decimal("90000"), cpv_codes=["90911200"])],
        documents=[DocumentSpec(title="Avviso", url="https://www.comune.torino.it/avviso.pdf")],
        **opportunity_fields(
            legal_bases["l381-1991-art5"], buyer, reserved_participation="res-ws", reward_criteria=["3"]
        ),
    )
    assert [code.code for code in opportunity.cpv_codes.all()] == ["90911200"]
    assert opportunity.lots.get().cpv_codes.get().code == "90911200"
    assert opportunity.documents.get().title == "Avviso"


def test_a_negative_value_is_refused(art5, buyer) -> None:
    assert "value" in refused(art5, buyer, value=Decimal("-1"))


def test_a_deadline_before_publication_is_refused(art5, buyer) -> None:
    errors = refused(art5, buyer, deadline=timezone.make_aware(datetime(2026, 3, 1, 12)))
    assert errors["deadline"] == ["The deadline comes before the publication date."]


def test_a_minimum_ticket_above_the_maximum_is_refused(legal_bases, buyer) -> None:
    errors = refused(legal_bases["finance-instrument"], buyer, ticket_min=50_000, ticket_max=10_000)
    assert errors["ticket_min"] == ["The minimum ticket is above the maximum."]


def test_a_minimum_age_above_the_maximum_is_refused(legal_bases, buyer) -> None:
    errors = refused(legal_bases["training-programme"], buyer, target_age_min=30, target_age_max=18)
    assert errors["target_age_min"] == ["The minimum age is above the maximum age."]


def test_a_legal_basis_not_in_force_on_the_publication_date_is_refused(legal_bases, buyer) -> None:
    errors = refused(
        legal_bases["dlgs36-2023-art61"],
        buyer,
        published_on=date(2023, 3, 1),
        deadline=timezone.make_aware(datetime(2023, 4, 1, 12)),
    )
    assert errors["legal_basis"] == ["art. 61 D.Lgs. 36/2023 is not in force on the publication date 01/03/2023."]


def test_a_value_at_or_above_the_eu_threshold_in_force_is_refused_for_an_art5_convention(art5, buyer) -> None:
    errors = refused(art5, buyer, value=Decimal("216000"))
    assert errors["value"] == [
        "art. 5 L. 381/1991 allows only values below EUR 216000.00 on 02/03/2026; the value is EUR 216000."
    ]
    make_opportunity(art5, buyer, value=Decimal("215999.99"))
    # In 2025 the threshold was EUR 221,000.
    make_opportunity(
        art5,
        buyer,
        value=Decimal("220000"),
        published_on=date(2025, 6, 2),
        deadline=timezone.make_aware(datetime(2025, 7, 1, 12)),
    )


def test_socio_health_and_educational_services_are_refused_for_an_art5_convention(art5, buyer, cpv_codes) -> None:
    errors = refused(art5, buyer, cpv_codes=["90911200", "85311000", "80500000"])
    assert errors["cpv_codes"] == ["art. 5 L. 381/1991 excludes these kinds of service: 80500000, 85311000."]
    lot_errors = refused(art5, buyer, lots=[LotSpec(number=2, title="Assistenza", cpv_codes=["85311000"])])
    assert lot_errors["lots"] == ["Lot 2: art. 5 L. 381/1991 excludes these kinds of service: 85311000."]


def test_the_same_services_are_allowed_in_a_public_tender(legal_bases, buyer, cpv_codes) -> None:
    make_opportunity(legal_bases["dlgs36-2023-public-tender"], buyer, cpv_codes=("85311000",))


def test_eligibility_that_no_legal_form_can_meet_is_refused(legal_bases, buyer) -> None:
    errors = refused(legal_bases["l381-1991-art5"], buyer, eligible_legal_forms=["odv"])
    assert errors["eligible_legal_forms"] == [
        "No legal form can meet this eligibility together with art. 5 L. 381/1991: check the legal forms, "
        "the RUNTS sections and 'Third sector entities only'."
    ]
    # ODV and APS are registered in sections a and b: requiring section d leaves no one.
    assert "eligible_runts_sections" in refused(legal_bases["dlgs117-2017-art56"], buyer, eligible_runts_sections=["d"])
    # A company is not a Third sector entity.
    assert "eligible_legal_forms" in refused(
        legal_bases["dlgs36-2023-public-tender"], buyer, eligible_legal_forms=["company"], third_sector_only=True
    )


def test_a_narrower_eligibility_that_someone_can_meet_is_accepted(legal_bases, buyer) -> None:
    opportunity = make_opportunity(
        legal_bases["dlgs117-2017-art55"], buyer, eligible_legal_forms=["odv", "aps", "coop_a"]
    )
    assert opportunity.eligible_legal_forms == ["odv", "aps", "coop_a"]


def test_unknown_codes_are_refused_by_field(art5, buyer, cpv_codes) -> None:
    errors = refused(
        art5,
        buyer,
        cpv_codes=["12345678"],
        eligible_legal_forms=["club"],
        eligible_runts_sections=["z"],
        reserved_participation="res-all",
        reward_criteria=["99"],
    )
    assert errors["cpv_codes"] == ["Unknown CPV codes: 12345678."]
    assert errors["eligible_legal_forms"] == ["Unknown codes: club."]
    assert errors["eligible_runts_sections"] == ["Unknown codes: z."]
    assert errors["reserved_participation"] == ["'res-all' is not one of ANAC's reserved participation codes."]
    assert errors["reward_criteria"] == ["Unknown codes: 99."]


def test_kind_specific_fields_are_checked(legal_bases, buyer) -> None:
    assert "co_design_kind" in refused(legal_bases["dlgs117-2017-art55"], buyer, co_design_kind="")
    assert "co_design_kind" in refused(legal_bases["dlgs36-2023-public-tender"], buyer, co_design_kind="co_design")
    assert "instrument" in refused(legal_bases["finance-instrument"], buyer, instrument="")


def test_values_of_the_wrong_type_are_refused_by_field(art5, buyer) -> None:
    errors = refused(
        art5, buyer, value="a lot", published_on="yesterday", deadline="soon", ticket_min="x", target_age_max=-3
    )
    assert {"value", "published_on", "deadline", "ticket_min", "target_age_max"} <= set(errors)
    assert "legal_basis" in refused(art5, buyer, legal_basis="art. 5")


def test_an_unknown_field_is_named(art5, buyer) -> None:
    assert refused(art5, buyer, budget=5)["budget"] == ["An opportunity has no such field."]


def test_bad_lots_and_documents_are_named(art5, buyer, cpv_codes) -> None:
    errors = refused(
        art5,
        buyer,
        lots=[LotSpec(number=1, title="A", value=Decimal("-5")), LotSpec(number=1, title="B")],
        documents=[DocumentSpec(title="Avviso", url="not a link")],
    )
    assert "Two lots have the same number." in errors["lots"]
    assert any(message.startswith("lot 1, value:") for message in errors["lots"])
    assert errors["documents"][0].startswith("Avviso, url:")


def test_an_update_is_checked_like_a_creation_and_leaves_the_saved_opportunity_alone(art5, buyer, cpv_codes) -> None:
    opportunity = make_opportunity(art5, buyer, cpv_codes=("90911200",))
    with pytest.raises(ValidationError) as raised:
        update_opportunity(opportunity, value=Decimal("300000"), cpv_codes=["85311000"])
    assert set(raised.value.message_dict) == {"value", "cpv_codes"}
    opportunity.refresh_from_db()
    assert opportunity.value == Decimal("150000")
    assert [code.code for code in opportunity.cpv_codes.all()] == ["90911200"]
    update_opportunity(opportunity, value=Decimal("200000"))
    opportunity.refresh_from_db()
    assert opportunity.value == Decimal("200000")
    assert [code.code for code in opportunity.cpv_codes.all()] == ["90911200"]


def test_the_model_clean_applies_the_same_checks(art5, buyer, cpv_codes) -> None:
    opportunity = make_opportunity(art5, buyer, cpv_codes=("90911200",))
    opportunity.deadline = timezone.make_aware(datetime(2026, 1, 1, 12))
    opportunity.value = Decimal("500000")
    with pytest.raises(ValidationError) as raised:
        opportunity.full_clean()
    assert {"deadline", "value"} <= set(raised.value.message_dict)


def test_a_buyer_codice_fiscale_is_checked_and_unique_when_given(db) -> None:
    with pytest.raises(ValidationError) as raised:
        Buyer(name="Ente", codice_fiscale="00514490011").full_clean()
    assert "codice_fiscale" in raised.value.message_dict
    Buyer.objects.create(name="Impresa senza codice", codice_fiscale="", kind=Buyer.Kind.PRIVATE)
    Buyer.objects.create(name="Altra impresa senza codice", codice_fiscale="", kind=Buyer.Kind.PRIVATE)
    Buyer.objects.create(name="Comune di Torino", codice_fiscale="00514490010")
    with pytest.raises(ValidationError) as raised:
        Buyer(name="Città di Torino", codice_fiscale="00514490010").full_clean()
    assert "codice_fiscale" in raised.value.message_dict
