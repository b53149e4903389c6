"""Reading the reference frameworks from the files in `data/`, checked whole before anything is written.

`frameworks.yaml` lists the social economy frameworks with their items (code,
it/en labels, parent, `verified`); `sdg/` holds the 2030 Agenda's metadata
and the goals and targets in Italian and English, keyed `1-short`,
`1-title`, `1-1-title`, `1-a-title`. Both become FrameworkSpec values; any
fault raises ReferenceDataError naming the file, the item and the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
ITEM_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")
SDG_TARGET_KEY = re.compile(r"^(?P<goal>\d+)-(?P<target>[0-9a-z]+)-title$")


class ReferenceDataError(ValueError):
    def __init__(self, path: Path, item: str, reason: str) -> None:
        self.path, self.item, self.reason = path, item, reason
        super().__init__(f"{path.name}: {item}: {reason}")


@dataclass(frozen=True)
class ItemSpec:
    code: str
    parent: str | None
    title_it: str
    title_en: str
    verified: bool = True


@dataclass
class FrameworkSpec:
    code: str
    title_it: str
    title_en: str
    publisher: str
    year: int | None
    reference: str
    url: str
    items: list[ItemSpec] = field(default_factory=list)

    @property
    def values(self) -> dict[str, Any]:
        """The framework's own fields, as the model holds them."""
        return {
            "title_it": self.title_it,
            "title_en": self.title_en,
            "publisher": self.publisher,
            "year": self.year,
            "reference": self.reference,
            "url": self.url,
        }


def read_frameworks(data_dir: Path = DATA_DIR) -> list[FrameworkSpec]:
    """Every framework of the data folder, in order: those of frameworks.yaml, then the SDGs."""
    frameworks = [*_social_economy_frameworks(data_dir / "frameworks.yaml"), _sdg_framework(data_dir / "sdg")]
    seen: set[str] = set()
    for framework in frameworks:
        if framework.code in seen:
            raise ReferenceDataError(data_dir / "frameworks.yaml", f"framework '{framework.code}'", "listed twice")
        seen.add(framework.code)
    return frameworks


