"""What the matcher knows of organizations and opportunities, read once and kept in memory.

The organizations' features (capabilities, activities, comuni, workforce, past
awards, description vectors) and the inverted lists that find candidates are
built in a handful of streamed queries and kept per process until the
organizations' generation moves (`generations`): every change to an
organization, its activities, comuni or capabilities, or to an award, moves it.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from socialplan.ecosystem.models import AtecoActivity, CpvCode, Organization
from socialplan.opportunities.models import Opportunity
from socialplan.territory.models import Comune

from . import generations
from .affinity import ateco_cpv_table, ateco_division, cpv_prefix
from .text import Vocabulary, stems

CHUNK = 5000


@dataclass(slots=True)
class OrganizationFeatures:
    id: int
    name: str
    legal_form: str
    cpv: tuple[str, ...] = ()
    ateco: tuple[str, ...] = ()
    seat_comune: int | None = None
    comuni: frozenset[int] = frozenset()
    territories: frozenset[int] = frozenset()
    workforce: int | None = None
    awards_by_division: dict[str, int] = field(default_factory=dict)
    vector: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class LotFeatures:
    number: int
    title: str
    cpv: tuple[str, ...]


@dataclass(slots=True)
class OpportunityFeatures:
    id: int
    title: str
    kind: str
    cpv: tuple[str, ...]
    lots: tuple[LotFeatures, ...]
    comuni: frozenset[int]
    comune_names: dict[int, str]
    whole_area: bool
    territories: frozenset[int]
    value: Decimal | None
    vector: dict[str, float]
    restricted: bool

    @property
    def divisions(self) -> set[str]:
        return {code[:2] for code in self.cpv}


@dataclass
class OrganizationIndex:
    generation: int
    vocabulary: Vocabulary
    organizations: dict[int, OrganizationFeatures]
    by_cpv_division: dict[str, set[int]]
    by_cpv_code: dict[str, set[int]]
    by_ateco_division: dict[str, set[int]]
    by_activity_division: dict[str, set[int]]
    by_stem: dict[str, set[int]]
    max_weight: dict[str, float]
    by_comune: dict[int, set[int]]
    by_territory: dict[int, set[int]]
    comune_names: dict[int, str]
    comune_territory: dict[int, int]


def _text_of(organization: dict, labels: Iterable[str]) -> str:
    return " ".join([organization["legal_name"], organization["description"] or "", *labels])


def build_index(generation: int) -> OrganizationIndex:
    """Read every organization's features in streamed queries and build the candidate lists."""
    comuni = dict(Comune.objects.values_list("id", "territory_id"))
    comune_names = dict(Comune.objects.values_list("id", "name"))
    cpv_labels = dict(CpvCode.objects.values_list("code", "label_it"))

    capabilities: dict[int, list[str]] = defaultdict(list)
    for organization_id, code in Organization.cpv_codes.through.objects.values_list(
        "organization_id", "cpvcode_id"
    ).iterator(chunk_size=CHUNK):
        capabilities[organization_id].append(code)
    activities: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for organization_id, code, title in AtecoActivity.objects.values_list("organization_id", "code", "title").iterator(
        chunk_size=CHUNK
    ):
        activities[organization_id].append((code, title))
    served: dict[int, set[int]] = defaultdict(set)
    for organization_id, comune_id in Organization.comuni_served.through.objects.values_list(
        "organization_id", "comune_id"
    ).iterator(chunk_size=CHUNK):
        served[organization_id].add(comune_id)
    awards = past_awards()

    vocabulary = Vocabulary()
    organizations: dict[int, OrganizationFeatures] = {}
    stemmed: dict[int, list[str]] = {}
    rows = Organization.objects.values("id", "legal_name", "legal_form", "description", "seat_comune_id", "workforce")
    for row in rows.iterator(chunk_size=CHUNK):
        pk = row["id"]
        codes = tuple(capabilities.get(pk, ()))
        ateco = tuple(code for code, _ in activities.get(pk, ()))
        labels = [cpv_labels.get(code, "") for code in codes] + [title for _, title in activities.get(pk, ())]
        stemmed[pk] = vocabulary.add(_text_of(row, labels))
        comuni_of = set(served.get(pk, ()))
        if row["seat_comune_id"]:
            comuni_of.add(row["seat_comune_id"])
        organizations[pk] = OrganizationFeatures(
            id=pk,
            name=row["legal_name"],
            legal_form=row["legal_form"],
            cpv=codes,
            ateco=ateco,
            seat_comune=row["seat_comune_id"],
            comuni=frozenset(comuni_of),
            territories=frozenset(comuni[comune] for comune in comuni_of if comune in comuni),
            workforce=row["workforce"],
            awards_by_division=awards.get(pk, {}),
        )

    by_cpv: dict[str, set[int]] = defaultdict(set)
    by_code: dict[str, set[int]] = defaultdict(set)
    by_ateco: dict[str, set[int]] = defaultdict(set)
    by_activity: dict[str, set[int]] = defaultdict(set)
    by_stem: dict[str, set[int]] = defaultdict(set)
    max_weight: dict[str, float] = {}
    by_comune: dict[int, set[int]] = defaultdict(set)
    by_territory: dict[int, set[int]] = defaultdict(set)
    table = ateco_cpv_table()
    for pk, features in organizations.items():
        features.vector = vocabulary.vector(stemmed.pop(pk))
        for code in features.cpv:
            by_cpv[code[:2]].add(pk)
            by_code[code].add(pk)
        for code in features.ateco:
            by_activity[ateco_division(code)].add(pk)
            for prefix in table.get(ateco_division(code), ()):
                by_ateco[prefix[:2]].add(pk)
        for stem, weight in features.vector.items():
            by_stem[stem].add(pk)
            if weight > max_weight.get(stem, 0.0):
                max_weight[stem] = weight
        for comune in features.comuni:
            by_comune[comune].add(pk)
        for territory in features.territories:
            by_territory[territory].add(pk)
    return OrganizationIndex(
        generation=generation,
        vocabulary=vocabulary,
        organizations=organizations,
        by_cpv_division=dict(by_cpv),
        by_cpv_code=dict(by_code),
        by_ateco_division=dict(by_ateco),
        by_activity_division=dict(by_activity),
        by_stem=dict(by_stem),
        max_weight=max_weight,
        by_comune=dict(by_comune),
        by_territory=dict(by_territory),
        comune_names=comune_names,
        comune_territory=comuni,
    )


