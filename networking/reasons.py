"""Reasons of a recommendation (codes from networking/scoring.py) as sentences in the reader's language."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .models import Profile
from .scoring import Reason

# A role as it reads after "they are" / "you are": English needs the article ("a distributor").
ROLE_PHRASES = {
    Profile.Role.MANUFACTURER: pgettext_lazy("they are ...", "a manufacturer"),
    Profile.Role.SUPPLIER: pgettext_lazy("they are ...", "a supplier"),
    Profile.Role.DISTRIBUTOR: pgettext_lazy("they are ...", "a distributor"),
    Profile.Role.HOSPITAL: pgettext_lazy("they are ...", "a hospital buyer"),
    Profile.Role.SERVICE_PROVIDER: pgettext_lazy("they are ...", "a service provider"),
    Profile.Role.ACADEMIA: pgettext_lazy("they are ...", "in academia"),
    Profile.Role.GOVERNMENT: pgettext_lazy("they are ...", "in government"),
}


def _role(role: str) -> str:
    return str(ROLE_PHRASES[role]) if role in ROLE_PHRASES else role


def _terms(ids, terms: dict) -> str:
    # Not django's get_text_list: its es_MX catalogue joins with "," and no space.
    names = [terms[i].name for i in ids if i in terms]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {_('and')} {names[-1]}"


def reason_text(reason: Reason, terms: dict) -> str:
    """One reason as a short phrase; `terms` maps term ids to Term objects."""
    p = reason.params
    if reason.code == "roles":
        return _("they are %(theirs)s, you are %(mine)s") % {"theirs": _role(p["theirs"]), "mine": _role(p["mine"])}
    if reason.code == "they_offer":
        return _("they offer %(terms)s, which you need") % {"terms": _terms(p["terms"], terms)}
    if reason.code == "you_offer":
        return _("they need %(terms)s, which you offer") % {"terms": _terms(p["terms"], terms)}
    if reason.code == "both_certified":
        return _("both %(terms)s certified") % {"terms": _terms(p["terms"], terms)}
    if reason.code == "same_state":
        state = terms.get(p["term"])
        return _("both in %(state)s") % {"state": state.name if state else "?"}
    if reason.code == "sme_large":
        return _("an SME with a large company, as supplier development programs seek")
    if reason.code == "no_common_language":
        return _("no language in common")
    return reason.code


def reasons_sentence(reasons, terms: dict) -> str:
    """All reasons in one sentence, most telling first: offers and needs, then the rest."""
    order = ["you_offer", "they_offer", "both_certified", "same_state", "sme_large", "roles", "no_common_language"]
    ranked = sorted(reasons, key=lambda r: order.index(r.code) if r.code in order else len(order))
    return capfirst("; ".join(reason_text(r, terms) for r in ranked)) + ("." if ranked else "")
