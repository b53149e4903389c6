"""Validate a release package against OCDS 1.1.5 and the extensions it uses, offline."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4

SCHEMA = Path(__file__).resolve().parent / "schema"
RELEASE_SCHEMA_URI = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def _load(name: str) -> dict[str, Any]:
    with (SCHEMA / name).open(encoding="utf-8") as stream:
        return json.load(stream)  # type: ignore[no-any-return]


def _merge(target: Any, patch: Any) -> Any:
    """JSON merge patch (RFC 7386), as OCDS applies extensions to the release schema."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("_"):
            continue
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _merge(merged.get(key), value)
    return merged


@cache
def _validator() -> Draft4Validator:
    release_schema = _merge(_load("release-schema.json"), _load("extensions.json"))
    registry = Registry().with_resource(RELEASE_SCHEMA_URI, DRAFT4.create_resource(release_schema))
    return Draft4Validator(_load("release-package-schema.json"), registry=registry, format_checker=FormatChecker())


def validation_errors(package: dict[str, Any]) -> list[str]:
    """Every schema error of the package, as "path: message"; empty when the package is valid."""
    return [
        "/".join(str(part) for part in error.absolute_path) + f": {error.message}"
        for error in sorted(_validator().iter_errors(package), key=lambda error: list(map(str, error.absolute_path)))
    ]
