"""An indicator's chart as geometry for an SVG drawn on the server.

The same markup serves the web page and the PDF report, needs no JavaScript
(the portal's CSP allows none inline) and sits beside a data table that says
the same in words: the chart is decoration for those who can see it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

WIDTH = 640
HEIGHT = 280
LEFT = 64  # room for the value labels
RIGHT = 24
TOP = 20
BOTTOM = 40  # room for the period labels
TICKS = 4


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str
    value: str


@dataclass(frozen=True)
class Line:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    bottom: float
    points: list[ChartPoint]
    polyline: str
    ticks: list[Line]
    target: Line | None
    baseline: Line | None


def _text(value: Decimal) -> str:
    return number_format(value.normalize() if value == value.to_integral() else round(value, 2), use_l10n=True)


def _nice_step(span: Decimal) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) that divides `span` in about TICKS parts."""
    raw = span / TICKS
    power = Decimal(10) ** (raw.adjusted())
    for factor in (1, 2, 5, 10):
        if power * factor >= raw:
            return power * factor
    return power * 10


def line_chart(
    values: list[tuple[str, Decimal]], *, target: Decimal | None = None, baseline: Decimal | None = None
) -> Chart | None:
    """Points (label, value) joined by a line, with the target and the baseline as horizontal lines.

    None when there is nothing to draw. The value axis starts at zero unless
    a value is negative, so bars of progress are not exaggerated.
    """
    if not values:
        return None
    everything = [value for _, value in values] + [line for line in (target, baseline) if line is not None]
    low = min(Decimal(0), *everything)
    high = max(everything)
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    low = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    high = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def y_of(value: Decimal) -> float:
        return round(TOP + plot_height * float((high - value) / (high - low)), 1)

    gap = plot_width / max(len(values) - 1, 1)
    points = [
        ChartPoint(
            x=round(LEFT + (gap * index if len(values) > 1 else plot_width / 2), 1),
            y=y_of(value),
            label=label,
            value=_text(value),
        )
        for index, (label, value) in enumerate(values)
    ]
    ticks = []
    tick = low
    while tick <= high:
        ticks.append(Line(y=y_of(tick), label=_text(tick)))
        tick += step
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        bottom=HEIGHT - BOTTOM,
        points=points,
        polyline=" ".join(f"{point.x},{point.y}" for point in points),
        ticks=ticks,
        target=Line(y=y_of(target), label=_text(target)) if target is not None else None,
        baseline=Line(y=y_of(baseline), label=_text(baseline)) if baseline is not None else None,
    )


SPARK_WIDTH = 120
SPARK_HEIGHT = 28
SPARK_PAD = 3


@dataclass(frozen=True)
class Sparkline:
    """A word-sized line of an indicator's values, with its target as a dashed line when it is in range."""

    width: int
    height: int
    polyline: str
    last_x: float
    last_y: float
    target_y: float | None


def sparkline(values: list[Decimal], *, target: Decimal | None = None) -> Sparkline | None:
    """The values from first to last in a small box, the axis from the lowest to the highest (target included).

    None without values. Drawn beside the figures it summarises, never alone.
    """
    if not values:
        return None
    everything = [*values, *([target] if target is not None else [])]
    low, high = min(everything), max(everything)
    if high == low:
        high = low + 1
    inner_width, inner_height = SPARK_WIDTH - 2 * SPARK_PAD, SPARK_HEIGHT - 2 * SPARK_PAD

    def y_of(value: Decimal) -> float:
        return round(SPARK_PAD + inner_height * float((high - value) / (high - low)), 1)

    step = inner_width / max(len(values) - 1, 1)
    points = [
        (round(SPARK_PAD + (step * index if len(values) > 1 else inner_width / 2), 1), y_of(value))
        for index, value in enumerate(values)
    ]
    return Sparkline(
        width=SPARK_WIDTH,
        height=SPARK_HEIGHT,
        polyline=" ".join(f"{x},{y}" for x, y in points),
        last_x=points[-1][0],
        last_y=points[-1][1],
        target_y=y_of(target) if target is not None else None,
    )
