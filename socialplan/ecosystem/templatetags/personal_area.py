"""Presentation helpers of the personal area. Colours only reinforce the status text written
inside each badge, never replace it (WCAG 1.4.1, use of colour)."""

from django import template

from socialplan.ecosystem.models import Membership, Pledge, ProfileChange

register = template.Library()

_STATUS_CLASSES: dict[str, str] = {
    Membership.Status.APPROVED: "bg-success",
    Membership.Status.REQUESTED: "bg-warning",
    Membership.Status.REJECTED: "bg-danger",
    ProfileChange.Status.PENDING: "bg-warning",
    Pledge.Status.ACTIVE: "bg-primary",
    Pledge.Status.FULFILLED: "bg-success",
    Pledge.Status.WITHDRAWN: "bg-secondary",
}


@register.filter
def status_class(status: str) -> str:
    """The badge colour of a membership, profile change or pledge status."""
    return _STATUS_CLASSES.get(status, "bg-secondary")
