"""The pure meeting scheduler (networking.scheduling.solver), checked with the project's own quality
module (the checker's measures; .ci/run also cross-checks it against shared/tools/); no Django."""

import json
import types
from pathlib import Path

import pytest

from bench.instances import generate
from networking.scheduling import quality, solver
from networking.scheduling.solver import solve

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def checker():
    """The validation and the bounds of networking.scheduling.quality, under the checker's names."""
    return types.SimpleNamespace(check=quality.schedule_check, lp_bound=quality.lp_bound)


@pytest.fixture(scope="module")
def small():
    """The public `small` instance of shared/data/matching, shipped with the tests."""
    return json.loads((DATA / "small.json").read_text())


@pytest.fixture(scope="module")
def small_schedule(small):
    return solve(small)


def fair(slots, tables, people, pairs):
    """A hand-made instance: one space open in all `slots`; people as {id: (available, max)};
    pairs as (a, b, weight, must)."""
    return {
        "name": "hand-made",
        "slots": [{"id": s} for s in slots],
        "spaces": [{"id": "A", "name": "Space A", "tables": tables, "slots": list(slots)}],
        "participants": [
            {"id": pid, "organization": pid, "role": "supplier", "max_meetings": cap, "available": avail}
            for pid, (avail, cap) in people.items()
        ],
        "pairs": [{"a": a, "b": b, "weight": w, "must": m} for a, b, w, m in pairs],
    }


def met(schedule):
    return {frozenset((m["a"], m["b"])): m["slot"] for m in schedule["meetings"]}


def test_small_schedule_is_valid(checker, small, small_schedule):
    assert checker.check(small, small_schedule)["violations"] == []


def test_small_schedules_every_feasible_must_pair(checker, small, small_schedule):
    most = int(checker.lp_bound(small, must_only=True) + 1e-6)
    assert checker.check(small, small_schedule)["must_scheduled"] == most


def test_small_is_near_the_bound_and_covers_everyone(checker, small, small_schedule):
    report = checker.check(small, small_schedule)
    assert report["coverage"] == 1.0
    assert report["weight"] >= 0.98 * checker.lp_bound(small)


def test_same_seed_gives_the_same_schedule(small, small_schedule):
    assert solve(small, seed=0) == small_schedule


def test_other_seed_is_also_valid(checker, small):
    assert checker.check(small, solve(small, seed=7))["violations"] == []


def test_fixed_meetings_are_kept_exactly(checker, small):
    # Published meetings on the last table of each space, where the solver would not put them.
    spaces = {s["id"]: s for s in small["spaces"]}
    avail = {p["id"]: set(p["available"]) for p in small["participants"]}
    taken, fixed = set(), []
    for e in small["pairs"]:
        for slot in sorted(avail[e["a"]] & avail[e["b"]]):
            space = next((s for s in spaces.values() if slot in s["slots"] and (s["id"], slot) not in taken), None)
            if space and (e["a"], slot) not in taken and (e["b"], slot) not in taken:
                fixed.append({"a": e["a"], "b": e["b"], "slot": slot, "space": space["id"], "table": space["tables"]})
                taken |= {(e["a"], slot), (e["b"], slot), (space["id"], slot)}
                break
        if len(fixed) == 8:
            break
    schedule = solve(small, fixed=fixed)
    assert schedule["meetings"][: len(fixed)] == fixed
    assert checker.check(small, schedule)["violations"] == []


def test_rerun_after_cancellations_keeps_published_and_refills(checker, small, small_schedule):
    published = small_schedule["meetings"]
    cancelled = published[::10]
    kept = [m for m in published if m not in cancelled]
    schedule = solve(small, fixed=kept)
    assert schedule["meetings"][: len(kept)] == kept
    report = checker.check(small, schedule)
    assert report["violations"] == []
    assert report["meetings"] > len(kept)  # the freed capacity is used again


def test_infeasible_must_pairs_are_skipped_not_fatal(checker):
    instance = fair(
        ["s1", "s2", "s3"],
        tables=2,
        people={"p1": (["s1"], 2), "p2": (["s2"], 2), "p3": (["s1", "s2"], 2), "p4": (["nowhere"], 2)},
        pairs=[("p1", "p2", 150, True), ("p1", "p4", 150, True), ("p1", "p3", 140, True), ("p2", "p3", 10, False)],
    )
    schedule = solve(instance)
    assert checker.check(instance, schedule)["violations"] == []
    assert set(met(schedule)) == {frozenset(("p1", "p3")), frozenset(("p2", "p3"))}


