"""A visitor's agenda (sessions and B2B meetings) as an iCalendar file (RFC 5545), with `icalendar`.

Times carry TZID America/Mexico_City with its VTIMEZONE; each item keeps one UID whatever changes,
and its SEQUENCE grows with each change (a session moved twice is at SEQUENCE 2), so calendar apps
update the event in place; a cancelled session stays in the feed with STATUS:CANCELLED, so apps that
already have it remove it or show it cancelled instead of keeping a stale copy.

Calendar apps cannot sign in: the subscription URL carries a signed token with the visitor's id and
the version of their link (`feed_token`); "reset my calendar link" raises the version and every URL
given out before stops working.
"""

from datetime import UTC
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .agenda import AgendaItem

MEXICO_CITY = ZoneInfo("America/Mexico_City")
FEED_SALT = "expo.program.calendar-feed"


def feed_token(*, attendee_id: int, version: int) -> str:
    value = signing.Signer(salt=FEED_SALT).sign(f"{attendee_id}.{version}")
    return value.replace(":", ".")


def feed_token_read(token: str) -> tuple[int, int] | None:
    """(attendee id, version) of a token we issued; None otherwise (checking the version is the caller's)."""
    attendee_id, _, rest = token.partition(".")
    version, _, signature = rest.partition(".")
    try:
        signing.Signer(salt=FEED_SALT).unsign(f"{attendee_id}.{version}:{signature}")
        return int(attendee_id), int(version)
    except (signing.BadSignature, ValueError):
        return None


def feed_url(*, attendee_id: int, version: int) -> str:
    return settings.SITE_URL + reverse(
        "program:agenda-feed", args=[feed_token(attendee_id=attendee_id, version=version)]
    )


def calendar_bytes(*, name: str, items: list[AgendaItem]) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Medical Expo//Program//ES")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "America/Mexico_City")
    for item in items:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", (item.stamp or timezone.now()).astimezone(UTC))
        if item.stamp:
            event.add("last-modified", item.stamp.astimezone(UTC))
        event.add("dtstart", item.start.astimezone(MEXICO_CITY))
        event.add("dtend", item.end.astimezone(MEXICO_CITY))
        event.add("summary", item.title)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", settings.SITE_URL + item.url)
        event.add(
            "description",
            "\n".join(part for part in (item.note, settings.SITE_URL + item.url if item.url else "") if part),
        )
        event.add("sequence", item.sequence)
        event.add("status", item.status.upper())
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
