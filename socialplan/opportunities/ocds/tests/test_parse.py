"""Parsing releases: ANAC's quirks repaired and reported, bad fields reported by path."""

from datetime import UTC, datetime
from decimal import Decimal

from socialplan.opportunities.ocds import RawRelease, iter_releases, parse_release

from .conftest import ANAC_HISTORY, ANAC_SAMPLE


def parse(data: dict):
    return parse_release(RawRelease(data, "test.json", 0))


def tender_release(**tender) -> dict:
    return {"ocid": "ocds-a-1", "id": "1", "date": "2025-01-08T10:00:00Z", "tag": ["tender"], "tender": tender}


def test_the_anac_sample_parses_with_its_malformed_dates_repaired() -> None:
    parsed = [parse_release(raw) for raw in iter_releases(ANAC_SAMPLE)]
    first = parsed[0]
    assert first.date == datetime(2025, 1, 8, 17, 31, 38, 793000, tzinfo=UTC)
    [problem] = first.problems
    assert problem.path == "date"
    assert problem.value == "2025-01-08 17:31:38.793T12:00:00Z"
    assert problem.repaired
    assert first.buyer is not None
    assert first.value is not None
    assert first.buyer.name == "COMUNE DI TRANI"
    assert first.buyer.codice_fiscale == "83000350724"
    assert first.cpv_codes == ["72322000"]
    assert first.value.amount == Decimal("196721.31")
    assert first.deadline == datetime(2022, 2, 18, 12, tzinfo=UTC)
    assert first.procurement_method_details.startswith("COD:34")
    assert [lot.lot_id for lot in first.lots] == ["90940496A3"]
    assert first.raw["ocid"] == "ocds-hu01ve-8114164"


def test_every_anac_release_parses_and_only_the_release_dates_need_repair() -> None:
    parsed = [parse_release(raw) for path in (ANAC_SAMPLE, ANAC_HISTORY) for raw in iter_releases(path)]
    assert len(parsed) == 60
    problems = [problem for release in parsed for problem in release.problems]
    assert len(problems) == 60
    assert {(problem.path, problem.repaired) for problem in problems} == {("date", True)}
    awarded = [award for release in parsed for award in release.awards]
    assert len(awarded) == 61
    assert all(supplier.codice_fiscale for award in awarded for supplier in award.suppliers)


def test_a_date_that_cannot_be_read_is_kept_raw_and_reported() -> None:
    parsed = parse(tender_release(tenderPeriod={"endDate": "entro venerdì"}))
    assert parsed.deadline is None
    assert [(p.path, p.value, p.reason) for p in parsed.problems] == [
        ("tender/tenderPeriod/endDate", "entro venerdì", "not a date")
    ]


def test_a_negative_value_is_reported() -> None:
    parsed = parse(tender_release(value={"amount": -5, "currency": "EUR"}))
    assert parsed.value is None
    assert [(p.path, p.value, p.reason) for p in parsed.problems] == [("tender/value/amount", -5, "negative value")]


def test_a_deadline_before_publication_is_reported() -> None:
    parsed = parse(
        tender_release(tenderPeriod={"startDate": "2025-03-01T00:00:00Z", "endDate": "2025-02-01T00:00:00Z"})
    )
    assert [(p.path, p.reason) for p in parsed.problems] == [
        ("tender/tenderPeriod/endDate", "deadline before publication")
    ]


def test_an_unknown_cpv_format_is_reported_and_the_good_codes_kept() -> None:
    items = [
        {"id": "1", "classification": {"scheme": "CPV", "id": "85311000-2"}},
        {"id": "2", "classification": {"scheme": "CPV", "id": "8531"}},
        {"id": "3", "classification": {"scheme": "CPV", "id": "98341120"}},
    ]
    parsed = parse(tender_release(items=items))
    assert parsed.cpv_codes == ["85311000", "98341120"]
    assert [(p.path, p.value) for p in parsed.problems] == [("tender/items/1/classification/id", "8531")]


def test_reserved_participation_and_lots_are_read_from_the_extensions() -> None:
    parsed = parse(
        tender_release(
            status="active",
            otherRequirements={"reservedParticipation": ["shelteredWorkshop"]},
            lots=[{"id": "L1", "title": "Verde", "otherRequirements": {"reservedParticipation": ["publicService"]}}],
            eligibilityCriteria="Almeno il 30% di lavoratori svantaggiati",
        )
    )
    assert parsed.reserved_participation == ["shelteredWorkshop"]
    assert parsed.lots[0].reserved_participation == ("publicService",)
    assert parsed.eligibility_criteria == "Almeno il 30% di lavoratori svantaggiati"
    assert parsed.status == "active"
    assert parsed.problems == []


def test_a_code_outside_a_closed_codelist_is_reported() -> None:
    parsed = parse(tender_release(status="aperta"))
    assert parsed.status is None
    assert [(p.path, p.value) for p in parsed.problems] == [("tender/status", "aperta")]


def test_anac_reserved_participation_codes_are_read_as_ocds_codes() -> None:
    parsed = parse(tender_release(otherRequirements={"reservedParticipation": ["res-ws", "none", "cooperativeB"]}))
    assert parsed.reserved_participation == ["shelteredWorkshop", "cooperativeB"]
    assert [(p.value, p.reason, p.repaired) for p in parsed.problems] == [
        ("res-ws", "ANAC code read as shelteredWorkshop", True),
        ("none", "ANAC code read as not reserved", True),
        ("cooperativeB", "not in the reservedParticipation codelist", True),
    ]
