"""An edition as an iCalendar file (RFC 5545): one all-day event from its first to its last day at
its venue, attached to the confirmation email so the fair lands in the visitor's calendar."""

from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import Event


def event_ics(event: Event) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Medical Expo//expo//ES")
    calendar.add("version", "2.0")
    item = icalendar.Event()
    item.add("uid", f"edition-{event.pk}@{settings.SITE_URL.split('//', 1)[-1].split('/')[0]}")
    item.add("summary", event.name)
    item.add("dtstart", event.start_date)
    item.add("dtend", event.end_date + timedelta(days=1))  # all-day events end the day after (exclusive)
    item.add("dtstamp", timezone.now())
    venue = event.venue
    item.add("location", ", ".join(part for part in (venue.name, venue.address, venue.city) if part))
    if venue.map_url:
        item.add("url", venue.map_url)
    item.add("transp", "TRANSPARENT")
    calendar.add_component(item)
    return calendar.to_ical()
