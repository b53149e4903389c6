"""Throughput and latency of the ecosystem's public pages at metro scale, against a trivial view served alike.

The pages: the directory (`portal:directory`, `/organizzazioni/`) plain, with a
search term and with two filters; an organization's page; the map
(`portal:map`) and its data (`api:comuni_geojson`, the GeoJSON of the comuni
with their organization counts); the partnership network (`portal:network`).
Each is loaded by wrk as an anonymous visitor (served from the page cache) and
with a session cookie (rendered on every request, as for a signed-in
visitor), between two loads of `/healthz`, the floor. Targets (the project's
performance bars): p95 <= 100 ms at metro scale on both paths, and a query
count that does not grow from the plain demo (500 organizations) to the
scale (20,000). The ratio to the floor is printed without a target: the 40%
bar is the plan dashboard's and the opportunity list's.

One command does everything on a fresh database, so a run never depends on a
developer's data:

    .venv/bin/python bench/ecosystem_pages.py [--scale metro] [--database-url URL] [--duration 10] [--profile directory]

Missing a target prints FAIL but exits 0: the figures are the result. It exits
non-zero only when the benchmark itself could not run or the server answered
with errors, which makes the figures meaningless. See bench/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

# Run as a script, the repository must be on the path before the project's imports.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    P95_TARGET_MS,
    RENDER_COOKIE,
    REPO,
    SERVER_TIME_SAMPLES,
    TRIVIAL_PATH,
    BenchError,
    add_common_arguments,
    check_common_arguments,
    cold_time,
    commit,
    configure_environment,
    database_version,
    floor,
    fresh_database,
    get,
    load_errors,
    load_plain_demo,
    load_with_wrk,
    print_profile,
    query_count,
    require_wrk,
    run_context,
    server_time,
    verdict,
    write_result,
)

# A word of many invented names ("Il Girasole"), and two filters a visitor combines: type B cooperatives in Torino.
SEARCH_TERM = "girasole"
FILTERS = {"forma": "coop_b", "comune": "001272"}
# The map's data is cached whatever the cookies (it holds nothing personal): it has no rendered path.
CACHED_ONLY = {"map_data"}


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        return _run(args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser, duration=10)
    parser.add_argument(
        "--profile",
        default="",
        help="comma-separated pages to profile rendered at scale (directory, directory_search, directory_filters, "
        "organization, map, map_data, network), printed before the load",
    )
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
        profile = [name for name in args.profile.split(",") if name]
        figures = _prepare_and_measure_in_process(scale=args.scale, profile=profile)
        legs: dict[str, tuple[str, str | None]] = {}
        for name, path in figures["paths"].items():
            legs[name] = (path, None)
            if name not in CACHED_ONLY:
                legs[f"{name}_rendered"] = (path, RENDER_COOKIE)
        load = load_with_wrk(args=args, wrk=wrk, legs=legs, workdir=Path(workdir))
    result = _result(args=args, wrk=wrk, figures=figures, load=load)
    vendor = result["database"]["vendor"]
    path = write_result(
        result,
        f"ecosystem_pages-{vendor}.json" if args.scale == "metro" else f"ecosystem_pages-{vendor}-{args.scale}.json",
    )
    _print_report(result, path)
    errors = load_errors(result["urls"])
    if errors:
        print(f"error: the server answered with errors under load, the figures are not valid: {errors}")
        return 1
    return 0


def _prepare_and_measure_in_process(*, scale: str, profile: list[str]) -> dict[str, Any]:
    """Build the database with the demo, count each page's queries, generate the scale, count and time again."""
    from django.db import connection

    from bench.scale import ecosystem_totals, generate, plan_totals
    from socialplan.plan.models import Plan

    load_plain_demo()
    plan = Plan.objects.get(slug="torino")
    paths = _page_paths()
    plain_totals = plan_totals(plan=plan) | ecosystem_totals(plan=plan)
    plain = {name: _queries(name, path) for name, path in paths.items()}

    started = time.perf_counter()
    generated = generate(scale=scale)
    if generated.notes:
        raise BenchError("; ".join(generated.notes))
    print(f"Generated the '{scale}' scale in {time.perf_counter() - started:.1f} s: {generated.totals}")
    at_scale = {name: _queries(name, path) for name, path in paths.items()}
    for name in profile:
        if name not in paths:
            raise BenchError(f"--profile: no page '{name}'; pages: {', '.join(paths)}")
        print_profile(paths[name], rendered=name not in CACHED_ONLY)
    figures: dict[str, Any] = {
        "paths": paths,
        "vendor": connection.vendor,
        "database_version": database_version(),
        "plain_totals": plain_totals,
        "scale_totals": generated.totals,
        "queries": {
            "trivial": query_count(TRIVIAL_PATH),
            "pages": {name: {"plain_demo": plain[name], "at_scale": at_scale[name]} for name in paths},
        },
        "page_bytes": {name: len(get(path).content) for name, path in paths.items()},
        "server_time_ms": {"trivial": server_time(TRIVIAL_PATH)}
        | {name: _server_times(name, path) for name, path in paths.items()},
    }
    # gunicorn's workers open their own connections; close this process's first.
    connection.close()
    return figures


