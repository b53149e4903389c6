"""Throughput and latency of the plan explorer, against a trivial view served alike.

Absolute figures drift with the machine and whatever else runs on it, so the
explorer (`portal:explorer`, `/piano/`) is compared with a floor measured in the
same run: `/healthz`, which answers without touching the database, served by
the same gunicorn, loaded by the same wrk with the same settings, just before
and just after the explorer. Targets (the project's performance bars): the explorer sustains
>= 40% of the trivial view's requests per second, its p95 latency is <= 100 ms
at metro scale, and its query count does not grow with the data.

One command does everything on a fresh database, so a run never depends on a
developer's data:

    .venv/bin/python bench/plan_pages.py [--scale metro] [--database-url URL] [--duration 20] [--connections 8]

Missing a target prints FAIL but exits 0: the figures are the result. It exits
non-zero only when the benchmark itself could not run or the server answered
with errors, which makes the figures meaningless. See bench/README.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Run as a script, the repository must be on the path before the project's imports.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    P95_TARGET_MS,
    RATIO_TARGET,
    RENDER_COOKIE,
    REPO,
    TRIVIAL_PATH,
    BenchError,
    add_common_arguments,
    check_common_arguments,
    commit,
    configure_environment,
    database_version,
    floor,
    fresh_database,
    get,
    load_errors,
    load_with_wrk,
    print_profile,
    query_count,
    require_wrk,
    run_context,
    server_time,
    verdict,
    write_result,
)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        return _run(args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the explorer at scale")
    args = parser.parse_args(argv)
    check_common_arguments(parser, args)
    return args


def _run(args: argparse.Namespace) -> int:
    wrk = require_wrk()
    with (
        tempfile.TemporaryDirectory(prefix="socialplan-bench-") as workdir,
        fresh_database(args.database_url, workdir=Path(workdir)) as database,
    ):
        configure_environment(database=database, workdir=Path(workdir))
        import django

        django.setup()
        from bench.scale import SCALES

        if args.scale not in SCALES:
            raise BenchError(f"unknown scale '{args.scale}'; known scales: {', '.join(SCALES)}")
        figures = _prepare_and_measure_in_process(scale=args.scale, profile=args.profile)
        explorer_path = figures["explorer_path"]
        legs = {"explorer": (explorer_path, None), "explorer_rendered": (explorer_path, RENDER_COOKIE)}
        load = load_with_wrk(args=args, wrk=wrk, legs=legs, workdir=Path(workdir))
    result = _result(args=args, wrk=wrk, figures=figures, load=load)
    vendor = result["database"]["vendor"]
    path = write_result(
        result, f"plan_pages-{vendor}.json" if args.scale == "metro" else f"plan_pages-{vendor}-{args.scale}.json"
    )
    _print_report(result, path)
    errors = load_errors(result["urls"])
    if errors:
        print(f"error: the server answered with errors under load, the figures are not valid: {errors}")
        return 1
    return 0


def _prepare_and_measure_in_process(*, scale: str, profile: bool) -> dict[str, Any]:
    """Build the database, then count the explorer's queries before and after the scale data."""
    from django.core.management import call_command
    from django.db import connection

    from bench.scale import generate, plan_totals
    from socialplan.plan.models import Plan
    from socialplan.plan.services import load_plan

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    load_plan(name="torino")
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Migrated, loaded the Turin plan and collected static files in {time.perf_counter() - started:.1f} s")
    explorer_path = _explorer_path()
    plan = Plan.objects.get(slug="torino")
    plain_totals = plan_totals(plan=plan)
    queries_plain = query_count(explorer_path)
    rendered_plain = query_count(explorer_path, rendered=True)

    started = time.perf_counter()
    generated = generate(scale=scale)
    print(f"Generated the '{scale}' scale in {time.perf_counter() - started:.1f} s: {generated.totals}")
    queries_scale = query_count(explorer_path)
    rendered_scale = query_count(explorer_path, rendered=True)
    figures: dict[str, Any] = {
        "explorer_path": explorer_path,
        "vendor": connection.vendor,
        "database_version": database_version(),
        "plain_totals": plain_totals,
        # The explorer shows the plan: its totals label the result (the ecosystem is not loaded here).
        "scale_totals": plan_totals(plan=plan),
        "queries": {
            "trivial": query_count(TRIVIAL_PATH),
            "explorer_plain_plan": queries_plain,
            "explorer_at_scale": queries_scale,
            "explorer_rendered_plain_plan": rendered_plain,
            "explorer_rendered_at_scale": rendered_scale,
            "constant": queries_plain == queries_scale and rendered_plain == rendered_scale,
        },
        "page_bytes": len(get(explorer_path).content),
        "server_time_ms": {
            "trivial": server_time(TRIVIAL_PATH),
            "explorer": server_time(explorer_path),
            "explorer_rendered": server_time(explorer_path, rendered=True),
        },
    }
    if profile:
        print_profile(explorer_path)
    # gunicorn's workers open their own connections; close this process's first.
    connection.close()
    return figures


def _explorer_path() -> str:
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        try:
            return reverse("portal:explorer")
        except NoReverseMatch as error:
            raise BenchError(
                "the plan explorer (URL name 'portal:explorer') does not exist in this checkout yet"
            ) from error


