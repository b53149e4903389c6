"""Loading the legal bases from `content/legal_bases.yaml`: checked whole, then written in one transaction.

Loading is idempotent: a basis is found by its code and set to the file's
values, its value caps replaced by the file's. Any fault raises
LegalBasisDataError naming the file, the entry and the field, and nothing is
written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .datafile import DataFileError, LoadReport, entry_name, read_entries, text_values, upsert_by_code
from .models import LegalBasis, ValueCap

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "legal_bases.yaml"

TEXT_FIELDS = ("code", "title_it", "title_en", "citation")
OPTIONAL_TEXT_FIELDS = ("explanation_it", "explanation_en", "url")
LIST_FIELDS = {
    "legal_forms": "eligible_legal_forms",
    "runts_sections": "eligible_runts_sections",
    "excluded_cpv_prefixes": "excluded_cpv_prefixes",
}
KNOWN_KEYS = {
    *TEXT_FIELDS,
    *OPTIONAL_TEXT_FIELDS,
    *LIST_FIELDS,
    "valid_from",
    "valid_to",
    "third_sector_only",
    "min_disadvantaged_share",
    "min_months_in_runts",
    "value_caps",
}
CAP_KEYS = {"max_value", "valid_from", "valid_to", "inclusive", "source"}


class LegalBasisDataError(DataFileError):
    pass


@dataclass
class _Entry:
    values: dict[str, Any]
    caps: list[dict[str, Any]]


def load_legal_bases(path: Path = CONTENT_FILE) -> LoadReport:
    entries = read_legal_bases(path)
    report = LoadReport()
    with transaction.atomic():
        for entry in entries:
            upsert_by_code(
                LegalBasis,
                entry.values,
                snapshot=_snapshot,
                replace_children=lambda basis, entry=entry: _replace_caps(basis, entry.caps),
                report=report,
            )
    return report


def _replace_caps(basis: LegalBasis, caps: list[dict[str, Any]]) -> None:
    basis.value_caps.all().delete()
    for cap in caps:
        ValueCap.objects.create(legal_basis=basis, **cap)


def _snapshot(basis: LegalBasis) -> tuple[Any, ...]:
    fields = tuple(getattr(basis, model_field.attname) for model_field in basis._meta.concrete_fields[1:])
    caps = tuple(
        (cap.max_value, cap.valid_from, cap.valid_to, cap.inclusive, cap.source) for cap in basis.value_caps.all()
    )
    return (fields, caps)


def read_legal_bases(path: Path = CONTENT_FILE) -> list[_Entry]:
    """Every entry of the file, checked against the models' own validation; nothing is written."""
    return read_entries(path, "legal_bases", _entry, lambda entry: entry.values["code"], LegalBasisDataError)


def _entry(path: Path, raw: Any, position: int) -> _Entry:
    where = entry_name(path, raw, position, known=KNOWN_KEYS, error=LegalBasisDataError)
    values: dict[str, Any] = dict(
        text_values(path, where, raw, required=TEXT_FIELDS, optional=OPTIONAL_TEXT_FIELDS, error=LegalBasisDataError)
    )
    values["valid_from"] = _date(path, where, raw, "valid_from", required=True)
    values["valid_to"] = _date(path, where, raw, "valid_to", required=False)
    for key, model_field in LIST_FIELDS.items():
        value = raw.get(key) or []
        if not isinstance(value, list):
            raise LegalBasisDataError(path, where, key, "must be a list")
        values[model_field] = [str(item) for item in value]
    third_sector_only = raw.get("third_sector_only", False)
    if not isinstance(third_sector_only, bool):
        raise LegalBasisDataError(path, where, "third_sector_only", "must be true or false")
    values["third_sector_only"] = third_sector_only
    values["min_disadvantaged_share"] = _decimal(path, where, raw, "min_disadvantaged_share")
    months = raw.get("min_months_in_runts")
    if months is not None and (isinstance(months, bool) or not isinstance(months, int) or months < 1):
        raise LegalBasisDataError(path, where, "min_months_in_runts", "must be a whole number of months, 1 or more")
    values["min_months_in_runts"] = months
    _validate(path, where, LegalBasis(**values), exclude=["id"])
    caps = [_cap(path, where, raw_cap, number) for number, raw_cap in enumerate(raw.get("value_caps") or [], start=1)]
    return _Entry(values=values, caps=caps)


def _cap(path: Path, where: str, raw: Any, number: int) -> dict[str, Any]:
    prefix = f"value_caps[{number}]"
    if not isinstance(raw, dict):
        raise LegalBasisDataError(path, where, prefix, "is not a mapping")
    unknown = sorted(set(map(str, raw)) - CAP_KEYS)
    if unknown:
        raise LegalBasisDataError(path, where, f"{prefix}.{unknown[0]}", "is not a known field")
    inclusive = raw.get("inclusive", True)
    if not isinstance(inclusive, bool):
        raise LegalBasisDataError(path, where, f"{prefix}.inclusive", "must be true or false")
    max_value = _decimal(path, where, raw, "max_value", label=f"{prefix}.max_value", required=True)
    valid_from = _date(path, where, raw, "valid_from", required=True, label=f"{prefix}.valid_from")
    valid_to = _date(path, where, raw, "valid_to", required=False, label=f"{prefix}.valid_to")
    if max_value is None or max_value < 0:
        raise LegalBasisDataError(path, where, f"{prefix}.max_value", "must not be negative")
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise LegalBasisDataError(path, where, f"{prefix}.valid_to", "comes before valid_from")
    values = {
        "max_value": max_value,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "inclusive": inclusive,
        "source": str(raw.get("source") or "").strip(),
    }
    return values


def _validate(path: Path, where: str, instance: LegalBasis, exclude: list[str]) -> None:
    try:
        instance.clean_fields(exclude=exclude)
        instance.validate_constraints()
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise LegalBasisDataError(path, where, _yaml_name(name), " ".join(messages)) from error


def _yaml_name(model_field: str) -> str:
    by_model_field = {value: key for key, value in LIST_FIELDS.items()}
    if model_field == "__all__":
        return "valid_to"
    return by_model_field.get(model_field, model_field)


def _date(path: Path, where: str, raw: dict[str, Any], key: str, *, required: bool, label: str = "") -> date | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise LegalBasisDataError(path, where, label or key, "is missing")
        return None
    if isinstance(value, date):
        return value
    raise LegalBasisDataError(path, where, label or key, f"must be a date such as 2026-01-01, not {value!r}")


def _decimal(
    path: Path, where: str, raw: dict[str, Any], key: str, *, label: str = "", required: bool = False
) -> Decimal | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise LegalBasisDataError(path, where, label or key, "is missing")
        return None
    if isinstance(value, bool):
        raise LegalBasisDataError(path, where, label or key, f"must be a number, not {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise LegalBasisDataError(path, where, label or key, f"must be a number, not {value!r}") from error
