"""Emails to visitors, rendered from templates/emails/ in the visitor's language at send time."""

import io
from datetime import datetime
from email.mime.image import MIMEImage

import segno
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .access import signin_url
from .models import OutboxEmail
from .services import attendee_badge_code

WITH_BADGE = {OutboxEmail.Kind.REGISTRATION_CONFIRMED, OutboxEmail.Kind.WAITLIST_PROMOTED}


def _subject(kind: str, event_name: str) -> str:
    subjects = {
        OutboxEmail.Kind.REGISTRATION_CONFIRMED: _("Your registration for %(event)s is confirmed"),
        OutboxEmail.Kind.WAITLISTED: _("You are on the waitlist for %(event)s"),
        OutboxEmail.Kind.WAITLIST_PROMOTED: _("A seat freed up: your registration for %(event)s is confirmed"),
        OutboxEmail.Kind.SIGNIN_LINK: _("Your sign-in link for %(event)s"),
        OutboxEmail.Kind.REGISTRATION_CANCELLED: _("Your registration for %(event)s was cancelled"),
        OutboxEmail.Kind.B2B_REQUEST_RECEIVED: _("New B2B meeting request at %(event)s"),
        OutboxEmail.Kind.B2B_REQUEST_ACCEPTED: _("Your B2B meeting request at %(event)s was accepted"),
        OutboxEmail.Kind.B2B_MEETINGS_PUBLISHED: _("Your B2B meeting agenda for %(event)s is ready"),
        OutboxEmail.Kind.B2B_MEETING_CANCELLED: _("A B2B meeting at %(event)s was cancelled"),
    }
    return subjects[kind] % {"event": event_name}


def badge_qr_png(code: str) -> bytes:
    out = io.BytesIO()
    segno.make(code, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def _context_values(context: dict) -> dict:
    """Stored context as template values: ISO times under keys ending in `_at` become datetimes."""
    values = dict(context)
    for key, value in context.items():
        if key.endswith("_at") and isinstance(value, str):
            try:
                values[key] = datetime.fromisoformat(value)
            except ValueError:
                pass
    return values


def email_build(email: OutboxEmail) -> EmailMultiAlternatives:
    attendee = email.attendee
    with translation.override(attendee.language):
        context = {
            "attendee": attendee,
            "event": attendee.event,
            "kind": email.kind,
            "signin_url": signin_url(attendee),
            "registration_url": settings.SITE_URL + reverse("my-registration"),
            "with_badge": email.kind in WITH_BADGE,
            "signin_hours": settings.SIGNIN_LINK_HOURS,
            "b2b_url": settings.SITE_URL + reverse("b2b-home"),
            "agenda_url": settings.SITE_URL + reverse("b2b-agenda"),
            "requests_url": settings.SITE_URL + reverse("b2b-requests"),
            **_context_values(email.context),
        }
        subject = _subject(email.kind, attendee.event.name)
        text = render_to_string("emails/attendee.txt", context)
        html = render_to_string("emails/attendee.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[attendee.email])
    message.attach_alternative(html, "text/html")
    if email.kind in WITH_BADGE:
        image = MIMEImage(badge_qr_png(attendee_badge_code(attendee)), "png")
        image.add_header("Content-ID", "<badge-qr>")
        image.add_header("Content-Disposition", "inline", filename="gafete-qr.png")
        message.attach(image)
        message.mixed_subtype = "related"
    return message
