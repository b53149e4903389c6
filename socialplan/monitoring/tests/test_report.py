"""The monitoring report of a cycle: the web page, the PDF, the stored copy and the tasks that build it."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from pypdf import PdfReader

from socialplan.core.tests.browser import DESKTOP, PHONE, describe_violations
from socialplan.ecosystem.models import Pledge, PledgeProgress
from socialplan.ecosystem.tests.factories import make_organization
from socialplan.monitoring import report as report_module
from socialplan.monitoring.models import Cycle, CycleReport, Indicator, Update
from socialplan.monitoring.report import cycle_report, report_html
from socialplan.monitoring.tasks import build_cycle_report, build_open_cycle_reports
from socialplan.plan.models import Action
from socialplan.portal.tests.test_query_budget import count_queries

from .conftest import H1_2025, H2_2025
from .factories import approved, grow


def _cycle(plan, *, ends_on=H1_2025, closed=False) -> Cycle:
    return Cycle.objects.create(
        plan=plan,
        title_it="Primo semestre 2025",
        title_en="First semester 2025",
        starts_on=date(2025, 1, 1),
        ends_on=ends_on,
        due_date=date(2025, 7, 31),
        closed_at=timezone.now() if closed else None,
    )


@pytest.fixture
def reported(hired, reporter):
    """Hires: 12 approved for the first semester (with a narrative), 30 approved for the second."""
    approved(hired.periods.get(end=H1_2025), reporter, value=Decimal(12), narrative="Dodici assunzioni in cantiere.")
    approved(hired.periods.get(end=H2_2025), reporter, value=Decimal(30), narrative="Narrativa del secondo semestre.")
    return hired


@pytest.fixture
def pledged(torino):
    action = Action.objects.filter(objective__theme__plan=torino).first()
    organization = make_organization(legal_name="Cooperativa Impegnata")
    kept = Pledge.objects.create(
        organization=organization,
        action=action,
        title="Formare 40 giovani",
        quantity=40,
        unit="persone",
        due_date=date(2026, 12, 31),
    )
    PledgeProgress.objects.create(pledge=kept, reported_on=date(2025, 6, 30), achieved=10)
    Pledge.objects.create(
        organization=organization,
        action=action,
        title="Impegno ritirato",
        quantity=1,
        unit="x",
        due_date=date(2026, 12, 31),
        status=Pledge.Status.WITHDRAWN,
    )
    return kept


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_report_stands_at_the_end_of_the_cycle_window(torino, reported, pledged):
    cycle = _cycle(torino)
    found = cycle_report(cycle=cycle, today=date(2025, 8, 1))
    sections = [section for theme in found.themes for section in theme.indicators]
    hired = next(section for section in sections if section.indicator.pk == reported.pk)
    # The second semester ends after the window: the report of the first does not move when it is reported.
    assert [point.value for point in hired.progress.points] == [Decimal(12)]
    assert hired.progress.latest.value == Decimal(12)
    assert hired.chart is not None and len(hired.chart.points) == 1
    assert [narrative.text for narrative in hired.narratives] == ["Dodici assunzioni in cantiere."]
    assert [pledge.title for pledge in found.pledges] == ["Formare 40 giovani"]
    assert found.pledges[0].percent == 25
    assert found.indicator_count == torino.indicators.count()
    assert sum(count for _, _, count in found.indicator_statuses) == found.indicator_count
    assert found.provisional


def test_the_reporting_summary_counts_met_waiting_and_missing_obligations(torino, hired, reporter):
    cycle = _cycle(torino)
    assert cycle_report(cycle=cycle, today=date(2025, 8, 1)).reporting.missing == 1
    Update.objects.create(
        period=hired.periods.get(end=H1_2025), reporter=reporter, value=Decimal(3), status=Update.Status.SUBMITTED
    )
    reporting = cycle_report(cycle=cycle, today=date(2025, 8, 1)).reporting
    assert (reporting.owed, reporting.reported, reporting.waiting_for_review, reporting.missing) == (1, 1, 1, 0)
    assert reporting.late


def test_the_report_page_shows_values_charts_narratives_and_pledges(client, torino, reported, pledged):
    cycle = _cycle(torino, ends_on=H2_2025)
    page = client.get(f"/monitoraggio/rapporti/{cycle.pk}/").content.decode()
    assert "Rapporto di monitoraggio: Primo semestre 2025" in page
    assert reported.title_it in page
    assert "Narrativa del secondo semestre." in page
    assert "Formare 40 giovani" in page and "Impegno ritirato" not in page
    assert f'href="/monitoraggio/rapporti/{cycle.pk}.pdf"' in page
    # The SVG's coordinates stay numbers in Italian ("240.0", never "240,0").
    coordinates = re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"', page)
    assert coordinates and all("," not in value for value in coordinates), coordinates
    english = client.get(f"/en/monitoraggio/rapporti/{cycle.pk}/").content.decode()
    assert "Monitoring report: First semester 2025" in english
    listing = client.get("/monitoraggio/rapporti/").content.decode()
    assert f"/monitoraggio/rapporti/{cycle.pk}/" in listing


def test_the_pdf_says_what_the_page_says(client, torino, reported):
    cycle = _cycle(torino, ends_on=H2_2025)
    response = client.get(f"/monitoraggio/rapporti/{cycle.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    assert "Rapporto di monitoraggio" in text
    assert "Narrativa del secondo semestre." in text
    assert "42" in text  # hires add up: 12 in the first semester, 30 in the second
    english = _pdf_text(b"".join(client.get(f"/en/monitoraggio/rapporti/{cycle.pk}.pdf").streaming_content))
    assert "Monitoring report" in english
    assert set(CycleReport.objects.filter(cycle=cycle).values_list("language", flat=True)) == {"it", "en"}


def test_the_pdf_is_built_once_then_served_as_kept(client, torino, reported):
    cycle = _cycle(torino)
    client.get(f"/monitoraggio/rapporti/{cycle.pk}.pdf")
    kept = CycleReport.objects.get(cycle=cycle, language="it")
    client.get(f"/monitoraggio/rapporti/{cycle.pk}.pdf")
    assert CycleReport.objects.get(cycle=cycle, language="it").built_at == kept.built_at


def test_the_task_builds_every_language_and_replaces_the_old_file(torino, reported):
    cycle = _cycle(torino)
    result = build_cycle_report.enqueue(cycle.pk)
    assert result.is_finished and set(result.return_value) == {"it", "en"}
    first = CycleReport.objects.get(cycle=cycle, language="it")
    old_name = first.file.name
    build_cycle_report.enqueue(cycle.pk)
    again = CycleReport.objects.get(cycle=cycle, language="it")
    assert again.built_at > first.built_at
    assert CycleReport.objects.filter(cycle=cycle).count() == 2
    if again.file.name != old_name:
        assert not again.file.storage.exists(old_name)


def test_the_daily_task_rebuilds_open_cycles_only(torino, reported):
    open_cycle = _cycle(torino)
    closed = _cycle(torino, closed=True)
    assert build_open_cycle_reports.enqueue().return_value == {"reports": 2}
    assert CycleReport.objects.filter(cycle=open_cycle).count() == 2
    assert not CycleReport.objects.filter(cycle=closed).exists()


def test_the_command_refuses_unknown_cycles_and_builds_known_ones(torino, reported):
    with pytest.raises(CommandError, match="No monitoring cycle with id 999"):
        call_command("build_report", "999")
    with pytest.raises(CommandError, match="--open"):
        call_command("build_report")
    cycle = _cycle(torino)
    call_command("build_report", str(cycle.pk))
    assert CycleReport.objects.filter(cycle=cycle).count() == 2


def test_closing_a_cycle_in_the_back_office_builds_its_final_report(client, torino, reported, roles):
    cycle = _cycle(torino)
    client.force_login(roles.editor)
    response = client.post(
        "/admin/monitoring/cycle/", {"action": "close_cycles", "_selected_action": [cycle.pk]}, follow=True
    )
    assert response.status_code == 200
    cycle.refresh_from_db()
    assert cycle.closed_at is not None
    assert CycleReport.objects.filter(cycle=cycle).count() == 2


def test_a_cycle_of_another_plan_or_unknown_is_not_found(client, torino):
    assert client.get("/monitoraggio/rapporti/999/").status_code == 404
    assert client.get("/monitoraggio/rapporti/999.pdf").status_code == 404


def test_the_report_page_runs_the_same_queries_with_ten_times_the_indicators(client, torino, roles, reporter):
    cycle = _cycle(torino, ends_on=H2_2025)
    grow(torino, copies=1, reporters=[reporter])
    before = count_queries(client, f"/monitoraggio/rapporti/{cycle.pk}/")
    grow(torino, copies=10, reporters=[reporter])
    after = count_queries(client, f"/monitoraggio/rapporti/{cycle.pk}/")
    assert after == before


@pytest.mark.browser
@pytest.mark.parametrize("language", ["it", "en"])
def test_report_pages_are_accessible_on_desktop_and_phone(live_server, open_page, axe, torino, reported, language):
    cycle = _cycle(torino, ends_on=H2_2025)
    prefix = "/en" if language == "en" else ""
    for path in ("/monitoraggio/rapporti/", f"/monitoraggio/rapporti/{cycle.pk}/"):
        for viewport in (DESKTOP, PHONE):
            page = open_page(live_server.url + prefix + path, viewport=viewport)
            violations = axe(page)
            assert not violations, f"{path} at {viewport['width']}px:\n{describe_violations(violations)}"
            if viewport is PHONE:
                widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                assert widths[0] <= widths[1], f"{path} scrolls sideways on a phone: {widths[0]}px > {widths[1]}px"


def test_every_indicator_of_a_small_plan_has_its_chart_in_the_pdf(torino, roles, reporter):
    grow(torino, copies=1, reporters=[reporter])
    cycle = _cycle(torino, ends_on=H2_2025)
    found = cycle_report(cycle=cycle, today=date(2026, 1, 31))
    sections = [*found.plan_indicators, *(section for theme in found.themes for section in theme.indicators)]
    assert all(not section.as_line for section in sections)
    with translation.override("it"):
        document = report_html(found, base_url="https://example.org")
    with_values = [section for section in sections if section.progress.points]
    assert document.count('class="indicator-chart-svg"') == len(with_values) > 0


def test_a_large_plans_action_indicators_are_lines_with_a_sparkline_on_the_page_not_in_the_pdf(
    client, torino, roles, reporter, monkeypatch
):
    monkeypatch.setattr(report_module, "FULL_SECTIONS_UP_TO", 10)
    grow(torino, copies=1, reporters=[reporter])
    cycle = _cycle(torino, ends_on=H2_2025)
    on_action = Indicator.objects.filter(plan=torino, action__isnull=False).first()
    page = client.get(f"/monitoraggio/rapporti/{cycle.pk}/").content.decode()
    line = page.split(f'href="/monitoraggio/indicatori/{on_action.code}/"', 1)[1].split("</li>", 1)[0]
    assert 'class="report-spark"' in line and "<polyline" in line
    found = cycle_report(cycle=cycle, today=date(2026, 1, 31))
    with translation.override("it"):
        document = report_html(found, base_url="https://example.org")
    assert f'href="/monitoraggio/indicatori/{on_action.code}/"' in document
    assert 'class="report-spark"' not in document
    # The objective's indicator, which adds up its actions', keeps its full chart.
    assert document.count('class="indicator-chart-svg"') >= 2


def test_the_api_lists_cycles_with_the_addresses_of_their_reports(client, torino):
    cycle = _cycle(torino, closed=True)
    body = client.get("/api/v1/cycles").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["id"], item["title_en"], item["ends_on"]) == (cycle.pk, "First semester 2025", "2025-06-30")
    assert item["closed_at"] is not None
    assert item["report_it"] == f"http://testserver/monitoraggio/rapporti/{cycle.pk}/"
    assert item["pdf_en"] == f"http://testserver/en/monitoraggio/rapporti/{cycle.pk}.pdf"
    assert client.get("/api/v1/cycles?plan=nessuno").status_code == 404
