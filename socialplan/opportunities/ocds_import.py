"""`manage.py import_ocds`: OCDS releases into the registry, idempotent on ocid, written in bulk.

Releases stream out of the file (`ocds.iter_releases`, memory flat whatever the
size) and are handled `BATCH_SIZE` at a time. Each is parsed with its problems
(`ocds.parse_release`) and checked in memory by the registry's own rules
(`services.prepare_imported_opportunity`, `awards.prepare_award`), so an
imported opportunity obeys every rule a typed one does. What exists is looked
up once per batch (opportunities by ocid with their lots, CPV codes and
imported awards; buyers by codice fiscale, or by name when they have none; the
organizations of the suppliers), then the batch is written with bulk
statements: buyers, opportunities, lots, CPV codes, awards, suppliers. New
rows go in as plain INSERTs whose columns and conversions are worked out once
(`_Insert`: what `bulk_create` writes, without its per-value preparation);
changed rows through the ORM's `bulk_update`.

A release is refused as a whole, with its place in the file, the field and the
reason, when it has no ocid, when a rule refuses it (or one of its awards), or
when none of the legal bases is in force on its publication date. A release
that gives what the registry holds already (the same fields, raw release,
lots, CPV codes, awards and suppliers) is counted as unchanged and not
written: importing a file again changes nothing and says so. When a file has
several releases of one process (ANAC's history), the last one is kept.

The release's awards replace the ones the previous import of the same ocid
wrote (typed awards stay): one found again by its OCDS id is updated in place,
so the social value recorded on it stays. The matcher is told of every
opportunity written and of every organization whose awards changed; it
re-ranks once, after the commit.

The whole file is one transaction. By default one refused release refuses the
file and nothing is written; `accept_valid` writes the valid releases and
reports the others. Problems the parser repaired (ANAC's malformed dates) are
reported and do not refuse anything; the raw values stay in `raw`.
"""

from __future__ import annotations

import copy
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from socialplan.ecosystem.models import CpvCode, Organization
from socialplan.matching.signals import opportunity_changed, organization_changed

from .awards import (
    PreparedAward,
    SupplierSpec,
    is_valid_codice_fiscale,
    organizations_by_codice_fiscale,
    prepare_award,
)
from .models import Award, AwardSupplier, Buyer, LegalBasis, Lot, Opportunity, SocialValueCommitment
from .ocds import OcdsError, ParsedRelease, RawRelease, ReleaseError, iter_releases, parse_release
from .services import LotSpec, prepare_imported_opportunity

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
# Releases checked and written together: one lookup per batch and bulk statements, memory bounded by the batch.
BATCH_SIZE = 1000
# Refusals and notices kept to be listed; beyond them only counted, so that memory stays flat.
KEPT_PROBLEMS = 1000
# What an import sets on an opportunity (the rest, such as territory or eligibility, is the plan office's).
IMPORTED_FIELDS = (
    "kind",
    "legal_basis",
    "buyer",
    "title",
    "description",
    "value",
    "published_on",
    "deadline",
    "status",
    "source",
    "ocid",
    "raw",
)
# The first two are links, compared by what they point at.
AWARD_FIELDS = ("opportunity", "lot", "date", "value", "status", "source", "ocds_award_id", "raw", "is_demo")
# Those with a field check to pass: `raw` is what the JSON reader gave, so it is JSON, all its check asks.
CHECKED_FIELDS = frozenset(IMPORTED_FIELDS) - {"raw"}
IMPORTED_ATTNAMES = [field.attname for field in Opportunity._meta.concrete_fields if field.name in IMPORTED_FIELDS]
CpvLink = Opportunity.cpv_codes.through
BUILT_DEFAULTS = [
    field for field in Opportunity._meta.concrete_fields if field.has_default() and callable(field.default)
]


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
    """Counts, and the first `KEPT_PROBLEMS` refusals and notices (the totals count them all)."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    buyers_created: int = 0
    awards: int = 0
    refused_releases: int = 0
    refused: list[Refusal] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    notices_total: int = 0
    written: bool = False

    def refuse(self, refusals: list[Refusal]) -> None:
        self.refused_releases += 1
        self.refused.extend(refusals[: KEPT_PROBLEMS - len(self.refused)])

    def notice(self, notices: Iterable[Notice]) -> None:
        for notice in notices:
            self.notices_total += 1
            if len(self.notices) < KEPT_PROBLEMS:
                self.notices.append(notice)


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
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import every release of the file; see the module's docstring for what is refused and what is reported."""
    report = ImportReport()
    registry = _Registry.load()
    if not registry.bases:
        raise ImportRefused("No legal basis is loaded: run `manage.py load_legal_bases` first.", report)
    try:
        with transaction.atomic():
            batch: list[RawRelease] = []
            for raw in iter_releases(path):
                report.read += 1
                batch.append(raw)
                if len(batch) >= batch_size:
                    _import_batch(batch, registry, report)
                    batch = []
                if progress is not None:
                    progress(report.read)
            _import_batch(batch, registry, report)
            if report.refused_releases and not accept_valid:
                raise ImportRefused(
                    f"{report.refused_releases} of {report.read} releases refused: nothing was written.", report
                )
            if dry_run:
                raise _DryRun
    except OcdsError as error:
        raise ImportRefused(f"{error}: nothing was written.", report) from error
    except _DryRun:
        return report
    report.written = True
    return report


