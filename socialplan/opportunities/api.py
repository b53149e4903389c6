"""The opportunities in the open-data API: the board's list with its filters, an opportunity, a buyer.

Read-only and public. The list takes the same filters as the portal's board
(open opportunities unless `include_closed`), is paginated with limit/offset
and a total `count`, and costs a fixed number of queries whatever the data
size. A malformed filter is a 422 naming the parameter.
"""

from typing import Literal

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import P, PathEx, QueryEx, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from socialplan.api.errors import INVALID, NOT_FOUND
from socialplan.api.params import BIGINT_MAX, Pagination
from socialplan.ecosystem.models import CpvCode

from . import selectors
from .models import Buyer, Opportunity
from .schemas import BuyerOut, OpportunityDetailOut, OpportunityKind, OpportunityOut

router = Router(tags=["opportunities"])

Id = P(ge=1, le=BIGINT_MAX)


@router.get(
    "/opportunities",
    response={200: list[OpportunityOut], **INVALID},
    summary="List opportunities (open ones unless include_closed)",
)
@paginate(Pagination)
def list_opportunities(
    request: HttpRequest,
    q: QueryEx[
        str | None,
        P(
            max_length=selectors.SEARCH_MAX_LENGTH,
            description="Words that must all appear in the title or description.",
        ),
    ] = None,
    kind: QueryEx[OpportunityKind | None, P(description="Only opportunities of this kind.")] = None,
    cpv_division: QueryEx[
        str | None, P(pattern=r"^\d{2}$", description="With a CPV code (its own or a lot's) in this division.")
    ] = None,
    comune: QueryEx[
        str | None, P(pattern=r"^\d{6}$", description="For this comune (ISTAT code) or for the whole area.")
    ] = None,
    deadline_within: QueryEx[
        int | None, P(ge=1, le=366, description="With a deadline within this many days from now.")
    ] = None,
    legal_basis: QueryEx[
        str | None, P(pattern=r"^[-a-z0-9_]{1,60}$", description="Only under this legal basis, by code.")
    ] = None,
    social_clauses: QueryEx[
        bool, P(description="Only with social clauses (reserved participation, hiring quota, reward criteria).")
    ] = False,
    include_closed: QueryEx[bool, P(description="Include closed, awarded and cancelled opportunities.")] = False,
    buyer: QueryEx[int | None, P(ge=1, le=BIGINT_MAX, description="Only this buyer's, by id.")] = None,
    sort: QueryEx[
        Literal["deadline", "newest", "value"], P(description="Nearest deadline, newest, or highest value first.")
    ] = "deadline",
) -> QuerySet[Opportunity]:
    filters = selectors.BoardFilters(
        query=q or "",
        kind=kind or "",
        cpv_division=cpv_division or "",
        comune=comune or "",
        deadline_within=deadline_within,
        legal_basis=legal_basis or "",
        social_clauses=social_clauses,
        include_closed=include_closed,
        buyer_id=buyer,
        sort={"deadline": "scadenza", "newest": "recenti", "value": "valore"}[sort],
    )
    return selectors.board(filters).prefetch_related(Prefetch("cpv_codes", CpvCode.objects.only("code")))


@router.get(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityDetailOut, **NOT_FOUND, **INVALID},
    url_name="get_opportunity",
    summary="Opportunity with lots, documents, legal basis and its eligibility rule, social clauses",
)
def get_opportunity(request: HttpRequest, opportunity_id: PathEx[int, Id]) -> Opportunity:
    opportunity = selectors.opportunity_page(pk=opportunity_id)
    if opportunity is None:
        raise HttpError(404, f"No opportunity with identifier {opportunity_id!r}.")
    return opportunity


@router.get(
    "/buyers/{buyer_id}",
    response={200: BuyerOut, **NOT_FOUND, **INVALID},
    summary="Buyer or provider of opportunities (its opportunities: /opportunities?buyer=id)",
)
def get_buyer(request: HttpRequest, buyer_id: PathEx[int, Id]) -> Buyer:
    buyer = selectors.buyer_page(pk=buyer_id)
    if buyer is None:
        raise HttpError(404, f"No buyer with identifier {buyer_id!r}.")
    return buyer
