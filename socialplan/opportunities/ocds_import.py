"""`manage.py import_ocds`: OCDS releases into the registry, idempotent on ocid.

Each release is read as it streams out of the file (`ocds.iter_releases`,
memory flat whatever the size), parsed with its problems (`ocds.parse_release`)
and written through the registry's own service (`services.create_opportunity`
or `update_opportunity`), so an imported opportunity obeys every rule a typed
one does; its awards go through `awards.prepare_award` likewise and replace
the awards the previous import of the same ocid wrote (typed awards stay).
The buyer is matched by codice fiscale, or created. A release is refused as
a whole, with its place in the file, the field and the reason, when it has no
ocid, when the service refuses it (or refuses one of its awards), or when none
of the legal bases is in force on its publication date.

The whole file is one transaction. By default one refused release refuses the
file and nothing is written; `accept_valid` writes the valid releases and
reports the others. Problems the parser repaired (ANAC's malformed dates) are
reported and do not refuse anything; the raw values stay in `raw`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from socialplan.ecosystem.models import CpvCode
from socialplan.ecosystem.validators import validate_codice_fiscale

from .awards import SupplierSpec, organizations_by_codice_fiscale, prepare_award, save_award
from .models import Award, Buyer, LegalBasis, Opportunity
from .ocds import OcdsError, ParsedRelease, ReleaseError, iter_releases, parse_release
from .services import LotSpec, create_opportunity, update_opportunity

# Which legal basis an imported release falls under: the first in force on its publication date.
PUBLIC_TENDER_BASES = ("dlgs36-2023-public-tender", "dlgs50-2016-public-tender")
RESERVED_BASES = ("dlgs36-2023-art61", "dlgs50-2016-art112")
# What the parser reports that a registry cannot take: the release is refused, not written without the figure.
REFUSED_PROBLEMS = {"negative value"}
# OCDS tender statuses, and what the registry calls them; without a status a release with awards is awarded.
STATUSES = {
    "planning": Opportunity.Status.PLANNED,
    "planned": Opportunity.Status.PLANNED,
    "active": Opportunity.Status.OPEN,
    "complete": Opportunity.Status.CLOSED,
    "cancelled": Opportunity.Status.CANCELLED,
    "unsuccessful": Opportunity.Status.CLOSED,
    "withdrawn": Opportunity.Status.CANCELLED,
}
# OCDS award statuses kept: "pending" and "unsuccessful" are not awards made. Without a status, active.
AWARD_STATUSES = {None: Award.Status.ACTIVE, "active": Award.Status.ACTIVE, "cancelled": Award.Status.CANCELLED}


@dataclass(frozen=True)
class Refusal:
    location: str
    ocid: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location} ({self.ocid or 'no ocid'}) {self.field}: {self.reason}"


@dataclass(frozen=True)
class Notice:
    """A problem the parser found and could live with: the opportunity is written, the raw value kept."""

    location: str
    ocid: str
    field: str
    value: Any
    reason: str

    def __str__(self) -> str:
        return f"{self.location} ({self.ocid}) {self.field}: {self.reason} (value {self.value!r})"


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    buyers_created: int = 0
    awards: int = 0
    refused: list[Refusal] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    written: bool = False


class ImportRefused(Exception):
    """The file, or one release without accept_valid, was refused: nothing was written."""

    def __init__(self, message: str, report: ImportReport) -> None:
        super().__init__(message)
        self.report = report


class _DryRun(Exception):
    pass


def import_ocds(
    path: str | Path,
    *,
    dry_run: bool = False,
    accept_valid: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every release of the file; see the module's docstring for what is refused and what is reported."""
    report = ImportReport()
    bases = {basis.code: basis for basis in LegalBasis.objects.filter(code__in=PUBLIC_TENDER_BASES + RESERVED_BASES)}
    if not bases:
        raise ImportRefused("No legal basis is loaded: run `manage.py load_legal_bases` first.", report)
    known_cpv = set(CpvCode.objects.values_list("code", flat=True))
    try:
        with transaction.atomic():
            for raw in iter_releases(path):
                report.read += 1
                _import_one(raw, bases, known_cpv, report)
                if progress is not None:
                    progress(report.read)
            if report.refused and not accept_valid:
                raise ImportRefused(
                    f"{len(report.refused)} of {report.read} releases refused: nothing was written.", report
                )
            if dry_run:
                raise _DryRun
    except OcdsError as error:
        raise ImportRefused(f"{error}: nothing was written.", report) from error
    except _DryRun:
        return report
    report.written = True
    return report


