"""The registry in the back office: the plan office imports with a preview, exports, and keeps organizations."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from socialplan.ecosystem.models import Organization

from .registry_support import (  # noqa: F401 - fixtures
    comuni_fixture,
    cpv_codes_fixture,
    english_fixture,
    entity_codice_fiscale,
    registry_fixture,
    template_row,
    template_rows,
    write_csv,
)

pytestmark = pytest.mark.django_db

ROLES = ("admin", "editor", "coordinator", "member", "participant", "anonymous")
PLAN_OFFICE = {"admin", "editor"}


def import_url() -> str:
    """Reversed inside a test, under the `english` fixture: the English back office (/en/admin/...)."""
    return reverse("admin:ecosystem_organization_import")


def client_for(roles, role: str) -> Client:
    client = Client()
    user = getattr(roles, role)
    if user is not None:
        client.force_login(user)
    return client


def upload(tmp_path, rows, name="organizations.csv") -> SimpleUploadedFile:
    path = write_csv(tmp_path / name, template_rows(rows))
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_plan_office_reaches_the_registry_import_and_export(roles, registry, tmp_path, role) -> None:
    client = client_for(roles, role)
    organization = Organization.objects.get(legal_name="Cooperativa Esempio")
    urls = [
        reverse("admin:ecosystem_organization_changelist"),
        reverse("admin:ecosystem_organization_change", args=[organization.pk]),
        reverse("admin:ecosystem_person_changelist"),
        reverse("admin:ecosystem_position_changelist"),
        reverse("admin:ecosystem_cpvcode_changelist"),
        import_url(),
        reverse("admin:ecosystem_organization_export", args=["csv"]),
    ]
    for url in urls:
        response = client.get(url)
        assert (response.status_code == 200) == (role in PLAN_OFFICE), (url, response.status_code)
        if role not in PLAN_OFFICE:
            assert response.status_code in (302, 403)
    response = client.post(import_url(), {"file": upload(tmp_path, [template_row(1)])})
    assert (response.status_code == 200) == (role in PLAN_OFFICE)
    assert not Organization.objects.filter(codice_fiscale=entity_codice_fiscale(1)).exists()


def test_the_plan_office_previews_then_confirms_an_import(roles, registry, tmp_path) -> None:
    client = client_for(roles, "editor")
    rows = [template_row(1), template_row(2), template_row(3, seat_comune="Gotham")]
    preview = client.post(import_url(), {"file": upload(tmp_path, rows), "source": "Census 2026"})
    assert preview.status_code == 200
    report = preview.context["report"]
    assert (report.dry_run, report.created, report.rejected_rows) == (True, 2, 1)
    assert b"&#x27;Gotham&#x27; is not a comune of the territory." in preview.content
    assert not Organization.objects.filter(codice_fiscale=entity_codice_fiscale(1)).exists()
    token = preview.context["confirm_form"]["token"].value()

    # Without accepting the valid rows, nothing is written.
    refused = client.post(import_url(), {"file": upload(tmp_path, rows), "token": token, "source": "Census 2026"})
    assert refused.context["report"].written is False
    assert not Organization.objects.filter(codice_fiscale=entity_codice_fiscale(1)).exists()

    done = client.post(
        import_url(),
        {"file": upload(tmp_path, rows), "token": token, "source": "Census 2026", "accept_valid_rows": "on"},
    )
    assert done.context["report"].written is True
    organization = Organization.objects.get(codice_fiscale=entity_codice_fiscale(1))
    assert organization.source == "Census 2026"
    record = organization.history.get()
    assert (record.history_user, record.history_change_reason) == (roles.editor, "Imported from organizations.csv")


def test_the_confirm_applies_only_the_previewed_file(roles, registry, tmp_path) -> None:
    client = client_for(roles, "editor")
    preview = client.post(import_url(), {"file": upload(tmp_path, [template_row(1)])})
    token = preview.context["confirm_form"]["token"].value()
    other = client.post(import_url(), {"file": upload(tmp_path, [template_row(2)]), "token": token})
    assert "This is not the file you previewed" in other.context["file_error"]
    forged = client.post(import_url(), {"file": upload(tmp_path, [template_row(1)]), "token": token + "x"})
    assert "This is not the file you previewed" in forged.context["file_error"]
    # Another member of the plan office cannot use someone else's preview.
    admin = client_for(roles, "admin")
    assert (
        "not the file"
        in admin.post(import_url(), {"file": upload(tmp_path, [template_row(1)]), "token": token}).context["file_error"]
    )
    assert not Organization.objects.filter(
        codice_fiscale__in=[entity_codice_fiscale(1), entity_codice_fiscale(2)]
    ).exists()


def test_a_bad_file_is_explained_on_the_page_not_a_server_error(roles, registry) -> None:
    client = client_for(roles, "editor")
    garbage = SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    response = client.post(import_url(), {"file": garbage})
    assert response.status_code == 200
    assert "binary content" in response.context["file_error"]
    empty = client.post(import_url(), {"file": SimpleUploadedFile("empty.csv", b"")})
    assert empty.status_code == 200 and "file" in empty.context["form"].errors


@override_settings(ECOSYSTEM_IMPORT_MAX_UPLOAD_BYTES=1_000_000)
def test_a_file_over_the_upload_limit_is_sent_to_the_command(roles, registry) -> None:
    client = client_for(roles, "editor")
    big = SimpleUploadedFile("big.csv", b"codice_fiscale;legal_name\r\n" + b"x" * 1_000_001)
    response = client.post(import_url(), {"file": big})
    (message,) = response.context["form"].errors["file"]
    assert "up to 1 MB" in message and "manage.py import_organizations" in message
    assert "report" not in response.context


def test_the_plan_office_downloads_the_directory(roles, registry, tmp_path) -> None:
    client = client_for(roles, "editor")
    client.post(import_url(), {"file": upload(tmp_path, [template_row(1)])})
    csv_response = client.get(reverse("admin:ecosystem_organization_export", args=["csv"]))
    assert csv_response.streaming and csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert "Cooperativa Esempio" in b"".join(csv_response.streaming_content).decode("utf-8")
    json_response = client.get(reverse("admin:ecosystem_organization_export", args=["json"]))
    data = json.loads(b"".join(json_response.streaming_content))
    assert [row["legal_name"] for row in data] == ["Cooperativa Esempio"]
    xlsx = client.get(reverse("admin:ecosystem_organization_export", args=["xlsx"]))
    assert b"".join(xlsx.streaming_content).startswith(b"PK")
    assert client.get(reverse("admin:ecosystem_organization_export", args=["pdf"])).status_code == 404
    changelist = client.get(reverse("admin:ecosystem_organization_changelist"))
    assert import_url().encode() in changelist.content
    assert reverse("admin:ecosystem_organization_export", args=["xlsx"]).encode() in changelist.content


def test_the_plan_office_adds_an_organization_with_a_normalized_codice_fiscale(roles, registry) -> None:
    client = client_for(roles, "editor")
    add = reverse("admin:ecosystem_organization_add")
    assert client.get(add).status_code == 200
    data = {
        "legal_name": "Nuova Cooperativa",
        "codice_fiscale": f" {entity_codice_fiscale(77)} ",
        "partita_iva": f"IT{entity_codice_fiscale(77)}",
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "0",
        "activities-0-code": "881000",
        "activities-0-edition": "2025",
        "activities-0-is_primary": "on",
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post(add, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    organization = Organization.objects.get(legal_name="Nuova Cooperativa")
    assert organization.codice_fiscale == organization.partita_iva == entity_codice_fiscale(77)
    activity = organization.activities.get()
    assert (activity.code, activity.section) == ("88.10.00", "R")
    data["legal_name"], data["codice_fiscale"], data["activities-0-code"] = (
        "Altra",
        entity_codice_fiscale(78),
        "99.99.99",
    )
    refused = client.post(add, data)
    assert refused.status_code == 200 and "99.99.99" in str(refused.context["inline_admin_formsets"][0].formset.errors)


def test_comuni_and_cpv_codes_are_chosen_by_autocomplete(roles, registry) -> None:
    client = client_for(roles, "editor")
    url = reverse("admin:autocomplete")
    comuni = client.get(
        url, {"app_label": "ecosystem", "model_name": "organization", "field_name": "comuni_served", "term": "Monc"}
    ).json()
    assert [item["text"] for item in comuni["results"]] == ["Moncalieri", "Moncenisio"]
    cpv = client.get(
        url, {"app_label": "ecosystem", "model_name": "organization", "field_name": "cpv_codes", "term": "853110"}
    ).json()
    assert [item["id"] for item in cpv["results"]] == ["85311000"]
