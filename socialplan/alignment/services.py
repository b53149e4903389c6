"""Writes of the alignment app: loading the reference frameworks, linking plan elements to their items.

`load_frameworks` reads and checks every file first (reference_data.py), then
writes in one transaction with the plan loader's ContentLoader: idempotent on
natural keys (a framework's code, an item's code in its framework), created
and updated rows reported, differences with the database (an administrator
corrected a label) reported and kept unless `overwrite`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from socialplan.plan.models import Action, Objective, Plan, Theme
from socialplan.plan.services import ContentLoader, LoadReport

from .models import Alignment, Framework, FrameworkItem
from .reference_data import DATA_DIR, FrameworkSpec, read_frameworks

LOAD_REASON = "Loaded from the reference frameworks"

PlanElement = Plan | Theme | Objective | Action


@transaction.atomic
def load_frameworks(
    *, data_dir: Path = DATA_DIR, overwrite: bool = False, report: LoadReport | None = None
) -> LoadReport:
    """Load every framework of `data_dir` with its items (into `report`, if given).

    Raises ReferenceDataError, before writing anything, when a file is not valid.
    """
    frameworks = read_frameworks(data_dir)
    loader = ContentLoader(
        report=report if report is not None else LoadReport(), overwrite=overwrite, reason=LOAD_REASON
    )
    for order, spec in enumerate(frameworks, start=1):
        _load_framework(loader, spec=spec, order=order)
    return loader.report


def _load_framework(loader: ContentLoader, *, spec: FrameworkSpec, order: int) -> None:
    framework = loader.upsert(Framework, lookup={"code": spec.code}, values={**spec.values, "order": order})
    items: dict[str, FrameworkItem] = {}
    for item_order, item in enumerate(spec.items, start=1):
        values = {
            "parent": items[item.parent] if item.parent else None,
            "title_it": item.title_it,
            "title_en": item.title_en,
            "verified": item.verified,
            "order": item_order,
        }
        items[item.code] = loader.upsert(
            FrameworkItem, lookup={"framework": framework, "code": item.code}, values=values
        )


def frameworks_loaded() -> bool:
    return Framework.objects.exists()


def element_kind(element: PlanElement) -> str:
    """The Alignment field that holds `element`: 'plan', 'theme', 'objective' or 'action'."""
    for kind, model in (("plan", Plan), ("theme", Theme), ("objective", Objective), ("action", Action)):
        if isinstance(element, model):
            return kind
    raise TypeError(f"{element!r} is not a plan, a theme, an objective or an action.")


@transaction.atomic
def align(
    *,
    element: PlanElement,
    item: FrameworkItem,
    note_it: str = "",
    note_en: str = "",
    user: AbstractBaseUser | None = None,
) -> Alignment:
    """Link `element` to `item` (or update the note of the existing link), validated, with its history."""
    kind = element_kind(element)
    alignment = Alignment.objects.filter(item=item, **{kind: element}).first() or Alignment(
        item=item, **{kind: element}
    )
    alignment.note_it, alignment.note_en = note_it, note_en
    alignment.full_clean()
    _save_with_history(alignment, user=user, reason="Alignment recorded")
    return alignment


def _save_with_history(instance: Any, *, user: AbstractBaseUser | None, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason
    instance.save()


@transaction.atomic
def remove_alignment(*, alignment: Alignment, user: AbstractBaseUser | None = None) -> None:
    """Delete a link, leaving a history record that names the user."""
    alignment._history_user = user  # type: ignore[attr-defined]
    alignment._change_reason = "Alignment removed"  # type: ignore[attr-defined]
    alignment.delete()
