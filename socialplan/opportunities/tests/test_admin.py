"""The back office of the registry: the plan office only, and the same refusals as the services."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from socialplan.opportunities.models import Buyer, LegalBasis, Opportunity

from .factories import make_opportunity

ROLES = ("admin", "editor", "coordinator", "member", "participant", "anonymous")
OFFICE = {"admin", "editor"}


def client_for(roles, role: str) -> Client:
    client = Client()
    user = getattr(roles, role)
    if user is not None:
        client.force_login(user)
    return client


def admin_url(instance_or_model: Any, view: str) -> str:
    opts = instance_or_model._meta
    args = [instance_or_model.pk] if view == "change" else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


@pytest.fixture
def opportunity(legal_bases, buyer) -> Opportunity:
    return make_opportunity(legal_bases["l381-1991-art5"], buyer)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_plan_office_manages_the_registry(roles, legal_bases, buyer, opportunity, role: str) -> None:
    user = getattr(roles, role) or AnonymousUser()
    client = client_for(roles, role)
    basis = legal_bases["dlgs36-2023-art61"]
    for instance in (basis, buyer, opportunity):
        name = instance._meta.model_name
        for verb in ("view", "add", "change", "delete"):
            assert user.has_perm(f"opportunities.{verb}_{name}", instance) is (role in OFFICE)
        for view in ("changelist", "add", "change"):
            response = client.get(admin_url(instance, view))
            if role in OFFICE:
                assert response.status_code == 200, (name, view)
            else:
                assert response.status_code in (302, 403), (name, view)


def _form(opportunity: Opportunity, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": opportunity.kind,
        "co_design_kind": "",
        "legal_basis": opportunity.legal_basis_id,
        "buyer": opportunity.buyer_id,
        "title_it": opportunity.title_it,
        "title_en": opportunity.title_en,
        "description_it": "",
        "description_en": "",
        "status": opportunity.status,
        "value": "150000",
        "currency": "EUR",
        "published_on": "2026-03-02",
        "deadline_0": "2026-04-15",
        "deadline_1": "12:00:00",
        "source": "manual",
        "lots-TOTAL_FORMS": "0",
        "lots-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_the_back_office_refuses_excluded_services_and_impossible_eligibility(roles, opportunity, cpv_codes) -> None:
    client = client_for(roles, "editor")
    url = admin_url(opportunity, "change")
    response = client.post(url, _form(opportunity, cpv_codes=["85311000"], eligible_legal_forms=["odv"]))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["cpv_codes"] == ["art. 5 L. 381/1991 excludes these kinds of service: 85311000."]
    assert "eligible_legal_forms" in errors
    response = client.post(
        url, _form(opportunity, cpv_codes=["90911200"], eligible_legal_forms=["coop_b"], reward_criteria=["3", "4"])
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.eligible_legal_forms == ["coop_b"]
    assert opportunity.reward_criteria == ["3", "4"]
    assert [code.code for code in opportunity.cpv_codes.all()] == ["90911200"]


def test_buyers_and_legal_bases_show_in_the_back_office(roles, legal_bases, buyer) -> None:
    client = client_for(roles, "admin")
    assert "Comune di Torino" in client.get(admin_url(Buyer, "changelist")).content.decode()
    page = client.get(admin_url(LegalBasis.objects.get(code="l381-1991-art5"), "change")).content.decode()
    assert "216000" in page
