"""`manage.py export_ocds`: the registry's opportunities as an OCDS 1.1 release package.

Each opportunity becomes one release with its current state (`ocds.export`
builds it, `ocds.validation` checks it against the official schema): the ocid
it was imported with, or `OCDS_OCID_PREFIX-opp-<id>` for one entered on the
platform; the buyer; the kind and legal basis in words (`procurementMethodDetails`)
with the OCDS method; value, CPV codes as items, lots, dates, documents and the
reserved participation (the lots and other-requirements extensions). Demo
opportunities are left out. Awards, but the demo ones, are written with their
suppliers (in `parties`, role supplier, identified by codice fiscale when
known), value, date, status and lot.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from typing import IO

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation

from .models import Award, Opportunity
from .ocds import (
    ExportAward,
    ExportDocument,
    ExportItem,
    ExportLot,
    ExportOpportunity,
    ExportParty,
    write_release_package,
)
from .ocds.parse import ANAC_RESERVED_PARTICIPATION

METHODS = {
    Opportunity.Kind.PUBLIC_TENDER: "open",
    Opportunity.Kind.RESERVED_CONTRACT: "open",
    Opportunity.Kind.PRIVATE_PROCUREMENT: "open",
    Opportunity.Kind.CO_DESIGN: "selective",
    Opportunity.Kind.TYPE_B_CONVENTION: "limited",
    Opportunity.Kind.ODV_APS_CONVENTION: "limited",
    Opportunity.Kind.FINANCE: "open",
    Opportunity.Kind.TRAINING: "open",
    Opportunity.Kind.PUBLIC_ASSET: "open",
}
STATUSES = {
    Opportunity.Status.PLANNED: "planned",
    Opportunity.Status.OPEN: "active",
    Opportunity.Status.CLOSED: "complete",
    Opportunity.Status.AWARDED: "complete",
    Opportunity.Status.CANCELLED: "cancelled",
}


def exported(opportunity: Opportunity) -> ExportOpportunity:
    """What OCDS publishes of one opportunity, read with `opportunities_to_export`'s prefetches."""
    items = [ExportItem(item_id=str(index), cpv=cpv.code) for index, cpv in enumerate(opportunity.cpv_codes.all(), 1)]
    lots = []
    for lot in opportunity.lots.all():
        lots.append(ExportLot(lot_id=str(lot.number), title=lot.title, amount=lot.value))
        items += [
            ExportItem(item_id=f"lot-{lot.number}-{index}", cpv=cpv.code, related_lot=str(lot.number))
            for index, cpv in enumerate(lot.cpv_codes.all(), 1)
        ]
    reserved = ANAC_RESERVED_PARTICIPATION.get(opportunity.reserved_participation)
    with translation.override("it"):
        details = f"{opportunity.get_kind_display()} ({opportunity.legal_basis.citation})"
    return ExportOpportunity(
        updated=opportunity.updated_at,
        buyer=ExportParty(name=opportunity.buyer.name, codice_fiscale=opportunity.buyer.codice_fiscale),
        title=opportunity.title,
        ocid=opportunity.ocid,
        local_id=None if opportunity.ocid else f"opp-{opportunity.pk}",
        description=opportunity.description,
        procurement_method=METHODS.get(opportunity.kind),
        procurement_method_details=details,
        amount=opportunity.value,
        items=tuple(items),
        lots=tuple(lots),
        tender_start=timezone.make_aware(datetime.combine(opportunity.published_on, time.min)),
        deadline=opportunity.deadline,
        status=STATUSES.get(opportunity.status),
        reserved_participation=(reserved,) if reserved else (),
        documents=tuple(
            ExportDocument(document_id=str(document.pk), url=document.url, title=document.title)
            for document in opportunity.documents.all()
        ),
        awards=tuple(_award(award) for award in opportunity.awards.all() if not award.is_demo),
    )


def _award(award: Award) -> ExportAward:
    return ExportAward(
        award_id=award.ocds_award_id or f"award-{award.pk}",
        suppliers=tuple(
            ExportParty(name=supplier.name, codice_fiscale=supplier.codice_fiscale or None)
            for supplier in award.suppliers.all()
        ),
        amount=award.value,
        date=timezone.make_aware(datetime.combine(award.date, time.min)) if award.date else None,
        status=award.status,
        related_lots=(str(award.lot.number),) if award.lot is not None else (),
    )


def opportunities_to_export() -> Iterator[Opportunity]:
    """Every opportunity but the demo ones, in a fixed order, read in chunks so memory stays flat."""
    return (
        Opportunity.objects.filter(is_demo=False)
        .select_related("buyer", "legal_basis")
        .prefetch_related(
            "cpv_codes",
            "lots__cpv_codes",
            "documents",
            Prefetch("awards", queryset=Award.objects.select_related("lot").prefetch_related("suppliers")),
        )
        .order_by("pk")
        .iterator(chunk_size=500)
    )


def export_ocds(stream: IO[str], *, uri: str) -> int:
    """Write the release package to `stream`; return how many releases it holds."""
    return write_release_package(
        (exported(opportunity) for opportunity in opportunities_to_export()),
        stream,
        publisher=settings.OCDS_PUBLISHER,
        uri=uri,
        published_date=timezone.now(),
        ocid_prefix=settings.OCDS_OCID_PREFIX,
    )
