"""Reads of the ecosystem for the public portal and the open-data API.

Every read costs a fixed number of queries whatever the number of
organizations: lists are filtered and paginated in the database, except the
public directory, whose filters, counts and pages come from an in-memory
index of the organizations (facets.py). Nothing here returns private
data: people come with their names only, and only where a position is public
(personal contact data never leaves the back office).

Search folds case and the accented vowels of Italian on both sides of the
comparison, with the same expression on SQLite and PostgreSQL
(docs/decisions/0007-directory-search.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import ateco
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, NullIf
from django.db.models.lookups import Lookup
from django.utils.translation import get_language

from socialplan.plan.models import Action, Plan
from socialplan.territory.models import Comune, Territory

from .facets import FACETS, FacetIndex, OrganizationsOf, facet_index
from .models import (
    AtecoActivity,
    CpvCode,
    LegalForm,
    Organization,
    Partnership,
    Pledge,
    PledgeProgress,
    Position,
    RuntsSection,
)

DIRECTORY_PAGE_SIZE = 25

# ---------------------------------------------------------------------------
# Search: every word must appear in the legal name or the description.

# Italian writes accents on a word's final vowel only (città, perché, più),
# and registries often write them in capitals (SOCIETÀ, which SQLite's LIKE
# does not match with "à") or as an apostrophe (SOCIETA'). So the final vowel
# of each word searched matches any one character: "citta" and "città" both
# find Città, CITTÀ and CITTA'. The final vowel is also where Italian marks
# gender and number: "cooperativa" finds "cooperative" too. One LIKE per
# column and word, on SQLite and PostgreSQL alike (docs/decisions/0007).
PLAIN_VOWELS = str.maketrans("àáèéìíòóùú", "aaeeiioouu")
VOWELS = frozenset("aeiou")
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_TERMS = 8
_TERM_SEPARATORS = re.compile(r"[\s'\u2019`\"«».,;:()\[\]/\\-]+")


def search_terms(query: str) -> list[str]:
    """The words of a search, lower case and without accents.

    Apostrophes and punctuation separate words ("dell'Orto" is "dell" and
    "orto"), control characters separate words too (PostgreSQL refuses NUL), and
    overlong queries are cut rather than refused.
    """
    query = "".join(character if character.isprintable() else " " for character in query[:SEARCH_MAX_LENGTH])
    folded = unicodedata.normalize("NFC", query).lower().translate(PLAIN_VOWELS)
    terms = [term for term in _TERM_SEPARATORS.split(folded) if term]
    return list(dict.fromkeys(terms))[:SEARCH_MAX_TERMS]


def like_pattern(term: str) -> str:
    """The LIKE pattern of a search word: anywhere in the text, its final vowel free (from the third letter)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if len(term) >= 3 and term[-1] in VOWELS:
        escaped = escaped[:-1] + "_"
    return f"%{escaped}%"


class Like(Lookup):
    """`column LIKE pattern`, case-insensitive: SQLite's LIKE folds ASCII letters, PostgreSQL's ILIKE all.

    The pattern is used as given (see like_pattern), wildcards included,
    with the backslash as escape character.
    """

    lookup_name = "ecosystem_like"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        operator = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
        return f"{lhs} {operator} {rhs} ESCAPE '\\'", (*lhs_params, *rhs_params)


def _search(query: str) -> Q:
    condition = Q()
    for term in search_terms(query):
        pattern = like_pattern(term)
        condition &= Q(Like(F("legal_name"), pattern)) | Q(Like(F("description"), pattern))
    return condition


# ---------------------------------------------------------------------------
# The directory: filters, facets, one page of organizations.


@dataclass(frozen=True)
class DirectoryFilters:
    """What a visitor asked for. Empty values filter nothing; unknown values match nothing."""

    query: str = ""
    legal_form: str = ""
    runts_section: str = ""
    comune: str = ""  # ISTAT code; seat or comuni served
    ateco_section: str = ""
    cpv_division: str = ""
    theme: str = ""  # theme code, within `plan`
    theme_id: int | None = None  # the API names themes by id

    @property
    def is_empty(self) -> bool:
        return self == DirectoryFilters()


