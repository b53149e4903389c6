"""Throughput and memory of `import_organizations` on big files: rows/s, and a peak memory that stays flat.

For each file size (default 50,000 and 400,000 rows) one run:

1. creates a fresh database (a SQLite file in a temporary directory, or with
   --database-url a new PostgreSQL database beside the given one, dropped at
   the end: bench/common.py's helpers), migrates it and loads the Turin
   comuni and the CPV codes;
2. writes a CSV in the template layout (docs/ecosystem-import.md): valid
   codici fiscali, real comuni of Turin, real ATECO 2025 and CPV codes;
3. measures the floor: reading the same file with csv.reader and nothing else;
4. imports it three times, each in its own process so that the peak resident
   memory (getrusage's ru_maxrss) is the import's alone: a dry run (what the
   back office's preview does), the import, and the same import again (which
   must create and change nothing).

Memory is flat when the peak is the same at both sizes: the import streams
rows and keeps counts, the first rejections and a temporary SQLite file of the
codici fiscali seen, never the rows.

    .venv/bin/python bench/import_organizations.py [--rows 50000,400000] [--database-url URL]

Prints a table and writes bench/results/import_organizations-<sqlite|postgresql>.json.
Exits 2 when the benchmark cannot run, 1 when an import did not do what it must
(rejections, or a second run that changed something): the figures are then void.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import (  # noqa: E402 - the repository must be on the path first
    RESULTS,
    BenchError,
    commit,
    configure_environment,
    fresh_database,
    version,
)

DEFAULT_ROWS = (50_000, 400_000)
SEED = 20260301
# Codici fiscali from 5,000,000 on (office code 001): away from the demo data's and the tests' ranges.
FIRST_NUMBER = 5_000_000
# Real ATECO 2025 codes and CPV 2008 codes of the social economy.
ATECO = ("88.10.00", "88.91.00", "87.30.00", "87.20.00", "81.21.00", "81.30.00", "85.59.20", "38.11.00", "01.30.00")
CPV = ("85311000", "85312000", "90910000", "55520000", "77310000", "80500000", "98341130")
FORMS = (
    ("coop_a", "d", "Cooperativa sociale"),
    ("coop_b", "d", "Cooperativa sociale di inserimento"),
    ("odv", "a", "Associazione di volontariato"),
    ("aps", "b", "Associazione di promozione sociale"),
    ("social_enterprise", "d", "Impresa sociale"),
    ("foundation", "", "Fondazione"),
    ("company", "", "Società"),
)
COLUMNS = (
    "codice_fiscale",
    "legal_name",
    "legal_form",
    "runts_section",
    "runts_number",
    "seat_comune",
    "comuni_served",
    "ateco_codes",
    "cpv_codes",
    "website",
    "workforce",
    "disadvantaged_share",
    "volunteers",
    "certifications",
    "source",
)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    if args.child:
        return _child(args)
    try:
        return _run(args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows",
        default=",".join(str(n) for n in DEFAULT_ROWS),
        help="comma-separated file sizes in rows (default 50000,400000)",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server and an existing database to connect to, e.g. "
        "postgres://socialplan:socialplan@127.0.0.1:5432/postgres (default: a fresh SQLite file)",
    )
    parser.add_argument("--child", choices=("prepare", "import", "dry-run"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(n) for n in args.rows.split(",") if n.strip()})
    except ValueError:
        parser.error("--rows takes whole numbers separated by commas")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--rows needs at least one size of 1 row or more")
    return args


def _run(args: argparse.Namespace) -> int:
    runs = []
    database_info: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="socialplan-import-bench-") as directory:
        workdir = Path(directory)
        for size in args.sizes:
            sized = workdir / str(size)
            sized.mkdir()
            with fresh_database(args.database_url, workdir=sized) as database:
                configure_environment(database=database, workdir=sized)
                prepared = _in_child("prepare")
                database_info = {"vendor": prepared["vendor"], "version": prepared["version"]}
                path = sized / f"organizations-{size}.csv"
                started = time.perf_counter()
                _write_file(path, rows=size, comuni=prepared["comuni"])
                print(
                    f"Wrote {size:,} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
                )
                floor = _parse_floor(path)
                run = {"rows": size, "file_mb": round(path.stat().st_size / 1e6, 1), "floor": floor}
                for leg in ("dry-run", "import", "reimport"):
                    run[leg] = _in_child("dry-run" if leg == "dry-run" else "import", file=path)
                    print(_leg_line(size, leg, run[leg], floor))
                runs.append(run)
                path.unlink()
    result = _result(runs=runs, database=database_info)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"import_organizations-{database_info['vendor']}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _print_report(result, out)
    return 0 if result["valid"] else 1


def _in_child(mode: str, *, file: Path | None = None) -> dict[str, Any]:
    """Run one step in a new process (same environment) and return the JSON it prints last."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode]
    if file is not None:
        command += ["--file", str(file)]
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("BENCH_JSON ")]
    if completed.returncode != 0 or not lines:
        raise BenchError(
            f"the {mode} step failed ({completed.returncode}):\n{completed.stdout[-3000:]}{completed.stderr[-3000:]}"
        )
    figures: dict[str, Any] = json.loads(lines[-1].removeprefix("BENCH_JSON "))
    return figures


