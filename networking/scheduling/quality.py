"""How good a B2B schedule is, by the yardstick of shared/tools/check_schedule.py: a pure module.

`schedule_quality(instance, schedule)` validates a schedule against its instance (the spec's five
hard constraints) and measures it the way the checker does: accepted requests (`must` pairs)
scheduled against the most any schedule can reach, coverage (share of participants with a
feasible pair who get a meeting) against its bound, and total weight against the LP upper bound.
The bounds are the checker's LP relaxations, solved with scipy's HiGHS (`linprog`); the numbers
match the checker's on the same files. One more: the weight bound at the schedule's coverage (see
`lp_bound`), the fair yardstick when scarce tables make covering everybody cost weight. Plain dicts
in and out; no Django.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any


def feasible_pairs(instance: dict[str, Any]) -> list[dict[str, Any]]:
    """Pairs whose two participants share a slot in which some space is open."""
    open_slots: set[str] = set().union(*(s["slots"] for s in instance["spaces"])) if instance["spaces"] else set()
    avail = {p["id"]: set(p["available"]) & open_slots for p in instance["participants"]}
    return [e for e in instance["pairs"] if avail[e["a"]] & avail[e["b"]]]


def schedule_check(instance: dict[str, Any], schedule: dict[str, Any]) -> dict[str, Any]:
    """Violations and the objective figures of a schedule (no bounds)."""
    slots = {s["id"] for s in instance["slots"]}
    spaces = {s["id"]: (s["tables"], set(s["slots"])) for s in instance["spaces"]}
    people = {p["id"]: p for p in instance["participants"]}
    avail = {pid: set(p["available"]) for pid, p in people.items()}
    pairs = {frozenset((e["a"], e["b"])): e for e in instance["pairs"]}
    bad: list[str] = []
    seen_pair: set = set()
    busy: set = set()
    table_use: set = set()
    count: Counter = Counter()
    weight = 0.0
    must_done = 0
    for i, m in enumerate(schedule.get("meetings", [])):
        where = f"meeting {i} ({m.get('a')}-{m.get('b')} at {m.get('slot')})"
        a, b, slot, space, table = m.get("a"), m.get("b"), m.get("slot"), m.get("space"), m.get("table")
        key = frozenset((a, b))
        if key not in pairs:
            bad.append(f"{where}: not a candidate pair")
            continue
        if key in seen_pair:
            bad.append(f"{where}: pair meets twice")
            continue
        seen_pair.add(key)
        if slot not in slots:
            bad.append(f"{where}: unknown slot")
            continue
        if space not in spaces or slot not in spaces[space][1]:
            bad.append(f"{where}: space {space} not open in that slot")
            continue
        if not isinstance(table, int) or not 1 <= table <= spaces[space][0]:
            bad.append(f"{where}: no table {table} in space {space}")
            continue
        if (space, table, slot) in table_use:
            bad.append(f"{where}: table {space}{table} double-booked")
        table_use.add((space, table, slot))
        for p in (a, b):
            if slot not in avail[p]:
                bad.append(f"{where}: {p} not available")
            if (p, slot) in busy:
                bad.append(f"{where}: {p} double-booked")
            busy.add((p, slot))
            count[p] += 1
        weight += pairs[key]["weight"]
        must_done += pairs[key]["must"]
    for p, n in count.items():
        if n > people[p]["max_meetings"]:
            bad.append(f"{p}: {n} meetings, max {people[p]['max_meetings']}")
    reachable = {p for e in feasible_pairs(instance) for p in (e["a"], e["b"])}
    return {
        "violations": bad,
        "meetings": len(schedule.get("meetings", [])),
        "weight": round(weight, 1),
        "must_scheduled": must_done,
        "must_total": sum(bool(e["must"]) for e in instance["pairs"]),
        "coverage": round(len([p for p in reachable if count[p]]) / max(1, len(reachable)), 4),
        "reachable": len(reachable),
        "covered": len([p for p in reachable if count[p]]),
    }


def _lp_data(instance: dict[str, Any]) -> tuple:
    """The checker's LP data as arrays: capacities, table-slots, and the feasible pairs (ends, weight, must)."""
    import numpy as np

    open_slots: set[str] = set()
    cap_total = 0
    for s in instance["spaces"]:
        open_slots |= set(s["slots"])
        cap_total += s["tables"] * len(s["slots"])
    people = instance["participants"]
    index = {p["id"]: i for i, p in enumerate(people)}
    avail = [set(p["available"]) & open_slots for p in people]
    cap = np.array([min(p["max_meetings"], len(avail[i])) for i, p in enumerate(people)], dtype=float)
    edges = [(index[e["a"]], index[e["b"]], e["weight"], bool(e["must"])) for e in instance["pairs"]]
    edges = [e for e in edges if avail[e[0]] & avail[e[1]]]
    a = np.array([e[0] for e in edges], dtype=np.int64)
    b = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array([e[2] for e in edges], dtype=float)
    must = np.array([e[3] for e in edges], dtype=bool)
    return cap, cap_total, a, b, w, must


