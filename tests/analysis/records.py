"""Call records and payments for the projection tests: the real samples in tests/data
(see its README), and a small hand-made set whose answers can be checked by eye.

The hand-made calls, between numbers written as operators write them:

    A → C   2024-03-01 10:00   60 s     (c-1)
    C → B   2024-03-01 11:00  120 s     (c-2)
    B → C   2024-03-02 09:00   30 s     (c-3)
    A → D   2024-03-02 10:00   45 s     (c-4)
    B → E   2024-03-03 08:00   10 s     (c-5)
    A → B   2024-03-03 09:00   20 s     (c-6)

so C is the one common contact of A and B (three calls: one with A, two with B).

The hand-made payments of the money-flow shapes (``SHAPES``, 10 EUR each, in March
2024; accounts numbered as named):

    fan-out         F → T1 (1st), T2 (2nd), T3 (20th)
    scatter-gather  S → M1, M2, M3 (1st) → K (3rd); S → M4 (5th), M4 → K (2nd)
    gather-scatter  G1, G2, G3 → H (1st); H → P1, P2, P3 (2nd)
    bipartite       B1, B2 → Q1, Q2 (each pair, 1st); B3 → Q1
    stacked         L1, L2 → N1, N2 (1st) → R1, R2 (2nd)

and of structuring (``STRUCTURING``): X pays Y 9,500 (1 March), 9,000 (3rd),
10,000 (5th), 8,999 (6th), 9,800 (20th) EUR and 9,900 UAH (7th), and Z 9,999 EUR
(8th); Y pays X 500 EUR on 2 March and 10 April.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from followthemoney import EntityProxy, model
from sqlalchemy import Engine

from nitka.ingest.cdr import CdrConverter
from nitka.ingest.runner import ingest
from nitka.ingest.transactions import TransactionsConverter
from nitka.model.statement import Provenance
from tests.helpers import store_entities

DATA = Path(__file__).resolve().parent.parent / "data"
VAST_SAMPLE = DATA / "vast2008_cdr_sample.csv"
AMLSIM_SAMPLE = DATA / "amlsim_alert_sample.csv"

A, B, C, D, E = "+380 50 111 2233", "+380 (67) 123-45-67", "+359888000111", "200", "201"
"""Numbers as written; compared as ``+380501112233``, ``+380671234567``, ..."""
KEY = {A: "+380501112233", B: "+380671234567", C: C, D: D, E: E}
CALLS = (
    ("c-1", A, C, "2024-03-01T10:00:00", "60"),
    ("c-2", C, B, "2024-03-01T11:00:00", "120"),
    ("c-3", B, C, "2024-03-02T09:00:00", "30"),
    ("c-4", A, D, "2024-03-02T10:00:00", "45"),
    ("c-5", B, E, "2024-03-03T08:00:00", "10"),
    ("c-6", A, B, "2024-03-03T09:00:00", "20"),
)


def raw_entity(schema: str, entity_id: str, **properties: Any) -> EntityProxy:
    """An entity with its values as given, not cleaned by FtM (which would drop a bad
    date or number silently): how a faulty source's values reach the store."""
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for name, values in properties.items():
        for value in values if isinstance(values, list) else [values]:
            proxy.unsafe_add(proxy.schema.properties[name], str(value), cleaned=True)
    return proxy


def call(
    entity_id: str, caller: str, receiver: str, start: str, duration: str = "", **more: Any
) -> EntityProxy:
    values = {"callerNumber": caller, "receiverNumber": receiver, "startDate": start,
              "duration": duration}  # fmt: skip
    return raw_entity("Call", entity_id, **{k: v for k, v in values.items() if v}, **more)


def store_calls(engine: Engine, provenance: Provenance | None = None) -> None:
    store_entities(engine, [call(*row) for row in CALLS], provenance or Provenance("operator"))


def account(entity_id: str, number: str) -> EntityProxy:
    return raw_entity("BankAccount", entity_id, accountNumber=number)


def payment(
    entity_id: str, payer: str, payee: str, amount: str, currency: str = "EUR", **more: Any
) -> EntityProxy:
    values = {"payerAccount": payer, "beneficiaryAccount": payee, "amount": amount,
              "currency": currency, "date": "2024-03-01", **more}  # fmt: skip
    return raw_entity("Payment", entity_id, **{k: v for k, v in values.items() if v})


def ingest_vast_sample(engine: Engine, provenance: Provenance | None = None) -> None:
    converter = CdrConverter(str(VAST_SAMPLE), "vast2008")
    ingest(engine, converter, provenance or Provenance("vast2008"))


def ingest_amlsim_sample(engine: Engine, provenance: Provenance | None = None) -> None:
    converter = TransactionsConverter(str(AMLSIM_SAMPLE), "amlsim")
    ingest(engine, converter, provenance or Provenance("amlsim"))