def _involved_in(themes: Q) -> Q:
    """Organizations with a partnership or a pledge under an action of the themes selected by `themes`.

    `themes` is a condition on Action; the two subqueries are not correlated,
    so the database computes each once.
    """
    actions = Action.objects.filter(themes).values("pk")
    return Q(pk__in=Partnership.objects.filter(action__in=actions).values("organization_id")) | Q(
        pk__in=Pledge.objects.filter(action__in=actions).values("organization_id")
    )


def _conditions(filters: DirectoryFilters, *, plan: Plan | None, without: str = "") -> Q:
    """The filters as one condition on Organization, leaving out the facet named `without`."""
    condition = _search(filters.query)
    if filters.legal_form and without != "legal_form":
        condition &= Q(legal_form=filters.legal_form)
    if filters.runts_section and without != "runts_section":
        condition &= Q(runts_section=filters.runts_section)
    if filters.comune and without != "comune":
        # By the comune's id, not a join: the database then uses the seat
        # index and the comuni served index, and reads no other organization.
        comune = Comune.objects.filter(istat_code=filters.comune).values("pk")
        served = Organization.comuni_served.through.objects.filter(comune__in=comune)
        condition &= Q(seat_comune__in=comune) | Q(pk__in=served.values("organization_id"))
    if filters.ateco_section and without != "ateco_section":
        activities = AtecoActivity.objects.filter(section=filters.ateco_section)
        condition &= Q(pk__in=activities.values("organization_id"))
    if filters.cpv_division and without != "cpv_division":
        capabilities = Organization.cpv_codes.through.objects.filter(cpvcode__division=filters.cpv_division)
        condition &= Q(pk__in=capabilities.values("organization_id"))
    if without != "theme":
        if filters.theme:
            condition &= _involved_in(Q(objective__theme__code=filters.theme, objective__theme__plan=plan))
        if filters.theme_id is not None:
            condition &= _involved_in(Q(objective__theme_id=filters.theme_id))
    return condition


def organizations_matching(filters: DirectoryFilters, *, plan: Plan | None = None) -> QuerySet[Organization]:
    """The organizations that match every filter, by legal name, with their seat comune (name and code).

    The comune is prefetched for the page rather than joined: a join before
    the sort makes the database join every organization, not just a page.
    """
    comuni = Comune.objects.only("istat_code", "name")
    return (
        Organization.objects.filter(_conditions(filters, plan=plan))
        .prefetch_related(Prefetch("seat_comune", queryset=comuni))
        .order_by("legal_name", "pk")
    )


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    """One filter of the directory: its values with how many organizations each would show.

    Counts apply every other filter but not this one's, so a visitor sees
    what choosing another value would give.
    """

    name: str
    values: list[FacetValue]
    selected: str

    @property
    def selected_label(self) -> str:
        return next((value.label for value in self.values if value.selected), self.selected)


@dataclass(frozen=True)
class Directory:
    filters: DirectoryFilters
    organizations: Sequence[Organization]
    facets: dict[str, Facet] = field(default_factory=dict)


def _facet(
    name: str, counts: Iterable[tuple[str, str, int]], selected: str, label_of: Callable[[str], str] = str
) -> Facet:
    """Values with at least one organization, plus the selected one even at 0 (so the form can show it).

    `label_of` names a selected value that no organization has (and the counts
    therefore do not name).
    """
    values = [
        FacetValue(value=value, label=label, count=count, selected=value == selected)
        for value, label, count in counts
        if count or value == selected
    ]
    if selected and not any(value.selected for value in values):
        values.append(FacetValue(value=selected, label=label_of(selected), count=0, selected=True))
    return Facet(name=name, values=values, selected=selected)


