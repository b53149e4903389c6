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
import cProfile
import functools
import io
import json
import os
import platform
import pstats
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
WRK_SCRIPT = REPO / "bench" / "wrk_report.lua"
TRIVIAL_PATH = "/healthz"
# A session cookie makes the portal render the page instead of serving its
# cached copy (socialplan.core.cache): the path of a signed-in visitor.
RENDER_COOKIE = "sessionid=bench-no-such-session"
HOST = "127.0.0.1"
SETTINGS = "socialplan.settings.production"
RATIO_TARGET = 0.40
P95_TARGET_MS = 100.0
# Sequential in-process requests for the server time and the profile: enough for
# a stable p95, few enough to keep the run short at national scale.
SERVER_TIME_SAMPLES = 60
PROFILE_SAMPLES = 20


class BenchError(Exception):
    """The benchmark could not run; the message says what to do."""


@dataclass(frozen=True)
class Database:
    url: str
    label: str


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        return _run(args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="metro", help="scale of the generated plan: metro (default) or national")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server and an existing database to connect to, e.g. "
        "postgres://socialplan:socialplan@127.0.0.1:5432/postgres; a fresh database is created beside it "
        "and dropped at the end (default: a fresh SQLite file in a temporary directory)",
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds of load on each URL (default 20)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: leave the cores to gunicorn)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of unmeasured load on each URL first")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the explorer at scale")
    args = parser.parse_args(argv)
    if args.threads > args.connections:
        parser.error("--threads cannot exceed --connections (wrk needs a connection per thread)")
    return args


