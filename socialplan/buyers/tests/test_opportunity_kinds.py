"""The fields of finance instruments, training programmes and public assets, through the buyer's pages: stored
when published, kept by drafts, shown again when edited, and refused by the registry on their own field."""

import re
from decimal import Decimal

import pytest

from socialplan.buyers.models import OpportunityDraft
from socialplan.opportunities.models import Opportunity

from .conftest import form_data, url

# What a finance instrument, a training programme and a public asset have in common: no CPV code, lot or clause.
PLAIN = {
    "cpv_codes": "",
    "lots": "",
    "value": None,
    "documents": "",
    "min_disadvantaged_share": "",
    "reserved_participation": "",
}
FINANCE = {
    **PLAIN,
    "kind": "finance",
    "legal_basis": "finance-instrument",
    "title_it": "Prestiti per l'avvio di imprese sociali",
    "title_en": "Loans to start social enterprises",
    "instrument": "loan",
    "ticket_min": "10000",
    "ticket_max": "150000",
    "rate": "1.5",
    "tenor_months": "60",
    "co_financing_share": "20",
}
TRAINING = {
    **PLAIN,
    "kind": "training",
    "legal_basis": "training-programme",
    "title_it": "Laboratori di mestiere per giovani",
    "target_age_min": "16",
    "target_age_max": "29",
    "places": "40",
}
ASSET = {
    **PLAIN,
    "kind": "public_asset",
    "legal_basis": "public-asset-concession",
    "title_it": "Ex scuola di via Nizza",
    "address": "Via Nizza 12, Torino",
    "area_m2": "250.50",
    "concession_years": "9",
}


def typed(legal_bases, kind: dict, **changes) -> dict:
    fields = {**kind, **changes}
    fields["legal_basis"] = legal_bases[fields["legal_basis"]].pk
    return form_data(legal_bases, **fields)


def stored(opportunity: Opportunity, names) -> dict:
    return {name: getattr(opportunity, name) for name in names}


