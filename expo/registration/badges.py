"""Signed badge codes: what the QR on a badge holds.

A code is `EXPO1.<event id>.<attendee id>.<signature>` (the scheme of expo/lib/signed_codes.py). A
scanner that holds the key can verify a badge with no database (offline), then sync the scans later;
the check-in page does it in the browser with WebCrypto.

`badge_code_make` and `badge_code_read` are pure: the key is passed in. `badge_key()` derives the
key from SECRET_KEY and `attendee_badge_code()` signs a registration's code with it.
"""

from dataclasses import dataclass

from django.utils.crypto import salted_hmac

from expo.lib.signed_codes import InvalidSignedCode, signed_code_make, signed_code_read

PREFIX = "EXPO1"


class InvalidBadge(InvalidSignedCode):
    """The code is not one this platform signed for a badge."""


@dataclass(frozen=True)
class BadgePayload:
    event_id: int
    attendee_id: int


def badge_code_make(*, key: bytes, event_id: int, attendee_id: int) -> str:
    return signed_code_make(prefix=PREFIX, key=key, first=event_id, second=attendee_id)


def badge_code_read(code: str, *, key: bytes) -> BadgePayload:
    """Verify a scanned code and return what it says; raise InvalidBadge when it is not genuine."""
    try:
        event_id, attendee_id = signed_code_read(code, prefix=PREFIX, key=key)
    except InvalidSignedCode as error:
        raise InvalidBadge(str(error)) from None
    return BadgePayload(event_id=event_id, attendee_id=attendee_id)


def badge_key() -> bytes:
    """The key that signs badge codes, derived from SECRET_KEY (scanners that verify offline hold it)."""
    return salted_hmac("expo.badge", "badge-signing-key").digest()


def attendee_badge_code(attendee) -> str:
    return badge_code_make(key=badge_key(), event_id=attendee.event_id, attendee_id=attendee.pk)
