"""Counters of the data the matcher reads; a change moves one, and kept features built before are stale."""

from __future__ import annotations

from django.db.models import F

ORGANIZATIONS = "organizations"
OPPORTUNITIES = "opportunities"


def current(name: str) -> int:
    from .models import Generation

    value = Generation.objects.filter(name=name).values_list("value", flat=True).first()
    return value or 0


def bump(name: str) -> None:
    from .models import Generation

    if not Generation.objects.filter(name=name).update(value=F("value") + 1):
        Generation.objects.get_or_create(name=name, defaults={"value": 1})