SHAPES = (
    [("F", "T1", 1), ("F", "T2", 2), ("F", "T3", 20)]
    + [("S", m, 1) for m in ("M1", "M2", "M3")]
    + [(m, "K", 3) for m in ("M1", "M2", "M3")]
    + [("S", "M4", 5), ("M4", "K", 2)]
    + [(g, "H", 1) for g in ("G1", "G2", "G3")]
    + [("H", p, 2) for p in ("P1", "P2", "P3")]
    + [(b, q, 1) for b in ("B1", "B2") for q in ("Q1", "Q2")]
    + [("B3", "Q1", 1)]
    + [(a, n, 1) for a in ("L1", "L2") for n in ("N1", "N2")]
    + [(n, r, 2) for n in ("N1", "N2") for r in ("R1", "R2")]
)
STRUCTURING = (
    ("X", "Y", "9500", "EUR", "2024-03-01"),
    ("X", "Y", "9000", "EUR", "2024-03-03"),
    ("X", "Y", "10000", "EUR", "2024-03-05"),
    ("X", "Y", "8999", "EUR", "2024-03-06"),
    ("X", "Y", "9800", "EUR", "2024-03-20"),
    ("X", "Y", "9900", "UAH", "2024-03-07"),
    ("X", "Z", "9999", "EUR", "2024-03-08"),
    ("Y", "X", "500", "EUR", "2024-03-02"),
    ("Y", "X", "500", "EUR", "2024-04-10"),
)


def _accounts(*steps: tuple[str, str]) -> list[EntityProxy]:
    numbers = sorted({n for step in steps for n in step})
    return [account(f"acc-{n}", n) for n in numbers]


def store_shapes(engine: Engine, provenance: Provenance | None = None) -> None:
    payments = [
        payment(f"p-{payer}-{payee}", f"acc-{payer}", f"acc-{payee}", "10",
                date=f"2024-03-{day:02d}")
        for payer, payee, day in SHAPES
    ]  # fmt: skip
    accounts = _accounts(*((payer, payee) for payer, payee, _ in SHAPES))
    store_entities(engine, [*accounts, *payments], provenance or Provenance("bank"))


def store_structuring(engine: Engine, provenance: Provenance | None = None) -> None:
    payments = [
        payment(f"s-{n}", f"acc-{payer}", f"acc-{payee}", amount, currency, date=date)
        for n, (payer, payee, amount, currency, date) in enumerate(STRUCTURING)
    ]
    accounts = _accounts(*((row[0], row[1]) for row in STRUCTURING))
    store_entities(engine, [*accounts, *payments], provenance or Provenance("bank"))


P, Q, R, S, T = "301", "302", "303", "304", "305"
X, Y, Z = "390", "391", "392"
I1, I2 = "356938035643809", "356938035643817"
"""Numbers and handsets (IMEIs) of the hand-made calls with cells."""
CELL_CALLS = (
    ("k-1", P, X, "2024-04-01T10:00:00", "A1", I1),
    ("k-2", Q, Y, "2024-04-01T10:10:00", "A1", ""),
    ("k-3", R, Y, "2024-04-01T10:20:00", "A1", ""),
    ("k-4", Q, X, "2024-04-01T10:05:00", "B2", ""),
    ("k-5", P, Z, "2024-04-02T09:00:00", "B2", I2),
    ("k-6", Q, Z, "2024-04-02T09:14:00", "B2", ""),
    ("k-7", S, P, "2024-04-02T09:05:00", "B2", ""),
    ("k-8", P, X, "2024-04-03T12:00:00", "", I1),
    ("k-9", T, X, "2024-04-04T12:00:00", "", I1),
)
"""Calls with the caller's cell and handset, as a CDR gives them:

    P was in cell A1 at 10:00 on 1 April (IMEI I1) and in B2 at 09:00 on 2 April
    (IMEI I2); Q was in A1 ten minutes after P and in B2 fourteen minutes after
    P's second call (two meetings within 15 minutes); R was in A1 twenty minutes
    after P (a meeting within 30 minutes only); Q in B2 on 1 April meets no one;
    S called P from B2 five minutes after P's call there (one meeting).
    P went back to handset I1 on 3 April (I1, I2, I1: a swap), and T used I1 on
    4 April (I1 is a handset of two numbers, P and T)."""


def cell_call(
    entity_id: str, caller: str, receiver: str, start: str, cell: str, imei: str
) -> EntityProxy:
    described = [f"Cell tower: {cell}"] if cell else []
    described += [f"IMEI: {imei}"] if imei else []
    return call(entity_id, caller, receiver, start, "30", description=described)


def store_cell_calls(engine: Engine, provenance: Provenance | None = None) -> None:
    entities = [cell_call(*row) for row in CELL_CALLS]
    store_entities(engine, entities, provenance or Provenance("operator"))
