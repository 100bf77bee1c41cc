"""Pure B2B meeting scheduler: instance dict in, timetable dict out (no Django, no database).

The problem and both JSON formats are described in ``shared/specs/matchmaking.md``. Objectives,
in priority order: schedule every ``must`` pair that can be scheduled; give every participant
who has a feasible pair at least one meeting (coverage); maximise total weight.

Algorithm
---------
1. **Slot groups.** Slots in which exactly the same participants are available and the same
   number of tables stand are interchangeable; they form a group (on the fair's instances: one
   per half-day). If availability is so irregular that there are many groups, slots are grouped
   by day, or else in contiguous blocks, and the later repair step absorbs the approximation.
   Slots that differ only in their table count (a space open on some days only) stay one group
   when tables cannot run short there, i.e. when even the most meetings the group's participants
   could hold fit at its smallest slot: this keeps the LP free of per-pair group choices.
2. **Selection LP.** A linear relaxation chooses which pairs meet and in which group:
   variables x[pair, group] (pairs that share a free slot in the group) and y[participant]
   (covered), with capacity rows per participant, per participant and group (free slots), per
   group (free tables) and per pair (meets once). The lexicographic objective is folded into
   one weight vector: a must pair earns a bonus larger than anything coverage can win back, a
   newly covered participant earns more than any ordinary pair's weight. Per-group table rows
   make this LP much tighter than the checker's bound (which only counts all table-slots), so
   the rounded solution rarely needs repair. The LP is solved by column generation: it starts
   from each participant's best few candidate pairs (plus all must pairs; a pair is in if
   either side keeps it), then the LP's row prices (duals) price every left-out pair, each
   participant brings in its most profitable ones, and the LP is solved again, until the
   left-out pairs could add less than 0.01% to the objective (or time runs short). Pruning
   by value alone is not enough: when weights follow popularity (the project's demo edition:
   702 people, every one available throughout, ~500 candidates each), everybody's best pairs
   are with the same popular few, and the pairs among the others that the optimum needs were
   all cut (ratio 0.960 there; 1.000 with pricing, in two or three LP solves).
3. **Rounding and packing.** LP values are rounded greedily (largest value first) under the
   same capacities, then each group's meetings are laid into concrete slots, hardest first.
   A meeting that finds no free slot is placed by a short ejection chain: move the meeting
   that blocks it (the partner's meeting, or one in a full slot) to another slot, recursively
   to a small depth, undoing everything if the chain fails.
4. **Fill and rescue.** Unscheduled must pairs, then every other candidate pair by value, are
   tried with the same placement. A participant still without a meeting gets the best pair
   that room can be made for by dropping blocking meetings (never a must meeting, never
   someone's only meeting), the dropped ones being re-placed elsewhere if possible. On the
   fair's instances the result is within 0.1% of the LP's own optimum, so no further
   local search is done.
5. **Tables.** Tables within a slot are interchangeable, so concrete (space, table) numbers are
   handed out only at the end, around the tables used by ``fixed`` meetings.

Meetings passed in ``fixed`` are kept exactly and occupy their participants, slot and table; the
solver fills the remaining capacity around them. Must pairs that cannot meet at all (no common
free slot with an open table, nobody left with capacity) are simply not scheduled;
``networking.scheduling.quality.schedule_quality`` reports them.

Dependencies: scipy (its HiGHS LP solver, ``scipy.optimize.linprog``) and numpy to build the
sparse LP. HiGHS solves the ~10^5-column LP of a 1,500-participant fair in about a second,
it is the same solver the project's checker uses for its bound, and it ships as a wheel with
scipy, so there is no extra native dependency (OR-Tools would add a large one for no gain,
and networkx's pure-Python matching is far too slow at this size). If scipy is missing or the
LP does not finish in time, step 4 alone acts as a greedy scheduler (on ``medium``: ratio
0.98, full coverage) and the result is still a valid schedule.
Everything else is plain Python on slot bitmasks. Runs are deterministic for a given seed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["solve"]

# Participants keep this many candidate pairs per unit of capacity in the LP (plus a margin).
_KEEP_PER_CAP = 2
_KEEP_EXTRA = 16
# Column generation: at most this many LP solves; stop once the left-out pairs could raise the
# LP objective by less than this share.
_CG_ROUNDS = 8
_CG_GAP = 1e-4
# Above this many slot groups the LP is built on coarser groups (days, then blocks).
_MAX_GROUPS = 12
# Depth of ejection chains when placing a meeting.
_DEPTH = 2
# How many candidate slots an ejection chain tries at each level.
_BRANCH = 6
# Progress reported when each phase ends (shares of a typical run's time: the LP dominates).
_PROGRESS = {"problem": 0.05, "lp": 0.75, "pack": 0.85}


def _bits(mask: int) -> Iterable[int]:
    """Indices of the set bits of mask, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class _Problem:
    """The instance in index form: slot bitmasks, capacities left after the fixed meetings."""

    def __init__(self, instance: dict[str, Any], fixed: list[dict[str, Any]], seed: int) -> None:
        self.slot_ids = [s["id"] for s in instance["slots"]]
        slot_index = {sid: i for i, sid in enumerate(self.slot_ids)}
        n_slots = len(self.slot_ids)
        # Concrete tables per slot; tables of fixed meetings are taken out.
        taken = {(m["slot"], m["space"], m["table"]) for m in fixed}
        self.resources: list[list[tuple[str, int]]] = [[] for _ in range(n_slots)]
        self.total_tables = [0] * n_slots
        for space in instance["spaces"]:
            for sid in space["slots"]:
                s = slot_index.get(sid)
                if s is None:
                    continue
                self.total_tables[s] += space["tables"]
                for t in range(1, space["tables"] + 1):
                    if (sid, space["id"], t) not in taken:
                        self.resources[s].append((space["id"], t))
        self.tables = [len(r) for r in self.resources]
        open_mask = sum(1 << s for s in range(n_slots) if self.total_tables[s] > 0)

        people = instance["participants"]
        self.person_ids = [p["id"] for p in people]
        index = {pid: i for i, pid in enumerate(self.person_ids)}
        n = len(people)
        self.avail0 = [0] * n  # available and open, before fixed meetings
        for i, p in enumerate(people):
            mask = 0
            for sid in p["available"]:
                s = slot_index.get(sid)
                if s is not None:
                    mask |= 1 << s
            self.avail0[i] = mask & open_mask
        self.cap = [max(0, int(p["max_meetings"])) for p in people]
        self.avail = list(self.avail0)
        fixed_keys = set()
        self.covered0 = [False] * n
        for m in fixed:
            s = slot_index.get(m["slot"])
            for pid in (m["a"], m["b"]):
                i = index.get(pid)
                if i is None:
                    continue
                self.cap[i] = max(0, self.cap[i] - 1)
                self.covered0[i] = True
                if s is not None:
                    self.avail[i] &= ~(1 << s)
            fixed_keys.add(frozenset((m["a"], m["b"])))
        for i in range(n):
            if self.cap[i] == 0:
                self.avail[i] = 0

        # Candidate pairs: listed, distinct participants, once each, not already fixed.
        self.pa: list[int] = []
        self.pb: list[int] = []
        self.weight: list[float] = []
        self.must: list[bool] = []
        seen: dict[frozenset, int] = {}
        reachable = [False] * n
        for e in instance["pairs"]:
            a, b = index.get(e["a"]), index.get(e["b"])
            if a is None or b is None or a == b:
                continue
            if self.avail0[a] & self.avail0[b]:
                reachable[a] = reachable[b] = True
            key = frozenset((a, b))
            w, must = float(e["weight"]), bool(e.get("must", False))
            if key in seen:  # listed twice: keep the stronger reading
                k = seen[key]
                self.weight[k] = max(self.weight[k], w)
                self.must[k] = self.must[k] or must
                continue
            if frozenset((e["a"], e["b"])) in fixed_keys:
                continue
            seen[key] = len(self.pa)
            self.pa.append(a)
            self.pb.append(b)
            self.weight.append(w)
            self.must.append(must)
        self.reachable = reachable
        self.n = n
        self.n_slots = n_slots
        self.n_pairs = len(self.pa)
        # Tie-breaks between otherwise equal pairs: the only use of the seed.
        self.tie = list(range(self.n_pairs))
        random.Random(seed).shuffle(self.tie)
        self.adj: list[list[int]] = [[] for _ in range(n)]
        self.feasible = [False] * self.n_pairs
        for k in range(self.n_pairs):
            a, b = self.pa[k], self.pb[k]
            if self.avail[a] & self.avail[b]:
                self.feasible[k] = True
                self.adj[a].append(k)
                self.adj[b].append(k)
        wmax = max([w for w, m in zip(self.weight, self.must) if not m] + [1.0])
        # Lexicographic objective folded into weights (see module docstring).
        self.cover_bonus = 2.0 * wmax
        self.must_bonus = 3.0 * self.cover_bonus + 2.0 * wmax
        self.value = [w + (self.must_bonus if m else 0.0) for w, m in zip(self.weight, self.must)]
        self.groups = self._slot_groups(instance, slot_index)

    def _slot_groups(self, instance: dict[str, Any], slot_index: dict[str, int]) -> list[int]:
        """Partition the open slots into groups of interchangeable slots; returns group masks."""
        rng = random.Random(0x5EED)
        signature = [0] * self.n_slots
        for mask in self.avail0:
            r = rng.getrandbits(64)
            for s in _bits(mask):
                signature[s] ^= r
        by_key: dict[tuple[int, int], int] = {}
        for s in range(self.n_slots):
            if self.tables[s] > 0:
                key = (signature[s], self.total_tables[s])
                by_key[key] = by_key.get(key, 0) | (1 << s)
        # Slots alike but for their table count stay one group when tables cannot run short
        # there: even the most meetings the group could hold fit at its smallest slot.
        by_signature: dict[int, list[int]] = {}
        for (sig, _), mask in by_key.items():
            by_signature.setdefault(sig, []).append(mask)
        groups = []
        for masks in by_signature.values():
            merged = sum(masks)
            demand = sum(min(c, (a & merged).bit_count()) for c, a in zip(self.cap, self.avail)) / 2
            if len(masks) > 1 and demand <= min(self.tables[s] for s in _bits(merged)) * merged.bit_count():
                masks = [merged]
            groups += masks
        if len(groups) > _MAX_GROUPS:
            by_day: dict[str, int] = {}
            for s, slot in enumerate(instance["slots"]):
                if self.tables[s] > 0:
                    day = str(slot.get("start", ""))[:10]
                    by_day[day] = by_day.get(day, 0) | (1 << s)
            groups = list(by_day.values())
        if len(groups) > _MAX_GROUPS:
            open_slots = [s for s in range(self.n_slots) if self.tables[s] > 0]
            size = -(-len(open_slots) // _MAX_GROUPS)
            groups = [sum(1 << s for s in open_slots[i : i + size]) for i in range(0, len(open_slots), size)]
        return sorted(groups, key=lambda g: g & -g)


class _State:
    """A partial schedule with a journal so that a failed ejection chain can be undone."""

    def __init__(self, prob: _Problem) -> None:
        self.p = prob
        self.busy = [0] * prob.n
        self.count = [0] * prob.n
        self.at: list[dict[int, int]] = [{} for _ in range(prob.n)]  # person -> slot -> pair
        self.slot_of: dict[int, int] = {}  # pair -> slot
        self.in_slot: list[set[int]] = [set() for _ in range(prob.n_slots)]
        self.free_tables = list(prob.tables)
        self.table_mask = sum(1 << s for s in range(prob.n_slots) if prob.tables[s] > 0)
        self.journal: list[tuple[bool, int, int]] = []

    def assign(self, k: int, s: int) -> None:
        a, b = self.p.pa[k], self.p.pb[k]
        bit = 1 << s
        self.busy[a] |= bit
        self.busy[b] |= bit
        self.count[a] += 1
        self.count[b] += 1
        self.at[a][s] = k
        self.at[b][s] = k
        self.slot_of[k] = s
        self.in_slot[s].add(k)
        self.free_tables[s] -= 1
        if self.free_tables[s] == 0:
            self.table_mask &= ~bit
        self.journal.append((True, k, s))

    def unassign(self, k: int) -> int:
        s = self.slot_of.pop(k)
        a, b = self.p.pa[k], self.p.pb[k]
        bit = 1 << s
        self.busy[a] &= ~bit
        self.busy[b] &= ~bit
        self.count[a] -= 1
        self.count[b] -= 1
        del self.at[a][s]
        del self.at[b][s]
        self.in_slot[s].discard(k)
        self.free_tables[s] += 1
        self.table_mask |= bit
        self.journal.append((False, k, s))
        return s

    def rollback(self, mark: int) -> None:
        while len(self.journal) > mark:
            added, k, s = self.journal[-1]
            if added:
                self.unassign(k)
            else:
                self.assign(k, s)
            del self.journal[-2:]

    def has_room(self, k: int) -> bool:
        a, b = self.p.pa[k], self.p.pb[k]
        return self.count[a] < self.p.cap[a] and self.count[b] < self.p.cap[b]

    def free_slots(self, k: int) -> int:
        """Slots where both sides of pair k are available, free, and a table is free."""
        a, b = self.p.pa[k], self.p.pb[k]
        return self.p.avail[a] & self.p.avail[b] & ~self.busy[a] & ~self.busy[b] & self.table_mask

    def best_slot(self, mask: int) -> int:
        """Of the slots in mask, the one with the most free tables (lowest index on ties)."""
        best, best_free = -1, -1
        for s in _bits(mask):
            if self.free_tables[s] > best_free:
                best, best_free = s, self.free_tables[s]
        return best

    def place(self, k: int, depth: int, avoid: int = 0) -> bool:
        """Schedule pair k (capacity already checked), moving other meetings out of its way
        through an ejection chain of at most `depth` moves. On failure nothing changes."""
        if not avoid:  # a new chain: nothing journaled before it will be undone
            self.journal.clear()
        direct = self.free_slots(k) & ~avoid
        if direct:
            self.assign(k, self.best_slot(direct))
            return True
        if depth <= 0 or not self.table_mask & ~avoid:
            return False  # every chain ends in a slot with a free table
        p = self.p
        a, b = p.pa[k], p.pb[k]
        options = []
        for s in _bits(p.avail[a] & p.avail[b] & ~avoid):
            blockers = [m for m in (self.at[a].get(s), self.at[b].get(s)) if m is not None]
            full = self.free_tables[s] == 0 and not blockers
            options.append((len(blockers) + 2 * full, -self.free_tables[s], s, blockers, full))
        options.sort(key=lambda o: o[:3])
        for _, _, s, blockers, full in options[:_BRANCH]:
            mark = len(self.journal)
            ok = True
            for m in blockers:
                self.unassign(m)
            for m in blockers:
                if not self.place(m, depth - 1, avoid | (1 << s)):
                    ok = False
                    break
            if ok and full:
                ok = False
                for m in sorted(self.in_slot[s])[: _BRANCH * 4]:
                    self.unassign(m)
                    if self.place(m, depth - 1, avoid | (1 << s)):
                        ok = True
                        break
                    self.assign(m, s)
            if ok and self.free_tables[s] > 0 and not (self.busy[a] | self.busy[b]) >> s & 1:
                self.assign(k, s)
                return True
            self.rollback(mark)
        return False


def _select_lp(
    prob: _Problem, deadline: float, report: Callable[[float], None] = lambda done: None
) -> list[tuple[float, int, int]] | None:
    """Solve the selection LP by column generation; returns (value, pair, group) for every
    positive x of the last LP solved, or None (no scipy, or the first LP ran out of time)."""
    try:
        import numpy as np
        from scipy.optimize import linprog
        from scipy.sparse import coo_matrix
    except ImportError:  # pragma: no cover - scipy is a declared dependency
        return None
    n, groups = prob.n, prob.groups
    n_groups = len(groups)
    # First columns: each participant's best candidates (a pair stays if either side keeps it).
    active_mask = np.zeros(prob.n_pairs, dtype=bool)
    for v in range(n):
        cand = sorted(prob.adj[v], key=lambda k: -prob.value[k])
        limit = _KEEP_PER_CAP * prob.cap[v] + _KEEP_EXTRA
        for j, k in enumerate(cand):
            if j < limit or prob.must[k]:
                active_mask[k] = True
    if not active_mask.any():
        return []
    pair_groups: dict[int, list[int]] = {}

    def groups_of(k: int) -> list[int]:
        gs = pair_groups.get(k)
        if gs is None:
            common = prob.avail[prob.pa[k]] & prob.avail[prob.pb[k]]
            gs = pair_groups[k] = [g for g, gmask in enumerate(groups) if common & gmask]
        return gs

    value = np.array(prob.value)
    all_pa = np.array(prob.pa, dtype=np.int64)
    all_pb = np.array(prob.pb, dtype=np.int64)
    left_out = np.array(prob.feasible, dtype=bool) & ~active_mask
    cover = [v for v in range(n) if prob.reachable[v] and not prob.covered0[v] and prob.adj[v]]
    slots_in = np.zeros(n * n_groups)
    for v in range(n):
        for g, gmask in enumerate(groups):
            slots_in[v * n_groups + g] = (prob.avail[v] & gmask).bit_count()
    tables = np.array([sum(prob.tables[s] for s in _bits(gmask)) for gmask in groups], dtype=float)
    r_vg = n
    r_tab = r_vg + n * n_groups
    r_pair = r_tab + n_groups
    tol = 1e-5 * prob.cover_bonus  # reduced profits below this are numerical noise

    chosen = None
    last_solve = 0.0
    span = _PROGRESS["lp"] - _PROGRESS["problem"]
    for round_number in range(_CG_ROUNDS):
        # Each round is one LP solve; they usually stop after two or three, so the bar takes the
        # first rounds in big steps and leaves room for more.
        report(_PROGRESS["problem"] + span * (1 - 0.5**round_number))
        # Columns: x[pair, group] for the active pairs and groups where they share a free slot,
        # then y[participant] (covered). Rows: capacity, participant x group, group tables,
        # pair (when it has several groups), coverage (y <= meetings).
        col_pair, col_group, multi = [], [], []
        for k in np.nonzero(active_mask)[0].tolist():
            gs = groups_of(k)
            col_pair += [k] * len(gs)
            col_group += gs
            if len(gs) > 1:
                multi.append(k)
        ce = np.array(col_pair, dtype=np.int64)
        cg = np.array(col_group, dtype=np.int64)
        pa, pb = all_pa[ce], all_pb[ce]
        n_x = len(ce)
        cols = np.arange(n_x, dtype=np.int64)
        r_cov = r_pair + len(multi)
        cov_row = np.full(n, -1, dtype=np.int64)
        cov_row[cover] = r_cov + np.arange(len(cover))
        pair_row = np.full(prob.n_pairs, -1, dtype=np.int64)
        pair_row[multi] = r_pair + np.arange(len(multi))
        rows = [pa, pb, r_vg + pa * n_groups + cg, r_vg + pb * n_groups + cg, r_tab + cg]
        cidx = [cols] * 5
        vals = [np.ones(n_x)] * 5
        pr = pair_row[ce]
        sel = pr >= 0
        rows.append(pr[sel])
        cidx.append(cols[sel])
        vals.append(np.ones(int(sel.sum())))
        for ends in (pa, pb):
            cr = cov_row[ends]
            sel = cr >= 0
            rows.append(cr[sel])
            cidx.append(cols[sel])
            vals.append(-np.ones(int(sel.sum())))
        rows.append(r_cov + np.arange(len(cover)))
        cidx.append(n_x + np.arange(len(cover)))
        vals.append(np.ones(len(cover)))
        matrix = coo_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cidx))),
            shape=(r_cov + len(cover), n_x + len(cover)),
        ).tocsr()
        rhs = np.concatenate(
            [np.array(prob.cap, dtype=float), slots_in, tables, np.ones(len(multi)), np.zeros(len(cover))]
        )
        cost = -np.concatenate([value[ce], np.full(len(cover), prob.cover_bonus)])
        options: dict[str, Any] = {}
        remaining = deadline - time.perf_counter()
        if remaining != float("inf"):
            if chosen is not None and remaining * 0.6 < 2 * last_solve:
                break  # no time for another round: keep the last LP
            options["time_limit"] = max(1.0, remaining * 0.6)
        started = time.perf_counter()
        res = linprog(cost, A_ub=matrix, b_ub=rhs, bounds=(0, 1), method="highs", options=options)
        last_solve = time.perf_counter() - started
        if res.status != 0 or res.x is None:  # out of time (or numerical trouble)
            break  # keep the previous LP's answer; without one, the caller goes greedy
        x = res.x[:n_x]
        pos = np.nonzero(x > 1e-6)[0]
        chosen = [(float(x[j]), int(ce[j]), int(cg[j])) for j in pos]

        # Pricing. With row prices p (the LP duals), a left-out pair's column in group g would
        # earn value - p[cap a] - p[cap b] - p[a, g] - p[b, g] - p[tables g] + p[cover a]
        # + p[cover b]. First the bound without the (nonnegative) group prices, for all pairs
        # at once, then the exact figure for the few pairs that pass it.
        price = -np.asarray(res.ineqlin.marginals)
        cover_price = np.zeros(n)
        cover_price[cover] = price[r_cov:]
        base = value - price[all_pa] - price[all_pb] + cover_price[all_pa] + cover_price[all_pb]
        vg = price[r_vg:r_tab].reshape(n, n_groups).tolist()
        tab = price[r_tab:r_pair].tolist()
        profit: dict[int, float] = {}
        for k in np.nonzero(left_out & (base > tol))[0].tolist():
            a, b = prob.pa[k], prob.pb[k]
            gain = float(base[k]) - min(vg[a][g] + vg[b][g] + tab[g] for g in groups_of(k))
            if gain > tol:
                profit[k] = gain
        # The LP over all pairs is better by at most the sum of these profits (a feasible dual
        # prices each left-out pair's row at its profit): stop when that is negligible.
        if sum(profit.values()) <= _CG_GAP * -res.fun:
            break
        # Each participant brings in its most profitable left-out pairs, a few per unit of capacity.
        by_person: list[list[int]] = [[] for _ in range(n)]
        for k in profit:
            by_person[prob.pa[k]].append(k)
            by_person[prob.pb[k]].append(k)
        for v, ks in enumerate(by_person):
            if ks:
                ks.sort(key=lambda k: (-profit[k], k))
                for k in ks[: _KEEP_PER_CAP * prob.cap[v] + 1]:
                    active_mask[k] = True
                    left_out[k] = False
    return chosen


