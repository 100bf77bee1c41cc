"""Time present in a session, from the badge scans at its door. Pure module: no Django.

Scans are (time, "in" | "out"). Presence runs from an entry to the next exit; an entry with no exit
after it runs to the end of the session (people leave without being scanned far more often than they
sneak in), an exit with no entry before it adds nothing, and repeated entries while inside change
nothing. Only time inside the session's window [start, end) counts: arriving early earns nothing
extra. The share is that time over the session's length; organizers set per edition the share that
credits the session's hours (80% by default).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal


@dataclass(frozen=True)
class Presence:
    seconds: int
    share: Decimal  # 0..1, four decimals, rounded down (never credits what was not reached)
    first_entry: datetime | None
    last_exit: datetime | None


def presence(scans: Iterable[tuple[datetime, str]], *, start: datetime, end: datetime) -> Presence:
    """Add up the time inside [start, end) from a person's entry and exit scans."""
    ordered = sorted(scans, key=lambda scan: (scan[0], scan[1] != "in"))
    seconds = 0.0
    inside_since: datetime | None = None
    first_entry = last_exit = None

    def add(since: datetime, until: datetime) -> float:
        since, until = max(since, start), min(until, end)
        return max((until - since).total_seconds(), 0.0)

    for at, direction in ordered:
        if direction == "in":
            first_entry = first_entry or at
            if inside_since is None:
                inside_since = at
        elif direction == "out":
            last_exit = at
            if inside_since is not None:
                seconds += add(inside_since, at)
                inside_since = None
    if inside_since is not None:
        seconds += add(inside_since, end)
    length = (end - start).total_seconds()
    share = Decimal(seconds / length).quantize(Decimal("0.0001"), rounding=ROUND_DOWN) if length > 0 else Decimal(0)
    return Presence(seconds=int(seconds), share=min(share, Decimal(1)), first_entry=first_entry, last_exit=last_exit)


def credited(*, share: Decimal, share_needed: Decimal, includes_training: bool, training_hours: Decimal) -> Decimal:
    """The hours one attendance earns: all of the session's, or none (the rule of AttendanceQuerySet.credited)."""
    if includes_training and training_hours > 0 and share >= share_needed:
        return training_hours
    return Decimal(0)
