"""Checks of the list fields: legal forms, RUNTS sections, CPV prefixes and ANAC codes."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from socialplan.ecosystem.models import LegalForm, RuntsSection

from .codelists import reserved_participation_codes, reward_criteria_codes

CPV_PREFIX = re.compile(r"^\d{2,8}$")


def _codes(value: Any, known: set[str]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Give a list of codes."), code="not_a_list")
    unknown = [code for code in value if code not in known]
    if unknown:
        raise ValidationError(_("Unknown codes: %(codes)s."), code="unknown_code", params={"codes": ", ".join(unknown)})
    return value


def validate_legal_forms(value: Any) -> None:
    _codes(value, set(LegalForm.values))


def validate_runts_sections(value: Any) -> None:
    _codes(value, set(RuntsSection.values))


def validate_reward_criteria(value: Any) -> None:
    _codes(value, set(reward_criteria_codes()))


def validate_reserved_participation(value: str) -> None:
    if value and value not in reserved_participation_codes():
        raise ValidationError(
            _("'%(value)s' is not one of ANAC's reserved participation codes."),
            code="unknown_code",
            params={"value": value},
        )


def validate_cpv_prefixes(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(prefix, str) and CPV_PREFIX.match(prefix) for prefix in value):
        raise ValidationError(_('Give a list of CPV prefixes of 2 to 8 digits, e.g. "85".'), code="bad_cpv_prefix")
