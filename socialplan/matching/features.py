"""What the matcher knows of organizations and opportunities, read once and kept in memory.

The organizations' features (capabilities, activities, comuni, workforce, past
awards, description vectors) are built in a handful of streamed queries and kept
per process until the organizations' generation moves (`generations`): every
change to an organization, its activities, comuni or capabilities, or to an
award, moves it. Beside the per-organization features, the same facts are kept
as numpy columns (`OrganizationArrays`), one row per organization: ranking an
opportunity's organizations scores every eligible one at once from them.
"""

from __future__ import annotations

import threading
from array import array
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import count

import numpy as np
from django.db.models import Q

from socialplan.ecosystem.models import AtecoActivity, CpvCode, Organization
from socialplan.opportunities.models import Opportunity
from socialplan.territory.models import Comune

from . import generations
from .affinity import ateco_division, cpv_prefix
from .text import Vocabulary, stems

CHUNK = 5000
_builds = count(1)


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


class Columns:
    """Rows (organizations) per key (a CPV code, a stem, a comune...), with a value each if given: a sparse column
    store.

    Built once from (row, key, value) triples; a key's rows are a slice of one array, in ascending row order.
    """

    def __init__(self, rows: array, keys: list[Hashable], values: array | None = None) -> None:
        self.positions = {key: position for position, key in enumerate(dict.fromkeys(keys))}
        columns = np.fromiter((self.positions[key] for key in keys), dtype=np.int64, count=len(keys))
        found = np.asarray(rows, dtype=np.int64)
        order = np.lexsort((found, columns))
        self.rows = found[order]
        self.values = np.asarray(values, dtype=np.float64)[order] if values is not None else None
        self.starts = np.zeros(len(self.positions) + 1, dtype=np.int64)
        np.cumsum(np.bincount(columns, minlength=len(self.positions)), out=self.starts[1:])

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.positions)

    def _slice(self, key: Hashable) -> slice:
        position = self.positions.get(key)
        if position is None:
            return slice(0, 0)
        return slice(self.starts[position], self.starts[position + 1])

    def rows_of(self, key: Hashable) -> np.ndarray:
        return self.rows[self._slice(key)]

    def values_of(self, key: Hashable) -> np.ndarray:
        assert self.values is not None
        return self.values[self._slice(key)]

    def any_of(self, keys: Iterable[Hashable], size: int) -> np.ndarray:
        """A mask of the rows found under any of the keys."""
        mask = np.zeros(size, dtype=bool)
        for key in keys:
            mask[self.rows_of(key)] = True
        return mask


class Codes:
    """A text column (legal form, RUNTS section) as small integers, to test membership in a set at once."""

    def __init__(self, values: list[str]) -> None:
        self.names = sorted(set(values))
        position = {name: number for number, name in enumerate(self.names)}
        self.codes = np.fromiter((position[value] for value in values), dtype=np.int16, count=len(values))

    def isin(self, allowed: Iterable[str]) -> np.ndarray:
        wanted = set(allowed)
        return np.array([name in wanted for name in self.names], dtype=bool)[self.codes]


# Stands for "not registered in RUNTS": later than any day a rule asks for.
NEVER = np.iinfo(np.int64).max


@dataclass
class OrganizationArrays:
    """Every organization's features as columns, row i being the organization `ids[i]` (ids ascending)."""

    ids: np.ndarray
    legal_form: Codes
    runts_section: Codes
    disadvantaged_share: np.ndarray  # NaN: not declared
    runts_registered_on: np.ndarray  # proleptic ordinal, NEVER: not registered
    workforce: np.ndarray  # NaN: not declared
    has_comuni: np.ndarray
    has_awards: np.ndarray
    cpv: Columns  # CPV code -> organizations with that capability
    cpv_codes_by_division: dict[str, list[str]]
    activity_division: Columns  # ATECO division -> organizations with an activity there
    comune: Columns  # comune id -> organizations seated in or serving it
    territory: Columns  # territory id -> organizations working there
    awards: Columns  # CPV division -> organizations, with the awards won there
    text: Columns  # stem -> organizations, with its weight in their description

    def eligible(self, rules: Iterable) -> np.ndarray:
        """The mask of the organizations meeting every rule (`opportunities.eligibility.Conditions`), as the SQL
        filter `eligibility_filter` reads them: a condition on a value not declared is not met."""
        mask = np.ones(len(self.ids), dtype=bool)
        for rule in rules:
            if rule.legal_forms is not None:
                mask &= self.legal_form.isin(rule.legal_forms)
            if rule.runts_sections is not None:
                mask &= self.runts_section.isin(rule.runts_sections)
            if rule.min_disadvantaged_share is not None:
                mask &= self.disadvantaged_share >= float(rule.min_disadvantaged_share)
            if rule.registered_by is not None:
                mask &= self.runts_registered_on <= rule.registered_by.toordinal()
        return mask


