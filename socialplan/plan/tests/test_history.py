"""Every plan element keeps its history (who, when, what), in every language."""

import pytest
from django.apps import apps
from modeltranslation.translator import translator

PLAN_MODELS = [
    model for model in apps.get_app_config("plan").get_models() if not model.__name__.startswith("Historical")
]


@pytest.mark.parametrize("model", PLAN_MODELS, ids=lambda model: model.__name__)
def test_history_is_recorded_with_every_language_column(model) -> None:
    historical_fields = {field.name for field in model.history.model._meta.get_fields()}
    assert {"history_user", "history_date", "history_change_reason"} <= historical_fields
    translated = translator.get_options_for_model(model).fields if model in translator.get_registered_models() else ()
    for field in translated:  # a changelog source has no translated field
        assert {f"{field}_it", f"{field}_en"} <= historical_fields


def test_all_plan_models_are_covered() -> None:
    names = {model.__name__ for model in PLAN_MODELS}
    assert names == {
        "Plan",
        "Promoter",
        "VisionPillar",
        "ProcessPhase",
        "ContextReference",
        "Theme",
        "Objective",
        "Action",
        "Milestone",
        "Tool",
        "PlanVersion",
        "ChangelogEntry",
        "ChangelogSource",
    }
