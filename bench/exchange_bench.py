"""Exchange under faults: 10,000 messages from Kyiv's Nitka to Sofia's, the receiver
killed (SIGKILL) and restarted three times during the run.

Two real ``nitka serve`` processes on loopback, each with its own SQLite store
and keys. Each message is a request about one of the 204 real INTERPOL red
notices bundled with Nitka (a person with some ten statements), drafted,
approved and sent in Kyiv's store in batches, as fast as the producer can;
Kyiv's server delivers its outbox in the background. When Sofia has taken in
a quarter, half and three quarters of them, it is killed and started again.

Measured: messages per second (all 10,000, from the first sent to the last
acknowledged), delivery latency per message (sent to acknowledged: p50, p95,
max), and the counts lost (sent, never taken in) and doubled (taken in more
than once, from Sofia's audit trail). Targets: >= 200 messages/s, 0 lost,
0 doubled.

    python -m bench.exchange_bench [--messages 10000] [--kills 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import Engine, func, select

from bench.report import RESULTS, machine, save
from nitka.access.accounts import Account, add_account, create_token
from nitka.access.audit import iter_records
from nitka.access.organisations import add_agency
from nitka.access.visibility import Viewer
from nitka.demo import DATA
from nitka.exchange.delivery import pending
from nitka.exchange.keys import InstanceKeys, load_or_create
from nitka.exchange.kinds import Kind
from nitka.exchange.partners import add_partner
from nitka.exchange.workflow import Draft, approve, draft, send
from nitka.ingest.interpol import InterpolConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.settings import Settings
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.reader import iter_entities
from nitka.store.tables import message, outbox

KYIV, SOFIA = "ua-ncb", "bg-thb"
BATCH = 100


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Instance:
    """One agency's Nitka: store, keys, port, and its server process when running."""

    def __init__(self, agency: str, folder: Path) -> None:
        self.agency = agency
        self.folder = folder
        self.url = f"sqlite:///{folder / 'nitka.db'}"
        self.keys_dir = folder / "keys"
        self.port = free_port()
        self.engine: Engine = make_engine(self.url)
        upgrade(self.engine)
        self.keys: InstanceKeys = load_or_create(self.keys_dir)
        self.process: subprocess.Popen[bytes] | None = None
        self.token = ""

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "NITKA_DATABASE_URL": self.url,
            "NITKA_AGENCY_ID": self.agency,
            "NITKA_KEYS_DIR": str(self.keys_dir),
        }
        command = [sys.executable, "-m", "nitka.cli.main", "serve", "--port", str(self.port)]
        with (self.folder / "serve.log").open("ab") as log:
            # A session of its own: ``kill`` takes the whole server down, gunicorn's
            # master, its workers and the check log writer, as a crash of the machine would.
            self.process = subprocess.Popen(command, env=env, stderr=log, start_new_session=True)
        headers = {"Authorization": f"Bearer {self.token}"}
        for _ in range(300):
            try:
                if httpx.get(f"{self.address}/healthz", headers=headers).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.agency} did not start: see {self.folder / 'serve.log'}")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def set_up(folder: Path) -> tuple[Instance, Instance, dict[str, Account]]:
    if folder.exists():
        shutil.rmtree(folder)
    kyiv = Instance(KYIV, _mkdir(folder / "kyiv"))
    sofia = Instance(SOFIA, _mkdir(folder / "sofia"))
    accounts: dict[str, Account] = {}
    for here, there in ((kyiv, sofia), (sofia, kyiv)):
        with here.engine.begin() as conn:
            add_agency(conn, KYIV, "NCB Kyiv", "UA")
            add_agency(conn, SOFIA, "Anti-trafficking unit, Sofia", "BG")
            add_partner(
                conn,
                there.agency,
                there.address,
                there.keys.signing_public,
                there.keys.encryption_public,
                by="bench",
            )
            officer = add_account(conn, f"{here.agency}.officer", "liaison")
            chief = add_account(conn, f"{here.agency}.chief", "supervisor")
            here.token = create_token(conn, officer.name)
            if here is kyiv:
                accounts = {"officer": officer, "chief": chief}
    ingest(
        kyiv.engine,
        InterpolConverter(str(DATA / "interpol_red_notices.json"), "interpol_red_notices"),
        Provenance("interpol_red_notices"),
    )
    return kyiv, sofia, accounts


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def produce(
    kyiv: Instance, accounts: dict[str, Account], count: int, produced: list[float]
) -> None:
    """Draft, approve and send ``count`` messages in batches, each batch one transaction."""
    settings = Settings(agency_id=KYIV, keys_dir=str(kyiv.keys_dir))
    with kyiv.engine.connect() as conn:
        persons = [e.id for e in iter_entities(conn) if e.schema.name == "Person"]
    number = 0
    while number < count:
        with kyiv.engine.begin() as conn:
            viewer = Viewer.of(conn, accounts["officer"])
            for _ in range(min(BATCH, count - number)):
                person = persons[number % len(persons)]
                request = Draft(
                    Kind.REQUEST_INFORMATION,
                    SOFIA,
                    f"Request {number}: whereabouts and contacts",
                    text="Please report any entry, residence or contacts in Bulgaria.",
                    entity_ids=[person],
                )
                made = draft(conn, accounts["officer"], viewer, settings, request)
                approve(conn, accounts["chief"], made.id, settings)
                send(conn, accounts["officer"], made.id, kyiv.keys)
                number += 1
        produced.append(time.monotonic())


