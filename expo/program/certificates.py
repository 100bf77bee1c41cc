"""Verification codes of certificates: `EXPOC1.<edition>.<certificate>.<signature>`.

The scheme of expo/lib/signed_codes.py (HMAC-SHA256, 128 bits, base32) under a key of its own,
derived from SECRET_KEY: a code cannot be made up from the ids, and an altered one fails, so the
public verification page tells a forged or altered code ("not genuine") from a real one.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from expo.lib.signed_codes import InvalidSignedCode, signed_code_make, signed_code_read

PREFIX = "EXPOC1"


def certificate_key() -> bytes:
    return salted_hmac("expo.certificate", "certificate-signing-key").digest()


def certificate_code(certificate) -> str:
    return signed_code_make(prefix=PREFIX, key=certificate_key(), first=certificate.event_id, second=certificate.pk)


def certificate_code_read(code: str) -> tuple[int, int] | None:
    """(edition id, certificate id) of a genuine code; None for a forged, altered or garbled one."""
    try:
        return signed_code_read(code[:80], prefix=PREFIX, key=certificate_key())
    except InvalidSignedCode:
        return None


def verification_url(certificate) -> str:
    """What the certificate's QR opens: the public verification page."""
    return settings.SITE_URL + reverse("program:certificate-verify", args=[certificate_code(certificate)])
