"""The checks an opportunity must pass, beyond each field's own: every refusal names its field."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from socialplan.ecosystem.models import CpvCode

from .eligibility import possible_legal_forms
from .models import Opportunity
from .validators import validate_legal_forms, validate_runts_sections


def excluded_cpv_codes(opportunity: Opportunity, cpv_codes: Iterable[CpvCode | str]) -> list[str]:
    """The codes the legal basis excludes as the object of the contract (e.g. art. 5 L. 381/1991: divisions 80, 85)."""
    prefixes = opportunity.legal_basis.excluded_cpv_prefixes
    codes = sorted({code.code if isinstance(code, CpvCode) else str(code) for code in cpv_codes})
    return [code for code in codes if any(code.startswith(prefix) for prefix in prefixes)]


def check_opportunity(opportunity: Opportunity, *, cpv_codes: Iterable[CpvCode | str] | None = None) -> None:
    """Raise a ValidationError keyed by field; `cpv_codes` are the codes about to be set (the saved ones when None)."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    deadline = opportunity.deadline
    if deadline is not None and opportunity.published_on is not None:
        local_deadline = timezone.localtime(deadline) if timezone.is_aware(deadline) else deadline
        if local_deadline.date() < opportunity.published_on:
            refuse("deadline", _("The deadline comes before the publication date."))
    _pair(
        opportunity.ticket_min,
        opportunity.ticket_max,
        "ticket_min",
        _("The minimum ticket is above the maximum."),
        refuse,
    )
    _pair(
        opportunity.target_age_min,
        opportunity.target_age_max,
        "target_age_min",
        _("The minimum age is above the maximum age."),
        refuse,
    )
    if opportunity.kind == Opportunity.Kind.CO_DESIGN and not opportunity.co_design_kind:
        refuse("co_design_kind", _("Say whether this is co-programming, co-design or accreditation."))
    if opportunity.kind != Opportunity.Kind.CO_DESIGN and opportunity.co_design_kind:
        refuse("co_design_kind", _("Only a co-design opportunity has a kind of co-design procedure."))
    if opportunity.kind == Opportunity.Kind.FINANCE and not opportunity.instrument:
        refuse("instrument", _("A finance opportunity needs its instrument."))

    if opportunity.legal_basis_id is not None and opportunity.published_on is not None:
        _check_legal_basis(opportunity, cpv_codes, refuse)
    if errors:
        raise ValidationError(errors)


Refuse = Callable[[str, str], None]


def _pair(low: Any, high: Any, field: str, message: str, refuse: Refuse) -> None:
    if low is not None and high is not None and low > high:
        refuse(field, message)


def _check_legal_basis(opportunity: Opportunity, cpv_codes: Iterable[CpvCode | str] | None, refuse: Refuse) -> None:
    basis = opportunity.legal_basis
    day = opportunity.published_on
    if not basis.is_valid_on(day):
        refuse(
            "legal_basis",
            _("%(basis)s is not in force on the publication date %(date)s.")
            % {"basis": basis.citation, "date": day.strftime("%d/%m/%Y")},
        )
    cap = basis.value_cap_on(day)
    if cap is not None and opportunity.value is not None and not cap.allows(opportunity.value):
        refuse(
            "value",
            (
                _("%(basis)s allows at most EUR %(cap)s on %(date)s; the value is EUR %(value)s.")
                if cap.inclusive
                else _("%(basis)s allows only values below EUR %(cap)s on %(date)s; the value is EUR %(value)s.")
            )
            % {
                "basis": basis.citation,
                "cap": cap.max_value,
                "date": day.strftime("%d/%m/%Y"),
                "value": opportunity.value,
            },
        )
    if cpv_codes is None:
        cpv_codes = opportunity.cpv_codes.all() if opportunity.pk else []
    excluded = excluded_cpv_codes(opportunity, cpv_codes)
    if excluded:
        refuse(
            "cpv_codes",
            _("%(basis)s excludes these kinds of service: %(codes)s.")
            % {"basis": basis.citation, "codes": ", ".join(excluded)},
        )
    if _known_codes(opportunity) and not possible_legal_forms(opportunity):
        refuse(_eligibility_field(opportunity), _no_one_message(opportunity))


def _known_codes(opportunity: Opportunity) -> bool:
    """Unknown legal forms or sections are refused by their field's own check, not called impossible."""
    try:
        validate_legal_forms(opportunity.eligible_legal_forms)
        validate_runts_sections(opportunity.eligible_runts_sections)
    except ValidationError:
        return False
    return True


def _eligibility_field(opportunity: Opportunity) -> str:
    """The opportunity's own field that makes its eligibility impossible; the legal basis when it has none."""
    for field in ("eligible_legal_forms", "eligible_runts_sections", "third_sector_only"):
        if getattr(opportunity, field):
            return field
    return "legal_basis"


def _no_one_message(opportunity: Opportunity) -> str:
    return _(
        "No legal form can meet this eligibility together with %(basis)s: check the legal forms, "
        "the RUNTS sections and 'Third sector entities only'."
    ) % {"basis": opportunity.legal_basis.citation}
