"""Template access to the traceability of contributions (participation/traceability.py)."""

from typing import Any

from django import template

from socialplan.accounts import rules as accounts_rules
from socialplan.participation import contributions, traceability
from socialplan.plan.models import Action, Objective, Theme

register = template.Library()


@register.simple_tag(takes_context=True)
def outcomes_of(context: template.Context, contribution: Any) -> list[traceability.Outcome]:
    """`{% outcomes_of object as outcomes %}`: the plan changes a contribution led to.

    A page lists many contributions: the outcomes of every contribution of a kind
    are read once per request (links to plan changes are few, written by the office).
    """
    if contribution is None or getattr(contribution, "pk", None) is None:
        return []
    request = context.get("request")
    if request is None:
        return traceability.outcomes_of(contribution)
    memo: dict[type, dict[int, list[traceability.Outcome]]] = request.__dict__.setdefault("_outcomes_memo", {})
    model = type(contribution)
    if model not in memo:
        memo[model] = traceability.outcomes_of_kind(model)
    return memo[model].get(contribution.pk, [])


@register.simple_tag
def contributions_behind(element_key: str, limit: int | None = None) -> list[Any]:
    """`{% contributions_behind key as found %}`: contributions behind a plan element and its children."""
    return traceability.contributions_behind(element_key, limit=limit)


@register.filter
def contribution_text(contribution: Any) -> str:
    return traceability.text_of(contribution)


@register.filter
def is_plan_office(user: Any) -> bool:
    """The plan office links contributions to plan changes (participation/views_trace.py)."""
    return bool(accounts_rules.is_plan_office.test(user))


@register.filter
def model_label(obj: Any) -> str:
    """`app_label.modelname`, the kind of a contribution as the traceability page names it."""
    return str(obj._meta.label_lower)


@register.simple_tag
def element_key_of(element: Any) -> str:
    """The plan element's key (plan/versions.py): `theme`, `theme/objective`, `theme/objective/action`."""
    if isinstance(element, Theme):
        return element.code
    if isinstance(element, Objective):
        return f"{element.theme.code}/{element.code}"
    if isinstance(element, Action):
        return f"{element.objective.theme.code}/{element.objective.code}/{element.code}"
    raise TypeError(f"No element key for {type(element).__name__}")


@register.filter
def contribution_kind_label(contribution: Any) -> str:
    kind = contributions.kind_of(contribution)
    return str(kind.label) if kind is not None else ""
