"""Accent- and case-insensitive search text: one normalization for what is stored and what is typed.

"Regulación", "REGULACION" and "regulacion" all become "regulacion". Sessions keep their searchable
text (title, abstract, speakers and their affiliations, track names in both languages) normalized in
`Session.search_text`, written by the services whenever any of it changes; a query is normalized the
same way and each of its words must appear. This works the same on SQLite and PostgreSQL, with no
database extension (PostgreSQL's `unaccent` needs one, and SQLite has none), and a search reads one
column of one table instead of joining speakers and tracks. Pure module: no Django.
"""

from expo.lib.search_text import normalize, query_words

__all__ = ["normalize", "query_words", "session_search_text"]


def session_search_text(*, title: str, abstract: str, speakers: list[tuple[str, str]], tracks: list[str]) -> str:
    """What a session is found by: its title, abstract, speakers (name, affiliation) and track names."""
    parts = [title, abstract, *(f"{name} {affiliation}" for name, affiliation in speakers), *tracks]
    return normalize(" ".join(part for part in parts if part))
