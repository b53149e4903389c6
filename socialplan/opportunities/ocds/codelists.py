"""The OCDS codelists the platform reads and writes, from the copies in `schema/codelists/`."""

import csv
from functools import cache
from pathlib import Path

CODELISTS = Path(__file__).resolve().parent / "schema" / "codelists"


@cache
def codes(name: str) -> frozenset[str]:
    """The codes of one codelist, e.g. `codes("tenderStatus")`."""
    with (CODELISTS / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        return frozenset(row["Code"] for row in csv.DictReader(stream))
