"""Reads of the event core: the edition the public site shows."""

from django.http import Http404

from expo.lib.pagecache import content_cached

from .models import CURRENT_EVENT_KEY, CURRENT_EVENT_SECONDS, Event


def event_current() -> Event | None:
    """The published edition that ends last, with its venue (None before any is published).

    Every page and scan asks for it: it is read from the cache (a new copy each time, never shared
    between requests), and from the database when not there or when the cache is down."""
    return content_cached(CURRENT_EVENT_KEY, Event.objects.select_related("venue").current, CURRENT_EVENT_SECONDS)


def event_current_or_404() -> Event:
    event = event_current()
    if event is None:
        raise Http404("No edition is published yet.")
    return event
