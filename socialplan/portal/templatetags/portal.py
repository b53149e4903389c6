"""Presentation helpers for the portal's templates.

Colours only reinforce the status text written inside each badge, never
replace it (WCAG 1.4.1, use of colour).
"""

from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language

from socialplan.plan.models import Action, ContextReference, Plan
from socialplan.plan.selectors import MilestoneState

register = template.Library()

_ACTION_STATUS_CLASSES: dict[str, str] = {
    Action.Status.PLANNED: "bg-secondary",
    Action.Status.IN_PROGRESS: "bg-primary",
    Action.Status.DELAYED: "bg-warning",
    Action.Status.DONE: "bg-success",
    Action.Status.CANCELLED: "bg-dark",
}
_MILESTONE_STATE_CLASSES: dict[str, str] = {
    MilestoneState.DONE: "bg-success",
    MilestoneState.OVERDUE: "bg-danger",
    MilestoneState.UPCOMING: "bg-secondary",
}
_PLAN_STATUS_CLASSES: dict[str, str] = {
    Plan.Status.DRAFT: "bg-secondary",
    Plan.Status.CONSULTATION: "bg-warning",
    Plan.Status.APPROVED: "bg-success",
    Plan.Status.IMPLEMENTATION: "bg-primary",
    Plan.Status.CLOSED: "bg-dark",
}


@register.filter
def action_status_class(status: str) -> str:
    return _ACTION_STATUS_CLASSES.get(status, "bg-secondary")


@register.filter
def milestone_state_class(state: str) -> str:
    return _MILESTONE_STATE_CLASSES.get(state, "bg-secondary")


@register.filter
def milestone_state_label(state: str) -> str:
    return str(MilestoneState(state).label) if state in MilestoneState.values else state


@register.filter
def plan_status_class(status: str) -> str:
    return _PLAN_STATUS_CLASSES.get(status, "bg-secondary")


@register.filter
def reference_date(reference: ContextReference) -> str:
    """The date only as precisely as the source states it: '2023', 'May 2024' or '18 July 2024'.

    Showing '1 January 2023' for a reference known only by its year would
    invent a precision the plan does not claim.
    """
    value: date | None = reference.date
    if value is None:
        return ""
    if reference.date_precision == ContextReference.Precision.YEAR:
        return str(value.year)
    if reference.date_precision == ContextReference.Precision.MONTH:
        return _localized(value, "YEAR_MONTH_FORMAT")
    return _localized(value, "DATE_FORMAT")


@register.filter
def long_date(value: date | None) -> str:
    return "" if value is None else _localized(value, "DATE_FORMAT")


def _localized(value: date, format_name: str) -> str:
    text = date_format(value, format_name)
    # Italian writes month names in lower case ("18 luglio 2024"); Django's catalogue capitalises them.
    return text.lower() if (get_language() or "").startswith("it") else text


@register.filter
def is_email(value: str) -> bool:
    return "@" in value and "/" not in value
