"""The directory's facet index: one bitmap of organizations per filter value, in memory.

Counting the directory's six facets in the database costs a scan of the
organizations per facet and per request (half a second at metro scale on
PostgreSQL). Instead each app process keeps, per content version (see
`socialplan.core.cache`), the organizations in directory order (legal name,
id) and, for each value of each filter, the set of organizations that have it
as a bitmap (a Python int, bit *i* = the *i*-th organization). Filtering is
then an AND of bitmaps, a count is `int.bit_count()`, and a page is the
*n*-th to *n+20*-th set bits, fetched by id: a request reads the database
only for the full-text search and the page's twenty organizations.

The index is rebuilt when the content version changes (any save or delete of
an organization, its activities, comuni served, CPV capabilities,
partnerships or pledges). Where the cache keeps no version (the dummy cache
of the tests), it is rebuilt on every request. At metro scale (20,000
organizations) it takes a few hundred milliseconds once and about 3 MB.
"""

import threading
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import Prefetch

from socialplan.core.cache import kept_content_version
from socialplan.plan.models import Plan, Theme
from socialplan.territory.models import Comune

from .models import AtecoActivity, CpvCode, Organization, Partnership, Pledge

# The filters the index answers, in the directory's order.
FACETS = ("legal_form", "runts_section", "comune", "ateco_section", "cpv_division", "theme")


