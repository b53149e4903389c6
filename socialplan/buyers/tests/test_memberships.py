"""Acting for a buyer: the request, the plan office's queue and decision, a new buyer registered on approval."""

import pytest
from django.core.exceptions import ValidationError

from socialplan.buyers.models import BuyerMembership
from socialplan.buyers.services import NewBuyer, decide_buyer_membership, propose_buyer
from socialplan.opportunities.models import Buyer

from .conftest import url

NEW_CODE = "01907990012"


def test_a_user_asks_to_act_for_a_registered_buyer_and_the_office_approves(client, setting):
    stranger = setting.people.stranger
    client.force_login(stranger)
    assert client.get(url("buyers:area", setting.buyer.pk)).status_code == 403
    response = client.post(url("buyers:ask"), {"codice_fiscale": "005 1449 0010", "message": "Ufficio appalti"})
    assert response.status_code == 302
    request = BuyerMembership.objects.get(user=stranger)
    assert (request.buyer, request.status) == (setting.buyer, BuyerMembership.Status.REQUESTED)
    assert client.post(url("buyers:ask"), {"codice_fiscale": "00514490010"}).status_code == 400

    client.force_login(setting.people.office)
    queue = client.get(url("buyers:requests")).content.decode()
    assert "stranger@example.org" in queue and "asks to act for Comune di Torino" in queue
    assert f'action="{url("buyers:decide", request.pk)}"' in queue and f'id="note-{request.pk}"' in queue
    assert client.post(url("buyers:decide", request.pk), {"decision": "approve"}).status_code == 302

    client.force_login(stranger)
    assert client.get(url("buyers:area", setting.buyer.pk)).status_code == 200
    assert request.history.count() == 2  # asked, approved: who and when are kept


def test_a_new_buyer_is_registered_when_the_office_approves_it(client, setting):
    client.force_login(setting.people.stranger)
    Buyer.objects.filter(codice_fiscale=NEW_CODE).delete()
    fields = {"codice_fiscale": NEW_CODE, "name": "Fondazione Esempio", "kind": "private"}
    assert client.post(url("buyers:ask"), fields).status_code == 302
    request = BuyerMembership.objects.get(user=setting.people.stranger)
    assert request.buyer is None and not Buyer.objects.filter(codice_fiscale=NEW_CODE).exists()

    decided = decide_buyer_membership(membership=request, user=setting.people.office, approve=True)
    created = Buyer.objects.get(codice_fiscale=NEW_CODE)
    assert (decided.buyer, created.name, created.kind) == (created, "Fondazione Esempio", "private")


def test_a_wrong_new_buyer_is_refused_by_field_and_nothing_is_written(client, setting):
    client.force_login(setting.people.stranger)
    response = client.post(url("buyers:ask"), {"codice_fiscale": "12345678901", "name": "", "kind": ""})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "is not a valid codice fiscale" in str(errors["codice_fiscale"])
    assert set(errors) == {"codice_fiscale", "name", "kind"}
    assert not BuyerMembership.objects.filter(user=setting.people.stranger).exists()


def test_approval_checks_the_codice_fiscale_again(setting):
    Buyer.objects.filter(codice_fiscale=NEW_CODE).delete()
    request = propose_buyer(
        user=setting.people.stranger, new_buyer=NewBuyer(name="Ente nuovo", codice_fiscale=NEW_CODE, kind="public")
    )
    Buyer.objects.create(name="Registered meanwhile", codice_fiscale=NEW_CODE)
    with pytest.raises(ValidationError, match="already registered"):
        decide_buyer_membership(membership=request, user=setting.people.office, approve=True)
    request.refresh_from_db()
    assert request.status == BuyerMembership.Status.REQUESTED and request.buyer is None


@pytest.mark.parametrize("who", ["member", "other_member", "stranger", "supplier_member"])
def test_only_the_plan_office_sees_the_queue_and_decides(client, setting, who):
    request = BuyerMembership.objects.create(user=setting.people.stranger, buyer=setting.other_buyer)
    client.force_login(getattr(setting.people, who))
    assert client.get(url("buyers:requests")).status_code == 403
    assert client.post(url("buyers:decide", request.pk), {"decision": "approve"}).status_code == 403
    request.refresh_from_db()
    assert request.status == BuyerMembership.Status.REQUESTED


def test_the_area_needs_a_login(client, setting):
    response = client.get(url("buyers:home"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_a_request_is_decided_once(setting):
    request = BuyerMembership.objects.create(user=setting.people.stranger, buyer=setting.other_buyer)
    decide_buyer_membership(membership=request, user=setting.people.office, approve=False, note="Non risulta")
    with pytest.raises(ValidationError, match="already been decided"):
        decide_buyer_membership(membership=request, user=setting.people.office, approve=True)
    request.refresh_from_db()
    assert (request.status, request.note) == (BuyerMembership.Status.REJECTED, "Non risulta")
