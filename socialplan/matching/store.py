"""The stored rankings: the best organizations of every open opportunity, as the current algorithm ranks them.

Pages rank live; the stored rows are what alerts and the API read, and what a
change compares against. `rematch_opportunity` replaces one opportunity's rows;
`rematch_organization` re-ranks the open opportunities whose stored list the
organization enters or leaves; `rematch_all` redoes every open opportunity and
drops the rows of the others.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from socialplan.ecosystem.models import Organization
from socialplan.opportunities.models import Opportunity

from .engine import ALGORITHM, prefetched, rank_opportunities, rank_organizations
from .features import open_opportunities
from .models import Match

STORED_PER_OPPORTUNITY = 50


def rematch_opportunity(opportunity: Opportunity) -> list[int]:
    """Store the best organizations of one opportunity; returns the ids that entered its list."""
    matches = rank_organizations(opportunity, limit=STORED_PER_OPPORTUNITY, explain_reasons=False)
    now = timezone.now()
    with transaction.atomic():
        before = set(Match.objects.filter(opportunity=opportunity).values_list("organization_id", flat=True))
        Match.objects.filter(opportunity=opportunity).delete()
        Match.objects.bulk_create(
            Match(
                opportunity=opportunity,
                organization_id=match.organization_id,
                score=match.score,
                rank=rank,
                components=match.components,
                algorithm=ALGORITHM,
                computed_at=now,
            )
            for rank, match in enumerate(matches, start=1)
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


def rematch_all() -> dict[str, int]:
    """Every open opportunity re-ranked; the rows of the others dropped."""
    opportunities = 0
    for opportunity in prefetched(Opportunity.objects.filter(open_opportunities()).order_by("id")).iterator(
        chunk_size=200
    ):
        rematch_opportunity(opportunity)
        opportunities += 1
    dropped, _ = Match.objects.exclude(opportunity__in=Opportunity.objects.filter(open_opportunities())).delete()
    return {"opportunities": opportunities, "dropped": dropped}