def _social_economy_frameworks(path: Path) -> list[FrameworkSpec]:
    content = _load(path)
    entries = content.get("frameworks") if isinstance(content, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ReferenceDataError(path, "file", "a list 'frameworks' is missing")
    return [_framework(path, entry, position) for position, entry in enumerate(entries, start=1)]


def _framework(path: Path, entry: Any, position: int) -> FrameworkSpec:
    where = f"framework {position}"
    if not isinstance(entry, dict):
        raise ReferenceDataError(path, where, "is not a mapping")
    code = _text(path, where, entry, "code")
    where = f"framework '{code}'"
    spec = FrameworkSpec(
        code=code,
        title_it=_text(path, where, entry, "title_it"),
        title_en=_text(path, where, entry, "title_en"),
        publisher=_text(path, where, entry, "issuer"),
        year=_year(path, where, entry.get("date")),
        reference=str(entry.get("reference") or ""),
        url=str(entry.get("url") or ""),
    )
    items = entry.get("items")
    if not isinstance(items, list) or not items:
        raise ReferenceDataError(path, where, "has no 'items'")
    for item in items:
        spec.items.append(_item(path, spec, item))
    return spec


def _item(path: Path, framework: FrameworkSpec, entry: Any) -> ItemSpec:
    if not isinstance(entry, dict):
        raise ReferenceDataError(path, f"an item of '{framework.code}'", "is not a mapping")
    code = _text(path, f"an item of '{framework.code}'", entry, "code")
    where = f"item '{code}' of '{framework.code}'"
    if not ITEM_CODE.match(code):
        raise ReferenceDataError(path, where, "the code may hold only letters, digits, dots and hyphens")
    known = {item.code for item in framework.items}
    if code in known:
        raise ReferenceDataError(path, where, "the code is used twice")
    parent = entry.get("parent")
    if parent is not None and str(parent) not in known:
        raise ReferenceDataError(path, where, f"the parent '{parent}' is not an item listed before it")
    verified = entry.get("verified", True)
    if not isinstance(verified, bool):
        raise ReferenceDataError(path, where, "'verified' must be true or false")
    return ItemSpec(
        code=code,
        parent=None if parent is None else str(parent),
        title_it=_text(path, where, entry, "label_it"),
        title_en=_text(path, where, entry, "label_en"),
        verified=verified,
    )


def _sdg_framework(folder: Path) -> FrameworkSpec:
    """The 2030 Agenda: each goal (short name) with its targets (full text) beneath it."""
    meta_path = folder / "framework.yaml"
    meta = _load(meta_path)
    if not isinstance(meta, dict):
        raise ReferenceDataError(meta_path, "file", "is not a mapping")
    code = _text(meta_path, "framework", meta, "code")
    where = f"framework '{code}'"
    spec = FrameworkSpec(
        code=code,
        title_it=_text(meta_path, where, meta, "title_it"),
        title_en=_text(meta_path, where, meta, "title_en"),
        publisher=_text(meta_path, where, meta, "issuer"),
        year=_year(meta_path, where, meta.get("date")),
        reference=str(meta.get("reference") or ""),
        url=str(meta.get("url") or ""),
    )
    goals = _labels_in_both_languages(folder, "global_goals")
    targets = _labels_in_both_languages(folder, "global_targets")
    goal_numbers = sorted({int(key.split("-")[0]) for key in goals if key.endswith("-short")})
    for number in goal_numbers:
        short = f"{number}-short"
        spec.items.append(ItemSpec(str(number), None, goals[short][0], goals[short][1]))
    goal_codes = {str(number) for number in goal_numbers}
    for key, (title_it, title_en) in sorted(targets.items(), key=lambda pair: _target_order(pair[0])):
        match = SDG_TARGET_KEY.match(key)
        if match is None or match["goal"] not in goal_codes:
            raise ReferenceDataError(folder / "global_targets_en.yml", f"target '{key}'", "belongs to no known goal")
        spec.items.append(ItemSpec(f"{match['goal']}.{match['target']}", match["goal"], title_it, title_en))
    return spec


def _labels_in_both_languages(folder: Path, stem: str) -> dict[str, tuple[str, str]]:
    """{key: (Italian, English)} from `<stem>_it.yml` and `<stem>_en.yml`, which must hold the same keys."""
    italian, english = (_load(folder / f"{stem}_{language}.yml") for language in ("it", "en"))
    for language, labels in (("it", italian), ("en", english)):
        if not isinstance(labels, dict) or not labels:
            raise ReferenceDataError(folder / f"{stem}_{language}.yml", "file", "is not a mapping of labels")
    missing = sorted(set(italian) ^ set(english))
    if missing:
        raise ReferenceDataError(folder / f"{stem}_it.yml", f"'{missing[0]}'", "is not in both languages")
    for key in italian:
        for language, labels in (("it", italian), ("en", english)):
            if not isinstance(labels[key], str) or not labels[key].strip():
                raise ReferenceDataError(folder / f"{stem}_{language}.yml", f"'{key}'", "the label is empty")
    return {key: (italian[key].strip(), english[key].strip()) for key in italian}


def _target_order(key: str) -> tuple[int, int, str]:
    """1.1 < 1.2 < 1.10 < 1.a: numbered targets first, in number order, then lettered ones (means of implementation)."""
    parts = key.split("-")
    goal = int(parts[0]) if parts[0].isdigit() else 0
    target = parts[1] if len(parts) > 1 else ""
    return (goal, int(target) if target.isdigit() else 1000, target)


def _text(path: Path, where: str, entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str | int) or not str(value).strip():
        raise ReferenceDataError(path, where, f"'{key}' is missing or empty")
    return str(value).strip()


def _year(path: Path, where: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.year
    raise ReferenceDataError(path, where, f"'date' must be a date such as 2023-11-27, not {value!r}")


def _load(path: Path) -> Any:
    if not path.exists():
        raise ReferenceDataError(path, "file", "does not exist")
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise ReferenceDataError(path, "file", f"is not valid YAML ({error})") from error
