"""The Spanish catalogue is complete, and the compiled .mo that ships is the one of the .po."""

import ast
import gettext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "es_MX" / "LC_MESSAGES" / "django.po"


def read_po(path: Path) -> dict[str, str | list[str]]:
    """A small .po reader: msgid -> msgstr (or the list of plural forms), fuzzy entries flagged.

    An entry with a context (pgettext) is keyed "context\x04msgid", as gettext stores it."""
    entries, current, key, fuzzy = {}, {}, None, False

    def flush():
        if "msgid" in current and current["msgid"]:
            value = [current[k] for k in sorted(current) if k.startswith("msgstr[")] or current.get("msgstr", "")
            key = f"{current['msgctxt']}\x04{current['msgid']}" if "msgctxt" in current else current["msgid"]
            entries[key] = ("FUZZY", value) if fuzzy else value

    for line in path.read_text().splitlines() + [""]:
        if not line.strip():
            flush()
            current, key, fuzzy = {}, None, False
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _, literal = line.partition(" ")
            current[key] = ast.literal_eval(literal)
    return entries


def test_every_string_has_a_spanish_translation():
    entries = read_po(PO)
    untranslated = [
        msgid
        for msgid, value in entries.items()
        if isinstance(value, tuple) or value == "" or (isinstance(value, list) and "" in value)
    ]
    assert untranslated == [], "translate these in locale/es_MX/LC_MESSAGES/django.po, then `make messages`"


def test_compiled_catalogue_matches_the_po_file():
    with open(PO.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, value in read_po(PO).items():
        if isinstance(value, list):
            continue
        context, _, text = msgid.rpartition("\x04")
        found = compiled.pgettext(context, text) if context else compiled.gettext(msgid)
        assert found == value, f"{msgid!r}: run `make messages` to recompile"