def past_awards() -> dict[int, dict[str, int]]:
    """Organization id -> CPV division -> active awards won there as a supplier."""
    from socialplan.opportunities.models import Award, AwardSupplier

    result: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        AwardSupplier.objects.filter(organization__isnull=False)
        .exclude(award__status=Award.Status.CANCELLED)
        .values_list("organization_id", "award_id", "award__opportunity__cpv_codes__division")
        .distinct()
    )
    for organization_id, _award_id, division in rows.iterator(chunk_size=CHUNK):
        result[organization_id][division or ""] += 1
    return {pk: dict(counts) for pk, counts in result.items()}


_lock = threading.Lock()
_index: OrganizationIndex | None = None


def organization_index() -> OrganizationIndex:
    """The organizations' features at the current generation, rebuilt when it moved."""
    global _index
    current = generations.current(generations.ORGANIZATIONS)
    index = _index
    if index is not None and index.generation == current:
        return index
    with _lock:
        if _index is None or _index.generation != current:
            _index = build_index(current)
        return _index


def forget() -> None:
    """Drop the kept features (tests roll their rows back with the generations)."""
    global _index, _opportunities_at
    _index = None
    _opportunities.clear()
    _opportunities_at = None


def is_restricted(opportunity: Opportunity) -> bool:
    """Participation narrowed by the legal basis or the opportunity: fewer competitors for who is in."""
    basis = opportunity.legal_basis
    for rule in (basis, opportunity):
        if rule.eligible_legal_forms or rule.eligible_runts_sections or rule.third_sector_only:
            return True
        if rule.min_disadvantaged_share is not None:
            return True
    return bool(basis.min_months_in_runts or opportunity.reserved_participation)


