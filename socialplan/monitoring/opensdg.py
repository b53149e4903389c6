"""Indicator data in the layout of Open SDG (open-sdg.org): one CSV per indicator, its metadata, a zip of all.

The CSV has a `Year` column, one column per disaggregation dimension and a
`Value` column (Open SDG's data format): the row with every dimension empty is
the headline series, the others its breakdown. One row per year: the value
at the end of the year's last period with approved data, as the chart shows
it. The breakdown is what was reported within that period (a level), or for a
cumulative indicator since the first report (a running total without the
baseline, which has no breakdown). The metadata is a Markdown file with YAML
front matter, as Open SDG's `meta/` folder holds them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from decimal import Decimal
from typing import Any

import yaml
from django.db.models import prefetch_related_objects

from socialplan.plan.models import Plan

from .models import Dimension, Indicator
from .rollup import Amount, total
from .selectors import IndicatorProgress, PeriodBreakdown, indicator_breakdown, indicator_family, indicator_progress

# libyaml's emitter when PyYAML was built with it (the wheels are): five times faster for 1,500 files.
SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = round(value, 4)
    return format(value.normalize() if value == value.to_integral() else value, "f")


def _year_ends(progress: IndicatorProgress) -> dict[int, Any]:
    """Per year, the last point with a value."""
    chosen: dict[int, Any] = {}
    for point in progress.points:
        if point.value is not None:
            chosen[point.period.end.year] = point
    return chosen


def csv_rows(progress: IndicatorProgress, breakdown: list[PeriodBreakdown]) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of an indicator's CSV."""
    indicator = progress.indicator
    dimensions: list[Dimension] = list(indicator.dimensions.all())
    header = ["Year", *(str(dimension.title) for dimension in dimensions), "Value"]
    by_period = {item.period.pk: item for item in breakdown}
    rows: list[list[str]] = []
    running: dict[Any, list[Amount]] = defaultdict(list)
    periods_seen: set[int] = set()
    for year, point in sorted(_year_ends(progress).items()):
        rows.append([str(year), *([""] * len(dimensions)), _plain(point.value)])
        if not dimensions:
            continue
        if indicator.cumulative:
            for item in breakdown:
                if item.period.end <= point.period.end and item.period.pk not in periods_seen:
                    periods_seen.add(item.period.pk)
                    for row in item.rows:
                        if row.amount is not None:
                            running[(row.dimension.pk, row.key.pk, type(row.key))].append(row.amount)
            amounts = {key: total(values) for key, values in running.items()}
            labelled = _labelled_rows(by_period, point, amounts)
        else:
            labelled = [
                (row.dimension, row.key, row.amount)
                for row in by_period[point.period.pk].rows
                if row.amount is not None
            ]
        for dimension, key, amount in labelled:
            value = amount.ratio(scale=indicator.scale) if indicator.is_percentage else amount.value
            if value is None:
                continue
            cells = [str(getattr(key, "label", None) or key.name) if d.pk == dimension.pk else "" for d in dimensions]
            rows.append([str(year), *cells, _plain(value)])
    return header, rows


def _labelled_rows(
    by_period: dict[int, PeriodBreakdown], point: Any, amounts: dict[Any, Amount | None]
) -> list[tuple[Any, Any, Amount]]:
    """The running totals of a cumulative indicator, in the order of the breakdown rows seen so far."""
    seen: dict[Any, tuple[Any, Any]] = {}
    for item in by_period.values():
        if item.period.end <= point.period.end:
            for row in item.rows:
                seen.setdefault((row.dimension.pk, row.key.pk, type(row.key)), (row.dimension, row.key))
    ordered = sorted(
        seen.items(), key=lambda entry: (entry[1][0].order, getattr(entry[1][1], "order", 0), str(entry[1][1]))
    )
    return [(dimension, key, amounts[k]) for k, (dimension, key) in ordered if amounts.get(k) is not None]


def indicator_csv(progress: IndicatorProgress, breakdown: list[PeriodBreakdown]) -> str:
    header, rows = csv_rows(progress, breakdown)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def metadata(progress: IndicatorProgress) -> str:
    """Open SDG metadata: YAML front matter in a Markdown file, the definition as its body."""
    indicator = progress.indicator
    fields = {
        "indicator_number": indicator.code,
        "indicator_name": str(indicator.title),
        "indicator_definition": str(indicator.definition),
        "reporting_status": "complete" if progress.points else "notstarted",
        "data_non_statistical": indicator.is_qualitative,
        "graph_type": "line",
        "graph_title": str(indicator.title),
        "computation_units": str(indicator.unit),
        "computation_calculations": str(indicator.method),
        "source_active_1": bool(indicator.source),
        "source_organisation_1": str(indicator.source),
        "national_indicator_description": str(indicator.definition),
        "baseline_year": indicator.baseline_year,
        "baseline_value": _plain(indicator.baseline_value) or None,
        "target_year": indicator.target_year,
        "target_value": _plain(indicator.target_value) or None,
        "direction": indicator.direction,
        "cumulative": indicator.cumulative,
        "progress_status": str(progress.assessment.status),
    }
    front = yaml.dump(fields, Dumper=SafeDumper, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{indicator.definition}\n"


def one_indicator(*, plan: Plan, indicator: Indicator) -> tuple[IndicatorProgress, list[PeriodBreakdown]]:
    progress = indicator_progress(plan=plan, indicator_ids=indicator_family(indicator))
    own = next(item for item in progress if item.indicator.pk == indicator.pk)
    return own, indicator_breakdown(indicator=indicator)


def all_indicators_zip(*, plan: Plan) -> bytes:
    """`data/indicator_<code>.csv` and `meta/<code>.md` for every indicator of the plan.

    An indicator's breakdown is read (seven queries) only when it has dimensions; the others cost nothing more.
    """
    buffer = io.BytesIO()
    everything = indicator_progress(plan=plan)
    prefetch_related_objects([progress.indicator for progress in everything], "dimensions")
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for progress in everything:
            indicator = progress.indicator
            breakdown = indicator_breakdown(indicator=indicator) if indicator.dimensions.all() else []
            archive.writestr(f"data/indicator_{indicator.code}.csv", indicator_csv(progress, breakdown))
            archive.writestr(f"meta/{indicator.code}.md", metadata(progress))
    return buffer.getvalue()
