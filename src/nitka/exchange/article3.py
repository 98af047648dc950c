"""Automated checks before a request is sent or acted on: INTERPOL's Article 3 and
the conditions of a red notice.

Article 3 of INTERPOL's Constitution forbids "any intervention or activities of
a political, military, religious or racial character". Its Notices and
Diffusions Task Force reviews every request, first with automated checks;
these are ours. They flag, with reasons, for a legal review; they decide
nothing. A flagged message is sent or acted on only after a recorded legal
decision (``nitka.exchange.review``).

What is checked:

- the charges, in several languages, against offences that are political,
  military, religious or racial by their nature (insulting officials,
  unauthorised protest, extremism and separatism charges, desertion and
  draft evasion, apostasy and blasphemy, and the like), terrorism (reviewed
  case by case, by Article 3's predominance test), and matters that are no
  serious ordinary-law crime (behavioural or cultural norms, family or
  private matters, private or administrative disputes: RPD Art. 83(1)(a));
- for red notices (RPD Art. 83(1)(b) and 83(2)): a penalty of at least two
  years, or at least six months left to serve; a summary of the facts with
  their time and place;
- missing or inconsistent information: no charges or subject where a
  request needs them, subjects with birth dates that disagree;
- the subjects: refugee or asylum status; politicians, journalists,
  activists, religious leaders or opposition figures (FtM topics on the
  subject, in our store, or names on a configured list);
- the requesting country, against a configured review list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from nitka.exchange.kinds import Kind


@dataclass(frozen=True)
class Flag:
    rule: str
    """Which check: political, military, religious, racial, terrorism, not-ordinary-law,
    penalty, facts, missing, inconsistent, refugee, protected-person, review-country."""
    reason: str
    """Why, in words for the legal adviser: what matched, and where."""

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "reason": self.reason}


_W = r"\w*"
_CHARGE_RULES: dict[str, list[str]] = {
    "political": [
        r"\bpolitical\b",
        r"extremis",
        r"separatis",
        r"sedit",
        r"sedicion",
        r"treason",
        r"traicion",
        r"trahison",
        r"espionage|espionnage|espionaje|\bspying\b",
        r"insult" + _W + r" (?:to |of )?(?:the |a |an )?(?:president|head of (?:the )?state|state|"
        r"authorit|officials?|public official|representatives? of|flag|nation|king|monarch)",
        r"lese[- ]majest",
        r"discredit",
        r"(?:false|fake) (?:information|news) (?:about|on|concerning) (?:the )?(?:armed forces|"
        r"army|military|state|government|authorities)|fake news|disinformation",
        r"(?:unauthori[sz]ed|unsanctioned|prohibited|unpermitted|banned) (?:public )?"
        r"(?:protest|rally|assembly|demonstration|meeting|picket|gathering|march)",
        r"\bmass riots?\b",
        r"overthrow|subversi|\bcoup\b",
        r"undesirable organi",
        r"territorial integrity",
        r"anti[- ]state|against (?:the )?(?:state|government)\b|"
        r"constitutional order",
        r"\bwag(?:e|ing)(?:,? or attempting to wage)? war",
        r"\brebel",
        r"rebelion",
        r"desacato",
        r"injurias? (?:al|a la) (?:rey|presidente|corona)",
        r"offense au chef de l.etat",
        r"surete de l.etat",
        r"экстремис|екстреміс|екстремис",
        r"сепаратис",
        r"(?:государственн|державн)" + _W + r" (?:измен|зрад)|държавна измяна",
        r"шпион|шпигун",
        r"оскорблен" + _W + r" (?:представител|президент|власт)",
        r"образ" + _W + r" (?:представник|президент|влад)",
        r"дискредит",
        r"массов" + _W + r" беспорядк|масов" + _W + r" заворушен|масови безредици",
        r"несанкционирован|неразрешен" + _W + r" (?:митинг|протест|събрание)",
        r"\bмитинг|\bмітинг|\bпикет",
        r"свержени|повалени",
        r"нежелательн" + _W + r" организац",
        r"территориальн" + _W + r" целостност|територіальн" + _W + r" цілісн",
        r"публичн" + _W + r" призыв|публічн" + _W + r" заклик",
    ],
    "military": [
        r"\bdesert(?:ion|er|ing|ed)\b",
        r"desercion",
        r"draft evasion|(?:evasion|evading|avoiding)"
        r" (?:of )?(?:military|conscription|the draft|mobili[sz]ation)",
        r"military service",
        r"absence without leave|\bawol\b",
        r"\bmutiny",
        r"insubordination",
        r"armed formation",
        r"paramilitar",
        r"mercenar(?!y (?:motive|ends|purpose|reason|intent|aim|gain))",
        r"дезертир",
        r"уклонени"
        + _W
        + r" от (?:\w+ )?(?:военн|призыв|мобилиз)|ухилен"
        + _W
        + r" від (?:\w+ )?(?:призов|мобіліз|військов)",
        r"(?:незаконн|нелегальн)"
        + _W
        + r" (?:вооруженн|збройн)"
        + _W
        + r" (?:формирован|формуван)",
        r"наемничеств|наёмничеств|найманств",
        r"самовольн" + _W + r" оставлен",
    ],
    "religious": [
        r"apostas",
        r"blasphem|blasfem|богохул|блюзнірств",
        r"\bheres|\bересь|\bєрес",
        r"sacrileg",
        r"religious (?:feeling|belief|sentiment|extremis|organi[sz]ation|hatred)",
        r"чувств" + _W + r" верующ|почутт" + _W + r" віруюч",
        r"proselyt",
        r"witchcraft|sorcery|колдовств",
        r"insult" + _W + r" (?:to )?(?:religion|islam|the prophet|god)",
        r"odio (?:racial o )?religioso",
        r"jehovah|иегов",
    ],
    "racial": [
        r"\bracial|\brace\b|ethnic (?:origin|group|hatred)|odio racial|\bracis",
        r"расов|(?:этническ|етнічн)" + _W + r" (?:ненавист|вражд|ворожнеч)",
    ],
    "terrorism": [r"terror|террор|терор"],
    "not-ordinary-law": [
        r"adulter|\bhomosexuality\b|indecent (?:dress|clothing)|consumption of alcohol|"
        r"\babortion|прелюбод|мужеложств",
        r"alimony|child support|maintenance (?:of|for) (?:a |the )?child|алимент|аліменти|"
        r"child custody|custody of (?:a |the |his |her )?(?:child|children|son|daughter)",
        r"(?:unpaid|non[- ]?payment of|failure to (?:pay|repay)|default on) (?:a |the )?"
        r"(?:debts?|loans?|rent)|breach of contract|bounced? cheques?|"
        r"cheques? (?:without|sans|sin) (?:sufficient )?(?:funds|provision|fondos)|civil dispute|"
        r"administrative (?:offen|violation)|traffic (?:violation|offen)|"
        r"(?:unpaid|non[- ]payment of) (?:taxes|a fine|fines)",
    ],
}
_REASONS = {
    "political": "an offence of a political character (Art. 3)",
    "military": "an offence of a military character (Art. 3)",
    "religious": "an offence of a religious character (Art. 3)",
    "racial": "a racial element (Art. 3)",
    "terrorism": "terrorism: reviewed case by case under Art. 3's predominance test",
    "not-ordinary-law": (
        "no serious ordinary-law crime: behavioural or cultural norms, a family or private "
        "matter, or a private or administrative dispute (RPD Art. 83(1)(a))"
    ),
}
_COMPILED = {
    rule: [re.compile(pattern) for pattern in patterns] for rule, patterns in _CHARGE_RULES.items()
}
PROTECTED_TOPICS = {
    "role.pep": "a politically exposed person",
    "role.pep.natl": "a politically exposed person",
    "role.pep.intl": "a politically exposed person",
    "role.pep.frmr": "a former politically exposed person",
    "role.pol": "a politician",
    "pol.party": "a political party",
    "role.journo": "a journalist",
    "role.act": "an activist",
    "gov.religion": "a religious leader",
    "rel": "a religious body",
    "pol.union": "a trade union",
}
_REFUGEE = re.compile(r"refugee|asylum|беженец|біженец|бежанец|убежищ|притулок|réfugié|refugiado")
REFUGEE_PROPS = ("status", "notes", "description", "summary", "topics")
NOTICE_KINDS = frozenset({Kind.RED_NOTICE})
SUBJECT_KINDS = frozenset(
    {Kind.REQUEST_LOCATE, Kind.REQUEST_INFORMATION, Kind.RED_NOTICE, Kind.BLUE_NOTICE,
     Kind.GREEN_NOTICE, Kind.YELLOW_NOTICE}
)  # fmt: skip


def normalise(text: str) -> str:
    """Case-folded, without accents, whitespace collapsed: how charge texts are compared.

    Accents are stripped from Latin letters only (sedición -> sedicion); Cyrillic
    letters with diacritics (й, ї) are kept, since they are different letters."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", "".join(kept))).strip()


