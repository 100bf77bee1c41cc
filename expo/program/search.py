"""Accent- and case-insensitive search text: one normalization for what is stored and what is typed.

"Regulación", "REGULACION" and "regulacion" all become "regulacion". Sessions keep their searchable
text (title, abstract, speakers and their affiliations, track names in both languages) normalized in
`Session.search_text`, written by the services whenever any of it changes; a query is normalized the
same way and each of its words must appear. This works the same on SQLite and PostgreSQL, with no
database extension (PostgreSQL's `unaccent` needs one, and SQLite has none), and a search reads one
column of one table instead of joining speakers and tracks. Pure module: no Django.
"""

import unicodedata


def normalize(text: str) -> str:
    """Lower case, without accents or other marks, whitespace collapsed: "Señal  ÓPTICA" -> "senal optica"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def query_words(query: str, *, limit: int = 8) -> list[str]:
    """The normalized words of a search, at most `limit` (a pasted paragraph does not become 200 LIKEs)."""
    return normalize(query).split()[:limit]


def session_search_text(*, title: str, abstract: str, speakers: list[tuple[str, str]], tracks: list[str]) -> str:
    """What a session is found by: its title, abstract, speakers (name, affiliation) and track names."""
    parts = [title, abstract, *(f"{name} {affiliation}" for name, affiliation in speakers), *tracks]
    return normalize(" ".join(part for part in parts if part))