def lp_bound(
    instance: dict[str, Any],
    *,
    must_only: bool = False,
    coverage: bool = False,
    covered: int | None = None,
    data: tuple | None = None,
) -> float:
    """The checker's LP upper bound: on total weight; with must_only, on must pairs scheduled;
    with coverage, on participants who can get a meeting. Needs scipy (HiGHS).

    With `covered`, the bound on total weight among schedules that give at least `covered`
    participants a meeting (the checker's rows, plus y[v] <= meetings of v, y <= 1, sum y >=
    covered): the spec puts coverage before weight, and when tables are scarce covering everybody
    costs weight that the plain bound does not know of. `data` is _lp_data(instance), if at hand.
    """
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    cap, cap_total, a, b, w, must = data or _lp_data(instance)
    if must_only:
        a, b, w = a[must], b[must], np.ones(int(must.sum()))
    if not len(a):
        return 0.0
    n, m = len(cap), len(a)
    cols = np.arange(m)
    rows, cidx, vals = [a, b, np.full(m, n)], [cols, cols, cols], [np.ones(3 * m)]
    rhs = [cap, [cap_total]]
    cost = -w
    if coverage or covered is not None:  # y[v] <= sum of x at v
        rows += [n + 1 + a, n + 1 + b, n + 1 + np.arange(n)]
        cidx += [cols, cols, m + np.arange(n)]
        vals += [-np.ones(2 * m), np.ones(n)]
        rhs.append(np.zeros(n))
        cost = np.concatenate([np.zeros(m) if coverage else -w, -np.ones(n) if coverage else np.zeros(n)])
        if covered is not None and not coverage:  # sum y >= covered
            rows.append(np.full(n, 2 * n + 1))
            cidx.append(m + np.arange(n))
            vals.append(-np.ones(n))
            rhs.append([-float(covered)])
    n_rows = sum(len(r) for r in rhs)
    matrix = coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cidx))), shape=(n_rows, len(cost))
    ).tocsr()
    # The coverage LP (x has no cost) is highly degenerate: simplex takes minutes on 15,000
    # participants where the interior-point method (with its crossover) takes seconds; the others
    # are quicker by simplex.
    method = "highs-ipm" if coverage else "highs"
    res = linprog(cost, A_ub=matrix, b_ub=np.concatenate(rhs).astype(float), bounds=(0, 1), method=method)
    if res.status != 0:  # `covered` beyond what any schedule reaches: nothing to bound
        return 0.0
    return round(-res.fun, 1)


def schedule_quality(
    instance: dict[str, Any],
    schedule: dict[str, Any],
    *,
    bounds: bool = True,
    progress: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """The checker's figures for a schedule, with its bounds and the weight ratio.

    Besides the checker's figures: `bound_at_coverage`, the bound on weight among schedules that
    cover as many participants as this one (lp_bound with `covered`), and the ratio against it.
    `progress` is called with the share of the work done (0..1) after each step.
    """
    report_progress = progress or (lambda done: None)
    report = schedule_check(instance, schedule)
    report["violation_count"] = len(report["violations"])
    report["violations"] = report["violations"][:20]
    report_progress(0.1)
    if bounds:
        data = _lp_data(instance)
        report["bound"] = lp_bound(instance, data=data)
        report_progress(0.45)
        report["must_bound"] = int(lp_bound(instance, must_only=True, data=data) + 1e-6)
        if report["covered"] == report["reachable"]:
            covered = report["covered"]  # everybody who can meet someone does: nothing to bound
        else:
            covered = int(lp_bound(instance, coverage=True, data=data) + 1e-6)
        report_progress(0.6)
        report["coverage_bound"] = round(covered / max(1, report["reachable"]), 4)
        report["ratio"] = round(report["weight"] / report["bound"], 4) if report["bound"] else 1.0
        report["bound_at_coverage"] = lp_bound(instance, covered=report["covered"], data=data) or report["bound"]
        report["ratio_at_coverage"] = (
            round(report["weight"] / report["bound_at_coverage"], 4) if report["bound_at_coverage"] else 1.0
        )
    report_progress(1.0)
    return report
