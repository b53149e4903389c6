"""Writing processes and phases."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from socialplan.plan.models import Plan

from .models import Opening, Phase, Process

CONTENT_DIR = Path(__file__).resolve().parent / "content"
TRANSLATED = ("title", "summary", "description")


class ContentError(ValueError):
    """The process content file is missing or wrong: the message names the file and the field."""


@dataclass
class HistoryReport:
    process: Process
    created: bool
    phases: int


def read_history_file(name: str) -> dict[str, Any]:
    path = CONTENT_DIR / f"{name}.yaml"
    if not path.exists():
        raise ContentError(f"{path}: no such process content file.")
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML ({error}).") from error
    if not isinstance(content, dict) or not isinstance(content.get("process"), dict):
        raise ContentError(f"{path}: a 'process' mapping is required.")
    if not content["process"].get("slug"):
        raise ContentError(f"{path}: process.slug is required.")
    openings = content.get("openings") or {}
    if not isinstance(openings, dict):
        raise ContentError(f"{path}: 'openings' must map phase codes to lists.")
    for code, values in openings.items():
        unknown = [value for value in values or [] if value not in Opening.values]
        if unknown:
            raise ContentError(f"{path}: openings.{code}: unknown kinds {unknown}; known: {Opening.values}.")
    return content


@transaction.atomic
def sync_plan_history(*, plan: Plan, name: str) -> HistoryReport:
    """Create or update the process that built the plan, its phases copied from the plan's process phases.

    Phases are matched by code; a phase removed from the plan is removed here.
    Running it twice changes nothing.
    """
    content = read_history_file(name)
    fields = content["process"]
    defaults: dict[str, Any] = {"is_plan_history": True, "order": 0}
    for field in TRANSLATED:
        for language in ("it", "en"):
            value = fields.get(f"{field}_{language}")
            if value is not None:
                defaults[f"{field}_{language}"] = value
    defaults["title"] = defaults.get("title_it", fields["slug"])
    process, created = Process.objects.update_or_create(plan=plan, slug=fields["slug"], defaults=defaults)
    openings = content.get("openings") or {}
    codes = []
    for source in plan.phases.order_by("order", "pk"):
        codes.append(source.code)
        Phase.objects.update_or_create(
            process=process,
            code=source.code,
            defaults={
                "order": source.order,
                "title_it": source.name_it,
                "title_en": source.name_en,
                "title": source.name_it,
                "description_it": source.description_it,
                "description_en": source.description_en,
                "start_date": source.start_date,
                "end_date": source.end_date,
                "period_label_it": source.period_label_it,
                "period_label_en": source.period_label_en,
                "participants": source.participants,
                "participants_at_least": source.participants_at_least,
                "participants_label_it": source.participants_label_it,
                "participants_label_en": source.participants_label_en,
                "openings": list(openings.get(source.code) or []),
            },
        )
    process.phases.exclude(code__in=codes).delete()
    return HistoryReport(process=process, created=created, phases=len(codes))
