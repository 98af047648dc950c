"""The dialogue: offers and questions answered in the person's language, with the
reasons, the advice and the hotlines of the country concerned; bad input answered."""

from __future__ import annotations

from datetime import date

import pytest

from nitka.ads.chat import hotlines
from nitka.ads.chat.dialogue import Dialogue, Incoming, Reply, Session, Step
from nitka.ads.chat.texts import LANGUAGES, messages, say
from tests.ads.chat.keyword_screen import describe, keyword_screen

RISKY_UK = (
    "Робота для дівчата без досвіду, хостес у Дубаї. Паспорт тримає агенція. Пишіть у вайбер."
)


def dialogue() -> Dialogue:
    return Dialogue(keyword_screen, describe)


def text_of(reply: Reply) -> str:
    return reply.plain()


def test_every_message_is_in_every_language_with_the_same_placeholders() -> None:
    for key, texts in messages().items():
        assert set(texts) == set(LANGUAGES), key
        assert len({t.count("{") for t in texts.values()}) == 1, key


def test_a_risky_offer_is_explained_in_its_language_with_the_words_and_hotlines() -> None:
    session, reply = dialogue().answer(Session(), Incoming(text=RISKY_UK, hint="en"))
    assert reply.lang == "uk" and session.seen == "uk"
    assert reply.label == "risky"
    body = text_of(reply)
    assert say("risky", "uk") in body
    assert "UK documents_retained (“Паспорт”)" in body
    assert "UK adult_services_hint (“хостес”)" in body
    assert "527 або 0 800 505 501" in body and "0 800 500 335" in body
    assert "0800 20 100" not in body  # Ukrainian: Ukraine's lines
    assert reply.tally is not None
    assert set(reply.tally.indicators) >= {"documents_retained", "adult_services_hint"}
    assert reply.tally.events == ("offer", "risky")


def test_a_benign_offer_is_not_called_safe_and_gets_advice() -> None:
    offer = "Seasonal fruit picking in Bulgaria, licensed agency, contract in English."
    _, reply = dialogue().answer(Session(), Incoming(text=offer))
    assert reply.label == "benign"
    assert say("benign", "en") in text_of(reply)
    assert say("advice_benign", "en") in text_of(reply)
    assert "0800 20 100" in text_of(reply) and "527" in text_of(reply)  # English: every line


def test_the_chosen_language_wins_over_the_texts() -> None:
    session, _ = dialogue().answer(Session(), Incoming(choice="lang:bg"))
    assert session.lang == "bg"
    _, reply = dialogue().answer(session, Incoming(text=RISKY_UK))
    assert reply.lang == "bg" and "BG documents_retained" in text_of(reply)
    assert "0800 20 100" in text_of(reply)


def test_the_clients_language_is_used_before_anything_is_written() -> None:
    _, reply = dialogue().answer(Session(), Incoming(text="/start", hint="ru-RU"))
    assert reply.lang == "ru" and say("greeting", "ru") in text_of(reply)
    _, reply = dialogue().answer(Session(), Incoming(text="/start", hint="de"))
    assert reply.lang == "en"


def test_the_questions_lead_to_a_verdict_from_the_answers() -> None:
    talk = dialogue()
    session, reply = talk.answer(Session(), Incoming(text="/check", hint="uk"))
    assert session.step is Step.COUNTRY and "country:PL" in [c.data for c in reply.choices]
    session, reply = talk.answer(session, Incoming(choice="country:BG"))
    assert session.step is Step.TRAVEL
    session, reply = talk.answer(session, Incoming(choice="travel:wages"))
    session, reply = talk.answer(session, Incoming(choice="passport:employer"))
    assert session.step is Step.JOB
    session, reply = talk.answer(session, Incoming(text="кухня"))
    assert session.step is Step.IDLE and session.country is None
    assert reply.label == "risky"
    body = text_of(reply)
    assert "UK debt_bondage (ви так відповіли)" in body
    assert "UK documents_retained (ви так відповіли)" in body
    assert "0800 20 100" in body and "527" in body  # Bulgaria asked about, Ukrainian asking
    assert reply.tally is not None and reply.tally.events == ("questions", "risky")


def test_a_country_typed_instead_of_pressed_is_taken() -> None:
    session, _ = dialogue().answer(Session(step=Step.COUNTRY), Incoming(text=" Польща "))
    assert session.country == "PL" and session.step is Step.TRAVEL