def _run(args: argparse.Namespace) -> int:
    wrk = _require_wrk()
    sys.path.insert(0, str(REPO))
    with (
        tempfile.TemporaryDirectory(prefix="socialplan-bench-") as workdir,
        _fresh_database(args.database_url, workdir=Path(workdir)) as database,
    ):
        _configure_environment(database=database, workdir=Path(workdir))
        import django

        django.setup()
        from bench.scale import SCALES

        if args.scale not in SCALES:
            raise BenchError(f"unknown scale '{args.scale}'; known scales: {', '.join(SCALES)}")
        figures = _prepare_and_measure_in_process(scale=args.scale, profile=args.profile)
        load = _load_with_wrk(args=args, wrk=wrk, explorer_path=figures["explorer_path"], workdir=Path(workdir))
    result = _result(args=args, wrk=wrk, figures=figures, load=load)
    path = RESULTS / (
        f"plan_pages-{result['database']['vendor']}.json"
        if args.scale == "metro"
        else f"plan_pages-{result['database']['vendor']}-{args.scale}.json"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _print_report(result, path)
    errors = {name: url["errors"] for name, url in result["urls"].items() if any(url["errors"].values())}
    if errors:
        print(f"error: the server answered with errors under load, the figures are not valid: {errors}")
        return 1
    return 0


def _require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise BenchError("wrk is not installed; install it with `apt-get install -y wrk` (Debian) and run again.")
    return wrk


@contextmanager
def _fresh_database(url: str | None, *, workdir: Path) -> Iterator[Database]:
    """A database with nothing in it: SQLite in the temporary directory, or a new PostgreSQL database."""
    if url is None:
        yield Database(url=f"sqlite:///{workdir / 'bench.sqlite3'}", label=f"SQLite {workdir / 'bench.sqlite3'}")
        return
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise BenchError(f"--database-url must be a PostgreSQL URL (postgres://...), not '{parts.scheme}://'")
    import psycopg
    from psycopg import sql

    server = urlunsplit(parts._replace(path=parts.path if parts.path not in ("", "/") else "/postgres"))
    name = f"socialplan_bench_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise BenchError(f"cannot create a database on {parts.hostname}:{parts.port or 5432}: {error}") from error
    try:
        yield Database(url=urlunsplit(parts._replace(path=f"/{name}")), label=f"PostgreSQL database {name}")
    finally:
        from django.apps import apps
        from django.db import connections

        if apps.ready:
            connections.close_all()
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _configure_environment(*, database: Database, workdir: Path) -> None:
    """Production settings, as deployed, minus HTTPS (no TLS proxy in front here); gunicorn inherits them."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "SECRET_KEY": secrets.token_urlsafe(64),
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database.url,
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PORTAL_PLAN": "torino",
        }
    )
    print(f"Database: {database.label}")


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
    queries_plain = _query_count(explorer_path)
    rendered_plain = _query_count(explorer_path, rendered=True)

    started = time.perf_counter()
    generated = generate(scale=scale)
    print(f"Generated the '{scale}' scale in {time.perf_counter() - started:.1f} s: {generated.totals}")
    queries_scale = _query_count(explorer_path)
    rendered_scale = _query_count(explorer_path, rendered=True)
    figures: dict[str, Any] = {
        "explorer_path": explorer_path,
        "vendor": connection.vendor,
        "database_version": _database_version(),
        "plain_totals": plain_totals,
        "scale_totals": generated.totals,
        "queries": {
            "trivial": _query_count(TRIVIAL_PATH),
            "explorer_plain_plan": queries_plain,
            "explorer_at_scale": queries_scale,
            "explorer_rendered_plain_plan": rendered_plain,
            "explorer_rendered_at_scale": rendered_scale,
            "constant": queries_plain == queries_scale and rendered_plain == rendered_scale,
        },
        "page_bytes": len(_get(explorer_path).content),
        "server_time_ms": {
            "trivial": _server_time(TRIVIAL_PATH),
            "explorer": _server_time(explorer_path),
            "explorer_rendered": _server_time(explorer_path, rendered=True),
        },
    }
    if profile:
        _print_profile(explorer_path)
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


@functools.cache
def _client() -> Any:
    """One client for the whole run: each new one loads the middleware again (WhiteNoise scans the static files)."""
    from django.test import Client

    return Client(HTTP_HOST=HOST)


def _get(path: str, *, rendered: bool = False) -> Any:
    """A GET through the whole middleware stack, in this process, as gunicorn's workers would run it."""
    response = _client().get(path, HTTP_COOKIE=RENDER_COOKIE) if rendered else _client().get(path)
    if response.status_code != 200:
        raise BenchError(f"GET {path} answered {response.status_code}, not 200: fix the page before measuring it")
    return response


def _query_count(path: str, *, rendered: bool = False) -> int:
    """Queries of one request, after a first one has filled the per-process caches (content types, translations)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _get(path, rendered=rendered)
    with CaptureQueriesContext(connection) as captured:
        _get(path, rendered=rendered)
    return len(captured.captured_queries)


def _server_time(path: str, *, rendered: bool = False) -> dict[str, float]:
    """Time in Django alone, one request at a time: what the page costs without HTTP and queueing."""
    _get(path, rendered=rendered)
    samples = []
    for _ in range(SERVER_TIME_SAMPLES):
        started = time.perf_counter()
        _get(path, rendered=rendered)
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "samples": len(samples),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(statistics.quantiles(samples, n=20)[-1], 2),
    }


def _print_profile(path: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILE_SAMPLES):
        _get(path)
    profiler.disable()
    output = io.StringIO()
    stats = pstats.Stats(profiler, stream=output)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    print(f"\ncProfile of {PROFILE_SAMPLES} GET {path} (by cumulative, then own time):\n{output.getvalue()}")


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        return str(cursor.fetchone()[0])


def _load_with_wrk(*, args: argparse.Namespace, wrk: str, explorer_path: str, workdir: Path) -> dict[str, Any]:
    """Serve with gunicorn, warm both URLs up, then load floor, page and floor again with the same settings.

    The floor is measured on both sides of the page so that a machine whose
    load changes during the run (other work on a shared machine) shows it, and
    the ratio divides by the mean of the two.
    """
    legs = {
        "trivial": (TRIVIAL_PATH, None),
        "explorer": (explorer_path, None),
        "explorer_rendered": (explorer_path, RENDER_COOKIE),
        "trivial_after": (TRIVIAL_PATH, None),
    }
    with _gunicorn(workers=args.workers, log=workdir / "gunicorn.log") as base_url:
        for path in (TRIVIAL_PATH, explorer_path):
            _check_status(base_url + path)
            if args.warmup > 0:
                _wrk(wrk, base_url + path, args=args, duration=args.warmup)
        load_before = os.getloadavg()
        figures = {
            name: {"path": path, **_wrk(wrk, base_url + path, args=args, duration=args.duration, cookie=cookie)}
            for name, (path, cookie) in legs.items()
        }
        load_after = os.getloadavg()
    return {"urls": figures, "load_average_1m": {"before": load_before[0], "after": load_after[0]}}


@contextmanager
def _gunicorn(*, workers: int, log: Path) -> Iterator[str]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "socialplan.wsgi:application",
        "--chdir",
        str(REPO),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--error-logfile",
        str(log),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=REPO)
    base_url = f"http://{HOST}:{port}"
    try:
        _wait_until_up(base_url + TRIVIAL_PATH, server=server, log=log)
        print(f"gunicorn: {workers} sync workers on {base_url}")
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, *, server: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - a local http:// URL built here
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer {url} within {timeout:.0f} s:\n{_tail(log)}")


def _check_status(url: str) -> None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a local http:// URL built here
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise BenchError(f"GET {url} through gunicorn answered {status}, not 200")


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]) if log.exists() else ""


def _wrk(wrk: str, url: str, *, args: argparse.Namespace, duration: int, cookie: str | None = None) -> dict[str, Any]:
    command = [
        wrk,
        *(["--header", f"Cookie: {cookie}"] if cookie else []),
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        f"--script={WRK_SCRIPT}",
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    tagged = [line for line in completed.stdout.splitlines() if line.startswith("BENCH_JSON ")]
    if completed.returncode != 0 or not tagged:
        raise BenchError(f"wrk failed on {url} ({completed.returncode}):\n{completed.stdout}{completed.stderr}")
    figures: dict[str, Any] = json.loads(tagged[-1].removeprefix("BENCH_JSON "))
    return figures


def _result(*, args: argparse.Namespace, wrk: str, figures: dict[str, Any], load: dict[str, Any]) -> dict[str, Any]:
    urls = load["urls"]
    floor_rps = statistics.mean([urls["trivial"]["rps"], urls["trivial_after"]["rps"]])
    ratio = urls["explorer"]["rps"] / floor_rps
    ratio_rendered = urls["explorer_rendered"]["rps"] / floor_rps
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
        "commit": _commit(),
        "scale": args.scale,
        "data": {"plain_plan": figures["plain_totals"], "at_scale": figures["scale_totals"]},
        "database": {"vendor": figures["vendor"], "version": figures["database_version"]},
        "server": {
            "gunicorn": _version("gunicorn"),
            "django": _version("django"),
            "workers": args.workers,
            "worker_class": "sync",
            "settings": SETTINGS,
        },
        "load_tool": {
            "tool": _wrk_version(wrk),
            "connections": args.connections,
            "threads": args.threads,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_1m": load["load_average_1m"],
        },
        "urls": urls,
        "floor": {
            "rps_before": urls["trivial"]["rps"],
            "rps_after": urls["trivial_after"]["rps"],
            "rps_mean": round(floor_rps, 2),
            "drift_pct": round(100 * (urls["trivial_after"]["rps"] / urls["trivial"]["rps"] - 1), 1),
        },
        "ratio_explorer_to_trivial": round(ratio, 3),
        "ratio_explorer_rendered_to_trivial": round(ratio_rendered, 3),
        "queries": figures["queries"],
        "explorer_page_bytes": figures["page_bytes"],
        "server_time_in_process_ms": figures["server_time_ms"],
        "targets": checks,
        "pass": all(check["pass"] for check in checks.values()),
    }


def _commit() -> str:
    completed = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False)
    return completed.stdout.strip() if completed.returncode == 0 else "unknown"


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def _wrk_version(wrk: str) -> str:
    completed = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    first_line = (completed.stdout or completed.stderr).splitlines()[:1]
    return first_line[0].split(" Copyright")[0] if first_line else "wrk"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


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
        f"{_verdict(checks['ratio']['pass'])}"
    )
    print(
        f"ratio rendered/trivial  {result['ratio_explorer_rendered_to_trivial']:.3f}  "
        "(signed-in visitors: the page is rendered on every request; no target)"
    )
    print(
        f"explorer p95            {checks['explorer_p95_ms']['value']:.1f} ms  "
        f"(target {checks['explorer_p95_ms']['target']} ms)  {_verdict(checks['explorer_p95_ms']['pass'])}"
    )
    print(
        f"rendered p95            {checks['explorer_rendered_p95_ms']['value']:.1f} ms  "
        f"(target {checks['explorer_rendered_p95_ms']['target']} ms)  "
        f"{_verdict(checks['explorer_rendered_p95_ms']['pass'])}"
    )
    print(
        f"explorer queries        {queries['explorer_plain_plan']} on the plain plan, "
        f"{queries['explorer_at_scale']} at {result['scale']} scale; rendered "
        f"{queries['explorer_rendered_plain_plan']} and {queries['explorer_rendered_at_scale']}  "
        f"{_verdict(checks['queries_constant']['pass'])}"
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
    print(f"\n{_verdict(result['pass'])}  written to {path.relative_to(REPO)}")


if __name__ == "__main__":
    sys.exit(main())
