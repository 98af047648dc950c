"""The sentences the assessment computes (why a criterion stands as it does, why a
rating is suggested), each a key with named values, in English, Ukrainian and
Bulgarian, ``(en, uk, bg)``.

A criterion keeps its sentence as a ``Phrase`` (key and values) and says it in
English for the CLI, its JSON and the API; the workstation and the assessment
report say it in their language from ``PHRASES``. The values are the case's own
(counts, country codes, dates, offence names, ids, data codes) and are not
translated. The reports sit beside this package in the layers and may not import
it: the services hand them ``PHRASES`` with the report.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

LANGUAGES: Final = ("en", "uk", "bg")

PHRASES: Final[dict[str, tuple[str, str, str]]] = {
    # A criterion made of parts (criteria.py).
    "parts.all_met": ("every part is met", "виконано всі складові", "всички елементи са изпълнени"),
    "parts.met_through": (
        "met through {codes}",
        "виконано через {codes}",
        "изпълнен чрез {codes}",
    ),
    "parts.none_met": (
        "every alternative is not met",
        "жодну з альтернатив не виконано",
        "нито една от алтернативите не е изпълнена",
    ),
    "parts.not_met": ("not met: {codes}", "не виконано: {codes}", "неизпълнени: {codes}"),
    "parts.unknown": (
        "unknown: {codes} not known",
        "невідомо: стан {codes} не встановлено",
        "неизвестно: състоянието на {codes} не е установено",
    ),
    # UNTOC Art. 2(a), 2(c) (untoc.py).
    "persons.met": (
        "{n} persons are members of the group or suspects in the case",
        "осіб, які є учасниками групи або підозрюваними у провадженні: {n}",
        "лица, които са членове на групата или заподозрени по случая: {n}",
    ),
    "persons.few": (
        "the case names {n} (members of the group or suspects), fewer than three",
        "у провадженні названо {n} (учасників групи або підозрюваних), менше трьох",
        "по случая са посочени {n} (членове на групата или заподозрени), по-малко от трима",
    ),
    "persons.none": (
        "the case names no member of a group and no suspect",
        "у провадженні не названо жодного учасника групи і жодного підозрюваного",
        "по случая не е посочен нито член на група, нито заподозрян",
    ),
    "structured.roles": (
        "members hold roles: {roles}",
        "учасники мають ролі: {roles}",
        "членовете имат роли: {roles}",
    ),
    "structured.dates": (
        "trafficking events on {n} different dates: not formed for one offence",
        "епізоди торгівлі людьми в різні дати ({n}): група утворена не для одного злочину",
        "епизоди на трафик на хора на различни дати ({n}): групата не е създадена за едно "
        "престъпление",
    ),
    "structured.one_date": (
        "one trafficking event date and no roles recorded: formed for the immediate "
        "commission of an offence, as far as the case shows",
        "одна дата епізоду торгівлі людьми і жодних ролей не зафіксовано: наскільки видно з "
        "провадження, утворена для безпосереднього вчинення злочину",
        "една дата на епизод на трафик на хора и не са записани роли: доколкото личи от "
        "случая, създадена за непосредственото извършване на престъпление",
    ),
    "structured.none": (
        "no roles and no dated trafficking events",
        "немає ні ролей, ні датованих епізодів торгівлі людьми",
        "няма нито роли, нито датирани епизоди на трафик на хора",
    ),
    "period.few": (
        "fewer than two dated facts of the group (memberships, trafficking events)",
        "менше двох датованих фактів щодо групи (членство, епізоди торгівлі людьми)",
        "по-малко от два датирани факта за групата (членство, епизоди на трафик на хора)",
    ),
    "period.met": (
        "dated facts span {days} days, from {first} to {last}",
        "датовані факти охоплюють {days} дн., з {first} по {last}",
        "датираните факти обхващат {days} дни, от {first} до {last}",
    ),
    "period.short": (
        "dated facts span {days} days only, under {least}",
        "датовані факти охоплюють лише {days} дн., менше {least}",
        "датираните факти обхващат само {days} дни, по-малко от {least}",
    ),
    "concert.event": (
        "{n} members or suspects take part in one event ({event})",
        "учасники групи або підозрювані ({n}) беруть участь в одній події ({event})",
        "членове на групата или заподозрени ({n}) участват в едно събитие ({event})",
    ),
    "concert.organised": (
        "the group organises event {event}",
        "група організовує подію {event}",
        "групата организира събитие {event}",
    ),
    "concert.apart": (
        "no event of the case has two members or suspects in it, nor is one organised by the group",
        "у жодній події провадження немає двох учасників групи чи підозрюваних, і жодну "
        "не організовує група",
        "в нито едно събитие по случая няма двама членове или заподозрени и нито едно не е "
        "организирано от групата",
    ),
    "concert.none": (
        "no events with members or suspects",
        "немає подій за участю учасників групи чи підозрюваних",
        "няма събития с участие на членове или заподозрени",
    ),
    "serious.none": (
        "no criminal case with the most its offence carries (penalty_max_years)",
        "немає кримінальної справи з максимальним покаранням за злочин (penalty_max_years)",
        "няма наказателно дело с максималното наказание за престъплението (penalty_max_years)",
    ),
    "serious.met": (
        "{offence} carries up to {years} years",
        "{offence}: покарання до {years} р. позбавлення волі",
        "{offence}: наказание до {years} г. лишаване от свобода",
    ),
    "serious.under": (
        "the gravest offence, {offence}, carries up to {years} years, under {least}",
        "найтяжчий злочин, {offence}, карається позбавленням волі до {years} р., менше {least}",
        "най-тежкото престъпление, {offence}, се наказва с лишаване от свобода до {years} "
        "г., по-малко от {least}",
    ),
    "benefit.coded": (
        "events record a {kind} benefit",
        "події фіксують вигоду: {kind}",
        "събитията отбелязват облага: {kind}",
    ),
    "benefit.coded_two": (
        "events record a {first} and {second} benefit",
        "події фіксують вигоду: {first} і {second}",
        "събитията отбелязват облага: {first} и {second}",
    ),
    "benefit.paid": (
        "{n} payments to or from members or suspects",
        "платежі учасникам групи чи підозрюваним або від них: {n}",
        "плащания към или от членове или заподозрени: {n}",
    ),
    "benefit.none": (
        "no payment of the group's and no benefit recorded (the data cannot show there "
        "was none: an analyst may say so)",
        "не зафіксовано ні платежів групи, ні вигоди (дані не можуть показати, що її не "
        "було: це може вказати аналітик)",
        "не са записани нито плащания на групата, нито облага (данните не могат да покажат, "
        "че няма такава: анализаторът може да го посочи)",
    ),
    # UNTOC Art. 3(2).
    "several.met": ("events in {countries}", "події в {countries}", "събития в {countries}"),
    "several.one": (
        "every event is in {country}",
        "усі події в {country}",
        "всички събития са в {country}",
    ),
    "several.none": (
        "no event has a country",
        "у жодної події не зазначено країну",
        "при нито едно събитие не е посочена държава",
    ),
    "directed.unknown": (
        "no country of the events, or none of the group or its leaders",
        "не зазначено країни подій або країни групи чи її керівників",
        "не е посочена държава на събитията или на групата и нейните ръководители",
    ),
    "directed.met": (
        "the group or its leaders are in {abroad}, the events in {where}",
        "група або її керівники перебувають у {abroad}, події в {where}",
        "групата или нейните ръководители са в {abroad}, събитията в {where}",
    ),
    "directed.same": (
        "the group and its leaders are where the events are ({where})",
        "група та її керівники перебувають там само, де відбуваються події ({where})",
        "групата и нейните ръководители са там, където са събитията ({where})",
    ),
    "abroad.no_group": (
        "no organised crime group in the case",
        "у провадженні немає організованої злочинної групи",
        "по случая няма организирана престъпна група",
    ),
    "abroad.met": (
        "the group is active in {countries}",
        "група діє в {countries}",
        "групата действа в {countries}",
    ),
    "abroad.one": (
        "the group is active in {country} only",
        "група діє лише в {country}",
        "групата действа само в {country}",
    ),
    "abroad.unknown": (
        "no country of the group or its events",
        "не зазначено країни групи чи її подій",
        "не е посочена държава на групата или на нейните събития",
    ),
    "effects.unknown": (
        "no country of the events, or no citizenship of a victim",
        "не зазначено країни подій або громадянства потерпілого",
        "не е посочена държава на събитията или гражданство на пострадал",
    ),
    "effects.met": (
        "victims are citizens of {other}, the events in {where}",
        "потерпілі є громадянами {other}, події в {where}",
        "пострадалите са граждани на {other}, събитията в {where}",
    ),
    "effects.same": (
        "the victims are citizens of the State where the events are",
        "потерпілі є громадянами держави, де відбуваються події",
        "пострадалите са граждани на държавата, в която са събитията",
    ),
    # The Trafficking Protocol, Art. 3 (protocol.py).
    "protocol.recorded": (
        "events record {codes}",
        "події фіксують {codes}",
        "събитията отбелязват {codes}",
    ),
    "protocol.none_with": (
        "{n} trafficking events are coded, none with {prefix}…",
        "закодовано епізодів торгівлі людьми: {n}, жодного з {prefix}…",
        "кодирани епизоди на трафик на хора: {n}, нито един с {prefix}…",
    ),
    "protocol.no_events": (
        "no trafficking event is coded in the case",
        "у провадженні не закодовано жодного епізоду торгівлі людьми",
        "по случая не е кодиран нито един епизод на трафик на хора",
    ),
    "means.child": (
        "a victim is a child: no means is needed (Art. 3(c))",
        "потерпілий — дитина: засоби не потрібні (ст. 3(c))",
        "пострадалият е дете: не е необходимо средство (чл. 3(c))",
    ),
    "means.adults": (
        "the victims are adults and no event records a means",
        "потерпілі — повнолітні, і жодна подія не фіксує засобу",
        "пострадалите са пълнолетни и нито едно събитие не отбелязва средство",
    ),
    "means.unknown": (
        "no means recorded, and not every victim is known to be an adult",
        "засобів не зафіксовано, і не про всіх потерпілих відомо, що вони повнолітні",
        "не е записано средство и не за всички пострадали е известно, че са пълнолетни",
    ),
    "consent.none": (
        "no consent recorded",
        "згоди не зафіксовано",
        "не е записано съгласие",
    ),
    "consent.child": (
        "consent of a child is irrelevant",
        "згода дитини не має значення",
        "съгласието на дете е без значение",
    ),
    "consent.means": (
        "consent is irrelevant: means were used ({means})",
        "згода не має значення: застосовано засоби ({means})",
        "съгласието е без значение: използвани са средства ({means})",
    ),
    "consent.adult": (
        "an adult consented and no means is recorded",
        "повнолітня особа дала згоду, і засобів не зафіксовано",
        "пълнолетно лице е дало съгласие и не е записано средство",
    ),
    "consent.unknown": (
        "consent given, and whether means were used is not known",
        "згоду надано, а чи застосовано засоби, невідомо",
        "дадено е съгласие, а дали са използвани средства, не е известно",
    ),
    # Suggested ratings (suggest.py).
    "suggest.size": ("{n} members", "учасників: {n}", "членове: {n}"),
    "suggest.international": (
        "members and events in {countries}",
        "учасники та події в {countries}",
        "членове и събития в {countries}",
    ),
}


@dataclass(frozen=True)
class Phrase:
    """A computed sentence: its key in ``PHRASES`` and its values (as shown)."""

    key: str
    values: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, key: str, **values: object) -> Phrase:
        return cls(key, {name: str(value) for name, value in values.items()})

    def text(self, lang: str = "en") -> str:
        return say(PHRASES, self.key, self.values, lang)

    def __str__(self) -> str:
        return self.text()


NOTHING: Final = Phrase("")
"""No sentence (a composite's, before its parts are settled)."""


def say(
    table: Mapping[str, tuple[str, str, str]],
    key: str,
    values: Mapping[str, str],
    lang: str = "en",
    fallback: str = "",
) -> str:
    """The sentence in the language; in English if the language has none (or its
    template does not take these values); ``fallback`` if the key is not in ``table``."""
    found = table.get(key)
    if found is None:
        return fallback
    wanted = found[LANGUAGES.index(lang)] if lang in LANGUAGES else found[0]
    try:
        return wanted.format_map(values)
    except (KeyError, IndexError, ValueError):
        return found[0].format_map(values)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
