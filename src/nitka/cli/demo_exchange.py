"""The demo's exchange: a partner agency's Nitka beside the demo workspace, and one
round trip between them over real HTTP.

``nitka demo --serve`` sets up a second instance (the partner: its own SQLite
file next to the workspace's store, its own keys and port), registers each as
the other's partner, starts the partner's server, and sends what two agencies
would send each other:

1. the workspace asks the partner who holds an account of its demo case
   (drafted, approved by a second person, sent, and delivered at once: the
   partner is serving);
2. the partner answers it, and asks something of its own (urgent, so with a
   deadline, and under H2). Both wait in the partner's outbox until the
   workspace's server is up; the partner's server then delivers them.

Every step is a service function (``nitka.services``), taken by the demo's
local operator (the set-up) or a demo account of the instance concerned (the
messages). Each message has a fixed reference, and a step whose message is
there already is skipped: running the demo twice sends nothing twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from nitka.access.accounts import find_account
from nitka.access.actor import Actor, Proof
from nitka.access.cases import case_exists
from nitka.access.organisations import find_agency
from nitka.cli.context import origin
from nitka.demo import (
    AMLSIM_ACCOUNT,
    DEMO_ACCOUNTS,
    DEMO_CASE,
    DEMO_PASSWORD,
    HOME_AGENCY,
    HOME_REQUEST,
    PARTNER_AGENCY,
    PARTNER_ANSWER,
    PARTNER_REQUEST,
    SAMPLES,
    DemoAgency,
    DemoMessage,
)
from nitka.exchange.kinds import Kind, Priority, Status
from nitka.exchange.messages import Message
from nitka.ingest.base import entity_id
from nitka.ingest.transactions import account_key
from nitka.model.handling import HandlingCode
from nitka.services import admin, cases
from nitka.services import exchange as service
from nitka.services.exchange import Draft
from nitka.services.guard import transaction
from nitka.settings import Settings
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade

PURPOSE = "demo exchange"
READY_SECONDS = 120.0
"""How long the partner's server may take to start."""
DELIVERY_SECONDS = 30.0
AUTHOR, APPROVER = "demo.liaison", "demo.supervisor"
"""Who writes (and sends) each demo message, and who approves it: four eyes."""
HOME_AUTHOR = "demo.investigator"
"""Who writes the workspace's request: a member of the demo case it is about."""
EXCHANGE_MEMBERS = ("demo.investigator", "demo.analyst")
"""Who, besides the exchange desk, sees what partners send unasked (the exchange case)."""


class DemoExchangeError(Exception):
    """The partner could not be set up, started or reached; says why."""


@dataclass(frozen=True)
class Instance:
    """One agency's Nitka in the demo: its agency, store, settings and address."""

    agency: DemoAgency
    engine: Engine
    settings: Settings
    address: str
    """Where its server answers (``http://127.0.0.1:8000``)."""

    def operator(self) -> Actor:
        """The demo's local operator, who sets the instance up (development mode)."""
        return Actor.operator("demo", origin=origin(), purpose=PURPOSE)

    def account(self, name: str) -> Actor:
        """A demo account of this instance, acting for the round trip."""
        with self.engine.connect() as conn:
            found = find_account(conn, name)
        if found is None:
            raise DemoExchangeError(f"{self.agency.id} has no demo account {name!r}")
        return Actor.of(found, proof=Proof.NAMED, origin=origin(), purpose=PURPOSE)


def address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def partner_paths(database_url: str) -> tuple[str, Path, Path]:
    """The partner's store, keys folder and server log: beside the workspace's SQLite
    file, or in the working folder when the workspace's store is a server."""
    url = make_url(database_url)
    folder, stem = Path(), "nitka"
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(str(url.database))
        folder, stem = path.parent, path.stem
    base = folder / f"{stem}-partner"
    return f"sqlite:///{base}.db", Path(f"{base}-keys"), Path(f"{base}.log")


def home_instance(engine: Engine, settings: Settings, host: str, port: int) -> Instance:
    """The workspace as an agency: the one ``NITKA_AGENCY_ID`` names, else the demo's."""
    agency = HOME_AGENCY
    if settings.agency_id and settings.agency_id != HOME_AGENCY.id:
        agency = DemoAgency(settings.agency_id, settings.agency_id, "")
    chosen = settings.model_copy(update={"agency_id": agency.id})
    return Instance(agency, engine, chosen, address(host, port))


def partner_instance(home: Settings, host: str, port: int) -> Instance:
    """The partner's instance, its store made and upgraded (the caller disposes of
    its engine)."""
    url, keys_dir, _ = partner_paths(home.database_url)
    chosen = home.model_copy(
        update={"database_url": url, "agency_id": PARTNER_AGENCY.id, "keys_dir": str(keys_dir)}
    )
    engine = make_engine(url)
    upgrade(engine)
    return Instance(PARTNER_AGENCY, engine, chosen, address(host, port))


