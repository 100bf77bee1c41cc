"""The schedule's quality figures: validation, bounds and ratio (the checker's measures; .ci/run runs
bench/check_quality.py to compare them with shared/tools/check_schedule.py where it is present)."""

from networking.scheduling.quality import schedule_quality
from tests.networking.conftest import _greedy_solve


def tiny():
    return {
        "slots": [{"id": "s1"}, {"id": "s2"}],
        "spaces": [{"id": "A", "tables": 1, "slots": ["s1", "s2"]}],
        "participants": [
            {"id": "p1", "organization": "o1", "role": "hospital", "max_meetings": 2, "available": ["s1", "s2"]},
            {"id": "p2", "organization": "o2", "role": "manufacturer", "max_meetings": 2, "available": ["s1"]},
            {"id": "p3", "organization": "o3", "role": "supplier", "max_meetings": 2, "available": ["s2"]},
        ],
        "pairs": [
            {"a": "p1", "b": "p2", "weight": 10.0, "must": True},
            {"a": "p1", "b": "p3", "weight": 5.0, "must": False},
        ],
    }


def test_a_full_schedule_reaches_every_bound():
    report = schedule_quality(tiny(), _greedy_solve(tiny()))
    assert report["violation_count"] == 0
    assert report["must_scheduled"] == report["must_bound"] == 1
    assert report["coverage"] == report["coverage_bound"] == 1.0
    assert report["ratio"] == 1.0


def test_a_double_booked_table_is_a_violation():
    schedule = {"meetings": [{"a": "p1", "b": "p2", "slot": "s1", "space": "A", "table": 1},
                             {"a": "p3", "b": "p1", "slot": "s1", "space": "A", "table": 1}]}  # fmt: skip
    assert schedule_quality(tiny(), schedule, bounds=False)["violation_count"] >= 2


def test_the_bound_at_the_schedules_coverage_counts_what_covering_everybody_costs():
    """Two table-slots: p1 meeting p2 and p3 weighs most, but then p4 gets nothing. The spec puts
    coverage first, so the best schedule is p1-p2 and p3-p4: 11 of the plain bound's 20, all of
    the bound at full coverage."""
    instance = {
        "slots": [{"id": "s1"}, {"id": "s2"}],
        "spaces": [{"id": "A", "tables": 1, "slots": ["s1", "s2"]}],
        "participants": [
            {"id": p, "organization": p, "role": "hospital", "max_meetings": 2, "available": ["s1", "s2"]}
            for p in ("p1", "p2", "p3", "p4")
        ],
        "pairs": [
            {"a": "p1", "b": "p2", "weight": 10.0, "must": False},
            {"a": "p1", "b": "p3", "weight": 10.0, "must": False},
            {"a": "p3", "b": "p4", "weight": 1.0, "must": False},
        ],
    }
    schedule = {"meetings": [{"a": "p1", "b": "p2", "slot": "s1", "space": "A", "table": 1},
                             {"a": "p3", "b": "p4", "slot": "s2", "space": "A", "table": 1}]}  # fmt: skip
    report = schedule_quality(instance, schedule)
    assert report["violation_count"] == 0 and report["coverage"] == report["coverage_bound"] == 1.0
    assert (report["weight"], report["bound"], report["ratio"]) == (11.0, 20.0, 0.55)
    assert (report["bound_at_coverage"], report["ratio_at_coverage"]) == (11.0, 1.0)
