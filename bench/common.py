"""What every page benchmark shares: a fresh database, the production settings, gunicorn, wrk, in-process timing.

A page benchmark (plan_pages.py, ecosystem_pages.py) builds its data, counts
and times its pages in its own process with Django's test client, then serves
them with gunicorn and loads them with wrk between two loads of the trivial
view (`/healthz`), the floor its figures are compared with. See bench/README.md.
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
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
COLD_SAMPLES = 20


class BenchError(Exception):
    """The benchmark could not run; the message says what to do."""


@dataclass(frozen=True)
class Database:
    url: str
    label: str


def add_common_arguments(parser: argparse.ArgumentParser, *, duration: int = 20) -> None:
    """The options every page benchmark takes: scale, database, and the load's settings."""
    parser.add_argument("--scale", default="metro", help="scale of the generated data: metro (default) or national")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server and an existing database to connect to, e.g. "
        "postgres://socialplan:socialplan@127.0.0.1:5432/postgres; a fresh database is created beside it "
        "and dropped at the end (default: a fresh SQLite file in a temporary directory)",
    )
    parser.add_argument(
        "--duration", type=int, default=duration, help=f"seconds of load on each URL (default {duration})"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: leave the cores to gunicorn)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of unmeasured load on each URL first")


def check_common_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.threads > args.connections:
        parser.error("--threads cannot exceed --connections (wrk needs a connection per thread)")


def load_with_wrk(
    *, args: argparse.Namespace, wrk: str, legs: dict[str, tuple[str, str | None]], workdir: Path
) -> dict[str, Any]:
    """Serve with gunicorn, warm every URL up, then load the floor, each leg and the floor again, same settings.

    `legs` maps a name to (path, cookie or None). The floor (`trivial`) is
    measured on both sides of the pages so that a machine whose load changes
    during the run (other work on a shared machine) shows it; ratios divide by
    the mean of the two.
    """
    all_legs = {"trivial": (TRIVIAL_PATH, None), **legs, "trivial_after": (TRIVIAL_PATH, None)}
    with gunicorn(workers=args.workers, log=workdir / "gunicorn.log") as base_url:
        for path in dict.fromkeys(path for path, _cookie in all_legs.values()):
            check_status(base_url + path)
            if args.warmup > 0:
                wrk_load(wrk, base_url + path, args=args, duration=args.warmup)
        load_before = os.getloadavg()
        figures = {
            name: {"path": path, **wrk_load(wrk, base_url + path, args=args, duration=args.duration, cookie=cookie)}
            for name, (path, cookie) in all_legs.items()
        }
        load_after = os.getloadavg()
    return {"urls": figures, "load_average_1m": {"before": load_before[0], "after": load_after[0]}}


def floor(urls: dict[str, Any]) -> dict[str, float]:
    before, after = urls["trivial"]["rps"], urls["trivial_after"]["rps"]
    mean = statistics.mean([before, after])
    return {
        "rps_before": before,
        "rps_after": after,
        "rps_mean": round(mean, 2),
        "drift_pct": round(100 * (after / before - 1), 1),
    }


