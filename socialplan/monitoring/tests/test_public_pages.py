"""The public monitoring pages: the plan overview, an indicator's page, its Open SDG CSV and the zip of all."""

import csv
import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from html import escape

import pytest
import yaml
from django.core.cache import caches
from django.test.utils import override_settings
from django.utils import timezone

from socialplan.accounts.models import User
from socialplan.core.cache import content_version
from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.monitoring.models import Category, DimensionValue, Indicator, Update
from socialplan.plan.models import Action, Objective, Theme
from socialplan.portal.tests.test_query_budget import count_queries

from .conftest import H1_2025, H2_2025
from .factories import approved, grow


def _period(indicator: Indicator, end: date):
    return indicator.periods.get(end=end)


def _category(code: str, dimension: str) -> Category:
    return Category.objects.get(code=code, dimension__code=dimension)


@pytest.fixture
def reported(hired, reporter):
    """Two approved semesters of hires (10 then 15, broken down by sex), and a draft that must not count."""
    female, male = _category("female", "sex"), _category("male", "sex")
    for end, total, women, men in ((H1_2025, 10, 6, 4), (H2_2025, 15, 5, 10)):
        update = approved(_period(hired, end), reporter, value=Decimal(total))
        DimensionValue.objects.create(update=update, dimension=female.dimension, category=female, value=Decimal(women))
        DimensionValue.objects.create(update=update, dimension=male.dimension, category=male, value=Decimal(men))
    other = User.objects.create_user(email="other-reporter@example.org", password="x")
    Update.objects.create(period=_period(hired, H2_2025), reporter=other, value=Decimal(999))  # a draft
    return hired


def test_the_overview_shows_progress_late_actions_and_indicator_statuses(client, torino, reported):
    theme = Theme.objects.get(plan=torino, code="social-procurement")
    objective = Objective.objects.create(theme=theme, code="o-late", title_it="Obiettivo")
    yesterday = timezone.localdate() - timedelta(days=1)
    Action.objects.create(
        objective=objective,
        code="a-late",
        title_it="Azione in ritardo sul calendario",
        status=Action.Status.IN_PROGRESS,
        start_date=yesterday - timedelta(days=30),
        end_date=yesterday,
    )
    Action.objects.create(objective=objective, code="a-done", title_it="Azione chiusa", status=Action.Status.DONE)

    page = client.get("/monitoraggio/").content.decode()
    assert "Monitoraggio del piano" in page
    assert "Azione in ritardo sul calendario" in page
    assert "Azione chiusa" not in page
    assert theme.title_it in page
    assert reported.title_it in page
    assert "/monitoraggio/indicatori/sp-disadvantaged-hired/" in page

    english = client.get("/en/monitoraggio/").content.decode()
    assert "Monitoring of the plan" in english and "Late actions" in english


def test_an_indicator_page_shows_approved_values_only_with_chart_table_and_breakdown(client, torino, reported):
    reported.target_value, reported.target_year = Decimal(300), 2027
    reported.save()
    page = client.get("/en/monitoraggio/indicatori/sp-disadvantaged-hired/").content.decode()
    assert "<svg" in page and 'role="img"' in page
    # Cumulative from a baseline of 0: 10 at the end of June, 25 at the end of December.
    assert ">25<" in page and ">10<" in page
    assert "999" not in page  # the draft does not count
    assert "Female" in page and "Male" in page
    assert "target 300" in page
    assert escape(reported.source_en) in page


def test_an_unknown_indicator_is_not_found(client, torino):
    assert client.get("/monitoraggio/indicatori/no-such-code/").status_code == 404
    assert client.get("/monitoraggio/indicatori/no-such-code.csv").status_code == 404


def test_the_csv_is_in_the_open_sdg_layout_with_a_row_per_year_and_the_breakdown(client, torino, reported):
    response = client.get("/en/monitoraggio/indicatori/sp-disadvantaged-hired.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="indicator_sp-disadvantaged-hired.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Year", "Sex", "Age band", "Value"]
    # 2025: the running total at the end of the year, and by sex since the first report.
    assert rows[1:] == [["2025", "", "", "25"], ["2025", "Female", "", "11"], ["2025", "Male", "", "14"]]


def test_the_zip_has_every_indicator_with_data_and_metadata(client, torino, reported):
    response = client.get("/monitoraggio/dati-open-sdg.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    codes = set(Indicator.objects.filter(plan=torino).values_list("code", flat=True))
    assert {name for name in archive.namelist() if name.startswith("data/")} == {
        f"data/indicator_{code}.csv" for code in codes
    }
    meta = archive.read("meta/sp-disadvantaged-hired.md").decode()
    front = yaml.safe_load(meta.split("---")[1])
    assert front["indicator_number"] == "sp-disadvantaged-hired"
    assert front["reporting_status"] == "complete"
    assert front["cumulative"] is True
    assert archive.read("data/indicator_sp-disadvantaged-hired.csv").decode().splitlines()[1] == "2025,,,25"


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "monitoring-pages"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "monitoring-pages-cache"},
    }
)
def test_a_cached_download_keeps_its_type_and_file_name(client, torino, reported):
    caches["pages"].clear()
    first = client.get("/monitoraggio/indicatori/sp-disadvantaged-hired.csv")
    again = client.get("/monitoraggio/indicatori/sp-disadvantaged-hired.csv")
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Disposition"] == first["Content-Disposition"]


@pytest.mark.parametrize("path", ["/monitoraggio/", "/monitoraggio/indicatori/{code}/"])
def test_monitoring_pages_run_the_same_queries_with_ten_times_the_indicators(client, torino, roles, reporter, path):
    grow(torino, copies=1, reporters=[reporter])
    code = Indicator.objects.filter(plan=torino, objective__code__startswith="o-").first().code
    before = count_queries(client, path.format(code=code))
    grow(torino, copies=10, reporters=[reporter])
    after = count_queries(client, path.format(code=code))
    assert after == before
    assert after <= 17, after


@pytest.mark.browser
@pytest.mark.parametrize("language", ["it", "en"])
def test_monitoring_pages_are_accessible_on_desktop_and_phone(live_server, open_page, axe, reported, language):
    prefix = "/en" if language == "en" else ""
    for path in ("/monitoraggio/", "/monitoraggio/indicatori/sp-disadvantaged-hired/"):
        for viewport in (DESKTOP, PHONE):
            page = open_page(live_server.url + prefix + path, viewport=viewport)
            assert page.evaluate("document.documentElement.lang") == language
            violations = axe(page)
            assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
            if viewport is PHONE:
                widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                assert widths[0] <= widths[1], f"{path} scrolls sideways on a phone: {widths[0]}px > {widths[1]}px"


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "monitoring-version"},
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
)
def test_only_approved_values_refresh_the_public_pages(hired, reporter):
    caches["default"].clear()
    before = content_version()
    draft = Update.objects.create(period=_period(hired, H1_2025), reporter=reporter, value=Decimal(3))
    assert content_version() == before
    draft.status = Update.Status.APPROVED
    draft.save()
    assert content_version() != before