def ateco_section_label(section: str) -> str:
    """The section's title in the active language: ISTAT's Italian (ATECO 2025), NACE Rev. 2.1's English."""
    if _english() and section in ATECO_SECTIONS_EN:
        return f"{section} - {ATECO_SECTIONS_EN[section]}"
    node = ateco.lookup(section, edition="2025")
    return f"{section} - {node.title.capitalize()}" if node else section


# NACE Rev. 2.1 (Reg. EU 2023/137) section titles: ATECO 2025 is its Italian version, same letters.
ATECO_SECTIONS_EN = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufacturing",
    "D": "Electricity, gas, steam and air conditioning supply",
    "E": "Water supply; sewerage, waste management and remediation activities",
    "F": "Construction",
    "G": "Wholesale and retail trade",
    "H": "Transportation and storage",
    "I": "Accommodation and food service activities",
    "J": "Publishing, broadcasting, and content production and distribution activities",
    "K": "Telecommunication, computer programming, consulting, computing infrastructure "
    "and other information service activities",
    "L": "Financial and insurance activities",
    "M": "Real estate activities",
    "N": "Professional, scientific and technical activities",
    "O": "Administrative and support service activities",
    "P": "Public administration and defence; compulsory social security",
    "Q": "Education",
    "R": "Human health and social work activities",
    "S": "Arts, sports and recreation",
    "T": "Other service activities",
    "U": "Activities of households as employers and for own use",
    "V": "Activities of extraterritorial organisations and bodies",
}


def _english() -> bool:
    return (get_language() or "it").startswith("en")


FACET_NAMES = FACETS


def _counted(index: FacetIndex, name: str, among: int) -> list[tuple[str, str, int]]:
    """(value, label, count) of a facet in its display order: choices' order, names, codes or the plan's order."""
    counts = index.counts(name, among)
    if name in ("legal_form", "runts_section"):
        choices = LegalForm if name == "legal_form" else RuntsSection
        return [(value, str(label), counts.get(value, 0)) for value, label in choices.choices]
    if name == "ateco_section":
        return [
            (section, ateco_section_label(section), counts[section]) for section in sorted(counts) if counts[section]
        ]
    labels = index.labels[name]
    english = _english()
    if name == "cpv_division":
        rows = []
        for division in sorted(counts):
            labelled = labels.get(division)
            text = (labelled.en if english else labelled.it) if labelled else ""
            rows.append((division, f"{division} - {text}" if text else division, counts[division]))
        return rows
    ordered = sorted(labels.items(), key=lambda item: item[1].order)
    return [(value, labelled.en if english else labelled.it, counts.get(value, 0)) for value, labelled in ordered]


def _label_of(index: FacetIndex, name: str) -> Callable[[str], str]:
    """The label of a selected value that no organization has."""
    if name == "ateco_section":
        return ateco_section_label
    labels = index.labels.get(name, {})
    english = _english()
    return lambda value: (labels[value].en if english else labels[value].it) if value in labels else value


def directory(*, filters: DirectoryFilters, plan: Plan | None) -> Directory:
    """The organizations that match (a sequence to paginate) and the six facets, from the facet index.

    The database answers the full-text search (one query) and the page's
    organizations; the index, the filters and the counts (see facets.py).
    """
    index = facet_index(plan=plan)
    within = index.everyone
    if filters.query:
        within = index.bitmap_of(Organization.objects.filter(_search(filters.query)).values_list("pk", flat=True))
    selected = {name: getattr(filters, name) for name in FACET_NAMES}
    facets = {
        name: _facet(
            name,
            _counted(index, name, index.matching(selected, within=within, without=name)),
            selected[name],
            _label_of(index, name),
        )
        for name in FACET_NAMES
    }
    matching = index.matching(selected, within=within)
    return Directory(filters=filters, organizations=OrganizationsOf(index, matching), facets=facets)


# ---------------------------------------------------------------------------
# One organization, its partnerships and pledges.

ROLE_ORDER = Case(
    *(When(role=role, then=Value(position)) for position, role in enumerate(Partnership.Role.values)),
    output_field=IntegerField(),
)


