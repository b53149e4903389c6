"""Social value of awards: measures and proxies (loaded from a file), commitments, deliveries and their figures.

A buyer states what the supplier of an award commits to (a quantity of a
measure over a period); the supplier reports what was delivered per period.
The EUR figure of a quantity is the quantity times the proxy value of its
measure in force on the last day of the period: an indicative order of
magnitude, always shown as such (docs/decisions/0015-awards-and-social-value.md).

The measures and proxies come from `content/social_value.yaml`
(`manage.py load_social_value`), checked whole before anything is written;
loading is idempotent and the file wins, as for the legal bases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .datafile import DataFileError, LoadReport, entry_name, read_entries, text_values, upsert_by_code
from .models import Award, ProxyValue, SocialValueCommitment, SocialValueDelivery, SocialValueMeasure

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "social_value.yaml"
MEASURE_TEXT = ("code", "name_it", "name_en", "unit_it", "unit_en")
MEASURE_OPTIONAL = ("description_it", "description_en")
MEASURE_KEYS = {*MEASURE_TEXT, *MEASURE_OPTIONAL, "proxies"}
PROXY_KEYS = {"eur_per_unit", "valid_from", "valid_to", "source"}
CENT = Decimal("0.01")
AMOUNT = models.DecimalField(max_digits=24, decimal_places=4)


# Loading the file ---------------------------------------------------------------------------------------------


class SocialValueDataError(DataFileError):
    pass


@dataclass
class _Entry:
    values: dict[str, Any]
    proxies: list[dict[str, Any]]


def load_social_value(path: Path = CONTENT_FILE) -> LoadReport:
    """Write the file's measures and proxies; a measure is found by code and its proxies replaced."""
    entries = read_social_value(path)
    report = LoadReport()
    with transaction.atomic():
        for entry in entries:
            upsert_by_code(
                SocialValueMeasure,
                entry.values,
                snapshot=_snapshot,
                replace_children=lambda measure, entry=entry: _replace_proxies(measure, entry.proxies),
                report=report,
            )
    return report


def _replace_proxies(measure: SocialValueMeasure, proxies: list[dict[str, Any]]) -> None:
    measure.proxies.all().delete()
    ProxyValue.objects.bulk_create(ProxyValue(measure=measure, **proxy) for proxy in proxies)


def _snapshot(measure: SocialValueMeasure) -> tuple[Any, ...]:
    values = tuple(getattr(measure, model_field.attname) for model_field in measure._meta.concrete_fields[1:])
    proxies = tuple(
        measure.proxies.order_by("valid_from").values_list("eur_per_unit", "valid_from", "valid_to", "source")
    )
    return (values, proxies)


def read_social_value(path: Path = CONTENT_FILE) -> list[_Entry]:
    """Every entry of the file, checked against the models' own validation; nothing is written."""
    return read_entries(path, "measures", _entry, lambda entry: entry.values["code"], SocialValueDataError)


