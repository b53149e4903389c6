"""The ecosystem in the open-data API: organizations, partnerships, pledges, and the map's data.

Read-only and public: only public fields (see schemas.py). Lists are
paginated with limit/offset and a total `count`, filtered in the database
with the same filters as the portal's directory, and cost a fixed number of
queries whatever the data size.
"""

import json
from typing import Any

from django.core.cache import caches
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import P, PathEx, QueryEx, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from socialplan.api.errors import INVALID, NOT_FOUND
from socialplan.api.params import BIGINT_MAX, Pagination
from socialplan.core.cache import content_version
from socialplan.territory.models import Comune, Territory

from . import selectors
from .models import Organization, Partnership, Pledge
from .schemas import (
    ComuniCollectionOut,
    LegalFormValue,
    OrganizationDetailOut,
    OrganizationOut,
    PartnershipOut,
    PledgeOut,
    PledgeStatus,
    RuntsSectionValue,
)

router = Router(tags=["ecosystem"])

Id = P(ge=1, le=BIGINT_MAX)
OrganizationId = PathEx[int, Id]
ActionFilter = QueryEx[int | None, P(ge=1, le=BIGINT_MAX, description="Only this action's, by id.")]
OrganizationFilter = QueryEx[int | None, P(ge=1, le=BIGINT_MAX, description="Only this organization's, by id.")]
TerritoryFilter = QueryEx[
    str | None, P(pattern="^[A-Za-z]{2}$", description="Only this territory's comuni, by code (e.g. 'TO').")
]


def _organization_or_404(organization_id: int) -> Organization:
    organization = selectors.organization_page(pk=organization_id)
    if organization is None:
        raise HttpError(404, f"No organization with identifier {organization_id!r}.")
    return organization


@router.get("/organizations", response={200: list[OrganizationOut], **INVALID}, summary="List organizations")
@paginate(Pagination)
def list_organizations(
    request: HttpRequest,
    q: QueryEx[
        str | None,
        P(max_length=selectors.SEARCH_MAX_LENGTH, description="Words that must all appear in the name or description."),
    ] = None,
    legal_form: QueryEx[LegalFormValue | None, P(description="Only organizations of this legal form.")] = None,
    runts_section: QueryEx[RuntsSectionValue | None, P(description="Only this RUNTS section's.")] = None,
    comune: QueryEx[
        str | None, P(pattern=r"^\d{6}$", description="Seated in or serving this comune, by ISTAT code.")
    ] = None,
    ateco_section: QueryEx[
        str | None, P(pattern="^[A-Z]$", description="With an activity in this ATECO section.")
    ] = None,
    cpv_division: QueryEx[
        str | None, P(pattern=r"^\d{2}$", description="With a CPV capability in this division (2 digits).")
    ] = None,
    theme: QueryEx[
        int | None,
        P(ge=1, le=BIGINT_MAX, description="With a partnership or a pledge under this theme's actions, by id."),
    ] = None,
) -> QuerySet[Organization]:
    filters = selectors.DirectoryFilters(
        query=q or "",
        legal_form=legal_form or "",
        runts_section=runts_section or "",
        comune=comune or "",
        ateco_section=ateco_section or "",
        cpv_division=cpv_division or "",
        theme_id=theme,
    )
    return selectors.organizations_matching(filters).order_by("legal_name", "pk")


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationDetailOut, **NOT_FOUND, **INVALID},
    summary="Organization with activities, capabilities, comuni served, public people and partnerships",
)
def get_organization(request: HttpRequest, organization_id: OrganizationId) -> Organization:
    return _organization_or_404(organization_id)


@router.get(
    "/organizations/{organization_id}/pledges",
    response={200: list[PledgeOut], **NOT_FOUND, **INVALID},
    summary="An organization's pledges with their progress",
)
@paginate(Pagination)
def list_organization_pledges(request: HttpRequest, organization_id: OrganizationId) -> QuerySet[Pledge]:
    if not selectors.organization_exists(pk=organization_id):
        raise HttpError(404, f"No organization with identifier {organization_id!r}.")
    return selectors.pledge_list(organization_id=organization_id)


@router.get("/partnerships", response={200: list[PartnershipOut], **INVALID}, summary="List partnerships")
@paginate(Pagination)
def list_partnerships(
    request: HttpRequest, action: ActionFilter = None, organization: OrganizationFilter = None
) -> QuerySet[Partnership]:
    return selectors.partnership_list(action_id=action, organization_id=organization)


@router.get("/pledges", response={200: list[PledgeOut], **INVALID}, summary="List pledges with their progress")
@paginate(Pagination)
def list_pledges(
    request: HttpRequest,
    action: ActionFilter = None,
    organization: OrganizationFilter = None,
    status: QueryEx[PledgeStatus | None, P(description="Only pledges in this status.")] = None,
) -> QuerySet[Pledge]:
    return selectors.pledge_list(action_id=action, organization_id=organization, status=status)


@router.get(
    "/comuni/geojson",
    response={200: ComuniCollectionOut, **INVALID},
    url_name="comuni_geojson",
    summary="Comuni with boundaries and organization counts (GeoJSON)",
    description=(
        "A GeoJSON FeatureCollection of the comuni (WGS84) with, for each, the organizations that have their "
        "registered seat there, in total and by legal form: the data of the portal's map. Boundaries are "
        "simplified (see each territory's attribution)."
    ),
)
def comuni_geojson(request: HttpRequest, territory: TerritoryFilter = None) -> HttpResponse:
    # The boundaries weigh hundreds of kilobytes: the document is assembled
    # from the stored GeoJSON text (never parsed) and kept until public
    # content changes, like the portal's pages.
    code = (territory or "").upper()
    key = f"comuni-geojson:{content_version()}:{code}"
    pages = caches["pages"]
    body = pages.get(key)
    if body is None:
        body = _collection(code)
        pages.set(key, body)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _collection(territory_code: str) -> bytes:
    territories, comuni = selectors.comuni_for_map(territory_code=territory_code)
    counts = selectors.organization_counts_by_comune(territory_code=territory_code)
    header = {"type": "FeatureCollection", "territories": [_territory(territory) for territory in territories]}
    features = [_feature(comune, counts.get(comune.pk, {})) for comune in comuni]
    return (json.dumps(header, ensure_ascii=False)[:-1] + ',"features":[' + ",".join(features) + "]}").encode()


def _territory(territory: Territory) -> dict[str, Any]:
    # name and attribution are translated (modeltranslation adds the _it and _en columns).
    return {
        "code": territory.code,
        "name_it": territory.name_it,  # type: ignore[attr-defined]
        "name_en": territory.name_en or None,  # type: ignore[attr-defined]
        "reference_year": territory.reference_year,
        "licence": territory.licence,
        "licence_url": territory.licence_url,
        "attribution_it": territory.attribution_it,  # type: ignore[attr-defined]
        "attribution_en": territory.attribution_en or None,  # type: ignore[attr-defined]
    }


def _feature(comune: Comune, counts: dict[str, int]) -> str:
    properties = {
        "istat_code": comune.istat_code,
        "name": comune.name,
        "territory": comune.territory.code,
        "population": comune.population_total,
        "longitude": comune.longitude,
        "latitude": comune.latitude,
        "organizations": {"total": sum(counts.values()), "by_legal_form": counts},
    }
    head = json.dumps({"type": "Feature", "id": comune.istat_code}, ensure_ascii=False)[:-1]
    return f'{head},"geometry":{comune.boundary},"properties":{json.dumps(properties, ensure_ascii=False)}}}'