def pledges_with_progress() -> QuerySet[Pledge]:
    """Pledges with `achieved` and `reported_on`: the latest progress report's, or None before any."""
    latest = PledgeProgress.objects.filter(pledge=OuterRef("pk")).order_by("-reported_on", "-pk")
    return Pledge.objects.annotate(
        achieved=Subquery(latest.values("achieved")[:1], output_field=DecimalField(max_digits=14, decimal_places=2)),
        reported_on=Subquery(latest.values("reported_on")[:1]),
    )


def progress_percent(*, achieved: Decimal | None, quantity: Decimal) -> int | None:
    """Achieved as a whole percentage of the quantity pledged (may exceed 100); None without a report."""
    if achieved is None or not quantity:
        return None
    return int(achieved * 100 / quantity)


def _with_percent(pledges: Iterable[Pledge]) -> None:
    """Set `percent` (see progress_percent) and `bar_percent` (the same, at most 100) on pledges read with progress."""
    for pledge in pledges:
        percent = progress_percent(achieved=pledge.achieved, quantity=pledge.quantity)  # type: ignore[attr-defined]
        pledge.percent = percent  # type: ignore[attr-defined]
        pledge.bar_percent = min(percent or 0, 100)  # type: ignore[attr-defined]


def public_positions() -> QuerySet[Position]:
    """Positions whose holder agreed to be named, with the name only: never email or phone."""
    return (
        Position.objects.filter(is_public=True)
        .select_related("person")
        .only("role", "organization_id", "person__first_name", "person__last_name")
        .order_by("person__last_name", "person__first_name", "role")
    )


def organization_page(*, pk: int) -> Organization | None:
    """An organization with everything its public page shows, in seven queries.

    Activities carry `display_title` (see ateco_title), pledges `percent`.
    """
    comuni = Comune.objects.only("istat_code", "name").order_by("name")
    partnerships = (
        Partnership.objects.select_related("action__objective__theme")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "action__objective__theme__order", "action__objective__order", "action__order")
    )
    pledges = pledges_with_progress().select_related("action").order_by("due_date", "pk")
    organization = (
        Organization.objects.filter(pk=pk)
        .select_related("seat_comune")
        .defer("seat_comune__boundary")
        .prefetch_related(
            Prefetch("activities", queryset=AtecoActivity.objects.order_by("-is_primary", "code")),
            Prefetch("cpv_codes", queryset=CpvCode.objects.order_by("code")),
            Prefetch("comuni_served", queryset=comuni),
            Prefetch("positions", queryset=public_positions()),
            Prefetch("partnerships", queryset=partnerships),
            Prefetch("pledges", queryset=pledges),
        )
        .first()
    )
    if organization is not None:
        for activity in organization.activities.all():
            activity.display_title = ateco_title(activity)  # type: ignore[attr-defined]
        _with_percent(organization.pledges.all())
    return organization


def ateco_title(activity: AtecoActivity) -> str:
    """The activity's stored title, else ISTAT's for its code and edition (no query: the `ateco` package)."""
    if activity.title:
        return activity.title
    node = ateco.lookup(activity.code, edition=activity.edition)
    return node.title if node else ""


def public_codice_fiscale(organization: Organization) -> str | None:
    """An entity's codice fiscale (11 digits) is public; a sole trader's (16 characters) is a person's: never."""
    value = organization.codice_fiscale
    return value if len(value) == 11 and value.isdigit() else None


@dataclass(frozen=True)
class ActionParticipants:
    """Who carries out an action: its lead, the other partners by role, and the pledges made under it."""

    lead: Partnership | None
    partners: list[Partnership]
    pledges: list[Pledge]