@dataclass
class OrganizationIndex:
    generation: int
    build: int  # a number of its own: what is derived from one index is not mistaken for another's
    vocabulary: Vocabulary
    organizations: dict[int, OrganizationFeatures]
    by_cpv_division: dict[str, set[int]]
    arrays: OrganizationArrays
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
    eligibility: dict[int, tuple] = {}
    rows = Organization.objects.values(
        "id",
        "legal_name",
        "legal_form",
        "description",
        "seat_comune_id",
        "workforce",
        "runts_section",
        "disadvantaged_share",
        "runts_registered_on",
    )
    for row in rows.iterator(chunk_size=CHUNK):
        pk = row["id"]
        eligibility[pk] = (
            row["legal_form"],
            row["runts_section"],
            row["disadvantaged_share"],
            row["runts_registered_on"],
        )
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
    for pk, features in organizations.items():
        features.vector = vocabulary.vector(stemmed.pop(pk))
        for code in features.cpv:
            by_cpv[code[:2]].add(pk)
    return OrganizationIndex(
        generation=generation,
        build=next(_builds),
        vocabulary=vocabulary,
        organizations=organizations,
        by_cpv_division=dict(by_cpv),
        arrays=build_arrays(organizations, eligibility),
        comune_names=comune_names,
        comune_territory=comuni,
    )


def build_arrays(organizations: dict[int, OrganizationFeatures], eligibility: dict[int, tuple]) -> OrganizationArrays:
    """The organizations' features as columns, in ascending id (the ranking's tie-break: the older first)."""
    ids = sorted(organizations)
    triples: dict[str, tuple[array, list, array]] = {
        name: (array("q"), [], array("d")) for name in ("cpv", "activity", "comune", "territory", "awards", "text")
    }

    def add(name: str, row: int, keys: Iterable[Hashable], values: Iterable[float] | None = None) -> None:
        rows, found, weights = triples[name]
        before = len(found)
        found.extend(keys)
        rows.extend([row] * (len(found) - before))
        if values is not None:
            weights.extend(values)

    workforce = np.full(len(ids), np.nan)
    share = np.full(len(ids), np.nan)
    registered = np.full(len(ids), NEVER, dtype=np.int64)
    has_comuni = np.zeros(len(ids), dtype=bool)
    has_awards = np.zeros(len(ids), dtype=bool)
    for row, pk in enumerate(ids):
        features = organizations[pk]
        _form, _section, declared_share, registered_on = eligibility[pk]
        if features.workforce is not None:
            workforce[row] = features.workforce
        if declared_share is not None:
            share[row] = float(declared_share)
        if registered_on is not None:
            registered[row] = registered_on.toordinal()
        has_comuni[row] = bool(features.comuni)
        has_awards[row] = bool(features.awards_by_division)
        add("cpv", row, set(features.cpv))
        add("activity", row, {ateco_division(code) for code in features.ateco})
        add("comune", row, features.comuni)
        add("territory", row, features.territories)
        add("awards", row, features.awards_by_division.keys(), features.awards_by_division.values())
        add("text", row, features.vector.keys(), features.vector.values())
    columns = {
        name: Columns(rows, keys, weights if name in ("awards", "text") else None)
        for name, (rows, keys, weights) in triples.items()
    }
    by_division: dict[str, list[str]] = defaultdict(list)
    for code in columns["cpv"]:
        by_division[str(code)[:2]].append(str(code))
    return OrganizationArrays(
        ids=np.array(ids, dtype=np.int64),
        legal_form=Codes([eligibility[pk][0] or "" for pk in ids]),
        runts_section=Codes([eligibility[pk][1] or "" for pk in ids]),
        disadvantaged_share=share,
        runts_registered_on=registered,
        workforce=workforce,
        has_comuni=has_comuni,
        has_awards=has_awards,
        cpv=columns["cpv"],
        cpv_codes_by_division=dict(by_division),
        activity_division=columns["activity"],
        comune=columns["comune"],
        territory=columns["territory"],
        awards=columns["awards"],
        text=columns["text"],
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