def _entry(path: Path, raw: Any, position: int) -> _Entry:
    where = entry_name(path, raw, position, known=MEASURE_KEYS, error=SocialValueDataError)
    values: dict[str, Any] = dict(
        text_values(path, where, raw, required=MEASURE_TEXT, optional=MEASURE_OPTIONAL, error=SocialValueDataError)
    )
    try:
        SocialValueMeasure(**values).clean_fields(exclude=["id"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise SocialValueDataError(path, where, name, " ".join(messages)) from error
    raw_proxies = raw.get("proxies")
    if not isinstance(raw_proxies, list) or not raw_proxies:
        raise SocialValueDataError(path, where, "proxies", "give at least one proxy value")
    proxies = [_proxy(path, where, item, number) for number, item in enumerate(raw_proxies, start=1)]
    starts = sorted((proxy["valid_from"], proxy["valid_to"]) for proxy in proxies)
    for (start, end), (next_start, _end) in pairwise(starts):
        if end is None or end >= next_start:
            raise SocialValueDataError(
                path, where, "proxies", f"the proxy valid from {start} overlaps the one valid from {next_start}"
            )
    return _Entry(values=values, proxies=proxies)


def _proxy(path: Path, where: str, raw: Any, number: int) -> dict[str, Any]:
    prefix = f"proxies[{number}]"
    if not isinstance(raw, dict):
        raise SocialValueDataError(path, where, prefix, "is not a mapping")
    unknown = sorted(set(map(str, raw)) - PROXY_KEYS)
    if unknown:
        raise SocialValueDataError(path, where, f"{prefix}.{unknown[0]}", "is not a known field")
    value = raw.get("eur_per_unit")
    if value is None or isinstance(value, bool):
        raise SocialValueDataError(path, where, f"{prefix}.eur_per_unit", "must be a number")
    try:
        eur = Decimal(str(value))
    except InvalidOperation as error:
        raise SocialValueDataError(path, where, f"{prefix}.eur_per_unit", f"must be a number, not {value!r}") from error
    days = {}
    for key in ("valid_from", "valid_to"):
        day = raw.get(key)
        if day is None and key == "valid_from":
            raise SocialValueDataError(path, where, f"{prefix}.{key}", "is missing")
        if day is not None and not isinstance(day, date):
            raise SocialValueDataError(
                path, where, f"{prefix}.{key}", f"must be a date such as 2026-01-01, not {day!r}"
            )
        days[key] = day
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise SocialValueDataError(path, where, f"{prefix}.source", "name the public source of the figure")
    values = {"eur_per_unit": eur, **days, "source": " ".join(source.split())}
    try:
        proxy = ProxyValue(**values)
        proxy.clean_fields(exclude=["id", "measure"])
        proxy.validate_constraints(exclude=["measure"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        field_name = "valid_to" if name == "__all__" else name
        raise SocialValueDataError(path, where, f"{prefix}.{field_name}", " ".join(messages)) from error
    return values


# Writes -------------------------------------------------------------------------------------------------------


def commit_social_value(
    *, award: Award, measure: SocialValueMeasure, quantity: Decimal, period_start: date, period_end: date
) -> SocialValueCommitment:
    """What the supplier of the award commits to; refusals keyed by field, nothing written."""
    commitment = SocialValueCommitment(
        award=award, measure=measure, quantity=quantity, period_start=period_start, period_end=period_end
    )
    _validate(commitment, exclude=["award", "measure"])
    commitment.save()
    return commitment


def report_delivery(
    *,
    commitment: SocialValueCommitment,
    period_start: date,
    period_end: date,
    quantity: Decimal,
    reported_by: Any = None,
    note: str = "",
) -> SocialValueDelivery:
    """What was delivered of a commitment in a period inside the commitment's own."""
    delivery = SocialValueDelivery(
        commitment=commitment,
        period_start=period_start,
        period_end=period_end,
        quantity=quantity,
        reported_by=reported_by,
        note=note,
    )
    errors: dict[str, list[str]] = {}
    if isinstance(period_start, date) and period_start < commitment.period_start:
        errors["period_start"] = [
            _("The period starts before the commitment's (%(day)s).") % {"day": commitment.period_start}
        ]
    if isinstance(period_end, date) and period_end > commitment.period_end:
        errors["period_end"] = [_("The period ends after the commitment's (%(day)s).") % {"day": commitment.period_end}]
    _validate(delivery, exclude=["commitment", "reported_by"], errors=errors)
    delivery.save()
    return delivery


def _validate(instance: models.Model, *, exclude: list[str], errors: dict[str, list[str]] | None = None) -> None:
    errors = errors if errors is not None else {}
    for check in (lambda: instance.clean_fields(exclude=exclude), lambda: instance.validate_constraints()):
        try:
            check()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                # A period in the wrong order is the end's fault.
                key = "period_end" if name == "__all__" else name
                if key not in errors:
                    errors[key] = list(messages)
    if errors:
        raise ValidationError(errors)


# Figures ------------------------------------------------------------------------------------------------------


def proxy_on(measure: str, day: str) -> Subquery:
    """The EUR per unit of the measure (a field path) in force on the day (a field path)."""
    return Subquery(
        ProxyValue.objects.filter(measure=OuterRef(measure), valid_from__lte=OuterRef(day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef(day)))
        .order_by("-valid_from")
        .values("eur_per_unit")[:1],
        output_field=AMOUNT,
    )


@dataclass
class MeasureFigures:
    """Committed and delivered quantities of one measure, and their indicative EUR (None: no proxy in force)."""

    measure: SocialValueMeasure
    committed: Decimal = Decimal("0")
    delivered: Decimal = Decimal("0")
    committed_eur: Decimal | None = Decimal("0")
    delivered_eur: Decimal | None = Decimal("0")

    @property
    def delivered_share(self) -> Decimal | None:
        return (self.delivered / self.committed * 100).quantize(Decimal("1")) if self.committed else None


@dataclass
class SocialValueFigures:
    """The social value of one contract, buyer or supplier (or of everything: key None)."""

    key: Any
    label: str
    measures: list[MeasureFigures] = field(default_factory=list)

    @property
    def committed_eur(self) -> Decimal:
        return sum((m.committed_eur or Decimal("0") for m in self.measures), Decimal("0")).quantize(CENT)

    @property
    def delivered_eur(self) -> Decimal:
        return sum((m.delivered_eur or Decimal("0") for m in self.measures), Decimal("0")).quantize(CENT)

    @property
    def without_proxy(self) -> bool:
        return any(m.committed_eur is None or m.delivered_eur is None for m in self.measures)


Grouping = Literal["award", "buyer", "supplier", "all"]
# What a row of each grouping is keyed and labelled by, as paths from an award.
GROUPS: dict[str, tuple[str, ...]] = {
    # The title in Italian and English: the label is the one of the active language, Italian when missing.
    "award": ("id", "opportunity__title_it", "opportunity__title_en"),
    "buyer": ("opportunity__buyer_id", "opportunity__buyer__name"),
    "supplier": ("suppliers__organization_id", "suppliers__name"),
    "all": (),
}


def social_value(by: Grouping, *, awards: models.QuerySet[Award] | None = None) -> list[SocialValueFigures]:
    """Committed vs delivered social value, quantity and indicative EUR, per contract, buyer, supplier or in all.

    Only active awards count. A contract with several suppliers counts whole for each of them. Two
    queries whatever the number of awards, plus one for the measures.
    """
    awards = Award.objects.all() if awards is None else awards
    awards = awards.filter(status=Award.Status.ACTIVE)
    paths = GROUPS[by]
    rows: dict[Any, SocialValueFigures] = {}
    measures = {measure.pk: measure for measure in SocialValueMeasure.objects.all()}

    def figures_of(group: tuple[Any, ...], measure_id: int) -> MeasureFigures:
        key = _key(by, group)
        label = _label(by, group)
        row = rows.setdefault(key, SocialValueFigures(key=key, label=label))
        found = next((item for item in row.measures if item.measure.pk == measure_id), None)
        if found is None:
            found = MeasureFigures(measure=measures[measure_id])
            row.measures.append(found)
        return found

    for kind, model, prefix in (
        ("committed", SocialValueCommitment, "award__"),
        ("delivered", SocialValueDelivery, "commitment__award__"),
    ):
        measure_path = "measure" if model is SocialValueCommitment else "commitment__measure"
        found = (
            model.objects.filter(**{f"{prefix}in": awards})
            .annotate(proxy=proxy_on(measure_path, "period_end"))
            .annotate(amount=models.ExpressionWrapper(F("quantity") * F("proxy"), output_field=AMOUNT))
            .values(*(prefix + path for path in paths), measure_path)
            .annotate(
                total=Sum("quantity"),
                eur=Sum("amount"),
                missing=Sum(
                    models.Case(models.When(proxy__isnull=True, then=1), default=0, output_field=models.IntegerField())
                ),
            )
            .order_by()
        )
        for entry in found:
            group = tuple(entry[prefix + path] for path in paths)
            item = figures_of(group, entry[measure_path])
            eur = None if entry["missing"] else Decimal(str(entry["eur"] or 0)).quantize(CENT)
            if kind == "committed":
                item.committed, item.committed_eur = Decimal(entry["total"] or 0), eur
            else:
                item.delivered, item.delivered_eur = Decimal(entry["total"] or 0), eur
    for row in rows.values():
        row.measures.sort(key=lambda item: item.measure.code)
    return sorted(rows.values(), key=lambda row: (-row.committed_eur, row.label))


def _label(by: str, group: tuple[Any, ...]) -> str:
    if by == "award":
        _id, title_it, title_en = group
        return str((title_en if (get_language() or "it")[:2] == "en" else None) or title_it or "")
    return str(group[-1] or "") if group else ""


def _key(by: str, group: tuple[Any, ...]) -> Any:
    if by == "supplier":
        organization_id, name = group[:2]
        return ("organization", organization_id) if organization_id is not None else ("name", name)
    return group[0] if group else None


def social_value_of_awards(award_ids: Iterable[int]) -> dict[int, SocialValueFigures]:
    """Per award id, for a page listing several contracts."""
    return {row.key: row for row in social_value("award", awards=Award.objects.filter(pk__in=list(award_ids)))}
