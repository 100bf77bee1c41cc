"""What B2B emails need when they are sent: the registration's context (person, edition, sign-in
link) plus the links of the B2B pages. Registered with the outbox for templates under `networking/`."""

from django.conf import settings
from django.urls import reverse

from expo.mail.models import OutboxEmail
from expo.mail.rendering import Extras
from expo.registration.emails import registration_email_context


def networking_email_context(email: OutboxEmail, context: dict) -> Extras:
    extras = registration_email_context(email, context)
    extras.context.update({
        "b2b_url": settings.SITE_URL + reverse("networking:home"),
        "agenda_url": settings.SITE_URL + reverse("networking:agenda"),
        "requests_url": settings.SITE_URL + reverse("networking:requests"),
    })  # fmt: skip
    return extras
