"""Translated content fields (Italian first, English) and change history.

History is registered here, after the translation registration, so that the
historical tables carry every language column. A reporter's narrative and a
reviewer's note are not translated: they are written once, in one language.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import (
    Category,
    Cycle,
    Dimension,
    DimensionTarget,
    DimensionValue,
    Indicator,
    IndicatorDimension,
    Period,
    QualitativeLevel,
    Update,
)


@register(Dimension)
class DimensionTranslation(TranslationOptions):
    fields = ("title",)


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("label",)


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("title", "definition", "unit", "baseline_note", "source", "method")


@register(QualitativeLevel)
class QualitativeLevelTranslation(TranslationOptions):
    fields = ("label",)


@register(Cycle)
class CycleTranslation(TranslationOptions):
    fields = ("title",)


for model in (
    Dimension,
    Category,
    IndicatorDimension,
    QualitativeLevel,
    Period,
    DimensionTarget,
    Update,
    DimensionValue,
    Cycle,
):
    register_history(model)
register_history(Indicator, m2m_fields=["reporters", "reporting_organizations"])
