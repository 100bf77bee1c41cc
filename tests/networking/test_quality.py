"""The schedule's quality figures are the checker's (shared/tools/check_schedule.py)."""

import json
import subprocess
import sys

from networking.quality import schedule_quality
from tests.conftest import SHARED, shared_file
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


def test_figures_match_the_checker_on_the_public_small_instance(tmp_path):
    instance = json.loads(shared_file("data", "matching", "small.json").read_text())
    schedule = _greedy_solve(instance)
    (tmp_path / "out.json").write_text(json.dumps(schedule))
    checker = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "check_schedule.py"), str(SHARED / "data" / "matching" / "small.json"),
         str(tmp_path / "out.json"), "--bound"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    expected = json.loads(checker.stdout)
    ours = schedule_quality(instance, schedule)
    for key in ("weight", "must_scheduled", "must_bound", "coverage", "coverage_bound", "bound", "ratio"):
        assert ours[key] == expected[key], key