def _page_paths() -> dict[str, str]:
    """The measured URLs, in the default language; the organization is the lead of the plan's first action."""
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from socialplan.ecosystem.models import Partnership

    lead = (
        Partnership.objects.filter(role=Partnership.Role.LEAD, organization__is_demo=True)
        .order_by("action__objective__theme__order", "action__objective__order", "action__order")
        .values_list("organization_id", flat=True)
        .first()
    )
    if lead is None:
        raise BenchError("the demo has no lead organization: is the Turin plan loaded with its actions?")
    names = {
        "directory": ("portal:directory", {}),
        "organization": ("portal:organization", {"pk": lead}),
        "map": ("portal:map", {}),
        "map_data": ("api:comuni_geojson", {}),
        "network": ("portal:network", {}),
    }
    with translation.override(settings.LANGUAGE_CODE):
        try:
            urls = {name: reverse(url_name, kwargs=kwargs) for name, (url_name, kwargs) in names.items()}
        except NoReverseMatch as error:
            raise BenchError(f"an ecosystem page does not exist in this checkout yet: {error}") from error
    return {
        "directory": urls["directory"],
        "directory_search": f"{urls['directory']}?{urlencode({'q': SEARCH_TERM})}",
        "directory_filters": f"{urls['directory']}?{urlencode(FILTERS)}",
        "organization": urls["organization"],
        "map": urls["map"],
        "map_data": urls["map_data"],
        "network": urls["network"],
    }


def _queries(name: str, path: str) -> dict[str, int]:
    counts = {"cached": query_count(path)}
    if name not in CACHED_ONLY:
        counts["rendered"] = query_count(path, rendered=True)
    return counts


def _server_times(name: str, path: str) -> dict[str, Any]:
    times = {"cached": server_time(path), "cold": cold_time(path)}
    if name not in CACHED_ONLY:
        times["rendered"] = server_time(path, rendered=True)
        times["rendered_cpu"] = _cpu_time(path)
    return times


def _cpu_time(path: str) -> dict[str, float]:
    """CPU time of this process for one rendered request: unlike wall time, it does not count waiting for a core.

    On SQLite it includes the queries (the database runs in the process); on
    PostgreSQL only Django's share. On a shared machine it is the steadiest
    measure of what a page costs.
    """
    get(path, rendered=True)
    samples = []
    for _ in range(SERVER_TIME_SAMPLES):
        started = time.process_time()
        get(path, rendered=True)
        samples.append((time.process_time() - started) * 1000)
    return {"samples": len(samples), "p50_ms": round(statistics.median(samples), 2)}


def _result(*, args: argparse.Namespace, wrk: str, figures: dict[str, Any], load: dict[str, Any]) -> dict[str, Any]:
    urls = load["urls"]
    floor_figures = floor(urls)
    pages = [name for name in urls if name not in ("trivial", "trivial_after")]
    ratios = {name: round(urls[name]["rps"] / floor_figures["rps_mean"], 3) for name in pages}
    checks: dict[str, dict[str, Any]] = {}
    # The bar is the server time: each page's in-process p95, one request at a
    # time. wrk's p95 (8 connections on 2 workers) adds the queue in front of
    # gunicorn and is reported beside it, without a target.
    for name, times in figures["server_time_ms"].items():
        for path_kind in ("cached", "rendered"):
            if name != "trivial" and path_kind in times:
                checks[f"{name}{'' if path_kind == 'cached' else '_rendered'}_p95_ms"] = {
                    "target": f"<= {P95_TARGET_MS} (server time in process)",
                    "value": times[path_kind]["p95_ms"],
                    "pass": times[path_kind]["p95_ms"] <= P95_TARGET_MS,
                }
    for name, counts in figures["queries"]["pages"].items():
        constant = counts["plain_demo"] == counts["at_scale"]
        checks[f"{name}_queries_constant"] = {
            "target": "queries at scale == on the plain demo, cached and rendered",
            "value": counts,
            "pass": constant,
        }
    return {
        "benchmark": "ecosystem_pages",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "scale": args.scale,
        "data": {"plain_demo": figures["plain_totals"], "at_scale": figures["scale_totals"]},
        "database": {"vendor": figures["vendor"], "version": figures["database_version"]},
        **run_context(args=args, wrk=wrk, load=load),
        "urls": urls,
        "floor": floor_figures,
        "ratio_to_trivial": ratios,
        "queries": figures["queries"],
        "page_bytes": figures["page_bytes"],
        "server_time_in_process_ms": figures["server_time_ms"],
        "targets": checks,
        "pass": all(check["pass"] for check in checks.values()),
    }


