"""Where the reference data lives: `shared/data` beside the checkout, or SOCIALPLAN_SHARED_DATA."""

import json
import os
from pathlib import Path

import pytest

SHARED_DATA = Path(
    os.environ.get("SOCIALPLAN_SHARED_DATA") or Path(__file__).resolve().parents[4].parent / "shared" / "data"
)
ANAC_SAMPLE = SHARED_DATA / "anac" / "anac_sample_compiled_releases.json"
ANAC_HISTORY = SHARED_DATA / "anac" / "anac_history.jsonl"
OCDS_SCHEMA = SHARED_DATA / "ocds-1.1.5"


@pytest.fixture
def anac_releases() -> list[dict]:
    with ANAC_SAMPLE.open(encoding="utf-8") as stream:
        return json.load(stream)["releases"]


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


@pytest.fixture(autouse=True, scope="session")
def reference_data() -> None:
    """The real ANAC files and the official schema are what these tests are about: missing, they fail."""
    if not ANAC_SAMPLE.is_file():
        pytest.fail(
            f"reference data not found at {SHARED_DATA}: put shared/data beside the checkout "
            "or set SOCIALPLAN_SHARED_DATA"
        )
