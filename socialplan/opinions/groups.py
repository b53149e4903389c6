"""Computing the opinion groups of a conversation with red-dwarf's implementation of the Pol.is method.

Pol.is projects every participant's votes onto two dimensions (PCA, with the
missing votes imputed), clusters the participants who voted at least seven
statements with k-means (2 to 5 groups, the count chosen by silhouette score;
beyond 100 participants on 100 base clusters, as Pol.is does), and picks for
each group the statements that set it apart (representativeness) and, for
the whole conversation, the statements most participants agree or disagree
with (consensus). Votes: agree 1, disagree -1, pass 0, as red-dwarf counts
them.

`compute_payload` works on plain arrays and has no database (the benchmark
times it); `compute_groups` reads a conversation's votes and stores the
result. Recomputing after votes is throttled: `request_recompute` marks the
conversation dirty and queues the task at most once a minute; the command
`compute_opinion_groups` catches what the throttle held back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from importlib.metadata import version
from typing import Any

import numpy as np
import sklearn
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Conversation, GroupsResult, Statement, Vote

ALGORITHM = f"red-dwarf {version('red-dwarf')} polis"
# Pol.is leaves out of the clustering whoever voted fewer than 7 statements.
MIN_VOTES_PER_PARTICIPANT = 7
# Below this many clusterable participants groups say nothing about a population.
MIN_PARTICIPANTS = 10
MAX_GROUPS = 5
# Pol.is forms the groups from this many base clusters of participants (see _groups_on_base_clusters).
BASE_CLUSTERS = 100
SKLEARN_WORKING_MEMORY_MB = 128
RANDOM_STATE = 2026
# Statements shown per group and per consensus direction (Pol.is picks 5).
PICK_MAX = 5
# The chart draws at most this many participants (a fixed sample): the groups' sizes stay exact in the text.
CHART_POINTS = 1000
READ_CHUNK = 20_000
RECOMPUTE_EVERY = timedelta(minutes=1)


class NotEnoughVotes(Exception):
    """Too few participants, or votes too alike, to form groups; the message says which."""

    def __init__(self, message: str, *, clusterable: int = 0) -> None:
        super().__init__(message)
        self.clusterable = clusterable


@dataclass(frozen=True)
class VoteArrays:
    participant: np.ndarray
    statement: np.ndarray
    value: np.ndarray

    def __len__(self) -> int:
        return len(self.value)


def counted_statements(conversation: Conversation) -> dict[int, Statement]:
    """The statements whose votes count: accepted and not hidden by the moderators."""
    rows = conversation.statements.filter(status=Statement.Status.ACCEPTED, hidden_at__isnull=True).only(
        "pk", "text", "is_meta"
    )
    return {statement.pk: statement for statement in rows}


def read_votes(conversation: Conversation, statement_ids: list[int]) -> VoteArrays:
    """The conversation's votes by known participants, as three integer arrays, read in chunks."""
    rows = (
        Vote.objects.filter(statement__conversation=conversation, participant__isnull=False)
        .filter(statement_id__in=statement_ids)
        .values_list("participant_id", "statement_id", "value")
        .iterator(chunk_size=READ_CHUNK)
    )
    flat = np.fromiter((number for row in rows for number in row), dtype=np.int64)
    table = flat.reshape(-1, 3)
    return VoteArrays(participant=table[:, 0], statement=table[:, 1], value=table[:, 2])


def clusterable_count(votes: VoteArrays) -> int:
    if not len(votes):
        return 0
    _ids, counts = np.unique(votes.participant, return_counts=True)
    return int((counts >= MIN_VOTES_PER_PARTICIPANT).sum())


def waiting_message(clusterable: int) -> str:
    """Why a conversation has no groups yet, given how many participants voted enough to be placed."""
    if clusterable < MIN_PARTICIPANTS:
        return str(
            _(
                "Groups form when at least %(needed)s participants have voted on at least %(votes)s statements "
                "each: so far %(count)s have."
            )
            % {"needed": MIN_PARTICIPANTS, "votes": MIN_VOTES_PER_PARTICIPANT, "count": clusterable}
        )
    return str(
        _(
            "The participants have voted too much alike so far to form distinct groups, or the groups are being "
            "computed: come back in a few minutes."
        )
    )


def _too_few(clusterable: int) -> NotEnoughVotes:
    return NotEnoughVotes(waiting_message(clusterable), clusterable=clusterable)


