"""The full yearly statistics report over a large store: the target is 30 s for a
store of a million entities and 100,000 exchange messages (issue 25).

Builds the store in bulk, as the store holds it (``executemany`` on SQLite, ``COPY``
on PostgreSQL), not through the ingest: the THB case data of docs/thb-case-data.md
(victims, suspects and convicted persons with sex, birth dates or age bands and
citizenship; trafficking events naming them with acts and forms of exploitation;
persons located, extraditions, reports of possible trafficking; court cases and
their defendants), among the persons, passports and companies a unit's cases hold
besides, spread over 2024 and 2025 and over ``--cases`` cases; and exchange
messages with partner agencies in twenty countries, requests answered in time,
late or not yet. Then it times ``nitka report statistics`` for 2025: the service
(the figures, over what the actor may see) as a local operator who sees every row
and as a supervisor who is a member of a third of the cases, and each format.

    python -m bench.statistics_report --entities 1000000 --messages 100000
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Engine, insert

from bench.databases import Databases
from bench.report import machine, save
from nitka.access.accounts import Role, add_account
from nitka.access.actor import Actor, Proof
from nitka.access.cases import add_member
from nitka.access.organisations import add_agency, add_unit
from nitka.reports.render_csv import render_csv
from nitka.reports.render_pdf import render_pdf
from nitka.reports.render_xlsx import render_xlsx
from nitka.services.guard import transaction
from nitka.services.reports import statistics_report
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.tables import case_file, message, statement

SHARES = {
    "victim": 0.05,
    "suspect": 0.03,
    "event": 0.15,
    "court_case": 0.02,
    "party": 0.03,
    "person": 0.52,
    "passport": 0.10,
    "company": 0.10,
}
"""Of the entities: the THB facts are a third, the rest what cases hold besides."""
COUNTRIES = ("ua", "pl", "de", "bg", "ro", "md", "it", "es", "fr", "nl", "cz", "sk", "hu", "at",
             "gr", "tr", "ge", "am", "by", "lt")  # fmt: skip
FORMS = ("sexual", "forced_labour", "forced_criminality", "begging", "forced_marriage",
         "organ_removal", "slavery", "other")  # fmt: skip
KINDS = ("request-information", "request-locate", "request-verify", "spontaneous", "answer")
PRIORITIES = ("normal", "normal", "normal", "urgent", "urgent-direct")
COLUMNS = tuple(c.name for c in statement.columns)
CHUNK = 100_000
NOW = datetime(2026, 1, 10, tzinfo=UTC)


def _day(rng: random.Random, years: tuple[int, ...] = (2024, 2025)) -> str:
    return f"{rng.choice(years)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


class Statements:
    """Rows of the statement table, one entity at a time."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0

    def entity(self, eid: str, schema: str, case: str, category: str,
               props: list[tuple[str, str, str]], seen: str) -> None:  # fmt: skip
        for prop, prop_type, value in props:
            self.count += 1
            values = {
                "id": f"{self.count:040x}", "entity_id": eid, "canonical_id": eid,
                "schema": schema, "prop": prop, "prop_type": prop_type, "value": value,
                "original_value": None, "lang": None, "dataset": "bench-cases", "origin": None,
                "first_seen": seen, "last_seen": seen, "reliability": "B", "credibility": "2",
                "category": category, "handling": "H1", "handling_note": None, "case_id": case,
                "assessment": False, "author": None,
            }  # fmt: skip
            self.rows.append(tuple(values[c] for c in COLUMNS))