def received(sofia: Instance) -> int:
    with sofia.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(message).where(message.c.direction == "in")
            ).scalar_one()
        )


def undelivered(kyiv: Instance) -> int:
    return pending(kyiv.engine)


def run(messages: int, kills: int, steady: int, folder: Path) -> dict[str, Any]:
    """The backlog drained through three kills, then a steady trickle without faults."""
    kyiv, sofia, accounts = set_up(folder)
    kills_at = [messages * (k + 1) // (kills + 1) for k in range(kills)]
    restarts: list[dict[str, float]] = []
    try:
        sofia.start()
        # The officers' side (draft, approve, send: some 30 statements of SQL each,
        # 3 audit records) fills Kyiv's outbox while its server is down.
        made = time.monotonic()
        produce(kyiv, accounts, messages, [])
        produced_s = time.monotonic() - made
        start = time.monotonic()
        kyiv.start()
        for mark in kills_at:
            while received(sofia) < mark:
                time.sleep(0.01)
            down = time.monotonic()
            sofia.kill()
            sofia.start()
            restarts.append({"at_received": received(sofia), "down_s": time.monotonic() - down})
            print(f"killed and restarted Sofia at {mark:,} received", flush=True)
        while undelivered(kyiv):
            time.sleep(0.02)
        drained_s = time.monotonic() - start
        backlog = measure(kyiv, sofia, messages, since=start)
        trickle = steady_latency(kyiv, accounts, steady)
    finally:
        kyiv.stop()
        sofia.stop()
    return {
        **backlog,
        "produced": {"seconds": produced_s, "messages_per_s": messages / produced_s},
        "drained_s": drained_s,
        "messages_per_s": messages / drained_s,
        "restarts": restarts,
        "steady": trickle,
    }


def steady_latency(kyiv: Instance, accounts: dict[str, Account], count: int) -> dict[str, float]:
    """Messages sent one at a time, 20 a second, to an idle outbox: sent to acknowledged."""
    before = {row for (row,) in _delivered_rows(kyiv)}
    for _ in range(count):
        produce(kyiv, accounts, 1, [])
        time.sleep(0.05)
    while undelivered(kyiv):
        time.sleep(0.02)
    latencies = sorted(
        seconds for message_id, seconds in _latencies(kyiv) if message_id not in before
    )
    return {
        "messages": len(latencies),
        "latency_p50_s": statistics.median(latencies),
        "latency_p95_s": latencies[int(len(latencies) * 0.95) - 1],
    }


def _delivered_rows(kyiv: Instance) -> list[tuple[str]]:
    with kyiv.engine.connect() as conn:
        return [(row[0],) for row in conn.execute(select(outbox.c.message_id))]


def _latencies(kyiv: Instance) -> list[tuple[str, float]]:
    with kyiv.engine.connect() as conn:
        rows = conn.execute(
            select(message.c.id, message.c.sent_at, outbox.c.delivered_at).join(
                outbox, outbox.c.message_id == message.c.id
            )
        ).all()
    return [
        (m, (datetime.fromisoformat(done) - datetime.fromisoformat(sent)).total_seconds())
        for m, sent, done in rows
        if sent and done
    ]


def measure(kyiv: Instance, sofia: Instance, messages: int, since: float) -> dict[str, Any]:
    """Lost, doubled, and how long after the drain began each message was acknowledged."""
    with kyiv.engine.connect() as conn:
        rows = conn.execute(
            select(message.c.id, outbox.c.delivered_at, outbox.c.attempts).join(
                outbox, outbox.c.message_id == message.c.id
            )
        ).all()
    started = datetime.now(UTC).timestamp() - (time.monotonic() - since)
    waits = sorted(
        datetime.fromisoformat(done).timestamp() - started for _, done, _ in rows if done
    )
    sent_ids = {row[0] for row in rows}
    with sofia.engine.connect() as conn:
        got = set(conn.execute(select(message.c.id).where(message.c.direction == "in")).scalars())
        taken_in = Counter(
            orjson.loads(record.subject).get("message received")
            for record in iter_records(conn)
            if record.action == "change" and '"message received"' in record.subject
        )
    return {
        "messages": messages,
        "sent": len(sent_ids),
        "lost": len(sent_ids - got),
        "doubled": sum(count - 1 for count in taken_in.values() if count > 1),
        "taken_in": sum(taken_in.values()),
        "retried_messages": sum(1 for row in rows if row[2] > 0),
        "acknowledged_after_p50_s": statistics.median(waits),
        "acknowledged_after_p95_s": waits[int(len(waits) * 0.95) - 1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--steady", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    runs = []
    for number in range(args.runs):
        result = run(args.messages, args.kills, args.steady, RESULTS / "exchange" / f"run{number}")
        print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode(), flush=True)
        runs.append(result)
    rates = [r["messages_per_s"] for r in runs]
    path = save(
        "exchange",
        {
            "machine": machine(),
            "runs": runs,
            "median_messages_per_s": statistics.median(rates),
        },
    )
    print(f"saved {path}")


if __name__ == "__main__":
    main()