def check_charges(charges: Iterable[str]) -> list[Flag]:
    """Flags for the charges' texts, one per rule, naming what matched."""
    flags = []
    texts = [(charge, normalise(charge)) for charge in charges if charge and charge.strip()]
    for rule, patterns in _COMPILED.items():
        found = []
        for original, text in texts:
            for pattern in patterns:
                match = pattern.search(text)
                if match:
                    found.append(f"{match.group(0)!r} in {original.strip()[:120]!r}")
                    break
        if found:
            flags.append(Flag(rule, f"{_REASONS[rule]}: " + "; ".join(found)))
    return flags


@dataclass(frozen=True)
class Subject:
    """A person a message is about: their names, birth dates, topics, statuses."""

    entity_id: str
    names: list[str]
    birth_dates: list[str]
    topics: list[str]
    notes: list[str]


def subjects_of(statements: Sequence[dict[str, Any]]) -> list[Subject]:
    grouped: dict[str, dict[str, list[str]]] = {}
    for stmt in statements:
        if stmt.get("schema") != "Person":
            continue
        props = grouped.setdefault(str(stmt.get("entity_id")), {})
        props.setdefault(str(stmt.get("prop")), []).append(str(stmt.get("value")))
    return [
        Subject(
            entity_id,
            props.get("name", []),
            props.get("birthDate", []),
            props.get("topics", []),
            [v for p in REFUGEE_PROPS for v in props.get(p, [])],
        )
        for entity_id, props in grouped.items()
    ]


