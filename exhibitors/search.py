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

from expo.lib.search_text import MAX_WORDS, normalize, query_words

__all__ = ["MAX_WORDS", "normalize", "query_words", "search_text", "terms_matching"]


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
