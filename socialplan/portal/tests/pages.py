"""The portal's public pages for a loaded plan: one list shared by the client, query-budget and browser tests."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation

from socialplan.plan.models import Action, Objective, Plan

SOCIAL_PROCUREMENT = "social-procurement"


@dataclass(frozen=True)
class Page:
    name: str
    url_name: str
    kwargs: dict[str, object]

    def path(self, language: str = "it") -> str:
        with translation.override(language):
            return reverse(f"portal:{self.url_name}", kwargs=self.kwargs)


def public_pages(plan: Plan) -> list[Page]:
    """Every public page, detail pages taken from the social procurement theme (the one with content)."""
    objective = Objective.objects.filter(theme__plan=plan, theme__code=SOCIAL_PROCUREMENT).order_by("order").first()
    action = Action.objects.filter(objective=objective).order_by("order").first()
    assert objective is not None and action is not None, "the plan has no social procurement objective or action"
    return [
        Page("home", "home", {}),
        Page("explorer", "explorer", {}),
        Page("theme", "theme", {"code": SOCIAL_PROCUREMENT}),
        Page("empty-theme", "theme", {"code": "measurement"}),
        Page("objective", "objective", {"pk": objective.pk}),
        Page("action", "action", {"pk": action.pk}),
        Page("process", "process", {}),
        Page("context", "context", {}),
        Page("about", "about", {}),
    ]


PAGE_NAMES = ["home", "explorer", "theme", "empty-theme", "objective", "action", "process", "context", "about"]


def page_named(plan: Plan, name: str) -> Page:
    return next(page for page in public_pages(plan) if page.name == name)
