"""Translated content fields of the conversations (Italian first, English); statements stay as written."""

from modeltranslation.translator import TranslationOptions, register

from .models import Conversation


@register(Conversation)
class ConversationTranslation(TranslationOptions):
    fields = ("title", "question", "description")
