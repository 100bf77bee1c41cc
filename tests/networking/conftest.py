"""Fixtures of the B2B tests: a small edition with one space, a greedy reference scheduler, the solver.

`_greedy_solve` is a deliberately simple scheduler (accepted requests first, then by weight, each
pair in the earliest slot where both and a table are free) that quality tests measure against.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from networking.models import NetworkingSpace, Slot, Table
from tests.factories import EventFactory, NetworkingSpaceFactory, TableFactory

MX = ZoneInfo("America/Mexico_City")


def _greedy_solve(instance, *, time_limit=None, seed=0, fixed=None):
    fixed = list(fixed or [])
    order = [s["id"] for s in instance["slots"]]
    avail = {p["id"]: set(p["available"]) for p in instance["participants"]}
    cap = {p["id"]: p["max_meetings"] for p in instance["participants"]}
    busy, used, met = set(), set(), set()
    for m in fixed:
        busy |= {(m["a"], m["slot"]), (m["b"], m["slot"])}
        used.add((m["slot"], m["space"], m["table"]))
        met.add(frozenset((m["a"], m["b"])))
        for p in (m["a"], m["b"]):
            if p in cap:
                cap[p] -= 1
    tables = {sid: [(s["id"], t) for s in instance["spaces"] if sid in s["slots"] for t in range(1, s["tables"] + 1)]
              for sid in order}  # fmt: skip
    meetings = [dict(m) for m in fixed]
    for e in sorted(instance["pairs"], key=lambda e: (not e["must"], -e["weight"])):
        a, b = e["a"], e["b"]
        if frozenset((a, b)) in met or cap.get(a, 0) <= 0 or cap.get(b, 0) <= 0:
            continue
        for sid in order:
            if sid not in avail[a] or sid not in avail[b] or (a, sid) in busy or (b, sid) in busy:
                continue
            free = [t for t in tables[sid] if (sid, *t) not in used]
            if not free:
                continue
            space, table = free[0]
            meetings.append({"a": a, "b": b, "slot": sid, "space": space, "table": table})
            busy |= {(a, sid), (b, sid)}
            used.add((sid, space, table))
            met.add(frozenset((a, b)))
            cap[a] -= 1
            cap[b] -= 1
            break
    return {"meetings": meetings}


@pytest.fixture
def solver():
    """The pure solver module (tests may monkeypatch its `solve`)."""
    from networking.scheduling import solver as module

    return module


@dataclass
class Edition:
    event: object
    space: NetworkingSpace
    tables: list
    slots: list


def edition_make(*, day: date | None = None, slots: int = 6, tables: int = 2) -> Edition:
    """An edition a month from today (tests never depend on the calendar date they run on)."""
    day = day or timezone.localdate() + timedelta(days=30)
    event = EventFactory(start_date=day, end_date=day + timedelta(days=2))
    space = NetworkingSpaceFactory(event=event, code="A", name_es="Espacio B2B A", name_en="B2B space A")
    table_objs = [TableFactory(space=space, number=n) for n in range(1, tables + 1)]
    start = datetime.combine(day, datetime.min.time(), MX) + timedelta(hours=10)
    slot_objs = Slot.objects.bulk_create(
        [Slot(event=event, start=start + timedelta(minutes=20 * i), end=start + timedelta(minutes=20 * (i + 1)))
         for i in range(slots)]
    )  # fmt: skip
    space.slots.set(slot_objs)
    return Edition(event=event, space=space, tables=table_objs, slots=slot_objs)


@pytest.fixture
def edition(db):
    """An edition a month ahead: space A with 2 tables open in 6 slots of 20 minutes on its first day."""
    return edition_make()


def signin(client, attendee):
    session = client.session
    session["expo_attendee_id"] = attendee.pk
    session.save()


__all__ = ["Edition", "edition_make", "signin", "Table"]
