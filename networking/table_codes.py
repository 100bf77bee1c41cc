"""Signed table codes: what the QR on a B2B meeting table holds.

A code is `EXPOT1.<event id>.<table id>.<signature>`, the scheme of the badges
(expo/signed_codes.py) with its own prefix and key, so that a badge can never pass for a table.

`table_code_make` and `table_code_read` are pure: the key is passed in. `table_key()` derives the
key from SECRET_KEY and `table_code()` signs a table's code with it.
"""

from dataclasses import dataclass

from django.utils.crypto import salted_hmac

from expo.lib.signed_codes import InvalidSignedCode, signed_code_make, signed_code_read

PREFIX = "EXPOT1"


class InvalidTableCode(InvalidSignedCode):
    """The code is not one this platform signed for a table."""


@dataclass(frozen=True)
class TablePayload:
    event_id: int
    table_id: int


def table_code_make(*, key: bytes, event_id: int, table_id: int) -> str:
    return signed_code_make(prefix=PREFIX, key=key, first=event_id, second=table_id)


def table_code_read(code: str, *, key: bytes) -> TablePayload:
    """Verify a scanned code and return what it says; raise InvalidTableCode when it is not genuine."""
    try:
        event_id, table_id = signed_code_read(code, prefix=PREFIX, key=key)
    except InvalidSignedCode as error:
        raise InvalidTableCode(str(error)) from None
    return TablePayload(event_id=event_id, table_id=table_id)


def table_key() -> bytes:
    """The key that signs table codes, derived from SECRET_KEY."""
    return salted_hmac("expo.table", "table-signing-key").digest()


def table_code(table) -> str:
    """The signed code of a table (its space must be loaded or cheap to load)."""
    return table_code_make(key=table_key(), event_id=table.space.event_id, table_id=table.pk)
