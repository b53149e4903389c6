"""The matcher's pages: organizations for an opportunity, opportunities for my organization, alerts."""

import pytest
from django.urls import reverse
from django.utils import translation

from socialplan.accounts.models import User
from socialplan.ecosystem.models import Membership
from socialplan.matching.engine import ALGORITHM
from socialplan.matching.models import AlertSubscription
from socialplan.opportunities.services import LotSpec
from socialplan.opportunities.tests.factories import make_opportunity


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def setting(legal_bases, buyer, ecosystem):
    reserved = make_opportunity(
        legal_bases["dlgs36-2023-art61"],
        buyer,
        cpv_codes=("90911200",),
        title_it="Pulizia riservata",
        title_en="Reserved cleaning",
        deadline=None,
    )
    codesign = make_opportunity(
        legal_bases["dlgs117-2017-art55"],
        buyer,
        title_it="Centro diurno",
        title_en="Day centre",
        deadline=None,
        lots=[
            LotSpec(number=1, title="Servizi sociali", cpv_codes=("85312000",)),
            LotSpec(number=2, title="Formazione", cpv_codes=("80530000",)),
            LotSpec(number=3, title="Mensa", cpv_codes=("55520000",)),
        ],
    )
    member = User.objects.create_user(email="socia@example.org", password="x")
    Membership.objects.create(user=member, organization=ecosystem.coop_b, status=Membership.Status.APPROVED)
    return {"reserved": reserved, "codesign": codesign, "member": member}


def test_the_organizations_of_an_opportunity_with_reasons(client, ecosystem, setting):
    response = client.get(url("matches:organizations", setting["reserved"].pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert ecosystem.coop_b.legal_name in page
    assert "matches your capability 90910000" in page
    assert ecosystem.company.legal_name not in page  # no disadvantaged share: not eligible for art. 61
    assert "Suggested consortia" not in page


def test_a_co_design_call_offers_a_consortium_on_its_page(client, ecosystem, setting):
    page = client.get(url("matches:organizations", setting["codesign"].pk)).content.decode()
    assert "Suggested consortia" in page
    assert "Lot 3: Mensa: Impresa sociale Mensa Aperta" in page
    assert ecosystem.company.legal_name not in page


def test_an_unknown_opportunity_is_404(client, db):
    assert client.get(url("matches:organizations", 999999)).status_code == 404


def test_my_opportunities_lists_what_my_cooperative_may_answer(client, ecosystem, setting):
    client.force_login(setting["member"])
    page = client.get(url("matching:mine", language="it")).content.decode()
    assert "Pulizia riservata" in page
    assert "Centro diurno" in page  # a type B cooperative is a Third sector entity
    assert page.index("Pulizia riservata") < page.index("Centro diurno")


def test_my_opportunities_needs_a_login_and_an_organization(client, db):
    response = client.get(url("matching:mine"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    client.force_login(User.objects.create_user(email="nobody@example.org", password="x"))
    page = client.get(url("matching:mine")).content.decode()
    assert "You are not a member of any organization yet" in page


def test_a_member_subscribes_to_alerts_and_stops_them(client, ecosystem, setting):
    client.force_login(setting["member"])
    response = client.post(
        url("matching:alerts"),
        {
            "organization": ecosystem.coop_b.pk,
            "kinds": ["reserved_contract"],
            "cpv_prefixes": "9091, 77310000",
            "min_score": 40,
            "frequency": "weekly",
        },
    )
    assert response.status_code == 302
    subscription = AlertSubscription.objects.get()
    assert subscription.cpv_prefixes == ["9091", "77310000"]
    assert subscription.kinds == ["reserved_contract"]
    page = client.get(url("matching:alerts")).content.decode()
    assert "CPV 9091, 77310000" in page
    assert client.post(url("matching:stop_alert", subscription.pk)).status_code == 302
    subscription.refresh_from_db()
    assert not subscription.active


def test_a_wrong_alert_is_refused_by_field_and_nothing_is_saved(client, ecosystem, setting):
    client.force_login(setting["member"])
    response = client.post(
        url("matching:alerts"),
        {"organization": ecosystem.company.pk, "cpv_prefixes": "9, abc", "min_score": 140, "frequency": "daily"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"organization", "cpv_prefixes", "min_score"}
    assert "9, abc" in str(errors["cpv_prefixes"])
    assert not AlertSubscription.objects.exists()


def test_nobody_stops_someone_else_s_alert(client, ecosystem, setting):
    subscription = AlertSubscription.objects.create(user=setting["member"], organization=ecosystem.coop_b)
    client.force_login(User.objects.create_user(email="other@example.org", password="x"))
    assert client.post(url("matching:stop_alert", subscription.pk)).status_code == 404
    subscription.refresh_from_db()
    assert subscription.active


def test_the_api_ranks_the_organizations_of_an_opportunity_with_consortia(client, ecosystem, setting):
    body = client.get(f"/api/v1/opportunities/{setting['codesign'].pk}/organizations?limit=5").json()
    assert body["algorithm"] == ALGORITHM
    assert 0 < len(body["organizations"]) <= 5
    assert ecosystem.company.pk not in {item["organization_id"] for item in body["organizations"]}
    assert body["consortia"]["applies"] is True
    assert body["consortia"]["needs"][0] == "Lotto 1: Servizi sociali"  # Italian unless the client asks
    first = body["organizations"][0]
    assert set(first["components"]) == {"cpv", "ateco", "text", "territory", "capacity", "awards", "reserved"}
    assert first["reasons"][0]["text"]


def test_the_api_refuses_bad_input_and_strangers(client, ecosystem, setting):
    assert client.get("/api/v1/opportunities/999999/organizations").status_code == 404
    assert client.get(f"/api/v1/opportunities/{setting['reserved'].pk}/organizations?limit=0").status_code == 422
    assert client.get(f"/api/v1/me/opportunities?organization={ecosystem.coop_b.pk}").status_code == 401
    client.force_login(setting["member"])
    assert client.get(f"/api/v1/me/opportunities?organization={ecosystem.company.pk}").status_code == 403
    assert client.get("/api/v1/me/opportunities?organization=999999").status_code == 404
    assert client.get("/api/v1/me/opportunities?organization=abc").status_code == 422
    body = client.get(f"/api/v1/me/opportunities?organization={ecosystem.coop_b.pk}").json()
    titles = [item["title"] for item in body["opportunities"]]
    assert titles[0] == "Pulizia riservata"
    assert body["opportunities"][0]["eligibility"]
