"""Grow a plan tenfold at every level, to show that page query counts do not depend on data size."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max

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


def _texts(field: str, text: str) -> dict[str, str]:
    return {f"{field}_it": text, f"{field}_en": f"{text} (en)"}


def _fill_action(action: Action, *, count: int, today: date) -> None:
    """`count` milestones (done, overdue and upcoming in turn) and `count` tools."""
    offsets = (-30, -10, 30)  # done, overdue, upcoming
    milestones = []
    for index in range(count):
        due = today + timedelta(days=offsets[index % 3])
        completed = due if index % 3 == 0 else None
        milestones.append(
            Milestone(action=action, order=index, due_date=due, completed_on=completed, **_texts("title", f"M{index}"))
        )
    Milestone.objects.bulk_create(milestones)
    Tool.objects.bulk_create(
        Tool(
            action=action, code=f"grown-tool-{index}", order=index, kind=Tool.Kind.FUND, **_texts("title", f"T{index}")
        )
        for index in range(count)
    )


def _fill_objective(objective: Objective, *, count: int, today: date, prefix: str) -> None:
    for index in range(count):
        action = Action.objects.create(
            objective=objective,
            code=f"{prefix}-action-{index}",
            order=100 + index,
            status=list(Action.Status)[index % len(Action.Status)],
            budget=Decimal("1000.50"),
            **_texts("title", f"{prefix} action {index}"),
        )
        _fill_action(action, count=2, today=today)


def grow_plan(plan: Plan, *, factor: int = 10, today: date | None = None) -> None:
    """Add `factor` times more of everything a page lists.

    New themes (with objectives, actions, milestones, tools) for the plan-wide
    pages; new objectives, actions, milestones and tools under the first
    objective and action of every existing theme for the detail pages; more
    pillars, phases and context references for home, process and context.
    """
    today = today or date.today()
    themes = list(Theme.objects.filter(plan=plan))
    next_order = (Theme.objects.filter(plan=plan).aggregate(Max("order"))["order__max"] or 0) + 1
    for index in range(factor * len(themes)):
        kind = Theme.Kind.MACRO if index % 4 else Theme.Kind.CROSS_CUTTING
        theme = Theme.objects.create(
            plan=plan, code=f"grown-theme-{index}", kind=kind, order=next_order + index, **_texts("title", f"G{index}")
        )
        objective = Objective.objects.create(theme=theme, code="o", order=1, **_texts("title", f"G{index} objective"))
        _fill_objective(objective, count=1, today=today, prefix=theme.code)

    for theme in themes:
        objectives = list(theme.objectives.all())
        for index in range(factor * max(len(objectives), 1)):
            objective = Objective.objects.create(
                theme=theme,
                code=f"grown-{index}",
                order=100 + index,
                **_texts("title", f"{theme.code} objective {index}"),
            )
            _fill_objective(objective, count=1, today=today, prefix=f"{theme.code}-{index}")
        for objective in objectives:
            actions = list(objective.actions.all())
            _fill_objective(objective, count=factor * len(actions), today=today, prefix=objective.code)
            for action in actions:
                _fill_action(action, count=factor, today=today)

    for model, field in ((VisionPillar, "title"), (ProcessPhase, "name"), (ContextReference, "title")):
        existing = model.objects.filter(plan=plan).count()
        for index in range(factor * existing):
            extra: dict[str, object] = {"code": f"grown-{index}", **_texts(field, f"{model.__name__} {index}")}
            if model is ProcessPhase:
                extra |= {
                    "order": 100 + index,
                    "start_date": today,
                    "end_date": today,
                    "participants": index,
                    **_texts("participants_label", "people"),
                }
            elif model is ContextReference:
                precision = list(ContextReference.Precision)[index % 3]
                extra |= {"level": list(ContextReference.Level)[index % 4], "date": today, "date_precision": precision}
            else:
                extra |= {"order": 100 + index}
            model.objects.create(plan=plan, **extra)
