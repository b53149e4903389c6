"""Translated content fields of processes and phases (Italian first, English)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Phase, Process


@register(Process)
class ProcessTranslation(TranslationOptions):
    fields = ("title", "summary", "description")


@register(Phase)
class PhaseTranslation(TranslationOptions):
    fields = ("title", "description", "period_label", "participants_label")
