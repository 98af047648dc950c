"""Weight profiles (shipped, a user's own, bad ones), scores explained term by term,
and how rankings change between profiles (Kendall's tau)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy.stats import kendalltau

from nitka.assess import profiles
from nitka.assess.profiles import ProfileError
from nitka.assess.scale import Attribute, Level
from nitka.assess.scoring import compare, kendall_tau, score

A = Attribute
H, M, L, N, U = Level.HIGH, Level.MEDIUM, Level.LOW, Level.NIL, Level.UNKNOWN
VIOLENT_LOCAL = {
    A.CORRUPTION: H,
    A.VIOLENCE: H,
    A.INTERNATIONAL: L,
    A.LEGAL_BUSINESS: L,
    A.MULTI_CRIME: N,
    A.MONEY_LAUNDERING: L,
    A.COUNTERMEASURES: L,
    A.SIZE: M,
}
BUSINESS_ABROAD = {
    A.CORRUPTION: L,
    A.VIOLENCE: N,
    A.INTERNATIONAL: H,
    A.LEGAL_BUSINESS: H,
    A.MULTI_CRIME: H,
    A.MONEY_LAUNDERING: H,
    A.COUNTERMEASURES: M,
    A.SIZE: L,
}
"""The documented example (docs/assess.md): a violent, corrupting local group against an
international one working through firms."""  # fmt: skip


def test_shipped_profiles_load_and_weigh_every_attribute() -> None:
    assert profiles.shipped_names() == ["sleipnir", "socta"]
    for name in profiles.shipped_names():
        found = profiles.load(name)
        assert set(found.weights) == set(Attribute) and all(w > 0 for w in found.weights.values())


def test_profiles_change_the_ranking_as_documented() -> None:
    groups = {"violent-local": VIOLENT_LOCAL, "business-abroad": BUSINESS_ABROAD}
    compared = compare(groups, [profiles.load("sleipnir"), profiles.load("socta")])
    assert [g for g, _ in compared.rankings["sleipnir"]] == ["violent-local", "business-abroad"]
    assert [g for g, _ in compared.rankings["socta"]] == ["business-abroad", "violent-local"]
    assert compared.taus == [("sleipnir", "socta", -1.0)]


def test_score_is_explained_term_by_term_and_unknown_adds_nothing() -> None:
    profile = profiles.parse({"name": "two", "weights": {"violence": 2, "size": 1}}, source="t")
    found = score({A.VIOLENCE: H, A.SIZE: U}, profile)
    terms = {t.attribute: t for t in found.terms}
    assert terms[A.VIOLENCE].explain() == "violence: high (3 points) x weight 2 = 6 of 6"
    assert terms[A.SIZE].explain() == "size: unknown x weight 1 = nothing (of 3)"
    assert (found.total, found.maximum, found.percent) == (6, 9, 66.67)
    assert found.known_weight == pytest.approx(2 / 3)
    assert terms[A.CORRUPTION].weight == 0  # left out of the profile: weighs nothing
    assert score({A.VIOLENCE: H, A.SIZE: U}, profile).as_dict() == found.as_dict()


def test_kendall_tau_agrees_with_scipy_with_ties() -> None:
    first = [3.0, 1.0, 2.0, 2.0, 5.0, 0.0]
    second = [2.0, 1.0, 2.0, 3.0, 4.0, 1.0]
    assert kendall_tau(first, second) == pytest.approx(kendalltau(first, second).statistic)
    assert kendall_tau([1.0, 1.0], [1.0, 2.0]) is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "x", "weights": {"charisma": 1}}, "weights.charisma"),
        ({"name": "x", "weights": {"violence": -1}}, "weights.violence"),
        ({"name": "x", "weights": {"violence": "much"}}, "weights.violence"),
        ({"name": "x", "weights": {"violence": 0}}, "weights"),
        ({"name": "x"}, "weights"),
        ({"weights": {"violence": 1}}, "name"),
        ({"name": "x", "weights": {"violence": 1}, "wieghts": {}}, "wieghts"),
        (["violence"], "profile"),
    ],
)
def test_a_bad_profile_names_the_field(data: object, field: str) -> None:
    with pytest.raises(ProfileError) as caught:
        profiles.parse(data, source="test")
    assert caught.value.field == field


def test_a_users_own_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yml"
    path.write_text("name: mine\nweights:\n  violence: 1\n  links: 2.5\n", encoding="utf-8")
    found = profiles.load(str(path))
    assert found.source == str(path) and found.weights[A.LINKS] == 2.5
    path.write_text("name: mine\nweights:\n  violense: 1\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="unknown attribute 'violense'"):
        profiles.load(str(path))
    with pytest.raises(ProfileError) as caught:
        profiles.load("nonesuch")
    assert caught.value.field == "profile"
