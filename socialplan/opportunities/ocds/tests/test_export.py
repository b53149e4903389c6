"""The OCDS export: valid against the official 1.1.5 schema with the lots and other requirements extensions."""

import filecmp
import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from socialplan.opportunities.ocds import (
    ExportAward,
    ExportDocument,
    ExportError,
    ExportItem,
    ExportLot,
    ExportOpportunity,
    ExportParty,
    ParsedRelease,
    iter_releases,
    parse_release,
    release_package,
    validation_errors,
    write_release_package,
)
from socialplan.opportunities.ocds.validation import SCHEMA

from .conftest import ANAC_HISTORY, ANAC_SAMPLE, OCDS_SCHEMA

PACKAGE: dict[str, Any] = {
    "publisher": "Città metropolitana di Torino",
    "uri": "https://example.org/opportunita/ocds.json",
    "published_date": datetime(2025, 6, 1, 9, tzinfo=UTC),
    "ocid_prefix": "ocds-test01",
}
COMUNE = ExportParty(name="Comune di Torino", codice_fiscale="00514490010")
COOPERATIVA = ExportParty(name="Cooperativa Esempio", codice_fiscale="00743110157")


BASE = ExportOpportunity(
    local_id="42",
    updated=datetime(2025, 5, 30, 10, tzinfo=UTC),
    buyer=COMUNE,
    title="Manutenzione del verde riservata",
    description="Appalto riservato art. 61 D.Lgs. 36/2023",
    procurement_method="open",
    procurement_method_details="Appalto riservato (art. 61 D.Lgs. 36/2023)",
    main_procurement_category="services",
    amount=Decimal("120000.50"),
    items=(ExportItem(item_id="1", cpv="77310000", description="Servizi di giardinaggio", related_lot="L1"),),
    lots=(
        ExportLot(
            lot_id="L1",
            title="Parchi",
            amount=Decimal(60000),
            status="active",
            reserved_participation=("shelteredWorkshop",),
        ),
    ),
    tender_start=datetime(2025, 5, 1, tzinfo=UTC),
    deadline=datetime(2025, 6, 30, 12, tzinfo=UTC),
    status="active",
    reserved_participation=("shelteredWorkshop",),
    eligibility_criteria="Almeno il 30% di lavoratori svantaggiati",
    award_criteria_details="Premialità per l'assunzione di giovani e donne",
    documents=(
        ExportDocument(
            document_id="bando", url="https://example.org/bando.pdf", title="Bando", document_type="tenderNotice"
        ),
    ),
    awards=(
        ExportAward(
            award_id="A1",
            suppliers=(COOPERATIVA,),
            amount=Decimal(59000),
            date=datetime(2025, 7, 15, tzinfo=UTC),
            related_lots=("L1",),
        ),
    ),
)


def reserved_contract(**changes: Any) -> ExportOpportunity:
    return replace(BASE, **changes)


def test_a_rich_package_validates_and_carries_the_extensions() -> None:
    package = release_package([reserved_contract(), reserved_contract(local_id="43", awards=())], **PACKAGE)
    assert validation_errors(package) == []
    first = package["releases"][0]
    assert first["ocid"] == "ocds-test01-42"
    assert first["tender"]["otherRequirements"] == {"reservedParticipation": ["shelteredWorkshop"]}
    assert first["tender"]["lots"][0]["otherRequirements"]["reservedParticipation"] == ["shelteredWorkshop"]
    assert first["tender"]["tenderPeriod"] == {"startDate": "2025-05-01T00:00:00Z", "endDate": "2025-06-30T12:00:00Z"}
    assert first["tender"]["value"] == {"amount": 120000.5, "currency": "EUR"}
    assert first["awards"][0]["suppliers"] == [{"id": "IT-CF-00743110157", "name": "Cooperativa Esempio"}]
    roles = {party["id"]: party["roles"] for party in first["parties"]}
    assert roles == {"IT-CF-00514490010": ["buyer"], "IT-CF-00743110157": ["supplier"]}
    assert any("ocds_lots_extension" in url for url in package["extensions"])
    assert any("ocds_otherRequirements_extension" in url for url in package["extensions"])


