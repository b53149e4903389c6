"""ANAC's codelists for social clauses, read from `data/` (copied unchanged from anticorruzione/npa)."""

import json
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def _codelist(name: str) -> dict[str, dict[str, str]]:
    """{code: {language: description}} of one codelist file."""
    entries = json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return {str(entry["codice"]): entry["descrizione"] for entry in entries}


def reserved_participation_codes() -> dict[str, dict[str, str]]:
    return _codelist("affidamentiRiservati")


def reward_criteria_codes() -> dict[str, dict[str, str]]:
    return _codelist("misurePremiali")


def choices(codes: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """(code, description in the active language, Italian when missing) for a form's choices."""
    language = (get_language() or "it")[:2]
    return [(code, f"{code}: {texts.get(language) or texts['it']}") for code, texts in codes.items()]
