"""What registration emails need when they are sent: the person, the edition, a fresh sign-in link,
the badge QR. Registered with the outbox (expo.mail) for every template under `registration/`;
networking's builder extends it for its own emails.
"""

import io

import segno
from django.conf import settings
from django.urls import reverse

from expo.events.calendar import event_ics
from expo.mail.models import OutboxEmail
from expo.mail.rendering import Attachment, Extras

from .access import signin_url
from .badges import attendee_badge_code, short_code_display
from .models import Attendee

WITH_BADGE = {"registration/email/confirmed", "registration/email/promoted"}


def badge_qr_png(code: str) -> bytes:
    out = io.BytesIO()
    segno.make(code, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def registration_email_context(email: OutboxEmail, context: dict) -> Extras:
    attendee = (
        Attendee.objects.select_related("event__venue", "pass_type").filter(pk=context.get("attendee_id")).first()
    )
    if attendee is None:
        raise LookupError(f"registration {context.get('attendee_id')} no longer exists")
    extras = Extras(context={
        "attendee": attendee, "event": attendee.event, "event_name": attendee.event.name,
        "first_name": attendee.first_name,
        "signin_url": signin_url(attendee, str(context.get("next") or "")), "signin_hours": settings.SIGNIN_LINK_HOURS,
        "registration_url": settings.SITE_URL + reverse("registration:mine"),
        "short_code": short_code_display(attendee.badge_code),
    })  # fmt: skip
    if email.template in WITH_BADGE:
        extras.attachments.append(
            Attachment("gafete-qr.png", badge_qr_png(attendee_badge_code(attendee)), "image/png", inline_id="badge-qr")
        )
        # The fair in the visitor's calendar: dates and venue (address, map link).
        extras.attachments.append(Attachment(f"{attendee.event.slug}.ics", event_ics(attendee.event), "text/calendar"))
    return extras
