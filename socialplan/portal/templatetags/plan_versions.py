"""Presentation helpers for the pages of the plan's versions.

The kind of change is always written in the badge; the colour only
reinforces it (WCAG 1.4.1, use of colour).
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

from socialplan.plan import readable
from socialplan.plan.models import ChangelogEntry

register = template.Library()

_CHANGE_CLASSES: dict[str, str] = {
    ChangelogEntry.Change.ADDED: "bg-success",
    ChangelogEntry.Change.REMOVED: "bg-danger",
    ChangelogEntry.Change.CHANGED: "bg-primary",
    ChangelogEntry.Change.MOVED: "bg-dark",
}


@register.filter
def change_class(change: str) -> str:
    return _CHANGE_CLASSES.get(change, "bg-secondary")


@register.filter
def changed_field_labels(entry: ChangelogEntry) -> str:
    """The fields a change touched, in words: 'Title (English), Status'."""
    return ", ".join(readable.field_label(entry.element_kind, name) for name in entry.changed_fields)


@register.filter
def local_date(value: datetime) -> date:
    """The day of a moment in the site's time zone (a version published at 00:30 in Rome is dated that day)."""
    return timezone.localtime(value).date()
