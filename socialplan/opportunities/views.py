"""Public pages of the opportunities: the board, an opportunity, a buyer.

Views read the request and call the selectors; templates do the rest. The
board's filters are a GET form that works without JavaScript; a malformed
filter value is ignored and named on the page, never a server error. The
pages are not kept in the public page cache: the days left to a deadline
change every day, whatever the content.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .models import Opportunity

# Query parameters are Italian like the paths: (parameter, check). A check is a
# set of allowed values or a pattern; the parameters of yes/no filters take "1".
BOARD_PARAMETERS: dict[str, tuple[str, Any]] = {
    "kind": ("tipo", set(Opportunity.Kind.values)),
    "cpv_division": ("cpv", re.compile(r"^\d{2}$")),
    "comune": ("comune", re.compile(r"^\d{6}$")),
    "deadline_within": ("scadenza", {str(days) for days in selectors.DEADLINE_WITHIN_DAYS}),
    "legal_basis": ("base", re.compile(r"^[-a-z0-9_]{1,60}$")),
    "social_clauses": ("clausole", {"1"}),
    "include_closed": ("chiuse", {"1"}),
    "sort": ("ordina", set(selectors.SORTS)),
}
FILTER_PARAMETERS = ("q", *(parameter for parameter, _check in BOARD_PARAMETERS.values()))


def board_filters(params: Mapping[str, str]) -> tuple[selectors.BoardFilters, list[str]]:
    """The filters a query string asks for, and the parameters whose value was not understood (ignored)."""
    values: dict[str, Any] = {"query": params.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH]}
    ignored = []
    for name, (parameter, allowed) in BOARD_PARAMETERS.items():
        value = params.get(parameter, "").strip()
        if not value:
            continue
        ok = value in allowed if isinstance(allowed, set) else bool(allowed.match(value))
        if not ok:
            ignored.append(parameter)
            continue
        if name == "deadline_within":
            values[name] = int(value)
        elif name in ("social_clauses", "include_closed"):
            values[name] = True
        else:
            values[name] = value
    return selectors.BoardFilters(**values), ignored


def filter_query(params: QueryDict) -> str:
    """The filters of a query string (without the page), for the feed links."""
    kept = QueryDict(mutable=True)
    for parameter in FILTER_PARAMETERS:
        value = params.get(parameter, "").strip()
        if value:
            kept[parameter] = value
    return kept.urlencode()


def board(request: HttpRequest) -> HttpResponse:
    filters, ignored = board_filters(request.GET)
    found = selectors.board(filters)
    page = Paginator(found, selectors.BOARD_PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = filter_query(request.GET)
    context = {
        "filters": filters,
        "ignored": ignored,
        "page": page,
        "now": timezone.now(),
        "kinds": Opportunity.Kind.choices,
        "cpv_divisions": selectors.cpv_division_choices(),
        "comuni": selectors.comune_choices(),
        "legal_bases": selectors.legal_basis_choices(),
        "deadline_choices": [
            (str(days), _("Within %(days)s days") % {"days": days}) for days in selectors.DEADLINE_WITHIN_DAYS
        ],
        "deadline_selected": str(filters.deadline_within or ""),
        "sorts": [("scadenza", _("Nearest deadline")), ("recenti", _("Newest")), ("valore", _("Highest value"))],
        "rss_url": _with_query(reverse("opportunities:feed_rss"), query),
        "atom_url": _with_query(reverse("opportunities:feed_atom"), query),
    }
    return render(request, "opportunities/board.html", context)


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_page(pk=pk)
    if opportunity is None:
        raise Http404("No such opportunity.")
    today = timezone.localdate()
    context = {
        "opportunity": opportunity,
        "now": timezone.now(),
        "is_open": opportunity.status == Opportunity.Status.OPEN
        and (opportunity.deadline is None or opportunity.deadline >= timezone.now()),
        "condition_groups": selectors.conditions_in_words(opportunity, on=today),
        "member_eligibility": selectors.eligibility_of_members(request.user, opportunity, on=today),
        "social_clauses": selectors.social_clause_labels(opportunity),
        "has_social_clauses": selectors.has_social_clauses(opportunity),
        "lots": list(opportunity.lots.all()),
        "documents": list(opportunity.documents.all()),
    }
    return render(request, "opportunities/opportunity.html", context)


def buyer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    buyer = selectors.buyer_page(pk=pk)
    if buyer is None:
        raise Http404("No such buyer.")
    found = selectors.buyer_opportunities(buyer)
    page = Paginator(found, selectors.BOARD_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "opportunities/buyer.html", {"buyer": buyer, "page": page, "now": timezone.now()})
