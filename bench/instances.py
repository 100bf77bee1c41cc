"""Generated scheduling instances for the benchmark, in the format of shared/specs/matchmaking.md.

`generate(shape, participants, seed)` builds a fair like the public `medium` instance (three
days of 20-minute rounds, three B2B spaces, participants present for contiguous half-days,
pairs between compatible roles, a few accepted requests) and then bends it into a shape:

- ``"base"``: the plain fair; tables scale with the number of participants.
- ``"popular"``: a few participants that almost everybody wants to meet (many pairs, high
  weights, far more accepted requests than they have capacity for), and a fringe of
  participants whose only candidates are those popular ones.
- ``"scarce"``: about a third of the usual tables, so table capacity per slot binds hard.
- ``"scattered"``: availability is a random scatter of slots instead of half-days, which
  defeats the solver's grouping of interchangeable slots.

Same arguments, same instance.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

SHAPES = ("base", "popular", "scarce", "scattered")

_ROLES = ("manufacturer", "supplier", "hospital", "distributor")
_ROLE_SHARE = (0.30, 0.35, 0.20, 0.15)
# Role pairs that never meet (same-role buyers and sellers have nothing to trade).
_INCOMPATIBLE = {("supplier", "supplier"), ("hospital", "hospital"), ("distributor", "distributor")}
_DAYS = ("2025-10-28", "2025-10-29", "2025-10-30")
_MUST_BONUS = 120.0
# Presence as (first, last) half-day, 0 = day 1 morning .. 5 = day 3 afternoon, with the
# frequencies seen in the public medium instance (many stay all three days, few half a day).
_PRESENCE = (
    (0, 0),
    (0, 1),
    (0, 2),
    (0, 3),
    (0, 4),
    (0, 5),
    (1, 1),
    (1, 3),
    (1, 5),
    (2, 2),
    (2, 3),
    (2, 4),
    (2, 5),
    (3, 3),
    (3, 5),
    (4, 4),
    (4, 5),
    (5, 5),
)
_PRESENCE_SHARE = (30, 140, 21, 131, 64, 343, 38, 26, 75, 20, 138, 23, 163, 32, 23, 26, 149, 36)


def _slots() -> list[dict[str, str]]:
    """Three days of 20-minute rounds, 10:00-13:40 and 15:00-17:40."""
    out = []
    for d, day in enumerate(_DAYS, start=1):
        start = datetime.fromisoformat(f"{day}T10:00:00-06:00")
        for i in range(24):
            t = start + timedelta(minutes=20 * i)
            if 14 <= t.hour < 15:
                continue
            out.append(
                {
                    "id": f"d{d}-{t:%H%M}",
                    "start": t.isoformat(),
                    "end": (t + timedelta(minutes=20)).isoformat(),
                }
            )
    return out


def generate(shape: str = "base", participants: int = 1500, seed: int = 0) -> dict[str, Any]:
    """A deterministic instance of the given shape and size (see the module docstring)."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; expected one of {SHAPES}")
    rng = random.Random(f"{shape}-{participants}-{seed}")
    slots = _slots()
    ids = [s["id"] for s in slots]
    days = [[sid for sid in ids if sid.startswith(f"d{d}-")] for d in range(1, 4)]
    halves = []  # half-days: morning rounds up to 13:00, afternoon from 13:20
    for day in days:
        halves.append([sid for sid in day if sid[3:] <= "1300"])
        halves.append([sid for sid in day if sid[3:] > "1300"])

    scale = participants / 1500 * (0.33 if shape == "scarce" else 1.0)
    tables = [max(1, round(40 * scale)), max(1, round(30 * scale)), max(1, round(20 * scale))]
    spaces = [
        {"id": "A", "name": "B2B Space A", "tables": tables[0], "slots": ids},
        {"id": "B", "name": "B2B Space B", "tables": tables[1], "slots": ids},
        {"id": "C", "name": "B2B Space C", "tables": tables[2], "slots": days[1] + days[2]},
    ]

    people = []
    org = 0
    for i in range(participants):
        if i == 0 or rng.random() > 0.08:  # some organizations send two people
            org += 1
        role = rng.choices(_ROLES, _ROLE_SHARE)[0]
        if shape == "scattered":
            available = sorted(rng.sample(range(len(ids)), rng.randint(8, 40)))
            available = [ids[s] for s in available]
        else:
            first, last = rng.choices(_PRESENCE, _PRESENCE_SHARE)[0]
            available = [sid for h in halves[first : last + 1] for sid in h]
        people.append(
            {
                "id": f"p{i + 1}",
                "organization": f"o{org}",
                "role": role,
                "max_meetings": rng.choice((4, 6, 8, 8, 10, 12)),
                "available": available,
            }
        )

    # Latent interests make weights correlated (people who like one topic like similar people).
    topics = [[rng.random() for _ in range(4)] for _ in people]
    popular = set()
    fringe = set()
    if shape == "popular":
        popular = set(rng.sample(range(participants), max(3, participants // 200)))
        rest = [i for i in range(participants) if i not in popular]
        fringe = set(rng.sample(rest, participants // 100))
        for p in popular:
            people[p]["max_meetings"] = 12
    degree = min(140, participants - 1)
    pairs = {}

    def add(i: int, j: int, boost: float = 0.0, must_rate: float = 0.01) -> None:
        a, b = min(i, j), max(i, j)
        pa, pb = people[a], people[b]
        if a == b or (a, b) in pairs or pa["organization"] == pb["organization"]:
            return
        if tuple(sorted((pa["role"], pb["role"]))) in _INCOMPATIBLE:
            return
        affinity = sum(x * y for x, y in zip(topics[a], topics[b])) / 4
        weight = 1.4 + 90 * affinity**2 + rng.expovariate(1 / 8) + boost
        must = rng.random() < must_rate
        weight = min(weight, 132.0) + (_MUST_BONUS if must else 0.0)
        pairs[a, b] = {"a": pa["id"], "b": pb["id"], "weight": round(weight, 1), "must": must}

    for i in range(participants):
        if i in fringe:
            continue
        for _ in range(degree // 2):
            j = rng.randrange(participants)
            if j not in fringe:
                add(i, j)
    for p in popular:  # wanted by 40% of the room; about six accepted requests each
        wanted_by = rng.sample(range(participants), int(participants * 0.4))
        for j in wanted_by:
            add(p, j, boost=rng.uniform(20, 60), must_rate=6 / len(wanted_by))
    for f in fringe:
        for p in rng.sample(sorted(popular), min(len(popular), rng.randint(1, 3))):
            add(f, p, boost=rng.uniform(0, 30), must_rate=0.0)
    return {
        "name": f"{shape}-{participants}-s{seed}",
        "slots": slots,
        "spaces": spaces,
        "participants": people,
        "pairs": list(pairs.values()),
    }
