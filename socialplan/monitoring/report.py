"""The monitoring report of a cycle: what the plan office publishes at the end of each monitoring round.

One read (`cycle_report`) feeds the web page and the PDF, so they say the
same: a summary, progress per theme, every indicator with its chart (the
page's own SVG, `charts.py`), status and the reporters' narratives, the late
actions and the organizations' pledges. Values are those approved for periods
that end by the end of the cycle's window, so the report of a past cycle
does not change when later periods are reported.

The PDF (WeasyPrint) is a document with a date: `build_pdf` renders it and
`store_pdf` keeps it as a `CycleReport` file, rebuilt by the background task
`build_cycle_reports` when the cycle closes, every day while it is open, and
on demand (the back office's "build the report" action, `manage.py
build_report`). The web page is always the live reading.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from socialplan.ecosystem.models import Pledge
from socialplan.ecosystem.selectors import pledges_with_progress, progress_percent

from .charts import Chart, Sparkline, sparkline
from .cycles import cycle_status
from .models import Cycle, CycleReport, Indicator, Update
from .public import Overview, chart_of, level_order, overview
from .rollup import ProgressStatus
from .selectors import IndicatorProgress, assess_indicator

REPORT_CSS = "css/report.css"
# Up to this many indicators every one has its own section with its chart; beyond it (a plan that measures
# each of hundreds of actions) the actions' indicators are a line each, so that the PDF prints in seconds.
FULL_SECTIONS_UP_TO = 200


@dataclass(frozen=True)
class Narrative:
    """What a reporter wrote with an approved value: who, for which period, and the text."""

    author: str
    period_end: date
    text: str


@dataclass
class IndicatorSection:
    """An indicator in the report: a section with its chart, or, for an action's indicator in a large plan, a line
    with a sparkline (a 1,500-indicator plan would otherwise make a report of a thousand pages)."""

    progress: IndicatorProgress
    chart: Chart | None
    spark: Sparkline | None
    narratives: list[Narrative]
    as_line: bool = False

    @property
    def indicator(self) -> Indicator:
        return self.progress.indicator


@dataclass
class ThemeSection:
    title: str
    url: str
    progress: Decimal | None
    actions: int
    indicators: list[IndicatorSection]

    @property
    def headline(self) -> list[IndicatorSection]:
        """The indicators shown in full: all of them, but for the lines of a large plan's actions."""
        return [section for section in self.indicators if not section.as_line]

    @property
    def of_actions(self) -> list[IndicatorSection]:
        """The actions' indicators shown as lines (a plan with more than FULL_SECTIONS_UP_TO indicators)."""
        return [section for section in self.indicators if section.as_line]

    @property
    def action_narratives(self) -> list[IndicatorSection]:
        return [section for section in self.of_actions if section.narratives]


@dataclass(frozen=True)
class Reporting:
    """How the cycle's reporting went: obligations met, waiting for review, outstanding."""

    owed: int
    reported: int
    waiting_for_review: int
    missing: int
    late: bool


@dataclass
class Report:
    cycle: Cycle
    today: date
    overview: Overview
    plan_indicators: list[IndicatorSection]
    themes: list[ThemeSection]
    indicator_statuses: list[tuple[str, str, int]]
    reporting: Reporting
    pledges: list[Pledge]
    has_demo_values: bool

    @property
    def provisional(self) -> bool:
        return self.cycle.closed_at is None

    @property
    def indicator_count(self) -> int:
        return self.overview.indicator_count


