"""The registry's YAML data files (legal bases, social value measures): one reader, one error, one report.

A file holds a list of entries under one key, each a mapping with a unique
`code`; every fault is raised as a `DataFileError` naming the file, the entry
(by code when it has one, else by position), the field and the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.db.models import Model

Entry = TypeVar("Entry")


class DataFileError(ValueError):
    def __init__(self, path: Path, entry: str, field: str, reason: str) -> None:
        self.path, self.entry, self.field, self.reason = path, entry, field, reason
        super().__init__(f"{path.name}: {entry}: '{field}': {reason}")


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def upsert_by_code(
    model: type[Model],
    values: dict[str, Any],
    *,
    snapshot: Callable[[Any], Any],
    replace_children: Callable[[Any], None],
    report: LoadReport,
) -> None:
    """Create the row with this code or set the file's values on it, replace what hangs on it, and report
    whether it was created, changed or left as it was (`snapshot` reads the row and its children)."""
    instance = model.objects.filter(code=values["code"]).first()  # type: ignore[attr-defined]
    before = snapshot(instance) if instance is not None else None
    if instance is None:
        instance = model(**values)
    else:
        for name, value in values.items():
            setattr(instance, name, value)
    instance.save()
    replace_children(instance)
    if before is None:
        report.created.append(values["code"])
    elif before == snapshot(instance):
        report.unchanged.append(values["code"])
    else:
        report.updated.append(values["code"])


def read_entries(
    path: Path,
    key: str,
    entry: Callable[[Path, Any, int], Entry],
    code: Callable[[Entry], str],
    error: type[DataFileError],
) -> list[Entry]:
    """Every entry of the list `key` of the file, each read by `entry`, the codes unique."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as fault:
        raise error(path, "file", "-", f"cannot be read ({fault.strerror})") from fault
    except yaml.YAMLError as fault:
        raise error(path, "file", "-", f"is not valid YAML ({fault})") from fault
    raw_entries = content.get(key) if isinstance(content, dict) else None
    if not isinstance(raw_entries, list) or not raw_entries:
        raise error(path, "file", key, f"a list '{key}' is missing")
    entries, seen = [], set()
    for position, raw in enumerate(raw_entries, start=1):
        found = entry(path, raw, position)
        if code(found) in seen:
            raise error(path, f"entry '{code(found)}'", "code", "the code is used twice")
        seen.add(code(found))
        entries.append(found)
    return entries


def entry_name(path: Path, raw: Any, position: int, *, known: set[str], error: type[DataFileError]) -> str:
    """How the errors name an entry (its code, or its position); refuses a non-mapping and unknown keys."""
    where = f"entry {position}"
    if not isinstance(raw, dict):
        raise error(path, where, "-", "is not a mapping")
    if isinstance(raw.get("code"), str) and raw["code"].strip():
        where = f"entry '{raw['code'].strip()}'"
    unknown = sorted(set(map(str, raw)) - known)
    if unknown:
        raise error(path, where, unknown[0], "is not a known field")
    return where


def text_values(
    path: Path,
    where: str,
    raw: dict[str, Any],
    *,
    required: Iterable[str],
    optional: Iterable[str],
    error: type[DataFileError],
) -> dict[str, str]:
    """The entry's text fields, stripped: the required ones not empty, the optional ones text or absent."""
    values: dict[str, str] = {}
    for name in required:
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            raise error(path, where, name, "is missing or empty")
        values[name] = value.strip()
    for name in optional:
        value = raw.get(name) or ""
        if not isinstance(value, str):
            raise error(path, where, name, "must be text")
        values[name] = value.strip()
    return values
