"""Reads of the public pages, the feeds and the API: the board's filters, an opportunity, a buyer.

The board, its feeds and the API list take the same `BoardFilters` and build
the same query, so that a link, a feed and an API call with the same filters
give the same opportunities. Each read costs a fixed number of queries
whatever the number of opportunities (see the query-budget tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from socialplan.api.params import BIGINT_MAX
from socialplan.ecosystem.models import CpvCode, LegalForm, Membership, Organization, RuntsSection
from socialplan.ecosystem.personal_selectors import memberships_of
from socialplan.ecosystem.selectors import Like, like_pattern, search_terms
from socialplan.territory.models import Comune

from . import codelists
from .eligibility import Eligibility, conditions, eligibility
from .models import Buyer, LegalBasis, Lot, Opportunity

BOARD_PAGE_SIZE = 20
FEED_SIZE = 50
DEADLINE_WITHIN_DAYS = (7, 30)
SEARCH_MAX_LENGTH = 100

# Sort keys (Italian, like the query parameters) and their ordering.
SORTS: dict[str, tuple[OrderBy | str, ...]] = {
    "scadenza": (F("deadline").asc(nulls_last=True), "-published_on", "pk"),
    "recenti": ("-published_on", "-pk"),
    "valore": (F("value").desc(nulls_last=True), "-published_on", "pk"),
}
DEFAULT_SORT = "scadenza"


@dataclass(frozen=True)
class BoardFilters:
    query: str = ""
    kind: str = ""
    cpv_division: str = ""
    comune: str = ""  # ISTAT code
    deadline_within: int | None = None  # days
    legal_basis: str = ""  # code
    social_clauses: bool = False
    include_closed: bool = False
    buyer_id: int | None = None
    sort: str = DEFAULT_SORT

    @property
    def in_use(self) -> bool:
        return any(
            (
                self.query,
                self.kind,
                self.cpv_division,
                self.comune,
                self.deadline_within,
                self.legal_basis,
                self.social_clauses,
                self.include_closed,
            )
        )


def open_condition(now: datetime | None = None) -> Q:
    """Open: in status open, with a deadline not yet passed or none."""
    now = now or timezone.now()
    return Q(status=Opportunity.Status.OPEN) & (Q(deadline__isnull=True) | Q(deadline__gte=now))


def social_clauses_condition() -> Q:
    """Reserved participation (an ANAC code other than 'none'), the hiring quota, or a reward criterion."""
    reserved = ~Q(reserved_participation="") & ~Q(reserved_participation="none")
    rewards = Q(reward_criteria__isnull=False) & ~Q(reward_criteria=[]) & ~Q(reward_criteria=["13"])
    return reserved | Q(youth_women_hiring_quota=True) | rewards


def _search(query: str) -> Q:
    condition = Q()
    for term in search_terms(query[:SEARCH_MAX_LENGTH]):
        pattern = like_pattern(term)
        term_condition = Q()
        for column in ("title_it", "title_en", "description_it", "description_en"):
            term_condition |= Q(Like(F(column), pattern))
        condition &= term_condition
    return condition


def opportunities_matching(filters: BoardFilters, *, now: datetime | None = None) -> QuerySet[Opportunity]:
    """The opportunities a board, a feed or the API list shows for these filters (not yet ordered)."""
    now = now or timezone.now()
    queryset = Opportunity.objects.all()
    if not filters.include_closed:
        queryset = queryset.filter(open_condition(now))
    if filters.query:
        queryset = queryset.filter(_search(filters.query))
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.legal_basis:
        queryset = queryset.filter(legal_basis__code=filters.legal_basis)
    if filters.buyer_id is not None:
        queryset = queryset.filter(buyer_id=filters.buyer_id)
    if filters.cpv_division:
        own = Opportunity.objects.filter(cpv_codes__division=filters.cpv_division).values("pk")
        of_lots = Lot.objects.filter(cpv_codes__division=filters.cpv_division).values("opportunity_id")
        queryset = queryset.filter(Q(pk__in=own) | Q(pk__in=of_lots))
    if filters.comune:
        for_comune = Opportunity.objects.filter(comuni__istat_code=filters.comune).values("pk")
        queryset = queryset.filter(Q(whole_area=True) | Q(pk__in=for_comune))
    if filters.deadline_within:
        queryset = queryset.filter(deadline__gte=now, deadline__lte=now + timedelta(days=filters.deadline_within))
    if filters.social_clauses:
        queryset = queryset.filter(social_clauses_condition())
    return queryset


def with_card_data(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """What a card shows: buyer, legal basis, comuni (one query for a whole page)."""
    return queryset.select_related("buyer", "legal_basis").prefetch_related(
        Prefetch("comuni", queryset=Comune.objects.only("pk", "istat_code", "name").order_by("name"))
    )


def open_first(now: datetime) -> Case:
    return Case(When(open_condition(now), then=Value(0)), default=Value(1), output_field=IntegerField())


def board(filters: BoardFilters, *, now: datetime | None = None) -> QuerySet[Opportunity]:
    """By nearest deadline the open ones come first (closed ones only show when asked for)."""
    now = now or timezone.now()
    ordering: tuple[OrderBy | Case | str, ...] = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    if filters.sort not in SORTS or filters.sort == DEFAULT_SORT:
        ordering = (open_first(now), *ordering)
    return with_card_data(opportunities_matching(filters, now=now)).order_by(*ordering)


def newest(filters: BoardFilters, *, limit: int = FEED_SIZE) -> list[Opportunity]:
    """The newest opportunities for a feed: most recently published, then most recently entered."""
    return list(with_card_data(opportunities_matching(filters)).order_by("-published_on", "-created_at", "-pk")[:limit])


# ---------------------------------------------------------------------------
# The choices of the board's filters.


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def cpv_division_choices() -> list[Choice]:
    """The CPV divisions of the opportunities present (their own codes and their lots'), labelled."""
    divisions = set(
        CpvCode.objects.filter(Q(opportunities__isnull=False) | Q(lots__isnull=False))
        .values_list("division", flat=True)
        .distinct()
    )
    labels = division_labels(divisions)
    return [Choice(division, f"{division} - {labels.get(division, '')}".rstrip(" -")) for division in sorted(divisions)]


def division_labels(divisions: set[str]) -> dict[str, str]:
    """{division: label of its head code (e.g. 90000000)} in the active language."""
    heads = CpvCode.objects.filter(code__in=[f"{division}000000" for division in divisions])
    return {code.division: cpv_label(code) for code in heads}


def cpv_label(code: CpvCode) -> str:
    return code.label_en if (get_language() or "it").startswith("en") and code.label_en else code.label_it


def comune_choices() -> list[Choice]:
    """The portal territory's comuni; without one, the comuni the opportunities name."""
    territory = getattr(settings, "PORTAL_TERRITORY", "")
    if territory:
        comuni = Comune.objects.filter(territory__code=territory)
    else:
        comuni = Comune.objects.filter(pk__in=Opportunity.objects.values("comuni"))
    return [Choice(istat, name) for istat, name in comuni.order_by("name").values_list("istat_code", "name")]


def legal_basis_choices() -> list[Choice]:
    return [Choice(basis.code, f"{basis.citation} - {basis.title}") for basis in LegalBasis.objects.order_by("code")]


# ---------------------------------------------------------------------------
# One opportunity.


def opportunity_page(*, pk: int) -> Opportunity | None:
    if not 0 < pk <= BIGINT_MAX:  # the database cannot take a larger id: no such opportunity
        return None
    cpv = CpvCode.objects.order_by("code")
    return (
        Opportunity.objects.select_related("buyer", "buyer__comune", "legal_basis")
        .prefetch_related(
            Prefetch("cpv_codes", queryset=cpv),
            Prefetch("comuni", queryset=Comune.objects.order_by("name")),
            Prefetch("lots", queryset=Lot.objects.order_by("number").prefetch_related(Prefetch("cpv_codes", cpv))),
            "documents",
            "legal_basis__value_caps",
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class ConditionGroup:
    """The conditions one rule sets (the law's or the opportunity's), in plain words."""

    heading: str
    lines: list[str]


def _names(codes: frozenset[str] | list[str], choices: type[LegalForm] | type[RuntsSection]) -> str:
    labels = dict(choices.choices)
    order = list(labels)
    ordered = sorted(codes, key=lambda code: order.index(code) if code in order else len(order))
    return ", ".join(str(labels.get(code, code)) for code in ordered)


def amount(value: Decimal) -> str:
    """A sum of euros as the language writes it (216.000 in Italian, 216,000 in English)."""
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, places, force_grouping=True)


def conditions_in_words(opportunity: Opportunity, *, on: date) -> list[ConditionGroup]:
    """Who may take part, in plain words: first what the law sets, then what the opportunity adds."""
    basis = opportunity.legal_basis
    groups = []
    for index, (rule, source) in enumerate(zip(conditions(opportunity, on=on), (basis, opportunity), strict=True)):
        lines = []
        if rule.legal_forms is not None:
            forms = _names(rule.legal_forms, LegalForm)
            if source.third_sector_only and not source.eligible_legal_forms:
                lines.append(_("Only Third sector entities may take part: %(forms)s.") % {"forms": forms})
            else:
                lines.append(_("Who may take part: %(forms)s.") % {"forms": forms})
        if rule.runts_sections is not None:
            lines.append(
                _("Registration in the RUNTS (national register of the Third sector), section: %(sections)s.")
                % {"sections": _names(rule.runts_sections, RuntsSection)}
            )
        if rule.min_months_in_runts:
            lines.append(
                _("Registered in the RUNTS for at least %(months)s months.") % {"months": rule.min_months_in_runts}
            )
        if rule.min_disadvantaged_share is not None:
            lines.append(
                _("At least %(share)s%% of the workers must be disabled or disadvantaged people.")
                % {"share": f"{rule.min_disadvantaged_share.normalize():f}"}
            )
        if index == 0:
            if basis.excluded_cpv_prefixes:
                labels = division_labels({prefix[:2] for prefix in basis.excluded_cpv_prefixes})
                excluded = ", ".join(
                    f"{prefix} ({labels[prefix]})" if prefix in labels else prefix
                    for prefix in basis.excluded_cpv_prefixes
                )
                lines.append(_("Not for these kinds of service (CPV): %(codes)s.") % {"codes": excluded})
            cap = basis.value_cap_on(opportunity.published_on)
            if cap is not None:
                message = (
                    _("Only for values up to EUR %(cap)s, VAT excluded (%(source)s).")
                    if cap.inclusive
                    else _("Only for values below EUR %(cap)s, VAT excluded (%(source)s).")
                )
                lines.append(message % {"cap": amount(cap.max_value), "source": cap.source or basis.citation})
            heading = _("Set by the law (%(citation)s)") % {"citation": basis.citation}
            if not lines:
                lines.append(_("The law sets no condition: any organization meeting the call's requirements."))
        else:
            heading = _("Set by this opportunity")
            if not lines:
                continue
        groups.append(ConditionGroup(heading=heading, lines=lines))
    return groups


@dataclass(frozen=True)
class MemberEligibility:
    organization: Organization
    result: Eligibility


def eligibility_of_members(user: object, opportunity: Opportunity, *, on: date) -> list[MemberEligibility]:
    """For a signed-in member: whether each organization they act for may take part, and why."""
    if not getattr(user, "is_authenticated", False):
        return []
    approved = [
        membership.organization
        for membership in memberships_of(user=user)
        if membership.status == Membership.Status.APPROVED
    ]
    return [
        MemberEligibility(organization=organization, result=eligibility(organization, opportunity, on=on))
        for organization in approved
    ]


def social_clause_labels(opportunity: Opportunity) -> dict[str, object]:
    """ANAC's codes of the social clauses with their descriptions in the active language."""
    language = (get_language() or "it")[:2]

    def described(codes: dict[str, dict[str, str]], code: str) -> str:
        texts = codes.get(code)
        return (texts.get(language) or texts["it"]) if texts else code

    reserved = opportunity.reserved_participation
    return {
        "reserved": described(codelists.reserved_participation_codes(), reserved)
        if reserved and reserved != "none"
        else "",
        "rewards": [
            (code, described(codelists.reward_criteria_codes(), code))
            for code in opportunity.reward_criteria or []
            if code != "13"
        ],
    }


def has_social_clauses(opportunity: Opportunity) -> bool:
    reserved = opportunity.reserved_participation not in ("", "none")
    rewards = any(code != "13" for code in opportunity.reward_criteria or [])
    return reserved or opportunity.youth_women_hiring_quota or rewards


# ---------------------------------------------------------------------------
# A buyer.


def buyer_page(*, pk: int) -> Buyer | None:
    if not 0 < pk <= BIGINT_MAX:
        return None
    return Buyer.objects.select_related("comune").filter(pk=pk).first()


def buyer_opportunities(buyer: Buyer, *, now: datetime | None = None) -> QuerySet[Opportunity]:
    """All of a buyer's opportunities, the open ones first (nearest deadline first), then the newest."""
    now = now or timezone.now()
    return with_card_data(Opportunity.objects.filter(buyer=buyer)).order_by(
        open_first(now),
        F("deadline").asc(nulls_last=True),
        "-published_on",
        "pk",
    )
