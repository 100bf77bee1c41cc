"""Strict parsing of ids and numbers that come from URLs, forms and scanned codes.

`str.isdigit()` is True for `²` and other non-ASCII digits that `int()` then refuses (a 500), and
`int()` accepts `" 1_000 "` and numbers of any size. These helpers take plain ASCII digits of a
sane length only, and answer None (or skip the item) for anything else. `IdConverter` is the same
rule for ids in URL paths (`<id:session_id>`).
"""

import re

_ID = re.compile(r"[0-9]{1,18}")  # fits a 64-bit database id


def id_parse(value) -> int | None:
    """A positive database id written in ASCII digits, or None."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if number > 0 else None


def ids_parse(value: str, *, limit: int = 10_000) -> list[int]:
    """Comma-separated ids (`1,2, 3`); items that are not ids are skipped; at most `limit` of them."""
    ids = (id_parse(item.strip()) for item in (value or "").split(",")[:limit])
    return [number for number in ids if number is not None]


class IdConverter:
    """`<id:name>` in URL patterns: 1 to 18 ASCII digits, so a database id always fits 64 bits.

    Django's `<int:...>` takes digits of any length; 20 of them reached the database, which answered
    500 (SQLite: "Python int too large to convert to SQLite INTEGER"). Longer numbers now match no
    pattern: a 404, like any id that does not exist. Registered by the event core's AppConfig.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
