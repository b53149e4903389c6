"""Loading a plan's alignments from the repository, with the plan.

`manage.py load_plan <name>` sends `plan_content_loaded`; when
`content/<name>.yaml` exists here, its links from the plan's elements to
framework items are loaded into the same transaction and report, by the
plan loader's ContentLoader (idempotent on the item and the element; a note
edited on the platform is reported and kept unless `--overwrite`). When no
framework is loaded yet, the reference frameworks are loaded first.

Every element and every framework item of the file is looked up before
anything is written: an unknown code is a ValidationError naming it, and the
whole load rolls back.

    plan: torino
    elements:
      - links: [...]                       # the plan itself
      - theme: social-procurement
        links:
          - {framework: EU-CR, item: EU-CR-2.5, note_it: ..., note_en: ...}
      - objective: social-procurement/sp-o1
      - action: social-procurement/sp-o1/sp-s1
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from socialplan.plan.models import Action, Objective, Plan, Theme
from socialplan.plan.services import ContentLoader, LoadReport

from .models import Alignment, FrameworkItem
from .services import LOAD_REASON, PlanElement, frameworks_loaded, load_frameworks

CONTENT_DIR = Path(__file__).resolve().parent / "content"
ELEMENT_KEYS = ("theme", "objective", "action")
LINK_KEYS = {"framework", "item", "note_it", "note_en"}


def load_alignments_with_plan(*, plan: Plan, name: str, overwrite: bool, report: LoadReport, **_signal: Any) -> None:
    """Receiver of plan_content_loaded: the alignments of the same name, if there are any."""
    path = CONTENT_DIR / f"{name}.yaml"
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            content = yaml.safe_load(handle)
        load_alignment_content(plan=plan, content=content, overwrite=overwrite, report=report)


@transaction.atomic
def load_alignment_content(
    *, plan: Plan, content: dict[str, Any], overwrite: bool = False, report: LoadReport | None = None
) -> LoadReport:
    report = report if report is not None else LoadReport()
    if content.get("plan") != plan.slug:
        raise ValidationError(f"The alignments are for plan '{content.get('plan')}', not '{plan.slug}'.")
    if not frameworks_loaded():
        # Reference data, not the plan's content: loaded once, reported by `load_frameworks` itself.
        load_frameworks(report=LoadReport())
    links = _resolved_links(plan, content.get("elements") or [])
    loader = ContentLoader(report=report, overwrite=overwrite, reason=LOAD_REASON)
    for kind, element, item, notes in links:
        loader.upsert(Alignment, lookup={"item": item, kind: element}, values=notes)
    return report


Link = tuple[str, PlanElement, FrameworkItem, dict[str, str]]


def _resolved_links(plan: Plan, entries: list[dict[str, Any]]) -> list[Link]:
    elements = _elements_by_path(plan)
    items = {(item.framework.code, item.code): item for item in FrameworkItem.objects.select_related("framework")}
    frameworks = {framework for framework, _code in items}
    links: list[Link] = []
    for entry in entries:
        given = [key for key in ELEMENT_KEYS if key in entry]
        if len(given) > 1:
            raise ValidationError(f"An entry names {' and '.join(given)}: give one of them (none for the plan).")
        kind = given[0] if given else "plan"
        path = str(entry[kind]) if given else ""
        element = elements.get((kind, path))
        if element is None:
            raise ValidationError(f"Plan '{plan.slug}' has no {kind} '{path}' (write codes as 'theme/objective').")
        for link in entry.get("links") or []:
            links.append(
                (kind, element, _item(link, items, frameworks, where=f"{kind} '{path or plan.slug}'"), _notes(link))
            )
    return links


def _item(
    link: dict[str, Any], items: dict[tuple[str, str], FrameworkItem], frameworks: set[str], *, where: str
) -> FrameworkItem:
    unknown_keys = sorted(set(link) - LINK_KEYS)
    if unknown_keys:
        raise ValidationError(f"A link of {where} has unknown keys: {', '.join(unknown_keys)}.")
    framework, code = str(link.get("framework")), str(link.get("item"))
    if framework not in frameworks:
        raise ValidationError(
            f"A link of {where} names the unknown framework '{framework}'; known: {', '.join(sorted(frameworks))}."
        )
    item = items.get((framework, code))
    if item is None:
        raise ValidationError(f"A link of {where} names the unknown item '{code}' of framework '{framework}'.")
    return item


def _notes(link: dict[str, Any]) -> dict[str, str]:
    return {"note_it": str(link.get("note_it") or ""), "note_en": str(link.get("note_en") or "")}


def _elements_by_path(plan: Plan) -> dict[tuple[str, str], PlanElement]:
    """Every element of the plan by kind and code path ('', 'theme', 'theme/objective', 'theme/objective/action')."""
    elements: dict[tuple[str, str], PlanElement] = {("plan", ""): plan}
    for theme in Theme.objects.filter(plan=plan):
        elements["theme", theme.code] = theme
    for objective in Objective.objects.filter(theme__plan=plan).select_related("theme"):
        elements["objective", f"{objective.theme.code}/{objective.code}"] = objective
    for action in Action.objects.filter(objective__theme__plan=plan).select_related("objective__theme"):
        elements["action", f"{action.objective.theme.code}/{action.objective.code}/{action.code}"] = action
    return elements
