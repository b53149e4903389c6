"""Translated content fields (Italian first, English) and the history of alignments.

History is registered here, after the translation registration, so that the
historical table carries every language column of the note.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Alignment, Framework, FrameworkItem


@register(Framework)
class FrameworkTranslation(TranslationOptions):
    fields = ("title",)


@register(FrameworkItem)
class FrameworkItemTranslation(TranslationOptions):
    fields = ("title",)


@register(Alignment)
class AlignmentTranslation(TranslationOptions):
    fields = ("note",)


register_history(Alignment)
