"""Build an OCDS 1.1 release package from plain data: one release per opportunity, current state.

Reserved participation goes to `tender.otherRequirements.reservedParticipation`
(other requirements extension, codes `shelteredWorkshop` for art. 61 D.Lgs.
36/2023 reserved contracts, `publicService`), lots to `tender.lots` (lots
extension); eligibility conditions and reward criteria, which OCDS 1.1 has as
text, to `tender.eligibilityCriteria` and `tender.awardCriteriaDetails`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import IO, Any

from .codelists import codes

OCDS_VERSION = "1.1"
EXTENSIONS = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_otherRequirements_extension/master/extension.json",
)
CODICE_FISCALE_SCHEME = "IT-CF"


class ExportError(ValueError):
    """An opportunity cannot be published as OCDS: the message names the opportunity and the field."""


@dataclass(frozen=True)
class ExportParty:
    name: str
    codice_fiscale: str | None = None

    @property
    def party_id(self) -> str:
        return f"{CODICE_FISCALE_SCHEME}-{self.codice_fiscale}" if self.codice_fiscale else self.name


@dataclass(frozen=True)
class ExportItem:
    item_id: str
    cpv: str  # 8 digits, as the platform stores CPV codes
    description: str = ""
    related_lot: str | None = None


@dataclass(frozen=True)
class ExportLot:
    lot_id: str
    title: str = ""
    description: str = ""
    amount: Decimal | None = None
    status: str | None = None
    reserved_participation: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportDocument:
    document_id: str
    url: str
    title: str = ""
    document_type: str | None = None
    date_published: datetime | None = None
    language: str = "it"


@dataclass(frozen=True)
class ExportAward:
    award_id: str
    suppliers: tuple[ExportParty, ...]
    amount: Decimal | None = None
    date: datetime | None = None
    status: str = "active"
    related_lots: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportOpportunity:
    """What the platform publishes of one opportunity; `ocid` when it came from OCDS, else `local_id`."""

    updated: datetime
    buyer: ExportParty
    title: str
    ocid: str | None = None
    local_id: str | None = None
    description: str = ""
    # The opportunity's kind as OCDS says it: the method code and, in words, the kind and its legal basis.
    procurement_method: str | None = None  # open | selective | limited | direct
    procurement_method_details: str = ""
    main_procurement_category: str | None = None  # goods | services | works
    amount: Decimal | None = None
    currency: str = "EUR"
    items: tuple[ExportItem, ...] = ()
    lots: tuple[ExportLot, ...] = ()
    tender_start: datetime | None = None
    deadline: datetime | None = None
    status: str | None = None  # tenderStatus code
    reserved_participation: tuple[str, ...] = ()
    eligibility_criteria: str = ""
    award_criteria_details: str = ""
    documents: tuple[ExportDocument, ...] = ()
    awards: tuple[ExportAward, ...] = field(default_factory=tuple)


def release_package(
    opportunities: Iterable[ExportOpportunity],
    *,
    publisher: str,
    uri: str,
    published_date: datetime,
    ocid_prefix: str,
) -> dict[str, Any]:
    """The whole package as a dict (for small sets; `write_release_package` streams large ones)."""
    package = _package_header(publisher=publisher, uri=uri, published_date=published_date)
    package["releases"] = [release(opportunity, ocid_prefix=ocid_prefix) for opportunity in opportunities]
    return package


def write_release_package(
    opportunities: Iterable[ExportOpportunity],
    stream: IO[str],
    *,
    publisher: str,
    uri: str,
    published_date: datetime,
    ocid_prefix: str,
) -> int:
    """Write the package release by release, so that memory does not grow with the set; return the count."""
    header = json.dumps(_package_header(publisher=publisher, uri=uri, published_date=published_date))
    stream.write(header[:-1] + ', "releases": [')
    count = 0
    for count, chunk in enumerate(_release_chunks(opportunities, ocid_prefix), start=1):
        stream.write(chunk if count == 1 else "," + chunk)
    stream.write("]}")
    return count


def _release_chunks(opportunities: Iterable[ExportOpportunity], ocid_prefix: str) -> Iterator[str]:
    for opportunity in opportunities:
        yield json.dumps(release(opportunity, ocid_prefix=ocid_prefix), ensure_ascii=False)


def _package_header(*, publisher: str, uri: str, published_date: datetime) -> dict[str, Any]:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": _date(published_date),
        "publisher": {"name": publisher},
    }


def release(opportunity: ExportOpportunity, *, ocid_prefix: str) -> dict[str, Any]:
    """One OCDS release with the opportunity's current state."""
    ocid = opportunity.ocid or (f"{ocid_prefix}-{opportunity.local_id}" if opportunity.local_id else None)
    if not ocid:
        raise ExportError(f"{opportunity.title!r}: ocid or local_id is required")
    check = _Checker(ocid)
    parties: dict[str, dict[str, Any]] = {}
    _add_party(parties, opportunity.buyer, "buyer")
    tender: dict[str, Any] = {"id": ocid, "title": opportunity.title}
    _put(tender, "description", opportunity.description)
    _put(tender, "status", check.code(opportunity.status, "status", "tenderStatus"))
    _put(tender, "procurementMethod", check.code(opportunity.procurement_method, "procurement_method", "method"))
    _put(tender, "procurementMethodDetails", opportunity.procurement_method_details)
    _put(
        tender,
        "mainProcurementCategory",
        check.code(opportunity.main_procurement_category, "main_procurement_category", "procurementCategory"),
    )
    _put(tender, "value", check.value(opportunity.amount, opportunity.currency, "amount"))
    _put(tender, "items", [_item(item, check) for item in opportunity.items])
    _put(tender, "lots", [_lot(lot, opportunity.currency, check) for lot in opportunity.lots])
    if opportunity.deadline and opportunity.tender_start and opportunity.deadline < opportunity.tender_start:
        raise ExportError(f"{ocid}: deadline: before the start of the tender period")
    period = {
        key: _date(value)
        for key, value in (("startDate", opportunity.tender_start), ("endDate", opportunity.deadline))
        if value
    }
    _put(tender, "tenderPeriod", period)
    _put(tender, "eligibilityCriteria", opportunity.eligibility_criteria)
    _put(tender, "awardCriteriaDetails", opportunity.award_criteria_details)
    if opportunity.reserved_participation:
        tender["otherRequirements"] = {
            "reservedParticipation": check.reserved(opportunity.reserved_participation, "reserved_participation")
        }
    _put(tender, "documents", [_document(document) for document in opportunity.documents])
    awards = [_award(award, opportunity.currency, parties, check) for award in opportunity.awards]
    data: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{opportunity.updated.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        "date": _date(opportunity.updated),
        "tag": ["tender", "award"] if awards else ["tender"],
        "initiationType": "tender",
        "language": "it",
        "parties": list(parties.values()),
        "buyer": {"id": opportunity.buyer.party_id, "name": opportunity.buyer.name},
        "tender": tender,
    }
    _put(data, "awards", awards)
    return data


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    """OCDS prefers a field absent to empty."""
    if value not in (None, "", [], {}):
        target[key] = value


