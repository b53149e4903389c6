"""The monitoring scale: exact totals, indicators that obey the model's rules, values that add up, run twice = once."""

import pytest
from django.db.models import Count

from bench import scale_monitoring
from bench.scale import SCALES, Scale, generate
from bench.scale_monitoring import MONITORING_SCALES, MonitoringScale, generate_monitoring, monitoring_totals
from socialplan.ecosystem.tests.test_demo import ALL_CPV_CODES, load_cpv_rows
from socialplan.monitoring.models import Indicator, Update
from socialplan.monitoring.selectors import indicator_progress
from socialplan.territory.services import load_territory

SMALL = Scale(objectives=6, actions=12, milestones=20, tools_per_action=1.0, organizations=200, pledges=10)


@pytest.fixture
def small(torino, monkeypatch):
    load_territory(code="TO")
    load_cpv_rows(ALL_CPV_CODES)
    monkeypatch.setitem(SCALES, "small", SMALL)
    monkeypatch.setitem(MONITORING_SCALES, "small", MonitoringScale(indicators=80, values=1_500))
    monkeypatch.setattr(scale_monitoring, "BATCH_SIZE", 100)
    generate(scale="small")
    return torino


def test_the_metro_scale_names_the_issue_totals():
    assert MONITORING_SCALES["metro"] == MonitoringScale(indicators=1_500, values=100_000)


def test_a_scale_fills_indicators_periods_and_values_to_its_totals(small):
    totals = generate_monitoring(scale="small")
    assert totals["indicators"] == 80
    assert totals["periods"] == 80 * 4
    # The real indicators have no periods: every generated period gets its share of the values.
    assert totals["approved_values"] == 1_500
    per_period = Update.objects.values("period").annotate(n=Count("pk")).values_list("n", flat=True)
    assert max(per_period) - min(per_period) <= 1
    generated = Indicator.objects.filter(plan=small, code__startswith="gen-")
    for indicator in generated.select_related("objective", "action", "theme"):
        indicator.full_clean()  # element in the plan, roll-up compatible, measure fields coherent
    assert generated.filter(contributes_to__isnull=False).exists()
    assert set(generated.values_list("measure", flat=True)) >= {"number", "percentage", "currency"}


def test_running_it_again_adds_nothing_and_statuses_are_spread(small):
    first = generate_monitoring(scale="small")
    assert generate_monitoring(scale="small") == first == monitoring_totals(plan=small)
    statuses = {item.assessment.status for item in indicator_progress(plan=small)}
    assert len(statuses) >= 3, statuses
