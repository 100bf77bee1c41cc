"""Signed badge codes: what the QR on a badge holds, and the short code printed under it.

A code is `EXPO2.<edition id>.<registration id>.<key number>.<signature>`: an Ed25519 signature
(64 bytes, base32 without padding, 103 characters) of the part before it. Every character is in
the QR alphanumeric set (digits, A-Z, "."), so the code fits a version 5-6 QR at level M (figures
in the README). Each edition has its own key pairs (`BadgeKey`): the private key stays on the
server (encrypted at rest with a key derived from SECRET_KEY); doors get the public keys only, so
a door device verifies badges offline (WebCrypto Ed25519 in checkin.js) without being able to
issue one. Keys rotate: a new key signs from then on, older ones keep verifying the badges already
printed until an organizer retires them.

The short code is the registration's `badge_code` (12 characters, no 0/O/1/I), printed under the
QR as ABCD-EFGH-JKLM for door staff to type when a phone or a print cannot be read. It is only
checked online, against the database.

The first half of this module is pure (no database): `badge_code_make`, `badge_code_parse`,
`badge_signature_valid`. `attendee_badge_code` is the one writer of codes and
`selectors.badge_holder` the one reader.
"""

import base64
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .models import BadgeKey

PREFIX = "EXPO2"
SIGNATURE_LENGTH = 103  # base32 characters of a 64-byte signature, padding dropped
_CODE = re.compile(r"EXPO2\.([0-9]{1,18})\.([0-9]{1,18})\.([0-9]{1,5})\.([A-Z2-7]{103})")
SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SHORT_CODE_LENGTH = 12


class InvalidBadge(ValueError):
    """The code is not one this platform signed for a badge."""


@dataclass(frozen=True)
class BadgePayload:
    event_id: int
    attendee_id: int
    key_number: int
    signed_part: bytes
    signature: bytes


def _b32encode(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=")


def _b32decode(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8))


def public_key_bytes(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def badge_code_make(*, private_key: Ed25519PrivateKey, key_number: int, event_id: int, attendee_id: int) -> str:
    signed = f"{PREFIX}.{event_id}.{attendee_id}.{key_number}"
    return f"{signed}.{_b32encode(private_key.sign(signed.encode()))}"


def badge_code_parse(code: str) -> BadgePayload:
    """Split a scanned code into what it says (not yet verified); InvalidBadge when it is not one.

    Scanners that change case or add spaces are tolerated; ids must be ASCII digits (`²` is not).
    """
    match = _CODE.fullmatch(code.strip().upper())
    if match is None:
        raise InvalidBadge("not an EXPO2 badge code")
    event_id, attendee_id, key_number, signature = match.groups()
    raw_signature = _b32decode(signature)
    if _b32encode(raw_signature) != signature:  # unused low bits set: one badge has one code
        raise InvalidBadge("not a canonical signature")
    return BadgePayload(
        event_id=int(event_id),
        attendee_id=int(attendee_id),
        key_number=int(key_number),
        signed_part=f"{PREFIX}.{event_id}.{attendee_id}.{key_number}".encode(),
        signature=raw_signature,
    )


def badge_signature_valid(payload: BadgePayload, public_key: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(payload.signature, payload.signed_part)
    except (InvalidSignature, ValueError):
        return False
    return True


def short_code_normalize(text: str) -> str | None:
    """A typed short code as stored (ABCDEFGHJKLM), or None when it cannot be one.

    Dashes and spaces are ignored and case does not matter, so `abcd-efgh-jklm` is accepted.
    """
    compact = re.sub(r"[\s\-]", "", text).upper()
    return compact if re.fullmatch(r"[A-Z0-9]{6,32}", compact) else None


def short_code_display(badge_code: str) -> str:
    """The short code as printed: groups of four joined by dashes."""
    return "-".join(badge_code[i : i + 4] for i in range(0, len(badge_code), 4))


# With the database: the edition's keys and the one writer of badge codes -------------------------


def attendee_badge_code(attendee, *, signing_key=None) -> str:
    """The signed code of a registration's badge, under its edition's current signing key.

    `signing_key` (a BadgeKey of the same edition) saves the lookup when many badges are drawn.
    """
    key = signing_key or BadgeKey.objects.signing_key(event_id=attendee.event_id)
    return badge_code_make(
        private_key=key.private_key(), key_number=key.number, event_id=attendee.event_id, attendee_id=attendee.pk
    )