def action_participants(*, action: Action) -> ActionParticipants:
    """Two queries whatever the number of partners and pledges."""
    partnerships = list(
        Partnership.objects.filter(action=action)
        .select_related("organization")
        .only("role", "since", "action_id", "organization__legal_name", "organization__is_demo")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "organization__legal_name", "pk")
    )
    pledges = list(
        pledges_with_progress()
        .filter(action=action)
        .select_related("organization")
        .defer("organization__description", "organization__certifications")
        .order_by("due_date", "organization__legal_name", "pk")
    )
    _with_percent(pledges)
    lead = next((partnership for partnership in partnerships if partnership.role == Partnership.Role.LEAD), None)
    return ActionParticipants(
        lead=lead, partners=[partnership for partnership in partnerships if partnership is not lead], pledges=pledges
    )


# ---------------------------------------------------------------------------
# Lists of the open-data API, each in a stable order (primary key last) so
# that limit/offset pages never skip or repeat an element.


def organization_exists(*, pk: int) -> bool:
    return Organization.objects.filter(pk=pk).exists()


def partnership_list(*, action_id: int | None = None, organization_id: int | None = None) -> QuerySet[Partnership]:
    partnerships = Partnership.objects.order_by("action_id", "organization_id", "pk")
    if action_id is not None:
        partnerships = partnerships.filter(action_id=action_id)
    if organization_id is not None:
        partnerships = partnerships.filter(organization_id=organization_id)
    return partnerships


def pledge_list(
    *, action_id: int | None = None, organization_id: int | None = None, status: str | None = None
) -> QuerySet[Pledge]:
    pledges = pledges_with_progress().order_by("due_date", "pk")
    if action_id is not None:
        pledges = pledges.filter(action_id=action_id)
    if organization_id is not None:
        pledges = pledges.filter(organization_id=organization_id)
    if status is not None:
        pledges = pledges.filter(status=status)
    return pledges


# ---------------------------------------------------------------------------
# The map: organizations per comune and legal form, comuni with their rates.


def map_territory(*, code: str = "") -> Territory | None:
    """The territory the map shows: the one with this code, else the first loaded."""
    territories = Territory.objects.order_by("code")
    return territories.filter(code=code.upper()).first() if code else territories.first()


def comuni_for_map(*, territory_code: str = "") -> tuple[QuerySet[Territory], QuerySet[Comune]]:
    """The territories (all, or the one with this code) and their comuni with boundaries, by ISTAT code."""
    territories = Territory.objects.order_by("code")
    comuni = Comune.objects.select_related("territory").order_by("istat_code")
    if territory_code:
        territories = territories.filter(code=territory_code.upper())
        comuni = comuni.filter(territory__code=territory_code.upper())
    return territories, comuni


def organization_counts_by_comune(*, territory_code: str = "") -> dict[int, dict[str, int]]:
    """{comune id: {legal form: organizations seated there}} in one grouped query.

    Organizations without a legal form count under "". The map counts seats
    only: an organization is drawn where it is, once.
    """
    rows = Organization.objects.filter(seat_comune__isnull=False)
    if territory_code:
        rows = rows.filter(seat_comune__territory__code=territory_code.upper())
    grouped = rows.order_by().values_list("seat_comune_id", "legal_form").annotate(count=Count("pk"))
    counts: dict[int, dict[str, int]] = {}
    for comune_id, legal_form, count in grouped:
        counts.setdefault(comune_id, {})[legal_form] = count
    return counts


MAP_SORTS: dict[str, tuple[Any, ...]] = {
    "nome": ("name", "istat_code"),
    "-nome": ("-name", "-istat_code"),
    "organizzazioni": ("organizations", "name"),
    "-organizzazioni": ("-organizations", "name"),
    "popolazione": ("population_total", "name"),
    "-popolazione": ("-population_total", "name"),
    "tasso": (F("rate").asc(nulls_first=True), "name"),
    "-tasso": (F("rate").desc(nulls_last=True), "name"),
}
DEFAULT_MAP_SORT = "-tasso"


