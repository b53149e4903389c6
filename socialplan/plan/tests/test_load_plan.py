"""load_plan: the real Turin plan, idempotent, never overwriting editors' work silently."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from socialplan.plan.models import (
    Action,
    ContextReference,
    Milestone,
    Objective,
    Plan,
    ProcessPhase,
    Theme,
    Tool,
    VisionPillar,
)
from socialplan.plan.services import LOAD_REASON, load_plan, load_plan_content


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_plan", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_loads_the_turin_plan_as_presented_by_its_promoters() -> None:
    run("torino")
    plan = Plan.objects.get(slug="torino")
    assert plan.title_it == "Piano Metropolitano per l'Economia Sociale"
    assert plan.objective_it.startswith("L'obiettivo è diffondere un nuovo modello di crescita")
    assert plan.municipalities == 312
    assert [p.acronym for p in plan.promoters.all()] == ["CmTO", "CCIAA Torino"]
    assert list(VisionPillar.objects.values_list("title_it", flat=True)) == [
        "Integrazione nella politica industriale",
        "Partnership multi-attore",
        "Centralità dei giovani",
    ]
    phases = list(ProcessPhase.objects.all())
    assert len(phases) == 6
    assert [p.period_label_it for p in phases] == [
        "Lug - Ago 2024",
        "Set - Dic 2024",
        "4 Dic 2024",
        "Feb - Mar 2025",
        "Apr 2025",
        "2025",
    ]
    assert (phases[1].figure, phases[2].figure) == ("30", "100+")
    themes = Theme.objects.filter(plan=plan)
    assert themes.filter(kind=Theme.Kind.MACRO).count() == 6
    assert set(themes.filter(kind=Theme.Kind.CROSS_CUTTING).values_list("title_it", flat=True)) == {
        "Misurazione",
        "Comunicazione",
    }
    procurement = themes.get(code="social-procurement")
    assert procurement.vision_it.startswith("Favorire co-programmazione, co-progettazione e social procurement")
    assert Objective.objects.filter(theme=procurement).count() == 3
    assert Action.objects.filter(objective__theme=procurement).count() == 3
    agreement = ContextReference.objects.get(code="cmto-cciaa-agreement")
    assert (agreement.level, agreement.date.isoformat()) == ("local", "2024-07-18")
    assert "obiettivi, azioni e strumenti" in plan.structure_principle_it
    assert "percorso di transizione, sul modello europeo" in plan.monitoring_principle_it
    assert plan.history.latest().history_change_reason == LOAD_REASON


@pytest.mark.django_db
def test_a_second_run_changes_nothing() -> None:
    first = load_plan(name="torino")
    history_rows = Theme.history.count()
    second = load_plan(name="torino")
    assert first.created and not second.created and not second.updated and not second.differences
    assert second.unchanged == len(first.created)
    assert Theme.history.count() == history_rows


@pytest.mark.django_db
def test_editors_changes_are_reported_and_kept() -> None:
    load_plan(name="torino")
    Theme.objects.filter(code="governance").update(title_it="Governance del Piano")
    output = run("torino")
    assert (
        "title_it is 'Governance del Piano' in the database, 'Governance e partnership' in the content file" in output
    )
    assert Theme.objects.get(code="governance").title_it == "Governance del Piano"

    run("torino", "--overwrite")
    assert Theme.objects.get(code="governance").title_it == "Governance e partnership"


@pytest.mark.django_db
def test_unknown_territory_lists_the_known_ones() -> None:
    with pytest.raises(CommandError, match=r"Unknown plan 'roma'\. Known plans: torino"):
        run("roma")
    assert not Plan.objects.exists()


MINIMAL_PLAN = {
    "plan": {"slug": "demo", "title_it": "Piano di prova", "territory_it": "Comune di prova"},
    "themes": [
        {
            "code": "t1",
            "title_it": "Tema",
            "objectives": [
                {
                    "code": "o1",
                    "title_it": "Obiettivo",
                    "actions": [
                        {
                            "code": "a1",
                            "title_it": "Azione",
                            "start_date": "2025-01-01",
                            "end_date": "2025-12-31",
                            "tools": [{"code": "s1", "kind": "fund", "title_it": "Fondo"}],
                            "milestones": [{"title_it": "Avvio", "due_date": "2025-03-01"}],
                        }
                    ],
                }
            ],
        }
    ],
}


@pytest.mark.django_db
def test_tools_and_milestones_load_and_reload() -> None:
    first = load_plan_content(content=MINIMAL_PLAN)
    second = load_plan_content(content=MINIMAL_PLAN)
    assert len(first.created) == 6 and not second.created and not second.differences
    assert Tool.objects.get().kind == "fund"
    assert Milestone.objects.get().due_date.isoformat() == "2025-03-01"


@pytest.mark.django_db
def test_an_invalid_content_file_writes_nothing() -> None:
    broken = {**MINIMAL_PLAN, "themes": [{**MINIMAL_PLAN["themes"][0], "kind": "sideways"}]}
    with pytest.raises(ValidationError, match="kind"):
        load_plan_content(content=broken)
    assert not Plan.objects.exists()


@pytest.fixture
def receiver():
    """Connect a receiver of plan_content_loaded for one test."""
    from socialplan.plan.services import plan_content_loaded

    def connect(function) -> None:
        plan_content_loaded.connect(function, dispatch_uid="test-receiver")

    yield connect
    plan_content_loaded.disconnect(dispatch_uid="test-receiver")


@pytest.mark.django_db
def test_other_apps_load_their_content_of_the_same_name_into_the_report(receiver) -> None:
    received = []

    def load_more(*, plan, name, overwrite, report, **_signal) -> None:
        received.append((plan.slug, name, overwrite))
        report.created.append("something else")

    receiver(load_more)
    report = load_plan(name="torino", overwrite=True)
    assert received == [("torino", "torino", True)]
    assert "something else" in report.created


@pytest.mark.django_db
def test_a_failing_extension_rolls_the_whole_load_back(receiver) -> None:
    def broken(**_signal) -> None:
        raise ValidationError("the other content is not valid")

    receiver(broken)
    with pytest.raises(CommandError, match="the other content is not valid"):
        run("torino")
    assert not Plan.objects.exists()
