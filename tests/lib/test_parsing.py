"""Strict ids: non-ASCII digits, signs, huge numbers and NULs are not ids (they used to crash int())."""

import pytest

from expo.lib.parsing import id_parse, ids_parse
from expo.lib.signed_codes import InvalidSignedCode, signed_code_make, signed_code_read


@pytest.mark.parametrize("text", ["²", "١٢", "-1", "+1", " 1", "1_000", "0", "1" * 19, "1\x00", "", None, "1.0"])
def test_what_is_not_an_id(text):
    assert id_parse(text) is None


def test_ids_list_skips_what_is_not_an_id():
    assert id_parse("42") == 42
    assert ids_parse("1, 2,²,x,,3") == [1, 2, 3]


def test_signed_codes_refuse_non_ascii_digits_instead_of_crashing():
    """`²`.isdigit() is True and int("²") raised a ValueError past the InvalidSignedCode handlers (a 500)."""
    with pytest.raises(InvalidSignedCode):
        signed_code_read("EXPOT1.².1.AAAA", prefix="EXPOT1", key=b"k")
    code = signed_code_make(prefix="EXPOT1", key=b"k", first=3, second=4)
    assert signed_code_read(code, prefix="EXPOT1", key=b"k") == (3, 4)
