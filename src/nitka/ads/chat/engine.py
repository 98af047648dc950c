"""Which screening engine the chatbot asks (the one place to wire it)."""

from __future__ import annotations

from nitka.ads.chat.verdicts import Describe, Screen, VerdictLike, describe_by_code


class NoEngineError(LookupError):
    """No screening engine is wired in: the chatbot says it cannot check now."""


def unwired(text: str) -> VerdictLike:
    raise NoEngineError("no screening engine is wired into the chatbot")


def chat_engine() -> tuple[Screen, Describe]:
    """The engine and its indicators' descriptions.

    Until ``nitka.ads.verdict.screen_ad`` and ``nitka.ads.indicators.describe``
    are wired in here, every offer is answered with "try again later" and the
    hotlines: never with a verdict no engine gave."""
    return unwired, describe_by_code
