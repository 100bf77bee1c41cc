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