def entities(total: int, cases: int, seed: int) -> Iterator[list[tuple[Any, ...]]]:
    """Chunks of statement rows for ``total`` entities."""
    rng = random.Random(seed)
    counts = {kind: int(total * share) for kind, share in SHARES.items()}
    counts["person"] += total - sum(counts.values())
    victims = [f"v{n}" for n in range(counts["victim"])]
    suspects = [f"s{n}" for n in range(counts["suspect"])]
    court_cases = [f"cc{n}" for n in range(counts["court_case"])]
    out = Statements()

    def case() -> str:
        return f"case-{rng.randrange(cases)}"

    def flush() -> Iterator[list[tuple[Any, ...]]]:
        if len(out.rows) >= CHUNK:
            yield out.rows
            out.rows = []

    for n, vid in enumerate(victims):
        sex = rng.choice(("female", "female", "male", "other"))
        props = [("name", "name", f"Victim {n}"), ("gender", "gender", sex),
                 ("nationality", "country", rng.choice(COUNTRIES[:8]))]  # fmt: skip
        if rng.random() < 0.8:
            props.append(
                ("birthDate", "date", f"{rng.randint(1970, 2012)}-{rng.randint(1, 12):02d}-01")
            )
        elif rng.random() < 0.5:
            props.append(("keywords", "string", rng.choice(("age:9-17", "age:18-20", "age:25-34"))))
        out.entity(vid, "Person", case(), "victim", props, _day(rng))
        yield from flush()
    for n, sid in enumerate(suspects):
        category = "convicted" if rng.random() < 0.2 else "suspect"
        sex = rng.choice(("male", "male", "female"))
        props = [("name", "name", f"Suspect {n}"), ("gender", "gender", sex),
                 ("nationality", "country", rng.choice(COUNTRIES)),
                 ("birthDate", "date", f"{rng.randint(1955, 2004)}-01-01")]  # fmt: skip
        out.entity(sid, "Person", case(), category, props, _day(rng))
        yield from flush()
    for n in range(counts["event"]):
        kind = rng.random()
        involved = [("involved", "entity", rng.choice(suspects))]
        if kind < 0.7:
            keywords = [f"act:{rng.choice(('recruitment', 'transportation', 'harbouring'))}",
                        f"exploitation:{rng.choice(FORMS)}"]  # fmt: skip
            involved += [
                ("involved", "entity", rng.choice(victims)) for _ in range(rng.randint(1, 3))
            ]
        elif kind < 0.8:
            keywords = ["located"]
            involved = [("involved", "entity", rng.choice(victims + suspects))]
        elif kind < 0.9:
            keywords = [
                f"extradition:{rng.choice(('requested', 'requested', 'granted', 'refused'))}"
            ]
        else:
            keywords = ["report:possible_thb"]
            involved = []
        props = [("name", "name", f"Event {n}"), ("date", "date", _day(rng)),
                 ("country", "country", rng.choice(COUNTRIES)),
                 *(("keywords", "string", k) for k in keywords), *involved]  # fmt: skip
        out.entity(f"e{n}", "Event", case(), "other", props, _day(rng))
        yield from flush()
    for cid in court_cases:
        props = [("name", "name", cid), ("fileDate", "date", _day(rng)),
                 ("country", "country", "ua"),
                 ("category", "string", "Article 149 Criminal Code of Ukraine")]  # fmt: skip
        out.entity(cid, "CourtCase", case(), "other", props, _day(rng))
        yield from flush()
    for n in range(counts["party"]):
        props = [("case", "entity", rng.choice(court_cases)),
                 ("party", "entity", rng.choice(suspects)),
                 ("role", "string", "defendant"),
                 ("status", "string", rng.choice(("convicted", "acquitted", "pending"))),
                 ("date", "date", _day(rng))]  # fmt: skip
        out.entity(f"p{n}", "CourtCaseParty", case(), "other", props, _day(rng))
        yield from flush()
    for n in range(counts["person"]):
        props = [("name", "name", f"Person {n}"),
                 ("gender", "gender", rng.choice(("male", "female"))),
                 ("nationality", "country", rng.choice(COUNTRIES)),
                 ("birthDate", "date", f"{rng.randint(1950, 2005)}-03-01")]  # fmt: skip
        out.entity(
            f"x{n}", "Person", case(), rng.choice(("contact", "witness", "other")), props, _day(rng)
        )
        yield from flush()
    for n in range(counts["passport"]):
        props = [("number", "identifier", f"FA{n:07d}"), ("holder", "entity", f"x{n}"),
                 ("country", "country", rng.choice(COUNTRIES))]  # fmt: skip
        out.entity(f"d{n}", "Passport", case(), "other", props, _day(rng))
        yield from flush()
    for n in range(counts["company"]):
        props = [
            ("name", "name", f"Company {n}"),
            ("jurisdiction", "country", rng.choice(COUNTRIES)),
        ]
        out.entity(f"c{n}", "Company", case(), "other", props, _day(rng))
        yield from flush()
    if out.rows:
        yield out.rows


