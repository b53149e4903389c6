"""Shapes of monitoring in the API: an indicator's definition, its approved values and its status."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

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
