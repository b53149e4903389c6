"""Loading a plan's indicator set from the repository, with the plan.

`manage.py load_plan <name>` sends `plan_content_loaded`; when
`content/<name>.yaml` exists here, its indicators are loaded into the same
transaction and report, by the plan loader's own ContentLoader: idempotent on
natural keys (a dimension's code, a category's code in its dimension, an
indicator's code in its plan, a level's code in its indicator), differences
with the database reported and kept unless `--overwrite`. The dimensions and
their categories (`content/dimensions.yaml`) are shared by every plan and are
loaded first. Indicators come without values: values arrive through updates.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError

from socialplan.plan.models import Action, Objective, Plan, Theme
from socialplan.plan.services import ContentLoader, LoadReport

from .models import Category, Dimension, Indicator, IndicatorDimension, QualitativeLevel

CONTENT_DIR = Path(__file__).resolve().parent / "content"
DIMENSIONS_FILE = CONTENT_DIR / "dimensions.yaml"
LOAD_REASON = "Loaded from the monitoring content file"

# Keys of an indicator in the content file besides its fields.
ELEMENT_KEYS = ("theme", "objective", "action")
STRUCTURE_KEYS = {"code", *ELEMENT_KEYS, "dimensions", "levels"}


def load_indicators_with_plan(*, plan: Plan, name: str, overwrite: bool, report: LoadReport, **_signal: Any) -> None:
    """Receiver of plan_content_loaded: the indicator set of the same name, if there is one."""
    path = CONTENT_DIR / f"{name}.yaml"
    if path.exists():
        load_indicator_content(plan=plan, content=_read(path), overwrite=overwrite, report=report)


def load_indicator_content(
    *, plan: Plan, content: dict[str, Any], overwrite: bool = False, report: LoadReport | None = None
) -> LoadReport:
    report = report if report is not None else LoadReport()
    loader = ContentLoader(report=report, overwrite=overwrite, reason=LOAD_REASON)
    if content.get("plan") != plan.slug:
        raise ValidationError(f"The indicator set is for plan '{content.get('plan')}', not '{plan.slug}'.")
    dimensions = load_dimensions(loader=loader, content=_read(DIMENSIONS_FILE))
    for order, item in enumerate(content.get("indicators", []), start=1):
        _load_indicator(loader, plan=plan, item=item, order=order, dimensions=dimensions)
    return report


def load_dimensions(*, loader: ContentLoader, content: dict[str, Any]) -> dict[str, Dimension]:
    dimensions = {}
    for order, item in enumerate(content["dimensions"], start=1):
        values = {key: value for key, value in item.items() if key != "categories"}
        dimension = loader.upsert_child(Dimension, parent={}, item=values, order=order)
        for category_order, category in enumerate(item.get("categories", []), start=1):
            loader.upsert_child(Category, parent={"dimension": dimension}, item=category, order=category_order)
        dimensions[dimension.code] = dimension
    return dimensions


def _load_indicator(
    loader: ContentLoader, *, plan: Plan, item: dict[str, Any], order: int, dimensions: dict[str, Dimension]
) -> None:
    code = item.get("code")
    unknown = sorted(set(item) - STRUCTURE_KEYS - _indicator_fields())
    if unknown:
        raise ValidationError(f"indicator '{code}': unknown keys {', '.join(unknown)}.")
    given = [key for key in ELEMENT_KEYS if key in item]
    if len(given) > 1:
        raise ValidationError(f"indicator '{code}': give one of theme, objective, action (none for the plan).")
    values = {key: value for key, value in item.items() if key not in STRUCTURE_KEYS}
    values.update({"theme": None, "objective": None, "action": None, "order": order})
    if given:
        values[given[0]] = _element(plan, given[0], item[given[0]], code=code)
    indicator = loader.upsert(Indicator, lookup={"plan": plan, "code": code}, values=values)
    for dimension_order, dimension_code in enumerate(item.get("dimensions", []), start=1):
        if dimension_code not in dimensions:
            raise ValidationError(
                f"indicator '{code}': unknown dimension '{dimension_code}'; known: {', '.join(dimensions)}."
            )
        loader.upsert(
            IndicatorDimension,
            lookup={"indicator": indicator, "dimension": dimensions[dimension_code]},
            values={"order": dimension_order},
        )
    for rank, level in enumerate(item.get("levels", []), start=1):
        loader.upsert_child(QualitativeLevel, parent={"indicator": indicator}, item={**level, "rank": rank}, order=None)
    if indicator.is_qualitative and not item.get("levels"):
        raise ValidationError(f"indicator '{code}': a qualitative indicator needs the levels of its scale.")


def _element(plan: Plan, kind: str, path: str, *, code: str | None) -> Theme | Objective | Action:
    """A theme by code, an objective by 'theme/objective', an action by 'theme/objective/action'."""
    parts = str(path).split("/")
    lookups = {
        "theme": (Theme, ("plan", "code"), "theme"),
        "objective": (Objective, ("theme__plan", "theme__code", "code"), "theme/objective"),
        "action": (
            Action,
            ("objective__theme__plan", "objective__theme__code", "objective__code", "code"),
            "theme/objective/action",
        ),
    }
    model, keys, form = lookups[kind]
    if len(parts) != len(keys) - 1:
        raise ValidationError(f"indicator '{code}': write the {kind} as '{form}' (codes), not '{path}'.")
    element = model._default_manager.filter(**dict(zip(keys, [plan, *parts], strict=True))).first()
    if element is None:
        raise ValidationError(f"indicator '{code}': plan '{plan.slug}' has no {kind} '{path}'.")
    return element  # type: ignore[return-value]


def _indicator_fields() -> set[str]:
    """The indicator's own fields a content file may set (the plan, identity and links come from elsewhere)."""
    return {
        model_field.name
        for model_field in Indicator._meta.get_fields()
        if model_field.concrete and not model_field.many_to_many
    } - {"id", "plan", "contributes_to"}


def _read(path: Path) -> dict[str, Any]:
    """The parsed file; a copy, so that nothing a load does can alter the next load's content."""
    return copy.deepcopy(_parsed(path, path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, modified: int) -> dict[str, Any]:
    # libyaml's parser when PyYAML has it: the pure-Python one takes a tenth of a second per file.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        content: dict[str, Any] = yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader, in C
    return content
