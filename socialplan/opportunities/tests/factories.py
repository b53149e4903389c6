"""Opportunities for tests, created through the service so that they are always valid."""

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from socialplan.opportunities.models import Buyer, LegalBasis, Opportunity
from socialplan.opportunities.services import create_opportunity

KIND_OF_BASIS = {
    "dlgs36-2023-public-tender": Opportunity.Kind.PUBLIC_TENDER,
    "dlgs36-2023-art61": Opportunity.Kind.RESERVED_CONTRACT,
    "l381-1991-art5": Opportunity.Kind.TYPE_B_CONVENTION,
    "dlgs117-2017-art55": Opportunity.Kind.CO_DESIGN,
    "dlgs117-2017-art56": Opportunity.Kind.ODV_APS_CONVENTION,
    "private-procurement": Opportunity.Kind.PRIVATE_PROCUREMENT,
    "finance-instrument": Opportunity.Kind.FINANCE,
    "training-programme": Opportunity.Kind.TRAINING,
    "public-asset-concession": Opportunity.Kind.PUBLIC_ASSET,
}


def opportunity_fields(basis: LegalBasis, buyer: Buyer, **fields: Any) -> dict[str, Any]:
    kind = KIND_OF_BASIS[basis.code]
    values: dict[str, Any] = {
        "kind": kind,
        "legal_basis": basis,
        "buyer": buyer,
        "title_it": "Pulizia degli uffici comunali",
        "title_en": "Cleaning of the town offices",
        "value": 150_000,
        "published_on": date(2026, 3, 2),
        "deadline": timezone.make_aware(datetime(2026, 4, 15, 12)),
    }
    if kind == Opportunity.Kind.CO_DESIGN:
        values["co_design_kind"] = Opportunity.CoDesignKind.CO_DESIGN
    if kind == Opportunity.Kind.FINANCE:
        values["instrument"] = Opportunity.Instrument.LOAN
    values.update(fields)
    return values


def make_opportunity(basis: LegalBasis, buyer: Buyer, *, cpv_codes: tuple[str, ...] = (), **fields: Any) -> Opportunity:
    return create_opportunity(cpv_codes=cpv_codes, **opportunity_fields(basis, buyer, **fields))
