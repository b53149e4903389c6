"""Presentation helpers of the reporter's pages. Colours only reinforce the status written inside
each badge, never replace it (WCAG 1.4.1, use of colour)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from socialplan.monitoring.models import Update

register = template.Library()

_STATUS_CLASSES: dict[str, str] = {
    Update.Status.DRAFT: "bg-secondary",
    Update.Status.SUBMITTED: "bg-primary",
    Update.Status.RETURNED: "bg-warning",
    Update.Status.APPROVED: "bg-success",
}


@register.filter
def update_status_class(status: str) -> str:
    """The badge colour of an update's status ("missing": nothing reported yet)."""
    return _STATUS_CLASSES.get(status, "bg-light text-dark border")


@register.filter
def plain_number(number: Decimal | None) -> str:
    """12 or 12,5 (in Italian): a stored value as people write it, without trailing zeros."""
    if number is None:
        return ""
    return number_format(Decimal(f"{number.normalize():f}"), use_l10n=True)


@register.filter
def file_name(path: str) -> str:
    """An uploaded file's own name, without the folders it is stored in."""
    return str(path).rsplit("/", 1)[-1]
