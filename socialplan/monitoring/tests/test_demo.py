"""Demo indicator values: approved, marked as demo, the same at every load, never mixed with real periods."""

from io import StringIO

from django.core.management import call_command

from socialplan.monitoring.demo import AS_OF, load_monitoring_demo, remove_monitoring_demo
from socialplan.monitoring.models import Indicator, Period, Update
from socialplan.monitoring.public import indicator_page, overview


def test_every_indicator_without_periods_gets_approved_demo_values_once(torino):
    first = load_monitoring_demo(plan=torino)
    indicators = Indicator.objects.filter(plan=torino).count()
    assert first.indicators == indicators and first.skipped == 0
    assert first.updates == Update.objects.filter(is_demo=True, status=Update.Status.APPROVED).count() > 0
    assert not Update.objects.filter(period__end__gt=AS_OF).exists()
    values = sorted(Update.objects.values_list("period__indicator__code", "period__end", "value", "numerator"))

    second = load_monitoring_demo(plan=torino)
    assert (second.indicators, second.periods, second.updates) == (0, 0, 0)
    remove_monitoring_demo()
    load_monitoring_demo(plan=torino)
    assert sorted(Update.objects.values_list("period__indicator__code", "period__end", "value", "numerator")) == values


def test_indicators_with_real_periods_are_left_alone(torino, hired):
    report = load_monitoring_demo(plan=torino)
    assert report.skipped == 1
    assert not Update.objects.filter(period__indicator=hired).exists()
    assert not hired.periods.filter(is_demo=True).exists()


def test_demo_values_count_like_approved_ones_and_the_pages_say_they_are_demo(client, torino):
    load_monitoring_demo(plan=torino)
    found = overview(plan=torino, today=AS_OF)
    assert found.has_demo_values
    with_values = [item for theme in found.themes for item in theme.indicators if item.latest is not None]
    assert (
        len(with_values) + len([item for item in found.without_theme if item.latest])
        == Indicator.objects.filter(plan=torino).count()
    )
    page = indicator_page(plan=torino, code="sp-disadvantaged-hired")
    assert page is not None and page.has_demo_values and len(page.progress.points) == 3
    # Broken down by sex: women and men add up to the total.
    totals = {row.key.code: row.value for row in page.breakdown[0].rows}
    assert totals["female"] + totals["male"] == page.breakdown[0].total.value
    assert "Valori dimostrativi." in client.get("/monitoraggio/").content.decode()


def test_the_demo_command_loads_and_removes_the_values(torino):
    call_command("load_territory", "TO", verbosity=0)
    output = StringIO()
    call_command("load_demo", "--count", "20", stdout=output)
    assert "Demo indicator values:" in output.getvalue()
    assert Update.objects.filter(is_demo=True).exists()
    call_command("load_demo", "--remove", stdout=StringIO())
    assert not Update.objects.filter(is_demo=True).exists()
    assert not Period.objects.filter(is_demo=True).exists()
