"""Reads of the event core: the edition the public site shows."""

from django.core.cache import cache
from django.http import Http404

from .models import CURRENT_EVENT_KEY, CURRENT_EVENT_SECONDS, Event


def event_current() -> Event | None:
    """The published edition that ends last, with its venue (None before any is published).

    Every page and scan asks for it: it is read from the cache (a new copy each time, never shared
    between requests), and from the database when not there or when the cache is down."""
    try:
        event = cache.get(CURRENT_EVENT_KEY)
    except Exception:
        return Event.objects.select_related("venue").current()
    if event is None:
        event = Event.objects.select_related("venue").current()
        if event is not None:
            try:
                cache.add(CURRENT_EVENT_KEY, event, CURRENT_EVENT_SECONDS)
            except Exception:  # noqa: S110 -- read from the database next time
                pass
    return event


def event_current_or_404() -> Event:
    event = event_current()
    if event is None:
        raise Http404("No edition is published yet.")
    return event
