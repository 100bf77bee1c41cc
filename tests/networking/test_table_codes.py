"""Signed table codes: genuine codes read back, forged ones and badge codes do not."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from expo.registration.badges import badge_code_make
from networking.table_codes import InvalidTableCode, table_code_make, table_code_read

KEY = b"k" * 32


def test_a_table_code_reads_back_its_event_and_table():
    payload = table_code_read(table_code_make(key=KEY, event_id=3, table_id=42).lower(), key=KEY)
    assert (payload.event_id, payload.table_id) == (3, 42)


def test_an_altered_code_is_rejected():
    code = table_code_make(key=KEY, event_id=3, table_id=42)
    with pytest.raises(InvalidTableCode):
        table_code_read(code.replace(".42.", ".43."), key=KEY)
    with pytest.raises(InvalidTableCode):
        table_code_read(code, key=b"other" * 8)


def test_a_badge_code_is_not_a_table_code():
    with pytest.raises(InvalidTableCode):
        badge = badge_code_make(private_key=Ed25519PrivateKey.generate(), key_number=1, event_id=3, attendee_id=42)
        table_code_read(badge, key=KEY)
