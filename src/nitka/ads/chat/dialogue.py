"""The one dialogue behind the Telegram bot and the web chat page.

A person pastes an offer, or answers four questions (country, who pays the
travel, who keeps the passport, what the job is); the answer is the verdict,
its reasons in the person's language (each indicator with the words of the
offer that showed it), advice, and the hotlines of the country concerned.

The engine is pure and synchronous: a ``Session`` (what the conversation
needs to remember, no text of it) and an ``Incoming`` message in, a ``Reply``
out. The bot and the page hold the sessions, send the replies, and count
each reply's ``Tally``; nothing here writes anything anywhere.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Final

from nitka.ads.chat import hotlines, texts
from nitka.ads.chat.inputs import MAX_CHARS, Prepared, prepare
from nitka.ads.chat.texts import say
from nitka.ads.chat.verdicts import Describe, Screen, VerdictLike, describe_by_code

log = logging.getLogger(__name__)

ANSWERED: Final = {
    ("travel", "wages"): "debt_bondage",
    ("travel", "fee"): "upfront_fee",
    ("passport", "employer"): "documents_retained",
}
"""Answers that are an indicator in themselves (ILO: debt bondage, recruitment fees,
retention of identity documents)."""
ANSWERED_RISK: Final = 0.8
"""The risk of an offer whose answers name one of ``ANSWERED``: any one of them is
a strong indicator of forced labour on its own."""
WORDS_SHOWN: Final = 3
WORD_CHARS: Final = 60
_CODE = re.compile(r"[a-z][a-z0-9_]{0,37}")
"""An indicator code as counted (bounded, so that a strange engine cannot write
anything else into the counts)."""

TRAVEL: Final = ("self", "free", "wages", "fee", "unknown")
PASSPORT: Final = ("self", "employer", "unknown")


class Step(Enum):
    IDLE = "idle"
    COUNTRY = "country"
    TRAVEL = "travel"
    PASSPORT = "passport"
    JOB = "job"


@dataclass(frozen=True, slots=True)
class Session:
    """What a conversation remembers: its language and the answers so far (codes
    from the buttons, never the person's own words)."""

    lang: str | None = None
    """Chosen by the person (``/lang``, a button, the page's choice)."""
    seen: str | None = None
    """The language the person last wrote in, as the engine detected it."""
    step: Step = Step.IDLE
    country: str | None = None
    travel: str | None = None
    passport: str | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    text: str | None = None
    """The message's text; None for a message that is no text (a photo, a sticker)."""
    choice: str | None = None
    """A button's data (``q``, ``hotlines``, ``restart``, ``lang:uk``, ``country:PL``, ...)."""
    hint: str | None = None
    """The client's language (Telegram's ``language_code``), used when nothing better says."""


@dataclass(frozen=True, slots=True)
class Choice:
    data: str
    label: str


Block = str | tuple[str, ...]
"""A paragraph, or a list of items."""


@dataclass(frozen=True, slots=True)
class Tally:
    """What one reply adds to the counts: no words of the conversation."""

    lang: str
    events: tuple[str, ...]
    """``offer``, ``questions``, ``risky``, ``benign``, ``unread``, ``failed``, ``help``."""
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    lang: str
    blocks: tuple[Block, ...]
    choices: tuple[Choice, ...] = ()
    tally: Tally | None = None
    label: str | None = None
    """``risky`` or ``benign`` when the reply is a verdict."""

    def plain(self) -> str:
        """The reply as plain text (Telegram: no markup, so nothing to escape)."""
        parts = [b if isinstance(b, str) else "\n".join(f"• {i}" for i in b) for b in self.blocks]
        return "\n\n".join(parts)


@dataclass
class Dialogue:
    screen: Screen
    describe: Describe = field(default=describe_by_code)

    def answer(self, session: Session, incoming: Incoming) -> tuple[Session, Reply]:
        """The reply to one message, and the session after it. Never raises for what
        a person sends; a failing engine is answered as such (and logged by type only)."""
        if session.lang is None and session.seen is None and texts.language(incoming.hint):
            session = replace(session, seen=texts.language(incoming.hint))
        lang = _lang(session, incoming)
        choice = incoming.choice
        text = incoming.text
        if choice is None and text is not None and text.startswith("/"):
            return self._command(session, text, lang)
        if choice is not None:
            return self._choice(session, choice, lang)
        if session.step is Step.JOB:
            return self._job(session, text, lang)
        if session.step in (Step.COUNTRY, Step.TRAVEL, Step.PASSPORT):
            return self._typed_answer(session, text, lang)
        return self._offer(session, text, lang)

    # The conversation's turns.

    def start(self, lang: str) -> Reply:
        blocks = (say("greeting", lang), say("privacy", lang))
        return Reply(lang, blocks, self._menu(lang), Tally(lang, ("start",)))

    def _command(self, session: Session, text: str, lang: str) -> tuple[Session, Reply]:
        name, _, rest = text[1:].partition(" ")
        name = name.split("@")[0].lower()
        if name == "start" or name == "cancel":
            return Session(lang=session.lang, seen=session.seen), self.start(lang)
        if name == "check":
            return self._choice(session, "q", lang)
        if name == "hotlines":
            return self._choice(session, "hotlines", lang)
        if name == "lang":
            return self._choice(session, f"lang:{rest.strip()[:8]}", lang)
        return session, Reply(lang, (say("help", lang),), self._menu(lang), Tally(lang, ("help",)))

    def _choice(self, session: Session, choice: str, lang: str) -> tuple[Session, Reply]:
        kind, _, value = choice.partition(":")
        if kind == "q":
            asked = Session(lang=session.lang, seen=session.seen, step=Step.COUNTRY)
            return asked, self._ask(asked, lang)
        if kind == "hotlines":
            blocks = (say("hotlines", lang), _hotline_items(None, lang), say("emergency", lang))
            return session, Reply(lang, blocks, self._menu(lang), Tally(lang, ("hotlines",)))
        if kind == "restart":
            return Session(lang=session.lang, seen=session.seen), self.start(lang)
        if kind == "lang":
            chosen = texts.language(value)
            if chosen is None:
                return session, Reply(lang, (say("help", lang),), self._language_choices())
            kept = replace(session, lang=chosen)
            return kept, Reply(chosen, (say("language_set", chosen),), self._menu(chosen))
        if kind == "country" and session.step is Step.COUNTRY:
            code = value if value in texts.countries() else None
            asked = replace(session, step=Step.TRAVEL, country=code)
            return asked, self._ask(asked, lang)
        if kind == "travel" and session.step is Step.TRAVEL and value in TRAVEL:
            asked = replace(session, step=Step.PASSPORT, travel=value)
            return asked, self._ask(asked, lang)
        if kind == "passport" and session.step is Step.PASSPORT and value in PASSPORT:
            asked = replace(session, step=Step.JOB, passport=value)
            return asked, self._ask(asked, lang)
        if session.step is not Step.IDLE:
            # A stale button (an earlier question's) or a forged one: ask again.
            return session, self._ask(session, lang)
        return session, self.start(lang)

    def _typed_answer(self, session: Session, text: str | None, lang: str) -> tuple[Session, Reply]:
        """A question with buttons answered in words: a country's name is taken, any
        other answer asks again."""
        if session.step is Step.COUNTRY and text:
            code = _country_named(text)
            asked = replace(session, step=Step.TRAVEL, country=code)
            return asked, self._ask(asked, lang)
        return session, self._ask(session, lang, say("pick", lang))

    def _ask(self, session: Session, lang: str, before: str | None = None) -> Reply:
        lead = (before,) if before else ()
        if session.step is Step.COUNTRY:
            choices = tuple(
                Choice(f"country:{code}", texts.country_name(code, lang))
                for code in texts.countries()
            )
            choices += (Choice("country:other", say("country_other", lang)),)
            return Reply(lang, (*lead, say("q_country", lang)), choices)
        if session.step is Step.TRAVEL:
            options = [Choice(f"travel:{v}", say(f"travel_{v}", lang)) for v in TRAVEL[:-1]]
            options.append(Choice("travel:unknown", say("unknown", lang)))
            return Reply(lang, (*lead, say("q_travel", lang)), tuple(options))
        if session.step is Step.PASSPORT:
            options = [Choice(f"passport:{v}", say(f"passport_{v}", lang)) for v in PASSPORT[:-1]]
            options.append(Choice("passport:unknown", say("unknown", lang)))
            return Reply(lang, (*lead, say("q_passport", lang)), tuple(options))
        return Reply(
            lang, (*lead, say("q_job", lang)), (Choice("restart", say("btn_again", lang)),)
        )

    def _offer(self, session: Session, text: str | None, lang: str) -> tuple[Session, Reply]:
        if text is None:
            return session, self._refusal(lang, "not_text")
        prepared = prepare(text)
        if prepared.problem is not None:
            return session, self._refusal(lang, prepared.problem.value)
        verdict = self._screened(prepared.text)
        if verdict is None:
            return session, self._refusal(lang, "failed")
        seen = texts.language(verdict.lang) or session.seen
        if session.lang is None and seen is not None:
            lang = seen
        reply = self._verdict(lang, verdict, (), None, prepared, "offer")
        return replace(session, seen=seen), reply

    def _job(self, session: Session, text: str | None, lang: str) -> tuple[Session, Reply]:
        if text is None:
            return session, self._ask(session, lang, say("not_text", lang))
        prepared = prepare(text, min_words=1)
        if prepared.problem is not None:
            return session, self._ask(session, lang, say(prepared.problem.value, lang))
        verdict = self._screened(prepared.text)
        if verdict is None:
            return session, self._refusal(lang, "failed")
        answered = tuple(
            code for key, code in ANSWERED.items() if getattr(session, key[0]) == key[1]
        )
        done = Session(lang=session.lang, seen=session.seen)
        return done, self._verdict(lang, verdict, answered, session.country, prepared, "questions")

    # Pieces of replies.

    def _screened(self, text: str) -> VerdictLike | None:
        try:
            return self.screen(text)
        except Exception as exc:  # the engine's failure must not end the conversation
            log.error("the screening engine failed: %s", type(exc).__name__)
            return None

    def _verdict(
        self,
        lang: str,
        verdict: VerdictLike,
        answered: Sequence[str],
        country: str | None,
        prepared: Prepared,
        event: str,
    ) -> Reply:
        risky = verdict.label == "risky" or bool(answered)
        label = "risky" if risky else "benign"
        reasons: list[str] = [
            f"{self.describe(c, lang)} ({say('you_said', lang)})" for c in answered
        ]
        codes: list[str] = list(answered)
        for hit in verdict.indicators:
            code = str(hit.code)
            if code in codes:
                continue
            codes.append(code)
            words = [w[:WORD_CHARS] for w in list(hit.words)[:WORDS_SHOWN] if w]
            quoted = ", ".join(f"“{w}”" for w in words)
            reasons.append(f"{self.describe(code, lang)}" + (f" ({quoted})" if quoted else ""))
        blocks: list[Block] = []
        if prepared.unreadable:
            blocks.append(say("unreadable", lang))
        if prepared.cut:
            blocks.append(say("cut", lang, n=f"{MAX_CHARS:,}"))
        blocks.append(say(label, lang))
        if reasons:
            blocks += [say("why" if risky else "to_check", lang), tuple(reasons)]
        blocks += [
            say(f"advice_{label}", lang),
            _hotline_items(country, lang),
            say("emergency", lang),
        ]
        counted = tuple(c for c in codes if _CODE.fullmatch(c))
        tally = Tally(lang, (event, label), counted)
        return Reply(lang, tuple(blocks), self._menu(lang), tally, label)

    def _refusal(self, lang: str, key: str) -> Reply:
        event = "failed" if key == "failed" else "unread"
        return Reply(lang, (say(key, lang),), self._menu(lang), Tally(lang, (event,)))

    def _menu(self, lang: str) -> tuple[Choice, ...]:
        return (
            Choice("q", say("btn_questions", lang)),
            Choice("hotlines", say("btn_hotlines", lang)),
            *self._language_choices(exclude=lang),
        )

    @staticmethod
    def _language_choices(exclude: str | None = None) -> tuple[Choice, ...]:
        return tuple(
            Choice(f"lang:{code}", texts.NAMES[code]) for code in texts.LANGUAGES if code != exclude
        )


def _lang(session: Session, incoming: Incoming) -> str:
    """The person's choice, else the language they wrote in, else their client's, else English."""
    return session.lang or session.seen or texts.language(incoming.hint) or texts.DEFAULT


def _hotline_items(country: str | None, lang: str) -> tuple[str, ...]:
    items = []
    for line in hotlines.lines_for(country, lang):
        number = f"{line.number} {say('also', lang)} {line.also}" if line.also else line.number
        items.append(f"{number}: {line.named(lang)} ({texts.country_name(line.country, lang)})")
    return tuple(items)


def _country_named(text: str) -> str | None:
    wanted = text.strip().casefold()[:60]
    for code, names in texts.countries().items():
        if wanted == code.casefold() or any(wanted == n.casefold() for n in names.values()):
            return code
    return None
