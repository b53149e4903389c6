"""Shapes of the opportunities in the open-data API.

Titles and descriptions come in both languages (`_it`, `_en`); the legal
basis comes with the eligibility rule it imposes, the opportunity with its
own (both must hold), and social clauses with ANAC's codes and their
descriptions. Choice fields are enums inlined in the OpenAPI document.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import ModelSchema, Schema
from pydantic import Field, WithJsonSchema

from socialplan.ecosystem.schemas import CpvOut
from socialplan.plan.schemas import OutSchema

from . import codelists
from .models import Buyer, Document, LegalBasis, Lot, Opportunity, ValueCap

OpportunityKind = Annotated[Opportunity.Kind, WithJsonSchema({"type": "string", "enum": Opportunity.Kind.values})]
OpportunityStatus = Annotated[Opportunity.Status, WithJsonSchema({"type": "string", "enum": Opportunity.Status.values})]
OpportunitySource = Annotated[Opportunity.Source, WithJsonSchema({"type": "string", "enum": Opportunity.Source.values})]
BuyerKind = Annotated[Buyer.Kind, WithJsonSchema({"type": "string", "enum": Buyer.Kind.values})]


class BuyerRefOut(Schema):
    id: int
    name: str
    is_demo: bool


class BuyerOut(OutSchema, ModelSchema):
    codice_fiscale: str | None
    kind: BuyerKind
    comune: str | None = Field(description="ISTAT code of the buyer's comune.")
    is_demo: bool = Field(description="Invented for demonstration: not a real buyer.")

    class Meta:
        model = Buyer
        fields = ["name", "codice_fiscale", "kind", "website", "is_demo"]

    @staticmethod
    def resolve_comune(buyer: Buyer) -> str | None:
        return buyer.comune.istat_code if buyer.comune else None


class OpportunityOut(OutSchema, ModelSchema):
    kind: OpportunityKind
    status: OpportunityStatus
    source: OpportunitySource
    buyer: BuyerRefOut
    legal_basis: str = Field(description="Code of the legal basis (see the opportunity's detail for its rule).")
    value: Decimal | None = Field(description="Value in EUR, VAT excluded.")
    deadline: datetime | None
    ocid: str | None
    cpv_codes: list[str] = Field(description="CPV codes of the opportunity (its lots' are in the detail).")
    comuni: list[str] = Field(description="ISTAT codes of the comuni it is for; see `whole_area`.")
    reserved_participation: str | None = Field(description="ANAC's code (affidamentiRiservati); null if none.")
    reward_criteria: list[str] = Field(description="ANAC's codes of the reward criteria (misurePremiali).")
    is_demo: bool = Field(description="Invented for demonstration: not a real opportunity.")

    class Meta:
        model = Opportunity
        fields = [
            "kind",
            "title_it",
            "title_en",
            "value",
            "currency",
            "whole_area",
            "published_on",
            "deadline",
            "status",
            "youth_women_hiring_quota",
            "source",
            "ocid",
            "is_demo",
        ]

    @staticmethod
    def resolve_buyer(opportunity: Opportunity) -> dict[str, object]:
        return {"id": opportunity.buyer_id, "name": opportunity.buyer.name, "is_demo": opportunity.buyer.is_demo}

    @staticmethod
    def resolve_legal_basis(opportunity: Opportunity) -> str:
        return opportunity.legal_basis.code

    @staticmethod
    def resolve_cpv_codes(opportunity: Opportunity) -> list[str]:
        return [code.code for code in opportunity.cpv_codes.all()]

    @staticmethod
    def resolve_comuni(opportunity: Opportunity) -> list[str]:
        return [comune.istat_code for comune in opportunity.comuni.all()]

    @staticmethod
    def resolve_reserved_participation(opportunity: Opportunity) -> str | None:
        return opportunity.reserved_participation or None

    @staticmethod
    def resolve_reward_criteria(opportunity: Opportunity) -> list[str]:
        return [str(code) for code in opportunity.reward_criteria or []]


class ValueCapOut(ModelSchema):
    class Meta:
        model = ValueCap
        fields = ["max_value", "valid_from", "valid_to", "inclusive", "source"]


class RuleOut(Schema):
    eligible_legal_forms: list[str] = Field(description="Legal forms admitted (ecosystem codes); empty: any.")
    eligible_runts_sections: list[str] = Field(description="RUNTS sections required; empty: none.")
    third_sector_only: bool
    min_disadvantaged_share: Decimal | None = Field(description="Minimum share of disadvantaged workers (%).")


class LegalBasisOut(ModelSchema):
    rule: RuleOut
    min_months_in_runts: int | None
    excluded_cpv_prefixes: list[str]
    value_caps: list[ValueCapOut]

    class Meta:
        model = LegalBasis
        fields = [
            "code",
            "title_it",
            "title_en",
            "citation",
            "explanation_it",
            "explanation_en",
            "url",
            "valid_from",
            "valid_to",
        ]

    @staticmethod
    def resolve_rule(basis: LegalBasis) -> dict[str, object]:
        return _rule(basis)

    @staticmethod
    def resolve_value_caps(basis: LegalBasis) -> list[ValueCap]:
        return list(basis.value_caps.all())


def _rule(rule: LegalBasis | Opportunity) -> dict[str, object]:
    return {
        "eligible_legal_forms": list(rule.eligible_legal_forms or []),
        "eligible_runts_sections": list(rule.eligible_runts_sections or []),
        "third_sector_only": rule.third_sector_only,
        "min_disadvantaged_share": rule.min_disadvantaged_share,
    }


class LotOut(ModelSchema):
    cpv_codes: list[CpvOut]

    class Meta:
        model = Lot
        fields = ["number", "title", "value"]

    @staticmethod
    def resolve_cpv_codes(lot: Lot) -> list[object]:
        return list(lot.cpv_codes.all())


class DocumentOut(ModelSchema):
    class Meta:
        model = Document
        fields = ["title", "url"]


class CodeOut(Schema):
    code: str
    description_it: str
    description_en: str | None


class SocialClausesOut(Schema):
    reserved_participation: CodeOut | None = Field(description="ANAC's code of reserved participation.")
    youth_women_hiring_quota: bool = Field(description="30% of new hires for young people and women.")
    reward_criteria: list[CodeOut] = Field(description="ANAC's reward criteria (misurePremiali).")


def _code(codes: dict[str, dict[str, str]], code: str) -> dict[str, object]:
    texts = codes.get(code, {})
    return {"code": code, "description_it": texts.get("it", ""), "description_en": texts.get("en") or None}


class OpportunityDetailOut(OpportunityOut):
    description_it: str
    description_en: str | None
    co_design_kind: str | None
    legal_basis_detail: LegalBasisOut = Field(description="The legal basis with the eligibility rule it imposes.")
    own_rule: RuleOut = Field(description="The opportunity's own eligibility rule; it narrows the basis's.")
    cpv_codes_detail: list[CpvOut]
    lots: list[LotOut]
    documents: list[DocumentOut]
    social_clauses: SocialClausesOut
    instrument: str | None
    ticket_min: Decimal | None
    ticket_max: Decimal | None
    rate: Decimal | None
    tenor_months: int | None
    co_financing_share: Decimal | None
    target_age_min: int | None
    target_age_max: int | None
    places: int | None
    address: str | None
    area_m2: Decimal | None
    concession_years: int | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_description_it(opportunity: Opportunity) -> str:
        return opportunity.description_it or ""  # type: ignore[attr-defined]

    @staticmethod
    def resolve_description_en(opportunity: Opportunity) -> str | None:
        return opportunity.description_en or None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_co_design_kind(opportunity: Opportunity) -> str | None:
        return opportunity.co_design_kind or None

    @staticmethod
    def resolve_legal_basis_detail(opportunity: Opportunity) -> LegalBasis:
        return opportunity.legal_basis

    @staticmethod
    def resolve_own_rule(opportunity: Opportunity) -> dict[str, object]:
        return _rule(opportunity)

    @staticmethod
    def resolve_cpv_codes_detail(opportunity: Opportunity) -> list[object]:
        return list(opportunity.cpv_codes.all())

    @staticmethod
    def resolve_lots(opportunity: Opportunity) -> list[Lot]:
        return list(opportunity.lots.all())

    @staticmethod
    def resolve_documents(opportunity: Opportunity) -> list[Document]:
        return list(opportunity.documents.all())

    @staticmethod
    def resolve_social_clauses(opportunity: Opportunity) -> dict[str, object]:
        reserved = opportunity.reserved_participation
        return {
            "reserved_participation": _code(codelists.reserved_participation_codes(), reserved) if reserved else None,
            "youth_women_hiring_quota": opportunity.youth_women_hiring_quota,
            "reward_criteria": [
                _code(codelists.reward_criteria_codes(), str(code)) for code in opportunity.reward_criteria or []
            ],
        }

    @staticmethod
    def resolve_instrument(opportunity: Opportunity) -> str | None:
        return opportunity.instrument or None

    @staticmethod
    def resolve_address(opportunity: Opportunity) -> str | None:
        return opportunity.address or None