def publish(client, setting, data) -> Opportunity:
    response = client.post(url("buyers:new_opportunity", setting.buyer.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    return Opportunity.objects.get(title_it=data["title_it"])


@pytest.fixture
def member(client, setting):
    client.force_login(setting.people.member)
    return client


def test_a_member_publishes_a_finance_instrument_with_its_terms(member, setting, legal_bases):
    published = publish(member, setting, typed(legal_bases, FINANCE))
    assert stored(published, ["kind", "instrument", "ticket_min", "ticket_max", "rate", "tenor_months"]) == {
        "kind": "finance",
        "instrument": "loan",
        "ticket_min": Decimal("10000"),
        "ticket_max": Decimal("150000"),
        "rate": Decimal("1.5"),
        "tenor_months": 60,
    }
    assert published.co_financing_share == Decimal("20")


def test_a_training_programme_keeps_its_ages_and_places(member, setting, legal_bases):
    published = publish(member, setting, typed(legal_bases, TRAINING))
    assert stored(published, ["target_age_min", "target_age_max", "places"]) == {
        "target_age_min": 16,
        "target_age_max": 29,
        "places": 40,
    }


def test_a_public_asset_is_shown_again_with_its_address_area_and_years_and_edited(member, setting, legal_bases):
    published = publish(member, setting, typed(legal_bases, ASSET))
    assert stored(published, ["address", "area_m2", "concession_years"]) == {
        "address": "Via Nizza 12, Torino",
        "area_m2": Decimal("250.50"),
        "concession_years": 9,
    }

    page = member.get(url("buyers:edit_opportunity", published.pk)).content.decode()
    assert 'value="Via Nizza 12, Torino"' in page
    assert 'name="area_m2" value="250.50"' in page and 'name="concession_years" value="9"' in page

    edited = typed(legal_bases, ASSET, concession_years="12", action=None)
    assert member.post(url("buyers:edit_opportunity", published.pk), edited).status_code == 302
    published.refresh_from_db()
    assert (published.concession_years, published.address) == (12, "Via Nizza 12, Torino")


def test_editing_a_finance_instrument_shows_its_terms(member, setting, legal_bases):
    published = publish(member, setting, typed(legal_bases, FINANCE))
    form = member.get(url("buyers:edit_opportunity", published.pk)).context["form"]
    assert [form[name].value() for name in ("instrument", "ticket_min", "ticket_max", "rate", "tenor_months")] == [
        "loan",
        Decimal("10000"),
        Decimal("150000"),
        Decimal("1.5"),
        60,
    ]


def test_a_draft_keeps_the_kind_s_fields_until_published(member, setting, legal_bases):
    response = member.post(url("buyers:new_opportunity", setting.buyer.pk), typed(legal_bases, FINANCE, action="save"))
    draft = OpportunityDraft.objects.get()
    assert response["Location"] == url("buyers:draft", draft.pk)
    assert not Opportunity.objects.filter(kind="finance").exists()

    page = member.get(url("buyers:draft", draft.pk)).content.decode()
    assert 'name="ticket_min" value="10000"' in page and 'name="tenor_months" value="60"' in page
    assert 'name="co_financing_share" value="20"' in page

    assert member.post(url("buyers:draft", draft.pk), typed(legal_bases, FINANCE)).status_code == 302
    published = Opportunity.objects.get(kind="finance")
    assert (published.ticket_max, published.rate) == (Decimal("150000"), Decimal("1.5"))


@pytest.mark.parametrize(
    ("kind", "changes", "field", "message"),
    [
        (FINANCE, {"ticket_min": "200000"}, "ticket_min", "The minimum ticket is above the maximum."),
        (FINANCE, {"instrument": ""}, "instrument", "A finance opportunity needs its instrument."),
        (FINANCE, {"rate": "120"}, "rate", "less than or equal to 100"),
        (FINANCE, {"co_financing_share": "-5"}, "co_financing_share", "greater than or equal to 0"),
        (FINANCE, {"tenor_months": "-3"}, "tenor_months", "greater than or equal to 0"),
        (TRAINING, {"target_age_min": "30"}, "target_age_min", "The minimum age is above the maximum age."),
        (TRAINING, {"places": "-1"}, "places", "greater than or equal to 0"),
        (ASSET, {"area_m2": "-10"}, "area_m2", "greater than or equal to 0"),
        (ASSET, {"area_m2": "a lot"}, "area_m2", "Enter a number."),
    ],
)
def test_the_registry_refuses_the_kind_s_fields_on_the_field_and_nothing_is_written(
    member, setting, legal_bases, kind, changes, field, message
):
    before = Opportunity.objects.count()
    response = member.post(url("buyers:new_opportunity", setting.buyer.pk), typed(legal_bases, kind, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert Opportunity.objects.count() == before
    assert not OpportunityDraft.objects.exists()
    assert f'href="#id_{field}"' in response.content.decode()


def test_an_edit_the_registry_refuses_changes_nothing(member, setting, legal_bases):
    published = publish(member, setting, typed(legal_bases, TRAINING))
    refused = typed(legal_bases, TRAINING, target_age_max="14", places="60", action=None)
    response = member.post(url("buyers:edit_opportunity", published.pk), refused)
    assert response.status_code == 400
    assert "The minimum age is above the maximum age." in " ".join(response.context["form"].errors["target_age_min"])
    published.refresh_from_db()
    assert (published.target_age_max, published.places) == (29, 40)


def test_the_form_groups_each_kind_s_fields_in_its_fieldset(member, setting):
    page = member.get(url("buyers:new_opportunity", setting.buyer.pk)).content.decode()
    for kind, legend, names in (
        ("finance", "Finance instrument", ("instrument", "ticket_min", "co_financing_share")),
        ("training", "Training or youth programme", ("target_age_min", "places")),
        ("public_asset", "Public asset in concession", ("address", "concession_years")),
    ):
        found = re.search(rf'<fieldset([^>]*)data-kind="{kind}"([^>]*)>(.*?)</fieldset>', page, re.DOTALL)
        assert found is not None, kind
        assert "hidden" not in found[1] + found[2]  # shown without JavaScript
        assert f"{legend}</legend>" in found[3]
        assert all(f'name="{name}"' in found[3] for name in names), kind
