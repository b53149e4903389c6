"""A buyer's opportunities through its pages: drafts, publication, edits, closing, and the registry's refusals."""

import pytest

from socialplan.buyers.models import OpportunityDraft
from socialplan.opportunities.models import Opportunity

from .conftest import form_data, url


def test_a_member_saves_a_draft_publishes_it_edits_and_closes_it(client, setting, legal_bases):
    client.force_login(setting.people.member)
    assert client.get(url("buyers:new_opportunity", setting.buyer.pk, language="it")).status_code == 200

    response = client.post(url("buyers:new_opportunity", setting.buyer.pk), form_data(legal_bases, action="save"))
    draft = OpportunityDraft.objects.get()
    assert response["Location"] == url("buyers:draft", draft.pk)
    assert not Opportunity.objects.filter(title_it="Pulizia delle biblioteche civiche").exists()
    page = client.get(url("buyers:draft", draft.pk)).content.decode()
    assert "Cleaning of the town libraries" in page and "Biblioteche nord" in page

    response = client.post(url("buyers:draft", draft.pk), form_data(legal_bases))
    assert response.status_code == 302
    published = Opportunity.objects.get(title_it="Pulizia delle biblioteche civiche")
    assert (published.buyer, published.status, published.source) == (setting.buyer, "open", "manual")
    assert [lot.title for lot in published.lots.all()] == ["Biblioteche nord", "Biblioteche sud"]
    assert [code.code for code in published.cpv_codes.all()] == ["90911200"]
    assert published.documents.get().url == "https://example.org/capitolato.pdf"
    draft.refresh_from_db()
    assert draft.opportunity == published and draft.created_by == setting.people.member

    area = client.get(url("buyers:area", setting.buyer.pk)).content.decode()
    assert "Cleaning of the town libraries" in area
    assert (
        "Cleaning of the town libraries" in client.get(url("opportunities:opportunity", published.pk)).content.decode()
    )
    assert url("matches:organizations", published.pk) in area
    assert "Status: <strong>Open</strong>" in area

    edited = form_data(legal_bases, title_en="Cleaning of the civic libraries", action=None)
    assert client.post(url("buyers:edit_opportunity", published.pk), edited).status_code == 302
    published.refresh_from_db()
    assert published.title_en == "Cleaning of the civic libraries" and published.status == "open"

    assert client.post(url("buyers:close", published.pk)).status_code == 302
    published.refresh_from_db()
    assert published.status == Opportunity.Status.CLOSED
    assert "Status: <strong>Closed</strong>" in client.get(url("buyers:area", setting.buyer.pk)).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"deadline": "2026-08-20T12:00"}, "deadline", "The deadline comes before the publication date."),
        ({"value": "-5"}, "value", "greater than or equal to 0"),
        ({"cpv_codes": "90911200 99999999"}, "cpv_codes", "Unknown CPV codes: 99999999."),
        (
            {
                "kind": "type_b_convention",
                "legal_basis": "l381-1991-art5",
                "value": "100000",
                "eligible_legal_forms": ["odv"],
            },
            "eligible_legal_forms",
            "No legal form can meet this eligibility",
        ),
        ({"lots": "1 | Nord | -10 |"}, "lots", "lot 1, value"),
        ({"documents": "Capitolato | non un indirizzo"}, "documents", "Capitolato, url"),
    ],
)
def test_the_registry_refuses_on_the_field_and_nothing_is_written(
    client, setting, legal_bases, changes, field, message
):
    if changes.get("legal_basis") in legal_bases:
        changes["legal_basis"] = legal_bases[changes["legal_basis"]].pk
    client.force_login(setting.people.member)
    before = Opportunity.objects.count()
    response = client.post(url("buyers:new_opportunity", setting.buyer.pk), form_data(legal_bases, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert Opportunity.objects.count() == before
    assert not OpportunityDraft.objects.exists()
    assert f'href="#id_{field}"' in response.content.decode()  # the summary links to the field


@pytest.mark.parametrize("who", ["other_member", "stranger", "supplier_member"])
def test_nobody_but_the_buyer_s_members_sees_or_changes_its_opportunities(client, setting, legal_bases, who):
    draft = OpportunityDraft.objects.create(buyer=setting.buyer, title="Bozza", data={"title_it": ["Bozza"]})
    opportunity = setting.opportunity
    client.force_login(getattr(setting.people, who))
    for name, pk in (("area", setting.buyer.pk), ("new_opportunity", setting.buyer.pk), ("draft", draft.pk)):
        assert client.get(url(f"buyers:{name}", pk)).status_code == 403
    assert client.get(url("buyers:edit_opportunity", opportunity.pk)).status_code == 403
    data = form_data(legal_bases, title_it="Presa", action=None)
    assert client.post(url("buyers:edit_opportunity", opportunity.pk), data).status_code == 403
    assert client.post(url("buyers:draft", draft.pk), {**data, "action": "publish"}).status_code == 403
    assert client.post(url("buyers:close", opportunity.pk)).status_code == 403
    opportunity.refresh_from_db()
    draft.refresh_from_db()
    assert (opportunity.title_it, opportunity.status, draft.opportunity) == (
        "Pulizia degli uffici comunali",
        Opportunity.Status.OPEN,
        None,
    )
    assert not Opportunity.objects.filter(title_it="Presa").exists()


def test_an_unknown_buyer_or_draft_is_404(client, setting):
    client.force_login(setting.people.member)
    assert client.get(url("buyers:area", 999999)).status_code == 404
    assert client.get(url("buyers:draft", 999999)).status_code == 404


def test_an_imported_opportunity_is_not_edited_here(client, setting, legal_bases):
    Opportunity.objects.filter(pk=setting.opportunity.pk).update(source=Opportunity.Source.OCDS)
    client.force_login(setting.people.member)
    assert client.get(url("buyers:edit_opportunity", setting.opportunity.pk)).status_code == 403
    client.post(url("buyers:close", setting.opportunity.pk))
    setting.opportunity.refresh_from_db()
    assert setting.opportunity.status == Opportunity.Status.OPEN
    assert "Imported from OCDS" in client.get(url("buyers:area", setting.buyer.pk)).content.decode()


def test_the_plan_office_manages_any_buyer(client, setting):
    client.force_login(setting.people.office)
    assert client.get(url("buyers:area", setting.other_buyer.pk)).status_code == 200
