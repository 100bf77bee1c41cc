"""Plain text for names and short fields: no control characters, no bidirectional overrides.

A name with CR/LF breaks email headers, CSV rows and PDF badges; U+202E (RIGHT-TO-LEFT OVERRIDE)
and its kin make "Ana\u202egnp.exe" display as "Anaexe.png" on badges, lists and exports.
`text_plain` removes both, turns tabs and line breaks into spaces, and collapses runs of spaces.
Letters, accents, combining marks and joiners (needed by many scripts and by emoji) are kept.
"""

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates, and the Arabic letter mark. The plain LRM/RLM
# marks (U+200E/F) are kept: they cannot reorder text by themselves and Arabic or Hebrew names use them.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"))


def text_plain(value: str) -> str:
    """`value` without control characters or bidi overrides, on one line, trimmed."""
    if not value:
        return value
    value = value.translate(BIDI_CONTROLS)
    value = "".join(" " if char in "\t\r\n\v\f\x85\u2028\u2029" else char for char in value)
    value = "".join(char for char in value if unicodedata.category(char) != "Cc")
    return re.sub(r" {2,}", " ", value).strip()
