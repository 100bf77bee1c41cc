"""The pure scoring of pairs: who is worth meeting, and the reasons given to each side."""

from networking.scoring import Party, pair_score, rank

MACHINING, MOLDING, IMAGING = 1, 2, 3
ISO13485, FDA = 10, 11
JALISCO, SONORA = 20, 21


def party(id, role, **kw):
    kw.setdefault("languages", frozenset({"es"}))
    for name in ("offers", "needs", "certifications", "languages"):
        kw[name] = frozenset(kw.get(name, ()))
    return Party(id=id, role=role, **kw)


def codes(score):
    return [r.code for r in score.reasons]


def test_manufacturer_who_needs_machining_scores_supplier_who_offers_it_with_reasons_both_ways():
    oem = party(1, "manufacturer", needs={MACHINING}, certifications={ISO13485}, state=JALISCO, size="large")
    sme = party(2, "supplier", offers={MACHINING, MOLDING}, certifications={ISO13485}, state=JALISCO, size="sme")
    mine, theirs = pair_score(oem, sme), pair_score(sme, oem)
    assert mine.value == theirs.value > 0
    assert {"they_offer", "both_certified", "same_state", "sme_large", "roles"} <= set(codes(mine))
    assert "you_offer" in codes(theirs) and "they_offer" not in codes(theirs)
    assert next(r for r in theirs.reasons if r.code == "you_offer").params["terms"] == [MACHINING]


def test_colleagues_and_oneself_are_never_candidates():
    a = party(1, "manufacturer", organization="o1", needs={MACHINING})
    b = party(2, "supplier", organization="o1", offers={MACHINING})
    assert pair_score(a, b).value == 0
    assert pair_score(a, a).value == 0


def test_roles_with_nothing_to_trade_and_no_matching_offer_score_zero():
    assert pair_score(party(1, "hospital"), party(2, "hospital")).value == 0
    assert pair_score(party(1, "supplier"), party(2, "supplier")).value == 0


def test_a_matching_offer_makes_a_pair_of_the_same_role_worth_meeting():
    assert pair_score(party(1, "supplier", needs={MOLDING}), party(2, "supplier", offers={MOLDING})).value > 0


def test_hospital_ranks_a_manufacturer_of_what_it_needs_above_a_distributor_of_nothing_it_needs():
    hospital = party(1, "hospital", needs={IMAGING})
    maker = party(2, "manufacturer", offers={IMAGING})
    distributor = party(3, "distributor")
    ranked = rank(hospital, [distributor, maker, party(4, "hospital")])
    assert [p.id for p, _ in ranked] == [2, 3]


def test_no_language_in_common_halves_the_score_and_says_so():
    a = party(1, "hospital", languages={"es"})
    b = party(2, "manufacturer", languages={"ja"})
    c = party(3, "manufacturer", languages={"es", "ja"})
    assert pair_score(a, b).value == pair_score(a, c).value / 2
    assert "no_common_language" in codes(pair_score(a, b))


def test_shared_certifications_and_same_state_add_points():
    base = pair_score(party(1, "hospital"), party(2, "manufacturer")).value
    richer = pair_score(
        party(1, "hospital", certifications={ISO13485, FDA}, state=SONORA),
        party(2, "manufacturer", certifications={ISO13485, FDA}, state=SONORA),
    ).value
    assert richer > base
