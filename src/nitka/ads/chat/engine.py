"""Which screening engine the chatbot asks (the one place to wire it)."""

from __future__ import annotations

from nitka.ads.chat.verdicts import Describe, Screen, VerdictLike


def chat_engine() -> tuple[Screen, Describe]:
    """The screening engine (``nitka.ads.verdict.screen_ad``, imported on first use:
    it loads its dictionaries and trains then) and its indicators' descriptions."""
    from nitka.ads.indicators import describe
    from nitka.ads.verdict import screen_ad

    def screen(text: str) -> VerdictLike:
        return screen_ad(text)

    return screen, describe
