"""Comparing two names across scripts, with an explanation of every part.

A name is split into parts (words). Each part has the cross-script keys of
the search index (``nitka.normalise.names``): every official and common
romanisation of a Cyrillic word, the UA/RU equivalents of given names and
patronymics, ICU readings of other scripts, spelling folds. Two parts
compare as:

- ``exact``: the same word;
- ``script``: the same name in another script or romanisation
  (Олександр / Oleksandr / Aleksandr / Alexander);
- ``initial``: an initial and a word it begins (``O.`` / ``Oleksandr``);
- ``short``: a short form the other word begins (``Ben`` / ``Benjamin``);
- ``typo``: a few letters apart (``Jonson`` / ``Johnson``).

Parts are paired greedily, best pairs first. The score is the weighted share
of both names the pairs cover, leaning on the shorter name, so that a
missing middle name or patronymic costs little; a part left over on *both*
sides (a different surname, a different first name) is a conflict and costs
much. Particles (al, bin, van) and legal forms (LLC, JSC) weigh little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA
from rigour.names.org_types import replace_org_types_compare

from nitka.normalise.names import word_keys, words


class PartMatch(StrEnum):
    EXACT = "exact"
    SCRIPT = "script"
    INITIAL = "initial"
    SHORT = "short"
    TYPO = "typo"
    NONE = "none"


#: What each kind of part match is worth (a typo's worth depends on its distance).
WORTH = {
    PartMatch.EXACT: 1.0,
    PartMatch.SCRIPT: 1.0,
    PartMatch.INITIAL: 0.7,
    PartMatch.SHORT: 0.75,
}

PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "ud",
        "bin",
        "ibn",
        "bint",
        "abu",
        "bu",
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "di",
        "du",
        "la",
        "le",
        "dos",
        "das",
    ]
)
"""Words that join names rather than name anyone: they weigh little."""
LEGAL_FORMS = frozenset(
    [
        "llc",
        "jsc",
        "pjsc",
        "ojsc",
        "cjsc",
        "plc",
        "ltd",
        "limited",
        "inc",
        "co",
        "corp",
        "corporation",
        "company",
        "gmbh",
        "ag",
        "sa",
        "spa",
        "srl",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "llp",
        "lp",
        "ooo",
        "ao",
        "zao",
        "oao",
        "pao",
        "tov",
        "pp",
        "fop",
        "ood",
        "ead",
        "eood",
    ]
)
"""Legal forms (in the compare form rigour gives them): they weigh little."""
_LIGHT = 0.4
_SYLLABIC = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
"""Hangul, kana and Han characters."""
_SYLLABLE_WEIGHT = 2.0
_MAX_EDITS = 3
_SHORT_FORM = 4
"""Longest short form of a given name (Ben, Alex, Sasha is not one: it is a word of its own)."""
_MAX_WEIGHT = 8.0
_PAIR_FLOOR = 0.55
"""Below this a pair is no pair: both parts stay unmatched."""
_SHORT_SIDE = 0.7
"""How much the shorter name's coverage counts against the longer name's."""
_CONFLICT = 0.8
"""Score factor when both names keep a substantive part unmatched."""
_LINEAGE_SWAP = 0.6
"""Score factor when the same names stand in another order around bin/ibn."""
_LONE_PART = 0.6
"""Score cap when one name is a single substantive part and the other is not:
one word alone does not identify a person."""


@dataclass(frozen=True)
class Part:
    text: str
    keys: frozenset[str]
    weight: float
    key_lengths: tuple[int, int] = (0, 0)
    """The lengths of its shortest and its longest key."""
    sized: tuple[tuple[str, int], ...] = ()
    """Its keys with their lengths, as ``_best_typo`` measures them."""


def _part(text: str, keys: frozenset[str], weight: float) -> Part:
    lengths = [len(key) for key in keys]
    sized = tuple(zip(keys, lengths, strict=True))
    return Part(text, keys, weight, (min(lengths), max(lengths)), sized)


@dataclass(frozen=True)
class PartPair:
    left: str | None
    right: str | None
    how: PartMatch
    score: float

    def describe(self) -> str:
        if self.left is None:
            return f"- / {self.right}: only in the second name"
        if self.right is None:
            return f"{self.left} / -: only in the first name"
        return f"{self.left} / {self.right}: {self.how.value} ({self.score:.2f})"


@dataclass(frozen=True)
class NameComparison:
    """The score of two names in [0, 1], with how each part matched."""

    left: str
    right: str
    score: float
    pairs: list[PartPair] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def explain(self) -> list[str]:
        return [pair.describe() for pair in self.pairs] + self.notes


def name_parts(name: str) -> tuple[Part, ...]:
    """The parts of a name with their keys and weights; legal forms in one spelling."""
    return _prepared(name).parts


class _Prepared(NamedTuple):
    """A name's parts and what the score needs of them alone, worked out once per
    name: the linkage scores each name against a dozen others or more."""

    parts: tuple[Part, ...]
    weight: float
    """The parts' weights summed (by ``sum``, as the score always added them)."""
    lone: bool
    lineage: bool
    """Whether a part is a word of lineage (``LINEAGE``)."""


