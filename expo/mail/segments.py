"""Segments of the people an organizer can write to: all visitors, a pass type, B2B participants...

The outbox knows none of the apps, so the apps above register their segments here (in their
AppConfig.ready, or the dashboard on their behalf): a key, a label, optionally the choices of a
parameter (which pass type), and a function that yields the recipients of an edition.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    name: str = ""
    attendee_id: int | None = None


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    # recipients(event_id, parameter) -> the people, each address once
    recipients: Callable[[int, str], Iterable[Recipient]]
    # choices(event_id) -> [(value, label)] when the segment takes a parameter (a pass type...)
    choices: Callable[[int], list[tuple[str, str]]] | None = None


_segments: dict[str, Segment] = {}


def segment_register(segment: Segment) -> None:
    _segments[segment.key] = segment


def segment_get(key: str) -> Segment | None:
    return _segments.get(key)


def segments_all() -> list[Segment]:
    return list(_segments.values())
