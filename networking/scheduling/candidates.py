"""The scheduler's candidate pairs: every pair scored in bulk, then pruned to the pairs that matter.

A pure module (numpy and scipy, no Django).

Scoring. `PairScorer` scores pairs of participants block by block as matrix arithmetic, with
exactly the figure of `networking.scoring.pair_score` (tested pair by pair): a 15,000-participant
edition has 115 million pairs (75 million with a score), which Python cannot score one by one in a
scheduler run and numpy scores in seconds; the recommendations page uses it to rank one
participant against everybody. `_Scores` keeps every pair's score as tenths in 16 bits (each is
rounded to 0.1 and bounded by the scoring's constants): 30 MB at 3,900 participants, 460 MB at
15,000.

Pruning. An instance with every positive pair grows with the square of the participants (5 million
pairs at 3,900 participants: a 300 MB instance, 9 GB while solving and bounding), and nearly all of
them are pairs no schedule would use: a participant with 8 meetings to fill does not need their
400th-best match. `candidate_pairs` keeps

1. each participant's best pairs by weight, a few per meeting they can hold: what a good schedule
   gives them, what their coverage needs, and what popular participants choose among;
2. the accepted requests (`must`), whatever their score;
3. the pairs the weight bound needs. Keeping the best by weight alone is not enough when everybody's
   favourites are the same few (on the demo edition the 350 exhibitors' staff are everybody's best
   matches, and their seats are soon taken): the optimum then turns to pairs deep in both sides'
   lists, and pruning by weight loses several percent. So the checker's LP (each participant's
   meetings within their capacity, all meetings within the table-slots, each pair at most once; see
   quality.lp_bound) is solved on the kept pairs, its row prices (duals) price every pair of the
   matrix, each participant brings in its most profitable left-out pairs, and again, until the
   left-out pairs could raise the LP by less than `GAP` of it (column generation, as the solver
   does inside). At that point the bound of the pruned instance is the bound of the unpruned one
   to within GAP: `Candidates.bound_all_pairs` is a proven upper bound of the unpruned LP (a
   feasible dual prices each left-out pair at its reduced profit), so what pruning costs is
   measured on every run rather than assumed.

A pair stays when either side keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from networking.scoring import (
    CERT_MAX,
    CERT_POINTS,
    NEED_POINTS,
    NEED_TERMS_MAX,
    NO_COMMON_LANGUAGE_FACTOR,
    ROLE_POINTS,
    SAME_STATE_POINTS,
    SME_LARGE_POINTS,
    Party,
)

# Best pairs by weight kept per participant: per meeting it can hold, plus a margin so that people
# with few meetings still have choices (the solver's own LP starts from 2 per meeting + 16).
KEEP_PER_MEETING = 3
KEEP_EXTRA = 12
# Column generation: per round, each participant brings in this many profitable pairs per meeting
# (plus one); stop when the left-out pairs could add less than GAP to the bound, or after ROUNDS.
PRICED_PER_MEETING = 1
GAP = 1e-4
ROUNDS = 12
# Rows scored at a time: a few BLOCK x participants float matrices alive at once (31 MB each at
# 15,000 participants).
BLOCK = 256
_MAX_SCORE = (
    max(ROLE_POINTS.values())
    + 2 * NEED_POINTS * NEED_TERMS_MAX
    + CERT_POINTS * CERT_MAX
    + (SAME_STATE_POINTS + SME_LARGE_POINTS)
)


@dataclass
class Candidates:
    """Candidate pairs as index arrays into the parties given (a < b), with their scores."""

    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray  # the score, without the bonus of an accepted request
    scored: int  # pairs with a positive score that can meet (share a slot), before pruning
    bound: float | None = None  # the checker's LP bound on the kept pairs (bonuses included)
    bound_all_pairs: float | None = None  # proven upper bound of that LP over every scored pair
    rounds: int = 0  # LPs solved


class PairScorer:
    """Participants as arrays (role, organization, state and size codes; term and language 0/1
    matrices), scoring rows of pairs at once with the figure of `pair_score`.

    Built from Party objects (`from_parties`) or straight from database rows (the recommendations
    page scores one participant against everybody without making a Party of each).
    """

    def __init__(
        self,
        *,
        roles: Sequence[str],
        organizations: Sequence[str | None],
        states: Sequence[int | None],
        sizes: Sequence[str | None],
        languages: Sequence[frozenset[str]],
        needs: Sequence[tuple[int, int]] = (),
        offers: Sequence[tuple[int, int]] = (),
        certifications: Sequence[tuple[int, int]] = (),
        available: np.ndarray | None = None,
    ) -> None:
        """Columns, one entry per participant; needs/offers/certifications as (row, term id) pairs."""
        n = len(roles)
        names = sorted(set(roles) | {r for key in ROLE_POINTS for r in key})
        role_index = {r: i for i, r in enumerate(names)}
        self.role_points = np.zeros((len(names), len(names)), dtype=np.float32)
        for key, points in ROLE_POINTS.items():
            first, second = (sorted(key) * 2)[:2]  # a one-role key: both sides have that role
            self.role_points[role_index[first], role_index[second]] = points
            self.role_points[role_index[second], role_index[first]] = points
        self.role = np.array([role_index[r] for r in roles], dtype=np.int64)
        keys: dict[str, int] = {}
        self.organization = np.array(
            [-1 if o is None else keys.setdefault(o, len(keys)) for o in organizations], dtype=np.int64
        )
        self.state = np.array([-1 if s is None else s for s in states], dtype=np.int64)
        self.size = np.array([{"sme": 1, "large": 2}.get(s or "", 0) for s in sizes], dtype=np.int64)
        columns_in = {"needs": needs, "offers": offers, "certifications": certifications}
        pairs = {name: np.asarray(list(rows), dtype=np.int64).reshape(-1, 2) for name, rows in columns_in.items()}
        terms, columns = np.unique(np.concatenate([p[:, 1] for p in pairs.values()]), return_inverse=True)
        # Small 0/1 matrices: the intersections of a block with everybody are matrix products.
        matrices, at = {}, 0
        for name, rows in pairs.items():
            matrix = np.zeros((n, len(terms)), dtype=np.float32)
            matrix[rows[:, 0], columns[at : at + len(rows)]] = 1
            matrices[name] = matrix
            at += len(rows)
        self.needs, self.offers, self.certifications = matrices["needs"], matrices["offers"], matrices["certifications"]
        # Few distinct language sets: a row of the 0/1 matrix for each, then one row per participant.
        distinct: dict[frozenset[str], int] = {}
        codes = np.array([distinct.setdefault(frozenset(langs), len(distinct)) for langs in languages], dtype=np.int64)
        spoken = sorted({lang for langs in distinct for lang in langs})
        table = np.zeros((len(distinct), len(spoken)), dtype=np.float32)
        for code, langs in enumerate(distinct):
            table[code, [spoken.index(lang) for lang in langs]] = 1
        self.languages = table[codes] if n else np.zeros((0, len(spoken)), dtype=np.float32)
        self.speaks = self.languages.sum(axis=1) > 0
        self.available = None if available is None else np.asarray(available, dtype=np.float32)
        self.n = n

    @classmethod
    def from_parties(cls, parties: Sequence[Party], available: np.ndarray | None = None) -> PairScorer:
        return cls(
            roles=[p.role for p in parties], organizations=[p.organization for p in parties],
            states=[p.state for p in parties], sizes=[p.size for p in parties],
            languages=[p.languages for p in parties],
            needs=[(i, t) for i, p in enumerate(parties) for t in p.needs],
            offers=[(i, t) for i, p in enumerate(parties) for t in p.offers],
            certifications=[(i, t) for i, p in enumerate(parties) for t in p.certifications],
            available=available,
        )  # fmt: skip

    def block(self, start: int, stop: int) -> np.ndarray:
        """pair_score(parties[i], parties[j]).value for i in start..stop-1 and every j, as float32;
        0 for pairs that share no slot when availability is given."""
        rows = slice(start, stop)
        role_points = self.role_points[self.role[rows]][:, self.role]
        they_offer = np.minimum(self.needs[rows] @ self.offers.T, NEED_TERMS_MAX)
        you_offer = np.minimum(self.offers[rows] @ self.needs.T, NEED_TERMS_MAX)
        candidate = (role_points > 0) | (they_offer > 0) | (you_offer > 0)
        value = role_points + np.float32(NEED_POINTS) * (they_offer + you_offer)
        value += np.float32(CERT_POINTS) * np.minimum(self.certifications[rows] @ self.certifications.T, CERT_MAX)
        state = self.state[rows, None]
        value += np.float32(SAME_STATE_POINTS) * ((state == self.state[None, :]) & (state >= 0))
        value += np.float32(SME_LARGE_POINTS) * (self.size[rows, None] * self.size[None, :] == 2)
        apart = (self.languages[rows] @ self.languages.T == 0) & self.speaks[rows, None] & self.speaks[None, :]
        value = np.where(apart, value * np.float32(NO_COMMON_LANGUAGE_FACTOR), value)
        organization = self.organization[rows, None]
        candidate &= (organization != self.organization[None, :]) | (organization < 0)  # colleagues
        candidate[np.arange(stop - start), np.arange(start, stop)] = False  # nobody meets themselves
        if self.available is not None:
            candidate &= self.available[rows] @ self.available.T > 0
        return np.where(candidate, np.round(value, 1), np.float32(0))


class _Scores:
    """Every pair's score, computed once and kept in tenths (16 bits) when the scores fit."""

    def __init__(self, parties: Sequence[Party], available, closed, progress) -> None:
        features = PairScorer.from_parties(parties, available)
        self.n = n = features.n
        self.compact = _MAX_SCORE * 10 <= np.iinfo(np.uint16).max
        pairs = np.array([(i, j) for i, j in closed] + [(j, i) for i, j in closed], dtype=np.int64).reshape(-1, 2)
        self.blocks: list[np.ndarray] = []
        for start in range(0, n, BLOCK):
            stop = min(start + BLOCK, n)
            scores = features.block(start, stop)
            inside = pairs[(pairs[:, 0] >= start) & (pairs[:, 0] < stop)]
            scores[inside[:, 0] - start, inside[:, 1]] = 0  # declined, cancelled by a participant
            self.blocks.append(np.rint(scores * 10).astype(np.uint16) if self.compact else scores)
            progress(stop / max(n, 1))

    def __iter__(self):
        """(first row, float32 scores of the block's rows against everybody), block by block."""
        for number, block in enumerate(self.blocks):
            yield number * BLOCK, (block.astype(np.float32) / np.float32(10)) if self.compact else block.copy()

    def of(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The scores of the pairs (a[k], b[k])."""
        out = np.empty(len(a), dtype=np.float64)
        for number, block in enumerate(self.blocks):
            here = a // BLOCK == number
            out[here] = block[a[here] - number * BLOCK, b[here]]
        return out / 10 if self.compact else out


def _best(values: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of the counts[row] largest positive values of each row; ties by lower column."""
    rows, cols = np.nonzero(values > 0)
    if not len(rows):
        return rows, cols
    order = np.lexsort((cols, -values[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    first = np.searchsorted(rows, rows)  # index of each row's first entry
    keep = np.arange(len(rows)) - first < counts[rows]
    return rows[keep], cols[keep]


def _top(values: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Like _best, faster on a dense block: a partition first, then the few survivors ranked."""
    most = int(min(values.shape[1], counts.max(initial=0)))
    if most == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if most == values.shape[1]:
        return _best(values, counts)
    # Ties go to the lower column (the shift is far below the 0.1 steps of the scores).
    ranked = values - np.arange(values.shape[1], dtype=np.float32) * np.float32(0.005 / values.shape[1])
    top = np.argpartition(-ranked, most - 1, axis=1)[:, :most]
    survivors = np.take_along_axis(values, top, axis=1)
    rows, idx = _best(np.where(survivors > 0, np.take_along_axis(ranked, top, axis=1) + _MAX_SCORE, 0), counts)
    return rows, top[rows, idx]


def _lp(a, b, value, cap, tables):
    """The checker's LP on pairs (a, b): returns (objective, row prices of capacities, of tables)."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    n, m = len(cap), len(a)
    cols = np.arange(m)
    rows = [a, b] + ([np.full(m, n)] if tables is not None else [])
    matrix = coo_matrix(
        (np.ones(m * len(rows)), (np.concatenate(rows), np.tile(cols, len(rows)))),
        shape=(n + (tables is not None), m),
    ).tocsr()
    rhs = np.concatenate([cap, [tables] if tables is not None else []]).astype(float)
    res = linprog(-value, A_ub=matrix, b_ub=rhs, bounds=(0, 1), method="highs")
    if res.status != 0:
        raise RuntimeError(f"candidate LP failed: {res.message}")
    price = -np.asarray(res.ineqlin.marginals)
    return -res.fun, price[:n], (price[n] if tables is not None else 0.0)


def candidate_pairs(
    parties: Sequence[Party],
    capacity: Sequence[int],
    *,
    available: np.ndarray | None = None,
    tables: int | None = None,
    must: Sequence[tuple[int, int]] = (),
    must_bonus: float = 0.0,
    closed: Sequence[tuple[int, int]] = (),
    prune: bool = True,
    progress: Callable[[float], None] | None = None,
) -> Candidates:
    """The candidate pairs of an instance (see the module docstring); every positive pair if not `prune`.

    `capacity[i]`: how many meetings parties[i] can still hold. `available`: an optional 0/1 matrix,
    participants x open slots (pairs that share none are left out). `tables`: table-slots left
    (None: unlimited). `must` pairs are always kept and weigh their score plus `must_bonus` in the
    LP; `closed` pairs never are. `progress` is called with the share of the work done (0..1).
    """
    report = progress or (lambda done: None)
    n = len(parties)
    cap = np.asarray(capacity, dtype=np.int64)
    if available is not None:
        cap = np.minimum(cap, np.asarray(available).sum(axis=1).astype(np.int64))
    scores = _Scores(parties, available, closed, lambda done: report(done * (0.5 if prune else 1.0)))
    closed_keys = {min(i, j) * n + max(i, j) for i, j in closed}
    must_keys = np.array(sorted({min(i, j) * n + max(i, j) for i, j in must} - closed_keys), dtype=np.int64)
    found, scored = [must_keys], 0
    keep = np.where(cap > 0, cap * KEEP_PER_MEETING + KEEP_EXTRA, 0)
    full = cap == 0  # no seat left: their pairs are of no use to this run
    for start, block in scores:
        stop = start + len(block)
        upper = np.triu(block, k=start + 1)
        scored += int(np.count_nonzero(upper))
        if prune:
            block[:, full] = 0
        rows, cols = np.nonzero(upper) if not prune else _top(block, keep[start:stop])
        found.append(_keys(rows + start, cols, n))
    active = np.unique(np.concatenate(found))
    result = Candidates(a=active // max(n, 1), b=active % max(n, 1), weight=np.zeros(len(active)), scored=scored)
    if prune and n and ROUNDS:
        if available is not None:  # a must pair that shares no slot cannot meet: no bonus in the LP
            shared = np.asarray(available, dtype=bool)
            must_keys = must_keys[(shared[must_keys // n] & shared[must_keys % n]).any(axis=1)]
        result = _price(scores, result, cap, tables, must_keys, must_bonus, report)
    result.weight = scores.of(result.a, result.b)
    report(1.0)
    return result


def _keys(rows: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    return np.minimum(rows, cols).astype(np.int64) * n + np.maximum(rows, cols)


def _price(scores: _Scores, found: Candidates, cap, tables, must_keys, must_bonus, report) -> Candidates:
    """Column generation over the whole score matrix (see the module docstring)."""
    n = scores.n
    active = found.a * n + found.b
    bonus_of = lambda keys: np.where(np.isin(keys, must_keys), must_bonus, 0.0)  # noqa: E731
    value = scores.of(found.a, found.b) + bonus_of(active)
    for rounds in range(1, ROUNDS + 1):
        bound, price, table_price = _lp(active // n, active % n, value, cap, tables)
        # A left-out pair (a, b) would raise the LP by at most its reduced profit
        # score - price[a] - price[b] - table price; each side brings in its most profitable.
        profit, new = 0.0, []
        per_person = np.where(cap > 0, cap * PRICED_PER_MEETING + 1, 0)
        for start, block in scores:
            stop = start + len(block)
            reduced = block - (price[start:stop, None] + price[None, :] + table_price).astype(np.float32)
            reduced[block <= 0] = 0
            # Pairs of someone with no seat left could not raise the LP (a dual may price that seat
            # as high as it likes): neither counted nor brought in.
            reduced[:, cap == 0] = 0
            reduced[cap[start:stop] == 0, :] = 0
            rows_in = (active // n >= start) & (active // n < stop)
            reduced[active[rows_in] // n - start, active[rows_in] % n] = 0  # already in (either way round)
            cols_in = (active % n >= start) & (active % n < stop)
            reduced[active[cols_in] % n - start, active[cols_in] // n] = 0
            profit += float(np.triu(reduced, k=start + 1).clip(min=0).sum(dtype=np.float64))
            rows, cols = _top(reduced, per_person[start:stop])
            new.append(_keys(rows + start, cols, n))
        report(0.5 + 0.5 * rounds / ROUNDS)
        if profit <= GAP * bound or rounds == ROUNDS:
            break
        added = np.setdiff1d(np.unique(np.concatenate(new)), active)
        if not len(added):
            break
        active = np.concatenate([active, added])
        value = np.concatenate([value, scores.of(added // n, added % n) + bonus_of(added)])
    order = np.argsort(active)
    active = active[order]
    return Candidates(
        a=active // n, b=active % n, weight=value[order], scored=found.scored,
        bound=round(bound, 1), bound_all_pairs=round(bound + profit, 1), rounds=rounds,
    )  # fmt: skip
