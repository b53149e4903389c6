"""Awards: who won an opportunity, for how much, and what counts as value awarded to the social economy.

`record_award` is the one write of an award and its suppliers, typed or
imported: every refusal is a ValidationError keyed by field, raised before
anything is written, and the write is one transaction. A supplier is linked to
the ecosystem's organization with the same codice fiscale.

What counts as "value awarded to social economy organizations" is decided
here only (`SOCIAL_ECONOMY_FORMS`, `attributed_value`): the share of an active
award's value that goes to suppliers that are organizations of the ecosystem
with a Third sector legal form. See docs/decisions/0015-awards-and-social-value.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from socialplan.ecosystem.models import THIRD_SECTOR, Organization
from socialplan.ecosystem.validators import validate_codice_fiscale

from .models import Award, AwardSupplier, Lot, Opportunity

# Third sector entities (D.Lgs. 117/2017), social cooperatives (L. 381/1991) and social enterprises
# (D.Lgs. 112/2017) included; benefit corporations and other companies are not the social economy here.
SOCIAL_ECONOMY_FORMS = frozenset(str(form) for form in THIRD_SECTOR)
# Shares of a group of suppliers must add up to 100%, to the cent.
SHARES_TOTAL = Decimal("100")
MONEY = models.DecimalField(max_digits=20, decimal_places=6)


@dataclass(frozen=True)
class SupplierSpec:
    """A winner: an ecosystem organization (instance or id), or a name with a codice fiscale when known."""

    name: str = ""
    codice_fiscale: str | None = None
    organization: Organization | int | None = None
    share: Decimal | None = None


def is_social_economy(organization: Organization | None) -> bool:
    return organization is not None and organization.legal_form in SOCIAL_ECONOMY_FORMS


def social_economy_suppliers(prefix: str = "") -> Q:
    """Suppliers (or, with a prefix such as "suppliers__", awards) that are social economy organizations."""
    return Q(**{f"{prefix}organization__legal_form__in": SOCIAL_ECONOMY_FORMS})


def attributed_value() -> models.Expression:
    """For an AwardSupplier row: its part of the award's value, its share when given, else an equal split."""
    suppliers = (
        AwardSupplier.objects.filter(award=OuterRef("award"))
        .order_by()
        .values("award")
        .annotate(count=Count("pk"))
        .values("count")
    )
    value = Cast(F("award__value"), MONEY)
    return models.Case(
        models.When(share__isnull=False, then=value * Cast(F("share"), MONEY) / Cast(SHARES_TOTAL, MONEY)),
        default=value / Cast(Subquery(suppliers), MONEY),
        output_field=MONEY,
    )


def check_award(award: Award) -> None:
    """The checks across fields of one award (the model's clean and `record_award` share them)."""
    errors: dict[str, list[str]] = {}
    # An opportunity about to be written with its awards (an import in bulk) is checked too.
    opportunity = award.opportunity if award.opportunity_id or Award.opportunity.is_cached(award) else None
    if opportunity is not None and award.date is not None and award.date < opportunity.published_on:
        errors.setdefault("date", []).append(
            _("The award date comes before the opportunity's publication (%(day)s).")
            % {"day": opportunity.published_on.isoformat()}
        )
    if award.lot_id is not None and award.lot.opportunity_id != award.opportunity_id:
        errors.setdefault("lot", []).append(_("This lot belongs to another opportunity."))
    if errors:
        raise ValidationError(errors)


def record_award(
    *,
    opportunity: Opportunity,
    suppliers: Sequence[SupplierSpec],
    date: date | None,
    value: Decimal | None,
    lot: Lot | None = None,
    status: str = Award.Status.ACTIVE,
    source: str = Award.Source.MANUAL,
    ocds_award_id: str = "",
    raw: Any = None,
    is_demo: bool = False,
    replace: Award | None = None,
) -> Award:
    """Write an award and its suppliers; `replace` gives an award whose suppliers are replaced by these."""
    award = prepare_award(
        opportunity=opportunity,
        suppliers=suppliers,
        date=date,
        value=value,
        lot=lot,
        status=status,
        source=source,
        ocds_award_id=ocds_award_id,
        raw=raw,
        is_demo=is_demo,
        replace=replace,
        require_date=source == Award.Source.MANUAL,
        require_suppliers=source == Award.Source.MANUAL,
    )
    return save_award(award)


@dataclass
class PreparedAward:
    award: Award
    suppliers: list[AwardSupplier]