def _distinct_voters(votes: VoteArrays, clusterable_ids: np.ndarray) -> int:
    """How many different ways of voting the clusterable participants have (k-means needs k distinct points).

    Each (statement, vote) pair gets a random 64-bit weight; a participant's signature is the wrapping sum of
    their pairs' weights, so equal signatures mean (but for a 2**-64 chance) equal votes.
    """
    mask = np.isin(votes.participant, clusterable_ids)
    participants = votes.participant[mask]
    _statements, column = np.unique(votes.statement[mask], return_inverse=True)
    pairs = column * 3 + (votes.value[mask] + 1)
    weights = np.random.default_rng(RANDOM_STATE).integers(0, 2**63, size=int(pairs.max()) + 1, dtype=np.uint64)
    order = np.argsort(participants, kind="stable")
    starts = np.flatnonzero(np.r_[True, participants[order][1:] != participants[order][:-1]])
    signatures = np.add.reduceat(weights[pairs[order]], starts)
    return len(np.unique(signatures))


def _groups_on_base_clusters(
    columns: dict[str, np.ndarray], mod_out: list[int], *, base_count: int, max_groups: int
) -> tuple[int, Any]:
    """The group count and the groups' starting centers, chosen on 100 base clusters as Pol.is does.

    Pol.is first gathers the participants into 100 base clusters and forms the groups from those: choosing the
    count by silhouette score over every participant costs time in the square of their number (for 10,000
    participants on 2 shared cores, 9 to 55 s of red-dwarf's pipeline went to it, by the load), over the base
    clusters next to nothing. Unlike Pol.is, the base clusters are not weighted by their size here. red-dwarf's
    pipeline then places every participant, starting from these centers (the PCA is the same: same matrix,
    same random state).
    """
    from reddwarf.sklearn.cluster import PolisKMeans
    from reddwarf.utils.clusterer.kmeans import find_best_kmeans
    from reddwarf.utils.matrix import generate_raw_matrix, simple_filter_matrix
    from reddwarf.utils.reducer.base import run_reducer

    matrix = generate_raw_matrix(votes=columns)
    projections, _statements, _model = run_reducer(
        vote_matrix=simple_filter_matrix(matrix, mod_out_statement_ids=mod_out).values, random_state=RANDOM_STATE
    )
    clusterable = projections[(matrix.count(axis="columns") >= MIN_VOTES_PER_PARTICIPANT).to_numpy()]
    base = PolisKMeans(n_clusters=base_count, init="k-means++", random_state=RANDOM_STATE).fit(clusterable)
    count, _score, model = find_best_kmeans(
        X_to_cluster=base.cluster_centers_, k_bounds=[2, max_groups], init="polis", random_state=RANDOM_STATE
    )
    return count, model.cluster_centers_.tolist()


def _share(part: float, whole: float) -> float:
    return round(float(part) / float(whole), 4) if whole else 0.0