@lru_cache(maxsize=100_000)
def _prepared(name: str) -> _Prepared:
    text = replace_org_types_compare(name) if " " in name.strip() else name
    parts = []
    substantive = 0
    lineage = False
    for word in words(text):
        part = word_part(word)
        if part is not None:
            parts.append(part)
            substantive += part.weight > _LIGHT
            lineage = lineage or part.text in LINEAGE
    weight = sum(part.weight for part in parts)
    return _Prepared(tuple(parts), weight, substantive <= 1, lineage)


_known_keys: dict[str, frozenset[str]] = {}
"""Words' keys worked out by another process (``known_keys``)."""


def known_keys(found: dict[str, frozenset[str]]) -> None:
    """Take words' keys (``word_keys``) another process worked out, so as not to
    romanise those words again: the linkage prepares its records in two processes
    and scores their names in a third."""
    _known_keys.update(found)


def forget_known_keys() -> None:
    _known_keys.clear()


@lru_cache(maxsize=200_000)
def word_part(word: str) -> Part | None:
    """A normalised word as a name part, None if it has no keys (a lone symbol).

    A part's keys and weight depend on the word alone, so names that share a
    word share its part: a list of a million names has some tens of
    thousands of words.
    """
    keys = _known_keys.get(word)
    if keys is None:
        keys = word_keys(word)
    if not keys:
        return None
    light = word in PARTICLES or word in LEGAL_FORMS
    weight = _LIGHT if light else min(float(len(min(keys, key=len))), _MAX_WEIGHT)
    if _SYLLABIC.search(word):
        # A Chinese, Japanese or Korean name part is a syllable or two:
        # shared by millions, it says less than its romanisation's length.
        weight = min(weight, _SYLLABLE_WEIGHT)
    return _part(word, keys, max(weight, 1.0) if not light else weight)


_PAIR_CACHE = 200_000
_compared: dict[tuple[str, str], tuple[PartMatch, float]] = {}
"""How pairs of parts matched, by their texts (which decide their keys): a
check compares the same query words with many entries' words."""


def compare_parts(left: Part, right: Part) -> tuple[PartMatch, float]:
    """How two name parts match, and what that is worth."""
    pair = (left.text, right.text)
    found = _compared.get(pair)
    if found is None:
        if len(_compared) >= _PAIR_CACHE:
            _compared.clear()
        found = _compared[pair] = _compare_parts(left, right)
    return found


def _compare_parts(left: Part, right: Part) -> tuple[PartMatch, float]:
    if left.text == right.text:
        return PartMatch.EXACT, 1.0
    if not left.keys.isdisjoint(right.keys):
        return PartMatch.SCRIPT, 1.0
    short, long_ = (left, right) if len(left.text) <= len(right.text) else (right, left)
    if len(short.text) == 1:
        # An initial in either script: С. meets Sergey, S. meets Сергей.
        if long_.text[0] == short.text or any(
            key.startswith(initial) for key in long_.keys for initial in short.keys
        ):
            return PartMatch.INITIAL, WORTH[PartMatch.INITIAL]
        return PartMatch.NONE, 0.0
    (lshort, llong), (rshort, rlong) = left.key_lengths, right.key_lengths
    if lshort - rlong > _MAX_EDITS or rshort - llong > _MAX_EDITS or max(llong, rlong) < 3:
        best = 0.0  # every two keys are more edits apart than allowed, or too short
    else:
        best = _best_typo(left.sized, right.sized)
    if 3 <= len(short.text) <= _SHORT_FORM and any(
        key.startswith(other) for key in long_.keys for other in short.keys
    ):
        best = max(best, WORTH[PartMatch.SHORT])
        if best == WORTH[PartMatch.SHORT]:
            return PartMatch.SHORT, best
    if best > 0.0:
        return PartMatch.TYPO, best
    return PartMatch.NONE, 0.0


