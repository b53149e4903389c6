"""Translated public texts (Italian first, English) and the history of the law as data.

History is registered here, after the translation registration, so that the
historical table of a legal basis carries every language column. Who changed
a rule or a threshold, and when, is kept; opportunities are not historized:
their source (an OCDS release, kept raw) is their record, and the import
writes them in bulk.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import LegalBasis, Opportunity, SocialValueMeasure, ValueCap


@register(LegalBasis)
class LegalBasisTranslation(TranslationOptions):
    fields = ("title", "explanation")


@register(Opportunity)
class OpportunityTranslation(TranslationOptions):
    fields = ("title", "description")


@register(SocialValueMeasure)
class SocialValueMeasureTranslation(TranslationOptions):
    fields = ("name", "unit", "description")


register_history(LegalBasis)
register_history(ValueCap)
