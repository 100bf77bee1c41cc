"""How good a B2B schedule is, by the yardstick of shared/tools/check_schedule.py: a pure module.

`schedule_quality(instance, schedule)` validates a schedule against its instance (the spec's five
hard constraints) and measures it the way the checker does: accepted requests (`must` pairs)
scheduled against the most any schedule can reach, coverage (share of participants with a
feasible pair who get a meeting) against its bound, and total weight against the LP upper bound.
The bounds are the checker's LP relaxations, solved with scipy's HiGHS (`linprog`); the numbers
match the checker's on the same files. Plain dicts in and out; no Django.
"""

from __future__ import annotations

from collections import Counter
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
    }


def lp_bound(instance: dict[str, Any], *, must_only: bool = False, coverage: bool = False) -> float:
    """The checker's LP upper bound: on total weight; with must_only, on must pairs scheduled;
    with coverage, on participants who can get a meeting. Needs scipy (HiGHS)."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    open_slots: set[str] = set()
    cap_total = 0
    for s in instance["spaces"]:
        open_slots |= set(s["slots"])
        cap_total += s["tables"] * len(s["slots"])
    people = {p["id"]: p for p in instance["participants"]}
    avail = {pid: set(p["available"]) & open_slots for pid, p in people.items()}
    cap = {pid: min(p["max_meetings"], len(avail[pid])) for pid, p in people.items()}
    edges = [e for e in instance["pairs"] if avail[e["a"]] & avail[e["b"]] and (e["must"] or not must_only)]
    if not edges:
        return 0.0
    index = {pid: i for i, pid in enumerate(people)}
    rows: list[int] = []
    cols: list[int] = []
    for j, e in enumerate(edges):
        rows += [index[e["a"]], index[e["b"]], len(people)]
        cols += [j, j, j]
    vals = [1.0] * len(rows)
    n_rows, n_cols = len(people) + 1, len(edges)
    w = [1.0 if must_only else e["weight"] for e in edges]
    if coverage:  # y_v <= sum of x_e at v; maximise the sum of y_v
        w = [0.0] * len(edges) + [1.0] * len(people)
        for j, e in enumerate(edges):
            for p in (e["a"], e["b"]):
                rows.append(n_rows + index[p])
                cols.append(j)
                vals.append(-1.0)
        for i in range(len(people)):
            rows.append(n_rows + i)
            cols.append(n_cols + i)
            vals.append(1.0)
        n_rows, n_cols = n_rows + len(people), n_cols + len(people)
    a_ub = coo_matrix((vals, (rows, cols)), shape=(n_rows, n_cols)).tocsr()
    b_ub = np.array([cap[pid] for pid in people] + [cap_total] + [0.0] * (n_rows - len(people) - 1))
    res = linprog(-np.array(w), A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs")
    return round(-res.fun, 1)


def schedule_quality(instance: dict[str, Any], schedule: dict[str, Any], *, bounds: bool = True) -> dict[str, Any]:
    """The checker's figures for a schedule, with its bounds and the weight ratio."""
    report = schedule_check(instance, schedule)
    report["violation_count"] = len(report["violations"])
    report["violations"] = report["violations"][:20]
    if bounds:
        report["bound"] = lp_bound(instance)
        report["must_bound"] = int(lp_bound(instance, must_only=True) + 1e-6)
        covered = int(lp_bound(instance, coverage=True) + 1e-6)
        report["coverage_bound"] = round(covered / max(1, report["reachable"]), 4)
        report["ratio"] = round(report["weight"] / report["bound"], 4) if report["bound"] else 1.0
    return report
