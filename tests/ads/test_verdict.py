"""``screen_ad``: the verdict's shape, its language, and bad input."""

from __future__ import annotations

import pytest

from nitka.ads.corpus import split
from nitka.ads.verdict import Verdict, screen_ad, screen_many
from nitka.errors import FieldError

RISKY = (
    "Робота у Чехії. Запрошуємо дівчат від 18 до 25 років. Надішліть фото в повний зріст. "
    "Квиток у борг, відпрацюєш на місці."
)
HONEST = (
    "Збір полуниці у Польщі. ТОВ «Захід-Кадри», ліцензія Мінекономіки № 1457 від 12.03.2021. "
    "Ставка 6 євро на годину нетто. Робоча віза та дозвіл на роботу за рахунок роботодавця. "
    "Резюме надсилайте на hr@zahid-kadry.ua або телефонуйте +380 32 245 11 22."
)


def test_a_risky_ad_names_indicators_with_their_words() -> None:
    verdict = screen_ad(RISKY)
    assert isinstance(verdict, Verdict)
    assert verdict.label == "risky" and 0.5 <= verdict.risk <= 1.0 and verdict.lang == "uk"
    worded = [h for h in verdict.indicators if h.words]
    assert {h.code for h in worded} >= {"debt_bondage", "targeted_young_women", "photo_required"}
    for hit in worded:
        assert [RISKY[a:b] for a, b in hit.spans] == hit.words


def test_a_licensed_agency_abroad_is_benign() -> None:
    verdict = screen_ad(HONEST)
    assert verdict.label == "benign" and verdict.risk < 0.5
    assert "employer_hidden" not in {h.code for h in verdict.indicators}


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Work in Poland, girls 18-25, hostess", "en"), ("Работа в Польше для девушек", "ru"),
     ("Работа в Полша за момичета, хостеса в нощен клуб", "bg"),
     ("Робота в Польщі для дівчат, хостес", "uk")],
)  # fmt: skip
def test_the_language_is_detected(text: str, lang: str) -> None:
    assert screen_ad(text).lang == lang


def test_a_given_language_is_checked() -> None:
    assert screen_ad(RISKY, lang="UK").lang == "uk"
    with pytest.raises(FieldError) as caught:
        screen_ad(RISKY, lang="de")
    assert caught.value.field == "lang"


@pytest.mark.parametrize(
    ("text", "note"),
    [("", "empty text"), ("   \n", "empty text"), ("😀🙈🔥", "no words to screen"),
     ("hostess", "short text"), ("x" * 1_000_000, "only the first"),
     ("ab\x00\x01cd " * 10, "control characters"),
     ("Ðàáîòà â Ïîëüøå äëÿ äåâóøåê, îïëàòà ïî ïðèåçäó " * 3, "wrongly decoded")],
)  # fmt: skip
def test_bad_input_gets_a_clear_answer(text: str, note: str) -> None:
    verdict = screen_ad(text)
    assert verdict.label == "benign" and 0.0 <= verdict.risk <= 1.0
    assert any(note in n for n in verdict.notes), verdict.notes


def test_bytes_are_read_as_utf8_with_bad_bytes_set_aside() -> None:
    verdict = screen_ad(b"\xff\xfe Work in Poland \xc3" + RISKY.encode())  # type: ignore[arg-type]
    assert verdict.label == "risky"
    assert any("undecodable" in n for n in verdict.notes)


def test_a_megabyte_is_screened_quickly_and_spans_stay_in_the_text() -> None:
    text = RISKY + " " + "Робота на складі. " * 60_000
    verdict = screen_ad(text)
    assert verdict.label == "risky"
    for hit in verdict.indicators:
        assert all(0 <= a < b <= len(text) for a, b in hit.spans)


def test_the_title_helps_and_screen_many_agrees_with_screen_ad() -> None:
    ads = [(ad.text, None, None) for ad in split("test")[:40]]
    many = screen_many(ads)
    assert [v.label for v in many] == [screen_ad(t).label for t, _, _ in ads]
    assert screen_ad("hostess VIP", title="Работа для красивых девушек").lang == "ru"
    assert screen_ad("hostess", title="😀 12").lang == "en"


def test_the_rules_alone_also_give_a_verdict() -> None:
    verdict = screen_ad(RISKY, classifier_on=False)
    assert verdict.label == "risky" and verdict.indicators


def test_one_ads_risk_in_plain_python_is_the_models_own() -> None:
    """``risk_of_one`` (the chatbot's path) against scikit-learn's ``risk`` over every
    labelled ad, with and without its findings, and an empty text."""
    from nitka.ads import classifier
    from nitka.ads.findings import findings

    model = classifier.shipped()
    ads = [ad.text for ad in split("train") + split("test")] + ["", "🙂"]
    for text in ads:
        hits = findings(text, None).hits
        for given in (hits, []):
            expected = model.risk([text], [given])[0]
            assert model.risk_of_one(text, given) == pytest.approx(expected, abs=1e-9)