def check_message(
    kind: Kind,
    body: dict[str, Any],
    *,
    requesting_country: str | None,
    review_countries: Iterable[str] = (),
    review_names: Iterable[str] = (),
    known_topics: dict[str, list[str]] | None = None,
) -> list[Flag]:
    """Every flag for a message; ``known_topics`` are the topics our store holds on its
    subjects (by entity id), found by the caller."""
    statements = body.get("statements") or []
    charges = [str(c) for c in body.get("charges") or []]
    flags = check_charges(charges)
    flags += _red_notice(kind, body, charges)
    subjects = subjects_of(statements)
    flags += _missing(kind, body, charges, subjects)
    flags += _subjects(subjects, body, review_names, known_topics or {})
    country = (requesting_country or "").lower()
    if country and country in {c.lower() for c in review_countries}:
        flags.append(
            Flag("review-country", f"the requesting country ({country}) is on the review list")
        )
    return flags


def _red_notice(kind: Kind, body: dict[str, Any], charges: list[str]) -> list[Flag]:
    if kind not in NOTICE_KINDS:
        return []
    flags = []
    penalty = _number(body.get("penalty_years"))
    left = _number(body.get("sentence_left_months"))
    if (penalty is None or penalty < 2) and (left is None or left < 6):
        flags.append(
            Flag(
                "penalty",
                "a red notice needs a penalty of at least two years, or at least six months "
                f"left to serve (RPD Art. 83(1)(b)); given: penalty {penalty}, left {left}",
            )
        )
    facts = body.get("facts") or {}
    missing = [
        part
        for part in ("summary", "time", "place")
        if not (isinstance(facts, dict) and str(facts.get(part) or "").strip())
    ]
    if missing:
        flags.append(
            Flag(
                "facts",
                "a red notice needs a summary of the facts with their time and place "
                f"(RPD Art. 83(2)(b)); missing: {', '.join(missing)}",
            )
        )
    return flags


def _missing(
    kind: Kind, body: dict[str, Any], charges: list[str], subjects: list[Subject]
) -> list[Flag]:
    flags = []
    if kind in NOTICE_KINDS and not charges:
        flags.append(Flag("missing", "no charges are given"))
    if kind in SUBJECT_KINDS and not subjects and not str(body.get("text") or "").strip():
        flags.append(Flag("missing", "no person and no text: nothing to act on"))
    for subject in subjects:
        if kind in SUBJECT_KINDS and not subject.names:
            flags.append(Flag("missing", f"the subject {subject.entity_id} has no name"))
        years = {date[:4] for date in subject.birth_dates if date}
        if len(years) > 1:
            flags.append(
                Flag(
                    "inconsistent",
                    f"the subject {subject.entity_id} has birth dates that disagree: "
                    + ", ".join(sorted(set(subject.birth_dates))),
                )
            )
    return flags


def _subjects(
    subjects: list[Subject],
    body: dict[str, Any],
    review_names: Iterable[str],
    known_topics: dict[str, list[str]],
) -> list[Flag]:
    flags = []
    if body.get("refugee_status"):
        flags.append(Flag("refugee", "the sender says the subject has refugee status"))
    listed = {normalise(name): name for name in review_names}
    for subject in subjects:
        label = subject.names[0] if subject.names else subject.entity_id
        if any(_REFUGEE.search(normalise(note)) for note in subject.notes):
            flags.append(Flag("refugee", f"{label}: refugee or asylum status is recorded"))
        topics = set(subject.topics) | set(known_topics.get(subject.entity_id, []))
        roles = sorted({PROTECTED_TOPICS[t] for t in topics if t in PROTECTED_TOPICS})
        if roles:
            flags.append(Flag("protected-person", f"{label} is {' and '.join(roles)}"))
        for name in subject.names:
            if normalise(name) in listed:
                flags.append(Flag("protected-person", f"{label} is on the review list of persons"))
                break
    return flags


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None