def opportunity_features(opportunity: Opportunity, index: OrganizationIndex) -> OpportunityFeatures:
    """An opportunity's features; reads its CPV codes, lots and comuni (prefetched when listing)."""
    own = [code.code for code in opportunity.cpv_codes.all()]
    lots = tuple(
        LotFeatures(number=lot.number, title=lot.title, cpv=tuple(code.code for code in lot.cpv_codes.all()))
        for lot in opportunity.lots.all()
    )
    cpv = tuple(dict.fromkeys([*own, *(code for lot in lots for code in lot.cpv)]))
    comuni = frozenset(comune.id for comune in opportunity.comuni.all())
    territories = {index.comune_territory[comune] for comune in comuni if comune in index.comune_territory}
    buyer_comune = opportunity.buyer.comune_id if opportunity.buyer_id else None
    if buyer_comune in index.comune_territory:
        territories.add(index.comune_territory[buyer_comune])
    text = " ".join([opportunity.title_it or opportunity.title, opportunity.description_it or opportunity.description])
    return OpportunityFeatures(
        id=opportunity.id,
        title=opportunity.title,
        kind=opportunity.kind,
        cpv=cpv,
        lots=lots,
        comuni=comuni,
        comune_names={comune.id: comune.name for comune in opportunity.comuni.all()},
        whole_area=opportunity.whole_area,
        territories=frozenset(territories),
        value=opportunity.value,
        vector=index.vocabulary.vector(stems(text)),
        restricted=is_restricted(opportunity),
    )


@dataclass
class OpportunityEntry:
    """An opportunity kept with its features (the instance answers eligibility)."""

    opportunity: Opportunity
    features: OpportunityFeatures


_opportunities: dict[int, OpportunityEntry] = {}
_opportunities_at: tuple[int, int] | None = None


def conditions_key(opportunity: Opportunity, *, on: date) -> tuple:
    """What eligibility and its reasons depend on: opportunities with equal keys get the same answer."""
    from socialplan.opportunities.eligibility import conditions

    rules = conditions(opportunity, on=on)
    return (
        opportunity.legal_basis_id,
        *((rule.legal_forms, rule.runts_sections, rule.min_disadvantaged_share, rule.registered_by) for rule in rules),
    )


def opportunity_entries(ids: Iterable[int], index: OrganizationIndex) -> list[OpportunityEntry]:
    """The kept entries of these opportunities, read and built for the missing ones.

    Kept per process until either data generation moves (an opportunity changed, or
    the organizations' vocabulary did).
    """
    global _opportunities_at
    at = (index.generation, generations.current(generations.OPPORTUNITIES))
    with _lock:
        if _opportunities_at != at:
            _opportunities.clear()
            _opportunities_at = at
        wanted = list(ids)
        missing = [pk for pk in wanted if pk not in _opportunities]
    if missing:
        from .engine import prefetched

        for start in range(0, len(missing), CHUNK):
            for opportunity in prefetched(Opportunity.objects.filter(pk__in=missing[start : start + CHUNK])):
                _opportunities[opportunity.pk] = OpportunityEntry(
                    opportunity=opportunity, features=opportunity_features(opportunity, index)
                )
    return [entry for entry in (_opportunities.get(pk) for pk in wanted) if entry is not None]


def open_opportunities() -> Q:
    """Opportunities one can still answer: open and not past their deadline."""
    from django.utils import timezone

    return Q(status=Opportunity.Status.OPEN) & (Q(deadline__isnull=True) | Q(deadline__gte=timezone.now()))


def cpv_prefixes(codes: Iterable[str]) -> list[str]:
    return [cpv_prefix(code) for code in codes]
