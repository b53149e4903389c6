"""Recording awards: suppliers linked to the ecosystem by codice fiscale, refusals keyed by field, one transaction."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from socialplan.ecosystem.models import LegalForm
from socialplan.ecosystem.tests.factories import make_organization, valid_codice_fiscale
from socialplan.opportunities.awards import SupplierSpec, is_social_economy, record_award
from socialplan.opportunities.dashboard import dashboard
from socialplan.opportunities.models import Award, AwardSupplier, SocialValueMeasure
from socialplan.opportunities.services import LotSpec
from socialplan.opportunities.social_value import commit_social_value, load_social_value

from .factories import make_opportunity


@pytest.fixture
def opportunity(legal_bases, buyer, cpv_codes):
    return make_opportunity(
        legal_bases["dlgs36-2023-art61"],
        buyer,
        cpv_codes=("90911200",),
        lots=[LotSpec(number=1, title="Sede centrale", value=Decimal("80000"))],
    )


def refused(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        record_award(**kwargs)
    assert not Award.objects.exists() and not AwardSupplier.objects.exists()
    return error.value.message_dict


def test_a_supplier_is_linked_to_the_ecosystem_by_codice_fiscale(opportunity):
    cooperative = make_organization(legal_form=LegalForm.SOCIAL_COOP_B)
    award = record_award(
        opportunity=opportunity,
        lot=opportunity.lots.get(),
        date=date(2026, 5, 4),
        value=Decimal("79000"),
        suppliers=[SupplierSpec(name="", codice_fiscale=cooperative.codice_fiscale.lower())],
    )
    supplier = award.suppliers.get()
    assert supplier.organization == cooperative and supplier.name == cooperative.legal_name
    assert award.source == Award.Source.MANUAL and award.status == Award.Status.ACTIVE
    assert is_social_economy(supplier.organization)


def test_a_company_is_not_the_social_economy_and_an_unknown_supplier_stays_unlinked(opportunity):
    company = make_organization(legal_form=LegalForm.COMPANY)
    award = record_award(
        opportunity=opportunity,
        date=date(2026, 5, 4),
        value=Decimal("100000"),
        suppliers=[
            SupplierSpec(organization=company.pk, share=Decimal("60")),
            SupplierSpec(name="Impresa fuori registro", codice_fiscale=valid_codice_fiscale(9_100_001), share=40),
        ],
    )
    linked, unlinked = award.suppliers.order_by("pk")
    assert linked.organization == company and not is_social_economy(company)
    assert unlinked.organization is None and unlinked.name == "Impresa fuori registro"


def test_bad_input_is_refused_on_its_field_and_nothing_is_written(opportunity, legal_bases, buyer):
    other = make_opportunity(legal_bases["dlgs36-2023-public-tender"], buyer, lots=[LotSpec(number=1, title="Altro")])
    supplier = [SupplierSpec(name="Cooperativa Alfa")]
    base = {"opportunity": opportunity, "date": date(2026, 5, 4), "value": Decimal("1000"), "suppliers": supplier}
    assert "value" in refused(**{**base, "value": Decimal("-1")})
    assert "date" in refused(**{**base, "date": date(2026, 3, 1)})  # published on 2026-03-02
    assert "date" in refused(**{**base, "date": None})
    assert "lot" in refused(**{**base, "lot": other.lots.get()})
    assert "suppliers" in refused(**{**base, "suppliers": []})
    errors = refused(**{**base, "suppliers": [SupplierSpec(organization=999_999)]})
    assert "999999" in errors["suppliers"][0]
    assert "suppliers" in refused(**{**base, "suppliers": [SupplierSpec(name="X", codice_fiscale="12345678901")]})
    assert "suppliers" in refused(**{**base, "suppliers": [SupplierSpec(name="A", share=50), SupplierSpec(name="B")]})
    assert "suppliers" in refused(
        **{**base, "suppliers": [SupplierSpec(name="A", share=50), SupplierSpec(name="B", share=40)]}
    )
    assert "suppliers" in refused(**{**base, "suppliers": [SupplierSpec(name="A"), SupplierSpec(name="a")]})
    assert "opportunity" in refused(**{**base, "opportunity": None})


def test_the_same_ocds_award_id_twice_on_an_opportunity_is_refused(opportunity):
    fields = {"opportunity": opportunity, "date": date(2026, 5, 4), "value": Decimal("1000")}
    record_award(**fields, suppliers=[SupplierSpec(name="A")], ocds_award_id="42")
    with pytest.raises(ValidationError) as error:
        record_award(**fields, suppliers=[SupplierSpec(name="B")], ocds_award_id="42")
    assert Award.objects.count() == 1 and error.value.message_dict


def test_value_to_the_social_economy_counts_each_supplier_for_its_share_or_an_equal_part(opportunity):
    cooperative = make_organization(legal_form=LegalForm.SOCIAL_COOP_B)
    aps = make_organization(legal_form=LegalForm.APS, runts_section="b")
    company = make_organization(legal_form=LegalForm.COMPANY, runts_section="")
    benefit = make_organization(legal_form=LegalForm.BENEFIT_CORPORATION, runts_section="")
    day = date(2026, 5, 4)
    record_award(opportunity=opportunity, date=day, value=Decimal("90000"), suppliers=[
        SupplierSpec(organization=cooperative), SupplierSpec(organization=company), SupplierSpec(organization=aps),
    ])  # fmt: skip
    record_award(opportunity=opportunity, date=day, value=Decimal("10000"), suppliers=[
        SupplierSpec(organization=cooperative, share=Decimal("25")), SupplierSpec(organization=benefit, share=75),
    ])  # fmt: skip
    record_award(
        opportunity=opportunity,
        date=day,
        value=Decimal("5000"),
        status=Award.Status.CANCELLED,
        suppliers=[SupplierSpec(organization=cooperative)],
    )
    year = dashboard().years[0]
    assert year.year == 2026 and year.awards == 2 and year.awarded_value == Decimal("100000.00")
    assert year.social_economy_value == Decimal("62500.00")  # 2/3 of 90,000 + 25% of 10,000
    assert year.social_economy_share == Decimal("62.5")


@pytest.mark.parametrize("role", ["editor", "member"])
def test_the_plan_office_records_awards_in_the_back_office(client, roles, opportunity, role):
    cooperative = make_organization(legal_form=LegalForm.SOCIAL_COOP_B)
    client.force_login(getattr(roles, role))
    data = {
        "opportunity": opportunity.pk,
        "lot": "",
        "date": "2026-05-04",
        "value": "50000",
        "status": "active",
        "source": "manual",
        "ocds_award_id": "",
        "suppliers-TOTAL_FORMS": "1",
        "suppliers-INITIAL_FORMS": "0",
        "suppliers-0-name": "Cooperativa",
        "suppliers-0-codice_fiscale": cooperative.codice_fiscale,
        "suppliers-0-share": "",
        "commitments-TOTAL_FORMS": "0",
        "commitments-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:opportunities_award_add"), {**data, "date": "2026-01-01"})
    if role == "member":
        assert response.status_code in (302, 403) and not Award.objects.exists()
        return
    assert response.status_code == 200 and "publication" in response.content.decode()
    assert not Award.objects.exists()
    response = client.post(reverse("admin:opportunities_award_add"), data)
    assert response.status_code == 302
    assert Award.objects.get().suppliers.get().organization == cooperative


def test_the_back_office_pages_of_awards_and_social_value_open_for_the_plan_office(client, roles, opportunity):
    load_social_value()
    award = record_award(
        opportunity=opportunity, date=date(2026, 5, 4), value=Decimal("1000"), suppliers=[SupplierSpec(name="A")]
    )
    commitment = commit_social_value(
        award=award,
        measure=SocialValueMeasure.objects.get(code="training-hours"),
        quantity=Decimal("10"),
        period_start=date(2026, 6, 1),
        period_end=date(2026, 12, 31),
    )
    client.force_login(roles.editor)
    for instance in (award, commitment, commitment.measure):
        name = instance._meta.model_name
        for url in (
            reverse(f"admin:opportunities_{name}_changelist"),
            reverse(f"admin:opportunities_{name}_add"),
            reverse(f"admin:opportunities_{name}_change", args=[instance.pk]),
        ):
            assert client.get(url).status_code == 200, url