def _write_file(path: Path, *, rows: int, comuni: list[str]) -> None:
    """The template layout, streamed to disk; the same seed gives the same file."""
    from stdnum import luhn

    generator = random.Random(SEED)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        for index in range(rows):
            body = f"{FIRST_NUMBER + index:07d}001"
            legal_form, section, name = generator.choice(FORMS)
            seat = generator.choice(comuni)
            served = {seat, *generator.sample(comuni, generator.randint(0, 3))}
            workforce = generator.randint(0, 400)
            writer.writerow(
                (
                    body + luhn.calc_check_digit(body),
                    f"{name} {generator.choice(('Il Ponte', 'Aurora', 'La Rete', 'Orizzonti', 'Insieme'))} {index}",
                    legal_form,
                    section,
                    f"{index + 1}" if section else "",
                    seat,
                    "|".join(sorted(served)),
                    "|".join(generator.sample(ATECO, generator.randint(1, 3))),
                    "|".join(generator.sample(CPV, generator.randint(0, 3))),
                    f"www.org{index}.example.org" if generator.random() < 0.6 else "",
                    workforce,
                    f"{generator.uniform(30, 60):.2f}" if legal_form == "coop_b" else "",
                    generator.randint(0, 80),
                    "ISO 9001" if generator.random() < 0.2 else "",
                    "Benchmark",
                )
            )


def _parse_floor(path: Path) -> dict[str, Any]:
    """Reading the file with csv.reader and nothing else: the speed no import can beat."""
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = sum(1 for _row in csv.reader(handle, delimiter=";")) - 1
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def _leg_line(size: int, leg: str, figures: dict[str, Any], floor: dict[str, Any]) -> str:
    share = figures["rows_per_s"] / floor["rows_per_s"]
    return (
        f"{size:>9,} rows  {leg:<8} {figures['rows_per_s']:>8,} rows/s ({share:.1%} "
        f"of csv.reader)  peak RSS {figures['peak_rss_mib']:.0f} MiB (+{figures['import_rss_mib']:.0f} over the "
        f"process before the import)  created {figures['created']:,} changed {figures['changed']:,} "
        f"unchanged {figures['unchanged']:,} rejected {figures['rejected']:,}"
    )