def prepare_award(
    *,
    opportunity: Opportunity,
    suppliers: Sequence[SupplierSpec],
    date: date | None,
    value: Decimal | None,
    lot: Lot | None = None,
    status: str = Award.Status.ACTIVE,
    source: str = Award.Source.MANUAL,
    ocds_award_id: str = "",
    raw: Any = None,
    is_demo: bool = False,
    replace: Award | None = None,
    require_date: bool = True,
    require_suppliers: bool = True,
    organizations: dict[str, Organization] | None = None,
    in_bulk: bool = False,
) -> PreparedAward:
    """Check everything and build the rows without writing; raise a ValidationError keyed by field.

    `in_bulk` leaves out the checks that query the database for each award, for a writer in bulk (the OCDS
    import) that vouches for them: the opportunity and lot are rows it loaded or is creating, the OCDS ids of an
    opportunity's awards are unique in what it writes, and the non-negative value is a field check already.
    It vouches for `raw` too, read from a JSON file: being JSON is all its field check asks.
    """
    errors: dict[str, list[str]] = {}
    if not isinstance(opportunity, Opportunity):
        raise ValidationError({"opportunity": _("Give the opportunity that was awarded.")})
    if lot is not None and not isinstance(lot, Lot):
        raise ValidationError({"lot": _("Give a lot of the opportunity, or none.")})
    award = replace if replace is not None else Award()
    award.opportunity = opportunity
    award.lot = lot
    award.date = date
    award.value = value
    award.status = status
    award.source = source
    award.ocds_award_id = (ocds_award_id or "").strip()
    award.raw = raw
    award.is_demo = is_demo
    if require_date and date is None:
        errors.setdefault("date", []).append(_("Give the date of the award."))
    vouched = ["opportunity", "lot", "raw"] if in_bulk else ["opportunity", "lot"]
    checks = [lambda: award.clean_fields(exclude=vouched), lambda: check_award(award)]
    if not in_bulk:
        checks += [award.validate_unique, award.validate_constraints]
    for check in checks:
        try:
            check()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name == "__all__" or name not in errors:
                    errors.setdefault(name, []).extend(messages)
    rows = _suppliers(suppliers, errors, organizations)
    if require_suppliers and not suppliers:
        errors.setdefault("suppliers", []).append(_("Give at least one supplier."))
    if errors:
        raise ValidationError(errors)
    return PreparedAward(award=award, suppliers=rows)


def save_award(prepared: PreparedAward) -> Award:
    with transaction.atomic():
        award = prepared.award
        award.save()
        award.suppliers.all().delete()
        for supplier in prepared.suppliers:
            supplier.award = award
        AwardSupplier.objects.bulk_create(prepared.suppliers)
    return award


@lru_cache(maxsize=65536)
def is_valid_codice_fiscale(code: str) -> bool:
    """The model's check (`validate_codice_fiscale`), cached: imports name the same parties again and again."""
    try:
        validate_codice_fiscale(code)
    except ValidationError:
        return False
    return True


def organizations_by_codice_fiscale(codes: Iterable[str | None]) -> dict[str, Organization]:
    wanted = {code.strip().upper() for code in codes if code}
    return {org.codice_fiscale: org for org in Organization.objects.filter(codice_fiscale__in=wanted)} if wanted else {}


def _suppliers(
    specs: Sequence[SupplierSpec], errors: dict[str, list[str]], organizations: dict[str, Organization] | None
) -> list[AwardSupplier]:
    def refuse(number: int, message: str) -> None:
        errors.setdefault("suppliers", []).append(
            _("Supplier %(number)s: %(message)s") % {"number": number, "message": message}
        )

    if organizations is None:
        organizations = organizations_by_codice_fiscale(spec.codice_fiscale for spec in specs)
    wanted_ids = {spec.organization for spec in specs if isinstance(spec.organization, int)}
    by_id = {org.pk: org for org in Organization.objects.filter(pk__in=wanted_ids)} if wanted_ids else {}
    rows, seen = [], set()
    for number, spec in enumerate(specs, start=1):
        organization = spec.organization
        if isinstance(organization, int) and not isinstance(organization, bool):
            organization = by_id.get(organization)
            if organization is None:
                refuse(number, _("no organization of the ecosystem has the id %(id)s.") % {"id": spec.organization})
                continue
        elif organization is not None and not isinstance(organization, Organization):
            refuse(number, _("the organization is not one of the ecosystem's."))
            continue
        code = (spec.codice_fiscale or "").strip().upper() or None
        if code is not None and not is_valid_codice_fiscale(code):
            try:
                validate_codice_fiscale(code)
            except ValidationError as error:
                refuse(number, " ".join(error.messages))
                continue
        if organization is not None:
            if code is not None and code != organization.codice_fiscale:
                refuse(number, _("the codice fiscale is not the organization's."))
                continue
            code = organization.codice_fiscale
        elif code is not None:
            organization = organizations.get(code)
        name = (spec.name or "").strip() or (organization.legal_name if organization else "")
        if not name:
            refuse(number, _("give a name or an organization of the ecosystem."))
            continue
        key = code or name.casefold()
        if key in seen:
            refuse(number, _("the same supplier is given twice."))
            continue
        seen.add(key)
        supplier = AwardSupplier(
            organization=organization, name=name[:300], codice_fiscale=code or "", share=spec.share
        )
        try:
            # The codice fiscale is checked above, by the field's own validator.
            supplier.clean_fields(exclude=["award", "organization", "codice_fiscale"])
        except ValidationError as error:
            for name_of_field, messages in error.message_dict.items():
                refuse(number, f"{name_of_field}: {' '.join(messages)}")
            continue
        rows.append(supplier)
    shares = [spec.share for spec in specs]
    given = [share for share in shares if share is not None]
    if given and len(given) != len(shares):
        errors.setdefault("suppliers", []).append(_("Give a share for every supplier, or for none."))
    elif given and sum(given, Decimal("0")) != SHARES_TOTAL:
        errors.setdefault("suppliers", []).append(
            _("The shares of the suppliers add up to %(total)s%%, not 100%%.") % {"total": sum(given, Decimal("0"))}
        )
    return rows
