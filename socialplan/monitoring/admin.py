"""Back office for monitoring.

Permissions come from rules.py (object level). The plan office manages every
indicator; a theme coordinator sees and manages only the indicators of the
elements under their themes, and may only attach new ones there. Updates are
read-only here: reporters write them through the services, and reviewers
approve or return them with the list's actions, which call the services.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from socialplan.accounts.rules import is_plan_office

from .cycles import close_cycle, cycle_status
from .models import (
    Category,
    Cycle,
    Dimension,
    DimensionTarget,
    DimensionValue,
    Indicator,
    IndicatorDimension,
    Period,
    QualitativeLevel,
    Reminder,
    Update,
)
from .rules import manages_indicator
from .services import approve_update, return_update
from .tasks import build_cycle_report


class MonitoringAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """Object-level permissions and the history button."""


class TranslatedMonitoringAdmin(MonitoringAdmin, TabbedTranslationAdmin):
    """The same, with translated fields in tabs."""


class MonitoringInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    extra = 0


class CategoryInline(ObjectPermissionsModelAdminMixin, TranslationTabularInline):
    model = Category
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(TranslatedMonitoringAdmin):
    list_display = ["title", "code", "kind", "exhaustive", "order"]
    inlines = [CategoryInline]


def coordinated_indicators(request: HttpRequest, path: str = "") -> Q:
    """Indicators (reached through `path`) of elements under the themes the user coordinates."""
    user = request.user
    return (
        Q(**{f"{path}theme__coordinators": user})
        | Q(**{f"{path}objective__theme__coordinators": user})
        | Q(**{f"{path}action__objective__theme__coordinators": user})
    )


class IndicatorScoped(admin.ModelAdmin):
    """Narrows a coordinator to the indicators of their themes; `indicator_path` leads to the indicator."""

    indicator_path = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_plan_office(request.user):
            return queryset
        return queryset.filter(coordinated_indicators(request, self.indicator_path)).distinct()


class IndicatorDimensionInline(MonitoringInline):
    model = IndicatorDimension


class QualitativeLevelInline(ObjectPermissionsModelAdminMixin, TranslationTabularInline):
    model = QualitativeLevel
    extra = 0


class PeriodInline(MonitoringInline):
    model = Period
    fields = ["start", "end", "target", "locked"]
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(IndicatorScoped, TranslatedMonitoringAdmin):
    list_display = ["code", "title", "element_label", "measure", "direction", "cumulative"]
    list_filter = ["plan", "measure", "theme"]
    list_select_related = ["plan", "theme", "objective", "action"]
    search_fields = ["code", "title_it", "title_en"]
    filter_horizontal = ["reporters", "reporting_organizations"]
    inlines = [IndicatorDimensionInline, QualitativeLevelInline, PeriodInline]

    @admin.display(description=_("element"))
    def element_label(self, indicator: Indicator) -> str:
        return str(indicator.element)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        theme_path = {
            "plan": "themes__",
            "theme": "",
            "objective": "theme__",
            "action": "objective__theme__",
        }.get(db_field.name)
        if theme_path is not None and field is not None and not is_plan_office(request.user):
            field.queryset = field.queryset.filter(**{f"{theme_path}coordinators": request.user}).distinct()
        if db_field.name == "contributes_to" and field is not None and not is_plan_office(request.user):
            field.queryset = field.queryset.filter(coordinated_indicators(request)).distinct()
        return field

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if not is_plan_office(request.user):
            return _coordinator_form(form)
        return form


def _coordinator_form(form: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """A coordinator's indicator must lie under one of their themes (the form says so before saving)."""

    class CoordinatorIndicatorForm(form):  # type: ignore[valid-type, misc]
        def clean(self) -> dict[str, Any]:
            data: dict[str, Any] = super().clean()
            if not any(data.get(name) for name in ("theme", "objective", "action")):
                raise ValidationError(_("Choose a theme, an objective or an action under your themes."))
            return data

    return CoordinatorIndicatorForm


class DimensionTargetInline(MonitoringInline):
    model = DimensionTarget
    fields = ["dimension", "category", "comune", "target"]
    raw_id_fields = ["comune"]


@admin.register(Period)
class PeriodAdmin(IndicatorScoped, MonitoringAdmin):
    indicator_path = "indicator__"
    list_display = ["indicator", "start", "end", "target", "locked"]
    list_filter = ["locked", "indicator__plan"]
    list_select_related = ["indicator"]
    inlines = [DimensionTargetInline]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "indicator" and field is not None and not is_plan_office(request.user):
            field.queryset = field.queryset.filter(coordinated_indicators(request)).distinct()
        return field


class DimensionValueInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = DimensionValue
    fields = readonly_fields = ("dimension", "category", "comune", "value", "numerator", "denominator")
    extra = 0
    can_delete = False


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the reporter must correct. It is shown to them with the returned update."),
    )


@admin.register(Update)
class UpdateAdmin(IndicatorScoped, MonitoringAdmin):
    indicator_path = "period__indicator__"
    list_display = ["period_indicator", "period", "reporter", "organization", "status", "submitted_at", "reviewed_by"]
    list_filter = ["status", "period__indicator__plan", "period__indicator__theme"]
    list_select_related = ["period__indicator", "reporter", "organization", "reviewed_by"]
    search_fields = ["period__indicator__code", "reporter__email", "organization__legal_name"]
    fields = readonly_fields = (
        "period",
        "reporter",
        "organization",
        "value",
        "numerator",
        "denominator",
        "level",
        "narrative",
        "evidence",
        "status",
        "created_at",
        "updated_at",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    )
    inlines = [DimensionValueInline]
    actions = ["approve_selected", "return_selected"]

    @admin.display(description=_("indicator"), ordering="period__indicator__code")
    def period_indicator(self, update: Update) -> str:
        return update.period.indicator.code

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return bool(manages_indicator(request.user, None))

    @admin.action(description=_("Approve the selected updates"), permissions=["review"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Update]) -> None:
        self._review_each(request, queryset, lambda update: approve_update(update=update, reviewer=request.user))

    @admin.action(description=_("Return the selected updates with a note"), permissions=["review"])
    def return_selected(self, request: HttpRequest, queryset: QuerySet[Update]) -> HttpResponse | None:
        form = ReturnForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            note = form.cleaned_data["note"]
            self._review_each(
                request, queryset, lambda update: return_update(update=update, reviewer=request.user, note=note)
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return updates with a note"),
            "opts": self.model._meta,
            "updates": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/monitoring/update/return_selected.html", context)

    def _review_each(self, request: HttpRequest, queryset: QuerySet[Update], review: Any) -> None:
        """Review every selected update through the service; report the refused ones with the reason."""
        done = 0
        for update in queryset:
            try:
                review(update)
            except ValidationError as error:
                self.message_user(request, f"{update}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d update reviewed.", "%(count)d updates reviewed.", done) % {"count": done},
                messages.SUCCESS,
            )


class ReminderInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = Reminder
    extra = 0
    fields = ("sent_on", "kind", "user", "missing")
    readonly_fields = fields
    can_delete = False


@admin.register(Cycle)
class CycleAdmin(MonitoringAdmin, TabbedTranslationAdmin):
    """Cycles with their dashboard: who has reported, who is late, what waits for review."""

    list_display = ("title", "plan", "starts_on", "ends_on", "due_date", "closed_at")
    list_filter = ("plan",)
    fields = (
        "plan",
        "title",
        "starts_on",
        "ends_on",
        "due_date",
        "remind_before_days",
        "remind_every_days_after",
        "closed_at",
    )
    readonly_fields = ("closed_at",)
    inlines = [ReminderInline]
    change_form_template = "admin/monitoring/cycle/change_form.html"
    actions = ["close_cycles", "build_reports"]

    def save_model(self, request: HttpRequest, obj: Cycle, form: Any, change: bool) -> None:
        if not change:
            obj.opened_by = request.user
        super().save_model(request, obj, form, change)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        cycle = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if cycle is not None:
            extra_context["cycle_status"] = cycle_status(cycle=cycle, today=timezone.localdate())
            extra_context["cycle_reports"] = list(cycle.reports.all())
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Close the selected cycles (no more reminders)"))
    def close_cycles(self, request: HttpRequest, queryset: QuerySet[Cycle]) -> None:
        for cycle in queryset:
            was_open = cycle.closed_at is None
            close_cycle(cycle=cycle, user=request.user)
            if was_open:
                build_cycle_report.enqueue(cycle.pk)
        self.message_user(request, _("Closed; the final reports are being built."), messages.SUCCESS)

    @admin.action(description=_("Build the PDF report of the selected cycles"))
    def build_reports(self, request: HttpRequest, queryset: QuerySet[Cycle]) -> None:
        for cycle in queryset:
            build_cycle_report.enqueue(cycle.pk)
        self.message_user(
            request,
            _("The reports are being built; they are published on the portal's monitoring reports page."),
            messages.SUCCESS,
        )
