"""Shapes of monitoring in the API: an indicator's definition, its approved values and its status;
the updates reporters send and the office reviews."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, WithJsonSchema

from socialplan.api.params import BIGINT_MAX

from .models import Update
from .selectors import IndicatorProgress, Point


class PointOut(Schema):
    period_start: date = Field(description="First day of the period.")
    period_end: date = Field(description="Last day of the period.")
    value: Decimal | None = Field(description="The indicator's value at the end of the period, in its unit.")

    @staticmethod
    def resolve_period_start(point: Point) -> date:
        return point.period.start

    @staticmethod
    def resolve_period_end(point: Point) -> date:
        return point.period.end


class IndicatorOut(Schema):
    code: str
    title_it: str
    title_en: str
    unit_it: str
    unit_en: str
    measure: str = Field(description="number, percentage, currency or qualitative.")
    direction: str = Field(description="increase or decrease: which way is better.")
    cumulative: bool
    baseline_year: int | None
    baseline_value: Decimal | None
    target_year: int | None
    target_value: Decimal | None
    latest: PointOut | None = Field(description="The latest period with approved data; null before any.")
    status: str = Field(
        description=(
            "Against the target, with Open SDG's growth-rate method: target_achieved, on_track, "
            "moderate_progress, insufficient_progress, deterioration or no_data."
        )
    )

    @staticmethod
    def resolve_code(item: IndicatorProgress) -> str:
        return item.indicator.code

    @staticmethod
    def resolve_title_it(item: IndicatorProgress) -> str:
        return item.indicator.title_it or ""

    @staticmethod
    def resolve_title_en(item: IndicatorProgress) -> str:
        return item.indicator.title_en or ""

    @staticmethod
    def resolve_unit_it(item: IndicatorProgress) -> str:
        return item.indicator.unit_it or ""

    @staticmethod
    def resolve_unit_en(item: IndicatorProgress) -> str:
        return item.indicator.unit_en or ""

    @staticmethod
    def resolve_measure(item: IndicatorProgress) -> str:
        return item.indicator.measure

    @staticmethod
    def resolve_direction(item: IndicatorProgress) -> str:
        return item.indicator.direction

    @staticmethod
    def resolve_cumulative(item: IndicatorProgress) -> bool:
        return item.indicator.cumulative

    @staticmethod
    def resolve_baseline_year(item: IndicatorProgress) -> int | None:
        return item.indicator.baseline_year

    @staticmethod
    def resolve_baseline_value(item: IndicatorProgress) -> Decimal | None:
        return item.indicator.baseline_value

    @staticmethod
    def resolve_target_year(item: IndicatorProgress) -> int | None:
        return item.indicator.target_year

    @staticmethod
    def resolve_target_value(item: IndicatorProgress) -> Decimal | None:
        return item.indicator.target_value

    @staticmethod
    def resolve_latest(item: IndicatorProgress) -> Point | None:
        return item.latest

    @staticmethod
    def resolve_status(item: IndicatorProgress) -> str:
        return str(item.assessment.status.value)


class IndicatorDetailOut(IndicatorOut):
    definition_it: str
    definition_en: str
    source_it: str
    source_en: str
    method_it: str
    method_en: str
    points: list[PointOut] = Field(description="Every period with approved data, in order.")

    @staticmethod
    def resolve_definition_it(item: IndicatorProgress) -> str:
        return item.indicator.definition_it or ""

    @staticmethod
    def resolve_definition_en(item: IndicatorProgress) -> str:
        return item.indicator.definition_en or ""

    @staticmethod
    def resolve_source_it(item: IndicatorProgress) -> str:
        return item.indicator.source_it or ""

    @staticmethod
    def resolve_source_en(item: IndicatorProgress) -> str:
        return item.indicator.source_en or ""

    @staticmethod
    def resolve_method_it(item: IndicatorProgress) -> str:
        return item.indicator.method_it or ""

    @staticmethod
    def resolve_method_en(item: IndicatorProgress) -> str:
        return item.indicator.method_en or ""

    @staticmethod
    def resolve_points(item: IndicatorProgress) -> list[Point]:
        return item.points


# Reporting and review ------------------------------------------------------
# The writes of reporters and the plan office; see reporting_api.py.

UpdateStatus = Annotated[Update.Status, WithJsonSchema({"type": "string", "enum": Update.Status.values})]
# Numbers are exact decimals: send them as JSON numbers or, to keep every digit, as strings ("12.5").
Amount = Decimal | None
# Codes are codes, and no text holds a NUL character (PostgreSQL refuses it): a 422 here, not a 500 there.
CODE_PATTERN = "^[-a-zA-Z0-9_.]+$"
TEXT_PATTERN = "^[^\\x00]*$"


class CycleOut(Schema):
    """A monitoring cycle with the addresses of its report (web page and PDF, in each language)."""

    id: int
    title_it: str
    title_en: str
    starts_on: date = Field(description="Periods ending from this day are asked for.")
    ends_on: date = Field(description="... until this day.")
    due_date: date
    closed_at: datetime | None = Field(description="Null while the cycle is open: its report is provisional.")
    report_it: str = Field(description="The report's page in Italian.")
    report_en: str
    pdf_it: str = Field(description="The report as a PDF, in Italian.")
    pdf_en: str


class PeriodOut(Schema):
    id: int
    start: date
    end: date
    locked: bool = Field(description="A locked period accepts no new update and no change by reporters.")


class OwnUpdateOut(Schema):
    id: int
    status: UpdateStatus
    organization_id: int | None = Field(description="On whose behalf; null for a reporter assigned in person.")
    review_note: str = Field(description="The reviewer's note; what to correct when the update was returned.")


class ReportingPeriodOut(PeriodOut):
    updates: list[OwnUpdateOut] = Field(
        description="The caller's updates for the period: their own, and those of the organizations they report for."
    )


class ReportingIndicatorOut(Schema):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    code: str
    plan: str = Field(description="Slug of the indicator's plan.")
    title_it: str
    title_en: str
    unit_it: str
    unit_en: str
    measure: str = Field(description="number, percentage, currency or qualitative: which fields an update takes.")
    levels: list[str] = Field(description="For a qualitative indicator, the codes of its scale, lowest first.")
    dimensions: list[str] = Field(description="Codes of the dimensions its values are broken down by.")
    periods: list[ReportingPeriodOut]


class BreakdownOut(Schema):
    dimension: str = Field(description="Code of the dimension.")
    category: str = Field(description="Code of the category, or a comune's ISTAT code.")
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


class UpdateOut(Schema):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    id: int
    indicator: str = Field(description="Code of the indicator.")
    plan: str = Field(description="Slug of the indicator's plan.")
    period: PeriodOut
    organization_id: int | None = Field(description="On whose behalf; null for a reporter assigned in person.")
    reporter_id: int | None = Field(description="The user who created the update.")
    status: UpdateStatus
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    level: str | None = Field(description="Code of the level, for a qualitative indicator.")
    level_label_it: str | None
    level_label_en: str | None
    breakdown: list[BreakdownOut]
    narrative: str
    evidence: str | None = Field(description="Name of the evidence file, or null.")
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_note: str

    @staticmethod
    def resolve_indicator(update: Update) -> str:
        return update.period.indicator.code

    @staticmethod
    def resolve_plan(update: Update) -> str:
        return update.period.indicator.plan.slug

    @staticmethod
    def resolve_level(update: Update) -> str | None:
        return update.level.code if update.level else None

    @staticmethod
    def resolve_level_label_it(update: Update) -> str | None:
        return update.level.label_it if update.level else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_level_label_en(update: Update) -> str | None:
        return (update.level.label_en or None) if update.level else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_breakdown(update: Update) -> list[dict[str, Any]]:
        return [
            {
                "dimension": row.dimension.code,
                "category": row.comune.istat_code if row.comune_id else row.category.code,  # type: ignore[union-attr]
                "value": row.value,
                "numerator": row.numerator,
                "denominator": row.denominator,
            }
            for row in update.breakdown.all()
        ]

    @staticmethod
    def resolve_evidence(update: Update) -> str | None:
        return Path(str(update.evidence.name)).name if update.evidence else None


class BreakdownIn(Schema):
    model_config = ConfigDict(extra="forbid")

    dimension: str = Field(
        max_length=50, pattern=CODE_PATTERN, description="Code of one of the indicator's dimensions."
    )
    category: str = Field(
        max_length=50,
        pattern=CODE_PATTERN,
        description="Code of a category of the dimension, or a comune's ISTAT code.",
    )
    value: Amount = None
    numerator: Amount = None
    denominator: Amount = None


class ReportIn(Schema):
    """What is reported: a value (number, currency), a numerator and a denominator (percentage), or a level."""

    model_config = ConfigDict(extra="forbid")

    value: Amount = None
    numerator: Amount = None
    denominator: Amount = None
    level: str | None = Field(
        None, max_length=50, pattern=CODE_PATTERN, description="Code of a level of a qualitative indicator's scale."
    )
    breakdown: list[BreakdownIn] = Field([], max_length=1000)
    narrative: str = Field("", max_length=20000, pattern=TEXT_PATTERN)


class UpdateIn(ReportIn):
    period: int | None = Field(
        None, ge=1, le=BIGINT_MAX, description="Id of the period; or give `on`, a day the period covers."
    )
    on: date | None = Field(None, description="A day of the period reported on; or give `period`.")
    organization: int | None = Field(
        None,
        ge=1,
        le=BIGINT_MAX,
        description="On behalf of this organization, by id; needed only for a member of several assigned ones.",
    )


class ApproveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=5000, pattern=TEXT_PATTERN, description="An optional note for the reporter.")


class ReturnIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(max_length=5000, pattern=TEXT_PATTERN, description="What the reporter must correct (required).")