def compute_payload(votes: VoteArrays, statements: dict[int, str], *, meta_ids: frozenset[int] = frozenset()) -> dict:
    """The groups, their representative statements, the consensus and the chart's points, as plain JSON data.

    `statements` maps the counted statement ids to their text; meta statements are voted on but, since they
    speak of the conversation and not of the plan, they neither shape the groups nor represent them.
    Raises NotEnoughVotes when groups cannot form.
    """
    from reddwarf.implementations.polis import run_pipeline

    clusterable = clusterable_count(votes)
    if clusterable < MIN_PARTICIPANTS:
        raise _too_few(clusterable)
    ids, counts = np.unique(votes.participant, return_counts=True)
    distinct = _distinct_voters(votes, ids[counts >= MIN_VOTES_PER_PARTICIPANT])
    if distinct < 3:
        raise NotEnoughVotes(
            str(_("The participants have all voted alike so far: there are no distinct groups yet.")),
            clusterable=clusterable,
        )
    mod_out = sorted(meta_ids & set(statements))
    max_groups = min(MAX_GROUPS, distinct - 1)
    # red-dwarf builds its vote matrix with pandas: a dict of column arrays is its fastest input (no per-vote dict).
    columns = {"participant_id": votes.participant, "statement_id": votes.statement, "vote": votes.value}
    choice: dict[str, Any] = {"max_group_count": max_groups}
    if clusterable > BASE_CLUSTERS:
        base_count = min(BASE_CLUSTERS, distinct)
        count, centers = _groups_on_base_clusters(columns, mod_out, base_count=base_count, max_groups=max_groups)
        choice = {"force_group_count": count, "init_centers": centers}
    # The pairwise distances of the silhouette score, in chunks that keep the memory low.
    with sklearn.config_context(working_memory=SKLEARN_WORKING_MEMORY_MB):
        result = run_pipeline(
            votes=columns,
            min_user_vote_threshold=MIN_VOTES_PER_PARTICIPANT,
            random_state=RANDOM_STATE,
            mod_out_statement_ids=mod_out,
            meta_statement_ids=mod_out,
            pick_max=PICK_MAX,
            **choice,
        )
    participants = result.participants_df[result.participants_df["to_cluster"]]
    labels = participants["cluster_id"].astype(int).to_numpy()
    # Groups are named A, B, C... from the largest down, so the names stay put while votes come in.
    sizes = np.bincount(labels)
    order = [int(label) for label in np.argsort(-sizes, kind="stable")]
    rename = {old: new for new, old in enumerate(order)}

    stats = result.group_comment_stats
    agree = stats["na"].unstack(level="statement_id")
    disagree = stats["nd"].unstack(level="statement_id")
    seen = stats["ns"].unstack(level="statement_id")
    totals = {"na": agree.sum(axis=0), "nd": disagree.sum(axis=0), "ns": seen.sum(axis=0)}

    def shares(label: int, statement_id: int) -> dict[str, float | int]:
        group_seen = seen.at[label, statement_id]
        rest_seen = totals["ns"][statement_id] - group_seen
        return {
            "votes": int(group_seen),
            "agree": _share(agree.at[label, statement_id], group_seen),
            "disagree": _share(disagree.at[label, statement_id], group_seen),
            "rest_agree": _share(totals["na"][statement_id] - agree.at[label, statement_id], rest_seen),
            "rest_disagree": _share(totals["nd"][statement_id] - disagree.at[label, statement_id], rest_seen),
        }

    groups = []
    for old in order:
        representative = []
        for item in result.repness.get(old, []):
            statement_id = int(item["tid"])
            representative.append(
                {
                    "statement": statement_id,
                    "text": statements[statement_id],
                    "direction": str(item["repful-for"]),
                    **shares(old, statement_id),
                }
            )
        groups.append({"id": rename[old], "size": int(sizes[old]), "representative": representative})

    consensus: dict[str, list[dict[str, Any]]] = {"agree": [], "disagree": []}
    for direction, column in (("agree", agree), ("disagree", disagree)):
        for item in result.consensus[direction]:
            statement_id = int(item["tid"])
            by_group = [_share(column.at[old, statement_id], seen.at[old, statement_id]) for old in order]
            # Agreed (or disagreed) across groups: a majority in every group, not only overall.
            if min(by_group) <= 0.5:
                continue
            consensus[direction].append(
                {
                    "statement": statement_id,
                    "text": statements[statement_id],
                    "share": _share(item["n-success"], item["n-trials"]),
                    "votes": int(item["n-trials"]),
                    "by_group": by_group,
                }
            )

    points = participants[["x", "y"]].to_numpy()
    point_groups = np.array([rename[label] for label in labels])
    if len(points) > CHART_POINTS:
        chosen = np.sort(np.random.default_rng(RANDOM_STATE).choice(len(points), CHART_POINTS, replace=False))
        points, point_groups = points[chosen], point_groups[chosen]
    projection = [
        [round(float(x), 3), round(float(y), 3), int(group)] for (x, y), group in zip(points, point_groups, strict=True)
    ]
    return {
        "participants": len(labels),
        "votes": len(votes),
        "groups": groups,
        "consensus": consensus,
        "projection": projection,
    }


def compute_groups(conversation: Conversation) -> GroupsResult:
    """Compute and store the conversation's groups (the older results go); raises NotEnoughVotes."""
    started = time.perf_counter()
    statements = counted_statements(conversation)
    votes = read_votes(conversation, list(statements))
    payload = compute_payload(
        votes,
        {pk: statement.text for pk, statement in statements.items()},
        meta_ids=frozenset(pk for pk, statement in statements.items() if statement.is_meta),
    )
    duration_ms = round((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        result = GroupsResult.objects.create(
            conversation=conversation,
            participants=payload["participants"],
            votes=payload["votes"],
            groups=payload["groups"],
            consensus=payload["consensus"],
            projection=payload["projection"],
            algorithm=ALGORITHM,
            duration_ms=duration_ms,
        )
        conversation.groups_results.exclude(pk=result.pk).delete()
    return result


def recompute(conversation_id: int) -> dict[str, Any]:
    """Clear the dirty flag, then compute: votes cast meanwhile mark the conversation dirty again."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return {"computed": False, "reason": "missing"}
    Conversation.objects.filter(pk=conversation_id).update(groups_dirty=False)
    try:
        result = compute_groups(conversation)
    except NotEnoughVotes as reason:
        return {"computed": False, "reason": str(reason)}
    return {"computed": True, "groups": len(result.groups), "participants": result.participants}


def request_recompute(conversation_id: int) -> bool:
    """After votes: mark the groups stale and queue a recompute unless one was queued in the last minute."""
    now = timezone.now()
    conversations = Conversation.objects.filter(pk=conversation_id)
    # Writing the conversation's row only when something changes keeps concurrent voters from queueing on its lock.
    conversations.filter(groups_dirty=False).update(groups_dirty=True)
    claimed = conversations.filter(
        Q(groups_requested_at__isnull=True) | Q(groups_requested_at__lte=now - RECOMPUTE_EVERY)
    ).update(groups_requested_at=now)
    if not claimed:
        return False
    from .tasks import compute_conversation_groups

    transaction.on_commit(lambda: compute_conversation_groups.enqueue(conversation_id))
    return True
