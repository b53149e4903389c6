"""The OCDS import against the raw parse of the same file, with peak memory.

A release package is written from ANAC's real compiled releases
(../shared/data/anac/anac_history.jsonl), repeated with new ocids up to
`--releases` (2,000 by default), then, in this process on a fresh SQLite
database with the legal bases and the CPV codes loaded, DEBUG off as in
production:

- the floor: `ijson.items(file, "releases.item")` over the whole file, every
  release built as Python objects and nothing else;
- the platform's reader alone (`iter_releases`);
- `import_ocds`, everything written (opportunities, lots, CPV codes, buyers,
  awards), in one transaction; the re-ranks it asks the matcher for are
  queued (as with the production task queue), not run;
- `import_ocds` of the same file again, which finds every release unchanged.

Target (issue 5): the import at >= 50% of the raw parse speed. Peak memory
(RSS) is printed. One command:

    .venv/bin/python bench/ocds_import.py [--releases 2000]

Missing the target prints FAIL but exits 0: the figures are the result.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, commit, verdict, write_result

SOURCE = REPO.parent / "shared" / "data" / "anac" / "anac_history.jsonl"
TARGET_RATIO = 0.5


def write_package(path: Path, releases: int) -> int:
    """A release package of `releases` releases, ANAC's repeated with numbered ocids."""
    if not SOURCE.is_file():
        raise SystemExit(f"error: {SOURCE} is missing (the shared data folder must sit beside the checkout)")
    originals = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as out:
        out.write('{"uri": "https://example.org/bench.json", "version": "1.1", "publisher": {"name": "bench"}, ')
        out.write('"publishedDate": "2026-01-01T00:00:00Z", "releases": [')
        for number in range(releases):
            release = copy.deepcopy(originals[number % len(originals)])
            release["ocid"] = f"{release['ocid']}-b{number}"
            release["id"] = f"{release.get('id', 'r')}-b{number}"
            out.write(("," if number else "") + json.dumps(release, ensure_ascii=False))
        out.write("]}")
    return releases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=2_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="socialplan-bench-") as workdir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "socialplan.settings.dev"
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
        # As in production: no query log (DEBUG keeps the SQL of every statement, megabytes for a bulk insert).
        os.environ["DEBUG"] = "0"
        # Queued and kept in memory: the matcher's work is measured by bench/matching.py.
        os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
        import django

        django.setup()
        import ijson
        from django.core.management import call_command

        from socialplan.opportunities.legal_bases import load_legal_bases
        from socialplan.opportunities.ocds.reader import iter_releases
        from socialplan.opportunities.ocds_import import import_ocds

        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_cpv", stdout=io.StringIO())
        load_legal_bases()
        path = Path(workdir) / "package.json"
        write_package(path, args.releases)
        size_mb = path.stat().st_size / 1e6

        started = time.perf_counter()
        with path.open("rb") as stream:
            parsed = sum(1 for _ in ijson.items(stream, "releases.item"))
        raw_s = time.perf_counter() - started
        started = time.perf_counter()
        read = sum(1 for _ in iter_releases(path))
        reader_s = time.perf_counter() - started
        started = time.perf_counter()
        report = import_ocds(path, accept_valid=True)
        import_s = time.perf_counter() - started
        started = time.perf_counter()
        again = import_ocds(path, accept_valid=True)
        again_s = time.perf_counter() - started
    result = {
        "benchmark": "ocds_import",
        "commit": commit(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "releases": parsed,
        "file_mb": round(size_mb, 1),
        "raw_ijson_s": round(raw_s, 3),
        "reader_s": round(reader_s, 3),
        "import_s": round(import_s, 2),
        "import_releases_per_s": round(report.read / import_s),
        "raw_releases_per_s": round(parsed / raw_s),
        "ratio": round(raw_s / import_s, 4),
        "read": read,
        "created": report.created,
        "refused": report.refused_releases,
        "again_s": round(again_s, 2),
        "again_unchanged": again.unchanged,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    path = write_result(result, "ocds_import-sqlite.json")
    print(f"OCDS import of {parsed} releases ({result['file_mb']} MB), commit {result['commit']}")
    print(f"  floor, raw ijson parse: {result['raw_ijson_s']} s ({result['raw_releases_per_s']} releases/s)")
    print(f"  the platform's reader alone: {result['reader_s']} s")
    print(
        f"  import_ocds: {result['import_s']} s ({result['import_releases_per_s']} releases/s), "
        f"{result['created']} created, {result['refused']} refused"
    )
    print(
        f"  import speed / raw parse speed = {result['ratio']:.2%}; target >= {TARGET_RATIO:.0%}: "
        f"{verdict(result['ratio'] >= TARGET_RATIO)}"
    )
    print(f"  the same file again: {result['again_s']} s, {result['again_unchanged']} unchanged")
    print(f"  peak RSS {result['peak_rss_mb']} MB")
    print(f"Written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
