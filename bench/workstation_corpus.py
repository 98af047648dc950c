"""A case-sized store for the workstation benchmark: 1M entities, about 10M statements.

Persons are made from the real name parts of the PEP registry's dictionaries
(as in ``search_bench``), half stored in Cyrillic and half in Latin, each with
the other script's form as an alias, birth places from the bundled gazetteer
of Ukrainian places, phones and document numbers; passports, bank accounts
and their owners, payments between the accounts and calls between the
phones fill the rest. One account receives 500 payments from 500 others
(the organiser who collects the victims' cards): the chart's expansion of a
node with 500 neighbours.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from bench.corpus import CACHE
from bench.search_bench import people
from nitka.analysis.places import GAZETTEER

HUB = "a-hub"
HUB_PAYERS = 500
SHARES = {
    "Person": 0.40,
    "Passport": 0.15,
    "BankAccount": 0.15,
    "Ownership": 0.15,
    "Payment": 0.12,
    "Call": 0.03,
}


def _places() -> list[str]:
    with GAZETTEER.open(encoding="utf-8", newline="") as fh:
        return [row["place"] for row in csv.DictReader(fh)]


def _date(rng: random.Random, start: int, end: int) -> str:
    return f"{rng.randint(start, end)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def entities(total: int, seed: int = 23) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    counts = {schema: int(total * share) for schema, share in SHARES.items()}
    counts["Person"] += total - sum(counts.values())
    persons = people(counts["Person"])
    places = _places()
    phones = [f"+3805{n:08d}" for n in range(counts["Person"])]
    for n, (pid, name, other) in enumerate(persons):
        first, _, last = name.partition(" ")
        yield {
            "id": pid,
            "schema": "Person",
            "properties": {
                "name": [name],
                "alias": [other],
                "firstName": [first],
                "lastName": [last],
                "birthDate": [_date(rng, 1950, 2005)],
                "birthPlace": [rng.choice(places)],
                "address": [f"{rng.choice(places)}, {rng.randint(1, 200)} Shevchenka St"],
                "weakAlias": [last],
                "nationality": [rng.choice(("ua", "ua", "ua", "md", "ro", "bg", "pl"))],
                "gender": [rng.choice(("male", "female"))],
                "phone": [phones[n]],
                "idNumber": [f"{rng.randint(10**9, 10**10 - 1)}"],
                "email": [f"user{n}@example.org"],
                "position": [rng.choice(("driver", "recruiter", "cook", "builder", "student"))],
            },
        }
    owners = len(persons)
    for n in range(counts["Passport"]):
        yield {
            "id": f"doc{n}",
            "schema": "Passport",
            "properties": {
                "number": [f"F{rng.randint(10**7, 10**8 - 1)}"],
                "holder": [f"p{rng.randrange(owners)}"],
                "country": ["ua"],
                "authority": [f"State Migration Service, unit {rng.randint(1, 900)}"],
                "startDate": [_date(rng, 2010, 2020)],
                "endDate": [_date(rng, 2021, 2030)],
            },
        }
    accounts = counts["BankAccount"]
    yield {
        "id": HUB,
        "schema": "BankAccount",
        "properties": {
            "accountNumber": ["4149000000000001"],
            "bankName": ["PrivatBank"],
            "country": ["ua"],
        },
    }
    for n in range(accounts - 1):
        yield {
            "id": f"a{n}",
            "schema": "BankAccount",
            "properties": {
                "accountNumber": [f"{rng.randint(10**15, 10**16 - 1)}"],
                "bankName": [rng.choice(("PrivatBank", "Monobank", "Oschadbank", "Raiffeisen"))],
                "country": ["ua"],
                "currency": ["UAH"],
                "bankAddress": [rng.choice(places)],
            },
        }
    for n in range(counts["Ownership"]):
        yield {
            "id": f"own{n}",
            "schema": "Ownership",
            "properties": {
                "owner": [f"p{rng.randrange(owners)}"],
                "asset": [f"a{n % (accounts - 1)}"],
                "startDate": [_date(rng, 2015, 2024)],
            },
        }
    for n in range(counts["Payment"]):
        payer = f"a{n}" if n < HUB_PAYERS else f"a{rng.randrange(accounts - 1)}"
        beneficiary = HUB if n < HUB_PAYERS else f"a{rng.randrange(accounts - 1)}"
        yield {
            "id": f"pay{n}",
            "schema": "Payment",
            "properties": {
                "payerAccount": [payer],
                "beneficiaryAccount": [beneficiary],
                "amount": [str(rng.randint(100, 50_000))],
                "currency": ["UAH"],
                "date": [_date(rng, 2022, 2025)],
                "purpose": [rng.choice(("rent", "loan", "salary", "transfer", "tickets"))],
                "recordId": [f"tx{n}"],
                "description": [f"card to card, terminal {rng.randint(1, 9999)}"],
            },
        }
    for n in range(counts["Call"]):
        start = f"{_date(rng, 2024, 2025)}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00"
        yield {
            "id": f"call{n}",
            "schema": "Call",
            "properties": {
                "callerNumber": [rng.choice(phones)],
                "receiverNumber": [rng.choice(phones)],
                "startDate": [start],
                "duration": [str(rng.randint(5, 900))],
                "description": [f"Cell tower: {rng.randint(1, 400)}"],
            },
        }


def corpus_file(total: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"workstation_{total}.ftm.jsonl"
    if not path.exists():
        partial = path.with_suffix(".part")
        with partial.open("wb") as fh:
            for entity in entities(total):
                fh.write(orjson.dumps(entity) + b"\n")
        partial.rename(path)
    return path
