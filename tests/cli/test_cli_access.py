"""The command line answers as HTTP does: the drifts issue 20 found, each closed.

Merges record who acts; an auditor may not undo a merge; a name that is no
account may not merge in production; erasure needs a supervisor; a message
outside the reader's cases is not there, and its victims' statements are not
shown to those who may not see them.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson
import pytest
from sqlalchemy import Engine, func, select

from nitka.access.accounts import add_account, create_token
from nitka.access.audit import AuditRecord, by_actor
from nitka.access.cases import add_case, add_member
from nitka.access.organisations import add_agency
from nitka.access.visibility import Viewer
from nitka.exchange.keys import load_or_create
from nitka.exchange.kinds import Kind
from nitka.exchange.partners import add_partner
from nitka.exchange.workflow import Draft, draft
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.resolve.merges import judgements_for
from nitka.settings import Settings
from nitka.store.tables import statement
from tests.cli.signing import Cli
from tests.helpers import make_entity, store_entities
from tests.web.serving import serving

CASE = "2026-THB-017"
VICTIM_NAME = "Марія Коваль"
ACCOUNTS = {
    "a.outside": "analyst",
    "i.member": "investigator",
    "l.desk": "liaison",
    "s.chief": "supervisor",
    "aud.one": "auditor",
}


@pytest.fixture
def store(engine: Engine, database_url: str, tmp_path: Path) -> tuple[Cli, dict[str, str]]:
    """Accounts with API tokens, two open-register persons, and a case with a victim
    and a suspect of which only the investigator is a member."""
    with engine.begin() as conn:
        for name, role in ACCOUNTS.items():
            add_account(conn, name, role)
        tokens = {name: create_token(conn, name) for name in ACCOUNTS}
        add_case(conn, CASE, by="test")
        add_member(conn, CASE, "i.member", by="test")
    store_entities(
        engine,
        [
            make_entity("Person", "x1", name="Oleh Petrenko", birthDate="1980-02-03"),
            make_entity("Person", "x2", name="Олег Петренко", birthDate="1980-02-03"),
        ],
        Provenance("register", category=DataSubjectCategory.SUSPECT),
    )
    victim = make_entity("Person", "v1", name=VICTIM_NAME, birthDate="1999-04-01")
    store_entities(
        engine, [victim], Provenance("npu", case=CASE, category=DataSubjectCategory.VICTIM)
    )
    suspect = make_entity("Person", "c1", name="Іван Бондар")
    store_entities(
        engine, [suspect], Provenance("npu", case=CASE, category=DataSubjectCategory.SUSPECT)
    )
    home = tmp_path / "home"
    home.mkdir()
    return Cli(database_url, home), tokens


def _records(engine: Engine, actor: str) -> list[AuditRecord]:
    with engine.connect() as conn:
        return by_actor(conn, actor)


def _statements(engine: Engine, canonical_id: str) -> int:
    with engine.connect() as conn:
        found = conn.execute(
            select(func.count()).where(statement.c.canonical_id == canonical_id)
        ).scalar_one()
    return int(found)


def test_a_merge_records_the_actor_as_who_decided(
    store: tuple[Cli, dict[str, str]], engine: Engine
) -> None:
    cli, tokens = store
    analyst = tokens["a.outside"]
    merge = ("merge", "x1", "x2", "--reason", "same birth date, transliteration")
    refused = cli.production(*merge, "--user", "s.chief", token=analyst)
    assert refused.exit_code == 1
    assert "signed in as a.outside" in refused.stderr and "--user names s.chief" in refused.stderr
    with engine.connect() as conn:
        assert judgements_for(conn, "x1") == []

    done = cli.production(*merge, token=analyst)
    assert done.exit_code == 0, done.output
    with engine.connect() as conn:
        assert [j.user for j in judgements_for(conn, "x1")] == ["a.outside"]
    changes = [r for r in _records(engine, "a.outside") if r.action == "change"]
    assert [r.outcome for r in changes] == ["refused", "done"]
    assert orjson.loads(changes[1].subject)["merge"] == ["x1", "x2"]

    # In development --user still names who works, and the audit says the same.
    undone = cli("unmerge", "1", "--reason", "wrong", "--user", "dev.person")
    assert undone.exit_code == 0, undone.output
    with engine.connect() as conn:
        assert [j.user for j in judgements_for(conn, "x1")] == ["a.outside", "dev.person"]
    assert [r.action for r in _records(engine, "dev.person")] == ["change"]
    clash = cli("--as", "i.member", "merge", "x1", "x2", "--reason", "r", "--user", "dev.person")
    assert clash.exit_code == 1 and "--user dev.person is not who works" in clash.stderr


def test_an_auditor_may_not_undo_a_merge(store: tuple[Cli, dict[str, str]], engine: Engine) -> None:
    cli, tokens = store
    merged = cli.production("merge", "x1", "x2", "--reason", "same", token=tokens["s.chief"])
    assert merged.exit_code == 0, merged.output

    by_name = cli("--as", "aud.one", "unmerge", "1", "--reason", "wrong")
    assert by_name.exit_code == 1 and "an auditor reads no case data" in by_name.stderr
    signed = cli.production("unmerge", "1", "--reason", "wrong", token=tokens["aud.one"])
    assert signed.exit_code == 1 and "an auditor reads no case data" in signed.stderr
    history = cli("--as", "aud.one", "judgements", "x1", "--json")
    assert history.exit_code == 1
    with engine.connect() as conn:
        assert [j.kind for j in judgements_for(conn, "x1")] == ["merge"]
    refusals = [r.outcome for r in _records(engine, "aud.one")]
    assert refusals == ["refused", "refused", "refused"]


def test_a_name_that_is_no_account_may_not_merge_in_production(
    store: tuple[Cli, dict[str, str]], engine: Engine
) -> None:
    cli, _ = store
    refused = cli("--as", "nobody", "merge", "x1", "x2", "--reason", "r", production=True)
    assert refused.exit_code == 1 and "nitka login" in refused.stderr
    with engine.connect() as conn:
        assert judgements_for(conn, "x1") == []
    assert [r.outcome for r in _records(engine, "nobody")] == ["refused"]
    # A local operator may, in development.
    done = cli("--as", "nobody", "merge", "x1", "x2", "--reason", "r")
    assert done.exit_code == 0 and "local operator" in done.stderr
    with engine.connect() as conn:
        assert [j.user for j in judgements_for(conn, "x1")] == ["nobody"]


def test_a_merge_of_an_entity_the_actor_may_not_see_finds_no_entity(
    store: tuple[Cli, dict[str, str]], engine: Engine
) -> None:
    cli, tokens = store
    hidden = cli.production("merge", "x1", "c1", "--reason", "r", token=tokens["a.outside"])
    assert hidden.exit_code == 1 and "no entity with id 'c1'" in hidden.stderr
    with engine.connect() as conn:
        assert judgements_for(conn, "x1") == []
    shown = cli.production("merge", "x1", "c1", "--reason", "r", token=tokens["i.member"])
    assert shown.exit_code == 0, shown.output


def test_erasure_needs_a_signed_in_supervisor(
    store: tuple[Cli, dict[str, str]], engine: Engine
) -> None:
    cli, tokens = store
    erase = ("erase", "x1", "--reason", "Art. 16 request")
    nobody = cli.production(*erase)
    assert nobody.exit_code == 1 and "nitka login" in nobody.stderr
    analyst = cli.production(*erase, token=tokens["a.outside"])
    assert analyst.exit_code == 1 and "an analyst may not do this" in analyst.stderr
    assert _statements(engine, "x1") > 0

    done = cli.production(*erase, token=tokens["s.chief"])
    assert done.exit_code == 0, done.output
    assert _statements(engine, "x1") == 0
    tombstone = [r for r in _records(engine, "s.chief") if r.action == "erasure"]
    assert len(tombstone) == 1 and tombstone[0].outcome == "done"
    assert orjson.loads(tombstone[0].subject)["erased"] == "x1"
    assert [r.outcome for r in _records(engine, "a.outside")] == ["refused"]


@pytest.fixture
def message_id(store: tuple[Cli, dict[str, str]], engine: Engine, tmp_path: Path) -> str:
    """A draft of the investigator's about the case's victim, to a partner."""
    cli, _ = store
    settings = Settings(agency_id="ua-npu", keys_dir=str(tmp_path / "keys"))
    partner = load_or_create(tmp_path / "partner-keys")
    with engine.begin() as conn:
        add_agency(conn, "ua-npu", "National Police", "UA")
        add_agency(conn, "bg-thb", "Bulgarian police", "BG")
        add_partner(
            conn,
            "bg-thb",
            "https://bg.example",
            partner.signing_public,
            partner.encryption_public,
            by="test",
        )
    with engine.begin() as conn:
        author = add_account(conn, "i.author", "investigator")
        add_member(conn, CASE, "i.author", by="test")
        request = Draft(
            kind=Kind.REQUEST_INFORMATION,
            receiver="bg-thb",
            subject="victim of recruiter network",
            entity_ids=["v1"],
            case=CASE,
        )
        made = draft(conn, author, Viewer.of(conn, author), settings, request)
    cli.extra["NITKA_AGENCY_ID"] = "ua-npu"
    return made.id


def test_a_message_outside_the_readers_cases_is_not_there(
    store: tuple[Cli, dict[str, str]], engine: Engine, message_id: str
) -> None:
    cli, tokens = store
    outside = cli.production("message", "show", message_id, "--json", token=tokens["a.outside"])
    assert outside.exit_code == 1
    assert f"no message '{message_id}'" in outside.stderr and VICTIM_NAME not in outside.output
    named = cli("--as", "a.outside", "message", "show", message_id)
    assert named.exit_code == 1 and VICTIM_NAME not in named.output
    missing = cli.production("message", "show", "no-such-id", token=tokens["a.outside"])
    assert missing.exit_code == 1 and "no message 'no-such-id'" in missing.stderr
    listed = cli.production("message", "list", "--json", token=tokens["a.outside"])
    assert listed.exit_code == 0 and orjson.loads(listed.stdout) == []
    # Each attempt is recorded, a message that does not exist as one not shown.
    assert [r.outcome for r in _records(engine, "a.outside")] == ["refused"] * 3

    member = cli.production("message", "show", message_id, "--json", token=tokens["i.member"])
    assert member.exit_code == 0, member.output
    names = {
        s["value"] for s in orjson.loads(member.stdout)["body"]["statements"] if s["prop"] == "name"
    }
    assert names == {VICTIM_NAME}
    # The exchange desk sees every message, but not who the victims are.
    desk = cli.production("message", "show", message_id, "--json", token=tokens["l.desk"])
    assert desk.exit_code == 0, desk.output
    assert orjson.loads(desk.stdout)["body"]["statements"] == []
    assert VICTIM_NAME not in desk.output


def test_message_show_answers_as_the_api_does(
    store: tuple[Cli, dict[str, str]],
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    message_id: str,
) -> None:
    """The same readers, the same message: over real HTTP and at the command line."""
    cli, tokens = store
    settings = {"NITKA_AGENCY_ID": "ua-npu", "NITKA_KEYS_DIR": str(tmp_path / "keys")}
    statuses = []
    with serving(engine, database_url, tmp_path, lists=(), env=settings) as service:
        for reader in ("a.outside", "i.member", "l.desk"):
            answer = httpx.get(
                f"{service.url}/exchange/messages/{message_id}",
                headers={"Authorization": f"Bearer {tokens[reader]}"},
            )
            shown = cli.production("message", "show", message_id, "--json", token=tokens[reader])
            statuses.append(answer.status_code)
            if answer.status_code == 404:
                assert shown.exit_code == 1 and "no message" in shown.stderr, reader
                continue
            assert answer.status_code == 200 and shown.exit_code == 0, reader
            assert orjson.loads(shown.stdout)["body"] == answer.json()["body"], reader
    assert statuses == [404, 200, 200]
