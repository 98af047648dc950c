"""A write made from the command line takes effect in every worker of a running server:
an erasure, a merge, its undo and a withdrawal (the after-write step, docs/architecture.md)."""

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import orjson
from sqlalchemy import Engine

from tests.helpers import nitka_process
from tests.web.serving import Service, serving

WANTED = "interpol_red_notices"
NOTICE = {
    "entity_id": "2026/77777",
    "forename": "MYKOLA",
    "name": "HRYSHCHENKO",
    "date_of_birth": "1979/05/06",
    "nationalities": ["UA"],
    "arrest_warrants": [{"issuing_country_id": "UA", "charge": "Trafficking in persons"}],
}
TWIN = {**NOTICE, "entity_id": "2026/77778", "forename": "NIKOLAI", "name": "GRISHCHENKO"}
ENTRY, TWIN_ENTRY = "interpol-red-2026-77777", "interpol-red-2026-77778"
QUERY = {
    "schema": "Person",
    "properties": {"name": ["Микола Грищенко"], "birthDate": ["1979-05-06"]},
}
WITHIN = 2.0
"""Seconds within which every worker must answer with the change (the issue's bound)."""
ROUNDS = 10
"""Checks per look, each on a new connection, so that both workers answer some."""


def _cli(database_url: str, *args: str) -> str:
    done = nitka_process(database_url, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _hits(service: Service) -> tuple[set[str], set[int]]:
    """The entry ids any of ``ROUNDS`` checks hit, and the workers that answered."""
    found: set[str] = set()
    workers: set[int] = set()
    for _ in range(ROUNDS):
        with httpx.Client() as client:
            answer = client.post(f"{service.url}/screen", json=QUERY, headers=service.officer)
            assert answer.status_code == 200, answer.text
            found |= {hit["id"] for hit in answer.json()["hits"]}
            workers.add(
                client.get(f"{service.url}/healthz", headers=service.officer).json()["worker"]
            )
    return found, workers


def _settles(service: Service, expected: Callable[[set[str]], bool]) -> float:
    """Seconds until every check answers as ``expected``; fails after ``WITHIN``."""
    started = time.monotonic()
    while True:
        found, _ = _hits(service)
        waited = time.monotonic() - started
        if expected(found):
            # Settled: and it stays so in every worker.
            again, _ = _hits(service)
            assert expected(again), f"a worker still answers {again}"
            return waited
        assert waited < WITHIN, f"still {found} after {waited:.1f} s"


def test_erasure_merge_undo_and_withdrawal_reach_both_workers_within_two_seconds(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    notices = tmp_path / "notices.json"
    notices.write_bytes(orjson.dumps([NOTICE, TWIN]))
    with serving(listed, database_url, tmp_path, "--workers", "2") as service:
        _cli(database_url, "ingest", "interpol", str(notices), "--dataset", WANTED)
        _settles(service, lambda found: found == {ENTRY, TWIN_ENTRY})
        _, workers = _hits(service)
        assert len(workers) == 2, "both workers answered checks"

        merged = _cli(database_url, "merge", ENTRY, TWIN_ENTRY, "--reason", "same prints").strip()
        _settles(service, lambda found: found == {merged})

        judgements = orjson.loads(_cli(database_url, "judgements", merged, "--json"))
        _cli(database_url, "unmerge", str(judgements[0]["id"]), "--reason", "two brothers")
        _settles(service, lambda found: found == {ENTRY, TWIN_ENTRY})

        _cli(database_url, "withdraw", TWIN_ENTRY, "--list", WANTED, "--reason", "cancelled")
        _settles(service, lambda found: found == {ENTRY})

        _cli(database_url, "erase", ENTRY, "--reason", "Art. 16 request")
        _settles(service, lambda found: found == set())
        answer = httpx.post(f"{service.url}/screen", json=QUERY, headers=service.officer)
        assert "1979-05-06" not in answer.text, "nothing of the erased person is answered"