def _import_one(raw: Any, bases: dict[str, LegalBasis], known_cpv: set[str], report: ImportReport) -> None:
    try:
        parsed = parse_release(raw)
    except ReleaseError as error:
        report.refused.append(Refusal(raw.location, raw.ocid or "", "ocid", str(error)))
        return
    refusals = [problem for problem in parsed.problems if problem.reason in REFUSED_PROBLEMS]
    for problem in parsed.problems:
        if problem not in refusals:
            report.notices.append(Notice(raw.location, parsed.ocid, problem.path, problem.value, problem.reason))
    if refusals:
        for problem in refusals:
            report.refused.append(
                Refusal(raw.location, parsed.ocid, problem.path, f"{problem.reason} ({problem.value!r})")
            )
        return
    published = _published_on(parsed)
    if published is None:
        report.refused.append(Refusal(raw.location, parsed.ocid, "date", "no publication date can be read"))
        return
    reserved = bool(parsed.reserved_participation) or any(lot.reserved_participation for lot in parsed.lots)
    basis = _basis_on(bases, RESERVED_BASES if reserved else PUBLIC_TENDER_BASES, published)
    if basis is None:
        report.refused.append(
            Refusal(raw.location, parsed.ocid, "legal_basis", f"no legal basis in force on {published.isoformat()}")
        )
        return
    unknown = [code for code in parsed.cpv_codes if code not in known_cpv]
    for code in unknown:
        report.notices.append(
            Notice(raw.location, parsed.ocid, "tender/items/classification", code, "unknown CPV code: left out")
        )
    existing = Opportunity.objects.filter(ocid=parsed.ocid).first()
    fields = {
        "kind": Opportunity.Kind.RESERVED_CONTRACT if reserved else Opportunity.Kind.PUBLIC_TENDER,
        "legal_basis": basis,
        "buyer": _buyer(parsed, raw.location, report),
        "title": parsed.title[:500] or parsed.ocid,
        "description": parsed.description,
        "value": parsed.value.amount if parsed.value and (parsed.value.currency or "EUR") == "EUR" else None,
        "published_on": published,
        "deadline": parsed.deadline,
        "status": _status(parsed),
        "source": Opportunity.Source.OCDS,
        "ocid": parsed.ocid,
        "raw": parsed.raw,
    }
    lots = [
        LotSpec(number=number, title=(lot.title or lot.lot_id)[:500], value=lot.value.amount if lot.value else None)
        for number, lot in enumerate(parsed.lots, start=1)
    ]
    cpv_codes = [code for code in parsed.cpv_codes if code in known_cpv]
    notices: list[Notice] = []
    try:
        with transaction.atomic():
            if existing is None:
                opportunity = create_opportunity(cpv_codes=cpv_codes, lots=lots, **fields)
            else:
                opportunity = update_opportunity(existing, cpv_codes=cpv_codes, lots=lots, **fields)
            awards = _replace_awards(opportunity, parsed, notices)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            report.refused.append(Refusal(raw.location, parsed.ocid, name, " ".join(messages)))
        return
    report.notices.extend(notices)
    report.awards += awards
    if existing is None:
        report.created += 1
    else:
        report.updated += 1


