"""Benchmark the meeting scheduler against the project's checker and a naive baseline.

Usage:
    python bench/bench_scheduler.py [--instances PATHS...] [--generate N] [--large N]

Runs networking.scheduling.solver on each instance (by default shared/data/matching/*.json, plus generated
"popular", "scarce" and "scattered" fairs of N participants and a 5,000-participant "base" fair;
see bench/instances.py) and prints one row per instance: the checker's figures for the solver
(must pairs met against the most that can be met, coverage against its bound, weight / LP bound,
violations, wall time), then the same for a naive first-come scheduler (pairs by weight, each in
the earliest free slot). Needs scipy for the solver and for the checker's bounds.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from bench.instances import generate  # noqa: E402
from networking.scheduling.solver import solve  # noqa: E402


def _load_checker() -> Any:
    path = SHARED / "tools" / "check_schedule.py"
    if not path.exists():
        sys.exit(f"checker not found at {path}")
    spec = importlib.util.spec_from_file_location("check_schedule", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def naive_schedule(instance: dict[str, Any]) -> dict[str, Any]:
    """First come, first served: pairs by weight, each in the earliest slot and table free."""
    order = {s["id"]: i for i, s in enumerate(instance["slots"])}
    tables: dict[str, list[tuple[str, int]]] = {sid: [] for sid in order}
    for space in instance["spaces"]:
        for sid in space["slots"]:
            tables[sid] += [(space["id"], t) for t in range(1, space["tables"] + 1)]
    people = {p["id"]: p for p in instance["participants"]}
    free = {pid: sorted(set(p["available"]) & set(order), key=order.get) for pid, p in people.items()}
    count = dict.fromkeys(people, 0)
    meetings = []
    for e in sorted(instance["pairs"], key=lambda e: -e["weight"]):
        a, b = e["a"], e["b"]
        if count[a] >= people[a]["max_meetings"] or count[b] >= people[b]["max_meetings"]:
            continue
        common = set(free[b])
        slot = next((s for s in free[a] if s in common and tables[s]), None)
        if slot is None:
            continue
        space, table = tables[slot].pop(0)
        free[a].remove(slot)
        free[b].remove(slot)
        count[a] += 1
        count[b] += 1
        meetings.append({"a": a, "b": b, "slot": slot, "space": space, "table": table})
    return {"meetings": meetings}


def _run(checker: Any, instance: dict[str, Any], scheduler: Any) -> dict[str, Any]:
    start = time.perf_counter()
    schedule = scheduler(instance)
    seconds = time.perf_counter() - start
    return dict(checker.check(instance, schedule), seconds=seconds)


def _bounds(checker: Any, instance: dict[str, Any]) -> dict[str, float]:
    reachable = len({p for e in checker.feasible_pairs(instance) for p in (e["a"], e["b"])})
    return {
        "bound": checker.lp_bound(instance),
        "must_bound": int(checker.lp_bound(instance, must_only=True) + 1e-6),
        "coverage_bound": int(checker.lp_bound(instance, coverage=True) + 1e-6) / max(1, reachable),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", nargs="*", type=Path, help="instance files (default: shared ones)")
    parser.add_argument(
        "--generate",
        type=int,
        default=1500,
        metavar="N",
        help="participants of the generated popular/scarce/scattered fairs (0: none)",
    )
    parser.add_argument(
        "--large", type=int, default=5000, metavar="N", help="participants of the generated base fair (0: none)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated instances")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    args = parser.parse_args(argv)

    checker = _load_checker()
    paths = args.instances if args.instances is not None else sorted((SHARED / "data" / "matching").glob("*.json"))
    jobs = [(p.stem, lambda p=p: checker.load(p)) for p in paths]
    if args.generate:
        for shape in ("popular", "scarce", "scattered"):
            jobs.append((f"{shape}-{args.generate}", lambda s=shape: generate(s, args.generate, args.seed)))
    if args.large:
        jobs.append((f"base-{args.large}", lambda: generate("base", args.large, args.seed)))

    head = (
        f"{'instance':<16} {'people':>6} {'pairs':>7} | {'must/bound':>11} {'coverage/bound':>15} "
        f"{'ratio':>6} {'viol':>4} {'time s':>6} | {'naive must':>10} {'cover':>6} {'ratio':>6} {'viol':>4} "
        f"{'time s':>6}"
    )
    print(head)
    print("-" * len(head))
    for name, load in jobs:
        instance = load()
        bounds = _bounds(checker, instance)
        mine = _run(checker, instance, solve)
        row = (
            f"{name:<16} {len(instance['participants']):>6} {len(instance['pairs']):>7} | "
            f"{mine['must_scheduled']:>5}/{bounds['must_bound']:<5} "
            f"{mine['coverage']:>7.4f}/{bounds['coverage_bound']:<7.4f} "
            f"{mine['weight'] / bounds['bound']:>6.4f} {len(mine['violations']):>4} {mine['seconds']:>6.1f} |"
        )
        if not args.no_naive:
            base = _run(checker, instance, naive_schedule)
            row += (
                f" {base['must_scheduled']:>10} {base['coverage']:>6.4f} {base['weight'] / bounds['bound']:>6.4f}"
                f" {len(base['violations']):>4} {base['seconds']:>6.1f}"
            )
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
