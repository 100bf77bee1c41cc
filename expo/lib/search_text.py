"""Accent- and case-insensitive search text: one normalization for what is stored and what is typed.

"Regulación", "REGULACION" and "regulacion" all become "regulacion". Apps keep a normalized copy of
what a thing is found by (sessions, exhibitors) and normalize the query the same way; each word of
the query must then appear. The same code runs on SQLite and PostgreSQL, with no database extension
(PostgreSQL's `unaccent` needs one; SQLite has none). Pure module: no Django.
"""

import unicodedata

MAX_WORDS = 8


def normalize(text: str) -> str:
    """Lower case, accents and other marks removed, spaces collapsed: "Señal  ÓPTICA" -> "senal optica"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def query_words(query: str, *, limit: int = MAX_WORDS) -> list[str]:
    """The normalized words of a search, without punctuation or repeats, at most `limit` (a pasted
    paragraph does not become 200 LIKEs)."""
    words = []
    for word in normalize(query).split():
        word = word.strip(".,;:()\"'¿?¡!")
        if word and word not in words:
            words.append(word)
    return words[:limit]
