"""The matcher in the API: an opportunity's ranked organizations (public), my organization's opportunities.

The public list shows what the opportunity page shows: only eligible
organizations, public fields, each score with its components and reasons, and
the consortium suggestions. `/me/opportunities` needs the session of a member
of the organization asked for.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import P, PathEx, QueryEx, Router, Schema
from ninja.errors import HttpError

from socialplan.api.auth import session_auth
from socialplan.api.errors import DENIED, INVALID, NOT_FOUND
from socialplan.api.params import BIGINT_MAX
from socialplan.ecosystem.models import Membership, Organization
from socialplan.opportunities.models import Opportunity

from .consortia import Suggestions, suggest_consortia
from .engine import ALGORITHM, Match, prefetched, rank_opportunities, rank_organizations

router = Router(tags=["matching"])

Id = P(ge=1, le=BIGINT_MAX)


class ReasonOut(Schema):
    component: str
    score: float
    text: str


class MatchOut(Schema):
    organization_id: int
    opportunity_id: int
    name: str
    title: str
    score: float
    components: dict[str, float | None]
    eligibility: list[str]
    reasons: list[ReasonOut]


class MemberOut(Schema):
    organization_id: int
    name: str
    score: float


class AssignmentOut(Schema):
    need: str
    member: str
    capability: str


class GroupOut(Schema):
    members: list[MemberOut]
    assignments: list[AssignmentOut]
    score: float


class ConsortiaOut(Schema):
    applies: bool
    needs: list[str]
    single: list[MemberOut]
    groups: list[GroupOut]


class OrganizationsForOut(Schema):
    algorithm: str
    opportunity_id: int
    organizations: list[MatchOut]
    consortia: ConsortiaOut


class OpportunitiesForOut(Schema):
    algorithm: str
    organization_id: int
    opportunities: list[MatchOut]


def _match(match: Match) -> dict[str, Any]:
    return {
        "organization_id": match.organization_id,
        "opportunity_id": match.opportunity_id,
        "name": match.name,
        "title": match.title,
        "score": match.score,
        "components": match.components,
        "eligibility": list(match.eligibility),
        "reasons": [vars(reason) for reason in match.reasons],
    }


def _consortia(suggestions: Suggestions) -> dict[str, Any]:
    return {
        "applies": suggestions.applies,
        "needs": [need.label for need in suggestions.needs],
        "single": [vars(member) for member in suggestions.single],
        "groups": [
            {
                "members": [vars(member) for member in group.members],
                "assignments": [vars(assignment) for assignment in group.assignments],
                "score": group.score,
            }
            for group in suggestions.groups
        ],
    }


@router.get(
    "/opportunities/{opportunity_id}/organizations",
    response={200: OrganizationsForOut, **NOT_FOUND, **INVALID},
    summary="The eligible organizations ranked for an opportunity, with the reasons, and suggested consortia",
)
def organizations_for(
    request: HttpRequest,
    opportunity_id: PathEx[int, Id],
    limit: QueryEx[int, P(ge=1, le=50, description="How many organizations, best first.")] = 20,
) -> dict[str, Any]:
    opportunity = prefetched(Opportunity.objects.filter(pk=opportunity_id)).first()
    if opportunity is None:
        raise HttpError(404, f"No opportunity with identifier {opportunity_id!r}.")
    return {
        "algorithm": ALGORITHM,
        "opportunity_id": opportunity.pk,
        "organizations": [_match(match) for match in rank_organizations(opportunity, limit=limit)],
        "consortia": _consortia(suggest_consortia(opportunity)),
    }


@router.get(
    "/me/opportunities",
    response={200: OpportunitiesForOut, **DENIED, **NOT_FOUND, **INVALID},
    auth=session_auth,
    summary="The open opportunities my organization may answer, ranked, with eligibility and reasons",
    description="Logged-in users only, with their session; for an organization of which they are an approved member.",
)
def opportunities_for(
    request: HttpRequest,
    organization: QueryEx[int, P(ge=1, le=BIGINT_MAX, description="The organization's id.")],
    limit: QueryEx[int, P(ge=1, le=200, description="How many opportunities, best first.")] = 50,
) -> dict[str, Any]:
    found = Organization.objects.filter(pk=organization).first()
    if found is None:
        raise HttpError(404, f"No organization with identifier {organization!r}.")
    member = Membership.objects.filter(
        user_id=request.user.pk, organization=found, status=Membership.Status.APPROVED
    ).exists()
    if not member:
        raise HttpError(403, "Only an approved member of the organization may see its matches.")
    return {
        "algorithm": ALGORITHM,
        "organization_id": found.pk,
        "opportunities": [_match(match) for match in rank_opportunities(found, limit=limit)],
    }
