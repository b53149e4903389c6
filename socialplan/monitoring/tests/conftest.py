"""Fixtures of the monitoring tests: Turin's indicators with periods and an assigned reporter."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from socialplan.accounts.models import User
from socialplan.monitoring.models import Indicator
from socialplan.monitoring.services import create_periods
from socialplan.plan.models import Plan
from socialplan.plan.services import load_plan

H1_2025 = date(2025, 6, 30)
H2_2025 = date(2025, 12, 31)


@pytest.fixture(autouse=True)
def evidence_storage(settings, tmp_path):
    """Evidence files go to a temporary folder, never to the project's media."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def in_english():
    """Messages are read in English here; the Italian ones come from the translation files."""
    with translation.override("en"):
        yield


@pytest.fixture
def torino(db) -> Plan:
    """The Turin plan with its indicator set, as `load_plan torino` loads them."""
    load_plan(name="torino")
    return Plan.objects.get(slug="torino")


@pytest.fixture
def reporter(db) -> User:
    return User.objects.create_user(email="reporter@example.org", password="x")


def with_semesters(indicator: Indicator, *, user: User, year: int = 2025) -> Indicator:
    create_periods(indicator=indicator, user=user, start=date(year, 1, 1), end=date(year, 12, 31), months=6)
    return indicator


@pytest.fixture
def hired(torino: Plan, roles, reporter: User) -> Indicator:
    """Disadvantaged workers hired through social clauses: a cumulative count on the coordinator's theme,
    broken down by sex and age band, reported by `reporter`, with the two semesters of 2025."""
    indicator = Indicator.objects.get(plan=torino, code="sp-disadvantaged-hired")
    indicator.reporters.add(reporter)
    indicator.baseline_year, indicator.baseline_value = 2024, Decimal(0)
    indicator.target_year, indicator.target_value = 2027, Decimal(300)
    indicator.save()
    return with_semesters(indicator, user=roles.editor)


@pytest.fixture
def clauses(torino: Plan, roles, reporter: User) -> Indicator:
    """The share of procurement value with social clauses: a cumulative percentage, on an action of the
    coordinator's theme."""
    indicator = Indicator.objects.get(plan=torino, code="sp-social-clauses-share")
    indicator.reporters.add(reporter)
    return with_semesters(indicator, user=roles.editor)


@pytest.fixture
def tables(torino: Plan, roles, reporter: User) -> Indicator:
    """The stage of the thematic tables: qualitative, on the governance theme (not the coordinator's)."""
    indicator = Indicator.objects.get(plan=torino, code="gov-thematic-tables")
    indicator.reporters.add(reporter)
    return with_semesters(indicator, user=roles.editor)
