"""What program emails need when they are sent: the registration's context (person, edition, sign-in
link) plus the session or certificate they are about, its links, and the session as an .ics file.
Registered with the outbox for templates under `program/` (ProgramConfig.ready)."""

from datetime import datetime

from django.conf import settings
from django.urls import reverse

from expo.events.models import language_is_english
from expo.lib.formatting import slot_label
from expo.mail.models import OutboxEmail
from expo.mail.rendering import Attachment, Extras
from expo.registration.emails import registration_email_context

from . import selectors
from .calendar import calendar_bytes
from .certificates import verification_url
from .models import Certificate, Session

WITH_CALENDAR = {"enrolled", "session_moved", "session_cancelled", "seat_offered"}


def _moment(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def program_email_context(email: OutboxEmail, context: dict) -> Extras:
    extras = registration_email_context(email, context)
    site = settings.SITE_URL
    extras.context.update({
        "agenda_url": site + reverse("program:agenda"),
        "hours_url": site + reverse("program:hours"),
        "program_url": site + reverse("program:list"),
    })  # fmt: skip
    kind = email.template.rsplit("/", 1)[-1]
    if "session_id" in context:
        session = Session.objects.select_related("room").filter(pk=context["session_id"]).first()
        if session is None:
            raise LookupError(f"session {context['session_id']} no longer exists")
        extras.context.update({
            "session": session, "session_title": session.title, "when": slot_label(session.start, session.end),
            "session_url": site + reverse("program:session", args=[session.pk]),
            "previous_room_name": context.get("previous_room_en") if language_is_english() and context.get(
                "previous_room_en") else context.get("previous_room", ""),
        })  # fmt: skip
        if context.get("previous_start_at") and context.get("previous_end_at"):
            # The outbox hands keys ending in _at back as datetimes.
            extras.context["before"] = slot_label(
                _moment(context["previous_start_at"]), _moment(context["previous_end_at"])
            )
        if kind in WITH_CALENDAR:
            status = {"session_cancelled": "cancelled", "seat_offered": "tentative"}.get(kind, "confirmed")
            item = selectors.session_agenda_item(session, status=status, note="")
            extras.attachments.append(
                Attachment("sesion.ics", calendar_bytes(name=session.title, items=[item]), "text/calendar")
            )
    if "certificate_id" in context:
        certificate = Certificate.objects.filter(pk=context["certificate_id"]).first()
        if certificate is None:
            raise LookupError(f"certificate {context['certificate_id']} no longer exists")
        extras.context.update({
            "certificate": certificate, "verify_url": verification_url(certificate),
            "certificate_url": site + reverse("program:certificate-pdf"),
        })  # fmt: skip
    return extras
