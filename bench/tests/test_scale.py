"""The scale-data generator: exact totals, repeatable rows, data that obeys the plan's own rules.

Benchmarks and query budgets are only as good as the data they run on, so the
generator is pinned like any other service.
"""

from collections import Counter

import pytest
from django.db.models import F, Q

from bench.scale import SCALES, generate, plan_totals
from socialplan.plan.models import Action, Milestone, Objective, Plan


def _fingerprint(plan: Plan) -> list[tuple]:
    actions = Action.objects.filter(objective__theme__plan=plan).order_by("objective__code", "code")
    return list(
        actions.values_list(
            "objective__code", "code", "title_it", "title_en", "status", "start_date", "end_date", "budget", "weight"
        )
    ) + list(
        Milestone.objects.filter(action__objective__theme__plan=plan)
        .order_by("action__code", "order")
        .values_list("action__code", "order", "title_it", "due_date", "completed_on")
    )


def test_metro_fills_the_turin_plan_to_its_totals_under_the_real_themes(torino):
    result = generate(scale="metro")

    metro = SCALES["metro"]
    assert result.totals["themes"] == 8
    assert (result.totals["objectives"], result.totals["actions"], result.totals["milestones"]) == (
        metro.objectives,
        metro.actions,
        metro.milestones,
    )
    assert 0.8 * metro.actions <= result.totals["tools"] <= 1.2 * metro.actions
    assert Objective.objects.filter(theme__plan=torino, code__startswith="gen-").values("theme").distinct().count() == 8


def test_running_the_same_scale_again_adds_nothing(torino):
    generate(scale="metro")
    before = plan_totals(plan=torino)

    again = generate(scale="metro")

    assert set(again.created.values()) == {0}
    assert plan_totals(plan=torino) == before


def test_the_same_scale_gives_the_same_rows(torino):
    generate(scale="metro")
    first = _fingerprint(torino)
    Objective.objects.filter(theme__plan=torino, code__startswith="gen-").delete()

    generate(scale="metro")

    assert _fingerprint(torino) == first


def test_generated_data_obeys_the_plan_rules_and_spreads_statuses_and_languages(torino):
    generate(scale="metro")
    actions = Action.objects.filter(objective__theme__plan=torino, code__startswith="gen-")
    milestones = Milestone.objects.filter(action__in=actions)

    assert not actions.filter(end_date__lt=F("start_date")).exists()
    assert not milestones.filter(
        Q(due_date__lt=F("action__start_date")) | Q(due_date__gt=F("action__end_date"))
    ).exists()
    assert not actions.filter(Q(title_en="") | Q(title_en__isnull=True)).exists()
    statuses = Counter(actions.values_list("status", flat=True))
    assert set(statuses) == set(Action.Status.values)
    assert milestones.filter(completed_on__isnull=False).exists()
    assert milestones.filter(completed_on__isnull=True).exists()


def test_an_unknown_scale_or_a_missing_plan_is_refused(db):
    with pytest.raises(ValueError, match="Unknown scale"):
        generate(scale="galactic")
    with pytest.raises(LookupError, match="load_plan torino"):
        generate(scale="metro")
