"""The list of every indicator, the overview's ten per theme, and the plan's progress kept per content version."""

from decimal import Decimal

import pytest
from django.core.cache import caches
from django.test.utils import override_settings

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.monitoring.charts import sparkline
from socialplan.monitoring.models import Update
from socialplan.monitoring.public import SHOWN_PER_THEME, indicator_list
from socialplan.monitoring.rollup import ProgressStatus
from socialplan.monitoring.selectors import plan_indicator_progress
from socialplan.plan.models import Theme
from socialplan.portal.tests.test_query_budget import count_queries

from .conftest import H1_2025
from .factories import approved, grow


def test_the_list_filters_by_theme_and_status_and_ignores_unknown_values(client, torino, hired, reporter):
    theme = Theme.objects.get(plan=torino, code="social-procurement")
    everything = indicator_list(plan=torino)
    assert len(everything.items) == torino.indicators.count()
    of_theme = indicator_list(plan=torino, theme_code=theme.code)
    assert of_theme.theme == theme
    assert hired.pk in {item.indicator.pk for item in of_theme.items}
    assert 0 < len(of_theme.items) < len(everything.items)
    assert len(indicator_list(plan=torino, theme_code="no-such-theme").items) == len(everything.items)
    approved(hired.periods.get(end=H1_2025), reporter, value=Decimal(400))  # beyond the target of 300
    achieved = indicator_list(plan=torino, status=ProgressStatus.TARGET_ACHIEVED)
    assert [item.indicator.pk for item in achieved.items] == [hired.pk]
    assert indicator_list(plan=torino, status="<script>").status == ""

    page = client.get("/monitoraggio/indicatori/?stato=target_achieved").content.decode()
    assert hired.title_it in page and "1 indicatore." in page
    assert '<option value="target_achieved" selected>' in page
    english = client.get(f"/en/monitoraggio/indicatori/?tema={theme.code}").content.decode()
    assert "The plan&#x27;s indicators" in english or "The plan's indicators" in english
    assert f'<option value="{theme.code}" selected>' in english


def test_the_overview_lists_ten_indicators_per_theme_and_links_to_the_rest(client, torino, roles, reporter):
    grow(torino, copies=4, reporters=[reporter])  # 5 indicators each, on the first theme
    theme = Theme.objects.filter(plan=torino).first()
    total = indicator_list(plan=torino, theme_code=theme.code).items
    assert len(total) > SHOWN_PER_THEME
    page = client.get("/monitoraggio/").content.decode()
    assert f"/monitoraggio/indicatori/?tema={theme.code}" in page
    assert f"{len(total) - SHOWN_PER_THEME} altri indicatori del tema" in page
    # The theme's and objectives' indicators come first: an action's is not among the ten shown.
    shown = page.split(f'<h3 class="h4">{theme.title_it}</h3>', 1)[1].split("</table>", 1)[0]
    assert shown.count("<tr>") == SHOWN_PER_THEME + 1  # the header row and ten indicators


def test_the_list_pages_fifty_at_a_time_with_constant_queries(client, torino, roles, reporter):
    grow(torino, copies=2, reporters=[reporter])
    before = count_queries(client, "/monitoraggio/indicatori/")
    grow(torino, copies=12, reporters=[reporter])
    assert count_queries(client, "/monitoraggio/indicatori/") == before
    assert torino.indicators.count() > 50
    first = client.get("/monitoraggio/indicatori/").content.decode()
    assert first.count('<th scope="row">') == 50 and "pagina=2" in first
    last = client.get("/monitoraggio/indicatori/?pagina=99").content.decode()
    assert 0 < last.count('<th scope="row">') <= 50


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "progress-kept"},
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
)
def test_the_plans_progress_is_read_again_only_when_an_approval_changes_it(torino, hired, reporter):
    caches["default"].clear()
    first = plan_indicator_progress(plan=torino)
    assert plan_indicator_progress(plan=torino) is first
    draft = Update.objects.create(period=hired.periods.get(end=H1_2025), reporter=reporter, value=Decimal(7))
    assert plan_indicator_progress(plan=torino) is first  # a draft changes nothing public
    draft.status = Update.Status.APPROVED
    draft.save()
    again = plan_indicator_progress(plan=torino)
    assert again is not first
    assert next(item for item in again if item.indicator.pk == hired.pk).latest.value == Decimal(7)


@pytest.mark.parametrize(
    ("values", "target", "last_y", "target_y"),
    [
        ([Decimal(0), Decimal(5), Decimal(10)], Decimal(20), 14.0, 3.0),  # rising halfway to the target
        ([Decimal(10), Decimal(10)], None, 25.0, None),  # flat: along the bottom of a box one unit high
    ],
)
def test_a_sparkline_spans_its_box_from_the_lowest_to_the_highest(values, target, last_y, target_y):
    line = sparkline(values, target=target)
    points = [tuple(map(float, point.split(","))) for point in line.polyline.split()]
    assert points[0][0] == 3.0 and points[-1][0] == line.width - 3.0
    assert (line.last_y, line.target_y) == (last_y, target_y)
    assert all(3.0 <= y <= line.height - 3.0 for _, y in points)
    assert sparkline([], target=target) is None


@pytest.mark.browser
@pytest.mark.parametrize("language", ["it", "en"])
def test_the_list_is_accessible_on_desktop_and_phone(live_server, open_page, axe, torino, hired, language):
    url = f"{live_server.url}{'/en' if language == 'en' else ''}/monitoraggio/indicatori/?tema=social-procurement"
    for viewport in (DESKTOP, PHONE):
        page = open_page(url, viewport=viewport)
        assert page.evaluate("document.documentElement.lang") == language
        violations = axe(page)
        assert not violations, f"at {viewport['width']}px:\n{describe_violations(violations)}"
        if viewport is PHONE:
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"the list scrolls sideways on a phone: {widths[0]}px > {widths[1]}px"
