"""Shapes of the alignment in the open-data API: frameworks, their items, the plan's links and its coverage.

Every translated text in both languages (`title_it`, `title_en`), as in the
plan's API; items and links name their framework and parent by code.
"""

from typing import Annotated, Literal

from ninja import ModelSchema, Schema
from pydantic import ConfigDict, Field

from socialplan.api.params import BIGINT_MAX
from socialplan.plan.schemas import OutSchema

from .models import Alignment, Framework, FrameworkItem

ElementKind = Literal["plan", "theme", "objective", "action"]


class FrameworkOut(OutSchema, ModelSchema):
    class Meta:
        model = Framework
        fields = ["code", "order", "title_it", "title_en", "publisher", "year", "reference", "url"]


class FrameworkItemOut(OutSchema, ModelSchema):
    parent: str | None = Field(description="Code of the parent item (an SDG target's goal), or null.")

    class Meta:
        model = FrameworkItem
        fields = ["code", "order", "title_it", "title_en", "verified"]

    @staticmethod
    def resolve_parent(item: FrameworkItem) -> str | None:
        return item.parent.code if item.parent is not None else None


class FrameworkDetailOut(FrameworkOut):
    items: list[FrameworkItemOut]

    @staticmethod
    def resolve_items(framework: Framework) -> list[FrameworkItem]:
        return sorted(framework.items.all(), key=lambda item: item.order)


class AlignmentOut(OutSchema, ModelSchema):
    framework: str = Field(description="Code of the framework.")
    item: str = Field(description="Code of the item in its framework.")
    item_id: int
    element: ElementKind = Field(description="Which kind of plan element addresses the item.")
    plan: str = Field(description="Slug of the plan the element belongs to.")
    theme_id: int | None
    objective_id: int | None
    action_id: int | None

    class Meta:
        model = Alignment
        fields = ["note_it", "note_en"]

    @staticmethod
    def resolve_framework(alignment: Alignment) -> str:
        return alignment.item.framework.code

    @staticmethod
    def resolve_item(alignment: Alignment) -> str:
        return alignment.item.code

    @staticmethod
    def resolve_element(alignment: Alignment) -> str:
        return alignment.element_kind

    @staticmethod
    def resolve_plan(alignment: Alignment) -> str:
        if alignment.plan is not None:
            return alignment.plan.slug
        theme = alignment.theme or (alignment.objective or alignment.action.objective).theme  # type: ignore[union-attr]
        return theme.plan.slug


class CoverOut(Schema):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    element: ElementKind
    id: int = Field(description="Id of the plan, theme, objective or action.")
    title: str = Field(description="In the language of the request.")


class ItemCoverageOut(Schema):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    code: str
    parent: str | None
    title_it: str
    title_en: str | None
    covered: bool = Field(description="Linked to an element of the plan, directly or through a sub-item.")
    covered_by: list[CoverOut] = Field(description="The plan's elements linked to this very item.")


class FrameworkCoverageOut(Schema):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    code: str
    title_it: str
    title_en: str | None
    total: Annotated[int, Field(ge=0)]
    covered: Annotated[int, Field(ge=0)]
    not_covered_yet: list[str] = Field(description="Codes of the topmost uncovered items (each with its sub-items).")
    items: list[ItemCoverageOut]


class CoverageOut(Schema):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    plan: str | None = Field(description="Slug of the plan, or null when no plan is loaded.")
    frameworks: list[FrameworkCoverageOut]


# Codes are codes, and no text holds a NUL character (PostgreSQL refuses it): a 422 here, not a 500 there.
CODE = "^[-a-zA-Z0-9_.]+$"
TEXT = "^[^\\x00]*$"


class AlignmentIn(Schema):
    """A link to record: the element as the reads identify it (kind and id, or kind and code), and the item."""

    model_config = ConfigDict(extra="forbid")

    element: ElementKind = Field(description="Which kind of plan element addresses the item.")
    id: int | None = Field(None, ge=1, le=BIGINT_MAX, description="Id of the plan, theme, objective or action.")
    code: str | None = Field(
        None,
        max_length=200,
        pattern="^[-a-zA-Z0-9_/]+$",
        description=(
            "Or its code: the plan's slug, a theme's code, 'theme/objective' or 'theme/objective/action' "
            "(as in the plan's content files), in `plan`."
        ),
    )
    plan: str | None = Field(
        None,
        pattern="^[-a-zA-Z0-9_]+$",
        max_length=50,
        description="With `code`: the plan's slug; default the portal's.",
    )
    framework: str = Field(max_length=40, pattern=CODE, description="Code of the framework, e.g. 'EU-CR'.")
    item: str = Field(max_length=40, pattern=CODE, description="Code of the item in its framework, e.g. 'EU-CR-2.5'.")
    note_it: str = Field("", max_length=5000, pattern=TEXT, description="How the element addresses the item (Italian).")
    note_en: str = Field("", max_length=5000, pattern=TEXT, description="The same in English.")
