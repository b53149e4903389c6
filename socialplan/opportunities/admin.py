"""Back office of the registry: legal bases (the law as data), buyers and opportunities.

Permissions come from rules.py: the plan office only. The list fields of the
eligibility rules and ANAC's codes are edited as checkboxes and choices.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from socialplan.ecosystem.models import LegalForm, RuntsSection

from .codelists import choices, reserved_participation_codes, reward_criteria_codes
from .models import Buyer, Document, LegalBasis, Lot, Opportunity, ValueCap


def _checkboxes(label: Any, options: Any) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label, choices=options, required=False, widget=forms.CheckboxSelectMultiple
    )


class EligibilityForm(forms.ModelForm):
    """The model comes from the admin (modelform_factory)."""

    eligible_legal_forms = _checkboxes(_("eligible legal forms"), LegalForm.choices)
    eligible_runts_sections = _checkboxes(_("required RUNTS sections"), RuntsSection.choices)


class OpportunityForm(EligibilityForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reserved_participation"] = forms.ChoiceField(
            label=_("reserved participation (ANAC code)"),
            choices=[("", "-"), *choices(reserved_participation_codes())],
            required=False,
        )
        self.fields["reward_criteria"] = _checkboxes(
            _("reward criteria (ANAC codes)"), choices(reward_criteria_codes())
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The model's clean checks the codes about to be set, not the saved ones.
        self.instance.pending_cpv_codes = list(cleaned.get("cpv_codes") or [])
        return cleaned


class PlanOfficeAdmin(ObjectPermissionsModelAdminMixin, admin.ModelAdmin):
    pass


class ValueCapInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = ValueCap
    extra = 0


@admin.register(LegalBasis)
class LegalBasisAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    form = EligibilityForm
    list_display = ["code", "citation", "title", "valid_from", "valid_to"]
    search_fields = ["code", "citation", "title_it", "title_en"]
    inlines = [ValueCapInline]


@admin.register(Buyer)
class BuyerAdmin(PlanOfficeAdmin):
    list_display = ["name", "codice_fiscale", "kind", "comune"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "codice_fiscale"]
    autocomplete_fields = ["comune"]


class LotInline(ObjectPermissionsModelAdminMixin, admin.StackedInline):
    model = Lot
    extra = 0
    autocomplete_fields = ["cpv_codes"]


class DocumentInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = Document
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(ObjectPermissionsModelAdminMixin, TabbedTranslationAdmin):
    form = OpportunityForm
    list_display = ["title", "kind", "buyer", "legal_basis", "status", "published_on", "deadline"]
    list_filter = ["kind", "status", "source", "legal_basis", "is_demo"]
    list_select_related = ["buyer", "legal_basis"]
    search_fields = ["title_it", "title_en", "ocid", "buyer__name"]
    autocomplete_fields = ["buyer", "cpv_codes", "comuni"]
    readonly_fields = ["raw", "created_at", "updated_at"]
    inlines = [LotInline, DocumentInline]
    fieldsets = [
        (None, {"fields": ["kind", "co_design_kind", "legal_basis", "buyer", "title", "description", "status"]}),
        (_("Object and value"), {"fields": ["cpv_codes", "value", "currency"]}),
        (_("Territory and dates"), {"fields": ["whole_area", "comuni", "published_on", "deadline"]}),
        (
            _("Eligibility"),
            {
                "fields": [
                    "eligible_legal_forms",
                    "eligible_runts_sections",
                    "third_sector_only",
                    "min_disadvantaged_share",
                ]
            },
        ),
        (_("Social clauses"), {"fields": ["reserved_participation", "youth_women_hiring_quota", "reward_criteria"]}),
        (
            _("Finance instrument"),
            {"fields": ["instrument", "ticket_min", "ticket_max", "rate", "tenor_months", "co_financing_share"]},
        ),
        (_("Training or youth programme"), {"fields": ["target_age_min", "target_age_max", "places"]}),
        (_("Public asset"), {"fields": ["address", "area_m2", "concession_years"]}),
        (_("Source"), {"fields": ["source", "ocid", "raw", "is_demo", "created_at", "updated_at"]}),
    ]
