"""Writes of the registry: an opportunity with its CPV codes, territory, lots and documents.

Every refusal is a ValidationError keyed by field, raised before anything is
written; each write is one transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from socialplan.ecosystem.models import CpvCode
from socialplan.territory.models import Comune

from .models import Document, Lot, Opportunity
from .validation import check_opportunity, excluded_cpv_codes

# The fields a caller may set: the model's own, by name or by the id of a foreign key.
EDITABLE = {
    name
    for model_field in Opportunity._meta.concrete_fields
    if not model_field.primary_key and model_field.name not in ("created_at", "updated_at")
    for name in (model_field.name, model_field.attname)
}


@dataclass(frozen=True)
class LotSpec:
    number: int
    title: str
    value: Decimal | None = None
    cpv_codes: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class DocumentSpec:
    title: str
    url: str


def create_opportunity(
    *,
    cpv_codes: Sequence[str] = (),
    comuni: Iterable[Comune] = (),
    lots: Sequence[LotSpec] = (),
    documents: Sequence[DocumentSpec] = (),
    **fields: Any,
) -> Opportunity:
    opportunity = Opportunity()
    _assign(opportunity, fields)
    return _save(opportunity, cpv_codes=cpv_codes, comuni=comuni, lots=lots, documents=documents)


def update_opportunity(
    opportunity: Opportunity,
    *,
    cpv_codes: Sequence[str] | None = None,
    comuni: Iterable[Comune] | None = None,
    lots: Sequence[LotSpec] | None = None,
    documents: Sequence[DocumentSpec] | None = None,
    **fields: Any,
) -> Opportunity:
    """Change the given fields; the lists given (CPV codes, comuni, lots, documents) replace the saved ones."""
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    _assign(opportunity, fields)
    return _save(
        opportunity,
        cpv_codes=[code.code for code in opportunity.cpv_codes.all()] if cpv_codes is None else cpv_codes,
        comuni=comuni,
        lots=lots,
        documents=documents,
    )


def _assign(opportunity: Opportunity, fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - EDITABLE)
    if unknown:
        raise ValidationError({name: _("An opportunity has no such field.") for name in unknown})
    for name, value in fields.items():
        try:
            setattr(opportunity, name, value)
        except ValueError as error:  # a foreign key given something other than an instance
            raise ValidationError({name: str(error)}) from error


def _cpv(codes: Iterable[str], field_name: str, errors: dict[str, list[str]]) -> list[CpvCode]:
    wanted = {str(code).strip() for code in codes}
    if not wanted:
        return []
    found = list(CpvCode.objects.filter(code__in=wanted))
    unknown = sorted(wanted - {code.code for code in found})
    if unknown:
        errors.setdefault(field_name, []).append(_("Unknown CPV codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    return found


def _save(
    opportunity: Opportunity,
    *,
    cpv_codes: Sequence[str],
    comuni: Iterable[Comune] | None,
    lots: Sequence[LotSpec] | None,
    documents: Sequence[DocumentSpec] | None,
) -> Opportunity:
    errors: dict[str, list[str]] = {}
    codes = _cpv(cpv_codes, "cpv_codes", errors)
    _check(opportunity, codes, errors)
    lot_rows = _lots(opportunity, lots, errors) if lots is not None else None
    document_rows = _documents(opportunity, documents, errors) if documents is not None else None
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        opportunity.save()
        opportunity.cpv_codes.set(codes)
        if comuni is not None:
            opportunity.comuni.set(list(comuni))
        if lot_rows is not None:
            opportunity.lots.all().delete()
            for lot, lot_codes in lot_rows:
                lot.opportunity = opportunity
                lot.save()
                lot.cpv_codes.set(lot_codes)
        if document_rows is not None:
            opportunity.documents.all().delete()
            for document in document_rows:
                document.opportunity = opportunity
                document.save()
    return opportunity


def prepare_imported_opportunity(
    opportunity: Opportunity,
    *,
    cpv_codes: Sequence[CpvCode | str],
    lots: Sequence[LotSpec],
    fields: Collection[str],
) -> list[tuple[Lot, list[CpvCode]]]:
    """The checks of `create_opportunity`, for a writer in bulk: no query per opportunity; returns the lots' rows.

    The caller vouches for what only the database could tell: its CPV codes are known ones, its legal basis
    (with its value caps prefetched) and its buyer are rows it loaded or is about to create, and its ocid is
    unique because it looked it up. Each field's own checks run on `fields`, the ones it set (with their
    translations): the others hold the model's defaults or what the registry accepted when they were written.
    Every other rule is the hand-entry one, the checks across fields whole. Raise a ValidationError keyed by
    field; nothing is written.
    """
    errors: dict[str, list[str]] = {}
    _check(opportunity, list(cpv_codes), errors, vouched=_unset_fields(frozenset(fields)) | {"legal_basis", "buyer"})
    rows = _lots(opportunity, lots, errors)
    if errors:
        raise ValidationError(errors)
    return rows


@cache
def _unset_fields(fields: frozenset[str]) -> frozenset[str]:
    """The fields other than these and their translations ("title_it" and "title_en" are "title")."""
    return frozenset(
        model_field.name
        for model_field in Opportunity._meta.fields
        if model_field.name not in fields
        and getattr(getattr(model_field, "translated_field", None), "name", None) not in fields
    )


def _check(
    opportunity: Opportunity,
    codes: Sequence[CpvCode | str],
    errors: dict[str, list[str]],
    *,
    vouched: Collection[str] = (),
) -> None:
    """The field checks, uniqueness and constraints, then the checks across fields.

    `vouched`: fields a writer in bulk answers for, left out of the field checks; with them go the queries.
    """
    checks = [lambda: opportunity.clean_fields(exclude=vouched)]
    if not vouched:
        checks += [opportunity.validate_unique, opportunity.validate_constraints]
    for validate in checks:
        try:
            validate()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    # The checks across fields need every field's value well formed first.
    if not errors:
        try:
            check_opportunity(opportunity, cpv_codes=codes)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)


def _lots(
    opportunity: Opportunity, lots: Sequence[LotSpec], errors: dict[str, list[str]]
) -> list[tuple[Lot, list[CpvCode]]]:
    rows = []
    numbers = [lot.number for lot in lots]
    if len(numbers) != len(set(numbers)):
        errors.setdefault("lots", []).append(_("Two lots have the same number."))
    for spec in lots:
        lot = Lot(number=spec.number, title=spec.title, value=spec.value)
        try:
            lot.clean_fields(exclude=["opportunity"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault("lots", []).extend(
                    f"{_('lot')} {spec.number}, {name}: {message}" for message in messages
                )
        codes = _cpv(spec.cpv_codes, "lots", errors)
        if opportunity.legal_basis_id is not None:
            excluded = excluded_cpv_codes(opportunity, codes)
            if excluded:
                errors.setdefault("lots", []).append(
                    _("Lot %(number)s: %(basis)s excludes these kinds of service: %(codes)s.")
                    % {"number": spec.number, "basis": opportunity.legal_basis.citation, "codes": ", ".join(excluded)}
                )
        rows.append((lot, codes))
    return rows


def _documents(
    opportunity: Opportunity, documents: Sequence[DocumentSpec], errors: dict[str, list[str]]
) -> list[Document]:
    rows = []
    for spec in documents:
        document = Document(title=spec.title, url=spec.url)
        try:
            document.clean_fields(exclude=["opportunity"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault("documents", []).extend(
                    f"{spec.title or '-'}, {name}: {message}" for message in messages
                )
        rows.append(document)
    return rows
