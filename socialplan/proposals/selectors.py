"""Reading proposals for the pages: lists with their support counts, the counts by status, the most supported."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from socialplan.participation.models import Process

from .models import Proposal, ProposalSupport

SORTS = {
    "recenti": ("-created_at", "-pk"),
    "sostegni": ("-support_count", "-created_at", "-pk"),
}
DEFAULT_SORT = "recenti"


def for_lists(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """What a proposal's card shows besides its own row (its support count is kept on it: counters.py)."""
    return proposals.select_related("theme", "author__participant_profile", "process")


def proposals_of(
    *, process: Process, theme_code: str = "", status: str = "", sort: str = DEFAULT_SORT
) -> QuerySet[Proposal]:
    proposals = process.proposals.all()
    if theme_code:
        proposals = proposals.filter(theme__code=theme_code)
    if status:
        proposals = proposals.filter(status=status)
    return for_lists(proposals).order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def status_counts(*, process: Process) -> dict[str, int]:
    """Proposals by status, every status present (zero when none)."""
    counts = dict.fromkeys(Proposal.Status.values, 0)
    for row in process.proposals.order_by().values("status").annotate(count=Count("pk")):
        counts[row["status"]] = row["count"]
    return counts


def status_summary(*, process: Process) -> list[dict[str, Any]]:
    counts = status_counts(process=process)
    return [{"value": value, "label": label, "count": counts[value]} for value, label in Proposal.Status.choices]


def most_supported(*, process: Process, limit: int = 3) -> list[Proposal]:
    proposals = process.proposals.filter(hidden_at__isnull=True).exclude(status=Proposal.Status.WITHDRAWN)
    return list(for_lists(proposals).order_by(*SORTS["sostegni"])[:limit])


def supported_by(*, user: Any, proposals: list[Proposal]) -> set[int]:
    """The ids, among `proposals`, that `user` supports (one query whatever their number)."""
    if not getattr(user, "is_authenticated", False) or not proposals:
        return set()
    return set(
        ProposalSupport.objects.filter(user=user, proposal__in=[proposal.pk for proposal in proposals]).values_list(
            "proposal_id", flat=True
        )
    )
