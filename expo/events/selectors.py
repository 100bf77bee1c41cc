"""Reads of the event core: the edition the public site shows."""

from django.http import Http404

from .models import Event


def event_current() -> Event | None:
    """The published edition that ends last, with its venue (None before any is published)."""
    return Event.objects.select_related("venue").current()


def event_current_or_404() -> Event:
    event = event_current()
    if event is None:
        raise Http404("No edition is published yet.")
    return event