@dataclass(frozen=True)
class _Registry:
    """What the import reads once: the legal bases it assigns (with their value caps) and the known CPV codes."""

    bases: dict[str, LegalBasis]
    known_cpv: frozenset[str]
    blank: Opportunity

    @classmethod
    def load(cls) -> _Registry:
        bases = LegalBasis.objects.filter(code__in=PUBLIC_TENDER_BASES + RESERVED_BASES).prefetch_related("value_caps")
        return cls(
            bases={basis.code: basis for basis in bases},
            known_cpv=frozenset(CpvCode.objects.values_list("code", flat=True)),
            blank=Opportunity(),
        )

    def new_opportunity(self) -> Opportunity:
        """A new opportunity with the model's defaults, copied from one built once (building costs more).

        The defaults built by a function (an empty list) are built again: no two opportunities share one.
        """
        opportunity = copy.copy(self.blank)
        for model_field in BUILT_DEFAULTS:
            setattr(opportunity, model_field.attname, model_field.get_default())
        return opportunity


@dataclass
class _Candidate:
    """A release read and mapped to the registry's fields, before anything is looked up."""

    parsed: ParsedRelease
    fields: dict[str, Any]
    buyer_name: str
    buyer_code: str
    cpv_codes: list[str]
    lots: list[LotSpec]


@dataclass
class _Release:
    """A release that passed every check, with the rows it writes."""

    parsed: ParsedRelease
    opportunity: Opportunity
    cpv_codes: list[str]
    lots: list[Lot]
    awards: list[PreparedAward]
    gone: list[Award]
    unchanged: bool = False


def _import_batch(raws: list[RawRelease], registry: _Registry, report: ImportReport) -> None:
    candidates = [candidate for raw in raws if (candidate := _read(raw, registry, report)) is not None]
    if not candidates:
        return
    stored = _Stored.load(candidates)
    kept: dict[str, _Release] = {}
    for candidate in candidates:
        release = _prepare(candidate, registry, stored, report)
        if release is None:
            continue
        ocid = candidate.parsed.ocid
        if release.unchanged:
            report.unchanged += 1
        elif ocid in stored.opportunities or ocid in kept:
            report.updated += 1
        else:
            report.created += 1
        report.awards += len(release.awards)
        kept[ocid] = release
    _write([release for release in kept.values() if not release.unchanged], report)


