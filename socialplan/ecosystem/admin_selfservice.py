"""Back office for memberships, profile changes under review, partnerships and pledges.

Imported by admin.py (which holds the organizations' back office). Permissions come from
rules.py, object level; decisions on requests and reviews of profile changes go through the
same services as the personal area, so the back office cannot approve twice or skip a note.
Theme coordinators see and set only the partnerships of actions under their themes.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from socialplan.accounts.rules import is_plan_office

from .commitments import check_one_lead
from .models import Membership, Partnership, Pledge, PledgeProgress, ProfileChange
from .personal_selectors import describe_change
from .selfservice import decide_membership, organization_field, review_profile_change


class EcosystemAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """Object-level permissions and the history button."""


def _apply_to_each(request: HttpRequest, queryset: QuerySet[Any], do: Any, *, done: str) -> None:
    """Run `do(obj)` on each selected object; report how many succeeded and each refusal."""
    succeeded = 0
    for obj in queryset:
        try:
            do(obj)
        except ValidationError as error:
            messages.error(request, f"{obj}: {' '.join(error.messages)}")
        else:
            succeeded += 1
    if succeeded:
        messages.success(request, done % {"count": succeeded})


@admin.register(Membership)
class MembershipAdmin(EcosystemAdmin):
    list_display = ["user", "organization", "role", "status", "decided_at"]
    list_filter = ["status", "role"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__email", "organization__legal_name", "organization__codice_fiscale"]
    autocomplete_fields = ["user", "organization"]
    readonly_fields = ["decided_by", "decided_at"]
    actions = ["approve_requests", "reject_requests"]

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("ecosystem.decide_membership")

    @admin.action(description=_("Approve the selected requests (as members)"), permissions=["decide"])
    def approve_requests(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        _apply_to_each(
            request,
            queryset,
            lambda membership: decide_membership(membership=membership, user=request.user, approve=True),
            done=str(_("%(count)d requests approved.")),
        )

    @admin.action(description=_("Reject the selected requests"), permissions=["decide"])
    def reject_requests(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        _apply_to_each(
            request,
            queryset,
            lambda membership: decide_membership(membership=membership, user=request.user, approve=False),
            done=str(_("%(count)d requests rejected.")),
        )


class RejectionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the organization"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Say why the changes are rejected: the organization's members read it."),
    )


@admin.register(ProfileChange)
class ProfileChangeAdmin(EcosystemAdmin):
    """Read-only: the plan office approves or rejects with the actions of the list."""

    list_display = ["organization", "changed_fields", "status", "proposed_by", "proposed_at", "reviewed_by"]
    list_filter = ["status"]
    list_select_related = ["organization", "proposed_by", "reviewed_by"]
    search_fields = ["organization__legal_name", "organization__codice_fiscale"]
    fields = [
        "organization",
        "proposed_values",
        "status",
        "proposed_by",
        "proposed_at",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    ]
    readonly_fields = fields
    actions = ["approve_changes", "reject_changes"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("ecosystem.review_profile_change")

    @admin.display(description=_("fields"))
    def changed_fields(self, change: ProfileChange) -> str:
        return ", ".join(str(organization_field(name).verbose_name) for name in change.changes)

    @admin.display(description=_("proposed values"))
    def proposed_values(self, change: ProfileChange) -> str:
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            (
                (field.label, field.current or "-", field.proposed or "-")
                for field in describe_change(change=change, organization=change.organization)
            ),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("Field"),
            _("Public value"),
            _("Proposed value"),
            rows,
        )

    @admin.action(description=_("Approve and publish the selected changes"), permissions=["review"])
    def approve_changes(self, request: HttpRequest, queryset: QuerySet[ProfileChange]) -> None:
        _apply_to_each(
            request,
            queryset,
            lambda change: review_profile_change(change=change, user=request.user, approve=True),
            done=str(_("%(count)d changes approved and published.")),
        )

    @admin.action(description=_("Reject the selected changes (with a note)"), permissions=["review"])
    def reject_changes(self, request: HttpRequest, queryset: QuerySet[ProfileChange]) -> TemplateResponse | None:
        """First shows a page asking for the note, then rejects each change with it."""
        form = RejectionForm(request.POST if "note" in request.POST else None)
        if form.is_valid():
            note = form.cleaned_data["note"]
            _apply_to_each(
                request,
                queryset,
                lambda change: review_profile_change(change=change, user=request.user, approve=False, note=note),
                done=str(_("%(count)d changes rejected.")),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject profile changes"),
            "opts": self.model._meta,
            "changes": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/ecosystem/profilechange/reject_changes.html", context)


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["action", "organization", "role", "since"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") and data.get("organization") and data.get("role"):
            try:
                check_one_lead(action=data["action"], organization=data["organization"], role=data["role"])
            except ValidationError as error:
                self.add_error(None, error)
        return data


def _coordinated(request: HttpRequest, path: str) -> dict[str, Any]:
    return {f"{path}objective__theme__coordinators": request.user}


@admin.register(Partnership)
class PartnershipAdmin(EcosystemAdmin):
    form = PartnershipForm
    list_display = ["organization", "action", "role", "since"]
    list_filter = ["role", "action__objective__theme"]
    list_select_related = ["organization", "action"]
    search_fields = ["organization__legal_name", "organization__codice_fiscale", "action__title"]
    autocomplete_fields = ["organization"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Partnership]:
        partnerships = super().get_queryset(request)
        if is_plan_office(request.user):
            return partnerships
        return partnerships.filter(**_coordinated(request, "action__")).distinct()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "action" and field is not None and not is_plan_office(request.user):
            field.queryset = field.queryset.filter(**_coordinated(request, "")).distinct()
        return field


class PledgeProgressInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = PledgeProgress
    extra = 0
    fields = ["reported_on", "achieved", "note", "reported_by"]
    readonly_fields = ["reported_by"]


@admin.register(Pledge)
class PledgeAdmin(EcosystemAdmin):
    list_display = ["title", "organization", "action", "quantity", "unit", "due_date", "status"]
    list_filter = ["status", "action__objective__theme"]
    list_select_related = ["organization", "action"]
    search_fields = ["title", "organization__legal_name", "organization__codice_fiscale"]
    autocomplete_fields = ["organization"]
    inlines = [PledgeProgressInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for progress in formset.save(commit=False):
            if progress.reported_by_id is None:
                progress.reported_by = request.user
            progress.save()
        for removed in formset.deleted_objects:
            removed.delete()
