"""Back office of the registry: legal bases (the law as data), buyers, opportunities, awards and social value.

Permissions come from rules.py: the plan office only. The list fields of the
eligibility rules and ANAC's codes are edited as checkboxes and choices.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from socialplan.ecosystem.models import LegalForm, RuntsSection

from .awards import SHARES_TOTAL, organizations_by_codice_fiscale
from .codelists import choices, reserved_participation_codes, reward_criteria_codes
from .models import (
    Award,
    AwardSupplier,
    Buyer,
    Document,
    LegalBasis,
    Lot,
    Opportunity,
    ProxyValue,
    SocialValueCommitment,
    SocialValueDelivery,
    SocialValueMeasure,
    ValueCap,
)


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


class SupplierFormSet(forms.BaseInlineFormSet):
    """The shares of a group of suppliers: for all or none, adding up to 100% (as `awards.record_award`)."""

    def clean(self) -> None:
        super().clean()
        shares = [
            form.cleaned_data.get("share")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        given = [share for share in shares if share is not None]
        if given and len(given) != len(shares):
            raise ValidationError(_("Give a share for every supplier, or for none."))
        if given and sum(given) != SHARES_TOTAL:
            raise ValidationError(_("The shares of the suppliers must add up to 100%."))


class AwardSupplierInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = AwardSupplier
    formset = SupplierFormSet
    extra = 0
    autocomplete_fields = ["organization"]


class CommitmentInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = SocialValueCommitment
    extra = 0
    show_change_link = True


@admin.register(Award)
class AwardAdmin(PlanOfficeAdmin):
    list_display = ["opportunity", "lot", "date", "value", "status", "source"]
    list_filter = ["status", "source", "is_demo"]
    list_select_related = ["opportunity", "lot"]
    search_fields = ["opportunity__title_it", "opportunity__ocid", "ocds_award_id", "suppliers__name"]
    autocomplete_fields = ["opportunity"]
    readonly_fields = ["raw", "created_at"]
    inlines = [AwardSupplierInline, CommitmentInline]

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        """A supplier typed with a codice fiscale is linked to the ecosystem's organization that has it."""
        super().save_formset(request, form, formset, change)
        if formset.model is AwardSupplier:
            unlinked = [s for s in formset.instance.suppliers.all() if s.organization_id is None and s.codice_fiscale]
            found = organizations_by_codice_fiscale(supplier.codice_fiscale for supplier in unlinked)
            for supplier in unlinked:
                if supplier.codice_fiscale in found:
                    supplier.organization = found[supplier.codice_fiscale]
                    supplier.save(update_fields=["organization"])


class DeliveryInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = SocialValueDelivery
    extra = 0
    autocomplete_fields = ["reported_by"]


@admin.register(SocialValueCommitment)
class CommitmentAdmin(PlanOfficeAdmin):
    list_display = ["award", "measure", "quantity", "period_start", "period_end"]
    list_select_related = ["award__opportunity", "measure"]
    list_filter = ["measure"]
    search_fields = ["award__opportunity__title_it", "award__suppliers__name"]
    autocomplete_fields = ["award"]
    inlines = [DeliveryInline]


class ProxyValueInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = ProxyValue
    extra = 0


@admin.register(SocialValueMeasure)
class SocialValueMeasureAdmin(ObjectPermissionsModelAdminMixin, TabbedTranslationAdmin):
    list_display = ["code", "name", "unit"]
    search_fields = ["code", "name_it", "name_en"]
    inlines = [ProxyValueInline]
