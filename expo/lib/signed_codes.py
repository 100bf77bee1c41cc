"""Signed codes for QR: `<PREFIX>.<first id>.<second id>.<signature>`, shared by badges and tables.

The signature is an HMAC-SHA256 of the rest under a key derived from SECRET_KEY, truncated to 128
bits and base32-encoded (uppercase, so scanners that change case still read it). A code cannot be
guessed from its ids, and an altered or forged one fails. Each kind has its own prefix, so a code of
one kind never passes for another. Pure module: no Django import; keys are passed in.
"""

import base64
import hashlib
import hmac

from .parsing import id_parse


class InvalidSignedCode(ValueError):
    """The code is not one this platform signed with this prefix and key."""


def _signature(key: bytes, prefix: str, first: int, second: int) -> str:
    digest = hmac.new(key, f"{prefix}.{first}.{second}".encode(), hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode().rstrip("=")


def signed_code_make(*, prefix: str, key: bytes, first: int, second: int) -> str:
    return f"{prefix}.{first}.{second}.{_signature(key, prefix, first, second)}"


def signed_code_read(code: str, *, prefix: str, key: bytes) -> tuple[int, int]:
    """Verify a scanned code and return its two ids; raise InvalidSignedCode when it is not genuine."""
    parts = code.strip().upper().split(".")
    first, second = (id_parse(parts[1]), id_parse(parts[2])) if len(parts) == 4 else (None, None)
    if parts[0] != prefix or first is None or second is None:
        raise InvalidSignedCode(f"not a {prefix} code")
    if not hmac.compare_digest(parts[3], _signature(key, prefix, first, second)):
        raise InvalidSignedCode("bad signature")
    return first, second
