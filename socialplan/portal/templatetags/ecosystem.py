"""Template helpers of the ecosystem pages."""

from typing import Any

from django import template
from django.core.paginator import Page
from django.utils.translation import get_language

from socialplan.ecosystem.models import Organization, Partnership
from socialplan.ecosystem.selectors import Network
from socialplan.plan.models import Action

register = template.Library()

_ROLE_CLASSES: dict[str, str] = {
    Partnership.Role.LEAD: "bg-primary",
    Partnership.Role.PARTNER: "bg-secondary",
    Partnership.Role.FUNDER: "bg-success",
    Partnership.Role.SUPPORTER: "bg-dark",
}


@register.filter
def in_language(item: Any, field: str) -> str:
    """`item.<field>_en` on English pages when it is not empty, else `item.<field>_it` (e.g. CPV labels)."""
    if (get_language() or "it").startswith("en"):
        english = getattr(item, f"{field}_en", "")
        if english:
            return str(english)
    return str(getattr(item, f"{field}_it", ""))


@register.filter
def role_class(role: str) -> str:
    """Colour of a partnership role's badge: it repeats the role written inside, never replaces it."""
    return _ROLE_CLASSES.get(role, "bg-secondary")


@register.simple_tag
def page_numbers(page: Page) -> list[int | str]:
    """The page numbers to link, with the paginator's ellipsis between distant ones (1 2 … 7 8 9 … 40)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@register.filter
def role_label(role: str) -> str:
    return str(Partnership.Role(role).label) if role in Partnership.Role.values else role


@register.filter
def links_of_action(network: Network, action_id: int) -> list[tuple[Organization, str]]:
    return network.links_of_action(action_id)


@register.filter
def actions_of(network: Network, organization_id: int) -> list[Action]:
    return network.actions_of(organization_id)


@register.filter
def partners_of(network: Network, organization_id: int) -> list[Organization]:
    return network.partners_of(organization_id)