def cycle_report(*, cycle: Cycle, today: date) -> Report:
    """Everything the report of `cycle` shows, read in a fixed number of queries whatever the plan's size."""
    plan = cycle.plan
    found = overview(plan=plan, today=today)
    narratives = _narratives(cycle)
    large = found.indicator_count > FULL_SECTIONS_UP_TO

    def section(item: IndicatorProgress) -> IndicatorSection:
        progress = _as_of(item, cycle.ends_on)
        as_line = large and progress.indicator.action_id is not None
        values = [point.value for point in progress.points if point.value is not None]
        return IndicatorSection(
            progress=progress,
            chart=None if as_line else chart_of(progress),
            spark=sparkline(values, target=progress.indicator.target_value) if as_line else None,
            narratives=narratives.get(progress.indicator.pk, []),
            as_line=as_line,
        )

    plan_indicators = [section(item) for item in found.without_theme]
    themes = [
        ThemeSection(
            title=str(item.theme.title),
            url=item.theme.get_absolute_url(),
            progress=item.progress,
            actions=item.actions,
            indicators=[section(indicator) for indicator in sorted(item.indicators, key=level_order)],
        )
        for item in found.themes
    ]
    statuses = Counter(
        section.progress.assessment.status
        for section in [*plan_indicators, *(section for theme in themes for section in theme.indicators)]
    )
    status = cycle_status(cycle=cycle, today=today)
    pledges = list(
        pledges_with_progress()
        .filter(action__objective__theme__plan=plan)
        .exclude(status=Pledge.Status.WITHDRAWN)
        .select_related("organization", "action")
        .order_by("action__objective__theme__order", "action__code", "due_date", "pk")
    )
    for pledge in pledges:
        pledge.percent = progress_percent(achieved=pledge.achieved, quantity=pledge.quantity)  # type: ignore[attr-defined]
    return Report(
        cycle=cycle,
        today=today,
        overview=found,
        plan_indicators=plan_indicators,
        themes=themes,
        indicator_statuses=[(value, str(label), statuses[value]) for value, label in ProgressStatus.choices],
        reporting=Reporting(
            owed=len(status.obligations),
            reported=len(status.reported),
            waiting_for_review=len(status.waiting_for_review),
            missing=len(status.missing),
            late=status.is_late,
        ),
        pledges=pledges,
        has_demo_values=found.has_demo_values,
    )


def _as_of(item: IndicatorProgress, day: date) -> IndicatorProgress:
    """The indicator as it stood at `day`: points of later periods left out, status assessed again."""
    points = [point for point in item.points if point.period.end <= day]
    if len(points) == len(item.points):
        return item
    return IndicatorProgress(
        indicator=item.indicator, points=points, assessment=assess_indicator(item.indicator, points)
    )


def _narratives(cycle: Cycle) -> dict[int, list[Narrative]]:
    """The narratives of approved updates for periods that end in the cycle's window, per indicator. One query."""
    found: dict[int, list[Narrative]] = {}
    rows = (
        Update.objects.filter(
            period__indicator__plan=cycle.plan,
            status=Update.Status.APPROVED,
            period__end__gte=cycle.starts_on,
            period__end__lte=cycle.ends_on,
        )
        .exclude(narrative="")
        .select_related("organization", "period")
        .order_by("period__indicator_id", "period__end", "organization__legal_name", "pk")
    )
    for update in rows:
        author = update.organization.legal_name if update.organization_id else str(translation.gettext("A reporter"))
        found.setdefault(update.period.indicator_id, []).append(
            Narrative(author=author, period_end=update.period.end, text=update.narrative)
        )
    return found


# The PDF ---------------------------------------------------------------


@cache
def _stylesheet() -> str:
    path = finders.find(REPORT_CSS)
    if path is None:  # pragma: no cover - the file is in the repository
        raise FileNotFoundError(REPORT_CSS)
    return Path(str(path)).read_text(encoding="utf-8")


def report_html(report: Report, *, base_url: str) -> str:
    """The report as a standalone HTML document for the PDF, in the active language."""
    return render_to_string(
        "monitoring/report_pdf.html",
        {"report": report, "stylesheet": _stylesheet(), "base_url": base_url, "pdf": True},
    )


def build_pdf(*, cycle: Cycle, language: str, today: date | None = None) -> bytes:
    """The report of `cycle` as a PDF in `language` ("it" or "en")."""
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF needs

    base_url = settings.PORTAL_BASE_URL
    with translation.override(language):
        report = cycle_report(cycle=cycle, today=today or timezone.localdate())
        html = report_html(report, base_url=base_url)
    return HTML(string=html, base_url=base_url).write_pdf()  # type: ignore[no-any-return]


def store_pdf(*, cycle: Cycle, language: str, today: date | None = None) -> CycleReport:
    """Build the PDF and keep it, replacing the cycle's previous one in that language."""
    content = build_pdf(cycle=cycle, language=language, today=today)
    with transaction.atomic():
        stored, _ = CycleReport.objects.select_for_update().get_or_create(cycle=cycle, language=language)
        old = stored.file.name if stored.file else None
        stored.file.save(f"report-{cycle.plan.slug}-{cycle.pk}-{language}.pdf", ContentFile(content), save=False)
        stored.built_at = timezone.now()
        stored.size = len(content)
        stored.save()
    if old and old != stored.file.name:
        stored.file.storage.delete(old)
    return stored


def report_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]
