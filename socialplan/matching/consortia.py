"""Consortium suggestions: small groups of eligible organizations that together cover what one cannot.

An opportunity's needs are its lots (each with its CPV codes) or, without lots,
its CPV codes. An organization covers a need when one of its CPV capabilities
is at least in the same CPV class as one of the need's codes. When no single
eligible organization covers every need, groups of 2 to 4 eligible
organizations that do are searched among the best few for each need, kept only
when minimal (no member can leave without a need left uncovered) and ranked by
size, then by the mean of the members' match scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from django.utils import timezone
from django.utils.translation import gettext as _

from socialplan.opportunities.models import Opportunity

from .affinity import SHARED_LEVEL, cpv_affinity
from .engine import components_of, cpv_labels, eligible_ids, total
from .features import OpportunityFeatures, OrganizationFeatures, opportunity_features, organization_index

COVERS_FROM = SHARED_LEVEL[4]
PER_NEED = 6
MAX_SIZE = 4


@dataclass(frozen=True)
class Need:
    label: str
    cpv: tuple[str, ...]


@dataclass(frozen=True)
class Member:
    organization_id: int
    name: str
    score: float


@dataclass(frozen=True)
class Assignment:
    need: str
    member: str
    capability: str


@dataclass(frozen=True)
class Group:
    members: tuple[Member, ...]
    assignments: tuple[Assignment, ...]
    score: float


@dataclass
class Suggestions:
    needs: list[Need] = field(default_factory=list)
    single: list[Member] = field(default_factory=list)  # organizations that cover every need alone
    groups: list[Group] = field(default_factory=list)

    @property
    def applies(self) -> bool:
        """A consortium is worth suggesting: several needs and nobody covers them all."""
        return len(self.needs) > 1 and not self.single


def needs_of(features: OpportunityFeatures, labels: dict[str, str]) -> list[Need]:
    lots = [lot for lot in features.lots if lot.cpv]
    if lots:
        return [
            Need(label=_("Lot %(number)s: %(title)s") % {"number": lot.number, "title": lot.title}, cpv=lot.cpv)
            for lot in lots
        ]
    return [Need(label=f"CPV {code} {labels.get(code, '')}".strip(), cpv=(code,)) for code in features.cpv]


def covering_capability(organization: OrganizationFeatures, need: Need) -> str | None:
    best, found = 0.0, None
    for wanted in need.cpv:
        for capability in organization.cpv:
            score = cpv_affinity(wanted, capability)[0]
            if score >= COVERS_FROM and score > best:
                best, found = score, capability
    return found


def suggest_consortia(opportunity: Opportunity, *, on: date | None = None, limit: int = 5) -> Suggestions:
    on = on or timezone.localdate()
    index = organization_index()
    features = opportunity_features(opportunity, index)
    labels = cpv_labels(features.cpv)
    needs = needs_of(features, labels)
    suggestions = Suggestions(needs=needs)
    if len(needs) < 2:
        return suggestions
    eligible = eligible_ids(opportunity, on=on, index=index)
    organizations = index.organizations
    candidates: set[int] = set()
    for need in needs:
        for code in need.cpv:
            candidates |= index.by_cpv_division.get(code[:2], set())
    candidates &= eligible

    covers: dict[int, dict[int, str]] = {}
    for pk in candidates:
        organization = organizations.get(pk)
        if organization is None:
            continue
        found = {}
        for position, need in enumerate(needs):
            capability = covering_capability(organization, need)
            if capability:
                found[position] = capability
        if found:
            covers[pk] = found
    scores = {pk: total(components_of(organizations[pk], features)) for pk in covers}

    def member(pk: int) -> Member:
        return Member(organization_id=pk, name=organizations[pk].name, score=scores[pk])

    everything = set(range(len(needs)))
    single = sorted((pk for pk, found in covers.items() if set(found) == everything), key=lambda pk: -scores[pk])
    if single:
        suggestions.single = [member(pk) for pk in single[:limit]]
        return suggestions

    pool: set[int] = set()
    for position in range(len(needs)):
        able = sorted((pk for pk, found in covers.items() if position in found), key=lambda pk: (-scores[pk], pk))
        pool.update(able[:PER_NEED])
    masks = {pk: sum(1 << position for position in covers[pk]) for pk in pool}
    full = (1 << len(needs)) - 1
    groups: list[tuple[int, float, tuple[int, ...]]] = []
    ordered = sorted(pool, key=lambda pk: (-scores[pk], pk))
    for size in range(2, MAX_SIZE + 1):
        for combo in combinations(ordered, size):
            mask = 0
            for pk in combo:
                mask |= masks[pk]
            if mask != full:
                continue
            minimal = all(_union(masks, [other for other in combo if other != pk]) != full for pk in combo)
            if minimal:
                groups.append((size, sum(scores[pk] for pk in combo) / size, combo))
    groups.sort(key=lambda item: (item[0], -item[1], item[2]))
    groups = groups[:limit]
    labels.update(cpv_labels({code for _, _, combo in groups for pk in combo for code in covers[pk].values()}))
    for _size, mean, combo in groups:
        assignments = []
        for position, need in enumerate(needs):
            pk = max((pk for pk in combo if position in covers[pk]), key=lambda pk: scores[pk])
            capability = covers[pk][position]
            assignments.append(
                Assignment(
                    need=need.label,
                    member=organizations[pk].name,
                    capability=f"{capability} {labels.get(capability, '')}".strip(),
                )
            )
        suggestions.groups.append(
            Group(members=tuple(member(pk) for pk in combo), assignments=tuple(assignments), score=round(mean, 1))
        )
    return suggestions


def _union(masks: dict[int, int], members: list[int]) -> int:
    mask = 0
    for pk in members:
        mask |= masks[pk]
    return mask
