"""A participant's B2B agenda as an iCalendar file (RFC 5545), with the `icalendar` package.

Times carry TZID America/Mexico_City (with its VTIMEZONE); each meeting keeps the same UID
whatever changes, so calendar apps update an event instead of adding a copy; a cancelled meeting
stays in the feed with STATUS:CANCELLED so that apps remove it.

Calendar apps cannot sign in, so each participant also has a subscription URL carrying a signed
token (`feed_url`): whoever has the URL can read that agenda, like a private calendar link.
"""

from datetime import UTC
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Meeting, Profile
from .selectors import AgendaItem

MEXICO_CITY = ZoneInfo("America/Mexico_City")


FEED_SALT = "expo.b2b.calendar-feed"


def feed_token(profile: Profile) -> str:
    """The secret part of a participant's subscription URL: their profile id, signed."""
    return signing.Signer(salt=FEED_SALT).sign(str(profile.pk)).split(":", 1)[1] + f"-{profile.pk}"


def feed_profile_id(token: str) -> int | None:
    """The profile a subscription token is for, or None if it was not issued by us."""
    signature, _, profile_id = token.rpartition("-")
    try:
        return int(signing.Signer(salt=FEED_SALT).unsign(f"{profile_id}:{signature}"))
    except (signing.BadSignature, ValueError):
        return None


def feed_url(profile: Profile) -> str:
    return settings.SITE_URL + reverse("networking:agenda-feed", args=[feed_token(profile)])


def meeting_uid(meeting: Meeting) -> str:
    return f"b2b-meeting-{meeting.pk}@medicalexpo.mx"


def agenda_calendar(*, profile: Profile, items: list[AgendaItem]) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Medical Expo//B2B agenda//ES")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("B2B meetings · %(event)s") % {"event": profile.event.name})
    cal.add("x-wr-timezone", "America/Mexico_City")
    agenda_url = settings.SITE_URL + reverse("networking:agenda")
    for item in items:
        meeting = item.meeting
        name = item.other.attendee.full_name if item.other else _("to be confirmed")
        organization = item.other.attendee.organization_name if item.other else ""
        event = icalendar.Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", (meeting.cancelled_at or meeting.created_at).astimezone(UTC))
        event.add("dtstart", meeting.slot.start.astimezone(MEXICO_CITY))
        event.add("dtend", meeting.slot.end.astimezone(MEXICO_CITY))
        event.add(
            "summary", _("B2B meeting with %(name)s") % {"name": f"{name} ({organization})" if organization else name}
        )
        event.add(
            "location",
            _("%(space)s, table %(table)s") % {"space": meeting.table.space.name, "table": meeting.table},
        )
        event.add("description", agenda_url)
        event.add("sequence", 1 if meeting.status == Meeting.Status.CANCELLED else 0)
        event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
