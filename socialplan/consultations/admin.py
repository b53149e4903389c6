"""The plan office opens consultations here: a new one takes its sections from the plan elements named by key."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Annotation, AnonymousAnswer, Comment, Consultation, Section


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ("order", "element_key", "heading", "body")


class ConsultationForm(forms.ModelForm):
    element_keys = forms.CharField(
        label=_("Plan elements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Keys of the themes, objectives and actions to put under consultation, one per line "
            "(e.g. 'social-procurement/sp-o1'): a section is added for each, with its current text."
        ),
    )

    class Meta:
        model = Consultation
        fields = (
            *("process", "phase", "slug", "title", "intro", "opens_at", "closes_at", "open_mode"),
            *("title_en", "intro_en", "plan_version"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        keys = [line.strip() for line in (data.get("element_keys") or "").splitlines() if line.strip()]
        process = data.get("process")
        if keys and process is not None:
            known = {element.key for element in services.draft_elements(process=process)}
            unknown = [key for key in keys if key not in known]
            if unknown:
                self.add_error(
                    "element_keys",
                    ValidationError(
                        _("These keys are not themes, objectives or actions of the plan: %(keys)s."),
                        params={"keys": ", ".join(unknown)},
                    ),
                )
        data["element_keys"] = keys
        return data


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    form = ConsultationForm
    list_display = ("title", "process", "opens_at", "closes_at", "open_mode")
    list_filter = ("process", "open_mode")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [SectionInline]
    fieldsets = (
        (None, {"fields": ("process", "phase", "slug", "title", "intro", "opens_at", "closes_at", "open_mode")}),
        (_("English"), {"fields": ("title_en", "intro_en")}),
        (_("Draft"), {"fields": ("plan_version", "element_keys")}),
    )

    @transaction.atomic
    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        keys = form.cleaned_data.get("element_keys") or []
        if keys:
            services.add_sections(consultation=form.instance, element_keys=keys)


class ContributionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "author", "created_at", "hidden_at")
    list_filter = ("hidden_at",)
    readonly_fields = ("author", "created_at", "address_hash", "element_keys")
    search_fields = ("body",)


@admin.register(Comment)
class CommentAdmin(ContributionAdmin):
    list_select_related = ("author",)
    raw_id_fields = ("consultation", "section", "parent", "hidden_by")


@admin.register(Annotation)
class AnnotationAdmin(ContributionAdmin):
    raw_id_fields = ("section", "hidden_by")


@admin.register(AnonymousAnswer)
class AnonymousAnswerAdmin(ContributionAdmin):
    raw_id_fields = ("consultation", "hidden_by")
