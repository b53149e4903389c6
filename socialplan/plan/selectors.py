"""Reads of the plan, each with a fixed number of queries whatever the data size."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Case, CharField, Count, F, Prefetch, QuerySet, Value, When
from django.utils.translation import pgettext_lazy

from .models import (
    Action,
    ChangelogEntry,
    ChangelogSource,
    ContextReference,
    Milestone,
    Objective,
    Plan,
    PlanVersion,
    ProcessPhase,
    Theme,
    Tool,
    VisionPillar,
)


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


@dataclass
class ExplorerTree:
    """The explorer's content: every theme (for navigation) and one theme's full tree."""

    themes: list[Theme]
    selected: Theme | None
    objectives: list[Objective]


def plan_tree(*, plan: Plan, theme_code: str | None = None) -> ExplorerTree | None:
    """Themes with their counts, and the objectives, actions and tools of one theme.

    The explorer shows one theme at a time, so its size follows a theme, not
    the whole plan (300 actions at metropolitan scale). Without a code, the
    first theme that has objectives is shown. Returns None for an unknown code.
    Milestones stay on the action pages. Three queries, or four with tools.
    """
    themes = list(themes_of(plan=plan))
    if theme_code is None:
        selected = next((theme for theme in themes if theme.objective_count), themes[0] if themes else None)
    else:
        selected = next((theme for theme in themes if theme.code == theme_code), None)
        if selected is None:
            return None
    objectives: list[Objective] = []
    if selected is not None:
        actions = Action.objects.prefetch_related("tools")
        objectives = list(
            Objective.objects.filter(theme=selected).prefetch_related(Prefetch("actions", queryset=actions))
        )
    return ExplorerTree(themes=themes, selected=selected, objectives=objectives)


def phases_of(*, plan: Plan) -> QuerySet[ProcessPhase]:
    return ProcessPhase.objects.filter(plan=plan)


def references_of(*, plan: Plan) -> QuerySet[ContextReference]:
    return ContextReference.objects.filter(plan=plan)


# Reads for the public portal. Each returns everything its page shows in a
# fixed number of queries (select_related for the parents, prefetch_related
# for the children), so a page costs the same with 8 themes or 800.


def pillars_of(*, plan: Plan) -> QuerySet[VisionPillar]:
    return VisionPillar.objects.filter(plan=plan)


@dataclass(frozen=True)
class PlanFigures:
    """The plan's key figures, all counted from the data rather than written down."""

    municipalities: int | None
    macro_themes: int
    cross_cutting_elements: int
    objectives: int
    actions: int
    phase_figures: list[ProcessPhase]


def plan_figures(*, plan: Plan, themes: Iterable[Theme], phases: Iterable[ProcessPhase]) -> PlanFigures:
    """Figures from rows the page has already read: `themes` must come from themes_of().

    Summing the per-theme counts costs no query; counting again in the
    database would repeat work the theme list has just done.
    """
    themes = list(themes)
    return PlanFigures(
        municipalities=plan.municipalities,
        macro_themes=sum(1 for theme in themes if theme.kind == Theme.Kind.MACRO),
        cross_cutting_elements=sum(1 for theme in themes if theme.kind == Theme.Kind.CROSS_CUTTING),
        objectives=sum(getattr(theme, "objective_count", 0) for theme in themes),
        actions=sum(getattr(theme, "action_count", 0) for theme in themes),
        phase_figures=[phase for phase in phases if phase.participants is not None],
    )


def _actions_with_counts() -> QuerySet[Action]:
    """Actions with how many tools and milestones they have, for lists that link to the action page."""
    return Action.objects.annotate(
        tool_count=Count("tools", distinct=True),
        milestone_count=Count("milestones", distinct=True),
    )


def theme_page(*, plan: Plan, code: str) -> Theme | None:
    """One theme of the plan with its objectives, their actions and the named coordinators.

    Coordinators come with their names only, and only those who gave a name:
    a public page never shows their email address (personal contact data).
    """
    coordinators = (
        get_user_model()
        .objects.exclude(first_name="", last_name="")
        .only("pk", "first_name", "last_name")
        .order_by("last_name", "first_name")
    )
    objectives = Objective.objects.prefetch_related(Prefetch("actions", queryset=_actions_with_counts()))
    return (
        Theme.objects.filter(plan=plan, code=code)
        .prefetch_related(
            Prefetch("objectives", queryset=objectives),
            Prefetch("coordinators", queryset=coordinators),
        )
        .first()
    )


def objective_page(*, plan: Plan, pk: int) -> Objective | None:
    """An objective of the given plan (None for another plan's), with its theme and actions."""
    return (
        Objective.objects.filter(theme__plan=plan, pk=pk)
        .select_related("theme")
        .prefetch_related(Prefetch("actions", queryset=_actions_with_counts()))
        .first()
    )


class MilestoneState(models.TextChoices):
    DONE = "done", pgettext_lazy("milestone", "Done")
    OVERDUE = "overdue", pgettext_lazy("milestone", "Overdue")
    UPCOMING = "upcoming", pgettext_lazy("milestone", "Upcoming")


def action_page(*, plan: Plan, pk: int, today: date) -> Action | None:
    """An action of the given plan with its objective, theme, tools and milestones.

    Each milestone carries `state` (a MilestoneState) computed in the database
    against `today`, so the page needs no per-milestone logic.
    """
    milestones = Milestone.objects.annotate(
        state=Case(
            When(completed_on__isnull=False, then=Value(MilestoneState.DONE)),
            When(due_date__lt=today, then=Value(MilestoneState.OVERDUE)),
            default=Value(MilestoneState.UPCOMING),
            output_field=CharField(),
        )
    )
    return (
        Action.objects.filter(objective__theme__plan=plan, pk=pk)
        .select_related("objective__theme")
        .prefetch_related("tools", Prefetch("milestones", queryset=milestones))
        .first()
    )


