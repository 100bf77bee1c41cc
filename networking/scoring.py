"""How much two B2B participants are worth meeting, and why: a pure module (no Django).

`pair_score(me, other)` looks at plain data (`Party`) and returns a `Score`: a number (0 means
"not a candidate") and the reasons behind it as codes with parameters, written from `me`'s point
of view, so that the pages can say "they need precision machining, which you offer" in the
reader's language (see networking/reasons.py). The number is symmetric: score(a, b) == score(b, a),
so the scheduler can use it as the weight of the pair.

What counts, in points:
- role compatibility: buyers and sellers along the medical-device value chain (hospital with
  manufacturer or distributor, manufacturer with supplier...), from ROLE_POINTS;
- offers against needs, both ways: each term one side needs and the other offers;
- shared certifications (ISO 13485, FDA, COFEPRIS...), a few points each, capped;
- same state (the clusters of Baja California, Jalisco, Nuevo León...);
- an SME with a large company: what supplier-development programs want.
A pair with neither compatible roles nor a matching offer scores 0; so does a pair from the same
organization. A pair with no language in common keeps half its score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Points for a pair of roles (unordered). Pairs not listed have nothing obvious to trade.
ROLE_POINTS: dict[frozenset[str], float] = {
    frozenset({"manufacturer", "supplier"}): 30,
    frozenset({"hospital", "manufacturer"}): 30,
    frozenset({"hospital", "distributor"}): 30,
    frozenset({"manufacturer", "distributor"}): 25,
    frozenset({"manufacturer", "service_provider"}): 20,
    frozenset({"hospital", "service_provider"}): 15,
    frozenset({"distributor", "supplier"}): 10,
    frozenset({"supplier", "service_provider"}): 10,
    frozenset({"academia", "manufacturer"}): 15,
    frozenset({"academia", "hospital"}): 10,
    frozenset({"government", "manufacturer"}): 10,
    frozenset({"government", "hospital"}): 10,
    frozenset({"manufacturer"}): 10,  # contract manufacturing between manufacturers
}
NEED_POINTS = 15.0  # per term one side needs and the other offers
NEED_TERMS_MAX = 3  # counted per direction
CERT_POINTS = 4.0
CERT_MAX = 3
SAME_STATE_POINTS = 8.0
SME_LARGE_POINTS = 12.0
NO_COMMON_LANGUAGE_FACTOR = 0.5


@dataclass(frozen=True)
class Party:
    """What the scoring knows of a participant: ids and term ids only."""

    id: int
    role: str
    organization: str | None = None  # a key; two parties with the same key are colleagues
    size: str | None = None  # "sme", "large" or None (unknown)
    state: int | None = None
    offers: frozenset[int] = field(default_factory=frozenset)
    needs: frozenset[int] = field(default_factory=frozenset)
    certifications: frozenset[int] = field(default_factory=frozenset)
    languages: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Score:
    value: float
    reasons: tuple[Reason, ...] = ()

    def __bool__(self) -> bool:
        return self.value > 0


NO_SCORE = Score(0.0)


def pair_score(me: Party, other: Party) -> Score:
    """The worth of a meeting between `me` and `other`, with reasons from `me`'s point of view."""
    if me.id == other.id or (me.organization is not None and me.organization == other.organization):
        return NO_SCORE
    value = 0.0
    reasons: list[Reason] = []
    role_points = ROLE_POINTS.get(frozenset({me.role, other.role}), 0.0)
    they_offer = sorted(me.needs & other.offers)[:NEED_TERMS_MAX]
    you_offer = sorted(other.needs & me.offers)[:NEED_TERMS_MAX]
    if not role_points and not they_offer and not you_offer:
        return NO_SCORE
    if role_points:
        value += role_points
        reasons.append(Reason("roles", {"mine": me.role, "theirs": other.role}))
    if they_offer:
        value += NEED_POINTS * len(they_offer)
        reasons.append(Reason("they_offer", {"terms": they_offer}))
    if you_offer:
        value += NEED_POINTS * len(you_offer)
        reasons.append(Reason("you_offer", {"terms": you_offer}))
    shared = sorted(me.certifications & other.certifications)[:CERT_MAX]
    if shared:
        value += CERT_POINTS * len(shared)
        reasons.append(Reason("both_certified", {"terms": shared}))
    if me.state is not None and me.state == other.state:
        value += SAME_STATE_POINTS
        reasons.append(Reason("same_state", {"term": me.state}))
    if {me.size, other.size} == {"sme", "large"}:
        value += SME_LARGE_POINTS
        reasons.append(Reason("sme_large", {"i_am_sme": me.size == "sme"}))
    if me.languages and other.languages and not (me.languages & other.languages):
        value *= NO_COMMON_LANGUAGE_FACTOR
        reasons.append(Reason("no_common_language"))
    return Score(round(value, 1), tuple(reasons))


def rank(me: Party, others: list[Party], *, limit: int | None = None) -> list[tuple[Party, Score]]:
    """Candidates for `me`, best first (ties by id, so the order is stable); zero scores left out."""
    scored = [(other, pair_score(me, other)) for other in others]
    scored = [(other, score) for other, score in scored if score]
    scored.sort(key=lambda item: (-item[1].value, item[0].id))
    return scored[:limit] if limit is not None else scored
