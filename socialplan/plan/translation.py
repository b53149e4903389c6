"""Translated content fields (Italian first, English) and change history.

History is registered here, after the translation registration, so that the
historical tables carry every language column.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import (
    Action,
    ChangelogEntry,
    ChangelogSource,
    ContextReference,
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


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("title", "short_title", "territory", "objective", "vision", "structure_principle", "monitoring_principle")


@register(Promoter)
class PromoterTranslation(TranslationOptions):
    fields = ("name",)


@register(VisionPillar)
class VisionPillarTranslation(TranslationOptions):
    fields = ("title", "description")


@register(ProcessPhase)
class ProcessPhaseTranslation(TranslationOptions):
    fields = ("name", "period_label", "description", "participants_label")


@register(ContextReference)
class ContextReferenceTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("title", "summary", "vision")


@register(Objective)
class ObjectiveTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Action)
class ActionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title",)


@register(Tool)
class ToolTranslation(TranslationOptions):
    fields = ("title", "description")


@register(PlanVersion)
class PlanVersionTranslation(TranslationOptions):
    fields = ("summary",)


@register(ChangelogEntry)
class ChangelogEntryTranslation(TranslationOptions):
    fields = ("title", "theme_title", "reason")


for model in (Plan, Promoter, VisionPillar, ProcessPhase, ContextReference, Theme, Objective, Action, Milestone, Tool):
    register_history(model, m2m_fields=["coordinators"] if model is Theme else [])

# A version's snapshot never changes and is large: its history keeps the rest of the row.
register_history(PlanVersion, excluded_fields=["snapshot"])
register_history(ChangelogEntry)
register_history(ChangelogSource)