def _print_report(result: dict[str, Any], path: Path) -> None:
    server, tool, queries = result["server"], result["load_tool"], result["queries"]["pages"]
    print()
    print(
        f"ecosystem_pages  scale={result['scale']}  database={result['database']['vendor']} "
        f"{result['database']['version']}  gunicorn {server['gunicorn']} x{server['workers']} "
        f"{server['worker_class']}  {tool['tool']} c={tool['connections']} t={tool['threads']} {tool['duration_s']} s"
    )
    print(f"plain demo: {result['data']['plain_demo']}")
    print(f"at scale:   {result['data']['at_scale']}")
    header = f"{'url':<28} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'queries':>9}"
    print(header)
    print("-" * len(header))
    for name, url in result["urls"].items():
        page, rendered = name.removesuffix("_rendered"), name.endswith("_rendered")
        counts = queries.get(page, {})
        plain, scaled = counts.get("plain_demo", {}), counts.get("at_scale", {})
        key = "rendered" if rendered else "cached"
        query_text = f"{plain[key]}/{scaled[key]}" if key in plain else "0"
        ratio = result["ratio_to_trivial"].get(name)
        print(
            f"{name:<28} {url['rps']:>8.1f} {'' if ratio is None else f'{ratio:.3f}':>6} {url['p50_ms']:>7.1f} "
            f"{url['p95_ms']:>7.1f} {url['p99_ms']:>7.1f} {query_text:>9}"
        )
    floor_figures = result["floor"]
    print(
        f"\nfloor (trivial) req/s {floor_figures['rps_mean']:.1f}, mean of before and after, "
        f"drift {floor_figures['drift_pct']:+.1f}%; queries are plain demo/at scale"
    )
    print(
        f"\n{'page':<20} {'bytes':>9} {'cached p95':>11} {'rendered p50':>13} {'rendered p95':>13} "
        f"{'rendered CPU p50':>17} {'cold p95':>9}  p95 <= {P95_TARGET_MS:.0f}"
    )
    for name, times in result["server_time_in_process_ms"].items():
        if name == "trivial":
            continue
        rendered, cpu = times.get("rendered"), times.get("rendered_cpu")
        print(
            f"{name:<20} {result['page_bytes'][name]:>9} {times['cached']['p95_ms']:>11.1f} "
            f"{rendered['p50_ms'] if rendered else '-':>13} {rendered['p95_ms'] if rendered else '-':>13} "
            f"{cpu['p50_ms'] if cpu else '-':>17} {times['cold']['p95_ms']:>9.1f}  "
            + " ".join(
                verdict(check["pass"])
                for key in (f"{name}_p95_ms", f"{name}_rendered_p95_ms")
                if (check := result["targets"].get(key))
            )
        )
    print(f"(in process, one request at a time, ms: {SERVER_TIME_SAMPLES} samples; cold = first request after an edit)")
    for name, counts in queries.items():
        if not result["targets"][f"{name}_queries_constant"]["pass"]:
            print(f"queries of {name} grow with the data: {counts['plain_demo']} -> {counts['at_scale']}  FAIL")
    load_average = result["machine"]["load_average_1m"]
    print(
        f"load average (1 min) {load_average['before']:.2f} before the load, {load_average['after']:.2f} after, "
        f"on {result['machine']['cpus']} CPUs"
    )
    print(f"\n{verdict(result['pass'])}  written to {path.relative_to(REPO)}")


if __name__ == "__main__":
    sys.exit(main())
