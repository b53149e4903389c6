"""The opinion groups at scale: from a list of votes to the result stored as JSON.

Synthetic conversation (no database): 10,000 participants and 500 statements;
each participant belongs to one of a few latent outlooks and votes 40 to 60
statements drawn at random (sparse, as in Pol.is), mostly as their outlook
does, sometimes passing or going the other way. Timed in this process:

- the floor: building the dense participants x statements vote matrix alone
  with numpy (ids mapped to rows and columns, votes put in place);
- the compute: `socialplan.opinions.groups.compute_payload` (red-dwarf's
  Pol.is pipeline: matrix, PCA, k-means 2..5 with silhouette, representative
  and consensus statements) and `json.dumps` of what `GroupsResult` stores.

Target: the compute <= 30 s on 2 cores. Prints the peak RSS of the process.
One command:

    .venv/bin/python bench/opinion_groups.py [--participants 10000] [--statements 500] [--profile]

Missing the target prints FAIL and exits 1.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import commit, verdict, write_result

TARGET_S = 30.0
OUTLOOKS = 3


def synthetic_votes(*, participants: int, statements: int, low: int, high: int, seed: int) -> tuple[dict, np.ndarray]:
    """Vote arrays (participant, statement, value) with latent outlooks, and each participant's outlook."""
    rng = np.random.default_rng(seed)
    outlook = rng.integers(0, OUTLOOKS, participants)
    # Each outlook agrees with some statements and disagrees with others; a fifth of the statements everyone agrees on.
    stances = rng.choice([-1, 1], size=(OUTLOOKS, statements))
    stances[:, rng.choice(statements, statements // 5, replace=False)] = 1
    counts = rng.integers(low, high + 1, participants)
    participant = np.repeat(np.arange(1, participants + 1), counts)
    # Distinct statements per participant: the first `count` of a random ordering of all statements.
    order = np.argsort(rng.random((participants, statements)), axis=1)
    keep = np.arange(statements)[None, :] < counts[:, None]
    statement = order[keep] + 1
    value = stances[outlook[participant - 1], statement - 1]
    draw = rng.random(len(value))
    value = np.where(draw < 0.12, -value, value)
    value = np.where(draw > 0.92, 0, value)
    votes = {"participant": participant.astype(np.int64), "statement": statement.astype(np.int64), "value": value}
    return votes, outlook


def dense_matrix(participant: np.ndarray, statement: np.ndarray, value: np.ndarray) -> np.ndarray:
    rows, row_index = np.unique(participant, return_inverse=True)
    columns, column_index = np.unique(statement, return_inverse=True)
    matrix = np.full((len(rows), len(columns)), np.nan)
    matrix[row_index, column_index] = value
    return matrix


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialplan.settings.dev")
    import django

    django.setup()


def _measure(args: argparse.Namespace) -> dict:
    from socialplan.opinions.groups import VoteArrays, compute_payload

    started = time.perf_counter()
    arrays, _outlook = synthetic_votes(
        participants=args.participants, statements=args.statements, low=args.min_votes, high=args.max_votes, seed=7
    )
    generated_s = time.perf_counter() - started
    votes = VoteArrays(participant=arrays["participant"], statement=arrays["statement"], value=arrays["value"])
    texts = {number: f"Affermazione sintetica numero {number}" for number in range(1, args.statements + 1)}

    floors = []
    for _ in range(3):
        started = time.perf_counter()
        dense_matrix(votes.participant, votes.statement, votes.value)
        floors.append(time.perf_counter() - started)
    floor_s = min(floors)

    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    payload = compute_payload(votes, texts)
    stored = json.dumps({key: payload[key] for key in ("groups", "consensus", "projection")})
    if profiler:
        profiler.disable()
    compute_s = time.perf_counter() - started
    profile = ""
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(20)
        profile = out.getvalue()
    return {
        "participants": args.participants,
        "statements": args.statements,
        "votes": len(votes),
        "latent_outlooks": OUTLOOKS,
        "generated_s": round(generated_s, 3),
        "floor_dense_matrix_s": round(floor_s, 4),
        "compute_s": round(compute_s, 3),
        "compute_over_floor": round(compute_s / floor_s, 1) if floor_s else None,
        "target_s": TARGET_S,
        "groups_found": len(payload["groups"]),
        "group_sizes": [group["size"] for group in payload["groups"]],
        "clustered_participants": payload["participants"],
        "consensus_agree": len(payload["consensus"]["agree"]),
        "stored_json_bytes": len(stored),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "profile": profile,
    }


def _print(result: dict, path: Path) -> None:
    ok = result["compute_s"] <= result["target_s"]
    rows = [
        ("votes", f"{result['votes']:,} ({result['participants']:,} participants x {result['statements']} statements)"),
        ("floor: dense vote matrix (numpy)", f"{result['floor_dense_matrix_s'] * 1000:.1f} ms"),
        ("compute: votes -> stored JSON", f"{result['compute_s']:.2f} s ({result['compute_over_floor']}x the floor)"),
        ("target", f"<= {result['target_s']:.0f} s  {verdict(ok)}"),
        ("groups found", f"{result['groups_found']} {result['group_sizes']} (latent outlooks: {OUTLOOKS})"),
        ("consensus statements (agree)", str(result["consensus_agree"])),
        ("stored JSON", f"{result['stored_json_bytes'] / 1024:.0f} KiB"),
        ("peak RSS", f"{result['peak_rss_mb']:.0f} MiB"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"Opinion groups ({result['algorithm']}), commit {result['commit']}")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    if result["profile"]:
        print(result["profile"])
    print(f"Written to {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=500)
    parser.add_argument("--min-votes", type=int, default=40, help="fewest votes per participant")
    parser.add_argument("--max-votes", type=int, default=60, help="most votes per participant")
    parser.add_argument("--profile", action="store_true", help="print where the compute spends its time")
    args = parser.parse_args(argv)
    if not 0 < args.min_votes <= args.max_votes <= args.statements:
        parser.error("need 0 < --min-votes <= --max-votes <= --statements")
    _setup_django()
    from socialplan.opinions.groups import ALGORITHM

    figures = _measure(args)
    result = {
        "benchmark": "opinion_groups",
        "algorithm": ALGORITHM,
        "commit": commit(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **figures,
    }
    path = write_result({key: value for key, value in result.items() if key != "profile"}, "opinion_groups.json")
    _print(result, path)
    return 0 if result["compute_s"] <= result["target_s"] else 1


if __name__ == "__main__":
    sys.exit(main())
