"""Valid organizations for tests: real check digits, real legal forms."""

from itertools import count
from typing import Any

from socialplan.ecosystem.demo import invented_codice_fiscale
from socialplan.ecosystem.models import LegalForm, Organization

_serial = count(1)


def valid_codice_fiscale(number: int) -> str:
    """An 11-digit codice fiscale of an entity: valid check digit and a real office code."""
    return invented_codice_fiscale(progressive=number)


def make_organization(**fields: Any) -> Organization:
    number = next(_serial)
    defaults: dict[str, Any] = {
        "legal_name": f"Cooperativa sociale di prova {number}",
        "codice_fiscale": valid_codice_fiscale(8_000_000 + number),
        "legal_form": LegalForm.SOCIAL_COOP_B,
        "runts_section": "d",
    }
    defaults.update(fields)
    return Organization.objects.create(**defaults)