def _result(*, runs: list[dict[str, Any]], database: dict[str, Any]) -> dict[str, Any]:
    checks = []
    for run in runs:
        size = run["rows"]
        checks.append(run["dry-run"]["created"] == size and run["dry-run"]["rejected"] == 0)
        checks.append(run["import"]["created"] == size and run["import"]["rejected"] == 0)
        checks.append(run["reimport"]["unchanged"] == size and run["reimport"]["created"] == 0)
        checks.append(run["reimport"]["changed"] == 0)
    smallest, largest = runs[0], runs[-1]
    growth = {
        leg: round(largest[leg]["import_rss_mib"] - smallest[leg]["import_rss_mib"], 1)
        for leg in ("dry-run", "import", "reimport")
    }
    return {
        "benchmark": "import_organizations",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "database": database,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "django": version("django"),
        "memory": {
            "measure": "peak resident set size of the import's own process (getrusage ru_maxrss), "
            "minus its resident size just before the import",
            "sizes": [run["rows"] for run in runs],
            "growth_mib_from_smallest_to_largest": growth,
        },
        "runs": runs,
        "valid": all(checks),
    }


def _print_report(result: dict[str, Any], path: Path) -> None:
    database = result["database"]
    print()
    print(f"import_organizations  database={database['vendor']} {database['version']}  commit {result['commit'][:10]}")
    print(
        f"{'rows':>9} {'MB':>6} {'leg':<9} {'rows/s':>8} {'of floor':>9} {'peak RSS':>9} {'import':>8} {'seconds':>8}"
    )
    print("-" * 74)
    for run in result["runs"]:
        for leg in ("dry-run", "import", "reimport"):
            figures = run[leg]
            print(
                f"{run['rows']:>9,} {run['file_mb']:>6.1f} {leg:<9} {figures['rows_per_s']:>8,} "
                f"{figures['rows_per_s'] / run['floor']['rows_per_s']:>9.1%} {figures['peak_rss_mib']:>7.0f} M "
                f"{figures['import_rss_mib']:>6.0f} M {figures['seconds']:>8.1f}"
            )
        print(f"{run['rows']:>9,} {run['file_mb']:>6.1f} {'csv floor':<9} {run['floor']['rows_per_s']:>8,}")
    growth = result["memory"]["growth_mib_from_smallest_to_largest"]
    print()
    print(
        "memory growth from the smallest to the largest file (MiB, import's own process): "
        + ", ".join(f"{leg} {value:+.1f}" for leg, value in growth.items())
    )
    print("valid" if result["valid"] else "INVALID: an import rejected rows or a second run changed something")
    print(f"written to {path.relative_to(REPO)}")


# Child processes: Django is set up here only, so each measurement starts from a clean process.


def _child(args: argparse.Namespace) -> int:
    import django

    django.setup()
    figures = _prepare() if args.child == "prepare" else _import(args.file, dry_run=args.child == "dry-run")
    print("BENCH_JSON " + json.dumps(figures))
    return 0


def _prepare() -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from socialplan.ecosystem.services import load_cpv
    from socialplan.territory.models import Comune
    from socialplan.territory.services import load_territory

    call_command("migrate", interactive=False, verbosity=0)
    load_territory(code="TO")
    load_cpv()
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        version = str(cursor.fetchone()[0])
    return {
        "vendor": connection.vendor,
        "version": version,
        "comuni": sorted(Comune.objects.values_list("istat_code", flat=True)),
    }


def _import(path: Path, *, dry_run: bool) -> dict[str, Any]:
    from django.db import connection

    from socialplan.ecosystem.imports import import_organizations

    connection.ensure_connection()
    before = _resident_mib()
    started = time.perf_counter()
    report = import_organizations(path=path, dry_run=dry_run, progress=None)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "rows": report.rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(report.rows / seconds),
        "created": report.created,
        "changed": report.changed,
        "unchanged": report.unchanged,
        "rejected": report.rejected_rows,
        "rejections": [str(rejection) for rejection in report.rejections[:5]],
        "rss_before_mib": round(before, 1),
        "peak_rss_mib": round(peak, 1),
        "import_rss_mib": round(max(peak - before, 0.0), 1),
    }


def _resident_mib() -> float:
    """This process's resident set size now (Linux), else its peak so far."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
