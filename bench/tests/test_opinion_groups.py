"""The opinion groups benchmark's data: sparse votes with latent outlooks that the compute recovers."""

import numpy as np

from bench.opinion_groups import dense_matrix, synthetic_votes
from socialplan.opinions.groups import VoteArrays, compute_payload


def test_each_participant_votes_distinct_statements_within_the_range():
    votes, outlook = synthetic_votes(participants=200, statements=80, low=10, high=20, seed=1)
    pairs = set(zip(votes["participant"].tolist(), votes["statement"].tolist(), strict=True))
    assert len(pairs) == len(votes["participant"])  # no statement twice for one participant
    counts = np.bincount(votes["participant"])[1:]
    assert counts.min() >= 10 and counts.max() <= 20
    assert set(np.unique(votes["value"]).tolist()) <= {-1, 0, 1}
    assert len(outlook) == 200
    matrix = dense_matrix(votes["participant"], votes["statement"], votes["value"])
    assert matrix.shape == (200, 80) and int(np.isfinite(matrix).sum()) == len(votes["value"])


def test_the_compute_finds_the_latent_outlooks(db):
    votes, outlook = synthetic_votes(participants=600, statements=60, low=20, high=30, seed=2)
    arrays = VoteArrays(participant=votes["participant"], statement=votes["statement"], value=votes["value"])
    payload = compute_payload(arrays, {number: f"s{number}" for number in range(1, 61)})
    found = sorted(group["size"] for group in payload["groups"])
    planted = sorted(np.bincount(outlook).tolist())
    # Three groups, each within a few participants of its outlook (some votes go against one's outlook).
    assert len(found) == 3
    assert all(abs(size - expected) <= 10 for size, expected in zip(found, planted, strict=True))
