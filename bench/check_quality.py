"""Cross-check the project's quality module against the public checker (shared/tools/check_schedule.py).

Usage:
    python bench/check_quality.py [INSTANCE.json ...]

For each instance (by default the `small` instance shipped in tests/ and shared/data/matching/*.json),
schedules it with the solver and with a naive greedy scheduler, then compares every figure that
networking.scheduling.quality computes with the checker's output for the same files. Prints one line
per comparison and exits 1 on any difference. `.ci/run` runs it when ../shared is beside the checkout;
the test suite itself never reads ../shared.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CHECKER = SHARED / "tools" / "check_schedule.py"
KEYS = ("weight", "must_scheduled", "must_bound", "coverage", "coverage_bound", "bound", "ratio")
sys.path.insert(0, str(REPO))

from bench.bench_scheduler import naive_schedule  # noqa: E402
from networking.scheduling.quality import schedule_quality  # noqa: E402
from networking.scheduling.solver import solve  # noqa: E402


def compare(path: Path) -> bool:
    instance = json.loads(path.read_text())
    same = True
    for name, schedule in (("solver", solve(instance, time_limit=60)), ("naive", naive_schedule(instance))):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(schedule, handle)
        checker = subprocess.run([sys.executable, str(CHECKER), str(path), handle.name, "--bound"],
                                 capture_output=True, text=True, check=True)  # fmt: skip
        expected, ours = json.loads(checker.stdout), schedule_quality(instance, schedule)
        differ = {key: (ours.get(key), expected.get(key)) for key in KEYS if ours.get(key) != expected.get(key)}
        if len(ours["violations"]) != len(expected.get("violations", [])):
            differ["violations"] = (len(ours["violations"]), len(expected.get("violations", [])))
        print(f"{path.name:14} {name:6} {'same figures' if not differ else f'DIFFERENT (ours, checker): {differ}'}")
        same &= not differ
    return same


def main() -> int:
    if not CHECKER.exists():
        print(f"checker not found at {CHECKER}: nothing to compare")
        return 0
    paths = [Path(p) for p in sys.argv[1:]] or [
        REPO / "tests" / "networking" / "scheduling" / "data" / "small.json",
        *sorted((SHARED / "data" / "matching").glob("*.json")),
    ]
    results = [compare(path) for path in paths]  # every instance, even after a difference
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
