"""Every monitoring record keeps its history (who, when, what), in every language."""

import pytest
from django.apps import apps
from modeltranslation.translator import NotRegistered, translator

# Reminders are themselves a log of what was sent (append-only, never edited), and a cycle's report is a file
# the background task builds again from the data: neither has a history of its own.
MONITORING_MODELS = [
    model
    for model in apps.get_app_config("monitoring").get_models()
    if not model.__name__.startswith("Historical") and model.__name__ not in ("Reminder", "CycleReport")
]


def translated_fields(model) -> tuple[str, ...]:
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


@pytest.mark.parametrize("model", MONITORING_MODELS, ids=lambda model: model.__name__)
def test_history_is_recorded_with_every_language_column(model) -> None:
    historical_fields = {field.name for field in model.history.model._meta.get_fields()}
    assert {"history_user", "history_date", "history_change_reason"} <= historical_fields
    for field in translated_fields(model):
        assert {f"{field}_it", f"{field}_en"} <= historical_fields


def test_all_monitoring_models_are_covered() -> None:
    assert {model.__name__ for model in MONITORING_MODELS} == {
        "Dimension",
        "Category",
        "Indicator",
        "IndicatorDimension",
        "QualitativeLevel",
        "Period",
        "DimensionTarget",
        "Update",
        "DimensionValue",
        "Cycle",
    }


def test_who_reports_is_in_the_history_too() -> None:
    names = {model._meta.model_name for model in apps.get_app_config("monitoring").get_models()}
    assert {"historicalindicator_reporters", "historicalindicator_reporting_organizations"} <= names
