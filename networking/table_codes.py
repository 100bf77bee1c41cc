"""Signed table codes: what the QR on a B2B meeting table holds.

A code is `EXPOT1.<event id>.<table id>.<signature>`: the same scheme as the badges (expo/badges.py),
an HMAC-SHA256 under a key derived from SECRET_KEY, truncated to 128 bits and base32-encoded, with
its own prefix so that a badge can never pass for a table. A forged or altered code fails.

Pure module: no Django import; the key is passed in (see `table_key()` in networking.services).
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass

PREFIX = "EXPOT1"


class InvalidTableCode(ValueError):
    """The code is not one this platform signed for a table."""


@dataclass(frozen=True)
class TablePayload:
    event_id: int
    table_id: int


def _signature(key: bytes, event_id: int, table_id: int) -> str:
    digest = hmac.new(key, f"{PREFIX}.{event_id}.{table_id}".encode(), hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode().rstrip("=")


def table_code_make(*, key: bytes, event_id: int, table_id: int) -> str:
    return f"{PREFIX}.{event_id}.{table_id}.{_signature(key, event_id, table_id)}"


def table_code_read(code: str, *, key: bytes) -> TablePayload:
    """Verify a scanned code and return what it says; raise InvalidTableCode when it is not genuine."""
    parts = code.strip().upper().split(".")
    if len(parts) != 4 or parts[0] != PREFIX or not parts[1].isdigit() or not parts[2].isdigit():
        raise InvalidTableCode("not a table code")
    event_id, table_id = int(parts[1]), int(parts[2])
    if not hmac.compare_digest(parts[3], _signature(key, event_id, table_id)):
        raise InvalidTableCode("bad signature")
    return TablePayload(event_id=event_id, table_id=table_id)
