"""Reads of the program: sessions of an edition with rooms, tracks and speakers, filtered and searched.

The program page and the API read through these, so a search means the same thing in both.
"""

from datetime import date, datetime, time

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from expo.events.models import Event

from .models import Session, Speaker


def sessions_loaded() -> QuerySet[Session]:
    """Sessions with their room and track joined and their speakers prefetched (three queries)."""
    return (
        Session.objects.select_related("room", "track")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.only("id", "name", "affiliation")))
        .order_by("start", "room__name_es", "pk")
    )


def session_search(sessions: QuerySet[Session], query: str) -> QuerySet[Session]:
    """Sessions whose title or a speaker's name contains `query` (case-insensitive)."""
    return sessions.filter(Q(title__icontains=query) | Q(speakers__name__icontains=query)).distinct()


def session_list(
    *,
    event: Event,
    day: date | None = None,
    kind: str | None = None,
    track_id: int | None = None,
    query: str | None = None,
) -> QuerySet[Session]:
    """The program of an edition, filtered by day, kind and track and searched."""
    sessions = sessions_loaded().filter(event=event)
    if day is not None:
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(day, time.min), tz)
        end = timezone.make_aware(datetime.combine(day, time.max), tz)
        sessions = sessions.filter(start__range=(start, end))
    if kind:
        sessions = sessions.filter(kind=kind)
    if track_id:
        sessions = sessions.filter(track_id=track_id)
    if query:
        sessions = session_search(sessions, query)
    return sessions
