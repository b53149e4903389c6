"""The stored rankings: the best organizations of every open opportunity, as the current algorithm ranks them.

Pages rank live; the stored rows are what alerts and the API read, and what a
change compares against. `rematch_opportunity` replaces one opportunity's rows;
`rematch_organization` re-ranks the open opportunities whose stored list the
organization enters or leaves; `rematch_all` redoes every open opportunity and
drops the rows of the others.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from itertools import islice

from django.db import transaction
from django.utils import timezone

from socialplan.ecosystem.models import Organization
from socialplan.opportunities.models import Opportunity

from .engine import ALGORITHM, best_organizations, eligible_rows, prefetched, rank_opportunities, rank_organizations
from .features import OrganizationArrays, open_opportunities, opportunity_features, organization_index
from .models import Match

STORED_PER_OPPORTUNITY = 50
# The full re-rank is spread over this many processes (the machine's cores are few), in slices of this many
# opportunities, when there are at least `PARALLEL_FROM`: below, forking costs more than it saves.
WORKERS = 2
SLICE = 250
PARALLEL_FROM = 500
BATCH = 5000


def rematch_opportunity(opportunity: Opportunity) -> list[int]:
    """Store the best organizations of one opportunity; returns the ids that entered its list."""
    matches = rank_organizations(opportunity, limit=STORED_PER_OPPORTUNITY, explain_reasons=False)
    now = timezone.now()
    with transaction.atomic():
        before = set(Match.objects.filter(opportunity=opportunity).values_list("organization_id", flat=True))
        Match.objects.filter(opportunity=opportunity).delete()
        Match.objects.bulk_create(
            _rows(opportunity.pk, ((match.organization_id, match.score, match.components) for match in matches), now)
        )
    return [match.organization_id for match in matches if match.organization_id not in before]


def rematch_organization(organization: Organization) -> int:
    """Re-rank the open opportunities whose stored list the organization enters or leaves; returns how many."""
    open_ids = set(Opportunity.objects.filter(open_opportunities()).values_list("id", flat=True))
    if not open_ids:
        return 0
    scores = {match.opportunity_id: match.score for match in rank_opportunities(organization, limit=None)}
    stored = {}
    for opportunity_id, organization_id, score in Match.objects.filter(opportunity_id__in=open_ids).values_list(
        "opportunity_id", "organization_id", "score"
    ):
        entry = stored.setdefault(opportunity_id, {"lowest": score, "count": 0, "has": False})
        entry["lowest"] = min(entry["lowest"], score)
        entry["count"] += 1
        entry["has"] = entry["has"] or organization_id == organization.pk
    affected = []
    for opportunity_id in open_ids:
        entry = stored.get(opportunity_id, {"lowest": 0.0, "count": 0, "has": False})
        score = scores.get(opportunity_id)
        enters = score is not None and (entry["count"] < STORED_PER_OPPORTUNITY or score >= entry["lowest"])
        if enters or entry["has"]:
            affected.append(opportunity_id)
    for opportunity in prefetched(Opportunity.objects.filter(id__in=affected)):
        rematch_opportunity(opportunity)
    return len(affected)


def _rows(opportunity_id: int, ranked: Iterable[tuple[int, float, dict]], now: datetime) -> list[Match]:
    return [
        Match(
            opportunity_id=opportunity_id,
            organization_id=organization_id,
            score=score,
            rank=rank,
            components=components,
            algorithm=ALGORITHM,
            computed_at=now,
        )
        for rank, (organization_id, score, components) in enumerate(ranked, start=1)
    ]


def rematch_all() -> dict[str, int]:
    """Every open opportunity re-ranked and its rows replaced, in one transaction; the rows of the others dropped.

    The ranking reads only the kept features, so the opportunities are ranked first (over `WORKERS` processes
    when they are many) and the rows written after, in batches: the database is locked for the writing only.
    """
    index = organization_index()
    on = timezone.localdate()
    work = [
        (opportunity.pk, opportunity_features(opportunity, index), eligible_rows(opportunity, on=on, index=index))
        for opportunity in prefetched(Opportunity.objects.filter(open_opportunities()).order_by("id"))
    ]
    ranked = _rank_in_processes(work, index.arrays) if len(work) >= PARALLEL_FROM else _rank(work, index.arrays)
    now = timezone.now()
    with transaction.atomic():
        dropped, _ = Match.objects.exclude(opportunity__in=Opportunity.objects.filter(open_opportunities())).delete()
        ids = [pk for pk, _ in ranked]
        for start in range(0, len(ids), 1000):
            Match.objects.filter(opportunity_id__in=ids[start : start + 1000]).delete()
        rows = (row for pk, best in ranked for row in _rows(pk, best, now))
        while batch := list(islice(rows, BATCH)):
            Match.objects.bulk_create(batch)
    return {"opportunities": len(ranked), "dropped": dropped}


def _rank(work: list[tuple], arrays: OrganizationArrays) -> list[tuple[int, list]]:
    return [
        (pk, best_organizations(features, eligible, arrays, limit=STORED_PER_OPPORTUNITY))
        for pk, features, eligible in work
    ]


# What the forked processes rank: set before they are forked, so they inherit it instead of receiving it.
_forked: tuple[list[tuple], OrganizationArrays] | None = None


def _rank_slice(start: int) -> list[tuple[int, list]]:
    assert _forked is not None
    work, arrays = _forked
    return _rank(work[start : start + SLICE], arrays)


def _rank_in_processes(work: list[tuple], arrays: OrganizationArrays) -> list[tuple[int, list]]:
    """`_rank` spread over forked processes; they never touch the database (nor the connection they inherit)."""
    global _forked
    _forked = (work, arrays)
    try:
        with ProcessPoolExecutor(max_workers=WORKERS, mp_context=multiprocessing.get_context("fork")) as pool:
            return [item for part in pool.map(_rank_slice, range(0, len(work), SLICE)) for item in part]
    finally:
        _forked = None
