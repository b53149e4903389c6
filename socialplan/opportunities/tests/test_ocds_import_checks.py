"""The import's checks are the hand-entry ones: the same bad value is refused on the same field with the same words."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from socialplan.opportunities.awards import SupplierSpec, prepare_award, record_award
from socialplan.opportunities.models import Award, Opportunity
from socialplan.opportunities.ocds_import import CHECKED_FIELDS, IMPORTED_FIELDS
from socialplan.opportunities.services import create_opportunity, prepare_imported_opportunity

from .factories import make_opportunity, opportunity_fields

BAD_VALUES = [
    {"value": Decimal("1234567890123.45")},  # 15 digits where the column holds 14
    {"value": Decimal("10.001")},
    {"value": Decimal("-1")},
    {"ocid": "ocds-" + "9" * 200},
    {"title": "x" * 501},
    {"status": "suspended"},
    {"kind": "lottery"},
    {"published_on": "yesterday"},
    {"deadline": datetime(2020, 1, 1, tzinfo=UTC), "published_on": date(2024, 1, 1)},
]


def hand_entry_refusal(basis, buyer, fields: dict) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        create_opportunity(**opportunity_fields(basis, buyer, source=Opportunity.Source.OCDS, **fields))
    return raised.value.message_dict


def import_refusal(basis, buyer, fields: dict) -> dict[str, list[str]]:
    opportunity = Opportunity()
    for name, value in opportunity_fields(basis, buyer, source=Opportunity.Source.OCDS, **fields).items():
        setattr(opportunity, name, value)
    with pytest.raises(ValidationError) as raised:
        prepare_imported_opportunity(opportunity, cpv_codes=[], lots=[], fields=CHECKED_FIELDS)
    return raised.value.message_dict


@pytest.mark.parametrize("fields", BAD_VALUES, ids=lambda fields: "-".join(fields))
def test_an_imported_field_is_refused_as_a_typed_one(legal_bases, buyer, fields) -> None:
    basis = legal_bases["dlgs36-2023-public-tender"]
    typed = hand_entry_refusal(basis, buyer, fields)
    imported = import_refusal(basis, buyer, fields)
    assert typed == imported
    # A title is refused on its column in the active language too, as a typed one.
    assert imported and {name.removesuffix("_en") for name in imported} <= {*fields, "deadline"}


def test_the_fields_an_import_leaves_unset_pass_their_checks_with_the_defaults(db) -> None:
    # What lets the import check only the fields it sets: a new opportunity's other fields hold these defaults.
    opportunity = Opportunity()
    translations = [f"{name}_{language}" for name in ("title", "description") for language in ("it", "en")]
    opportunity.clean_fields(exclude=[*IMPORTED_FIELDS, *translations])
    assert set(CHECKED_FIELDS) == set(IMPORTED_FIELDS) - {"raw"}


@pytest.mark.parametrize(
    ("supplier", "message"),
    [
        (SupplierSpec(name="Cooperativa", codice_fiscale="12345678901"), "is not a valid codice fiscale"),
        (SupplierSpec(name="", codice_fiscale=None), "give a name"),
        (SupplierSpec(name="Cooperativa", share=Decimal("150")), "share"),
    ],
)
def test_a_bad_supplier_of_an_imported_award_is_refused_as_a_typed_one(legal_bases, buyer, supplier, message) -> None:
    opportunity = make_opportunity(legal_bases["dlgs36-2023-public-tender"], buyer)
    award = {"opportunity": opportunity, "suppliers": [supplier], "date": opportunity.published_on, "value": None}
    with pytest.raises(ValidationError) as typed:
        record_award(**award)
    with pytest.raises(ValidationError) as imported:
        prepare_award(**award, source=Award.Source.OCDS, require_date=False, require_suppliers=False, in_bulk=True)
    assert typed.value.message_dict["suppliers"] == imported.value.message_dict["suppliers"]
    assert message in " ".join(imported.value.message_dict["suppliers"])
    assert not Award.objects.exists()