def _read(raw: RawRelease, registry: _Registry, report: ImportReport) -> _Candidate | None:
    """Parse a release and map it to the registry's fields; None (and the reasons reported) when refused."""
    try:
        parsed = parse_release(raw)
    except ReleaseError as error:
        report.refuse([Refusal(raw.location, raw.ocid or "", "ocid", str(error))])
        return None
    refusals = [problem for problem in parsed.problems if problem.reason in REFUSED_PROBLEMS]
    report.notice(
        Notice(raw.location, parsed.ocid, problem.path, problem.value, problem.reason)
        for problem in parsed.problems
        if problem not in refusals
    )
    if refusals:
        report.refuse(
            [
                Refusal(raw.location, parsed.ocid, problem.path, f"{problem.reason} ({problem.value!r})")
                for problem in refusals
            ]
        )
        return None
    published = _published_on(parsed)
    if published is None:
        report.refuse([Refusal(raw.location, parsed.ocid, "date", "no publication date can be read")])
        return None
    reserved = bool(parsed.reserved_participation) or any(lot.reserved_participation for lot in parsed.lots)
    basis = _basis_on(registry.bases, RESERVED_BASES if reserved else PUBLIC_TENDER_BASES, published)
    if basis is None:
        report.refuse(
            [Refusal(raw.location, parsed.ocid, "legal_basis", f"no legal basis in force on {published.isoformat()}")]
        )
        return None
    report.notice(
        Notice(raw.location, parsed.ocid, "tender/items/classification", code, "unknown CPV code: left out")
        for code in parsed.cpv_codes
        if code not in registry.known_cpv
    )
    fields = {
        "kind": Opportunity.Kind.RESERVED_CONTRACT if reserved else Opportunity.Kind.PUBLIC_TENDER,
        "legal_basis": basis,
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
    name, code = _buyer_identity(parsed, report)
    cpv_codes = [code for code in parsed.cpv_codes if code in registry.known_cpv]
    return _Candidate(parsed, fields, name, code, cpv_codes, lots)


def _buyer_identity(parsed: ParsedRelease, report: ImportReport) -> tuple[str, str]:
    """The buyer's name and valid codice fiscale (empty when missing or invalid, which is reported)."""
    party = parsed.buyer
    name = (party.name if party else "").strip()[:300] or "Stazione appaltante senza nome"
    code = (party.codice_fiscale or "").strip().upper() if party else ""
    if code and not is_valid_codice_fiscale(code):
        report.notice([Notice(parsed.location, parsed.ocid, "buyer/identifier", code, "invalid codice fiscale")])
        code = ""
    return name, code


@dataclass
class _Stored:
    """What the registry holds for a batch, read with one query per kind of row."""

    opportunities: dict[str, Opportunity]
    cpv_codes: dict[int, set[str]]
    lots: dict[int, list[tuple[int, str, Any]]]
    lot_numbers: dict[int | None, int]
    awards: dict[int, dict[str, Award]]
    suppliers: dict[int, list[tuple[Any, ...]]]
    buyers_by_code: dict[str, Buyer]
    buyers_by_name: dict[str, Buyer]
    organizations: dict[str, Organization]

    @classmethod
    def load(cls, candidates: list[_Candidate]) -> _Stored:
        opportunities = {
            opportunity.ocid: opportunity
            for opportunity in Opportunity.objects.filter(ocid__in={c.parsed.ocid for c in candidates})
            if opportunity.ocid
        }
        pks = [opportunity.pk for opportunity in opportunities.values()]
        cpv_codes: dict[int, set[str]] = defaultdict(set)
        for pk, code in CpvLink.objects.filter(opportunity_id__in=pks).values_list("opportunity_id", "cpvcode_id"):
            cpv_codes[pk].add(code)
        lots: dict[int, list[tuple[int, str, Any]]] = defaultdict(list)
        lot_numbers: dict[int | None, int] = {}
        for lot in Lot.objects.filter(opportunity_id__in=pks).order_by("opportunity_id", "number"):
            lots[lot.opportunity_id].append((lot.number, lot.title, lot.value))
            lot_numbers[lot.pk] = lot.number
        awards: dict[int, dict[str, Award]] = defaultdict(dict)
        for award in Award.objects.filter(opportunity_id__in=pks, source=Award.Source.OCDS):
            awards[award.opportunity_id][award.ocds_award_id] = award
        suppliers: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        award_pks = [award.pk for by_id in awards.values() for award in by_id.values()]
        for supplier in AwardSupplier.objects.filter(award_id__in=award_pks).order_by("award_id", "pk"):
            suppliers[supplier.award_id].append(_supplier_key(supplier))
        codes = {candidate.buyer_code for candidate in candidates if candidate.buyer_code}
        names = {candidate.buyer_name for candidate in candidates if not candidate.buyer_code}
        by_name: dict[str, Buyer] = {}
        for buyer in Buyer.objects.filter(codice_fiscale__isnull=True, name__in=names).order_by("-pk"):
            by_name[buyer.name] = buyer  # the oldest buyer of a name wins
        return cls(
            opportunities=opportunities,
            cpv_codes=cpv_codes,
            lots=lots,
            lot_numbers=lot_numbers,
            awards=awards,
            suppliers=suppliers,
            buyers_by_code={
                buyer.codice_fiscale: buyer
                for buyer in Buyer.objects.filter(codice_fiscale__in=codes)
                if buyer.codice_fiscale
            },
            buyers_by_name=by_name,
            organizations=organizations_by_codice_fiscale(
                supplier.codice_fiscale
                for candidate in candidates
                for award in candidate.parsed.awards
                for supplier in award.suppliers
            ),
        )

    def buyer(self, name: str, code: str) -> Buyer:
        """The buyer with this codice fiscale (or, without one, this name); a new one, unsaved, when none is."""
        known = self.buyers_by_code if code else self.buyers_by_name
        key = code or name
        if key not in known:
            known[key] = Buyer(name=name, codice_fiscale=code or None)
        return known[key]


def _supplier_key(supplier: AwardSupplier) -> tuple[Any, ...]:
    return (supplier.name, supplier.codice_fiscale, supplier.organization_id, supplier.share)


def _prepare(candidate: _Candidate, registry: _Registry, stored: _Stored, report: ImportReport) -> _Release | None:
    """Check a release with the registry's rules, building its rows; None (and the reasons reported) if refused."""
    parsed = candidate.parsed
    previous = stored.opportunities.get(parsed.ocid)
    # A copy: a release refused, or followed by another of the same process, leaves the stored row as read.
    opportunity = copy.copy(previous) if previous is not None else registry.new_opportunity()
    for name, value in candidate.fields.items():
        setattr(opportunity, name, value)
    opportunity.buyer = stored.buyer(candidate.buyer_name, candidate.buyer_code)
    notices: list[Notice] = []
    try:
        lot_rows = prepare_imported_opportunity(
            opportunity, cpv_codes=candidate.cpv_codes, lots=candidate.lots, fields=CHECKED_FIELDS
        )
        lots = [lot for lot, _codes in lot_rows]
        previous_awards = stored.awards.get(previous.pk, {}) if previous is not None else {}
        awards, gone = _prepare_awards(opportunity, parsed, lots, previous_awards, stored, notices)
    except ValidationError as error:
        report.refuse(
            [
                Refusal(parsed.location, parsed.ocid, name, " ".join(messages))
                for name, messages in error.message_dict.items()
            ]
        )
        return None
    report.notice(notices)
    for lot in lots:
        lot.opportunity = opportunity
    release = _Release(parsed, opportunity, candidate.cpv_codes, lots, awards, gone)
    release.unchanged = previous is not None and _unchanged(release, previous, stored)
    return release


def _prepare_awards(
    opportunity: Opportunity,
    parsed: ParsedRelease,
    lots: list[Lot],
    previous_awards: dict[str, Award],
    stored: _Stored,
    notices: list[Notice],
) -> tuple[list[PreparedAward], list[Award]]:
    """The release's awards, checked; and the imported ones it no longer has. Refusals name the award's field."""
    previous = dict(previous_awards)
    raw_awards = [award for award in parsed.raw.get("awards") or [] if isinstance(award, dict)]
    # Imported lots are numbered in the release's order (see `_read`).
    lot_numbers = {lot.lot_id: number for number, lot in enumerate(parsed.lots, start=1)}
    lots_by_number = {lot.number: lot for lot in lots}
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
        elif len(numbers) == 1 and numbers[0] is not None:
            lot = lots_by_number.get(numbers[0])
        if not award.suppliers:
            notice(f"{path}/suppliers", [], "an award without suppliers")
        suppliers = []
        for number, supplier in enumerate(award.suppliers):
            code = supplier.codice_fiscale
            if code is not None and not is_valid_codice_fiscale(code):
                notice(f"{path}/suppliers/{number}/identifier", code, "invalid codice fiscale: left out")
                code = None
            name = supplier.name or (supplier.identifier_id or "")
            suppliers.append(SupplierSpec(name=name or "Operatore economico senza nome", codice_fiscale=code))
        replaced = previous.pop(award.award_id, None) if award.award_id else None
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
                    organizations=stored.organizations,
                    replace=copy.copy(replaced) if replaced is not None else None,
                    in_bulk=True,
                )
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(f"{path}/{name}", []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return prepared, list(previous.values())


def _unchanged(release: _Release, previous: Opportunity, stored: _Stored) -> bool:
    """True when writing the release would leave its opportunity, lots, CPV codes and awards as they are."""
    opportunity = release.opportunity
    if release.gone or opportunity.buyer.pk is None:
        return False
    if any(getattr(opportunity, name) != getattr(previous, name) for name in IMPORTED_ATTNAMES):
        return False
    if set(release.cpv_codes) != stored.cpv_codes.get(previous.pk, set()):
        return False
    if [(lot.number, lot.title, lot.value) for lot in release.lots] != stored.lots.get(previous.pk, []):
        return False
    return all(_award_unchanged(prepared, stored) for prepared in release.awards)


def _award_unchanged(prepared: PreparedAward, stored: _Stored) -> bool:
    award = prepared.award
    if award.pk is None:
        return False
    before = stored.awards[award.opportunity.pk][award.ocds_award_id]
    lot_number = award.lot.number if award.lot is not None else None
    return (
        stored.lot_numbers.get(before.lot_id) == lot_number
        and all(getattr(award, name) == getattr(before, name) for name in AWARD_FIELDS[2:])
        and [_supplier_key(supplier) for supplier in prepared.suppliers] == stored.suppliers.get(award.pk, [])
    )


def _write(releases: list[_Release], report: ImportReport) -> None:
    """Write a batch's releases with bulk statements, in the order the foreign keys need."""
    if not releases:
        return
    buyers = list(
        {id(buyer): buyer for release in releases if (buyer := release.opportunity.buyer).pk is None}.values()
    )
    Buyer.objects.bulk_create(buyers)
    report.buyers_created += len(buyers)
    opportunities = [release.opportunity for release in releases]
    updated = [opportunity for opportunity in opportunities if opportunity.pk is not None]
    now = timezone.now()
    _Insert(Opportunity).write([opportunity for opportunity in opportunities if opportunity.pk is None])
    for opportunity in updated:
        opportunity.updated_at = now
    # Through the ORM: the translated fields (title, description) are written in the active language's columns.
    Opportunity.objects.bulk_update(updated, [*IMPORTED_FIELDS, "updated_at"])
    updated_pks = [opportunity.pk for opportunity in updated]
    # Lots and CPV codes are replaced; the awards linked to an old lot lose the link until theirs are written.
    Lot.objects.filter(opportunity_id__in=updated_pks).delete()
    CpvLink.objects.filter(opportunity_id__in=updated_pks).delete()
    _Insert(Lot).write([lot for release in releases for lot in release.lots])
    _Insert(CpvLink).write(
        [
            CpvLink(opportunity_id=release.opportunity.pk, cpvcode_id=code)
            for release in releases
            for code in release.cpv_codes
        ],
        keys=False,
    )
    _write_awards(releases, report)
    for opportunity in opportunities:
        opportunity_changed(opportunity.pk)


def _write_awards(releases: list[_Release], report: ImportReport) -> None:
    gone = {award.pk: (release, award) for release in releases for award in release.gone}
    with_social_value = set(
        SocialValueCommitment.objects.filter(award_id__in=gone).values_list("award_id", flat=True).distinct()
    )
    report.notice(
        Notice(
            release.parsed.location,
            release.parsed.ocid,
            "awards",
            award.ocds_award_id,
            "an award no longer in the release: removed with its social value",
        )
        for pk, (release, award) in gone.items()
        if pk in with_social_value
    )
    # Deleted through the ORM: the suppliers' organizations are told by the delete signals.
    Award.objects.filter(pk__in=list(gone)).delete()
    prepared = [item for release in releases for item in release.awards]
    replaced = [item.award for item in prepared if item.award.pk is not None]
    AwardSupplier.objects.filter(award_id__in=[award.pk for award in replaced]).delete()
    Award.objects.bulk_update(replaced, AWARD_FIELDS)
    _Insert(Award).write([item.award for item in prepared if item.award.pk is None])
    suppliers = []
    for item in prepared:
        for supplier in item.suppliers:
            supplier.award = item.award
            suppliers.append(supplier)
    _Insert(AwardSupplier).write(suppliers, keys=False)
    for supplier in suppliers:
        organization_changed(supplier.organization_id)


# Columns whose values go to the database driver as the model holds them (after the checks, of the field's type).
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


class _Insert:
    """INSERT statements of one model's new rows: the columns, and which of them need converting, worked out once.

    What `bulk_create` writes, for rows the import built and checked: every concrete column, the value the
    instance holds (a foreign key's from its related row, the stamps of auto_now fields set by the field), converted
    for the database by the field only where its type needs it (decimals, dates, JSON). Django prepares each
    value through its field and compiles a placeholder per value: a third of the import's time. New primary
    keys come back with RETURNING (PostgreSQL, SQLite 3.35+), as `bulk_create` reads them.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        self.stamped = [
            field for field in self.fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ]
        self.related = [field for field in self.fields if field.is_relation]
        # Two columns at least (a link table has its two keys): the getter gives a tuple.
        self.values = operator.attrgetter(*(field.attname for field in self.fields))
        self.prepared = [
            (index, field.get_db_prep_save)
            for index, field in enumerate(self.fields)
            if (field.target_field if field.is_relation else field).get_internal_type() not in PLAIN_TYPES
        ]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        # Names from the model's _meta, quoted; every value goes as a parameter.
        self.statement = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
        self.placeholders = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.returning = f" RETURNING {quote(model._meta.pk.column)}"

    def write(self, rows: list[Any], *, keys: bool = True) -> None:
        """Insert the rows; with `keys`, each gets its primary key (one statement per batch of rows, as Django)."""
        if not rows:
            return
        values = [self._row(row) for row in rows]
        with connection.cursor() as cursor:
            if not keys:
                cursor.executemany(self.statement + self.placeholders, values)
                return
            size = max(1, connection.ops.bulk_batch_size(self.fields, rows))
            for start in range(0, len(rows), size):
                chunk = values[start : start + size]
                statement = self.statement + ", ".join([self.placeholders] * len(chunk)) + self.returning
                cursor.execute(statement, [value for row in chunk for value in row])
                for row, (pk,) in zip(rows[start : start + size], cursor.fetchall(), strict=True):
                    row.pk = pk
                    row._state.adding = False
                    row._state.db = connection.alias

    def _row(self, row: models.Model) -> tuple[Any, ...]:
        for stamp in self.stamped:
            stamp.pre_save(row, True)
        for link in self.related:
            if link.is_cached(row) and (target := link.get_cached_value(row)) is not None:
                if target.pk is None:
                    raise ValueError(f"{self.model.__name__}.{link.name}: the related row is not written yet")
                setattr(row, link.attname, target.pk)
        values = self.values(row)
        if not self.prepared:
            return values
        converted = list(values)
        for index, prepare in self.prepared:
            # NULL whatever the type: an empty decimal, date or JSON field is stored so by `get_db_prep_save` too.
            if converted[index] is not None:
                converted[index] = prepare(converted[index], connection)
        return tuple(converted)


def _local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _published_on(parsed: ParsedRelease) -> date | None:
    return _local_date(parsed.tender_start or parsed.date)


def _basis_on(bases: dict[str, LegalBasis], codes: tuple[str, ...], day: date) -> LegalBasis | None:
    for code in codes:
        basis = bases.get(code)
        if basis is not None and basis.is_valid_on(day):
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