def _best_typo(lkeys: tuple[tuple[str, int], ...], rkeys: tuple[tuple[str, int], ...]) -> float:
    """Worth of the closest two keys a few edits apart: 1 edit in 5 letters is
    0.8, and so on; 0.0 when no two keys are that close. The keys come with
    their lengths (``Part.sized``).

    Two swapped letters count as one edit (``Schloz`` / ``Scholz``). Names have
    dozens of keys, so pairs that cannot beat the best found so far (keys
    further apart in length than that) are not measured.
    """
    best = 0.0
    distance_of = OSA.distance
    for a, la in lkeys:
        for b, lb in rkeys:
            longest, gap = (la, la - lb) if la >= lb else (lb, lb - la)
            # At most three edits are ever allowed, and no fewer than the gap.
            if gap > _MAX_EDITS or longest < 3 or 1.0 - gap / longest <= best:
                continue
            allowed = 1 if longest < 6 else 2 if longest < 12 else _MAX_EDITS
            distance = distance_of(a, b, score_cutoff=allowed)
            if distance <= allowed:
                score = 1.0 - distance / longest
                if score > best:
                    best = score
    return best


Span = tuple[int, ...]
"""Positions of the parts a pair covers: one part, or two written together."""
Candidate = tuple[float, float, int, Span, Span, PartMatch]
_JOIN_SLACK = 4
"""How many letters a key of two words written together may differ in length
from their two keys put end to end (folds at the seam, word-initial spellings)."""


def _candidates(lparts: tuple[Part, ...], rparts: tuple[Part, ...]) -> list[Candidate]:
    """Possible pairs of single parts, best first: by score, then weight, then
    closeness of position."""
    candidates: list[Candidate] = []
    compared = _compared
    for i, lp in enumerate(lparts):
        text, weight = lp.text, lp.weight
        for j, rp in enumerate(rparts):
            # ``compare_parts`` inlined for the pairs compared before (most).
            found = compared.get((text, rp.text)) or compare_parts(lp, rp)
            if found[1] >= _PAIR_FLOOR:
                candidates.append((found[1], weight + rp.weight, -abs(i - j), (i,), (j,), found[0]))
    candidates.sort(reverse=True)
    return candidates


def _joined_candidates(
    lparts: tuple[Part, ...],
    rparts: tuple[Part, ...],
    used_left: set[int],
    used_right: set[int],
) -> list[Candidate]:
    """Two parts left over on one side written as one word (Pricewaterhouse
    Coopers) that is a part left over on the other, best first.

    A joined word must be the same word as the other part (in any script),
    not a near one. Its keys are only worked out when the other part has keys
    of about the length of the two parts' keys together: most pairs of
    neighbours are never written as one word, and romanising them costs.
    """
    candidates: list[Candidate] = []
    for flipped, (joining, joining_used), (single, single_used) in (
        (False, (lparts, used_left), (rparts, used_right)),
        (True, (rparts, used_right), (lparts, used_left)),
    ):
        others = [(j, p, p.key_lengths) for j, p in enumerate(single) if j not in single_used]
        for i in range(len(joining) - 1):
            if i in joining_used or i + 1 in joining_used:
                continue
            a, b = joining[i], joining[i + 1]
            if len(a.text) < 2 or len(b.text) < 2:
                continue  # an initial is not half of a word
            (a_short, a_long), (b_short, b_long) = a.key_lengths, b.key_lengths
            low, high = a_short + b_short - _JOIN_SLACK, a_long + b_long + _JOIN_SLACK
            together: Part | None = None
            for j, p, (p_short, p_long) in others:
                if p_long < low or p_short > high:
                    continue
                if together is None:
                    keys = word_keys(a.text + b.text)
                    if not keys:
                        break
                    together = _part(a.text + " " + b.text, keys, a.weight + b.weight)
                how, score = compare_parts(together, p)
                if score < 1.0:
                    continue
                weight = together.weight + p.weight
                span, other = (i, i + 1), (j,)
                lspan, rspan = (other, span) if flipped else (span, other)
                candidates.append((score, weight, -abs(lspan[0] - rspan[0]), lspan, rspan, how))
    candidates.sort(reverse=True)
    return candidates


def compare_names(left: str, right: str) -> NameComparison:
    """Score two names in [0, 1]; 0.7 and above is a match by default."""
    score, pairs, notes = _compare_names(left, right, explain=True)
    return NameComparison(left, right, score, pairs, notes)


def name_score(left: str, right: str) -> float:
    """``compare_names(left, right).score``, without building its explanation.

    A check scores a few candidates and most are not hits: their
    explanations (each pair of parts described) would be thrown away.
    """
    return _compare_names(left, right, explain=False)[0]