def _bitmap(positions: Iterable[int], size: int) -> int:
    """The int whose bits `positions` are set."""
    buffer = bytearray((size + 7) // 8)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


@dataclass(frozen=True)
class Labelled:
    """A filter value that is not a model choice: its labels in both languages and its place in the list."""

    it: str
    en: str
    order: tuple[Any, ...]


@dataclass(frozen=True)
class FacetIndex:
    plan_id: int | None
    ids: array  # organization ids in directory order: bit i is ids[i]
    ids_sorted: array  # the same ids in increasing order ...
    positions: array  # ... and the bit of each
    everyone: int
    bitmaps: dict[str, dict[str, int]]  # facet -> value -> organizations that have it
    labels: dict[str, dict[str, Labelled]]  # facet -> value -> labels (for the facets that are not choices)

    @property
    def size(self) -> int:
        return len(self.ids)

    def bitmap_of(self, organization_ids: Iterable[int]) -> int:
        """The organizations among `organization_ids` that the index knows."""
        found = []
        for organization_id in organization_ids:
            place = bisect_left(self.ids_sorted, organization_id)
            if place < len(self.ids_sorted) and self.ids_sorted[place] == organization_id:
                found.append(self.positions[place])
        return _bitmap(found, self.size)

    def matching(self, selected: dict[str, str], *, within: int, without: str = "") -> int:
        """The organizations of `within` that have every selected value, leaving out the facet `without`."""
        result = within
        for name, value in selected.items():
            if value and name != without:
                result &= self.bitmaps[name].get(value, 0)
        return result

    def counts(self, name: str, among: int) -> dict[str, int]:
        return {value: (bitmap & among).bit_count() for value, bitmap in self.bitmaps[name].items()}

    def ids_at(self, bitmap: int, start: int, stop: int) -> list[int]:
        """The ids of the organizations numbered start..stop-1 (directory order) among those of `bitmap`."""
        if stop <= start or not bitmap:
            return []
        bits = bin(bitmap)[:1:-1]  # character i is bit i
        chunk = 8192
        offset, skipped = 0, 0
        while offset < len(bits):
            in_chunk = bits.count("1", offset, offset + chunk)
            if skipped + in_chunk > start:
                break
            skipped += in_chunk
            offset += chunk
        position = offset - 1
        for _ in range(start - skipped + 1):
            position = bits.find("1", position + 1)
            if position == -1:  # fewer than `start` + 1 organizations
                return []
        found = []
        while position != -1 and len(found) < stop - start:
            found.append(self.ids[position])
            position = bits.find("1", position + 1)
        return found


class OrganizationsOf(Sequence[Organization]):
    """The organizations of a bitmap in directory order, as Django's Paginator wants them.

    Its length is the bitmap's count; a slice reads just those organizations
    (one query, and one for their seat comuni).
    """

    def __init__(self, index: FacetIndex, bitmap: int) -> None:
        self.index = index
        self.bitmap = bitmap

    def count(self, value: Any = None) -> int:  # Paginator calls count() with no argument
        return self.bitmap.bit_count() if value is None else super().count(value)

    def __len__(self) -> int:
        return self.bitmap.bit_count()

    @overload
    def __getitem__(self, item: int) -> Organization: ...
    @overload
    def __getitem__(self, item: slice) -> list[Organization]: ...
    def __getitem__(self, item: int | slice) -> Organization | list[Organization]:
        if isinstance(item, int):
            page = self[item : item + 1]
            if not page:
                raise IndexError(item)
            return page[0]
        start, stop, step = item.indices(len(self))
        if step != 1:
            raise ValueError("Slices of the directory have no step.")
        ids = self.index.ids_at(self.bitmap, start, stop)
        if not ids:
            return []
        comuni = Comune.objects.only("istat_code", "name")
        rows = Organization.objects.filter(pk__in=ids).prefetch_related(Prefetch("seat_comune", queryset=comuni))
        by_id = {organization.pk: organization for organization in rows}
        return [by_id[organization_id] for organization_id in ids if organization_id in by_id]

    def __iter__(self) -> Iterator[Organization]:
        return iter(self[0 : len(self)])


def build_index(*, plan: Plan | None) -> FacetIndex:
    """Read the organizations and what the filters look at: nine queries, whatever the data size."""
    ids = array("q")
    values: dict[str, defaultdict[str, list[int]]] = {name: defaultdict(list) for name in FACETS}
    position_of: dict[int, int] = {}
    comuni = {pk: (istat_code, name) for pk, istat_code, name in Comune.objects.values_list("pk", "istat_code", "name")}
    rows = Organization.objects.order_by("legal_name", "pk").values_list(
        "pk", "legal_form", "runts_section", "seat_comune_id"
    )
    for position, (pk, legal_form, runts_section, seat) in enumerate(rows.iterator(chunk_size=5000)):
        ids.append(pk)
        position_of[pk] = position
        if legal_form:
            values["legal_form"][legal_form].append(position)
        if runts_section:
            values["runts_section"][runts_section].append(position)
        if seat in comuni:
            values["comune"][comuni[seat][0]].append(position)
    served = Organization.comuni_served.through.objects.values_list("organization_id", "comune_id")
    for organization_id, comune_id in served.iterator(chunk_size=5000):
        if organization_id in position_of and comune_id in comuni:
            values["comune"][comuni[comune_id][0]].append(position_of[organization_id])
    for organization_id, section in AtecoActivity.objects.values_list("organization_id", "section").iterator(
        chunk_size=5000
    ):
        if organization_id in position_of and section:
            values["ateco_section"][section].append(position_of[organization_id])
    capabilities = Organization.cpv_codes.through.objects.values_list("organization_id", "cpvcode_id")
    for organization_id, code in capabilities.iterator(chunk_size=5000):
        if organization_id in position_of:
            values["cpv_division"][code[:2]].append(position_of[organization_id])
    labels: dict[str, dict[str, Labelled]] = {
        "comune": {istat_code: Labelled(name, name, (name, istat_code)) for istat_code, name in comuni.values()},
        "cpv_division": {
            division: Labelled(label_it, label_en, (division,))
            for division, label_it, label_en in CpvCode.objects.filter(level=1).values_list(
                "division", "label_it", "label_en"
            )
        },
    }
    labels["theme"] = {}
    if plan is not None:
        themes = Theme.objects.filter(plan=plan).values_list("pk", "code", "title_it", "title_en", "order")
        code_of = {}
        for pk, code, title_it, title_en, order in themes:
            code_of[pk] = code
            labels["theme"][code] = Labelled(title_it, title_en or title_it, (order, code))
        for model in (Partnership, Pledge):
            pairs = model.objects.filter(action__objective__theme__plan=plan).values_list(
                "organization_id", "action__objective__theme_id"
            )
            for organization_id, theme_id in pairs.iterator(chunk_size=5000):
                if organization_id in position_of:
                    values["theme"][code_of[theme_id]].append(position_of[organization_id])
    size = len(ids)
    by_id = sorted(position_of.items())
    return FacetIndex(
        plan_id=plan.pk if plan is not None else None,
        ids=ids,
        ids_sorted=array("q", (pk for pk, _ in by_id)),
        positions=array("q", (position for _, position in by_id)),
        everyone=(1 << size) - 1,
        bitmaps={
            name: {value: _bitmap(found, size) for value, found in per_value.items()}
            for name, per_value in values.items()
        },
        labels=labels,
    )


_lock = threading.Lock()
_latest: dict[tuple[str, int | None], FacetIndex] = {}


def facet_index(*, plan: Plan | None) -> FacetIndex:
    """The index of the current content version, built by the first request that needs it."""
    plan_id = plan.pk if plan is not None else None
    version = kept_content_version()
    if version is None:  # a cache that keeps nothing: no version to key on
        return build_index(plan=plan)
    key = (version, plan_id)
    index = _latest.get(key)
    if index is None:
        with _lock:
            index = _latest.get(key)
            if index is None:
                index = build_index(plan=plan)
                _latest.clear()
                _latest[key] = index
    return index
