"""Reads of the plan, each with a fixed number of queries whatever the data size."""

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet

from .models import Action, ContextReference, Objective, Plan, ProcessPhase, Theme


def get_public_plan() -> Plan | None:
    """The plan the portal shows: settings.PORTAL_PLAN, else the first plan."""
    plans = Plan.objects.prefetch_related("promoters")
    slug = getattr(settings, "PORTAL_PLAN", "")
    if slug:
        return plans.filter(slug=slug).first()
    return plans.order_by("pk").first()


def themes_of(*, plan: Plan) -> QuerySet[Theme]:
    return Theme.objects.filter(plan=plan).annotate(
        objective_count=Count("objectives", distinct=True),
        action_count=Count("objectives__actions", distinct=True),
    )


def plan_tree(*, plan: Plan) -> QuerySet[Theme]:
    """Themes with their objectives, actions, tools and milestones, in four queries."""
    actions = Action.objects.prefetch_related("tools", "milestones")
    objectives = Objective.objects.prefetch_related(Prefetch("actions", queryset=actions))
    return Theme.objects.filter(plan=plan).prefetch_related(Prefetch("objectives", queryset=objectives))


def phases_of(*, plan: Plan) -> QuerySet[ProcessPhase]:
    return ProcessPhase.objects.filter(plan=plan)


def references_of(*, plan: Plan) -> QuerySet[ContextReference]:
    return ContextReference.objects.filter(plan=plan)
