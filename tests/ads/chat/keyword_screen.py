"""A small real screen for the chatbot's tests: keywords per indicator in four
languages, in the shape of the engine's verdict (the engine itself is
``nitka.ads.verdict.screen_ad``, wired in by the application)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KEYWORDS = {
    "upfront_fee": ("fee", "pay for the visa", "оплата за візу", "предоплата", "такса"),
    "documents_retained": ("passport", "паспорт"),
    "debt_bondage": ("from your wages", "із зарплати", "из зарплаты", "от заплатата"),
    "adult_services_hint": ("hostess", "escort", "хостес", "эскорт", "ескорт"),
    "messenger_only": ("telegram", "viber", "whatsapp", "вайбер"),
    "no_requirements": ("no experience", "без досвіду", "без опыта", "без опит"),
    "targeted_young_women": ("girls", "дівчата", "девушки", "момичета"),
}
DESCRIPTIONS = {
    code: {"en": f"EN {code}", "uk": f"UK {code}", "ru": f"RU {code}", "bg": f"BG {code}"}
    for code in KEYWORDS
}


@dataclass(frozen=True)
class Hit:
    code: str
    spans: list[tuple[int, int]]
    words: list[str]


@dataclass(frozen=True)
class Verdict:
    risk: float
    label: str
    lang: str
    indicators: list[Hit] = field(default_factory=list)


def detect(text: str) -> str:
    if re.search(r"[іїєґ]", text, re.I):
        return "uk"
    if re.search(r"[ыэё]", text, re.I):
        return "ru"
    if re.search(r"[а-я]", text, re.I):
        return "bg" if re.search(r"ъ", text, re.I) else "ru"
    return "en" if re.search(r"[a-z]", text, re.I) else "und"


def keyword_screen(text: str) -> Verdict:
    lowered = text.lower()
    hits = []
    for code, words in KEYWORDS.items():
        spans = [(m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), lowered)]
        if spans:
            hits.append(Hit(code, spans, [text[a:b] for a, b in spans]))
    risk = min(1.0, 0.3 * len(hits))
    return Verdict(risk, "risky" if risk >= 0.5 else "benign", detect(text), hits)


def describe(code: str, lang: str) -> str:
    return DESCRIPTIONS.get(code, {}).get(lang) or code