def run_context(*, args: argparse.Namespace, wrk: str, load: dict[str, Any]) -> dict[str, Any]:
    """Server, load tool and machine of a run, as every result records them."""
    return {
        "server": {
            "gunicorn": version("gunicorn"),
            "django": version("django"),
            "workers": args.workers,
            "worker_class": "sync",
            "settings": SETTINGS,
        },
        "load_tool": {
            "tool": wrk_version(wrk),
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
    }


def write_result(result: dict[str, Any], name: str) -> Path:
    path = RESULTS / name
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return path


def load_errors(urls: dict[str, Any]) -> dict[str, Any]:
    return {name: url["errors"] for name, url in urls.items() if any(url["errors"].values())}


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise BenchError("wrk is not installed; install it with `apt-get install -y wrk` (Debian) and run again.")
    return wrk


@contextmanager
def fresh_database(url: str | None, *, workdir: Path) -> Iterator[Database]:
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


def configure_environment(*, database: Database, workdir: Path) -> None:
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


@functools.cache
def client() -> Any:
    """One client for the whole run: each new one loads the middleware again (WhiteNoise scans the static files)."""
    from django.test import Client

    return Client(HTTP_HOST=HOST)


def get(path: str, *, rendered: bool = False, cookie: str = "") -> Any:
    """A GET through the whole middleware stack, in this process, as gunicorn's workers would run it.

    Each request carries exactly the cookies wrk sends: none, or the session
    cookie. The test client would otherwise keep what responses set (the
    session middleware deletes an unknown session cookie with a Set-Cookie),
    and every later "anonymous" request would carry it and skip the cache.
    `cookie` is a signed-in participant's (`signed_in_cookie`): the page as they see it, with their forms.
    """
    session = client()
    session.cookies.clear()
    cookie = cookie or (RENDER_COOKIE if rendered else "")
    response = session.get(path, HTTP_COOKIE=cookie) if cookie else session.get(path)
    if response.status_code != 200:
        raise BenchError(f"GET {path} answered {response.status_code}, not 200: fix the page before measuring it")
    return response


def query_count(path: str, *, rendered: bool = False, cookie: str = "") -> int:
    """Queries of one request, after a first one has filled the per-process caches (content types, translations)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get(path, rendered=rendered, cookie=cookie)
    with CaptureQueriesContext(connection) as captured:
        get(path, rendered=rendered, cookie=cookie)
    return len(captured.captured_queries)


def server_time(path: str, *, rendered: bool = False, cookie: str = "") -> dict[str, float]:
    """Time in Django alone, one request at a time: what the page costs without HTTP and queueing."""
    get(path, rendered=rendered, cookie=cookie)
    samples = []
    for _ in range(SERVER_TIME_SAMPLES):
        started = time.perf_counter()
        get(path, rendered=rendered, cookie=cookie)
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "samples": len(samples),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(statistics.quantiles(samples, n=20)[-1], 2),
    }


def cold_time(path: str) -> dict[str, float]:
    """The first anonymous request after an edit: the content version is replaced before each sample."""
    from socialplan.core.cache import bump_content_version

    samples = []
    for _ in range(COLD_SAMPLES):
        bump_content_version()
        started = time.perf_counter()
        get(path)
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "samples": len(samples),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(statistics.quantiles(samples, n=20)[-1], 2),
    }


def signed_in_cookie(user: Any) -> str:
    """The session cookie of `user`, signed in as the login view would sign them in."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def print_profile(path: str, *, rendered: bool = False, cookie: str = "") -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(PROFILE_SAMPLES):
        get(path, rendered=rendered, cookie=cookie)
    profiler.disable()
    output = io.StringIO()
    stats = pstats.Stats(profiler, stream=output)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    label = f"GET {path}" + (" rendered" if rendered else "")
    print(f"\ncProfile of {PROFILE_SAMPLES} {label} (by cumulative, then own time):\n{output.getvalue()}")


def load_plain_demo() -> None:
    """Migrate a fresh database and load what `make run` loads: the Turin plan, the comuni, the CPV codes, the demo
    organizations; and collect the static files the production settings serve."""
    from django.core.management import call_command

    from socialplan.ecosystem.demo import load_demo
    from socialplan.plan.services import load_plan
    from socialplan.territory.services import load_territory

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    load_plan(name="torino")
    load_territory(code="TO")
    call_command("load_cpv", stdout=io.StringIO())
    load_demo()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(
        "Migrated, loaded the Turin plan, the comuni, the CPV codes and the demo, collected static files "
        f"in {time.perf_counter() - started:.1f} s"
    )


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        return str(cursor.fetchone()[0])


@contextmanager
def gunicorn(*, workers: int, log: Path) -> Iterator[str]:
    port = free_port()
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
        wait_until_up(base_url + TRIVIAL_PATH, server=server, log=log)
        print(f"gunicorn: {workers} sync workers on {base_url}")
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, *, server: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - a local http:// URL built here
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer {url} within {timeout:.0f} s:\n{tail(log)}")


def check_status(url: str) -> None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a local http:// URL built here
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise BenchError(f"GET {url} through gunicorn answered {status}, not 200")


def tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]) if log.exists() else ""


def wrk_load(
    wrk: str, url: str, *, args: argparse.Namespace, duration: int, cookie: str | None = None
) -> dict[str, Any]:
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


def commit() -> str:
    completed = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False)
    return completed.stdout.strip() if completed.returncode == 0 else "unknown"


def version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def wrk_version(wrk: str) -> str:
    completed = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    first_line = (completed.stdout or completed.stderr).splitlines()[:1]
    return first_line[0].split(" Copyright")[0] if first_line else "wrk"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"
