"""Valid organizations for tests: real check digits, real legal forms."""

from itertools import count
from typing import Any

from stdnum import luhn

from socialplan.ecosystem.models import LegalForm, Organization

_serial = count(1)


def valid_codice_fiscale(number: int) -> str:
    """An 11-digit codice fiscale of an entity with a correct check digit."""
    body = f"{number:010d}"
    return body + luhn.calc_check_digit(body)


def make_organization(**fields: Any) -> Organization:
    number = next(_serial)
    defaults: dict[str, Any] = {
        "legal_name": f"Cooperativa sociale di prova {number}",
        "codice_fiscale": valid_codice_fiscale(9_000_000 + number),
        "legal_form": LegalForm.SOCIAL_COOP_B,
        "runts_section": "d",
    }
    defaults.update(fields)
    return Organization.objects.create(**defaults)