def _date(value: datetime) -> str:
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _add_party(parties: dict[str, dict[str, Any]], party: ExportParty, role: str) -> None:
    entry = parties.setdefault(party.party_id, {"id": party.party_id, "name": party.name, "roles": []})
    if party.codice_fiscale:
        entry["identifier"] = {"scheme": CODICE_FISCALE_SCHEME, "id": party.codice_fiscale, "legalName": party.name}
    if role not in entry["roles"]:
        entry["roles"].append(role)


def _item(item: ExportItem, check: _Checker) -> dict[str, Any]:
    if not (len(item.cpv) == 8 and item.cpv.isdigit()):
        raise ExportError(f"{check.ocid}: items: CPV code {item.cpv!r} is not 8 digits")
    data: dict[str, Any] = {"id": item.item_id, "classification": {"scheme": "CPV", "id": item.cpv}}
    _put(data["classification"], "description", item.description)
    _put(data, "description", item.description)
    _put(data, "relatedLot", item.related_lot)
    return data


def _lot(lot: ExportLot, currency: str, check: _Checker) -> dict[str, Any]:
    data: dict[str, Any] = {"id": lot.lot_id}
    _put(data, "title", lot.title)
    _put(data, "description", lot.description)
    _put(data, "status", check.code(lot.status, f"lots/{lot.lot_id}/status", "tenderStatus"))
    _put(data, "value", check.value(lot.amount, currency, f"lots/{lot.lot_id}/amount"))
    if lot.reserved_participation:
        data["otherRequirements"] = {
            "reservedParticipation": check.reserved(lot.reserved_participation, f"lots/{lot.lot_id}")
        }
    return data


def _document(document: ExportDocument) -> dict[str, Any]:
    data: dict[str, Any] = {"id": document.document_id, "url": document.url, "language": document.language}
    _put(data, "title", document.title)
    _put(data, "documentType", document.document_type)
    if document.date_published:
        data["datePublished"] = _date(document.date_published)
    return data


def _award(award: ExportAward, currency: str, parties: dict[str, dict[str, Any]], check: _Checker) -> dict[str, Any]:
    for supplier in award.suppliers:
        _add_party(parties, supplier, "supplier")
    data: dict[str, Any] = {
        "id": award.award_id,
        "status": check.code(award.status, f"awards/{award.award_id}/status", "awardStatus"),
        "suppliers": [{"id": supplier.party_id, "name": supplier.name} for supplier in award.suppliers],
    }
    _put(data, "value", check.value(award.amount, currency, f"awards/{award.award_id}/amount"))
    if award.date:
        data["date"] = _date(award.date)
    _put(data, "relatedLots", list(award.related_lots))
    return data


class _Checker:
    """Refuses what the schema would refuse, naming the opportunity and the field."""

    def __init__(self, ocid: str) -> None:
        self.ocid = ocid

    def code(self, value: str | None, name: str, codelist: str) -> str | None:
        if value is not None and value not in codes(codelist):
            raise ExportError(f"{self.ocid}: {name}: {value!r} is not in the OCDS {codelist} codelist")
        return value

    def value(self, amount: Decimal | None, currency: str, name: str) -> dict[str, Any] | None:
        if amount is None:
            return None
        if amount < 0:
            raise ExportError(f"{self.ocid}: {name}: negative value {amount}")
        self.code(currency, f"{name} currency", "currency")
        return {"amount": _number(amount), "currency": currency}

    def reserved(self, values: tuple[str, ...], name: str) -> list[str]:
        for value in values:
            self.code(value, name, "reservedParticipation")
        return list(values)
