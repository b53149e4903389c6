"""Italian tax identifiers, checked with python-stdnum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.it import codicefiscale, iva


def validate_codice_fiscale(value: str) -> None:
    """Entities have an 11-digit codice fiscale (same algorithm as the partita IVA);
    individuals a 16-character one. Both carry a check digit."""
    compact = value.strip().upper()
    valid = iva.is_valid(compact) if len(compact) == 11 else codicefiscale.is_valid(compact)
    if not valid:
        raise ValidationError(_("'%(value)s' is not a valid codice fiscale."), params={"value": value})


def validate_partita_iva(value: str) -> None:
    """The partita IVA: 11 digits with a check digit (Luhn-style, as stdnum.it.iva computes it)."""
    if not iva.is_valid(value.strip()):
        raise ValidationError(_("'%(value)s' is not a valid partita IVA."), params={"value": value})