def test_scarce_tables_reach_the_known_optimum(checker):
    # One table per slot. Earliest-slot greedy puts p2-p3 in s1 and strands p1 (weight 10);
    # the optimum is p1-p2 in s1 and p2-p3 in s2 (weight 19).
    instance = fair(
        ["s1", "s2"],
        tables=1,
        people={"p1": (["s1"], 2), "p2": (["s1", "s2"], 2), "p3": (["s1", "s2"], 2)},
        pairs=[("p2", "p3", 10, False), ("p1", "p2", 9, False), ("p1", "p3", 1, False)],
    )
    schedule = solve(instance)
    assert checker.check(instance, schedule)["weight"] == 19
    assert met(schedule) == {frozenset(("p1", "p2")): "s1", frozenset(("p2", "p3")): "s2"}


def test_scarce_tables_go_to_coverage_before_weight(checker):
    # Two table-slots: p1-p2 and p1-p3 weigh most, but p1-p2 and p3-p4 meet everybody.
    instance = fair(
        ["s1", "s2"],
        tables=1,
        people={p: (["s1", "s2"], 2) for p in ("p1", "p2", "p3", "p4")},
        pairs=[("p1", "p2", 100, False), ("p1", "p3", 60, False), ("p3", "p4", 1, False)],
    )
    report = checker.check(instance, solve(instance))
    assert report["coverage"] == 1.0
    assert report["weight"] == 101


def test_few_popular_participants_leave_nobody_empty_handed(checker):
    instance = generate("popular", 300, seed=0)
    report = checker.check(instance, solve(instance))
    assert report["violations"] == []
    assert report["coverage"] >= 0.995
    assert report["must_scheduled"] == int(checker.lp_bound(instance, must_only=True) + 1e-6)


def test_generated_shapes_are_valid(checker):
    for shape in ("scarce", "scattered"):
        instance = generate(shape, 200, seed=1)
        report = checker.check(instance, solve(instance))
        assert report["violations"] == [], shape
        assert report["coverage"] >= 0.995, shape


def test_time_limit_still_returns_a_valid_schedule(checker, small):
    schedule = solve(small, time_limit=0.0)
    report = checker.check(small, schedule)
    assert report["violations"] == []
    assert report["meetings"] > 0


def test_without_the_lp_the_greedy_fill_still_gives_a_good_schedule(checker, small, monkeypatch):
    monkeypatch.setattr(solver, "_select_lp", lambda prob, deadline, report: None)
    schedule = solve(small)
    report = checker.check(small, schedule)
    assert report["violations"] == []
    assert report["must_scheduled"] == int(checker.lp_bound(small, must_only=True) + 1e-6)
    assert report["coverage"] == 1.0


def dense_fair(participants, seed=0):
    """The demo edition's shape, small: everybody present in every slot, a second space open in
    the later two thirds only, tables to spare, nearly every pair a candidate, and weights driven
    by each side's popularity, so that everybody's best pairs are with the same popular few."""
    import random

    rng = random.Random(seed)
    slots = [f"s{i + 1}" for i in range(24)]
    people = {f"p{i + 1}": (slots, rng.choice((2, 3, 4, 6))) for i in range(participants)}
    instance = fair(slots, participants // 4, people, [])
    instance["spaces"].append({"id": "B", "name": "Space B", "tables": participants // 8, "slots": slots[8:]})
    pop = {pid: rng.random() for pid in people}
    ids = list(people)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            must = rng.random() < 0.002
            weight = round(5 + 60 * pop[a] * pop[b] + rng.expovariate(1 / 2), 1) + (200 if must else 0)
            instance["pairs"].append({"a": a, "b": b, "weight": weight, "must": must})
    return instance


def test_dense_fair_with_popular_participants_reaches_the_bound(checker):
    # Pruning each participant to its best-valued pairs left out the pairs between the
    # unpopular that the optimum needs (ratio 0.96); column generation prices them back in.
    instance = dense_fair(100)
    report = checker.check(instance, solve(instance))
    assert report["violations"] == []
    assert report["coverage"] == 1.0
    assert report["must_scheduled"] == int(checker.lp_bound(instance, must_only=True) + 1e-6)
    assert report["weight"] >= 0.99 * checker.lp_bound(instance)


def test_slots_differing_only_in_spare_tables_form_one_group():
    # Space B makes the later slots bigger, but tables never run short: one LP group, not two.
    prob = solver._Problem(dense_fair(40), [], 0)
    assert len(prob.groups) == 1
    scarce = dense_fair(40)
    for space in scarce["spaces"]:
        space["tables"] = 2
    assert len(solver._Problem(scarce, [], 0).groups) == 2


def test_the_solver_reports_its_progress_as_it_goes(small):
    seen = []
    schedule = solve(small, progress=seen.append)
    assert schedule == solve(small)  # reporting changes nothing
    assert seen == sorted(seen) and seen[-1] == 1.0 and all(0 <= value <= 1 for value in seen)
    assert len(set(seen)) >= 8  # LP rounds and the fill move it, not a few fixed steps
