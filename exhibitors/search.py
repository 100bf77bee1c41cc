"""Accent- and case-insensitive matching for the exhibitor directory (pure: no Django).

Why a normalized text kept by the services, and not PostgreSQL's `unaccent`: the same code then runs
on SQLite (development, `make run`) and PostgreSQL; `unaccent` needs an extension that SQLite lacks,
and a fallback would mean two search behaviours to test. The services write, for each exhibitor,
its company name, products and booth in lower case without accents (`Exhibitor.search_text`), and
the query is normalized the same way; a plain `contains` then finds "imagenologia" in
"Imagenología". Taxonomy terms (categories, capabilities, certifications, states) are matched here
in Python against their names in both languages: there are a few hundred of them, organizers rename
them in the admin, and matching them at query time means a renamed term never leaves stale text.
"""

import unicodedata

MAX_WORDS = 8


def normalize(text: str) -> str:
    """Lower case, accents and other marks removed, spaces collapsed: "Imagenología " -> "imagenologia"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def query_words(query: str) -> list[str]:
    """The words of a search, normalized, without duplicates, at most MAX_WORDS."""
    words = []
    for word in normalize(query).split():
        word = word.strip(".,;:()\"'")
        if word and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def search_text(*parts: str) -> str:
    """The text an exhibitor is found by: every part normalized, one line."""
    return " | ".join(normalize(part) for part in parts if part)


def terms_matching(word: str, terms) -> set[int]:
    """Ids of the terms (objects with pk, name_es, name_en, slug) whose name in either language contains `word`."""
    return {
        term.pk
        for term in terms
        if word in normalize(term.name_es) or word in normalize(term.name_en) or word in term.slug.replace("-", " ")
    }