def test_an_answer_in_words_where_a_button_is_asked_asks_again() -> None:
    session = Session(step=Step.PASSPORT)
    after, reply = dialogue().answer(session, Incoming(text="hm"))
    assert after == session and say("pick", "en") in text_of(reply)


@pytest.mark.parametrize(
    ("sent", "key"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("hostess", "too_short"),
        ("😀😀🔥", "no_letters"),
        ("12 345 678", "no_letters"),
        ("\x00\x01\ufffd\ud800", "empty"),
    ],
)
def test_bad_input_gets_a_clear_answer(sent: str, key: str) -> None:
    _, reply = dialogue().answer(Session(), Incoming(text=sent))
    assert text_of(reply) == say(key, "en")
    assert reply.tally is not None and reply.tally.events == ("unread",)


def test_no_text_at_all_is_asked_for_as_text() -> None:
    _, reply = dialogue().answer(Session(), Incoming(text=None))
    assert text_of(reply) == say("not_text", "en")


def test_a_megabyte_is_cut_and_said_so() -> None:
    _, reply = dialogue().answer(Session(), Incoming(text="hostess job no experience " * 40_000))
    assert reply.label == "risky"
    assert say("cut", "en", n="20,000") in text_of(reply)


def test_bytes_that_were_not_text_are_dropped_and_said_so() -> None:
    broken = b"Hostess job, no experience, \xff\xfe passport kept".decode(
        "utf-8", "surrogateescape"
    )
    _, reply = dialogue().answer(Session(), Incoming(text=broken))
    assert say("unreadable", "en") in text_of(reply) and reply.label == "risky"


def test_a_failing_engine_is_answered_and_logged_without_the_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(text: str) -> object:
        raise RuntimeError(f"cannot screen {text}")

    talk = Dialogue(broken, describe)  # type: ignore[arg-type]
    _, reply = talk.answer(Session(), Incoming(text="a secret offer of work abroad"))
    assert text_of(reply) == say("failed", "en")
    assert "RuntimeError" in caplog.text and "secret" not in caplog.text


def test_stale_and_forged_buttons_ask_again_or_start() -> None:
    talk = dialogue()
    session = Session(step=Step.TRAVEL)
    after, reply = talk.answer(session, Incoming(choice="passport:self"))
    assert after == session and say("q_travel", "en") in text_of(reply)
    after, reply = talk.answer(Session(), Incoming(choice="travel:lots"))
    assert after == Session() and say("greeting", "en") in text_of(reply)
    after, reply = talk.answer(Session(), Incoming(choice="lang:xx"))
    assert after == Session()


def test_every_hotline_names_its_source_and_the_pages_it_was_checked_against() -> None:
    lines = [line for lines in hotlines.hotlines().values() for line in lines]
    assert {line.number for line in lines} >= {"527", "1547", "0 800 500 335", "0800 20 100"}
    for line in lines:
        assert line.source and line.source_url.startswith("https://")
        assert set(line.name) == set(LANGUAGES)
        assert line.checked and date.fromisoformat(line.checked)
        assert line.confirmed_by and all(u.startswith("https://") for u in line.confirmed_by)
    assert hotlines.unchecked() == []


def test_the_wired_engine_answers_with_its_verdict_and_its_descriptions() -> None:
    """``chat_engine``: the chatbot asks ``nitka.ads.verdict.screen_ad``, and the reasons
    are the indicators' own descriptions in the person's language."""
    from nitka.ads.chat.engine import chat_engine
    from nitka.ads.indicators import describe

    screen, described = chat_engine()
    offer = "Нужны девушки 18-25 для работы хостес в Дубае. Писать @vip_job_agent"
    _, reply = Dialogue(screen, described).answer(Session(), Incoming(text=offer))
    assert reply.lang == "ru" and reply.label == "risky"
    body = text_of(reply)
    assert describe("adult_services_hint", "ru") in body and "хостес" in body
    assert reply.tally is not None and "targeted_young_women" in reply.tally.indicators


def test_warming_the_engine_reads_an_offer_in_every_language_it_answers_in() -> None:
    from nitka.ads.chat.engine import warm
    from nitka.ads.language import detect

    asked: list[str] = []

    def screen(text: str) -> object:
        asked.append(text)
        return keyword_screen(text)

    warm(screen)  # type: ignore[arg-type]
    assert sorted(detect(text) for text in asked) == sorted(LANGUAGES)
