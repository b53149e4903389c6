"""Back office for the plan.

Permissions come from rules.py (object level). Theme coordinators see only
the themes they coordinate and what lies under them, and may only attach new
objectives, actions, tools and milestones there.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from socialplan.accounts.rules import is_plan_office

from .models import (
    Action,
    ContextReference,
    Milestone,
    Objective,
    Plan,
    ProcessPhase,
    Promoter,
    Theme,
    Tool,
    VisionPillar,
)


class PlanContentAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    """Translated fields in tabs, object-level permissions, and the history button."""


class PlanOfficeInline(ObjectPermissionsModelAdminMixin, TranslationTabularInline):
    extra = 0


class PromoterInline(PlanOfficeInline):
    model = Promoter


class VisionPillarInline(PlanOfficeInline):
    model = VisionPillar


@admin.register(Plan)
class PlanAdmin(PlanContentAdmin):
    list_display = ["title", "territory", "status", "period_start", "period_end"]
    inlines = [PromoterInline, VisionPillarInline]


@admin.register(ProcessPhase)
class ProcessPhaseAdmin(PlanContentAdmin):
    list_display = ["name", "plan", "period_label", "start_date", "end_date", "participants"]
    list_filter = ["plan"]


@admin.register(ContextReference)
class ContextReferenceAdmin(PlanContentAdmin):
    list_display = ["title", "level", "date", "plan"]
    list_filter = ["plan", "level"]


def _coordinated_theme_filter(request: HttpRequest, path: str) -> dict[str, Any]:
    """The queryset filter that narrows a coordinator to their themes."""
    return {f"{path}coordinators": request.user}


class ThemeScopedAdmin(PlanContentAdmin):
    """Admin of an element under a theme; `theme_path` is the lookup path to it."""

    theme_path = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_plan_office(request.user):
            return queryset
        return queryset.filter(**_coordinated_theme_filter(request, self.theme_path)).distinct()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        parent_path = {"theme": "", "objective": "theme__", "action": "objective__theme__"}.get(db_field.name)
        if parent_path is not None and not is_plan_office(request.user) and field is not None:
            field.queryset = field.queryset.filter(**_coordinated_theme_filter(request, parent_path)).distinct()
        return field


class MilestoneInline(PlanOfficeInline):
    model = Milestone
    fields = ["title_it", "title_en", "due_date", "completed_on", "order"]


class ToolInline(PlanOfficeInline):
    model = Tool
    fields = ["code", "kind", "title_it", "title_en", "url", "order"]


@admin.register(Theme)
class ThemeAdmin(ThemeScopedAdmin):
    theme_path = ""
    list_display = ["title", "kind", "order", "plan"]
    list_filter = ["plan", "kind"]
    filter_horizontal = ["coordinators"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if is_plan_office(request.user):
            return super().get_readonly_fields(request, obj)
        # Coordinators steer their theme's content, not its place in the plan or who coordinates it.
        return ["plan", "code", "kind", "order", "coordinators"]


@admin.register(Objective)
class ObjectiveAdmin(ThemeScopedAdmin):
    theme_path = "theme__"
    list_display = ["title", "theme", "order"]
    list_filter = ["theme"]
    list_select_related = ["theme"]


@admin.register(Action)
class ActionAdmin(ThemeScopedAdmin):
    theme_path = "objective__theme__"
    list_display = ["title", "objective", "status", "start_date", "end_date", "weight"]
    list_filter = ["status", "objective__theme"]
    list_select_related = ["objective"]
    inlines = [MilestoneInline, ToolInline]


@admin.register(Tool)
class ToolAdmin(ThemeScopedAdmin):
    theme_path = "action__objective__theme__"
    list_display = ["title", "kind", "action"]
    list_select_related = ["action"]


@admin.register(Milestone)
class MilestoneAdmin(ThemeScopedAdmin):
    theme_path = "action__objective__theme__"
    list_display = ["title", "action", "due_date", "completed_on"]
    list_select_related = ["action"]
