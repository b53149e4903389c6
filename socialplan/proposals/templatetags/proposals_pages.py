"""Template helpers of the proposals: the summary on a process's page."""

from typing import Any

from django import template

from socialplan.participation.models import Opening, Process

from .. import selectors

register = template.Library()


@register.simple_tag
def proposals_summary(process: Process) -> dict[str, Any]:
    """Counts by status, the three most supported and whether proposals are collected today."""
    counts = selectors.status_summary(process=process)
    return {
        "counts": counts,
        "total": sum(row["count"] for row in counts),
        "top": selectors.most_supported(process=process, limit=3),
        "collecting": process.is_open_for(Opening.PROPOSALS),
    }
