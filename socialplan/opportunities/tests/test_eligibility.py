"""Who may answer: the legal basis's rule and the opportunity's own, with the reasons in plain words."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from socialplan.ecosystem.models import LegalForm, Organization
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.opportunities.eligibility import eligibility, eligible_organizations, months_before

from .factories import make_opportunity

TODAY = date(2026, 12, 3)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def check(organization: Organization, opportunity) -> tuple[bool, list[str]]:
    """The Python decision, after checking that the SQL filter agrees with it."""
    result = eligibility(organization, opportunity, on=TODAY)
    in_sql = eligible_organizations(opportunity, on=TODAY).filter(pk=organization.pk).exists()
    assert in_sql == result.eligible
    return result.eligible, result.reasons


def test_a_type_b_cooperative_with_42_percent_disadvantaged_is_eligible_for_a_reserved_contract_and_an_art5_convention(
    legal_bases, buyer
) -> None:
    cooperative = make_organization(legal_form=LegalForm.SOCIAL_COOP_B, disadvantaged_share=Decimal("42"))
    reserved = make_opportunity(legal_bases["dlgs36-2023-art61"], buyer)
    convention = make_opportunity(legal_bases["l381-1991-art5"], buyer)
    assert check(cooperative, reserved) == (True, ["art. 61 D.Lgs. 36/2023: eligible, 42% disadvantaged workers"])
    with translation.override("it"):
        assert eligibility(cooperative, reserved, on=TODAY).reasons == [
            "art. 61 D.Lgs. 36/2023: ammissibile, 42% di lavoratori svantaggiati"
        ]
    assert check(cooperative, convention) == (
        True,
        ["art. 5 L. 381/1991: Social cooperative type B is admitted"],
    )


def test_a_reserved_contract_needs_30_percent_disadvantaged_workers_whatever_the_legal_form(legal_bases, buyer) -> None:
    reserved = make_opportunity(legal_bases["dlgs36-2023-art61"], buyer)
    company = make_organization(legal_form=LegalForm.COMPANY, disadvantaged_share=Decimal("30"))
    assert check(company, reserved)[0] is True
    low = make_organization(legal_form=LegalForm.SOCIAL_COOP_B, disadvantaged_share=Decimal("29.5"))
    assert check(low, reserved) == (
        False,
        ["art. 61 D.Lgs. 36/2023: at least 30% disadvantaged workers required, 29.5% declared"],
    )
    unknown = make_organization(legal_form=LegalForm.SOCIAL_COOP_B, disadvantaged_share=None)
    assert check(unknown, reserved)[0] is False


def test_a_type_a_cooperative_is_never_eligible_for_an_art5_convention(legal_bases, buyer) -> None:
    convention = make_opportunity(legal_bases["l381-1991-art5"], buyer)
    cooperative = make_organization(legal_form=LegalForm.SOCIAL_COOP_A, disadvantaged_share=Decimal("60"))
    assert check(cooperative, convention) == (
        False,
        ["art. 5 L. 381/1991: only Social cooperative type B, Consortium of social cooperatives"],
    )


def test_a_for_profit_company_is_never_eligible_for_an_art55_co_design_call(legal_bases, buyer) -> None:
    call = make_opportunity(legal_bases["dlgs117-2017-art55"], buyer)
    for form in (LegalForm.COMPANY, LegalForm.BENEFIT_CORPORATION, ""):
        company = make_organization(legal_form=form, runts_section="", disadvantaged_share=Decimal("50"))
        eligible, reasons = check(company, call)
        assert eligible is False
        assert reasons[0].startswith("art. 55 D.Lgs. 117/2017: only Social cooperative type A")
    association = make_organization(legal_form=LegalForm.APS, runts_section="b")
    assert check(association, call)[0] is True


def test_an_odv_must_be_registered_in_runts_for_six_months_for_an_art56_convention(legal_bases, buyer) -> None:
    convention = make_opportunity(legal_bases["dlgs117-2017-art56"], buyer)
    recent = make_organization(legal_form=LegalForm.ODV, runts_section="a", runts_registered_on=date(2026, 9, 3))
    older = make_organization(legal_form=LegalForm.ODV, runts_section="a", runts_registered_on=date(2026, 5, 3))
    unregistered = make_organization(legal_form=LegalForm.ODV, runts_section="", runts_registered_on=None)
    eligible, reasons = check(recent, convention)
    assert eligible is False
    assert reasons[-1] == (
        "art. 56 D.Lgs. 117/2017: registration in RUNTS for at least 6 months required, registered on 03/09/2026"
    )
    assert check(older, convention) == (
        True,
        [
            "art. 56 D.Lgs. 117/2017: Voluntary organization (ODV) is admitted",
            "art. 56 D.Lgs. 117/2017: registered in RUNTS since 03/05/2026",
        ],
    )
    assert check(unregistered, convention)[0] is False
    one_day_short = make_organization(legal_form=LegalForm.ODV, runts_section="a", runts_registered_on=date(2026, 6, 4))
    assert check(one_day_short, convention)[0] is False
    # Exactly six months is enough.
    on_the_day = make_organization(legal_form=LegalForm.APS, runts_section="b", runts_registered_on=date(2026, 6, 3))
    assert check(on_the_day, convention)[0] is True


def test_the_opportunity_narrows_its_legal_basis(legal_bases, buyer) -> None:
    call = make_opportunity(
        legal_bases["dlgs117-2017-art55"], buyer, eligible_legal_forms=["odv", "aps"], min_disadvantaged_share=10
    )
    cooperative = make_organization(legal_form=LegalForm.SOCIAL_COOP_A, disadvantaged_share=Decimal("40"))
    eligible, reasons = check(cooperative, call)
    assert eligible is False
    assert "this opportunity: only Voluntary organization (ODV), Social promotion association (APS)" in reasons


def test_an_open_tender_admits_everyone(legal_bases, buyer) -> None:
    tender = make_opportunity(legal_bases["dlgs36-2023-public-tender"], buyer)
    company = make_organization(legal_form=LegalForm.COMPANY, runts_section="")
    assert check(company, tender) == (True, ["D.Lgs. 36/2023: open to every organization"])


def test_months_are_counted_back_to_the_last_day_of_a_shorter_month() -> None:
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 3, 15), 6) == date(2025, 9, 15)
    assert months_before(date(2026, 1, 31), 1) == date(2025, 12, 31)
