"""The exchange's access matrix, over both front ends: every role (and an investigator
outside the case) takes every exchange action at the command line (production mode,
signed in with a token) and over HTTP, on equal fresh messages. Both answer the
same (allowed, refused, no message), as the table below says, and nothing of a
message's body reaches an actor that is refused or outside its case."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import Engine
from typer.testing import Result

from nitka.access.accounts import create_token
from nitka.access.audit import by_actor
from nitka.exchange.kinds import Kind
from nitka.services import exchange as service
from nitka.services.exchange import Draft
from nitka.services.guard import transaction
from nitka.web.app import create_app
from tests.cli.signing import Cli
from tests.services.exchange_world import (
    ACCOUNTS,
    CASE,
    DRAFT_SECRET,
    INCOMING_SECRET,
    SUSPECT,
    THEM,
    US,
    VICTIM_NAME,
    World,
    actor,
    incoming,
    make_world,
)
from tests.web.serving import in_process

OK, REFUSED, NOT_THERE = 200, 403, 404
ROLES = (
    "analyst.in",
    "investigator.in",
    "investigator.out",
    "liaison.desk",
    "supervisor.two",
    "auditor.a",
    "admin.one",
)
READERS_IN_SIGHT = {"analyst.in": OK, "investigator.in": OK, "investigator.out": NOT_THERE,
                    "liaison.desk": OK, "supervisor.two": OK,
                    "auditor.a": REFUSED, "admin.one": REFUSED}  # fmt: skip
ANY_READER = {**READERS_IN_SIGHT, "investigator.out": OK}
SUPERVISOR_ONLY = {name: OK if name == "supervisor.two" else REFUSED for name in ROLES}
EXPECTED: dict[str, dict[str, int]] = {
    "show": READERS_IN_SIGHT,
    "list": ANY_READER,
    "due": ANY_READER,
    "overdue": ANY_READER,
    "stats": {
        name: OK if name in ("liaison.desk", "supervisor.two") else REFUSED for name in ROLES
    },
    "draft": ANY_READER,
    "decide": SUPERVISOR_ONLY,
    "approve": SUPERVISOR_ONLY,
    # Its author (investigator.in), a liaison officer or a supervisor sends.
    "send": {**READERS_IN_SIGHT, "analyst.in": REFUSED},
    "take-up": READERS_IN_SIGHT,
    "close": READERS_IN_SIGHT,
    "answer": READERS_IN_SIGHT,
    # Retracting names an entity: one the actor sees, or that left in messages it sees
    # (the liaison officer sees every message, though no member of the case).
    "retract": READERS_IN_SIGHT,
}
SECRETS = (DRAFT_SECRET, INCOMING_SECRET, VICTIM_NAME)


@dataclass
class Targets:
    """Fresh messages for one actor on one front end."""

    draft: str
    approved: str
    incoming: str


@dataclass
class Setup:
    world: World
    tokens: dict[str, str]
    cli: Cli
    http: httpx.Client
    made: int = 0

    def targets(self) -> Targets:
        """A draft and an approved message (by investigator.in, in case c1) and a
        request received from the partner (in c1)."""
        self.made += 1
        world = self.world
        author = actor("investigator.in")
        request = Draft(Kind.REQUEST_INFORMATION, THEM, "Recruiter network", text=DRAFT_SECRET,
                        entity_ids=[SUSPECT], case=CASE)  # fmt: skip
        body = {
            "kind": "request-information",
            "reference": f"BG-{self.made}",
            "subject": "Do you know him?",
            "text": INCOMING_SECRET,
            "priority": "normal",
            "statements": [],
        }
        envelope = incoming(world.partner_keys, world.keys, f"in-m{self.made}", body)
        with transaction(world.engine) as conn:
            made = service.draft(conn, author, world.settings, request)
            ready = service.draft(conn, author, world.settings, request)
            service.approve(conn, actor("supervisor.in"), world.settings, ready.id)
            service.receive(conn, "test", envelope, world.keys, world.settings)
        return Targets(made.id, ready.id, f"in-m{self.made}")


@pytest.fixture
def setup(engine: Engine, database_url: str, tmp_path: Path) -> Iterator[Setup]:
    world = make_world(engine, tmp_path)
    with transaction(engine) as conn:  # the suspect has left once: it may be retracted
        service.approve(conn, actor("supervisor.in"), world.settings, world.draft_id)
        service.send(conn, actor("investigator.in"), world.keys, world.draft_id)
    with engine.begin() as conn:
        tokens = {name: create_token(conn, name) for name in ACCOUNTS}
    home = tmp_path / "home"
    home.mkdir()
    env = {"NITKA_AGENCY_ID": US, "NITKA_KEYS_DIR": world.settings.keys_dir,
           "NITKA_EXCHANGE_CASE": CASE}  # fmt: skip
    cli = Cli(database_url, home, extra=env)
    with in_process(create_app(engine, (), world.settings)) as http:
        yield Setup(world, tokens, cli, http)


def _over_cli(setup: Setup, name: str, action: str, t: Targets) -> tuple[int, str]:
    commands: dict[str, tuple[str, ...]] = {
        "show": ("message", "show", t.draft, "--json"),
        "list": ("message", "list", "--json"),
        "due": ("message", "due", "--hours", "720", "--json"),
        "overdue": ("message", "overdue", "--json"),
        "stats": ("message", "stats"),
        "draft": ("message", "draft", "--to", THEM, "--subject", "Hello", "--json"),
        "decide": ("message", "decide", t.draft, "--clear", "--reasoning", "no Art. 3 issue"),
        "approve": ("message", "approve", t.draft),
        "send": ("message", "send", t.approved),
        "take-up": ("message", "take-up", t.incoming),
        "close": ("message", "close", t.incoming),
        "answer": ("message", "answer", t.incoming, "--text", "We do."),
        "retract": ("message", "retract", SUSPECT, "--reason", "wrong person", "--json"),
    }
    done: Result = setup.cli.production(*commands[action], token=setup.tokens[name])
    text = done.output + done.stderr
    if done.exit_code == 0:
        return OK, text
    if "no message" in done.stderr or "no entity" in done.stderr:
        return NOT_THERE, text
    if "may not" in done.stderr or "reads no case data" in done.stderr:
        return REFUSED, text
    return done.exit_code, text


def _over_http(setup: Setup, name: str, action: str, t: Targets) -> tuple[int, str]:
    http = setup.http
    headers = {"Authorization": f"Bearer {setup.tokens[name]}"}
    base = "/exchange/messages"
    requests: dict[str, Callable[[], Any]] = {
        "show": lambda: http.get(f"{base}/{t.draft}", headers=headers),
        "list": lambda: http.get(base, headers=headers),
        "due": lambda: http.get("/exchange/due", params={"hours": 720}, headers=headers),
        "overdue": lambda: http.get("/exchange/overdue", headers=headers),
        "stats": lambda: http.get("/exchange/statistics", headers=headers),
        "draft": lambda: http.post(
            base,
            headers=headers,
            json={"kind": "request-information", "to": THEM, "subject": "Hello"},
        ),
        "decide": lambda: http.post(
            f"{base}/{t.draft}/decision",
            headers=headers,
            json={"cleared": True, "reasoning": "no Art. 3 issue"},
        ),
        "approve": lambda: http.post(f"{base}/{t.draft}/approve", headers=headers, json={}),
        "send": lambda: http.post(f"{base}/{t.approved}/send", headers=headers),
        "take-up": lambda: http.post(f"{base}/{t.incoming}/take-up", headers=headers),
        "close": lambda: http.post(f"{base}/{t.incoming}/close", headers=headers, json={}),
        "answer": lambda: http.post(
            base,
            headers=headers,
            json={
                "kind": "answer",
                "to": THEM,
                "subject": "Re",
                "text": "We do.",
                "reply_to": t.incoming,
            },
        ),
        "retract": lambda: http.post(
            "/exchange/changes",
            headers=headers,
            json={"kind": "retraction", "entities": [SUSPECT], "reason": "wrong person"},
        ),
    }
    answer = requests[action]()
    return answer.status_code, answer.text


def test_both_front_ends_give_every_role_the_same_answer_and_leak_nothing(setup: Setup) -> None:
    answers: dict[str, dict[str, dict[str, int]]] = {"cli": {}, "http": {}}
    leaks: list[str] = []
    for name in ROLES:
        for front, run in (("cli", _over_cli), ("http", _over_http)):
            targets = setup.targets()
            answers[front][name] = {}
            for action in EXPECTED:
                status, text = run(setup, name, action, targets)
                answers[front][name][action] = status
                for secret in SECRETS:
                    # Only a message shown to a reader in sight carries its text.
                    may_read = status == OK and action == "show" and secret == DRAFT_SECRET
                    if secret in text and not may_read:
                        leaks.append(f"{front} {name} {action}: {secret!r}")
            if name == "investigator.out":
                # Outside the case, the lists are empty on both sides.
                for action in ("list", "due", "overdue"):
                    _, listed = run(setup, name, action, targets)
                    assert targets.draft not in listed and targets.incoming not in listed
    expected = {name: {a: EXPECTED[a][name] for a in EXPECTED} for name in ROLES}
    assert answers["cli"] == answers["http"]
    assert answers["http"] == expected
    assert leaks == []


def test_partners_keys_and_the_outbox_at_the_command_line(setup: Setup) -> None:
    """The exchange's set-up in production mode: an administrator registers partners
    and makes the keys; readers list partners; the exchange desk delivers."""
    cli, tokens, world = setup.cli, setup.tokens, setup.world
    key = world.partner_keys.signing_public
    add = ("partner", "add", "md-igp", "--address", "https://md.example", "--signing-key", key,
           "--name", "Moldovan police", "--country", "MD")  # fmt: skip
    refused = cli.production(*add, token=tokens["liaison.desk"])
    assert refused.exit_code == 1 and "a liaison may not do this" in refused.stderr
    added = cli.production(*add, token=tokens["admin.one"])
    assert added.exit_code == 0 and "md-igp is a partner at https://md.example" in added.output
    listed = cli.production("partner", "list", "--json", token=tokens["analyst.in"])
    assert listed.exit_code == 0
    assert [p["agency_id"] for p in orjson.loads(listed.stdout)] == [THEM, "md-igp"]
    assert cli.production("partner", "list", token=tokens["auditor.a"]).exit_code == 1

    keys = cli.production("exchange", "keys", "--json", token=tokens["admin.one"])
    assert keys.exit_code == 0
    assert orjson.loads(keys.stdout)["signing_key"] == world.keys.signing_public
    assert cli.production("exchange", "keys", token=tokens["supervisor.two"]).exit_code == 1

    assert cli.production("exchange", "deliver", token=tokens["analyst.in"]).exit_code == 1
    delivered = cli.production("exchange", "deliver", token=tokens["liaison.desk"])
    assert delivered.exit_code == 0 and "delivered" in delivered.output
    with world.engine.connect() as conn:
        admin = [(r.outcome, orjson.loads(r.subject)) for r in by_actor(conn, "admin.one")]
        desk = [r.outcome for r in by_actor(conn, "liaison.desk")]
    assert ("done", {"partner add": "md-igp", "address": "https://md.example"}) in admin
    assert desk == ["refused", "done"]
