"""The opportunities dashboard: its figures, its page (empty or full, Italian and English, accessible) and a
number of queries that does not grow with the awards; the demo awards behind it."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.ecosystem.models import LegalForm
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.opportunities.awards import SupplierSpec, record_award
from socialplan.opportunities.dashboard import dashboard
from socialplan.opportunities.demo_awards import load_awards_demo, remove_awards_demo
from socialplan.opportunities.models import Award, Opportunity, SocialValueDelivery, SocialValueMeasure
from socialplan.opportunities.social_value import commit_social_value, load_social_value, report_delivery

from .factories import make_opportunity

URL = "/opportunita/cruscotto/"


@pytest.fixture
def procurement(legal_bases, buyer):
    """Five procedures of 2026 (four with a social clause) and one of 2025 without; a finance call is not
    procurement."""
    tender = legal_bases["dlgs36-2023-public-tender"]
    return {
        "plain": make_opportunity(tender, buyer, value=100_000),
        "reward": make_opportunity(tender, buyer, value=50_000, reward_criteria=["1"]),
        "quota": make_opportunity(tender, buyer, value=30_000, youth_women_hiring_quota=True),
        "reserved": make_opportunity(legal_bases["dlgs36-2023-art61"], buyer, value=20_000),
        "own-rule": make_opportunity(tender, buyer, value=0, third_sector_only=True),
        "not-reserved": make_opportunity(
            tender, buyer, value=40_000, published_on=date(2025, 4, 1), reserved_participation="none"
        ),
        "finance": make_opportunity(legal_bases["finance-instrument"], buyer, value=1_000_000),
    }


def award(opportunity, organization, value, **fields) -> Award:
    return record_award(
        opportunity=opportunity,
        date=fields.pop("date", date(2026, 5, 4)),
        value=Decimal(value),
        suppliers=[SupplierSpec(organization=organization)],
        **fields,
    )


def test_the_share_of_procurement_with_social_clauses_counts_procedures_and_value(procurement):
    figures = {year.year: year for year in dashboard().years}
    assert (figures[2026].procurements, figures[2026].procurements_with_clauses) == (5, 4)
    assert figures[2026].procurement_value == Decimal("200000.00")
    assert figures[2026].procurement_value_with_clauses == Decimal("100000.00")
    assert (figures[2026].clauses_count_share, figures[2026].clauses_value_share) == (Decimal("80.0"), Decimal("50.0"))
    assert (figures[2025].procurements, figures[2025].procurements_with_clauses) == (1, 0)
    assert dashboard().total.procurements == 6


def test_awards_count_in_their_year_and_the_social_economy_part_is_shown(procurement):
    cooperative = make_organization(legal_form=LegalForm.SOCIAL_COOP_B)
    company = make_organization(legal_form=LegalForm.COMPANY, runts_section="")
    award(procurement["reserved"], cooperative, "19000")
    award(procurement["plain"], company, "81000", date=date(2027, 1, 10))
    found = dashboard()
    by_year = {year.year: year for year in found.years}
    assert by_year[2026].social_economy_share == Decimal("100.0") and by_year[2027].social_economy_share == 0
    assert found.total.awarded_value == Decimal("100000.00") and found.total.social_economy_share == Decimal("19.0")


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_page_answers_with_an_empty_database(client, db, language):
    response = client.get(("/en" if language == "en" else "") + URL)
    assert response.status_code == 200
    assert response.context["dashboard"].is_empty


@pytest.fixture
def full(procurement):
    """An award to a type B cooperative with social value committed and partly delivered."""
    load_social_value()
    cooperative = make_organization(legal_form=LegalForm.SOCIAL_COOP_B, legal_name="Cooperativa Germoglio")
    awarded = award(procurement["reserved"], cooperative, "19000")
    commitment = commit_social_value(
        award=awarded,
        measure=SocialValueMeasure.objects.get(code="disadvantaged-hires"),
        quantity=Decimal("2"),
        period_start=date(2026, 6, 1),
        period_end=date(2027, 5, 31),
    )
    report_delivery(commitment=commitment, period_start=date(2026, 6, 1), period_end=date(2026, 11, 30), quantity=1)
    return procurement


def test_an_award_and_its_social_value_show_on_the_page(client, full):
    page = client.get(URL).content.decode()
    assert "Cruscotto degli appalti sociali" in page or "Social procurement dashboard" in page
    assert "Pulizia degli uffici comunali" in page  # the contract, in the table of social value
    assert "28.000" in page and "14.000" in page  # 2 and 1 hires at the indicative 14,000 EUR
    assert "<caption id=" in page and 'scope="col"' in page and 'scope="row"' in page
    assert 'role="img"' in page and "<figcaption>" in page
    english = client.get("/en" + URL).content.decode()
    assert "Disadvantaged people hired" in english and "28,000" in english


def count_queries(client) -> int:
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_the_page_queries_do_not_grow_with_the_awards(client, full):
    before = count_queries(client)
    measure = SocialValueMeasure.objects.get(code="training-hours")
    for number in range(12):
        supplier = make_organization(legal_form=LegalForm.SOCIAL_COOP_B if number % 2 else LegalForm.COMPANY)
        awarded = award(full["plain"], supplier, 1000 + number, date=date(2026 + number % 3, 5, 4))
        commitment = commit_social_value(
            award=awarded, measure=measure, quantity=10, period_start=date(2026, 6, 1), period_end=date(2026, 12, 31)
        )
        report_delivery(commitment=commitment, period_start=date(2026, 6, 1), period_end=date(2026, 9, 30), quantity=5)
    assert Award.objects.count() == 13
    assert count_queries(client) == before


def test_the_demo_awards_go_to_demo_type_b_cooperatives_and_load_again_in_place(legal_bases, buyer):
    assert load_awards_demo() == []  # nothing to award yet
    for number in range(4):
        make_organization(legal_form=LegalForm.SOCIAL_COOP_B, is_demo=True, legal_name=f"Demo B {number}")
    make_organization(legal_form=LegalForm.SOCIAL_COOP_A, is_demo=True)
    make_opportunity(legal_bases["l381-1991-art5"], buyer, is_demo=True, value=100_000)
    make_opportunity(legal_bases["dlgs36-2023-art61"], buyer, is_demo=True, value=None)
    make_opportunity(legal_bases["dlgs36-2023-public-tender"], buyer, is_demo=True)
    make_opportunity(legal_bases["finance-instrument"], buyer, is_demo=True)
    make_opportunity(legal_bases["l381-1991-art5"], buyer)  # not a demo

    awards = load_awards_demo()
    assert len(awards) == 3 and Award.objects.filter(is_demo=True).count() == 3
    assert {supplier.organization.legal_form for a in awards for supplier in a.suppliers.all()} == {"coop_b"}
    assert all(a.opportunity.is_demo and a.opportunity.kind != Opportunity.Kind.FINANCE for a in awards)
    assert awards[0].opportunity.kind == Opportunity.Kind.TYPE_B_CONVENTION
    assert all(a.commitments.exists() for a in awards) and SocialValueDelivery.objects.count() == 1
    found = dashboard()
    assert found.has_demo and found.social_value.delivered_eur == Decimal("28000.00")

    again = load_awards_demo()
    assert len(again) == 3 and Award.objects.count() == 3 and SocialValueDelivery.objects.count() == 1
    assert remove_awards_demo() == 3 and not Award.objects.exists()

    # Opportunities already closed or awarded are the ones awarded, when there are some.
    closed = Opportunity.objects.filter(is_demo=True, kind=Opportunity.Kind.RESERVED_CONTRACT).get()
    Opportunity.objects.filter(pk=closed.pk).update(status=Opportunity.Status.CLOSED)
    assert [awarded.opportunity for awarded in load_awards_demo()] == [closed]


@pytest.mark.browser
@pytest.mark.parametrize("language", ["it", "en"])
def test_the_dashboard_is_accessible_on_desktop_and_phone(live_server, full, open_page, axe, language):
    path = ("/en" if language == "en" else "") + URL
    for viewport in (DESKTOP, PHONE):
        page = open_page(live_server.url + path, viewport=viewport)
        assert page.evaluate("document.documentElement.lang") == language
        violations = axe(page)
        assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
        if viewport is PHONE:
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{path} scrolls sideways on a phone: {widths[0]}px > {widths[1]}px"