def comuni_with_rates(*, territory: Territory, legal_form: str = "", sort: str = DEFAULT_MAP_SORT) -> QuerySet[Comune]:
    """The territory's comuni with `organizations` (seated there, of the legal form if given) and `rate`.

    `rate` is organizations per 10,000 inhabitants, computed in the database
    (None for a comune without residents).
    """
    seated = Q(seated_organizations__legal_form=legal_form) if legal_form else Q()
    comuni = (
        Comune.objects.filter(territory=territory)
        .only("istat_code", "name", "population_total")
        .annotate(organizations=Count("seated_organizations", filter=seated))
    )
    comuni = comuni.annotate(
        rate=Cast(F("organizations"), FloatField())
        * Value(10_000.0)
        / NullIf(Cast(F("population_total"), FloatField()), Value(0.0))
    )
    return comuni.order_by(*MAP_SORTS.get(sort, MAP_SORTS[DEFAULT_MAP_SORT]))


# ---------------------------------------------------------------------------
# The partnership network.


@dataclass(frozen=True)
class NetworkLink:
    organization_id: int
    action_id: int
    role: str


@dataclass
class Network:
    """The most connected organizations of the plan, the actions they take part in, and their links.

    `organizations_total` counts every organization with a partnership in the
    plan: the page says how many it leaves out.
    """

    organizations: Sequence[Organization]
    actions: list[Action]
    links: list[NetworkLink]
    organizations_total: int
    partnerships_total: int

    def actions_of(self, organization_id: int) -> list[Action]:
        ids = {link.action_id for link in self.links if link.organization_id == organization_id}
        return [action for action in self.actions if action.pk in ids]

    def partners_of(self, organization_id: int) -> list[Organization]:
        """The shown organizations that share at least one action with this one."""
        actions = {link.action_id for link in self.links if link.organization_id == organization_id}
        ids = {link.organization_id for link in self.links if link.action_id in actions} - {organization_id}
        return [organization for organization in self.organizations if organization.pk in ids]

    def links_of_action(self, action_id: int) -> list[tuple[Organization, str]]:
        by_id = {organization.pk: organization for organization in self.organizations}
        roles = [(by_id[link.organization_id], link.role) for link in self.links if link.action_id == action_id]
        order = Partnership.Role.values
        return sorted(roles, key=lambda pair: (order.index(pair[1]), pair[0].legal_name))


NETWORK_SIZE = 40


def partnership_network(*, plan: Plan, size: int = NETWORK_SIZE) -> Network:
    """The `size` organizations with the most partnerships in the plan's actions, and those partnerships.

    Three queries: the totals, the top organizations, their partnerships with
    their actions. Ties are broken by name so the picture is stable.
    """
    in_plan = Partnership.objects.filter(action__objective__theme__plan=plan)
    totals = in_plan.aggregate(organizations=Count("organization", distinct=True), partnerships=Count("pk"))
    organizations = list(
        Organization.objects.filter(partnerships__action__objective__theme__plan=plan)
        .annotate(partnership_count=Count("partnerships"))
        .only("legal_name", "is_demo")
        .order_by("-partnership_count", "legal_name", "pk")[:size]
    )
    partnerships = list(
        in_plan.filter(organization__in=[organization.pk for organization in organizations])
        .select_related("action__objective__theme")
        .only(
            "organization_id",
            "role",
            "action__code",
            "action__title_it",
            "action__title_en",
            "action__order",
            "action__objective__order",
            "action__objective__theme__order",
            "action__objective__theme__code",
            "action__objective__theme__title_it",
            "action__objective__theme__title_en",
        )
        .order_by("action__objective__theme__order", "action__objective__order", "action__order", "action_id")
    )
    actions = list({partnership.action_id: partnership.action for partnership in partnerships}.values())
    links = [
        NetworkLink(organization_id=partnership.organization_id, action_id=partnership.action_id, role=partnership.role)
        for partnership in partnerships
    ]
    return Network(
        organizations=organizations,
        actions=actions,
        links=links,
        organizations_total=totals["organizations"],
        partnerships_total=totals["partnerships"],
    )
