"""Signed badge codes: what the QR on a badge holds.

A code is `EXPO1.<event id>.<attendee id>.<signature>`, where the signature is an HMAC-SHA256 of
the rest under a key derived from SECRET_KEY, truncated to 128 bits and base32-encoded. A code
cannot be guessed from an id, an altered or forged code fails verification, and a scanner that
holds the key can verify a badge with no database (offline), then sync the scans later.

Pure module: no Django import; the key is passed in (see `badge_key()` in expo.services).
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass

PREFIX = "EXPO1"


class InvalidBadge(ValueError):
    """The code is not one this platform signed."""


@dataclass(frozen=True)
class BadgePayload:
    event_id: int
    attendee_id: int


def _signature(key: bytes, event_id: int, attendee_id: int) -> str:
    digest = hmac.new(key, f"{PREFIX}.{event_id}.{attendee_id}".encode(), hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode().rstrip("=")


def badge_code_make(*, key: bytes, event_id: int, attendee_id: int) -> str:
    return f"{PREFIX}.{event_id}.{attendee_id}.{_signature(key, event_id, attendee_id)}"


def badge_code_read(code: str, *, key: bytes) -> BadgePayload:
    """Verify a scanned code and return what it says; raise InvalidBadge when it is not genuine."""
    parts = code.strip().upper().split(".")
    if len(parts) != 4 or parts[0] != PREFIX or not parts[1].isdigit() or not parts[2].isdigit():
        raise InvalidBadge("not a badge code")
    event_id, attendee_id = int(parts[1]), int(parts[2])
    if not hmac.compare_digest(parts[3], _signature(key, event_id, attendee_id)):
        raise InvalidBadge("bad signature")
    return BadgePayload(event_id=event_id, attendee_id=attendee_id)
