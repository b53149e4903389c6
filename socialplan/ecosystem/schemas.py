"""Shapes of the ecosystem in the open-data API: public fields only.

Never here: people's email and phone, who verified a profile, profile
changes waiting for review, memberships, and a sole trader's codice fiscale
(16 characters: a person's). People appear by name only where their position
is public. Labels that exist in both languages (CPV) come in both (`_it`,
`_en`); a legal form or RUNTS section left empty reads as null.

Choice fields are enums inlined in the OpenAPI document, as in plan/schemas.py.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import ModelSchema, Schema
from pydantic import Field, WithJsonSchema

from socialplan.plan.schemas import OutSchema

from .models import AtecoActivity, CpvCode, LegalForm, Organization, Partnership, Pledge, RuntsSection
from .selectors import public_codice_fiscale

CENTS = Decimal("0.01")

LegalFormValue = Annotated[LegalForm, WithJsonSchema({"type": "string", "enum": LegalForm.values})]
RuntsSectionValue = Annotated[RuntsSection, WithJsonSchema({"type": "string", "enum": RuntsSection.values})]
PartnershipRole = Annotated[Partnership.Role, WithJsonSchema({"type": "string", "enum": Partnership.Role.values})]
PledgeStatus = Annotated[Pledge.Status, WithJsonSchema({"type": "string", "enum": Pledge.Status.values})]


class OrganizationOut(OutSchema, ModelSchema):
    codice_fiscale: str | None = Field(
        description="An entity's codice fiscale; null for a sole trader (personal data)."
    )
    partita_iva: str | None
    legal_form: LegalFormValue | None
    runts_section: RuntsSectionValue | None = Field(description="Section of the RUNTS (art. 46 D.Lgs. 117/2017).")
    seat_comune: str | None = Field(description="ISTAT code of the comune of the registered seat.")
    disadvantaged_share: Decimal | None = Field(description="Share of disadvantaged workers, in percent.")
    is_demo: bool = Field(description="Invented for demonstration: not a real organization.")

    class Meta:
        model = Organization
        fields = [
            "legal_name",
            "partita_iva",
            "legal_form",
            "runts_section",
            "runts_number",
            "runts_registered_on",
            "website",
            "workforce",
            "disadvantaged_share",
            "volunteers",
            "source",
            "verified_on",
            "is_demo",
        ]

    @staticmethod
    def resolve_codice_fiscale(organization: Organization) -> str | None:
        return public_codice_fiscale(organization)

    @staticmethod
    def resolve_partita_iva(organization: Organization) -> str | None:
        return organization.partita_iva or None

    @staticmethod
    def resolve_legal_form(organization: Organization) -> str | None:
        return organization.legal_form or None

    @staticmethod
    def resolve_runts_section(organization: Organization) -> str | None:
        return organization.runts_section or None

    @staticmethod
    def resolve_seat_comune(organization: Organization) -> str | None:
        return organization.seat_comune.istat_code if organization.seat_comune else None


class ActivityOut(ModelSchema):
    title: str = Field(description="ISTAT's title of the code in its edition (Italian).")

    class Meta:
        model = AtecoActivity
        fields = ["code", "edition", "section", "is_primary"]

    @staticmethod
    def resolve_title(activity: AtecoActivity) -> str:
        return getattr(activity, "display_title", activity.title)


class CpvOut(ModelSchema):
    class Meta:
        model = CpvCode
        fields = ["code", "division", "label_it", "label_en"]


class PublicPersonOut(Schema):
    first_name: str
    last_name: str
    role: str


class PartnershipOut(OutSchema, ModelSchema):
    action_id: int
    organization_id: int
    role: PartnershipRole

    class Meta:
        model = Partnership
        fields = ["role", "since"]


class OrganizationDetailOut(OrganizationOut):
    description: str
    certifications: list[str]
    activities: list[ActivityOut]
    cpv_codes: list[CpvOut]
    comuni_served: list[str] = Field(description="ISTAT codes of the comuni the organization serves.")
    people: list[PublicPersonOut] = Field(description="People named publicly, with their role; never contact data.")
    partnerships: list[PartnershipOut]

    @staticmethod
    def resolve_certifications(organization: Organization) -> list[str]:
        return [line.strip() for line in organization.certifications.splitlines() if line.strip()]

    @staticmethod
    def resolve_comuni_served(organization: Organization) -> list[str]:
        return [comune.istat_code for comune in organization.comuni_served.all()]

    @staticmethod
    def resolve_people(organization: Organization) -> list[dict[str, str]]:
        return [
            {"first_name": position.person.first_name, "last_name": position.person.last_name, "role": position.role}
            for position in organization.positions.all()
        ]


class PledgeOut(OutSchema, ModelSchema):
    organization_id: int
    action_id: int
    status: PledgeStatus
    achieved: Decimal | None = Field(description="Achieved so far, from the latest progress report; null before any.")
    reported_on: date | None = Field(description="Date of the latest progress report.")

    class Meta:
        model = Pledge
        fields = ["title", "description", "quantity", "unit", "due_date", "status"]

    @staticmethod
    def resolve_achieved(pledge: Pledge) -> Decimal | None:
        # Two decimals like the stored quantity: SQLite returns a subquery's decimal unscaled ("4", not "4.00").
        achieved = pledge.achieved  # type: ignore[attr-defined]
        return None if achieved is None else Decimal(achieved).quantize(CENTS)


class TerritoryOut(Schema):
    code: str
    name_it: str
    name_en: str | None
    reference_year: int
    licence: str
    licence_url: str
    attribution_it: str
    attribution_en: str | None


class OrganizationCountsOut(Schema):
    total: int = Field(description="Organizations with their registered seat in the comune.")
    by_legal_form: dict[str, int] = Field(description="The same by legal form; '' for those without one.")


class ComunePropertiesOut(Schema):
    istat_code: str
    name: str
    territory: str
    population: int
    longitude: float
    latitude: float
    organizations: OrganizationCountsOut


class GeometryOut(Schema):
    type: Literal["Polygon", "MultiPolygon"]
    coordinates: list[Any]


class ComuneFeatureOut(Schema):
    type: Literal["Feature"]
    id: str
    geometry: GeometryOut
    properties: ComunePropertiesOut


class ComuniCollectionOut(Schema):
    """A GeoJSON FeatureCollection (RFC 7946) of the comuni, WGS84, with the territories' attribution."""

    type: Literal["FeatureCollection"]
    territories: list[TerritoryOut]
    features: list[ComuneFeatureOut]
