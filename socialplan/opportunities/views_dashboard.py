"""The public dashboard: value awarded, the share to the social economy, social clauses and social value."""

from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import dashboard as figures

# The bar chart of the share awarded to the social economy, drawn on the server (no script, no inline style).
CHART_LEFT, CHART_WIDTH, ROW_HEIGHT = 60, 400, 32


@dataclass(frozen=True)
class Bar:
    year: int
    y: int
    width: Decimal
    share: Decimal


def _bars(years: list[figures.YearFigures]) -> list[Bar]:
    return [
        Bar(
            year=item.year or 0,
            y=index * ROW_HEIGHT,
            width=(item.social_economy_share or Decimal("0")) * CHART_WIDTH / 100,
            share=item.social_economy_share or Decimal("0"),
        )
        for index, item in enumerate(years)
        if item.awards
    ]


def dashboard(request: HttpRequest) -> HttpResponse:
    found = figures.dashboard()
    bars = _bars(found.years)
    chart = {
        "bars": bars,
        "left": CHART_LEFT,
        "width": CHART_LEFT + CHART_WIDTH + 70,
        "height": len(bars) * ROW_HEIGHT,
        "full": CHART_WIDTH,
        "text_x": CHART_LEFT + CHART_WIDTH + 8,
    }
    return render(request, "opportunities/dashboard.html", {"dashboard": found, "chart": chart})