# Reads for the open-data API. Each list keeps a stable order (primary key last)
# so that limit/offset pages never skip or repeat an element, and joins or
# prefetches whatever its items show, so a page costs the same queries
# whatever the data size.


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.order_by("slug")


def plan_with_parts(*, slug: str) -> Plan | None:
    """The plan with its promoters and vision pillars, or None for an unknown slug."""
    return Plan.objects.prefetch_related("promoters", "pillars").filter(slug=slug).first()


def theme_list(*, plan_slug: str | None = None, kind: str | None = None) -> QuerySet[Theme]:
    themes = Theme.objects.select_related("plan").order_by("plan__slug", "order", "pk")
    if plan_slug is not None:
        themes = themes.filter(plan__slug=plan_slug)
    if kind is not None:
        themes = themes.filter(kind=kind)
    return themes


def theme_with_objectives(*, theme_id: int) -> Theme | None:
    return (
        Theme.objects.select_related("plan")
        .prefetch_related(Prefetch("objectives", queryset=Objective.objects.order_by("order", "pk")))
        .filter(pk=theme_id)
        .first()
    )


def objective_list(*, theme_id: int | None = None) -> QuerySet[Objective]:
    objectives = Objective.objects.order_by("theme__plan__slug", "theme__order", "order", "pk")
    if theme_id is not None:
        objectives = objectives.filter(theme_id=theme_id)
    return objectives


def objective_with_actions(*, objective_id: int) -> Objective | None:
    return (
        Objective.objects.prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("order", "pk")))
        .filter(pk=objective_id)
        .first()
    )


def action_list(
    *, theme_id: int | None = None, objective_id: int | None = None, status: str | None = None
) -> QuerySet[Action]:
    # The objective is joined because each item names its theme (objective.theme_id).
    actions = Action.objects.select_related("objective").order_by(
        "objective__theme__plan__slug", "objective__theme__order", "objective__order", "order", "pk"
    )
    if theme_id is not None:
        actions = actions.filter(objective__theme_id=theme_id)
    if objective_id is not None:
        actions = actions.filter(objective_id=objective_id)
    if status is not None:
        actions = actions.filter(status=status)
    return actions


def action_with_parts(*, action_id: int) -> Action | None:
    """The action with its milestones and tools; its theme is joined for permission checks."""
    return (
        Action.objects.select_related("objective__theme")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "order", "pk")),
            Prefetch("tools", queryset=Tool.objects.order_by("order", "pk")),
        )
        .filter(pk=action_id)
        .first()
    )


def tool_list(*, action_id: int | None = None) -> QuerySet[Tool]:
    tools = Tool.objects.order_by("action_id", "order", "pk")
    if action_id is not None:
        tools = tools.filter(action_id=action_id)
    return tools


def tool_by_id(*, tool_id: int) -> Tool | None:
    return Tool.objects.filter(pk=tool_id).first()


def phase_list(*, plan_slug: str | None = None) -> QuerySet[ProcessPhase]:
    phases = ProcessPhase.objects.select_related("plan").order_by("plan__slug", "order", "pk")
    if plan_slug is not None:
        phases = phases.filter(plan__slug=plan_slug)
    return phases


def reference_list(*, plan_slug: str | None = None, level: str | None = None) -> QuerySet[ContextReference]:
    references = ContextReference.objects.select_related("plan").order_by(
        "plan__slug", F("date").asc(nulls_first=True), "code", "pk"
    )
    if plan_slug is not None:
        references = references.filter(plan__slug=plan_slug)
    if level is not None:
        references = references.filter(level=level)
    return references


# Reads of the plan's published versions.


def themes_for_snapshot(*, plan: Plan) -> QuerySet[Theme]:
    """Every theme with its whole tree, for versions.build_snapshot: five queries whatever the plan's size."""
    actions = Action.objects.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "order", "pk")),
        Prefetch("tools", queryset=Tool.objects.order_by("order", "pk")),
    ).order_by("order", "pk")
    objectives = Objective.objects.prefetch_related(Prefetch("actions", queryset=actions)).order_by("order", "pk")
    return (
        Theme.objects.filter(plan=plan)
        .prefetch_related(Prefetch("objectives", queryset=objectives))
        .order_by("order", "pk")
    )


def versions_of(*, plan: Plan) -> QuerySet[PlanVersion]:
    """The plan's versions, newest first, with how many changes each made; snapshots are left unread."""
    return (
        PlanVersion.objects.filter(plan=plan)
        .defer("snapshot")
        .annotate(change_count=Count("changelog"))
        .order_by("-number")
    )


def latest_version(*, plan: Plan) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan=plan).order_by("-number").first()


def version_with_changelog(*, plan: Plan, number: int) -> PlanVersion | None:
    """One version with its changelog and each entry's sources (and the contributions they link to)."""
    entries = ChangelogEntry.objects.prefetch_related(
        Prefetch(
            "sources", queryset=ChangelogSource.objects.select_related("content_type").prefetch_related("contribution")
        )
    )
    return (
        PlanVersion.objects.filter(plan=plan, number=number)
        .defer("snapshot")
        .select_related("plan", "published_by")
        .prefetch_related(Prefetch("changelog", queryset=entries))
        .first()
    )


def versions_by_number(*, plan: Plan, numbers: Iterable[int]) -> dict[int, PlanVersion]:
    """The versions with these numbers, snapshots included, in one query."""
    return {version.number: version for version in PlanVersion.objects.filter(plan=plan, number__in=list(numbers))}
