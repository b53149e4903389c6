"""Turn one raw OCDS release into plain data, reporting what is wrong instead of failing.

A field that cannot be read keeps its raw value in a Problem (field path, raw
value, reason); what can be repaired is repaired and reported as such, e.g.
ANAC's dates "2025-01-08 17:31:38.793T12:00:00Z" become 2025-01-08 17:31:38.793.
Only a release that is not an object or has no ocid is refused (ReleaseError).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from stdnum.it import codicefiscale, iva

from .codelists import codes
from .reader import RawRelease, ReleaseError

# CPV 2008: 8 digits, optionally a dash and the check digit ("72322000-8").
CPV_PATTERN = re.compile(r"^(\d{8})(?:-(\d))?$")
# A date and time at the start of a longer, malformed string (ANAC appends "T12:00:00Z").
LEADING_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)")
# ANAC's affidamentiRiservati codes (the eForms ones) and their OCDS reservedParticipation
# equivalents; "none" means not reserved. res-ws is the art. 61 D.Lgs. 36/2023 reserved contract.
ANAC_RESERVED_PARTICIPATION = {"res-ws": "shelteredWorkshop", "res-pub-ser": "publicService", "none": None}
# Scheme of the Italian codice fiscale in org-id.guide.
CODICE_FISCALE_SCHEME = "IT-CF"


@dataclass(frozen=True)
class Problem:
    path: str
    value: Any
    reason: str
    repaired: bool = False


@dataclass(frozen=True)
class Amount:
    amount: Decimal
    currency: str | None


@dataclass(frozen=True)
class Party:
    name: str
    party_id: str | None = None
    codice_fiscale: str | None = None
    identifier_scheme: str | None = None
    identifier_id: str | None = None


@dataclass(frozen=True)
class Lot:
    lot_id: str
    title: str = ""
    description: str = ""
    status: str | None = None
    value: Amount | None = None
    reserved_participation: tuple[str, ...] = ()


@dataclass(frozen=True)
class Award:
    award_id: str
    date: datetime | None
    status: str | None
    value: Amount | None
    suppliers: tuple[Party, ...]
    related_lots: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contract:
    contract_id: str
    award_id: str | None
    date_signed: datetime | None
    start: datetime | None
    end: datetime | None
    value: Amount | None
    status: str | None


@dataclass
class ParsedRelease:
    ocid: str
    release_id: str | None
    date: datetime | None
    tag: list[str]
    buyer: Party | None
    title: str
    description: str
    status: str | None
    value: Amount | None
    procurement_method: str | None
    procurement_method_details: str
    main_procurement_category: str | None
    cpv_codes: list[str]
    lots: list[Lot]
    tender_start: datetime | None
    deadline: datetime | None
    submission_method: list[str]
    reserved_participation: list[str]
    eligibility_criteria: str
    award_criteria_details: str
    awards: list[Award]
    contracts: list[Contract]
    location: str
    raw: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


def parse_release(raw: RawRelease) -> ParsedRelease:
    """Read one release; raise ReleaseError only when it cannot be an opportunity at all."""
    data = raw.data
    if not isinstance(data, dict):
        raise ReleaseError(f"{raw.location}: a release must be a JSON object, not {type(data).__name__}")
    if raw.ocid is None:
        raise ReleaseError(f"{raw.location}: the release has no ocid")
    reader = _Reader()
    tender = reader.object(data, "tender")
    parties = {str(party.get("id")): party for party in reader.objects(data, "parties") if party.get("id") is not None}
    tender_period = reader.object(tender, "tender/tenderPeriod")
    tender_start = reader.datetime(tender_period.get("startDate"), "tender/tenderPeriod/startDate")
    deadline = reader.datetime(tender_period.get("endDate"), "tender/tenderPeriod/endDate")
    if tender_start and deadline and deadline < tender_start:
        reader.report("tender/tenderPeriod/endDate", tender_period.get("endDate"), "deadline before publication")
    other_requirements = reader.object(tender, "tender/otherRequirements")
    parsed = ParsedRelease(
        ocid=raw.ocid.strip(),
        release_id=_text(data.get("id")) or None,
        date=reader.datetime(data.get("date"), "date"),
        tag=[str(tag) for tag in data.get("tag") or [] if isinstance(tag, str)],
        buyer=reader.buyer(data, parties),
        title=_text(tender.get("title")),
        description=_text(tender.get("description")),
        status=reader.code(tender.get("status"), "tender/status", "tenderStatus"),
        value=reader.amount(tender.get("value"), "tender/value"),
        procurement_method=reader.code(tender.get("procurementMethod"), "tender/procurementMethod", "method"),
        procurement_method_details=_text(tender.get("procurementMethodDetails")),
        main_procurement_category=reader.code(
            tender.get("mainProcurementCategory"), "tender/mainProcurementCategory", "procurementCategory"
        ),
        cpv_codes=reader.cpv_codes(tender),
        lots=[reader.lot(lot, f"tender/lots/{index}") for index, lot in enumerate(reader.objects(tender, "lots"))],
        tender_start=tender_start,
        deadline=deadline,
        submission_method=[str(method) for method in tender.get("submissionMethod") or [] if isinstance(method, str)],
        reserved_participation=reader.reserved(other_requirements, "tender/otherRequirements/reservedParticipation"),
        eligibility_criteria=_text(tender.get("eligibilityCriteria")),
        award_criteria_details=_text(tender.get("awardCriteriaDetails")),
        awards=[
            reader.award(award, f"awards/{index}", parties)
            for index, award in enumerate(reader.objects(data, "awards"))
        ],
        contracts=[
            reader.contract(contract, f"contracts/{index}")
            for index, contract in enumerate(reader.objects(data, "contracts"))
        ],
        location=raw.location,
        raw=data,
    )
    parsed.problems = reader.problems
    return parsed


@lru_cache(maxsize=65536)
def _valid_codice_fiscale(code: str) -> bool:
    """Companies and public bodies have an 11-digit code (checked like a partita IVA), people a 16-character one.

    Cached: a file names the same buyers and suppliers again and again.
    """
    return iva.is_valid(code) or codicefiscale.is_valid(code)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class _Reader:
    """Field readers that collect problems instead of raising."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def report(self, path: str, value: Any, reason: str, *, repaired: bool = False) -> None:
        self.problems.append(Problem(path=path, value=value, reason=reason, repaired=repaired))

    def object(self, parent: dict[str, Any], path: str) -> dict[str, Any]:
        value = parent.get(path.rsplit("/", 1)[-1])
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.report(path, value, "expected an object")
            return {}
        return value

    def objects(self, parent: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(key, value, "expected a list")
            return []
        return [item for item in value if isinstance(item, dict)]

    def datetime(self, value: Any, path: str) -> datetime | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.report(path, value, "not a date")
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            match = LEADING_DATETIME.match(value)
            if match is None:
                self.report(path, value, "not a date")
                return None
            parsed = datetime.fromisoformat(f"{match[1]}T{match[2]}").replace(tzinfo=UTC)
            self.report(
                path, value, f"malformed date: read as {parsed.isoformat()} (UTC), the rest ignored", repaired=True
            )
            return parsed
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
            self.report(path, value, "date without time zone: read as UTC", repaired=True)
        return parsed

    def amount(self, value: Any, path: str) -> Amount | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.report(path, value, "expected an object with amount and currency")
            return None
        raw_amount = value.get("amount")
        if raw_amount is None:
            return None
        if isinstance(raw_amount, bool):
            self.report(f"{path}/amount", raw_amount, "not a number")
            return None
        try:
            amount = Decimal(str(raw_amount))
        except InvalidOperation:
            self.report(f"{path}/amount", raw_amount, "not a number")
            return None
        if not amount.is_finite():
            self.report(f"{path}/amount", raw_amount, "not a number")
            return None
        if amount < 0:
            self.report(f"{path}/amount", raw_amount, "negative value")
            return None
        currency = value.get("currency")
        if currency is not None and currency not in codes("currency"):
            self.report(f"{path}/currency", currency, "unknown currency code")
            currency = None
        return Amount(amount=amount, currency=currency)

    def code(self, value: Any, path: str, codelist: str) -> str | None:
        if value is None or value == "":
            return None
        if value not in codes(codelist):
            self.report(path, value, f"not in the OCDS {codelist} codelist")
            return None
        return str(value)

    def cpv_codes(self, tender: dict[str, Any]) -> list[str]:
        found: list[str] = []
        for index, item in enumerate(self.objects(tender, "items")):
            classifications = [(f"tender/items/{index}/classification", item.get("classification"))]
            classifications += [
                (f"tender/items/{index}/additionalClassifications/{number}", extra)
                for number, extra in enumerate(item.get("additionalClassifications") or [])
            ]
            for path, classification in classifications:
                if not isinstance(classification, dict) or str(classification.get("scheme", "")).upper() != "CPV":
                    continue
                code = str(classification.get("id", "")).strip()
                match = CPV_PATTERN.match(code)
                if match is None:
                    self.report(f"{path}/id", classification.get("id"), "unknown CPV format: expected 8 digits")
                elif match[1] not in found:
                    found.append(match[1])
        return found

    def reserved(self, other_requirements: dict[str, Any], path: str) -> list[str]:
        value = other_requirements.get("reservedParticipation")
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            self.report(path, value, "expected a list of codes")
            return []
        found: list[str] = []
        for code in value:
            if code in ANAC_RESERVED_PARTICIPATION:
                ocds_code = ANAC_RESERVED_PARTICIPATION[code]
                self.report(path, code, f"ANAC code read as {ocds_code or 'not reserved'}", repaired=True)
                if ocds_code:
                    found.append(ocds_code)
                continue
            if code not in codes("reservedParticipation"):
                # An open codelist: kept, but worth a look.
                self.report(path, code, "not in the reservedParticipation codelist", repaired=True)
            found.append(code)
        return found

    def party(self, reference: dict[str, Any], parties: dict[str, dict[str, Any]], path: str) -> Party:
        party_id = str(reference["id"]) if reference.get("id") is not None else None
        party = parties.get(party_id or "", {})
        found = party.get("identifier")
        identifier: dict[str, Any] = found if isinstance(found, dict) else {}
        scheme = _text(identifier.get("scheme")) or None
        identifier_id = _text(str(identifier.get("id") or "")) or None
        codice_fiscale = None
        if scheme == CODICE_FISCALE_SCHEME and identifier_id:
            codice_fiscale = identifier_id.upper()
            if not _valid_codice_fiscale(codice_fiscale):
                self.report(f"{path}/identifier/id", identifier_id, "codice fiscale with a wrong check digit")
        name = _text(reference.get("name")) or _text(party.get("name")) or _text(identifier.get("legalName"))
        return Party(
            name=name,
            party_id=party_id,
            codice_fiscale=codice_fiscale,
            identifier_scheme=scheme,
            identifier_id=identifier_id,
        )

    def buyer(self, data: dict[str, Any], parties: dict[str, dict[str, Any]]) -> Party | None:
        reference = data.get("buyer")
        if not isinstance(reference, dict):
            reference = next(
                (party for party in parties.values() if "buyer" in (party.get("roles") or [])),
                None,
            )
        if reference is None:
            return None
        return self.party(reference, parties, "buyer")

    def lot(self, lot: dict[str, Any], path: str) -> Lot:
        return Lot(
            lot_id=str(lot.get("id", "")),
            title=_text(lot.get("title")),
            description=_text(lot.get("description")),
            status=self.code(lot.get("status"), f"{path}/status", "tenderStatus"),
            value=self.amount(lot.get("value"), f"{path}/value"),
            reserved_participation=tuple(
                self.reserved(self.object(lot, f"{path}/otherRequirements"), f"{path}/otherRequirements")
            ),
        )

    def award(self, award: dict[str, Any], path: str, parties: dict[str, dict[str, Any]]) -> Award:
        suppliers = [
            self.party(supplier, parties, f"{path}/suppliers/{index}")
            for index, supplier in enumerate(self.objects(award, "suppliers"))
        ]
        return Award(
            award_id=str(award.get("id", "")),
            date=self.datetime(award.get("date"), f"{path}/date"),
            status=self.code(award.get("status"), f"{path}/status", "awardStatus"),
            value=self.amount(award.get("value"), f"{path}/value"),
            suppliers=tuple(suppliers),
            related_lots=tuple(str(lot) for lot in award.get("relatedLots") or []),
        )

    def contract(self, contract: dict[str, Any], path: str) -> Contract:
        period = self.object(contract, f"{path}/period")
        return Contract(
            contract_id=str(contract.get("id", "")),
            award_id=str(contract["awardID"]) if contract.get("awardID") is not None else None,
            date_signed=self.datetime(contract.get("dateSigned"), f"{path}/dateSigned"),
            start=self.datetime(period.get("startDate"), f"{path}/period/startDate"),
            end=self.datetime(period.get("endDate"), f"{path}/period/endDate"),
            value=self.amount(contract.get("value"), f"{path}/value"),
            status=self.code(contract.get("status"), f"{path}/status", "contractStatus"),
        )
