"""Public pages of the ecosystem: the directory, an organization, the map and the partnership network.

Views read the request and call the ecosystem's selectors; templates do the
rest. Every page answers in a fixed number of queries whatever the number of
organizations (see the query-budget tests) and works without JavaScript: the
directory's filters are a GET form, the map has a table of the comuni beside
it, the network is an SVG drawn on the server with a list beside it.
"""

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from socialplan.core.cache import cached_public_page
from socialplan.ecosystem import selectors
from socialplan.ecosystem.models import LegalForm, RuntsSection

from .current import current_plan
from .network import draw_network

# Query parameters are Italian like the paths; each is checked before it
# reaches the database, and a malformed value is ignored rather than refused.
DIRECTORY_PARAMETERS = {
    "query": ("q", None),
    "legal_form": ("forma", set(LegalForm.values)),
    "runts_section": ("sezione", set(RuntsSection.values)),
    "comune": ("comune", re.compile(r"^\d{6}$")),
    "ateco_section": ("ateco", re.compile(r"^[A-Z]$")),
    "cpv_division": ("cpv", re.compile(r"^\d{2}$")),
    "theme": ("tema", re.compile(r"^[-a-zA-Z0-9_]{1,50}$")),
}


def directory_filters(params: Mapping[str, str]) -> selectors.DirectoryFilters:
    values: dict[str, Any] = {}
    for name, (parameter, allowed) in DIRECTORY_PARAMETERS.items():
        value = params.get(parameter, "").strip()
        if allowed is None:
            values[name] = value[: selectors.SEARCH_MAX_LENGTH]
        elif isinstance(allowed, set):
            values[name] = value if value in allowed else ""
        else:
            values[name] = value if allowed.match(value) else ""
    return selectors.DirectoryFilters(**values)


@cached_public_page
def directory(request: HttpRequest) -> HttpResponse:
    filters = directory_filters(request.GET)
    found = selectors.directory(filters=filters, plan=current_plan(request))
    page = Paginator(found.organizations, selectors.DIRECTORY_PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {
        "filters": filters,
        "facets": found.facets,
        "page": page,
        "active_filters": _active_filters(request, filters, found.facets),
    }
    return render(request, "portal/directory.html", context)


def _active_filters(
    request: HttpRequest, filters: selectors.DirectoryFilters, facets: dict[str, selectors.Facet]
) -> list[tuple[str, str]]:
    """(label, link to the same search without it) for the search and each filter in use."""

    def without(parameter: str) -> str:
        params = request.GET.copy()
        for name in (parameter, "pagina"):
            params.pop(name, None)
        return f"{reverse('portal:directory')}?{params.urlencode()}" if params else reverse("portal:directory")

    active = [(f"«{filters.query}»", without("q"))] if filters.query else []
    active += [
        (facets[name].selected_label, without(DIRECTORY_PARAMETERS[name][0]))
        for name in selectors.FACET_NAMES
        if facets[name].selected
    ]
    return active


@cached_public_page
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_page(pk=pk)
    if organization is None:
        raise Http404("No such organization.")
    context = {
        "organization": organization,
        "codice_fiscale": selectors.public_codice_fiscale(organization),
        "certifications": [line.strip() for line in organization.certifications.splitlines() if line.strip()],
    }
    return render(request, "portal/organization.html", context)


MAP_TABLE_PAGE_SIZE = 25


@cached_public_page
def ecosystem_map(request: HttpRequest) -> HttpResponse:
    """The choropleth and markers are drawn by js/ecosystem-map.js from the API; the table needs no script."""
    territory = selectors.map_territory(code=getattr(settings, "PORTAL_TERRITORY", ""))
    legal_form = request.GET.get("forma", "")
    legal_form = legal_form if legal_form in LegalForm.values else ""
    sort = request.GET.get("ordina", selectors.DEFAULT_MAP_SORT)
    sort = sort if sort in selectors.MAP_SORTS else selectors.DEFAULT_MAP_SORT
    context: dict[str, object] = {
        "territory": territory,
        "legal_forms": LegalForm.choices,
        "legal_form": legal_form,
        "sort": sort,
        "tile_url": getattr(settings, "PORTAL_MAP_TILE_URL", ""),
        "tile_attribution": getattr(settings, "PORTAL_MAP_TILE_ATTRIBUTION", ""),
    }
    if territory is not None:
        comuni = selectors.comuni_with_rates(territory=territory, legal_form=legal_form, sort=sort)
        context |= {
            "page": Paginator(comuni, MAP_TABLE_PAGE_SIZE).get_page(request.GET.get("pagina")),
            "columns": _map_columns(sort),
            "legal_form_label": LegalForm(legal_form).label if legal_form else "",
            "data_url": f"{reverse('api:comuni_geojson')}?territory={territory.code}",
            "directory_url": reverse("portal:directory"),
            "map_strings": _map_strings(),
        }
    return render(request, "portal/map.html", context)


# (sort key, label, numeric): the table's columns; the first click on a
# figure sorts it from the largest, on the name from A.
_MAP_COLUMNS = (
    ("nome", _("Comune"), False),
    ("organizzazioni", _("Organizations"), True),
    ("popolazione", _("Population"), True),
    ("tasso", _("Organizations per 10,000 inhabitants"), True),
)


SORTED_UP = _("(sorted from the lowest: choose to sort from the highest)")
SORTED_DOWN = _("(sorted from the highest: choose to sort from the lowest)")
SORTABLE = _("(choose to sort by this column)")


def _map_columns(sort: str) -> list[dict[str, object]]:
    columns = []
    for key, label, numeric in _MAP_COLUMNS:
        first = f"-{key}" if numeric else key
        if sort == key:
            aria_sort, next_sort, hint = "ascending", f"-{key}", SORTED_UP
        elif sort == f"-{key}":
            aria_sort, next_sort, hint = "descending", key, SORTED_DOWN
        else:
            aria_sort, next_sort, hint = "", first, SORTABLE
        columns.append(
            {"label": label, "numeric": numeric, "aria_sort": aria_sort, "next_sort": next_sort, "hint": hint}
        )
    return columns


def _map_strings() -> dict[str, str]:
    """The words the map's script writes, in the page's language (read from a JSON data block, never executed)."""
    return {
        "zoomIn": gettext("Zoom in"),
        "zoomOut": gettext("Zoom out"),
        "legendTitle": gettext("Organizations per 10,000 inhabitants"),
        "none": gettext("none"),
        "organizations": gettext("organizations"),
        "organization": gettext("organization"),
        "perTenThousand": gettext("per 10,000 inhabitants"),
        "seeInDirectory": gettext("See them in the directory"),
        "comuniWith": gettext("Comuni with at least one organization: {count} of {total}."),
        "clusterLabel": gettext("{count} organizations in {comuni} comuni: zoom in"),
        "markerLabel": gettext("{count} organizations in {name}"),
        "markerLabelOne": gettext("{count} organization in {name}"),
        "close": gettext("Close"),
        "failed": gettext("The map could not be loaded: the table below gives the same figures."),
        "noPopulation": gettext("no residents"),
    }


@cached_public_page
def network(request: HttpRequest) -> HttpResponse:
    plan = current_plan(request)
    if plan is None:
        return render(request, "portal/no_plan.html")
    found = selectors.partnership_network(plan=plan)
    return render(request, "portal/network.html", {"plan": plan, "network": found, "drawing": draw_network(found)})
