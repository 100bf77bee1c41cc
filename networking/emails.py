"""What B2B emails need when they are sent: the registration's context (person, edition, sign-in
link) plus the links of the B2B pages. Registered with the outbox for templates under `networking/`.

Loaded at send time, in the recipient's language: the meeting an email is about (so the space is
named in their language), and for a booked meeting or a published agenda the meetings themselves,
with the recipient's calendar file attached (`networking/calendar.py`).
"""

import icalendar
from django.conf import settings
from django.urls import reverse

from expo.mail.models import OutboxEmail
from expo.mail.rendering import Attachment, Extras
from expo.registration.emails import registration_email_context

from . import calendar, selectors
from .models import Meeting, Profile

# Emails about one meeting: the builder loads it (context key `meeting`).
MEETING_EMAILS = {"meeting_booked", "meeting_cancelled"}


def _ics(profile: Profile, items) -> bytes:
    """The calendar file of these agenda items, as an invitation to add (METHOD:PUBLISH)."""
    cal = icalendar.Calendar.from_ical(calendar.agenda_calendar(profile=profile, items=items))
    cal.add("method", "PUBLISH")
    return cal.to_ical()


def networking_email_context(email: OutboxEmail, context: dict) -> Extras:
    extras = registration_email_context(email, context)
    extras.context.update({
        "b2b_url": settings.SITE_URL + reverse("networking:home"),
        "agenda_url": settings.SITE_URL + reverse("networking:agenda"),
        "requests_url": settings.SITE_URL + reverse("networking:requests"),
    })  # fmt: skip
    kind = email.template.rsplit("/", 1)[-1]
    if kind == "meeting_reminder":
        extras.context["items"] = _day_agenda(context.get("profile_id"), context.get("day"))
    if context.get("request_id"):  # the button of "request accepted" opens the booking page itself
        extras.context["book_url"] = settings.SITE_URL + reverse(
            "networking:request-book", args=[context["request_id"]]
        )
    if kind in MEETING_EMAILS and context.get("meeting_id"):
        extras.context["meeting"] = (
            Meeting.objects.select_related("slot", "table__space").filter(pk=context["meeting_id"]).first()
        )
    if kind not in ("meeting_booked", "meetings_published"):
        return extras
    profile = Profile.objects.select_related("event", "attendee").filter(attendee=extras.context["attendee"]).first()
    if profile is None:
        return extras
    agenda = selectors.agenda(profile=profile)
    if kind == "meeting_booked":
        items = [item for item in agenda if item.meeting.pk == context.get("meeting_id")]
        filename = "cita-b2b.ics"
    else:  # the agenda as it stands when the email goes: every meeting still on
        items = [item for item in agenda if item.meeting.status == Meeting.Status.PUBLISHED]
        extras.context["meetings"] = items
        filename = "agenda-b2b.ics"
    if items:
        extras.attachments.append(Attachment(filename, _ics(profile, items), "text/calendar"))
    return extras


def _day_agenda(profile_id, day: str) -> list:
    """The participant's published meetings of that day, for the reminder (read when it is sent)."""
    from datetime import date

    from django.utils import timezone

    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is None or not day:
        return []
    when = date.fromisoformat(day)
    return [
        item for item in selectors.agenda(profile=profile)
        if item.meeting.status == Meeting.Status.PUBLISHED and timezone.localdate(item.meeting.slot.start) == when
    ]  # fmt: skip