def _compare_names(
    left: str, right: str, *, explain: bool
) -> tuple[float, list[PartPair], list[str]]:
    """The score of two names, and if ``explain``, how each part matched and notes."""
    lname, rname = _prepared(left), _prepared(right)
    lparts, rparts = lname.parts, rname.parts
    if not lparts or not rparts:
        return 0.0, [], ["a name has no letters to compare"]
    used_left: set[int] = set()
    used_right: set[int] = set()
    order: list[tuple[int, int]] = []
    pairs: list[PartPair] = []
    notes: list[str] = []
    only_begins = False
    """Whether a pair matched as an initial or a short form only."""
    left_covered = right_covered = 0.0
    # Single parts first; then parts written together (Pricewaterhouse Coopers)
    # for what is left, so that a join never displaces a part's own match.
    for joined in (False, True):
        if joined and (len(used_left) == len(lparts) or len(used_right) == len(rparts)):
            break  # one side is all paired: nothing is left to write together
        found = (
            _joined_candidates(lparts, rparts, used_left, used_right)
            if joined
            else _candidates(lparts, rparts)
        )
        for score, _, _, lspan, rspan, how in found:
            # A span is one part or two.
            if (
                lspan[0] in used_left
                or lspan[-1] in used_left
                or rspan[0] in used_right
                or rspan[-1] in used_right
            ):
                continue
            used_left.update(lspan)
            used_right.update(rspan)
            order.append((lspan[0], rspan[0]))
            if how is PartMatch.SHORT or how is PartMatch.INITIAL:
                only_begins = True
            if explain:
                ltext = " ".join(lparts[i].text for i in lspan)
                rtext = " ".join(rparts[j].text for j in rspan)
                pairs.append(PartPair(ltext, rtext, how, score))
            left_covered += score * _weight(lparts, lspan)
            right_covered += score * _weight(rparts, rspan)
    left_rest = [p for i, p in enumerate(lparts) if i not in used_left]
    right_rest = [p for j, p in enumerate(rparts) if j not in used_right]
    if explain:
        pairs += [PartPair(p.text, None, PartMatch.NONE, 0.0) for p in left_rest]
        pairs += [PartPair(None, p.text, PartMatch.NONE, 0.0) for p in right_rest]
    lweight, rweight = lname.weight, rname.weight
    left_share = left_covered / lweight
    right_share = right_covered / rweight
    short_share, long_share = (
        (left_share, right_share) if lweight <= rweight else (right_share, left_share)
    )
    score = _SHORT_SIDE * short_share + (1 - _SHORT_SIDE) * long_share
    left_more, right_more = _substantive(left_rest), _substantive(right_rest)
    if left_more and right_more:
        score *= _CONFLICT
        notes.append("both names have a part the other lacks: a conflict")
    if lname.lineage and rname.lineage and _lineage_swapped(lparts, rparts, order):
        score *= _LINEAGE_SWAP
        notes.append("the names stand in another order around 'bin' or 'ibn': another person")
    if lname.lone != rname.lone and (left_more or right_more):
        if score > _LONE_PART:
            notes.append("one name is a single word: not enough to identify anyone")
        score = min(score, _LONE_PART)
    elif lname.lone and only_begins:
        if score > _LONE_PART:
            notes.append("a single word that only begins the other is not enough")
        score = min(score, _LONE_PART)
    return round(min(score, 1.0), 4), pairs, notes


def _weight(parts: tuple[Part, ...], span: Span) -> float:
    """The weight of a span's parts, added as ``sum`` adds them."""
    if len(span) == 1:
        return parts[span[0]].weight
    return sum(parts[i].weight for i in span)


LINEAGE = frozenset({"bin", "ibn", "bint", "ould", "ben"})
"""Words that say "son/daughter of": around them, the order of the names matters."""


def _lineage_swapped(
    lparts: tuple[Part, ...], rparts: tuple[Part, ...], order: list[tuple[int, int]]
) -> bool:
    """Whether a name chain like "A bin B" meets "B bin A" (the father, not the son)."""
    if not any(p.text in LINEAGE for p in lparts) or not any(p.text in LINEAGE for p in rparts):
        return False
    substantive = sorted(
        (i, j) for i, j in order if lparts[i].weight > _LIGHT and rparts[j].weight > _LIGHT
    )
    rights = [j for _, j in substantive]
    return rights != sorted(rights)


def _substantive(parts: list[Part]) -> bool:
    return any(p.weight > _LIGHT for p in parts)


def _lone(parts: tuple[Part, ...]) -> bool:
    return sum(1 for p in parts if p.weight > _LIGHT) <= 1
