"""How close two classified activities are: CPV to CPV along the hierarchy, ATECO to CPV by table.

CPV 2008 codes have eight digits and a hierarchy read from the left: two for the
division (90000000), three for the group (90900000), four for the class
(90910000), five for the category (90911000), and further digits below.
Trailing zeros are not part of a code's meaning: capability 90910000 is the
class "cleaning services" and covers every code that starts with 9091.

Some groups and classes are catch-alls ("Miscellaneous business and
business-related services", 79900000, holds reception desks and event
organizing alike): sharing one says little, so it counts as sharing the level
above it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

ATECO_CPV_FILE = Path(__file__).parent / "content" / "ateco_cpv.yaml"

# The affinity of two CPV codes by the deepest level they share; a capability whose meaning
# contains the opportunity's code covers it (1.0), one inside it answers part of it.
COVERS = 1.0
INSIDE = 0.8
SHARED_LEVEL = {4: 0.6, 3: 0.45, 2: 0.3}
LEVEL_NAMES = {2: "division", 3: "group", 4: "class"}

# The first word of the English label of a catch-all group or class in CPV 2008.
CATCH_ALL_WORDS = frozenset({"Miscellaneous", "Other", "Various"})

# ATECO to CPV: a close correspondence (a CPV group or deeper) or a loose one (a division).
ATECO_CLOSE = 1.0
ATECO_LOOSE = 0.6


def cpv_prefix(code: str) -> str:
    """The meaningful digits of a CPV code (8 digits, an optional check digit after a dash)."""
    digits = code.split("-")[0][:8]
    stripped = digits.rstrip("0")
    return stripped if len(stripped) >= 2 else digits[:2]


def _shared_digits(first: str, second: str) -> int:
    shared = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        shared += 1
    return shared


@cache
def cpv_affinity(wanted: str, capability: str) -> tuple[float, int]:
    """The affinity of a capability to a wanted code and the depth (digits) of what they share.

    Depth 8 means the capability covers the code (or the code covers the capability).
    """
    wanted_prefix, capability_prefix = cpv_prefix(wanted), cpv_prefix(capability)
    if wanted_prefix.startswith(capability_prefix):
        return COVERS, 8
    if capability_prefix.startswith(wanted_prefix):
        return INSIDE, 8
    shared = min(_shared_digits(wanted_prefix, capability_prefix), 4)
    if shared > 2 and wanted_prefix[:shared] in catch_all_prefixes():
        shared -= 1
    return SHARED_LEVEL.get(shared, 0.0), shared


@cache
def catch_all_prefixes() -> frozenset[str]:
    """The meaningful digits of CPV's catch-all groups, classes and categories, from the CPV 2008 file."""
    entries = json.loads(settings.CPV_JSON.read_text(encoding="utf-8"))
    return frozenset(
        cpv_prefix(entry["code"]) for entry in entries if entry["labels"]["en"].split(" ", 1)[0] in CATCH_ALL_WORDS
    )


@cache
def ateco_cpv_table() -> dict[str, tuple[str, ...]]:
    """ATECO division -> the CPV prefixes it usually supplies."""
    data = yaml.safe_load(ATECO_CPV_FILE.read_text(encoding="utf-8"))
    return {str(division).zfill(2): tuple(str(prefix) for prefix in prefixes) for division, prefixes in data.items()}


def ateco_division(code: str) -> str:
    return code.replace(".", "")[:2]


@cache
def ateco_affinity(wanted: str, ateco_code: str) -> tuple[float, str]:
    """How well an ATECO activity supplies a CPV code, and the CPV prefix that says so ('' for none)."""
    wanted_prefix = cpv_prefix(wanted)
    best, best_prefix = 0.0, ""
    for prefix in ateco_cpv_table().get(ateco_division(ateco_code), ()):
        if wanted_prefix.startswith(prefix) or (len(prefix) > 2 and prefix.startswith(wanted_prefix)):
            score = ATECO_CLOSE if len(prefix) >= 3 else ATECO_LOOSE
        elif len(prefix) > 2 and wanted_prefix[:2] == prefix[:2]:
            score = ATECO_LOOSE
        else:
            continue
        if score > best:
            best, best_prefix = score, prefix
    return best, best_prefix
