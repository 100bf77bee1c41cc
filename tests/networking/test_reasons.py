"""Reasons read as sentences in the reader's language."""

from types import SimpleNamespace

from django.utils import translation

from networking.reasons import reasons_sentence
from networking.scoring import Reason


def test_several_certifications_read_as_a_list():
    terms = {1: SimpleNamespace(name="ISO 13485"), 2: SimpleNamespace(name="ISO 9001"), 3: SimpleNamespace(name="CE")}
    reason = Reason("both_certified", {"terms": [1, 2, 3]})
    with translation.override("es-mx"):
        assert reasons_sentence([reason], terms) == "Ambos con certificación ISO 13485, ISO 9001 y CE."
    with translation.override("en"):
        assert reasons_sentence([reason], terms) == "Both ISO 13485, ISO 9001 and CE certified."


def test_roles_read_with_their_article_in_english_and_as_roles_in_spanish():
    reason = Reason("roles", {"theirs": "distributor", "mine": "academia"})
    with translation.override("en"):
        assert reasons_sentence([reason], {}) == "They are a distributor, you are in academia."
    with translation.override("es-mx"):
        assert reasons_sentence([reason], {}) == "Su rol: distribuidor; el tuyo: academia."