def _round_and_pack(prob: _Problem, st: _State, chosen: list[tuple[float, int, int]]) -> None:
    """Round LP values greedily, then lay each group's meetings into slots, hardest first."""
    groups = prob.groups
    n_groups = len(groups)
    chosen.sort(key=lambda c: (-c[0], -prob.value[c[1]], prob.tie[c[1]], c[2]))
    count = [0] * prob.n
    in_group: dict[tuple[int, int], int] = {}
    group_tables = [sum(prob.tables[s] for s in _bits(g)) for g in groups]
    group_used = [0] * n_groups
    picked: set[int] = set()
    per_group: list[list[int]] = [[] for _ in range(n_groups)]
    for _, k, g in chosen:
        a, b = prob.pa[k], prob.pb[k]
        if k in picked or count[a] >= prob.cap[a] or count[b] >= prob.cap[b]:
            continue
        if group_used[g] >= group_tables[g]:
            continue
        ga, gb = in_group.get((a, g), 0), in_group.get((b, g), 0)
        if ga >= (prob.avail[a] & groups[g]).bit_count() or gb >= (prob.avail[b] & groups[g]).bit_count():
            continue
        picked.add(k)
        count[a] += 1
        count[b] += 1
        in_group[(a, g)] = ga + 1
        in_group[(b, g)] = gb + 1
        group_used[g] += 1
        per_group[g].append(k)
    leftovers = []
    for g, pairs in enumerate(per_group):
        # Hardest first: must pairs, then pairs whose participants have the least slack.
        slack = {
            v: (prob.avail[v] & groups[g]).bit_count() - in_group[(v, g)]
            for k in pairs
            for v in (prob.pa[k], prob.pb[k])
        }
        pairs.sort(
            key=lambda k: (
                not prob.must[k],
                min(slack[prob.pa[k]], slack[prob.pb[k]]),
                slack[prob.pa[k]] + slack[prob.pb[k]],
                -prob.value[k],
                prob.tie[k],
            )
        )
        for k in pairs:
            mask = st.free_slots(k) & groups[g]
            if mask:
                st.assign(k, st.best_slot(mask))
            else:
                leftovers.append(k)
    leftovers.sort(key=lambda k: (-prob.value[k], prob.tie[k]))
    for k in leftovers:
        if st.has_room(k):
            st.place(k, _DEPTH)