def messages(total: int, cases: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed + 1)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(total):
        at = start + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        out = rng.random() < 0.5
        partner = f"police-{rng.choice(COUNTRIES[1:])}"
        kind = rng.choice(KINDS)
        answered = None
        if kind.startswith("request") and rng.random() < 0.85:
            answered = (at + timedelta(hours=rng.expovariate(1 / 60))).isoformat()
        yield {
            "id": f"m{n}", "direction": "out" if out else "in", "kind": kind,
            "sender": "ua-npu" if out else partner, "receiver": partner if out else "ua-npu",
            "reference": f"ref-{n}", "their_reference": None, "in_reply_to": None,
            "status": "answered" if answered else "delivered", "priority": rng.choice(PRIORITIES),
            "deadline": None, "case_id": f"case-{rng.randrange(cases)}", "author": None,
            "created_at": at.isoformat(), "sent_at": at.isoformat() if out else None,
            "received_at": None if out else at.isoformat(), "answered_at": answered,
            "body": "{}", "envelope": None,
        }  # fmt: skip


def build(engine: Engine, args: argparse.Namespace) -> dict[str, float]:
    upgrade(engine)
    began = time.perf_counter()
    with engine.begin() as conn:
        add_agency(conn, "ua-npu", "National Police", "UA")
        add_unit(conn, "u-1", "ua-npu", "Unit")
        for country in COUNTRIES[1:]:
            add_agency(conn, f"police-{country}", f"Police {country}", country)
        add_account(conn, "supervisor", Role.SUPERVISOR, unit_id="u-1")
        conn.execute(insert(case_file), [
            {"id": f"case-{n}", "title": "", "created_at": "2024-01-01", "created_by": "bench"}
            for n in range(args.cases)
        ])  # fmt: skip
        for n in range(0, args.cases, 3):
            add_member(conn, f"case-{n}", "supervisor", by="bench")
    rows = 0
    for chunk in entities(args.entities, args.cases, args.seed):
        rows += len(chunk)
        with engine.begin() as conn:
            raw: Any = conn.connection.dbapi_connection
            cursor = raw.cursor()
            if engine.dialect.name == "sqlite":
                marks = ", ".join("?" * len(COLUMNS))
                cursor.executemany(f"INSERT INTO statement VALUES ({marks})", chunk)
            else:
                with cursor.copy(f"COPY statement ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
    loaded = time.perf_counter() - began
    batch: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for item in messages(args.messages, args.cases, args.seed):
            batch.append(item)
            if len(batch) >= 20_000:
                conn.execute(insert(message), batch)
                batch = []
        if batch:
            conn.execute(insert(message), batch)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return {"statements": rows, "statements_s": round(loaded, 1),
            "total_s": round(time.perf_counter() - began, 1)}  # fmt: skip


def measure(engine: Engine) -> dict[str, Any]:
    operator = Actor.operator("bench", origin="bench")
    supervisor = Actor("supervisor", Role.SUPERVISOR, "u-1", Proof.SESSION, "bench", "statistics")
    found: dict[str, Any] = {}
    for name, actor in (("operator", operator), ("supervisor", supervisor)):
        began = time.perf_counter()
        with transaction(engine) as conn:
            report = statistics_report(conn, actor, "2025-01-01", "2025-12-31", now=NOW)
        figures = time.perf_counter() - began
        formats = {}
        for form, render in (("xlsx", render_xlsx), ("pdf", render_pdf), ("csv", render_csv)):
            began = time.perf_counter()
            size = len(render(report, "uk"))
            formats[form] = {"s": round(time.perf_counter() - began, 2), "bytes": size}
        summary = {r.label: r.cells[0] for r in report.table("summary").rows}
        found[name] = {
            "figures_s": round(figures, 2),
            "formats": formats,
            "full_report_s": round(figures + sum(f["s"] for f in formats.values()), 2),
            "victims": summary["victims"],
            "messages_out": summary["messages_out"],
        }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--seed", type=int, default=25)
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": machine(), "entities": args.entities,
                               "messages": args.messages}  # fmt: skip
    with ExitStack() as stack:
        databases = Databases(stack)
        for backend in args.backends:
            with databases.fresh(backend) as url:
                engine = make_engine(url)
                built = build(engine, args)
                print(f"{backend}: built {built}", flush=True)
                measured = measure(engine)
                engine.dispose()
                results[backend] = {"build": built, **measured}
                print(f"{backend}: {orjson.dumps(measured).decode()}", flush=True)
    path = save(f"statistics_report_{args.entities}", results)
    print(f"saved {path}")


if __name__ == "__main__":
    main()
