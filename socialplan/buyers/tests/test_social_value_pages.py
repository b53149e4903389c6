"""Social value of a contract: the buyer states commitments, the supplier's members report deliveries, both
see committed against delivered in indicative EUR."""

from datetime import date

import pytest

from socialplan.opportunities.awards import SupplierSpec, record_award
from socialplan.opportunities.models import SocialValueCommitment, SocialValueDelivery, SocialValueMeasure
from socialplan.opportunities.tests.factories import make_opportunity

from .conftest import url


def test_the_buyer_states_a_commitment_and_the_supplier_reports_its_delivery(client, setting):
    client.force_login(setting.people.member)
    measure = SocialValueMeasure.objects.get(code="training-hours")
    response = client.post(
        url("buyers:award", setting.award.pk),
        {"measure": measure.pk, "quantity": "200", "period_start": "2026-06-01", "period_end": "2026-12-31"},
    )
    assert response.status_code == 302
    commitment = SocialValueCommitment.objects.get(award=setting.award)
    assert commitment.quantity == 200

    client.force_login(setting.people.supplier_member)
    assert "Cleaning of the town offices" in client.get(url("buyers:supplier_area")).content.decode()
    response = client.post(
        url("buyers:supplier_award", setting.award.pk),
        {
            "commitment": commitment.pk,
            "period_start": "2026-06-01",
            "period_end": "2026-09-30",
            "quantity": "50",
            "note": "Corso di sicurezza",
        },
    )
    assert response.status_code == 302
    delivery = SocialValueDelivery.objects.get()
    assert (delivery.quantity, delivery.reported_by) == (50, setting.people.supplier_member)

    # 22 EUR per training hour: 4,400 committed, 1,100 delivered, shown as indicative on both sides.
    for user, page in (
        (setting.people.supplier_member, "buyers:supplier_area"),
        (setting.people.member, "buyers:area"),
    ):
        client.force_login(user)
        args = () if page == "buyers:supplier_area" else (setting.buyer.pk,)
        html = client.get(url(page, *args)).content.decode()
        assert "4,400 € committed and 1,100 € delivered (indicative figures" in html
        assert "<td>25%</td>" in html


def test_a_wrong_commitment_or_delivery_is_refused_on_its_field(client, setting, commitment):
    client.force_login(setting.people.member)
    measure = SocialValueMeasure.objects.get(code="training-hours")
    response = client.post(
        url("buyers:award", setting.award.pk),
        {"measure": measure.pk, "quantity": "-3", "period_start": "2026-06-01", "period_end": "2026-01-01"},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"quantity", "period_end"}
    assert SocialValueCommitment.objects.count() == 1

    client.force_login(setting.people.supplier_member)
    response = client.post(
        url("buyers:supplier_award", setting.award.pk),
        {"commitment": commitment.pk, "period_start": "2026-01-01", "period_end": "2026-03-31", "quantity": "1"},
    )
    assert response.status_code == 400
    assert "starts before the commitment's" in " ".join(response.context["form"].errors["period_start"])
    assert not SocialValueDelivery.objects.exists()


@pytest.mark.parametrize("who", ["other_member", "stranger", "supplier_member"])
def test_only_the_buyer_s_members_state_commitments(client, setting, who):
    client.force_login(getattr(setting.people, who))
    measure = SocialValueMeasure.objects.get(code="training-hours")
    data = {"measure": measure.pk, "quantity": "1", "period_start": "2026-06-01", "period_end": "2026-12-31"}
    assert client.get(url("buyers:award", setting.award.pk)).status_code == 403
    assert client.post(url("buyers:award", setting.award.pk), data).status_code == 403
    assert not SocialValueCommitment.objects.exists()


@pytest.mark.parametrize("who", ["member", "other_member", "stranger"])
def test_only_the_supplier_s_members_report_deliveries(client, setting, commitment, who):
    client.force_login(getattr(setting.people, who))
    data = {"commitment": commitment.pk, "period_start": "2026-06-01", "period_end": "2026-06-30", "quantity": "1"}
    assert client.get(url("buyers:supplier_award", setting.award.pk)).status_code == 403
    assert client.post(url("buyers:supplier_award", setting.award.pk), data).status_code == 403
    assert not SocialValueDelivery.objects.exists()
    assert "Cleaning of the town offices" not in client.get(url("buyers:supplier_area")).content.decode()


def test_a_commitment_of_another_award_cannot_be_reported_through_this_one(client, setting, commitment, legal_bases):
    other = make_opportunity(legal_bases["dlgs36-2023-art61"], setting.other_buyer, title_it="Altro")
    record_award(
        opportunity=other, suppliers=[SupplierSpec(organization=setting.supplier)], date=date(2026, 5, 4), value=None
    )
    other_award = other.awards.get()
    client.force_login(setting.people.supplier_member)
    data = {"commitment": commitment.pk, "period_start": "2026-06-01", "period_end": "2026-06-30", "quantity": "1"}
    response = client.post(url("buyers:supplier_award", other_award.pk), data)
    assert response.status_code == 400 and "commitment" in response.context["form"].errors
    assert not SocialValueDelivery.objects.exists()
