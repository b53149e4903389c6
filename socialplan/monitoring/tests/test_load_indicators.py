"""`load_plan torino` loads the Turin indicator set: idempotent, never overwriting editors' work silently."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from socialplan.ecosystem.models import LegalForm
from socialplan.monitoring import content
from socialplan.monitoring.content import LOAD_REASON, load_indicator_content
from socialplan.monitoring.models import Category, Dimension, Indicator, QualitativeLevel, Update
from socialplan.plan.models import Plan, Theme
from socialplan.plan.services import load_plan


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_plan", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_turin_indicator_set_covers_every_theme_and_the_youth_lens() -> None:
    output = run("torino", "-v", "2")
    plan = Plan.objects.get(slug="torino")
    indicators = Indicator.objects.filter(plan=plan)
    assert 20 <= indicators.count() <= 25
    themes_covered = {indicator.theme or getattr(indicator.objective, "theme", None) or getattr(
        getattr(indicator.action, "objective", None), "theme", None) for indicator in indicators}  # fmt: skip
    assert set(Theme.objects.filter(plan=plan)) <= themes_covered  # six macro-themes, both cross-cutting elements
    assert indicators.filter(theme__isnull=True, objective__isnull=True, action__isnull=True).exists()  # the plan
    assert indicators.filter(objective__isnull=False).exists() and indicators.filter(action__isnull=False).exists()
    # Youth lens: under-35 shares, and age bands whose under-35 part can be read separately.
    assert indicators.filter(code__contains="under35").count() == 2
    assert indicators.filter(dimensions__code="age-band").count() >= 4
    assert set(Category.objects.filter(under_35=True).values_list("code", flat=True)) == {"0-14", "15-24", "25-34"}
    # Every measure, both languages, a source and a method for each; no values.
    assert set(indicators.values_list("measure", flat=True)) == set(Indicator.Measure.values)
    for indicator in indicators:
        assert indicator.title_it and indicator.title_en and indicator.definition_it and indicator.definition_en
        assert indicator.source_it and indicator.method_en, indicator.code
    assert not indicators.exclude(baseline_value=None).exists() and not Update.objects.exists()
    assert list(QualitativeLevel.objects.filter(indicator__code="gov-thematic-tables").values_list("rank", "code")) == [
        (1, "not-constituted"),
        (2, "constituted"),
        (3, "meeting-regularly"),
        (4, "co-designing"),
    ]
    assert indicators.get(code="sp-social-clauses-share").history.latest().history_change_reason == LOAD_REASON
    assert "created indicator torino/plan-actions-under-way" in output


@pytest.mark.django_db
def test_the_legal_form_categories_are_the_ecosystems_legal_forms() -> None:
    load_plan(name="torino")
    categories = Category.objects.filter(dimension__code="legal-form")
    assert set(categories.values_list("code", flat=True)) == {*LegalForm.values, "not_stated"}
    with translation.override("en"):
        for value, label in LegalForm.choices:
            assert categories.get(code=value).label_en == str(label)
    assert Dimension.objects.get(code="comune").kind == Dimension.Kind.COMUNE


@pytest.mark.django_db
def test_a_second_run_changes_nothing() -> None:
    first = load_plan(name="torino")
    history_rows = Indicator.history.count(), Category.history.count()
    second = load_plan(name="torino")
    assert any(label.startswith("indicator torino/") for label in first.created)
    assert not second.created and not second.updated and not second.differences
    assert second.unchanged == len(first.created)
    assert (Indicator.history.count(), Category.history.count()) == history_rows


@pytest.mark.django_db
def test_editors_changes_are_reported_and_kept() -> None:
    load_plan(name="torino")
    Indicator.objects.filter(code="inc-volunteers").update(title_en="Volunteers")
    output = run("torino")
    assert "indicator torino/inc-volunteers: title_en is 'Volunteers' in the database" in output
    assert Indicator.objects.get(code="inc-volunteers").title_en == "Volunteers"
    run("torino", "--overwrite")
    assert Indicator.objects.get(code="inc-volunteers").title_en == "Volunteers of social economy organizations"


@pytest.fixture
def indicator_file(tmp_path: Path, monkeypatch):
    """A replacement for the Turin indicator file; the test writes its indicators."""
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    (tmp_path / "dimensions.yaml").write_text(content.DIMENSIONS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(content, "DIMENSIONS_FILE", tmp_path / "dimensions.yaml")

    def write(*indicators: dict) -> None:
        (tmp_path / "torino.yaml").write_text(yaml.safe_dump({"plan": "torino", "indicators": list(indicators)}))

    return write


GOOD = {"code": "ok", "theme": "governance", "title_it": "Buono", "unit_it": "n", "measure": "number"}


@pytest.mark.parametrize(
    ("indicator", "message"),
    [
        ({**GOOD, "theme": "nowhere"}, "plan 'torino' has no theme 'nowhere'"),
        ({**GOOD, "theme": None, "objective": "sp-o1"}, "write the objective as 'theme/objective'"),
        ({**GOOD, "colour": "red"}, "unknown keys colour"),
        ({**GOOD, "dimensions": ["height"]}, "unknown dimension 'height'"),
        ({**GOOD, "measure": "qualitative"}, "needs the levels of its scale"),
        ({**GOOD, "measure": "sideways"}, "measure"),
        ({**GOOD, "objective": "social-procurement/sp-o1"}, "give one of theme, objective, action"),
    ],
)
@pytest.mark.django_db
def test_a_bad_indicator_file_writes_nothing_at_all(indicator_file, indicator, message) -> None:
    indicator = {key: value for key, value in indicator.items() if value is not None}
    indicator_file(GOOD | {"code": "first"}, indicator)
    with pytest.raises(CommandError, match=message):
        run("torino")
    assert not Plan.objects.exists() and not Indicator.objects.exists() and not Dimension.objects.exists()


@pytest.mark.django_db
def test_a_plan_without_an_indicator_file_loads_alone(indicator_file, tmp_path) -> None:
    load_plan(name="torino")
    assert Plan.objects.exists() and not Indicator.objects.exists()


@pytest.mark.django_db
def test_an_indicator_set_for_another_plan_is_refused(torino) -> None:
    with pytest.raises(ValidationError, match="for plan 'roma', not 'torino'"):
        load_indicator_content(plan=torino, content={"plan": "roma", "indicators": []})
