"""Fixtures of the territory tests: the committed Turin file, loaded or as a broken copy."""

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from socialplan.territory.models import Territory
from socialplan.territory.services import load_territory, territory_file


@pytest.fixture(scope="session")
def to_document() -> dict[str, Any]:
    """The committed file of the Città metropolitana di Torino, parsed (read-only: copy before changing)."""
    return json.loads(territory_file("TO").read_text(encoding="utf-8"))


@pytest.fixture
def turin(db) -> Territory:
    load_territory(code="TO")
    return Territory.objects.get(code="TO")


@pytest.fixture
def broken_copy(tmp_path: Path, to_document: dict[str, Any]) -> Callable[[Callable[[dict[str, Any]], None]], Path]:
    """Write a copy of the Turin file changed by `change(document)` and return its path."""

    def make(change: Callable[[dict[str, Any]], None]) -> Path:
        document = copy.deepcopy(to_document)
        change(document)
        path = tmp_path / "to.geojson"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        return path

    return make
