"""Shapes of the plan in the open-data API.

Every translated text appears in both languages (`title_it`, `title_en`):
open-data users reuse the content in either language without a second
request, and an English field left empty reads as null rather than silently
falling back to Italian. Items name their parents by id or plan slug, so a
client can follow the named levels Plan -> Theme -> Objective -> Action ->
Tool without nesting whole trees into lists.

Choice fields are enums inlined in the OpenAPI document: the model's
TextChoices share class names (Plan.Status and Action.Status are both
"Status"), which as $ref components would overwrite each other.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import ModelSchema, Schema
from pydantic import ConfigDict, Field, WithJsonSchema

from .models import (
    Action,
    ChangelogEntry,
    ChangelogSource,
    ContextReference,
    ElementKind,
    Milestone,
    Objective,
    Plan,
    PlanVersion,
    ProcessPhase,
    Promoter,
    Theme,
    Tool,
    VisionPillar,
)


class OutSchema(Schema):
    """Base of every answer: each field is always sent, even when it holds the default.

    Marking fields with defaults as required in the (serialization) schema
    tells clients and schemathesis that they can rely on every key.
    """

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    id: int


PlanStatus = Annotated[Plan.Status, WithJsonSchema({"type": "string", "enum": Plan.Status.values})]
ThemeKind = Annotated[Theme.Kind, WithJsonSchema({"type": "string", "enum": Theme.Kind.values})]
ActionStatus = Annotated[Action.Status, WithJsonSchema({"type": "string", "enum": Action.Status.values})]
ToolKind = Annotated[Tool.Kind, WithJsonSchema({"type": "string", "enum": Tool.Kind.values})]
ReferenceLevel = Annotated[
    ContextReference.Level, WithJsonSchema({"type": "string", "enum": ContextReference.Level.values})
]
DatePrecision = Annotated[
    ContextReference.Precision, WithJsonSchema({"type": "string", "enum": ContextReference.Precision.values})
]


class PromoterOut(OutSchema, ModelSchema):
    class Meta:
        model = Promoter
        fields = ["code", "order", "name_it", "name_en", "acronym", "url"]


class VisionPillarOut(OutSchema, ModelSchema):
    class Meta:
        model = VisionPillar
        fields = ["code", "order", "title_it", "title_en", "description_it", "description_en"]


class PlanOut(OutSchema, ModelSchema):
    status: PlanStatus

    class Meta:
        model = Plan
        fields = [
            "slug",
            "title_it",
            "title_en",
            "short_title_it",
            "short_title_en",
            "territory_it",
            "territory_en",
            "municipalities",
            "status",
            "period_start",
            "period_end",
            "approved_on",
            "objective_it",
            "objective_en",
            "vision_it",
            "vision_en",
            "structure_principle_it",
            "structure_principle_en",
            "monitoring_principle_it",
            "monitoring_principle_en",
        ]


class PlanDetailOut(PlanOut):
    promoters: list[PromoterOut]
    pillars: list[VisionPillarOut]


class ThemeOut(OutSchema, ModelSchema):
    plan: str = Field(description="Slug of the plan the theme belongs to.")
    kind: ThemeKind

    class Meta:
        model = Theme
        fields = [
            "code",
            "kind",
            "order",
            "title_it",
            "title_en",
            "summary_it",
            "summary_en",
            "vision_it",
            "vision_en",
        ]

    @staticmethod
    def resolve_plan(theme: Theme) -> str:
        return theme.plan.slug


class ObjectiveOut(OutSchema, ModelSchema):
    theme_id: int

    class Meta:
        model = Objective
        fields = ["code", "order", "title_it", "title_en", "description_it", "description_en"]


class ThemeDetailOut(ThemeOut):
    objectives: list[ObjectiveOut]


class ActionOut(OutSchema, ModelSchema):
    objective_id: int
    theme_id: int
    status: ActionStatus

    class Meta:
        model = Action
        fields = [
            "code",
            "order",
            "title_it",
            "title_en",
            "description_it",
            "description_en",
            "status",
            "start_date",
            "end_date",
            "weight",
            "budget",
        ]

    @staticmethod
    def resolve_theme_id(action: Action) -> int:
        return action.objective.theme_id


class ObjectiveDetailOut(ObjectiveOut):
    actions: list[ActionOut]


class MilestoneOut(OutSchema, ModelSchema):
    class Meta:
        model = Milestone
        fields = ["order", "title_it", "title_en", "due_date", "completed_on"]


class ToolOut(OutSchema, ModelSchema):
    action_id: int
    kind: ToolKind

    class Meta:
        model = Tool
        fields = ["code", "order", "kind", "title_it", "title_en", "description_it", "description_en", "url"]


class ActionDetailOut(ActionOut):
    milestones: list[MilestoneOut]
    tools: list[ToolOut]


class PhaseOut(OutSchema, ModelSchema):
    plan: str = Field(description="Slug of the plan the phase belongs to.")

    class Meta:
        model = ProcessPhase
        fields = [
            "code",
            "order",
            "name_it",
            "name_en",
            "start_date",
            "end_date",
            "period_label_it",
            "period_label_en",
            "description_it",
            "description_en",
            "participants",
            "participants_at_least",
            "participants_label_it",
            "participants_label_en",
        ]

    @staticmethod
    def resolve_plan(phase: ProcessPhase) -> str:
        return phase.plan.slug


class ReferenceOut(OutSchema, ModelSchema):
    plan: str = Field(description="Slug of the plan the reference belongs to.")
    level: ReferenceLevel
    date_precision: DatePrecision

    class Meta:
        model = ContextReference
        fields = [
            "code",
            "level",
            "date",
            "date_precision",
            "title_it",
            "title_en",
            "description_it",
            "description_en",
            "url",
        ]

    @staticmethod
    def resolve_plan(reference: ContextReference) -> str:
        return reference.plan.slug


class ActionReportIn(Schema):
    """A reporting update: only the fields sent change; other fields are refused, not ignored.

    Status and weight may be left out but not cleared (the model requires
    them); a date may be cleared with null.
    """

    model_config = ConfigDict(extra="forbid")

    # The None defaults only mark "left out" (model_dump(exclude_unset=True)
    # drops them); the types, and so the OpenAPI document, refuse an explicit null.
    status: ActionStatus = Field(None, description="New status of the action.")  # type: ignore[assignment]
    start_date: date | None = None
    end_date: date | None = Field(None, description="Not before start_date.")
    weight: Decimal = Field(  # type: ignore[assignment]
        None, ge=0, max_digits=6, decimal_places=2, description="Relative weight, 0 or more."
    )


ChangeKind = Annotated[ChangelogEntry.Change, WithJsonSchema({"type": "string", "enum": ChangelogEntry.Change.values})]
ElementKindValue = Annotated[ElementKind, WithJsonSchema({"type": "string", "enum": ElementKind.values})]


class VersionOut(OutSchema, ModelSchema):
    plan: str = Field(description="Slug of the plan.")
    change_count: int = Field(description="How many changes the version made to the one before it.")

    class Meta:
        model = PlanVersion
        fields = ["number", "published_at", "summary_it", "summary_en"]

    @staticmethod
    def resolve_plan(version: PlanVersion) -> str:
        return version.plan.slug

    @staticmethod
    def resolve_change_count(version: PlanVersion) -> int:
        return int(getattr(version, "change_count", 0))


class ChangelogSourceOut(Schema):
    label: str = Field(description="The contribution, in words.")
    url: str = Field(description="Where to read it; empty when there is no page.")
    contribution_type: str | None = Field(description="'app_label.model' of a contribution on the platform.")
    contribution_id: int | None

    @staticmethod
    def resolve_label(source: ChangelogSource) -> str:
        return str(source)

    @staticmethod
    def resolve_url(source: ChangelogSource) -> str:
        return source.link

    @staticmethod
    def resolve_contribution_type(source: ChangelogSource) -> str | None:
        content_type = source.content_type
        return f"{content_type.app_label}.{content_type.model}" if content_type else None

    @staticmethod
    def resolve_contribution_id(source: ChangelogSource) -> int | None:
        return source.object_id


class ChangelogEntryOut(Schema):
    change: ChangeKind
    element_kind: ElementKindValue
    element_key: str = Field(description="The element's codes from its theme down, stable across versions.")
    previous_key: str = Field(description="Where a moved element was before; empty otherwise.")
    title_it: str
    title_en: str | None
    theme_title_it: str
    theme_title_en: str | None
    changed_fields: list[str]
    reason_it: str
    reason_en: str | None
    sources: list[ChangelogSourceOut]

    @staticmethod
    def resolve_sources(entry: ChangelogEntry) -> list[ChangelogSource]:
        return list(entry.sources.all())


class VersionDetailOut(VersionOut):
    changelog: list[ChangelogEntryOut]

    @staticmethod
    def resolve_changelog(version: PlanVersion) -> list[ChangelogEntry]:
        return list(version.changelog.all())


class FieldChangeOut(Schema):
    field: str = Field(description="The field, e.g. 'title_it' or 'status'.")
    old: str | None
    new: str | None


class DifferenceOut(Schema):
    change: ChangeKind
    element_kind: ElementKindValue
    element_key: str
    previous_key: str
    title_it: str
    title_en: str
    fields: list[FieldChangeOut] = Field(description="Field by field, for changed and moved elements.")


class DiffOut(Schema):
    plan: str
    from_version: int
    to_version: int
    differences: list[DifferenceOut]