def test_the_validator_catches_what_the_schema_forbids() -> None:
    package = release_package([reserved_contract()], **PACKAGE)
    package["releases"][0]["tender"]["lots"][0].pop("id")
    package["releases"][0]["tender"]["status"] = "aperta"
    errors = validation_errors(package)
    assert "releases/0/tender/lots/0: 'id' is a required property" in errors
    assert any(error.startswith("releases/0/tender/status:") for error in errors)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "aperta"}, "status: 'aperta' is not in the OCDS tenderStatus codelist"),
        ({"amount": Decimal(-1)}, "amount: negative value"),
        ({"items": (ExportItem(item_id="1", cpv="7731"),)}, "CPV code '7731' is not 8 digits"),
        ({"deadline": datetime(2025, 4, 1, tzinfo=UTC)}, "deadline: before the start of the tender period"),
        ({"local_id": None}, "ocid or local_id is required"),
    ],
)
def test_an_opportunity_that_ocds_cannot_carry_is_refused_by_field(changes, message) -> None:
    with pytest.raises(ExportError, match=message):
        release_package([reserved_contract(**changes)], **PACKAGE)


def from_parsed(parsed: ParsedRelease) -> ExportOpportunity:
    def party(found) -> ExportParty:
        return ExportParty(name=found.name, codice_fiscale=found.codice_fiscale)

    assert parsed.date is not None
    assert parsed.buyer is not None
    currency = parsed.value.currency if parsed.value and parsed.value.currency else "EUR"
    return ExportOpportunity(
        ocid=parsed.ocid,
        updated=parsed.date,
        buyer=party(parsed.buyer),
        title=parsed.title or parsed.description[:200],
        description=parsed.description,
        procurement_method=parsed.procurement_method,
        procurement_method_details=parsed.procurement_method_details,
        main_procurement_category=parsed.main_procurement_category,
        amount=parsed.value.amount if parsed.value else None,
        currency=currency,
        items=tuple(ExportItem(item_id=str(number), cpv=cpv) for number, cpv in enumerate(parsed.cpv_codes, 1)),
        lots=tuple(
            ExportLot(
                lot_id=lot.lot_id,
                description=lot.description,
                status=lot.status,
                amount=lot.value.amount if lot.value else None,
            )
            for lot in parsed.lots
        ),
        tender_start=parsed.tender_start,
        deadline=parsed.deadline,
        status=parsed.status,
        awards=tuple(
            ExportAward(
                award_id=award.award_id,
                suppliers=tuple(party(s) for s in award.suppliers),
                amount=award.value.amount if award.value else None,
                date=award.date,
                status=award.status or "active",
                related_lots=award.related_lots,
            )
            for award in parsed.awards
        ),
    )


def test_every_anac_release_round_trips_into_a_valid_package() -> None:
    parsed = [parse_release(raw) for path in (ANAC_SAMPLE, ANAC_HISTORY) for raw in iter_releases(path)]
    # The history repeats some processes; a package holds one release per ocid and date.
    unique = {(release.ocid, release.date): release for release in parsed}
    package = release_package([from_parsed(release) for release in unique.values()], **PACKAGE)
    assert validation_errors(package) == []
    assert len(package["releases"]) == len(unique)
    assert {release["ocid"] for release in package["releases"]} == {release.ocid for release in parsed}


def test_the_streaming_writer_writes_the_same_package() -> None:
    opportunities = [reserved_contract(), reserved_contract(local_id="43")]
    stream = io.StringIO()
    assert write_release_package(opportunities, stream, **PACKAGE) == 2
    assert json.loads(stream.getvalue()) == release_package(opportunities, **PACKAGE)
    empty = io.StringIO()
    write_release_package([], empty, **PACKAGE)
    assert json.loads(empty.getvalue())["releases"] == []


@pytest.mark.parametrize("name", ["release-schema.json", "release-package-schema.json", "codelists/tenderStatus.csv"])
def test_the_packaged_schema_is_the_official_one(name) -> None:
    assert filecmp.cmp(SCHEMA / name, OCDS_SCHEMA / name, shallow=False)
