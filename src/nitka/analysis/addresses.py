"""Where an address is: its town or city, placed only where its country agrees.

A wrong place on a map is worse than none: an analyst trusts the pin. So an
address is read before it is looked up:

- It is cut into parts at commas, parentheses, semicolons and slashes, and
  each part into words.
- **Streets are not places.** The words of a street are set aside: after a
  marker written before the name (``ул.``, ``вул.``, ``пер.``, ``Б-Р``,
  ``ПР-КТ``, ``str.``, ``per.``), before a marker written after it
  (``Street``, ``St.``, ``Lane``, ``Avenue``, ``Pereulok``), and after a
  house number that opens a part (``272 Pushkinskaya``), so that
  ``Б-Р ЧЕРНОМОРСКИЙ`` is not Chornomorsk nor ``Pushkinskaya Street`` Pushkin.
  So are unit words (``Д.``, ``кв.``, ``Floor``, ``Room``) and regions
  (the word before ``region``, ``oblast``, ``Republic``: ``Leningrad region``
  is not Saint Petersburg).
- **Places** are the remaining words, one to four at a time, looked up in the
  gazetteer (``nitka.analysis.gazetteer``); a word after a settlement marker
  (``Г.``, ``м.``, ``с.``, ``city of``) or before one (``TOWN``, ``VILLAGE``)
  is the address's own place and outranks the rest.
- **Countries** are read from the text (``Russian Federation``, ``Російська
  Федерація``, ``RUSSIE``, a final ``RU``; ``USSR (now Kyrgyzstan)`` is
  Kyrgyzstan) and from the address's own country field. A place must be in
  one of them; a town below GeoNames' 15,000 people is placed only when its
  country is named.
- A name that several places share, none of them ten times as populous as
  the next, is **ambiguous**; an address that names several places
  (``Moscow or Ostrov``) is not placed either.

The answer is ``Placed`` (the place and how it was found) or ``NotPlaced``
with the reason, which the map shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from followthemoney import registry

from nitka.analysis.gazetteer import (
    LARGE,
    MAX_WORDS,
    Place,
    distinct,
    gazetteer,
    name_words,
    phrase_keys,
    same_place,
)

DOMINANT = 8
"""A place this many times as populous as any other of its name is the one meant
(London, England, not London, Ontario; Odesa, not Odessa, Texas), unless the
country says otherwise. Else a place whose own name it is (not a former or
foreign one) is meant: Kaliningrad, not Korolyov (Kaliningrad until 1996)."""
SHORTEST = 4
"""A shorter name (Osh, Ufa, Dar) is placed only where the country is named too."""

FORMER = {
    "suhh": (
        "am", "az", "by", "ee", "ge", "kg", "kz", "lt", "lv", "md", "ru", "tj", "tm", "ua", "uz",
    ),
    "cshh": ("cz", "sk"),
    "yucs": ("ba", "hr", "me", "mk", "rs", "si", "xk"),
    "dd": ("de",),
}  # fmt: skip
"""States that are no more, as the countries on their land (FtM's codes)."""


def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SEGMENTS = re.compile(r"[,;()\[\]{}\n|:]+|(?<!\d)/|/(?!\d)|\s-\s")
_TOKEN = re.compile(r"[\w'’ʼ`]+(?:-[\w'’ʼ`]+)*\.?")

STREET_BEFORE = _vocabulary("""
ул улица вул вулиця пер переулок пров провулок б-р бул бульв бульвар пр-кт пр-т просп проспект
пр пр-д проезд проїзд пл площадь площа наб набережная набережна ш шоссе шосе туп тупик узвіз
спуск линия мкр мкрн мікрорайон микрорайон квартал им ім имени імені ul ulitsa ulica vul
vulytsia vulitsa per pereulok prov provulok pr prospekt prosp pr-kt bulvar b-r proezd pl
ploshchad nab naberezhnaya shosse str rue via calle avenida av im
""")
"""Markers written before a street's name (and ``им.``, ``named after``)."""
STREET_AFTER = _vocabulary("""
street st str road rd lane ln avenue ave boulevard blvd drive dr way square sq passage highway
hwy terrace crescent close court ct embankment alley prospect prospekt prosp pr per pereulok
proezd ulitsa place plaza row parkway pkwy house lane улица переулок проспект бульвар проезд
шоссе площадь вулиця провулок площа
""")
"""Markers written after a street's name (or a building's: ``Romney House``)."""
UNIT = _vocabulary("""
flat apt apartment room rm office suite floor fl building bldg bld block blk unit entrance
etazh kom komnata pomeshch pomeshchenie kv kvartira d dom korp korpus k stroenie bud budynok
budova pov poverkh prim kimn kimnata box po p o a ya no nr number д дом кв корп корпус к стр
строение оф офис пом помещение эт этаж комн комната буд будинок будова пов поверх прим
приміщення кімн кімната а я літ лит
""")
REGION_AFTER = _vocabulary("""
region oblast obl krai kray republic assr ssr sfsr area district raion rayon province
governorate county okrug territory state prefecture voivodeship oblasti область обл край
республика республіка асср сср рсфср район р-н округ
""")
REGION_BEFORE = _vocabulary("""
respublika республика республіка okrug округ
""")
SETTLEMENT_BEFORE = _vocabulary("""
г гор город м місто с село смт пгт пос посёлок поселок селище сел х хутор ст-ца станица гр
град city town village gorod g selo pos posyolok settlement
""")
SETTLEMENT_AFTER = _vocabulary("""
city town village settlement selo township pgt smt stanitsa khutor aul
""")
NAME_PARTS = _vocabulary("""
st saint sankt san santa sao de del la le el al upon on am an der di da do dos das sur en na
nad pod
""")
"""Words that may stand inside a place's name (``St Petersburg``, ``Rostov-on-Don``)."""
STOP = (
    _vocabulary("""
of the and or now former formerly aka a.k.a renamed back to in near at from also known as и
или і й та або в у на бывш бывший колишній нині тепер сейчас ныне
""")
    | STREET_BEFORE
    | STREET_AFTER
    | UNIT
    | REGION_AFTER
    | SETTLEMENT_BEFORE
)
_FREE, _STREET, _REGION, _STOP, _NUMBER = range(5)
_WEAK, _PLAIN, _STRONG = range(3)


@dataclass(frozen=True)
class Placed:
    place: Place
    name: str
    """The words of the address that name the place."""
    how: str
    """``name`` (one place of that name), ``name and country`` (the country chose
    among several), ``largest`` (the most populous by far of its name), ``own name``
    (the one place whose own name it is)."""


@dataclass(frozen=True)
class NotPlaced:
    reason: str
    """``no place name``, ``not in gazetteer``, ``country disagrees``, ``ambiguous``,
    ``several places``."""
    detail: dict[str, str | int] = field(default_factory=dict)


Placement = Placed | NotPlaced


@dataclass
class _Token:
    text: str
    word: str
    kind: int = _FREE
    strength: int = _PLAIN


@dataclass
class _Match:
    name: str
    places: tuple[Place, ...]
    own: frozenset[str]
    """The places whose own name it is."""
    strength: int


def locate(text: str, countries: Iterable[str] = ()) -> Placement:
    """The place an address (or a place of birth) names, or why it has none.

    ``countries`` are the address's own country codes (its ``country`` field); the
    countries the text names are added to them."""
    segments = [_classify(seg) for seg in _segments(text)]
    named = _countries_in(segments, text)
    allowed = {c.lower().split("-")[0] for c in countries} | named
    matches, unknown = _matches(segments)
    return _decide(matches, unknown, allowed)


def _segments(text: str) -> list[list[_Token]]:
    found = []
    for part in _SEGMENTS.split(text):
        tokens = []
        for raw in _TOKEN.findall(part):
            word = raw.lower().rstrip(".")
            kind = _NUMBER if any(ch.isdigit() for ch in word) else _FREE
            tokens.append(_Token(raw, word, kind))
        if tokens:
            found.append(tokens)
    return found


def _classify(tokens: list[_Token]) -> list[_Token]:
    """Mark a part's street, unit, region and settlement words (see the module's text)."""
    for token in tokens:
        if token.kind == _NUMBER:
            continue
        if token.word in UNIT:
            token.kind = _STOP
        if token.word in STOP:
            token.kind = max(token.kind, _STOP)
    for i, token in enumerate(tokens):
        word = token.word
        after = word in STREET_AFTER and i > 0 and tokens[i - 1].kind == _FREE
        if after:
            j = i - 1
            while j >= 0 and tokens[j].kind == _FREE:
                tokens[j].kind = _STREET
                j -= 1
        if word in STREET_BEFORE and not after and i + 1 < len(tokens):
            j = i + 1
            while j < len(tokens) and tokens[j].kind == _NUMBER:
                j += 1
            while j < len(tokens) and tokens[j].kind == _FREE:
                tokens[j].kind = _STREET
                j += 1
        of = _next_word(tokens, i) == "of"
        if word in REGION_AFTER and not of and i > 0 and tokens[i - 1].kind == _FREE:
            tokens[i - 1].kind = _REGION
        if word in REGION_BEFORE or (word in REGION_AFTER and of):
            j = i + 1 + of
            if j < len(tokens) and tokens[j].kind == _FREE:
                tokens[j].kind = _REGION
        if word in SETTLEMENT_BEFORE and not (i > 0 and word in SETTLEMENT_AFTER):
            j = i + 1 + of
            while j < len(tokens) and tokens[j].kind == _FREE:
                tokens[j].strength = _STRONG
                j += 1
        if word in SETTLEMENT_AFTER and i > 0:
            j = i - 1
            while j >= 0 and tokens[j].kind == _FREE:
                tokens[j].strength = _STRONG
                j -= 1
    if tokens[0].kind == _NUMBER and re.match(r"\d{1,4}(?!\d)", tokens[0].word):
        # A house number opens the part: what follows is a street unless a
        # marker said otherwise (its words are only a weak hint of a place).
        for token in tokens[1:]:
            if token.kind != _FREE:
                break
            if token.strength == _PLAIN:
                token.strength = _WEAK
    return tokens


def _next_word(tokens: list[_Token], i: int) -> str:
    return tokens[i + 1].word if i + 1 < len(tokens) else ""


def _country_code(text: str) -> str | None:
    """FtM's code of a country's name (``ua-cri`` is ``ua``; ``suhh``, the USSR, stays)."""
    code = registry.country.clean(text)
    if code is None or code in FORMER:
        return code
    code = code.split("-")[0]
    return code if len(code) == 2 else None


def _countries_in(segments: list[list[_Token]], text: str) -> set[str]:
    """The countries the text names; a state that is no more gives way to the
    present countries named beside it (``USSR (now Ukraine)`` is Ukraine)."""
    index = gazetteer()
    found: set[str] = set()
    for tokens in segments:
        for start in range(len(tokens)):
            for end in range(start + 1, min(start + 4, len(tokens)) + 1):
                window = tokens[start:end]
                if any(t.kind == _NUMBER for t in window) or window[0].word in STOP:
                    continue
                phrase = " ".join(t.word for t in window)
                if len(phrase) < 4:
                    continue
                code = _country_code(phrase)
                if code is None:
                    continue
                if end - start == 1 and any(
                    place.country == code
                    for key in phrase_keys(name_words(phrase))
                    for place in index.lookup(key)
                ):
                    continue  # a city that FtM reads as its country (Moscow): the city decides
                found.add(code)
                for token in window:
                    if token.kind == _FREE:
                        token.kind = _STOP
    last = re.search(r"\b([A-Z]{2})\W*$", text)
    if last and registry.country.clean(last[1]) == last[1].lower():
        found.add(last[1].lower())
    present = {code for code in found if code not in FORMER}
    return present or {c for code in found for c in FORMER[code]}


def _matches(segments: list[list[_Token]]) -> tuple[list[_Match], list[str]]:
    """The longest runs of free words that name places; and the words after a
    settlement marker that name none (a village the gazetteer does not have)."""
    index = gazetteer()
    matches: list[_Match] = []
    unknown: list[str] = []
    for tokens in segments:
        i = 0
        while i < len(tokens):
            if not _may_start(tokens[i]):
                i += 1
                continue
            found = None
            for end in range(min(len(tokens), i + MAX_WORDS), i, -1):
                window = tokens[i:end]
                if not all(_may_continue(t) for t in window) or window[-1].kind != _FREE:
                    continue
                parts = [w for t in window for w in name_words(t.word)]
                if len(parts) > MAX_WORDS:
                    continue
                keys = phrase_keys(parts)
                places = {p for key in keys for p in index.lookup(key)}
                if places:
                    own = frozenset(p.id for p in places if index.own_keys[p.id] & set(keys))
                    strength = max(t.strength for t in window)
                    name = " ".join(t.text.rstrip(".") for t in window)
                    found = _Match(name, tuple(places), own, strength), end
                    break
            if found is not None:
                matches.append(found[0])
                i = found[1]
            else:
                if tokens[i].strength == _STRONG and tokens[i].kind == _FREE:
                    unknown.append(tokens[i].text.rstrip("."))
                i += 1
    return matches, unknown


def _may_start(token: _Token) -> bool:
    return token.kind == _FREE or (token.kind == _STOP and token.word in NAME_PARTS)


def _may_continue(token: _Token) -> bool:
    return token.kind == _FREE or token.word in NAME_PARTS


def _decide(matches: list[_Match], unknown: list[str], allowed: set[str]) -> Placement:
    disagreeing: list[tuple[str, Place]] = []
    for weak in (False, True):
        chosen: list[tuple[str, Place, str]] = []
        ambiguous: list[tuple[str, int]] = []
        for match in (m for m in matches if (m.strength == _WEAK) == weak):
            if len(match.name) < SHORTEST and not allowed:
                continue
            places = [p for p in match.places if p.population >= LARGE or p.country in allowed]
            if allowed:
                fitting = [p for p in places if p.country in allowed]
                disagreeing.extend((match.name, p) for p in distinct(places) if p not in fitting)
                places = fitting
            options = distinct(places)
            if len(options) == 1:
                how = "name and country" if len(distinct(match.places)) > 1 else "name"
                chosen.append((match.name, options[0], how))
            elif len(options) > 1:
                first, second = options[0], options[1]
                own = [p for p in options if p.id in match.own]
                if first.population >= DOMINANT * max(second.population, 1):
                    chosen.append((match.name, first, "largest"))
                elif len(own) == 1:
                    chosen.append((match.name, own[0], "own name"))
                else:
                    ambiguous.append((match.name, len(options)))
        if chosen:
            return _one_place(chosen)
        if ambiguous:
            name, count = ambiguous[0]
            return NotPlaced("ambiguous", {"name": name, "count": count})
    if disagreeing:
        name, place = disagreeing[0]
        return NotPlaced(
            "country disagrees",
            {"name": name, "country": place.country, "expected": ", ".join(sorted(allowed))},
        )
    if unknown:
        return NotPlaced("not in gazetteer", {"name": unknown[0]})
    return NotPlaced("no place name")


def _one_place(chosen: list[tuple[str, Place, str]]) -> Placement:
    """The place, when every name found is that place (``Sverdlovsk (Ekaterinburg)``,
    a city and its district); else the address names several places."""
    best = max(chosen, key=lambda c: c[1].population)
    others = [c for c in chosen if not same_place(c[1], best[1])]
    if others:
        names = list(dict.fromkeys(c[0] for c in chosen))
        return NotPlaced("several places", {"names": ", ".join(names), "count": len(names)})
    return Placed(best[1], best[0], best[2])
