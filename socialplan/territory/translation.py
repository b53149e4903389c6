"""Translated fields (Italian first, English) and change history.

History is registered here, after the translation registration, so that the
historical tables carry every language column. Comune names are not
translated: they are proper nouns, official in the form ISTAT lists them.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Comune, Territory


@register(Territory)
class TerritoryTranslation(TranslationOptions):
    fields = ("name", "attribution")


for model in (Territory, Comune):
    register_history(model)
