"""The participation pages at metro scale, against a trivial view measured in the same run.

Metro scale (issue: participation): 10,000 participants, 200,000 opinion
votes (500 statements, 20 votes each), 20,000 comments on one consultation
(five sections and the whole draft, a third of them replies) and 2,000
proposals with 40,000 supports. The pages, timed in this process one request
at a time beside `/healthz` (the floor), rendered (not the cached copy a
visitor gets): the process page, the consultation page (for a visitor, and for
a signed-in participant with the forms to comment, reply and support), its
results, the opinion groups, the proposals list. Targets (docs QUALITY.md): p95 <= 100 ms, and a query count
that does not grow from a small set (1% of the data) to the whole. The
opinion groups of the 10,000 participants are computed from the database
(votes read, groups computed, result stored) and timed too.

    .venv/bin/python bench/participation_pages.py [--database-url URL] [--profile consultation]

Missing a target prints FAIL but exits 0: the figures are the result. It exits
non-zero only when the benchmark itself could not run. See bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    P95_TARGET_MS,
    TRIVIAL_PATH,
    BenchError,
    commit,
    configure_environment,
    database_version,
    fresh_database,
    print_profile,
    query_count,
    server_time,
    signed_in_cookie,
    verdict,
    write_result,
)

PARTICIPANTS = 10_000
STATEMENTS = 500
VOTES_EACH = 20
COMMENTS = 20_000
PROPOSALS = 2_000
SUPPORTS_EACH = 20
SECTIONS = 5
BATCH = 5_000


def prepare() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from socialplan.consultations.models import Consultation, Section
    from socialplan.opinions.models import Conversation
    from socialplan.participation.models import Opening, Phase, Process
    from socialplan.plan.models import Plan
    from socialplan.plan.services import load_plan

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_plan(name="torino")
    plan = Plan.objects.get(slug="torino")
    process = Process.objects.create(plan=plan, slug="revisione", title_it="Revisione", title_en="Revision")
    today, now = timezone.localdate(), timezone.now()
    Phase.objects.create(
        process=process,
        code="ascolto",
        title_it="Ascolto",
        title_en="Listening",
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=30),
        openings=[Opening.COMMENTS, Opening.PROPOSALS, Opening.SUPPORTS, Opening.OPINIONS],
    )
    window = {"opens_at": now - timedelta(days=30), "closes_at": now + timedelta(days=30)}
    consultation = Consultation.objects.create(process=process, slug="bozza", title="Bozza", **window)
    sections = [
        Section.objects.create(
            consultation=consultation, order=number, heading=f"Sezione {number}", body="Testo della bozza. " * 40
        )
        for number in range(SECTIONS)
    ]
    conversation = Conversation.objects.create(
        process=process, slug="opinioni", title="Opinioni", question="Che cosa pensi?", **window
    )
    User = get_user_model()
    User.objects.bulk_create(
        [User(email=f"p{number}@scale.invalid", password=make_password(None)) for number in range(PARTICIPANTS)],
        batch_size=BATCH,
    )
    return {
        "process": process,
        "consultation": consultation,
        "sections": sections,
        "conversation": conversation,
        "users": list(User.objects.filter(email__endswith="@scale.invalid").values_list("pk", flat=True)),
    }


def fill(setup: dict[str, Any], share: float, rng: random.Random) -> None:
    """Add `share` of the metro totals: statements and votes, comments and replies, proposals and supports."""
    from django.core.management import call_command

    from socialplan.consultations.models import Comment
    from socialplan.opinions.models import Statement, Vote
    from socialplan.proposals.models import Proposal, ProposalSupport

    users = setup["users"][: max(20, int(PARTICIPANTS * share))]
    conversation = setup["conversation"]
    start = Statement.objects.filter(conversation=conversation).count()
    Statement.objects.bulk_create(
        [
            Statement(conversation=conversation, text=f"Affermazione {number}", status="accepted")
            for number in range(start, max(start + 10, int(STATEMENTS * share)))
        ]
    )
    statements = list(Statement.objects.filter(conversation=conversation).values_list("pk", flat=True))
    # Latent opinions: three groups that agree and disagree on different thirds of the statements.
    votes = []
    voted = set(Vote.objects.values_list("participant_id", flat=True).distinct())
    for user in users:
        if user in voted:
            continue
        group = user % 3
        for statement in rng.sample(statements, min(VOTES_EACH, len(statements))):
            leaning = 1 if statement % 3 == group else -1
            value = leaning if rng.random() < 0.8 else rng.choice((-1, 0, 1))
            votes.append(Vote(statement_id=statement, participant_id=user, value=value))
    Vote.objects.bulk_create(votes, batch_size=BATCH)
    consultation, sections = setup["consultation"], setup["sections"]
    count = int(COMMENTS * share)
    places = [*sections, None]
    roots = Comment.objects.bulk_create(
        [
            Comment(
                consultation=consultation,
                section=rng.choice(places),
                body=f"Commento {number}: " + "proposta per il piano " * rng.randint(1, 8),
                author_id=rng.choice(users),
            )
            for number in range(count * 2 // 3)
        ],
        batch_size=BATCH,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                consultation=consultation,
                section_id=parent.section_id,
                parent=parent,
                depth=2,
                body=f"Risposta {number}",
                author_id=rng.choice(users),
            )
            for number, parent in enumerate(rng.choices(roots, k=count - len(roots)))
        ],
        batch_size=BATCH,
    )
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(process=setup["process"], title=f"Proposta {number}", body="Testo.", author_id=rng.choice(users))
            for number in range(int(PROPOSALS * share))
        ],
        batch_size=BATCH,
    )
    supports = {(rng.choice(proposals).pk, user) for user in users for _ in range(SUPPORTS_EACH // 10)}
    ProposalSupport.objects.bulk_create(
        [ProposalSupport(proposal_id=proposal, user_id=user) for proposal, user in supports],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    # Written in bulk, around the services that keep the counts: count once, as after a restore.
    call_command("recount_participation", stdout=io.StringIO())


def paths(setup: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """The pages timed: (path, cookie). An empty cookie is a visitor's rendered page; the consultation is also
    timed as a signed-in participant sees it, with the forms to comment, annotate and support."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    consultation, conversation = setup["consultation"], setup["conversation"]
    participant = get_user_model().objects.filter(is_staff=False).order_by("pk").first()
    consultation_path = reverse("consultations:detail", args=[consultation.pk])
    return {
        "process": (reverse("participation:process", args=[setup["process"].slug]), ""),
        "consultation": (consultation_path, ""),
        "consultation, signed in": (consultation_path, signed_in_cookie(participant)),
        "results": (reverse("consultations:results", args=[consultation.pk]), ""),
        "opinion groups": (reverse("opinions:results", args=[conversation.pk]), ""),
        "proposals": (reverse("proposals:list", args=[setup["process"].slug]), ""),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a PostgreSQL server (a fresh database is made beside it)")
    parser.add_argument("--profile", help="print a profile of this page (a name of the table)")
    args = parser.parse_args()
    rng = random.Random(2026)

    workdir = Path(tempfile.mkdtemp(prefix="socialplan-participation-"))
    with fresh_database(args.database_url, workdir=workdir) as database:
        configure_environment(database=database, workdir=workdir)
        import django

        django.setup()
        from socialplan.opinions.groups import compute_groups

        setup = prepare()
        urls = paths(setup)
        fill(setup, 0.01, rng)
        compute_groups(setup["conversation"])
        small = {name: query_count(path, rendered=True, cookie=cookie) for name, (path, cookie) in urls.items()}
        started = time.perf_counter()
        fill(setup, 0.99, rng)
        print(f"Generated the metro data in {time.perf_counter() - started:.0f} s on {database.label}")
        started = time.perf_counter()
        result = compute_groups(setup["conversation"])
        groups_s = time.perf_counter() - started
        whole = {name: query_count(path, rendered=True, cookie=cookie) for name, (path, cookie) in urls.items()}
        floor = server_time(TRIVIAL_PATH)
        times = {name: server_time(path, rendered=True, cookie=cookie) for name, (path, cookie) in urls.items()}
        if args.profile:
            if args.profile not in urls:
                raise BenchError(f"--profile takes one of {', '.join(urls)}")
            path, cookie = urls[args.profile]
            print_profile(path, rendered=True, cookie=cookie)
        version = database_version()
        from socialplan.consultations.models import Comment
        from socialplan.opinions.models import Vote

        counts = {"comments": Comment.objects.count(), "votes": Vote.objects.count()}

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"Data: {PARTICIPANTS} participants, {counts['votes']} votes, {counts['comments']} comments")
    print(f"Opinion groups from the database: {groups_s:.1f} s, {len(result.groups)} groups of {result.participants}")
    print(f"{'page':<25}{'p50 ms':>9}{'p95 ms':>9}{'queries 1%':>12}{'queries':>9}  verdict")
    print(f"{'floor /healthz':<25}{floor['p50_ms']:>9.1f}{floor['p95_ms']:>9.1f}")
    ok = True
    for name in urls:
        passed = times[name]["p95_ms"] <= P95_TARGET_MS and whole[name] == small[name]
        ok = ok and passed
        print(
            f"{name:<25}{times[name]['p50_ms']:>9.1f}{times[name]['p95_ms']:>9.1f}{small[name]:>12}{whole[name]:>9}"
            f"  {verdict(passed)}"
        )
    print(f"Peak memory of this process: {peak_mb:.0f} MB")
    figures = {
        "commit": commit(),
        "database": version,
        "counts": counts,
        "floor": floor,
        "pages": {name: {**times[name], "queries_small": small[name], "queries": whole[name]} for name in urls},
        "opinion_groups_s": round(groups_s, 2),
        "peak_mb": round(peak_mb),
        "ok": ok,
    }
    vendor = "postgresql" if args.database_url else "sqlite"
    print(f"Written to {write_result(figures, f'participation_pages-{vendor}.json')}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
