from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import Phase, Process, Report


class PhaseInline(TranslationTabularInline):
    model = Phase
    extra = 0
    fields = ("order", "code", "title", "start_date", "end_date", "openings")


@admin.register(Process)
class ProcessAdmin(TranslationAdmin):
    list_display = ("title", "plan", "is_plan_history", "published")
    list_filter = ("plan", "published")
    filter_horizontal = ("moderators",)
    inlines = [PhaseInline]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "reason", "decision", "created_at")
    list_filter = ("decision", "reason")
    readonly_fields = ("content_type", "object_id", "reporter", "reason", "details", "created_at")
