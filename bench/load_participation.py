"""Load test: participants voting and commenting at once, then every acknowledged write found in the database.

    make bench-deps
    .venv/bin/python bench/load_participation.py --database-url postgres://socialplan:socialplan@127.0.0.1:5432/postgres

A fresh database gets the Turin plan, a process open today, a consultation,
an opinion conversation with statements and the participants, each signed in
(a session and a CSRF token made here, as a browser would hold them).
gunicorn serves the production settings; locust (headless, in a subprocess)
runs the participants against the API for `--duration` seconds: each votes on
random statements (often changing an earlier vote) and now and then comments.
Every answer is counted: a 201 comment, a 200 vote. Afterwards the stored
comments must equal the acknowledged ones, the stored votes the distinct
(participant, statement) pairs acknowledged, each with the value of its last
acknowledged vote; and there must be no error. The rate limits are raised for
the run (all participants come from one address). Exit code 1 when a check fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from importlib import import_module
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BenchError,
    configure_environment,
    database_version,
    fresh_database,
    gunicorn,
    verdict,
    write_result,
)

STATEMENTS = 40

LOCUSTFILE = textwrap.dedent(
    """
    import json
    import os
    import random
    from itertools import count

    from locust import FastHttpUser, between, events, task

    SETUP = json.loads(open(os.environ["LOAD_SETUP"], encoding="utf-8").read())
    ACKS = {"comments": 0, "votes": {}, "errors": []}
    NEXT = count()


    class Participant(FastHttpUser):
        wait_time = between(0.5, 2.0)

        def on_start(self):
            self.me = SETUP["participants"][next(NEXT) % len(SETUP["participants"])]
            self.headers = {
                "Cookie": f"{SETUP['session_cookie']}={self.me['session']}; {SETUP['csrf_cookie']}={self.me['csrf']}",
                "X-CSRFToken": self.me["csrf"],
                "Content-Type": "application/json",
            }

        @task(6)
        def vote(self):
            statement = random.choice(SETUP["statements"])
            value = random.choice((-1, 0, 1))
            path = f"/api/v1/conversations/{SETUP['conversation']}/votes"
            body = json.dumps({"statement_id": statement, "value": value})
            with self.client.post(path, data=body, headers=self.headers, name="vote", catch_response=True) as answer:
                if answer.status_code == 200 and answer.json().get("value") == value:
                    ACKS["votes"][f"{self.me['id']}:{statement}"] = value
                    answer.success()
                else:
                    ACKS["errors"].append(f"vote {answer.status_code}")
                    answer.failure(f"vote answered {answer.status_code}")

        @task(1)
        def comment(self):
            path = f"/api/v1/consultations/{SETUP['consultation']}/comments"
            body = json.dumps({"body": f"Commento di carico {random.random():.6f}", "section_id": SETUP["section"]})
            with self.client.post(path, data=body, headers=self.headers, name="comment", catch_response=True) as answer:
                if answer.status_code == 201:
                    ACKS["comments"] += 1
                    answer.success()
                else:
                    ACKS["errors"].append(f"comment {answer.status_code}")
                    answer.failure(f"comment answered {answer.status_code}")

        @task(2)
        def read(self):
            self.client.get(f"/api/v1/conversations/{SETUP['conversation']}", name="read conversation")


    @events.quitting.add_listener
    def _write_acks(environment, **kwargs):
        with open(os.environ["LOAD_ACKS"], "w", encoding="utf-8") as out:
            json.dump(ACKS, out)
    """
)


def prepare(participants: int) -> dict[str, Any]:
    """The plan, an open process with a consultation and a conversation, and signed-in participants."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.core.management import call_command
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone

    from socialplan.consultations.models import Consultation, Section
    from socialplan.opinions.models import Conversation, Statement
    from socialplan.participation.models import Opening, Phase, Process
    from socialplan.plan.models import Plan
    from socialplan.plan.services import load_plan

    call_command("migrate", interactive=False, verbosity=0)
    load_plan(name="torino")
    plan = Plan.objects.get(slug="torino")
    process = Process.objects.create(plan=plan, slug="carico", title_it="Carico", title_en="Load")
    today, now = timezone.localdate(), timezone.now()
    Phase.objects.create(
        process=process,
        code="ascolto",
        title_it="Ascolto",
        title_en="Listening",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
        openings=[Opening.COMMENTS, Opening.OPINIONS],
    )
    window = {"opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=1)}
    consultation = Consultation.objects.create(process=process, slug="bozza", title="Bozza", **window)
    section = Section.objects.create(consultation=consultation, heading="Appalti sociali", body="Testo della bozza.")
    conversation = Conversation.objects.create(
        process=process, slug="opinioni", title="Opinioni", question="Che cosa pensi?", **window
    )
    statements = [
        Statement.objects.create(conversation=conversation, text=f"Affermazione {number}", status="accepted").pk
        for number in range(1, STATEMENTS + 1)
    ]
    User = get_user_model()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    people = []
    for number in range(participants):
        user = User.objects.create_user(email=f"carico-{number}@load.invalid")
        # What a sign-in leaves in the session store, as django.contrib.auth.login writes it.
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append({"id": user.pk, "session": session.session_key, "csrf": _get_new_csrf_string()})
    return {
        "consultation": consultation.pk,
        "section": section.pk,
        "conversation": conversation.pk,
        "statements": statements,
        "participants": people,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def stored() -> dict[str, Any]:
    from socialplan.consultations.models import Comment
    from socialplan.opinions.models import Vote

    votes = {
        f"{participant}:{statement}": value
        for participant, statement, value in Vote.objects.values_list("participant_id", "statement_id", "value")
    }
    return {"comments": Comment.objects.count(), "votes": votes}


def run_locust(*, base_url: str, setup: Path, acks: Path, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or shutil.which("locust")
    if locust is None:
        raise BenchError("locust is not installed: run `make bench-deps` first.")
    locustfile = workdir / "locustfile.py"
    locustfile.write_text(LOCUSTFILE, encoding="utf-8")
    csv_prefix = workdir / "locust"
    command = [
        locust,
        "-f",
        str(locustfile),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.duration}s",
        "--host",
        base_url,
        "--csv",
        str(csv_prefix),
        "--only-summary",
        "--stop-timeout",
        "30",
    ]
    environment = {**os.environ, "LOAD_SETUP": str(setup), "LOAD_ACKS": str(acks)}
    started = time.perf_counter()
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    print(completed.stdout[-3000:])
    if not acks.exists():
        raise BenchError(f"locust ended ({completed.returncode}) without its counts:\n{completed.stderr[-3000:]}")
    stats = {}
    with (workdir / "locust_stats.csv").open(encoding="utf-8", newline="") as table:
        for row in csv.DictReader(table):

            def number(column: str, row: dict[str, str] = row) -> float | None:
                value = row.get(column, "")
                return float(value) if value not in ("", "N/A") else None

            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": number("50%"),
                "p95_ms": number("95%"),
                "rps": number("Requests/s") or 0.0,
            }
    return {"elapsed_s": round(elapsed, 1), "stats": stats, "acks": json.loads(acks.read_text(encoding="utf-8"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a PostgreSQL server (a fresh database is made beside it)")
    parser.add_argument("--users", type=int, default=300, help="concurrent participants (default 300)")
    parser.add_argument("--spawn-rate", type=int, default=50, help="participants started per second (default 50)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="socialplan-load-"))
    with fresh_database(args.database_url, workdir=workdir) as database:
        configure_environment(database=database, workdir=workdir)
        # Everyone comes from 127.0.0.1: the per-address limits would stop the crowd, not an abuse.
        os.environ["PARTICIPATION_RATE_LIMITS"] = json.dumps(
            {"comment": [100000, 60], "vote": [100000, 60], "support": [100000, 60]}
        )
        import django

        django.setup()
        started = time.perf_counter()
        setup = prepare(args.users)
        print(
            f"Prepared {args.users} signed-in participants and {STATEMENTS} statements in "
            f"{time.perf_counter() - started:.1f} s on {database.label} ({database_version()})"
        )
        setup_file, acks_file = workdir / "setup.json", workdir / "acks.json"
        setup_file.write_text(json.dumps(setup), encoding="utf-8")
        from django.db import connections

        connections.close_all()
        with gunicorn(workers=args.workers, log=workdir / "gunicorn.log") as base_url:
            run = run_locust(base_url=base_url, setup=setup_file, acks=acks_file, args=args, workdir=workdir)
        found = stored()

    acks = run["acks"]
    failures = sum(row["failures"] for name, row in run["stats"].items() if name != "Aggregated")
    comments_ok = found["comments"] == acks["comments"]
    votes_ok = found["votes"] == acks["votes"]
    ok = comments_ok and votes_ok and failures == 0 and not acks["errors"]
    print()
    print(f"{'request':<20}{'count':>8}{'failures':>10}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for name, row in run["stats"].items():
        print(
            f"{name:<20}{row['requests']:>8}{row['failures']:>10}{row['rps']:>8.1f}"
            f"{row['p50_ms'] or 0:>9.0f}{row['p95_ms'] or 0:>9.0f}"
        )
    print()
    print(f"comments: acknowledged {acks['comments']}, stored {found['comments']}  {verdict(comments_ok)}")
    print(
        f"votes: acknowledged {len(acks['votes'])} (participant, statement) pairs, stored {len(found['votes'])}, "
        f"same final values: {verdict(votes_ok)}"
    )
    print(f"errors: {failures} failed requests {Counter(acks['errors']).most_common(5)}  {verdict(failures == 0)}")
    result = {
        "users": args.users,
        "duration_s": args.duration,
        "workers": args.workers,
        "database": "postgresql" if args.database_url else "sqlite",
        "stats": run["stats"],
        "comments_acknowledged": acks["comments"],
        "comments_stored": found["comments"],
        "vote_pairs_acknowledged": len(acks["votes"]),
        "vote_pairs_stored": len(found["votes"]),
        "votes_match": votes_ok,
        "failures": failures,
        "ok": ok,
    }
    print(f"Written to {write_result(result, 'load_participation.json')}")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
