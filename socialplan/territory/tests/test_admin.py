"""The back office shows the territory to the plan office and changes almost nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from socialplan.territory.models import Comune, Territory

OFFICE = {"admin", "editor"}
ROLES = ("admin", "editor", "coordinator", "member", "participant", "anonymous")


def client_for(roles, role: str) -> Client:
    client = Client()
    user = getattr(roles, role)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_plan_office_sees_territory_and_comuni(roles, turin: Territory, role: str) -> None:
    client = client_for(roles, role)
    torino = Comune.objects.get(istat_code="001272")
    urls = [
        reverse("admin:territory_comune_changelist"),
        reverse("admin:territory_comune_change", args=[torino.pk]),
        reverse("admin:territory_comune_history", args=[torino.pk]),
        reverse("admin:territory_territory_change", args=[turin.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert (response.status_code == 200) == (role in OFFICE), (url, response.status_code)


@pytest.mark.django_db
def test_comuni_are_read_only_and_nothing_is_added_or_deleted(roles, turin: Territory) -> None:
    client = client_for(roles, "admin")
    torino = Comune.objects.get(istat_code="001272")
    page = client.get(reverse("admin:territory_comune_change", args=[torino.pk]))
    assert b"L219" in page.content and b'name="name"' not in page.content
    assert client.post(reverse("admin:territory_comune_change", args=[torino.pk]), {"name": "X"}).status_code == 403
    for model in ("comune", "territory"):
        assert client.get(reverse(f"admin:territory_{model}_add")).status_code == 403
    assert client.get(reverse("admin:territory_comune_delete", args=[torino.pk])).status_code == 403
    assert Comune.objects.get(pk=torino.pk).name == "Torino"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "allowed"), [("admin", True), ("editor", False)])
def test_only_platform_admins_correct_how_a_territory_is_presented(roles, turin: Territory, role, allowed) -> None:
    client = client_for(roles, role)
    data = {
        "name_it": turin.name_it,
        "name_en": "Turin Metropolitan City",
        "attribution_it": turin.attribution_it,
        "attribution_en": turin.attribution_en,
    }
    response = client.post(reverse("admin:territory_territory_change", args=[turin.pk]), data)
    assert response.status_code == (302 if allowed else 403)
    turin.refresh_from_db()
    assert (turin.name_en == "Turin Metropolitan City") == allowed