def _fill(prob: _Problem, st: _State, deadline: float, report: Callable[[float], None] = lambda done: None) -> None:
    """Try every unscheduled candidate pair, most important first: must pairs, then a meeting
    for each participant still without one, then everything by value."""
    order = sorted(
        (k for k in range(prob.n_pairs) if prob.feasible[k] and k not in st.slot_of),
        key=lambda k: (not prob.must[k], -prob.value[k], prob.tie[k]),
    )
    for k in order:
        if prob.must[k] and st.has_room(k):
            st.place(k, _DEPTH + 1)
    _rescue_uncovered(prob, st, deadline)
    low = _PROGRESS["pack"]
    step = max(1, len(order) // 20)
    for j, k in enumerate(order):
        if k not in st.slot_of and st.has_room(k):
            st.place(k, 0 if time.perf_counter() > deadline else 1)
        if j % step == 0:
            report(low + (1 - low) * j / len(order))


def _uncovered(prob: _Problem, st: _State) -> list[int]:
    return [v for v in range(prob.n) if prob.adj[v] and not prob.covered0[v] and st.count[v] == 0 and prob.cap[v] > 0]


def _removable(prob: _Problem, st: _State, m: int) -> bool:
    """A meeting that may be dropped: not a must, and both participants keep another meeting."""
    return (
        not prob.must[m]
        and (st.count[prob.pa[m]] > 1 or prob.covered0[prob.pa[m]])
        and (st.count[prob.pb[m]] > 1 or prob.covered0[prob.pb[m]])
    )


def _exchange(prob: _Problem, st: _State, k: int, gain_floor: float) -> bool:
    """Schedule pair k by dropping removable meetings that block it, if the value gained
    (pair k's value minus the dropped weight) exceeds gain_floor. Dropped meetings are then
    re-placed elsewhere when possible. Returns whether the move was made."""
    a, b = prob.pa[k], prob.pb[k]
    best = None
    for s in _bits(prob.avail[a] & prob.avail[b]):
        drop: list[int] = []
        for v in (a, b):
            m = st.at[v].get(s)
            if m is not None and m not in drop:
                drop.append(m)
        if any(not _removable(prob, st, m) for m in drop):
            continue
        for v in (a, b):
            if st.count[v] - sum(1 for m in drop if v in (prob.pa[m], prob.pb[m])) >= prob.cap[v]:
                extra = [m for m in st.at[v].values() if m not in drop and _removable(prob, st, m)]
                if not extra:
                    drop = None
                    break
                drop.append(min(extra, key=lambda m: (prob.value[m], m)))
        if drop is None:
            continue
        if st.free_tables[s] == 0 and not any(st.slot_of[m] == s for m in drop):
            extra = [m for m in st.in_slot[s] if _removable(prob, st, m) and m not in drop]
            if not extra:
                continue
            drop.append(min(extra, key=lambda m: (prob.value[m], m)))
        gain = prob.value[k] - sum(prob.value[m] for m in drop)
        if best is None or gain > best[0]:
            best = (gain, s, drop)
    if best is None or best[0] <= gain_floor:
        return False
    _, s, drop = best
    mark = len(st.journal)
    for m in drop:
        st.unassign(m)
    # Dropping two meetings of one participant could uncover someone; check before committing.
    if any(
        st.count[v] == 0 and not prob.covered0[v] for m in drop for v in (prob.pa[m], prob.pb[m]) if v not in (a, b)
    ):
        st.rollback(mark)
        return False
    st.assign(k, s)
    for m in sorted(drop, key=lambda m: -prob.value[m]):
        if st.has_room(m):
            st.place(m, 1)
    return True


def _rescue_uncovered(prob: _Problem, st: _State, deadline: float) -> None:
    """Give participants without a meeting (fewest candidates first) their best pair that fits,
    or, while time remains, that room can be made for by dropping other meetings."""
    for v in sorted(_uncovered(prob, st), key=lambda v: (len(prob.adj[v]), v)):
        if st.count[v]:
            continue
        late = time.perf_counter() > deadline
        cand = sorted(prob.adj[v], key=lambda k: (-prob.value[k], prob.tie[k]))
        if any(st.has_room(k) and st.place(k, 0 if late else _DEPTH) for k in cand) or late:
            continue
        for k in cand:
            if _exchange(prob, st, k, -prob.cover_bonus):
                break


def _output(prob: _Problem, st: _State, fixed: list[dict[str, Any]]) -> dict[str, Any]:
    meetings = [dict(m) for m in fixed]
    by_slot: dict[int, list[int]] = {}
    for k, s in st.slot_of.items():
        by_slot.setdefault(s, []).append(k)
    for s in sorted(by_slot):
        for k, (space, table) in zip(sorted(by_slot[s]), prob.resources[s]):
            meetings.append(
                {
                    "a": prob.person_ids[prob.pa[k]],
                    "b": prob.person_ids[prob.pb[k]],
                    "slot": prob.slot_ids[s],
                    "space": space,
                    "table": table,
                }
            )
    return {"meetings": meetings}


def solve(
    instance: dict[str, Any],
    *,
    time_limit: float | None = None,
    seed: int = 0,
    fixed: list[dict[str, Any]] | None = None,
    progress: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """Schedule meetings for `instance` (format in shared/specs/matchmaking.md).

    `fixed` meetings (already published) are returned unchanged at the head of the list and
    everything else is scheduled around them. `time_limit` (seconds, approximate) is a safety
    net: the LP gets part of it (greedy filling replaces it if it runs out) and the later
    phases take only cheap moves once it has passed; the result is always a valid schedule.
    The seed only breaks ties between equal pairs: same input and seed, same output.
    `progress`, if given, is called with the share of the work done (0..1) as phases and LP rounds
    finish and as the fill goes through the pairs: for a progress bar, never part of the result.
    """
    report = progress or (lambda done: None)
    fixed = list(fixed or [])
    deadline = time.perf_counter() + time_limit if time_limit is not None else float("inf")
    prob = _Problem(instance, fixed, seed)
    report(_PROGRESS["problem"])
    st = _State(prob)
    chosen = _select_lp(prob, deadline, report)
    report(_PROGRESS["lp"])
    if chosen is not None:  # without the LP, the fill below is a greedy scheduler
        _round_and_pack(prob, st, chosen)
    report(_PROGRESS["pack"])
    _fill(prob, st, deadline, report)
    report(1.0)
    return _output(prob, st, fixed)
