"""Writes to the territory: loading a territory file committed in the repository.

`load_territory` behaves like `load_plan`: idempotent on natural keys (the
territory's code, each comune's ISTAT code), one transaction, and never an
overwrite without being asked: where the database differs from the file
(a platform admin corrected a name, or the file was rebuilt from newer
data) each difference is reported and the database is kept unless the caller
asks to overwrite. The file is checked whole before anything is written.
Comuni in the database but no longer in the file (merged or suppressed since)
are reported and kept: other records may point at them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from .models import Comune, Territory
from .reader import FileProblem, TerritoryFile, TerritoryFileError, read_territory_file

DATA_DIR = Path(__file__).resolve().parent / "data"
LOAD_REASON = "Loaded from the territory file"
SHORT_VALUE = 60


class UnknownTerritory(LookupError):
    def __init__(self, code: str, known: list[str]) -> None:
        self.code = code
        self.known = known
        super().__init__(f"Unknown territory '{code}'. Known territories: {', '.join(known) or 'none'}.")


@dataclass(frozen=True)
class Difference:
    element: str
    field: str
    in_database: Any
    in_file: Any

    def __str__(self) -> str:
        return (
            f"{self.element}: {self.field} is {_short(self.in_database)} in the database, "
            f"{_short(self.in_file)} in the territory file"
        )


@dataclass
class LoadReport:
    territory: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    differences: list[Difference] = field(default_factory=list)
    missing_from_file: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


def available_territories() -> list[str]:
    """The codes of the territory files in the repository, e.g. ['TO'] for data/to.geojson."""
    return sorted(path.stem.upper() for path in DATA_DIR.glob("*.geojson"))


def territory_file(code: str) -> Path:
    known = available_territories()
    if code.upper() not in known:
        raise UnknownTerritory(code, known)
    return DATA_DIR / f"{code.lower()}.geojson"


def load_territory(*, code: str, overwrite: bool = False) -> LoadReport:
    """Load the repository's file of territory `code` (e.g. 'TO')."""
    return load_territory_file(path=territory_file(code), overwrite=overwrite, expected_code=code.upper())


def load_territory_file(*, path: Path, overwrite: bool = False, expected_code: str | None = None) -> LoadReport:
    """Load any territory file; raise TerritoryFileError, writing nothing, when it is not valid."""
    data = read_territory_file(path)
    if expected_code is not None and data.territory["code"] != expected_code:
        reason = f"is {data.territory['code']!r}, the file was loaded as {expected_code!r}"
        raise TerritoryFileError([FileProblem(str(path), None, "metadata.territory.code", reason)])
    return _write(data=data, overwrite=overwrite)


@transaction.atomic
def _write(*, data: TerritoryFile, overwrite: bool) -> LoadReport:
    loader = _Loader(path=str(data.path), report=LoadReport(territory=data.territory["code"]), overwrite=overwrite)
    territory_values = dict(data.territory)
    code = territory_values.pop("code")
    territory = Territory.objects.filter(code=code).first()
    if territory is None:
        territory = Territory(code=code, **territory_values)
        loader.save(territory, feature=None)
        loader.report.created.append(f"territory {code}")
    else:
        loader.update(territory, territory_values, label=f"territory {code}", feature=None)

    existing = Comune.objects.in_bulk([record.values["istat_code"] for record in data.comuni], field_name="istat_code")
    new: list[Comune] = []
    for record in data.comuni:
        values = {**record.values, "territory_id": territory.pk}
        label = f"comune {values['istat_code']} {values['name']}"
        instance = existing.get(values["istat_code"])
        if instance is None:
            instance = Comune(**values)
            loader.clean(instance, feature=record.index)
            new.append(instance)
            loader.report.created.append(label)
        else:
            loader.update(instance, values, label=label, feature=record.index)
    if new:
        bulk_create_with_history(new, Comune, default_change_reason=LOAD_REASON)

    missing = Comune.objects.filter(territory=territory).exclude(
        istat_code__in=[r.values["istat_code"] for r in data.comuni]
    )
    loader.report.missing_from_file = [f"comune {c.istat_code} {c.name}" for c in missing.only("istat_code", "name")]
    return loader.report


@dataclass
class _Loader:
    path: str
    report: LoadReport
    overwrite: bool

    def update(self, instance: models.Model, values: dict[str, Any], *, label: str, feature: int | None) -> None:
        differences = [
            Difference(label, name, getattr(instance, name), value)
            for name, value in values.items()
            if getattr(instance, name) != value
        ]
        if not differences:
            self.report.unchanged += 1
        elif self.overwrite:
            for difference in differences:
                setattr(instance, difference.field, difference.in_file)
            self.save(instance, feature=feature)
            self.report.updated.append(label)
        else:
            self.report.differences.extend(differences)

    def clean(self, instance: models.Model, *, feature: int | None) -> None:
        """Validate like a form would; the database constraints guard the population sums."""
        try:
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems = [
                FileProblem(self.path, feature, name, " ".join(messages))
                for name, messages in error.message_dict.items()
            ]
            raise TerritoryFileError(problems) from error

    def save(self, instance: models.Model, *, feature: int | None) -> None:
        self.clean(instance, feature=feature)
        instance._change_reason = LOAD_REASON  # type: ignore[attr-defined]
        instance.save()


def _short(value: Any) -> str:
    """A value fit for one line of a report: boundaries run to kilobytes."""
    text = repr(value)
    if len(text) <= SHORT_VALUE:
        return text
    return f"{text[:SHORT_VALUE]}... ({len(text)} characters)"
