"""What B2B emails need when they are sent: the registration's context (person, edition, sign-in
link) plus the links of the B2B pages. Registered with the outbox for templates under `networking/`."""

from django.conf import settings
from django.urls import reverse

from expo.mail.models import OutboxEmail
from expo.mail.rendering import Extras
from expo.registration.emails import registration_email_context

from .models import Profile


def networking_email_context(email: OutboxEmail, context: dict) -> Extras:
    extras = registration_email_context(email, context)
    extras.context.update({
        "b2b_url": settings.SITE_URL + reverse("networking:home"),
        "agenda_url": settings.SITE_URL + reverse("networking:agenda"),
        "requests_url": settings.SITE_URL + reverse("networking:requests"),
    })  # fmt: skip
    if email.template == "networking/email/meeting_reminder":
        extras.context["items"] = _day_agenda(context.get("profile_id"), context.get("day"))
    return extras


def _day_agenda(profile_id, day: str) -> list:
    """The participant's published meetings of that day, for the reminder (read when it is sent)."""
    from datetime import date

    from django.utils import timezone

    from .models import Meeting
    from .selectors import agenda

    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is None or not day:
        return []
    when = date.fromisoformat(day)
    return [
        item for item in agenda(profile=profile)
        if item.meeting.status == Meeting.Status.PUBLISHED and timezone.localdate(item.meeting.slot.start) == when
    ]  # fmt: skip
