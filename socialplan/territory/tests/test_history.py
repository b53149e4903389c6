"""Territory and comuni keep their history (who, when, what), in every language."""

import pytest
from modeltranslation.translator import translator

from socialplan.territory.models import Comune, Territory


@pytest.mark.parametrize("model", [Territory, Comune], ids=lambda model: model.__name__)
def test_history_is_recorded_with_every_language_column(model) -> None:
    historical_fields = {field.name for field in model.history.model._meta.get_fields()}
    assert {"history_user", "history_date", "history_change_reason", "istat_code"} <= historical_fields
    if model is Territory:
        for field in translator.get_options_for_model(model).fields:
            assert {f"{field}_it", f"{field}_en"} <= historical_fields
