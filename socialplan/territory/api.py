"""The territory in the open-data API: comuni with population (boundaries are on /comuni/geojson)."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import ModelSchema, P, QueryEx, Router
from ninja.pagination import paginate
from pydantic import Field

from socialplan.api.errors import INVALID
from socialplan.api.params import Pagination
from socialplan.plan.schemas import OutSchema

from .models import Comune

router = Router(tags=["territory"])


class ComuneOut(OutSchema, ModelSchema):
    territory: str = Field(description="Code of the territory (e.g. 'TO').")

    class Meta:
        model = Comune
        fields = [
            "istat_code",
            "name",
            "cadastral_code",
            "population_total",
            "population_male",
            "population_female",
            "population_0_14_male",
            "population_0_14_female",
            "population_15_24_male",
            "population_15_24_female",
            "population_25_34_male",
            "population_25_34_female",
            "population_35_64_male",
            "population_35_64_female",
            "population_65_plus_male",
            "population_65_plus_female",
            "longitude",
            "latitude",
        ]

    @staticmethod
    def resolve_territory(comune: Comune) -> str:
        return comune.territory.code


@router.get("/comuni", response={200: list[ComuneOut], **INVALID}, summary="List comuni with their population")
@paginate(Pagination)
def list_comuni(
    request: HttpRequest,
    territory: QueryEx[
        str | None, P(pattern="^[A-Za-z]{2}$", description="Only this territory's comuni, by code (e.g. 'TO').")
    ] = None,
) -> QuerySet[Comune]:
    # Without the boundary: kilobytes a comune, only the map needs it.
    comuni = Comune.objects.select_related("territory").defer("boundary").order_by("istat_code", "pk")
    return comuni.filter(territory__code=territory.upper()) if territory else comuni
