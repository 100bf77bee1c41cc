"""A visitor's agenda across the apps: the program's sessions plus whatever higher apps register.

Program sits below networking, so it cannot read B2B meetings itself: networking registers an
agenda source in its AppConfig.ready() (networking/agenda.py), and "My agenda", the clash warnings
and the calendar feed ask every registered source. A source is `source(attendee) -> list[AgendaItem]`
and must run a constant number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class AgendaItem:
    """One thing in a person's agenda, the same shape whatever app it comes from."""

    uid: str  # stable across changes: calendar apps update the event instead of adding a copy
    kind: str  # "session", "meeting"...
    title: str
    start: datetime
    end: datetime
    location: str = ""
    url: str = ""  # a path on this site
    status: str = "confirmed"  # confirmed | tentative | cancelled (iCalendar STATUS)
    sequence: int = 0  # grows with each change (iCalendar SEQUENCE)
    stamp: datetime | None = None  # when it last changed
    note: str = ""  # "Enrolled", "On the waitlist", "B2B meeting with ..."
    object_id: int | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def live(self) -> bool:
        return self.status != "cancelled"


AgendaSource = Callable[[object], list[AgendaItem]]
_sources: dict[str, AgendaSource] = {}


def agenda_source_register(name: str, source: AgendaSource) -> None:
    """Add the items `source(attendee)` returns to every agenda (registering twice replaces)."""
    _sources[name] = source


def agenda_sources() -> dict[str, AgendaSource]:
    return dict(_sources)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def clashes_with(items: list[AgendaItem], start: datetime, end: datetime, *, ignore_uid: str = "") -> list[AgendaItem]:
    """The live items of an agenda that overlap [start, end)."""
    return [
        item for item in items if item.live and item.uid != ignore_uid and overlaps(item.start, item.end, start, end)
    ]


def clashing_uids(items: list[AgendaItem]) -> set[str]:
    """Uids of the live items that overlap another live item (sorted sweep: O(n log n))."""
    live = sorted((item for item in items if item.live), key=lambda item: item.start)
    found: set[str] = set()
    latest: AgendaItem | None = None  # the item that ends last among those seen so far
    for item in live:
        if latest is not None and item.start < latest.end:
            found.update({item.uid, latest.uid})
        if latest is None or item.end > latest.end:
            latest = item
    return found
