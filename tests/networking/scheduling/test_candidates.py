"""The scheduler's candidate pairs (networking.scheduling.candidates): bulk scores equal to
pair_score, and pruning that keeps what the schedule and the bound need; no Django."""

import random

import numpy as np
import pytest

from networking.scheduling import candidates
from networking.scheduling.candidates import PairScorer, candidate_pairs
from networking.scheduling.quality import lp_bound
from networking.scoring import ROLE_POINTS, Party, pair_score

ROLES = sorted({r for key in ROLE_POINTS for r in key} | {"other"})


def crowd(n, seed=0, *, organizations=True):
    """n random parties over a small vocabulary, so that every scoring rule fires often."""
    rng = random.Random(seed)
    terms = list(range(1, 13))
    return [
        Party(
            id=i,
            role=rng.choice(ROLES),
            organization=rng.choice([None, f"o{rng.randrange(n // 3 + 1)}"]) if organizations else None,
            size=rng.choice([None, "sme", "large"]),
            state=rng.choice([None, 1, 2, 3]),
            offers=frozenset(rng.sample(terms, rng.randint(0, 4))),
            needs=frozenset(rng.sample(terms, rng.randint(0, 4))),
            certifications=frozenset(rng.sample(terms[:5], rng.randint(0, 4))),
            languages=frozenset(rng.sample(["es", "en", "de"], rng.randint(0, 2))),
        )  # fmt: skip
        for i in range(n)
    ]


def test_bulk_scores_equal_pair_score_for_every_pair():
    parties = crowd(150)
    scores = PairScorer.from_parties(parties).block(0, len(parties))
    expected = np.array([[pair_score(a, b).value for b in parties] for a in parties])
    assert np.array_equal(scores, expected)
    assert (scores > 0).sum() > 1000  # not a vacuous comparison
    assert np.array_equal(scores, scores.T)


def test_pairs_without_a_shared_slot_score_zero():
    parties = crowd(40, organizations=False)
    available = np.zeros((40, 4), dtype=bool)
    available[:20, :2] = True  # the first half only in the first two slots
    available[20:, 2:] = True
    scores = PairScorer.from_parties(parties, available).block(0, 40)
    assert not scores[:20, 20:].any() and scores[:20, :20].any()


def instance_of(parties, found, capacity, tables, must=()):
    """The spec's instance for the pairs found (one space, every party always available)."""
    slots = [f"s{k}" for k in range(max(capacity))]
    must_keys = {frozenset(pair) for pair in must}
    return {
        "slots": [{"id": s} for s in slots],
        "spaces": [{"id": "A", "tables": tables, "slots": slots}],
        "participants": [
            {"id": f"p{i}", "organization": f"p{i}", "role": p.role, "max_meetings": capacity[i], "available": slots}
            for i, p in enumerate(parties)
        ],
        "pairs": [
            {
                "a": f"p{a}",
                "b": f"p{b}",
                "weight": w + (500.0 if frozenset((a, b)) in must_keys else 0.0),
                "must": frozenset((a, b)) in must_keys,
            }
            for a, b, w in zip(found.a.tolist(), found.b.tolist(), found.weight.tolist())
        ],  # fmt: skip
    }


def popular_crowd(n, seed=1):
    """Everybody's best matches are the same few: a tenth of the crowd offers everything, with ISO
    certification and both languages, and may take 3 meetings; the rest have modest, varied needs."""
    rng = random.Random(seed)
    stars = [
        Party(id=i, role="manufacturer", offers=frozenset(range(1, 9)), certifications=frozenset({1, 2, 3}),
              languages=frozenset({"es", "en"}), size="large")
        for i in range(n // 10)
    ]  # fmt: skip
    rest = [
        Party(
            id=i,
            role=rng.choice(["hospital", "distributor", "supplier"]),
            needs=frozenset(rng.sample(range(1, 9), 2)),
            offers=frozenset(rng.sample(range(1, 9), 1)),
            certifications=frozenset(rng.sample([1, 2, 3], 1)),
            languages=frozenset({"es"}),
            size="sme",
        )  # fmt: skip
        for i in range(n // 10, n)
    ]
    parties = stars + rest
    return parties, [3 if i < n // 10 else 6 for i in range(n)]


def test_pruning_keeps_the_unpruned_bound_when_everybody_wants_the_same_few(monkeypatch):
    parties, capacity = popular_crowd(300)
    # Few pairs by weight, so that the bound depends on the priced pairs.
    monkeypatch.setattr(candidates, "KEEP_PER_MEETING", 1)
    monkeypatch.setattr(candidates, "KEEP_EXTRA", 2)
    full = candidate_pairs(parties, capacity, prune=False)
    pruned = candidate_pairs(parties, capacity, tables=10_000)
    full_bound = lp_bound(instance_of(parties, full, capacity, 10_000))
    pruned_bound = lp_bound(instance_of(parties, pruned, capacity, 10_000))
    assert len(pruned.a) < len(full.a) / 4
    assert pruned.scored == len(full.a)
    assert pruned_bound >= full_bound * (1 - candidates.GAP)
    assert pruned.bound_all_pairs >= full_bound - 0.1  # the proven bound holds
    # By weight alone (no pricing rounds) the same number of pairs per person loses a lot here.
    monkeypatch.setattr(candidates, "ROUNDS", 0)
    by_weight = candidate_pairs(parties, capacity, tables=10_000)
    assert lp_bound(instance_of(parties, by_weight, capacity, 10_000)) < full_bound * 0.97


def test_every_participant_keeps_their_best_matches_and_accepted_requests_stay():
    parties, capacity = popular_crowd(200)
    full = candidate_pairs(parties, capacity, prune=False)
    matrix = np.zeros((200, 200))
    matrix[full.a, full.b] = matrix[full.b, full.a] = full.weight
    far = (150, 199)  # two of the rest: a pair far down both lists
    pruned = candidate_pairs(parties, capacity, must=[far], must_bonus=500.0, tables=50)
    kept = set(zip(pruned.a.tolist(), pruned.b.tolist()))
    assert far in kept
    for i in range(200):
        best = np.argsort(-matrix[i], kind="stable")[: capacity[i]]
        assert all((min(i, j), max(i, j)) in kept for j in best if matrix[i, j] > 0)
    weights = dict(zip(zip(full.a.tolist(), full.b.tolist()), full.weight.tolist()))
    found = dict(zip(zip(pruned.a.tolist(), pruned.b.tolist()), pruned.weight.tolist()))
    assert found == {pair: weights.get(pair, matrix[pair]) for pair in kept}  # each with its own score


def test_closed_pairs_and_participants_without_seats_get_no_candidates():
    parties, capacity = popular_crowd(100)
    capacity[60] = 0
    closed = [(0, 50), (50, 1)]
    found = candidate_pairs(parties, capacity, closed=closed, tables=1000)
    kept = set(zip(found.a.tolist(), found.b.tolist()))
    assert (0, 50) not in kept and (1, 50) not in kept
    assert not any(60 in pair for pair in kept)
    # The seatless participant's pairs could not raise the bound, so they do not count as left out.
    assert found.bound_all_pairs <= found.bound * (1 + candidates.GAP) + 0.1


@pytest.mark.parametrize("prune", [True, False])
def test_an_empty_crowd_has_no_pairs(prune):
    found = candidate_pairs([], [], prune=prune)
    assert len(found.a) == 0 and found.scored == 0
