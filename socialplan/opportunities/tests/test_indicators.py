"""The plan's procurement indicators computed from the awards and submitted for review."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from socialplan.accounts.models import User
from socialplan.ecosystem.models import LegalForm
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.monitoring.models import Indicator, Update
from socialplan.monitoring.services import approve_update, create_periods
from socialplan.opportunities.awards import SupplierSpec, record_award
from socialplan.opportunities.indicators import report_computed_indicators
from socialplan.opportunities.tests.factories import make_opportunity
from socialplan.plan.models import Plan
from socialplan.plan.services import load_plan


@pytest.fixture
def torino(db) -> Plan:
    """The Turin plan with its indicators (the procurement ones among them)."""
    load_plan(name="torino")
    return Plan.objects.get(slug="torino")


@pytest.fixture
def office(torino, roles, legal_bases, buyer):
    reporter = User.objects.create_user(email="ufficio@example.org", password="x")
    indicators = {}
    for code in ("sp-value-to-social-economy", "sp-social-clauses-share"):
        indicator = Indicator.objects.get(plan=torino, code=code)
        indicator.reporters.add(reporter)
        create_periods(indicator=indicator, user=roles.editor, start=date(2025, 1, 1), end=date(2025, 12, 31), months=6)
        indicators[code] = indicator
    coop = make_organization(legal_form=LegalForm.SOCIAL_COOP_B, disadvantaged_share=Decimal(40))
    company = make_organization(legal_form=LegalForm.COMPANY, runts_section="", legal_name="Impresa srl")
    published = {"published_on": date(2025, 1, 10), "deadline": None}
    reserved = make_opportunity(legal_bases["dlgs36-2023-art61"], buyer, reserved_participation="res-ws", **published)
    tender = make_opportunity(legal_bases["dlgs36-2023-public-tender"], buyer, **published)
    record_award(
        opportunity=reserved, suppliers=[SupplierSpec(organization=coop)], date=date(2025, 3, 1), value=Decimal(100_000)
    )
    record_award(
        opportunity=tender,
        suppliers=[
            SupplierSpec(organization=company, share=Decimal(80)),
            SupplierSpec(organization=coop, share=Decimal(20)),
        ],
        date=date(2025, 4, 1),
        value=Decimal(300_000),
    )
    return {"reporter": reporter, "indicators": indicators, "editor": roles.editor}


def test_the_procurement_indicators_are_computed_from_the_awards_and_sent_for_review(office, torino):
    result = report_computed_indicators(plan=torino, reporter=office["reporter"], on=date(2026, 1, 15))
    by_key = {(update.period.indicator.code, update.period.start): update for update in result.submitted}
    value = by_key["sp-value-to-social-economy", date(2025, 1, 1)]
    assert value.status == Update.Status.SUBMITTED
    assert value.value == Decimal("160000.00")  # 100,000 alone and 20% of 300,000
    assert {(row.category.code, row.value) for row in value.breakdown.select_related("category")} == {
        ("coop_b", Decimal("160000.00"))
    }
    share = by_key["sp-social-clauses-share", date(2025, 1, 1)]
    assert (share.numerator, share.denominator) == (Decimal("100000.00"), Decimal("400000.00"))
    assert share.narrative == (  # in the plan's language: it is published with the value
        "Calcolato da 2 aggiudicazioni di appalti pubblici registrate sulla piattaforma dal 01/01/2025 al 30/06/2025."
    )
    # The second semester has no public procurement: no share can be computed, and the reason is given.
    assert "sp-social-clauses-share 2025-07-01-2025-12-31: The denominator cannot be 0." in result.skipped
    # Nothing is published before the plan office approves it.
    approve_update(update=value, reviewer=office["editor"])
    again = report_computed_indicators(plan=torino, reporter=office["reporter"], on=date(2026, 1, 15))
    assert any("a value is already approved" in reason for reason in again.skipped)
    assert any("already waiting for review" in reason for reason in again.skipped)
    assert {update.pk for update in again.submitted} <= {update.pk for update in result.submitted}


def test_the_command_needs_an_assigned_reporter(office, torino):
    stranger = User.objects.create_user(email="nessuno@example.org", password="x")
    from io import StringIO

    out = StringIO()
    call_command("report_opportunity_indicators", "--reporter", stranger.email, "--on", "2026-01-15", stdout=out)
    assert "0 submitted" in out.getvalue()
    assert "is not assigned to report on indicator 'sp-social-clauses-share'" in out.getvalue()
    assert not Update.objects.exists()