def _replace_awards(opportunity: Opportunity, parsed: ParsedRelease, notices: list[Notice]) -> int:
    """The release's awards replace the opportunity's imported ones; refusals name the award's field.

    An imported award found again by its OCDS id is updated in place, so the social value commitments
    recorded on it stay; one the release no longer has is deleted with them (and reported).
    """
    previous = {
        award.ocds_award_id: award for award in Award.objects.filter(opportunity=opportunity, source=Award.Source.OCDS)
    }
    raw_awards = [award for award in parsed.raw.get("awards") or [] if isinstance(award, dict)]
    # Imported lots are numbered in the release's order (see `_import_one`).
    lot_numbers = {lot.lot_id: number for number, lot in enumerate(parsed.lots, start=1)}
    lots = {lot.number: lot for lot in opportunity.lots.all()}
    organizations = organizations_by_codice_fiscale(
        supplier.codice_fiscale for award in parsed.awards for supplier in award.suppliers
    )
    errors: dict[str, list[str]] = {}
    prepared, seen = [], set()

    def notice(path: str, value: Any, reason: str) -> None:
        notices.append(Notice(parsed.location, parsed.ocid, path, value, reason))

    for index, award in enumerate(parsed.awards):
        path = f"awards/{index}"
        if award.status not in AWARD_STATUSES:
            notice(f"{path}/status", award.status, "not an award made: left out")
            continue
        if award.award_id and award.award_id in seen:
            notice(f"{path}/id", award.award_id, "the same award id twice: the second left out")
            continue
        seen.add(award.award_id)
        value = None
        if award.value is not None:
            if (award.value.currency or "EUR") == "EUR":
                value = award.value.amount
            else:
                notice(f"{path}/value/currency", award.value.currency, "not EUR: the value is left out")
        lot = None
        numbers = [lot_numbers.get(lot_id) for lot_id in award.related_lots]
        if None in numbers:
            notice(f"{path}/relatedLots", list(award.related_lots), "a lot the tender does not have: left out")
        elif len(numbers) == 1:
            lot = lots.get(numbers[0])
        if not award.suppliers:
            notice(f"{path}/suppliers", [], "an award without suppliers")
        suppliers = []
        for number, supplier in enumerate(award.suppliers):
            code = supplier.codice_fiscale
            if code is not None:
                try:
                    validate_codice_fiscale(code)
                except ValidationError:
                    notice(f"{path}/suppliers/{number}/identifier", code, "invalid codice fiscale: left out")
                    code = None
            name = supplier.name or (supplier.identifier_id or "")
            suppliers.append(SupplierSpec(name=name or "Operatore economico senza nome", codice_fiscale=code))
        try:
            prepared.append(
                prepare_award(
                    opportunity=opportunity,
                    suppliers=suppliers,
                    date=_local_date(award.date),
                    value=value,
                    lot=lot,
                    status=AWARD_STATUSES[award.status],
                    source=Award.Source.OCDS,
                    ocds_award_id=award.award_id[:200],
                    raw=raw_awards[index] if index < len(raw_awards) else None,
                    require_date=False,
                    require_suppliers=False,
                    organizations=organizations,
                    replace=previous.pop(award.award_id, None) if award.award_id else None,
                )
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(f"{path}/{name}", []).extend(messages)
    if errors:
        raise ValidationError(errors)
    for gone in previous.values():
        if gone.commitments.exists():
            notice("awards", gone.ocds_award_id, "an award no longer in the release: removed with its social value")
        gone.delete()
    for item in prepared:
        save_award(item)
    return len(prepared)


def _local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _published_on(parsed: ParsedRelease) -> date | None:
    return _local_date(parsed.tender_start or parsed.date)


def _basis_on(bases: dict[str, LegalBasis], codes: tuple[str, ...], day: date) -> LegalBasis | None:
    for code in codes:
        basis = bases.get(code)
        if basis is not None and basis.valid_from <= day and (basis.valid_to is None or day <= basis.valid_to):
            return basis
    return None


def _status(parsed: ParsedRelease) -> str:
    if parsed.awards and parsed.status in (None, "complete"):
        return Opportunity.Status.AWARDED
    if parsed.status in STATUSES:
        return STATUSES[parsed.status]
    if parsed.deadline is not None and parsed.deadline < timezone.now():
        return Opportunity.Status.CLOSED
    return Opportunity.Status.OPEN


def _buyer(parsed: ParsedRelease, location: str, report: ImportReport) -> Buyer:
    """The buyer with the release's codice fiscale, created when new; without a valid code, one by name."""
    party = parsed.buyer
    name = (party.name if party else "").strip()[:300] or "Stazione appaltante senza nome"
    code = (party.codice_fiscale or "").strip().upper() if party else ""
    if code:
        try:
            validate_codice_fiscale(code)
        except ValidationError:
            report.notices.append(Notice(location, parsed.ocid, "buyer/identifier", code, "invalid codice fiscale"))
            code = ""
    if code:
        buyer, created = Buyer.objects.get_or_create(codice_fiscale=code, defaults={"name": name})
    else:
        buyer = Buyer.objects.filter(codice_fiscale__isnull=True, name=name).first()
        created = buyer is None
        if buyer is None:
            buyer = Buyer.objects.create(name=name)
    report.buyers_created += int(created)
    return buyer