def _result(*, args: argparse.Namespace, wrk: str, figures: dict[str, Any], load: dict[str, Any]) -> dict[str, Any]:
    urls = load["urls"]
    floor_figures = floor(urls)
    ratio = urls["explorer"]["rps"] / floor_figures["rps_mean"]
    ratio_rendered = urls["explorer_rendered"]["rps"] / floor_figures["rps_mean"]
    checks = {
        "ratio": {"target": f">= {RATIO_TARGET}", "value": round(ratio, 3), "pass": ratio >= RATIO_TARGET},
        "explorer_p95_ms": {
            "target": f"<= {P95_TARGET_MS}",
            "value": urls["explorer"]["p95_ms"],
            "pass": urls["explorer"]["p95_ms"] <= P95_TARGET_MS,
        },
        "explorer_rendered_p95_ms": {
            "target": f"<= {P95_TARGET_MS}",
            "value": urls["explorer_rendered"]["p95_ms"],
            "pass": urls["explorer_rendered"]["p95_ms"] <= P95_TARGET_MS,
        },
        "queries_constant": {
            "target": "explorer queries at scale == on the plain Turin plan",
            "value": figures["queries"]["constant"],
            "pass": figures["queries"]["constant"],
        },
    }
    return {
        "benchmark": "plan_pages",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "scale": args.scale,
        "data": {"plain_plan": figures["plain_totals"], "at_scale": figures["scale_totals"]},
        "database": {"vendor": figures["vendor"], "version": figures["database_version"]},
        **run_context(args=args, wrk=wrk, load=load),
        "urls": urls,
        "floor": floor_figures,
        "ratio_explorer_to_trivial": round(ratio, 3),
        "ratio_explorer_rendered_to_trivial": round(ratio_rendered, 3),
        "queries": figures["queries"],
        "explorer_page_bytes": figures["page_bytes"],
        "server_time_in_process_ms": figures["server_time_ms"],
        "targets": checks,
        "pass": all(check["pass"] for check in checks.values()),
    }


def _print_report(result: dict[str, Any], path: Path) -> None:
    server, tool, queries = result["server"], result["load_tool"], result["queries"]
    print()
    print(
        f"plan_pages  scale={result['scale']}  database={result['database']['vendor']} "
        f"{result['database']['version']}  gunicorn {server['gunicorn']} x{server['workers']} "
        f"{server['worker_class']}  {tool['tool']} c={tool['connections']} t={tool['threads']} {tool['duration_s']} s"
    )
    print(f"data at scale: {result['data']['at_scale']}")
    print(f"{'url':<18} {'path':<10} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'queries':>8}")
    print("-" * 75)
    query_counts = {
        "trivial": queries["trivial"],
        "explorer": queries["explorer_at_scale"],
        "explorer_rendered": queries["explorer_rendered_at_scale"],
        "trivial_after": queries["trivial"],
    }
    for name, url in result["urls"].items():
        print(
            f"{name:<18} {url['path']:<10} {url['rps']:>9.1f} {url['p50_ms']:>8.1f} {url['p95_ms']:>8.1f} "
            f"{url['p99_ms']:>8.1f} {query_counts[name]:>8}"
        )
    checks = result["targets"]
    print()
    floor = result["floor"]
    print(f"floor (trivial) req/s   {floor['rps_mean']:.1f} mean of before and after, drift {floor['drift_pct']:+.1f}%")
    print(
        f"ratio explorer/trivial  {checks['ratio']['value']:.3f}  (target {checks['ratio']['target']})  "
        f"{verdict(checks['ratio']['pass'])}"
    )
    print(
        f"ratio rendered/trivial  {result['ratio_explorer_rendered_to_trivial']:.3f}  "
        "(signed-in visitors: the page is rendered on every request; no target)"
    )
    print(
        f"explorer p95            {checks['explorer_p95_ms']['value']:.1f} ms  "
        f"(target {checks['explorer_p95_ms']['target']} ms)  {verdict(checks['explorer_p95_ms']['pass'])}"
    )
    print(
        f"rendered p95            {checks['explorer_rendered_p95_ms']['value']:.1f} ms  "
        f"(target {checks['explorer_rendered_p95_ms']['target']} ms)  "
        f"{verdict(checks['explorer_rendered_p95_ms']['pass'])}"
    )
    print(
        f"explorer queries        {queries['explorer_plain_plan']} on the plain plan, "
        f"{queries['explorer_at_scale']} at {result['scale']} scale; rendered "
        f"{queries['explorer_rendered_plain_plan']} and {queries['explorer_rendered_at_scale']}  "
        f"{verdict(checks['queries_constant']['pass'])}"
    )
    in_process = result["server_time_in_process_ms"]["explorer"]
    print(
        f"explorer server time    p50 {in_process['p50_ms']:.1f} ms, p95 {in_process['p95_ms']:.1f} ms "
        f"(in process, one request at a time, {result['explorer_page_bytes']} bytes)"
    )
    print(
        f"load average (1 min)    {result['machine']['load_average_1m']['before']:.2f} before the load, "
        f"{result['machine']['load_average_1m']['after']:.2f} after, on {result['machine']['cpus']} CPUs"
    )
    print(f"\n{verdict(result['pass'])}  written to {path.relative_to(REPO)}")


if __name__ == "__main__":
    sys.exit(main())