def set_up(instance: Instance, other: Instance) -> None:
    """The instance's agency, keys and demo accounts, and the other as its partner.
    The demo accounts that read case data are members of the demo case where the
    store holds it; some see what partners send unasked too (the exchange case)."""
    actor = instance.operator()
    partner_keys = service.keys_of(other.settings)
    with transaction(instance.engine) as conn:
        ours = instance.agency
        if find_agency(conn, ours.id) is None:
            admin.add_agency(conn, actor, ours.id, ours.name, ours.country or None)
        for name, role in DEMO_ACCOUNTS:
            if find_account(conn, name) is None:
                admin.add_user(conn, actor, name, role, password=DEMO_PASSWORD)
        case = instance.settings.exchange_case
        if not case_exists(conn, case):
            cases.open_case(conn, actor, case, "Incoming messages")
        for name in EXCHANGE_MEMBERS:
            cases.add_case_member(conn, actor, case, name)
        if case_exists(conn, DEMO_CASE):
            for name, role in DEMO_ACCOUNTS:
                if role != "auditor":
                    cases.add_case_member(conn, actor, DEMO_CASE, name)
        service.identity(conn, actor, instance.settings)
        known = {p.agency_id: p for p in service.list_partners(conn, actor)}
        if other.agency.id not in known:
            service.add_partner(
                conn,
                actor,
                other.agency.id,
                other.address,
                partner_keys.signing_public,
                partner_keys.encryption_public,
                name=other.agency.name,
                country=other.agency.country or None,
            )
        elif known[other.agency.id].address != other.address:
            raise DemoExchangeError(
                f"{instance.agency.id} knows {other.agency.id} at "
                f"{known[other.agency.id].address}, not {other.address}: run the demo with "
                "the ports of its first run, or remove the demo's stores to start afresh"
            )


@contextmanager
def partner_server(partner: Instance, port: int, host: str, log: Path) -> Iterator[None]:
    """``nitka serve`` on the partner's store, in a process of its own; stopped when
    the block ends (when the workspace's server stops)."""
    environment = {
        **os.environ,
        "NITKA_DATABASE_URL": partner.settings.database_url,
        "NITKA_AGENCY_ID": partner.agency.id,
        "NITKA_KEYS_DIR": partner.settings.keys_dir,
    }
    command = [sys.executable, "-m", "nitka.cli.main", "serve", "--host", host, "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, env=environment, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        _wait_until_up(partner.address, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise DemoExchangeError(f"the partner's server stopped (see {log}):\n{tail}")
        try:
            if httpx.get(f"{base}/exchange/identity", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise DemoExchangeError(f"the partner's server did not answer at {base} (see {log})")


def round_trip(home: Instance, partner: Instance) -> list[str]:
    """The workspace's request, delivered now; the partner's answer and its own
    request, delivered once the workspace serves. What was done, in words."""
    done: list[str] = []
    asked = _message(home, HOME_REQUEST.reference)
    if asked is None:
        asked = _send(home, HOME_AUTHOR, _draft(HOME_REQUEST, partner, [_account()], DEMO_CASE))
        done.append(f"{home.agency.id} asked {partner.agency.id}: {HOME_REQUEST.subject}")
    if asked.status is Status.SENT:
        _deliver(home)
    received = _message(partner, HOME_REQUEST.reference)
    if received is None:
        raise DemoExchangeError(f"{partner.agency.id} did not receive {HOME_REQUEST.reference}")
    if _message(partner, PARTNER_ANSWER.reference) is None:
        liaison = partner.account(AUTHOR)
        if received.status is Status.RECEIVED:
            with transaction(partner.engine) as conn:
                service.take_up(conn, liaison, received.id)
        answer = _draft(PARTNER_ANSWER, home, [], None, in_reply_to=received.id)
        _send(partner, AUTHOR, answer)
        done.append(f"{partner.agency.id} answered it")
    if _message(partner, PARTNER_REQUEST.reference) is None:
        _send(partner, AUTHOR, _draft(PARTNER_REQUEST, home, [], None))
        done.append(f"{partner.agency.id} asked {home.agency.id}: {PARTNER_REQUEST.subject}")
    return done


def _account() -> str:
    """The id the demo's ingest gave the account the workspace asks about."""
    dataset = next(s.dataset for s in SAMPLES if s.kind == "transactions")
    return entity_id("transactions", dataset, "account", account_key(AMLSIM_ACCOUNT))


def _draft(
    message: DemoMessage,
    to: Instance,
    entities: list[str],
    case: str | None,
    *,
    in_reply_to: str | None = None,
) -> Draft:
    return Draft(
        kind=Kind(message.kind),
        receiver=to.agency.id,
        subject=message.subject,
        text=message.text,
        priority=Priority(message.priority),
        entity_ids=entities,
        case=case,
        legal_basis=message.legal_basis,
        in_reply_to=in_reply_to,
        reference=message.reference,
        handling=HandlingCode(message.handling) if message.handling else None,
    )


def _send(instance: Instance, author: str, request: Draft) -> Message:
    """Drafted by ``author``, approved by the demo supervisor, sent by the author."""
    writer, approver = instance.account(author), instance.account(APPROVER)
    settings = instance.settings
    with transaction(instance.engine) as conn:
        made = service.draft(conn, writer, settings, request)
    with transaction(instance.engine) as conn:
        service.approve(conn, approver, settings, made.id)
    with transaction(instance.engine) as conn:
        return service.send(conn, writer, service.keys_of(settings), made.id)


def _deliver(instance: Instance) -> None:
    done = service.deliver_outbox(
        instance.engine, instance.account(APPROVER), wait=DELIVERY_SECONDS
    )
    if done.waiting:
        raise DemoExchangeError(
            f"{instance.agency.id} could not deliver its outbox ({done.waiting} waiting)"
        )


def _message(instance: Instance, reference: str) -> Message | None:
    """The instance's message with this reference, if it holds one."""
    with transaction(instance.engine) as conn:
        found = service.list_messages(conn, instance.operator())
    return next((m for m in found if m.reference == reference), None)
