"""Back office for the plan.

Permissions come from rules.py (object level). Theme coordinators see only
the themes they coordinate and what lies under them, and may only attach new
objectives, actions, tools and milestones there.
"""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from socialplan.accounts.models import User
from socialplan.accounts.rules import is_plan_office

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
    Promoter,
    Theme,
    Tool,
    VisionPillar,
)
from .readable import field_label, readable_diff
from .services import ChangeReason, PlanChangedSincePreview, pending_changes, publish_version
from .versions import empty_snapshot


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
    # admin/plan/plan/change_form.html adds "Publish a version" beside the history button.

    def get_urls(self) -> list[URLPattern]:
        publish = path(
            "<path:object_id>/publish/",
            self.admin_site.admin_view(self.publish_view),
            name="plan_plan_publish",
        )
        return [publish, *super().get_urls()]

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return publish_version_view(self, request, object_id)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {"can_publish": request.user.has_perm("plan.publish_version"), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=context)


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


# Versions. The plan office publishes from the plan's page ("Publish a
# version"): it sees every difference since the latest version and writes
# why, change by change. Versions are then read-only; changelog entries keep
# their reasons and sources editable.


class PublishVersionForm(forms.Form):
    summary_it = forms.CharField(label=_("Summary (Italian)"), widget=forms.Textarea(attrs={"rows": 3}))
    summary_en = forms.CharField(label=_("Summary (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    digest = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, identifiers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.identifiers = identifiers
        for index, _identifier in enumerate(identifiers):
            self.fields[f"reason_it_{index}"] = forms.CharField(
                label=_("Reason (Italian)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"reason_en_{index}"] = forms.CharField(
                label=_("Reason (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def reasons(self) -> dict[str, ChangeReason]:
        return {
            identifier: ChangeReason(
                it=self.cleaned_data[f"reason_it_{index}"], en=self.cleaned_data[f"reason_en_{index}"]
            )
            for index, identifier in enumerate(self.identifiers)
        }

    def reason_fields(self) -> dict[str, tuple[Any, Any]]:
        """identifier -> (Italian, English) bound reason fields, for the template to show beside each change."""
        return {
            identifier: (self[f"reason_it_{index}"], self[f"reason_en_{index}"])
            for index, identifier in enumerate(self.identifiers)
        }


def publish_version_view(model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    """Review the differences since the latest version, write the reasons, publish."""
    plan = model_admin.get_object(request, object_id)
    if plan is None or not request.user.has_perm("plan.publish_version", plan):
        raise PermissionDenied
    pending = pending_changes(plan=plan)
    identifiers = [change.identifier for change in pending.changes]
    form = PublishVersionForm(request.POST or None, identifiers=identifiers, initial={"digest": pending.digest})
    if request.method == "POST" and form.is_valid():
        try:
            version = publish_version(
                plan=plan,
                user=cast(User, request.user),
                summary_it=form.cleaned_data["summary_it"],
                summary_en=form.cleaned_data["summary_en"],
                reasons=form.reasons(),
                expected_digest=form.cleaned_data["digest"],
            )
        except PlanChangedSincePreview as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.path)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
            return HttpResponseRedirect(reverse("admin:plan_planversion_change", args=[version.pk]))
    old = pending.previous.snapshot if pending.previous else empty_snapshot(plan.slug)
    groups = readable_diff(old, pending.snapshot, pending.changes) if pending.previous else []
    reason_fields = form.reason_fields()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": plan,
        "title": _("Publish version %(number)s") % {"number": pending.number},
        "pending": pending,
        "form": form,
        "rows": [
            (group, [(change, *reason_fields[change.identifier]) for change in group.changes]) for group in groups
        ],
    }
    return TemplateResponse(request, "admin/plan/plan/publish_version.html", context)


class ChangelogEntryInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = ChangelogEntry
    fields = ["change", "element_kind", "title_it", "reason_it"]
    readonly_fields = ["change", "element_kind", "title_it", "reason_it"]
    show_change_link = True
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PlanVersion)
class PlanVersionAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """Read only: a published version is a record. Its changelog's reasons are edited on each entry."""

    list_display = ["__str__", "plan", "published_at", "published_by", "change_count"]
    list_filter = ["plan"]
    list_select_related = ["plan", "published_by"]
    fields = ["plan", "number", "published_at", "published_by", "summary_it", "summary_en", "public_page"]
    readonly_fields = ["public_page"]
    inlines = [ChangelogEntryInline]

    # Nobody, not even a platform admin, adds, changes or deletes a version here: versions are published.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[PlanVersion]:
        return super().get_queryset(request).defer("snapshot").annotate(changes=Count("changelog"))

    @admin.display(description=_("changes"), ordering="changes")
    def change_count(self, version: PlanVersion) -> int:
        return int(getattr(version, "changes", 0))

    @admin.display(description=_("public page"))
    def public_page(self, version: PlanVersion) -> str:
        url = version.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)


class ChangelogSourceInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = ChangelogSource
    fields = ["label", "url", "content_type", "object_id"]
    extra = 1


class ReasonFilter(admin.SimpleListFilter):
    title = _("reason")
    parameter_name = "reason"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("missing", _("Not written yet")), ("written", _("Written"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "missing":
            return queryset.filter(reason_it="")
        if self.value() == "written":
            return queryset.exclude(reason_it="")
        return queryset


@admin.register(ChangelogEntry)
class ChangelogEntryAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """The plan office writes why each change was made and links the contributions that led to it."""

    list_display = ["title", "change", "element_kind", "version", "has_reason"]
    list_filter = [ReasonFilter, "change", "element_kind", "version__plan", "version"]
    list_select_related = ["version"]
    search_fields = ["title_it", "title_en", "element_key", "reason_it"]
    fields = [
        *("version", "change", "element_kind", "element_key", "previous_key"),
        *("title_it", "title_en", "theme_title_it", "fields_changed", "reason_it", "reason_en"),
    ]
    readonly_fields = [
        *("version", "change", "element_kind", "element_key", "previous_key"),
        *("title_it", "title_en", "theme_title_it", "fields_changed"),
    ]
    inlines = [ChangelogSourceInline]

    # Entries come from publishing a version, one per difference: none is added or deleted by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("reason written"), boolean=True)
    def has_reason(self, entry: ChangelogEntry) -> bool:
        return bool(entry.reason_it)  # type: ignore[attr-defined]

    @admin.display(description=_("fields changed"))
    def fields_changed(self, entry: ChangelogEntry) -> str:
        return ", ".join(field_label(entry.element_kind, name) for name in entry.changed_fields)
