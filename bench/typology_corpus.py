"""A generated store for the ready queries' quality: the seeds' three schemes planted,
with known truth, into background traffic of people, calls, payments and trips.

Written as FtM entities (JSON lines, ``nitka ingest ftm``) and a truth file.
Everything comes from one seed, so the same arguments make the same corpus.

**Background** (``--people``, default 3,000): persons with Ukrainian, Polish,
Moldovan and German names, a gender, a birth date (aged 18 to 75), a number in
their country's mobile format (``+38067...``, ``+4850...``, ``+37369...``,
``+49151...``) and an account (an IBAN of their country, a quarter of them a
card number instead) tied by an ``Ownership``; a tenth with a ``status`` of
temporary protection (as many Ukrainians abroad have). Each calls a few
others of their own circle over the first half of 2024 and pays a few others
and some of 30 shops (paid by hundreds); 15 coach companies carry groups of 2
to 8 of them between cities (Kyiv, Odesa, Lviv, Warsaw, Kraków, Berlin,
Prague, Chișinău, Istanbul, Antalya, Cairo), so young men travel to Turkey and
Egypt without any recruiter, and a coach company's travellers pay the same
shops.

**Benefit cards** (``--rings``, default 5): an organiser takes 4 to 6 victims
(most with refugee status) on a trip to an EU city; the collector account is
the organiser's or an accomplice's; the victims' cards pay EUR 300 into it two
or three times within 80 days of the trip, and the organiser holds one
victim's card (an ``Ownership`` of the organiser). Truth: organiser, trip,
travellers, cards, collector and its accomplice owner.

**Boat drivers** (``--recruiters``, default 5): a recruiter's number calls 4
to 6 men aged 19 to 33, each 1 to 3 times; each travels to Turkey, Libya or
Egypt 10 to 50 days after the first call; the recruiter's account pays half
of them EUR 500 to 1,500 within 60 days of their trip. Truth: the recruiter's
number, the recruiter, recruits, trips and payments.

**Call centres** (``--centres``, default 3): 2 or 3 numbers (Moldovan) call
8 to 15 background persons, each 0 to 5 days before that person pays EUR 100
to 900 into one of the centre's 1 or 2 collector accounts. Truth: collectors,
numbers and payers (their accounts).

    python -m bench.typology_corpus OUT.ftm.jsonl TRUTH.json [--people 3000] [--seed 11]
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

START = datetime(2024, 1, 1)
DAYS = 180
COUNTRIES = {
    "ua": (("Oleksandr", "Ivan", "Petro", "Andrii", "Dmytro", "Serhii", "Taras", "Mykola"),
           ("Olena", "Maria", "Iryna", "Natalia", "Oksana", "Halyna", "Yulia", "Tetiana"),
           ("Koval", "Shevchenko", "Bondarenko", "Melnyk", "Tkachenko", "Kravchenko",
            "Savchuk", "Petrenko", "Lysenko", "Marchenko"), ("+38067", "+38050", "+38063")),
    "pl": (("Piotr", "Tomasz", "Paweł", "Marek"), ("Anna", "Katarzyna", "Agnieszka", "Ewa"),
           ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński"), ("+4850", "+4860")),
    "md": (("Ion", "Vasile", "Andrei", "Mihai"), ("Elena", "Ana", "Natalia", "Maria"),
           ("Rusu", "Ciobanu", "Ceban", "Popa", "Munteanu"), ("+37369", "+37368")),
    "de": (("Lukas", "Jonas", "Felix", "Paul"), ("Lena", "Laura", "Julia", "Sarah"),
           ("Müller", "Schmidt", "Schneider", "Fischer"), ("+49151", "+49170")),
}  # fmt: skip
"""Per country: men's and women's given names, family names, mobile prefixes."""
WEIGHTS = {"ua": 0.7, "pl": 0.12, "md": 0.1, "de": 0.08}
CITIES = {
    "Kyiv": "ua", "Odesa": "ua", "Lviv": "ua", "Warsaw": "pl", "Kraków": "pl",
    "Berlin": "de", "Prague": "cz", "Chișinău": "md", "Istanbul": "tr", "Antalya": "tr",
    "Cairo": "eg",
}  # fmt: skip
EU_CITIES = ("Warsaw", "Kraków", "Berlin", "Prague")
DEPARTURES = (("Istanbul", "tr"), ("Tripoli", "ly"), ("Alexandria", "eg"))


@dataclass
class Corpus:
    rng: random.Random
    entities: list[dict[str, Any]] = field(default_factory=list)
    truth: dict[str, set[str]] = field(default_factory=dict)
    groups: dict[str, set[str]] = field(default_factory=dict)
    """Each planted instance (``benefit-cards-1``, ...) with everything of its people:
    their ids, ``phone:`` numbers and accounts, and its trips and calling numbers
    (``bench.network_quality`` compares networks' communities with these)."""
    serial: int = 0

    def add(self, schema: str, prefix: str, **props: Any) -> str:
        self.serial += 1
        entity_id = f"{prefix}-{self.serial}"
        values = {k: [str(x) for x in (v if isinstance(v, list) else [v])]
                  for k, v in props.items() if v not in (None, "", [])}  # fmt: skip
        self.entities.append({"id": entity_id, "schema": schema, "properties": values})
        return entity_id

    def plant(self, typology: str, *ids: str) -> None:
        self.truth.setdefault(typology, set()).update(ids)

    def group(self, typology: str) -> str:
        """A new planted instance of the typology: its name."""
        name = f"{typology}-{sum(g.startswith(typology) for g in self.groups) + 1}"
        self.groups[name] = set()
        return name

    def member(self, group: str, *members: Someone | str) -> None:
        for one in members:
            found = (
                {one.id, "phone:" + one.phone, one.account} if isinstance(one, Someone) else {one}
            )
            self.groups[group].update(found)


@dataclass
class Someone:
    id: str
    phone: str
    account: str
    gender: str
    born: datetime


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def _time(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _when(rng: random.Random, lo: int = 0, hi: int = DAYS) -> datetime:
    return START + timedelta(days=rng.randrange(lo, hi), minutes=rng.randrange(8 * 60, 22 * 60))


def _account_number(rng: random.Random, country: str, card: bool) -> str:
    if card:
        return rng.choice(("4149", "5168", "4441")) + "".join(rng.choices("0123456789", k=12))
    digits = "".join(rng.choices("0123456789", k=24 if country != "de" else 18))
    return f"{country.upper()}{rng.randrange(10, 99)}{digits}"


def person(
    corpus: Corpus, *, country: str | None = None, gender: str | None = None,
    age: tuple[int, int] = (18, 75), status: str | None = None,
) -> Someone:  # fmt: skip
    rng = corpus.rng
    country = country or rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    men, women, families, prefixes = COUNTRIES[country]
    gender = gender or rng.choice(("male", "female"))
    given = rng.choice(men if gender == "male" else women)
    family = rng.choice(families)
    born = START - timedelta(days=rng.randrange(age[0] * 365 + 30, age[1] * 365 - 30))
    phone = rng.choice(prefixes) + "".join(rng.choices("0123456789", k=7))
    if status is None and country == "ua" and rng.random() < 0.1:
        status = "temporary protection"
    person_id = corpus.add("Person", "person", name=f"{given} {family}", gender=gender,
                           birthDate=_day(born), phone=phone, country=country,
                           status=status)  # fmt: skip
    number = _account_number(rng, country, card=rng.random() < 0.25)
    account = corpus.add("BankAccount", "account", accountNumber=number)
    corpus.add("Ownership", "own", owner=person_id, asset=account)
    return Someone(person_id, phone, account, gender, born)


def call(corpus: Corpus, caller: str, callee: str, at: datetime) -> str:
    return corpus.add("Call", "call", callerNumber=caller, receiverNumber=callee,
                      startDate=_time(at), duration=corpus.rng.randrange(5, 900))  # fmt: skip


def pay(corpus: Corpus, payer: str, payee: str, amount: float, at: datetime) -> str:
    return corpus.add("Payment", "payment", payerAccount=payer, beneficiaryAccount=payee,
                      amount=f"{amount:.2f}", currency="EUR", date=_day(at))  # fmt: skip


def trip(
    corpus: Corpus, travellers: list[str], origin: str, destination: str, at: datetime,
    organiser: str | None, places: dict[str, str],
) -> str:  # fmt: skip
    return corpus.add("Trip", "trip", involved=travellers, organizer=organiser,
                      startLocation=places[origin], endLocation=places[destination],
                      startDate=_day(at), endDate=_day(at + timedelta(days=1)))  # fmt: skip


def background(corpus: Corpus, people: int) -> tuple[list[Someone], dict[str, str]]:
    rng = corpus.rng
    crowd = [person(corpus) for _ in range(people)]
    every = {**CITIES, "Tripoli": "ly", "Alexandria": "eg"}
    places = {city: corpus.add("Address", "address", full=f"{city}, bus station", country=code)
              for city, code in every.items()}  # fmt: skip
    shops = [corpus.add("BankAccount", "account", accountNumber=_account_number(rng, "ua", False))
             for _ in range(30)]  # fmt: skip
    for n, someone in enumerate(crowd):
        circle = [crowd[(n + rng.randrange(1, 40)) % people] for _ in range(rng.randrange(2, 8))]
        for other in circle:
            for _ in range(rng.randrange(1, 4)):
                call(corpus, someone.phone, other.phone, _when(rng))
        for other in rng.sample(circle, k=min(2, len(circle))):
            pay(corpus, someone.account, other.account, rng.randrange(10, 400), _when(rng))
        for shop in rng.sample(shops, k=rng.randrange(1, 4)):
            pay(corpus, someone.account, shop, rng.randrange(5, 200), _when(rng))
    companies = [corpus.add("Company", "company", name=f"{rng.choice(('Euro', 'Ukr', 'Black Sea'))}"
                            f" Coach {n}") for n in range(15)]  # fmt: skip
    cities = list(CITIES)
    for _ in range(people // 6):
        origin, destination = rng.sample(cities, 2)
        group = [s.id for s in rng.sample(crowd, rng.randrange(2, 9))]
        trip(corpus, group, origin, destination, _when(rng), rng.choice(companies), places)
    return crowd, places


def benefit_ring(corpus: Corpus, places: dict[str, str]) -> None:
    rng = corpus.rng
    ring = corpus.group("benefit-cards")
    organiser = person(corpus, country="ua")
    corpus.member(ring, organiser)
    collector = organiser.account
    if rng.random() < 0.5:
        accomplice = person(corpus, country="ua")
        collector = accomplice.account
        corpus.plant("benefit-cards", accomplice.id)
        corpus.member(ring, accomplice)
    at = _when(rng, 0, 90)
    victims = [person(corpus, country="ua", status="refugee" if rng.random() < 0.8 else None)
               for _ in range(rng.randrange(4, 7))]  # fmt: skip
    trip_id = trip(corpus, [v.id for v in victims], rng.choice(("Kyiv", "Odesa", "Lviv")),
                   rng.choice(EU_CITIES), at, organiser.id, places)  # fmt: skip
    corpus.plant("benefit-cards", organiser.id, trip_id, collector,
                 *(v.id for v in victims), *(v.account for v in victims))  # fmt: skip
    corpus.member(ring, trip_id, *victims)
    held = victims[0]
    corpus.add("Ownership", "own", owner=organiser.id, asset=held.account)
    for victim in victims[1:]:
        for month in range(rng.randrange(2, 4)):
            paid = at + timedelta(days=20 + 25 * month + rng.randrange(0, 5))
            pay(corpus, victim.account, collector, 300, paid)


def recruiter(corpus: Corpus, places: dict[str, str]) -> None:
    rng = corpus.rng
    boss = person(corpus, country="ua", gender="male", age=(30, 55))
    corpus.plant("boat-drivers", boss.id, "phone:" + boss.phone)
    crew = corpus.group("boat-drivers")
    corpus.member(crew, boss)
    for _ in range(rng.randrange(4, 7)):
        man = person(corpus, country="ua", gender="male", age=(19, 33))
        first = _when(rng, 0, 100)
        for n in range(rng.randrange(1, 4)):
            call(corpus, boss.phone, man.phone, first + timedelta(days=3 * n))
        leaves = first + timedelta(days=rng.randrange(10, 50))
        city, _ = rng.choice(DEPARTURES)
        trip_id = trip(corpus, [man.id], rng.choice(("Odesa", "Kyiv")), city, leaves, None, places)
        corpus.plant("boat-drivers", man.id, trip_id)
        corpus.member(crew, man, trip_id)
        if rng.random() < 0.5:
            paid = leaves + timedelta(days=rng.randrange(5, 60))
            corpus.plant("boat-drivers", pay(corpus, boss.account, man.account,
                                             rng.randrange(500, 1500), paid))  # fmt: skip


def call_centre(corpus: Corpus, crowd: list[Someone]) -> None:
    rng = corpus.rng
    fronts = [person(corpus, country="md") for _ in range(rng.randrange(1, 3))]
    numbers = ["+37369" + "".join(rng.choices("0123456789", k=6)) + str(n)
               for n in range(rng.randrange(2, 4))]  # fmt: skip
    corpus.plant("call-centre", *(f.account for f in fronts), *("phone:" + n for n in numbers))
    centre = corpus.group("call-centre")
    corpus.member(centre, *fronts, *("phone:" + n for n in numbers))
    for victim in rng.sample(crowd, rng.randrange(8, 16)):
        paid = _when(rng, 10, DAYS)
        call(corpus, rng.choice(numbers), victim.phone, paid - timedelta(days=rng.randrange(0, 6)))
        pay(corpus, victim.account, rng.choice(fronts).account, rng.randrange(100, 900), paid)
        corpus.plant("call-centre", victim.account)
        corpus.member(centre, victim)


def build(*, people: int, rings: int, recruiters: int, centres: int, seed: int) -> Corpus:
    """The corpus in memory: the background and the planted schemes."""
    corpus = Corpus(random.Random(seed))
    crowd, places = background(corpus, people)
    for _ in range(rings):
        benefit_ring(corpus, places)
    for _ in range(recruiters):
        recruiter(corpus, places)
    for _ in range(centres):
        call_centre(corpus, crowd)
    return corpus


def write(corpus: Corpus, out: Path) -> None:
    """The corpus's entities as FtM JSON lines (``nitka ingest ftm``)."""
    with out.open("w", encoding="utf-8") as file:
        for entity in corpus.entities:
            file.write(json.dumps(entity, ensure_ascii=False) + "\n")


def generate(
    out: Path, truth: Path, *, people: int, rings: int, recruiters: int, centres: int, seed: int
) -> dict[str, int]:
    corpus = build(people=people, rings=rings, recruiters=recruiters, centres=centres, seed=seed)
    write(corpus, out)
    truth.write_text(json.dumps({k: sorted(v) for k, v in corpus.truth.items()}, indent=1))
    counts: dict[str, int] = {}
    for entity in corpus.entities:
        counts[entity["schema"]] = counts.get(entity["schema"], 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--rings", type=int, default=5)
    parser.add_argument("--recruiters", type=int, default=5)
    parser.add_argument("--centres", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    counts = generate(args.out, args.truth, people=args.people, rings=args.rings,
                      recruiters=args.recruiters, centres=args.centres, seed=args.seed)  # fmt: skip
    print(counts)


if __name__ == "__main__":
    main()
