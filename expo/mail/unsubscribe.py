"""Unsubscribe links: a signed token that names an address, with no expiry (old emails keep working).

The token is the only credential: whoever has the link can unsubscribe that address from
non-essential email, and nothing else; it reveals the address to nobody who did not have the email.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "expo.mail.unsubscribe"


def unsubscribe_token(email: str) -> str:
    return signing.dumps(email.strip().lower(), salt=SALT, compress=True)


def unsubscribe_email(token: str) -> str | None:
    """The address a token names, or None when the token was altered."""
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None


def unsubscribe_url(email: str) -> str:
    return settings.SITE_URL + reverse("mail:unsubscribe", args=[unsubscribe_token(email)])
