"""Names lose control characters and bidi overrides, and keep every letter."""

import pytest

from expo.lib.text import text_plain


@pytest.mark.parametrize(("typed", "kept"), [
    ("Ana\r\nBcc: x@y.mx", "Ana Bcc: x@y.mx"),
    ("Ana\u202egnp.exe", "Anagnp.exe"),
    ("\u2066Luis\u2069 Pérez", "Luis Pérez"),
    ("Zoé\x00\x07 \t Łukasz", "Zoé Łukasz"),
    ("Nguyễn Thị Hương", "Nguyễn Thị Hương"),
    ("محمد\u200f علي", "محمد\u200f علي"),
    ("👩\u200d⚕️ Dra. Ruiz", "👩\u200d⚕️ Dra. Ruiz"),
])  # fmt: skip
def test_text_plain(typed, kept):
    assert text_plain(typed) == kept
