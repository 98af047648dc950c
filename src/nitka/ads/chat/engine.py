"""Which screening engine the chatbot asks (the one place to wire it)."""

from __future__ import annotations

from typing import Final

from nitka.ads.chat.verdicts import Describe, Screen, VerdictLike

WARM_UP: Final = {
    "uk": "Робота за кордоном без досвіду, житло безкоштовно.",
    "ru": "Работа за границей без опыта, жильё бесплатно.",
    "bg": "Работа в чужбина без опит, квартира безплатно.",
    "en": "Work abroad with no experience needed, free housing.",
}
"""One short offer per language the engine reads: screening each loads that
language's lemma dictionaries (seconds for Russian) and the classifier once, before
anyone waits for an answer."""


def chat_engine() -> tuple[Screen, Describe]:
    """The screening engine (``nitka.ads.verdict.screen_ad``, imported on first use:
    it loads its dictionaries and trains then) and its indicators' descriptions."""
    from nitka.ads.indicators import describe
    from nitka.ads.verdict import screen_ad

    def screen(text: str) -> VerdictLike:
        return screen_ad(text)

    return screen, describe


def warm(screen: Screen) -> None:
    """Screen one offer in each language, so that the first people to ask do not
    wait for the dictionaries to load."""
    for offer in WARM_UP.values():
        screen(offer)
