"""A watch-list store at a country's scale for the screening benchmarks, built once and kept.

Wanted persons: generated from real Ukrainian and Russian name parts (the PEP
dictionaries, as in ``search_bench``), each with a birth date and a
nationality, plus the real INTERPOL red notices bundled with Nitka. Stolen
and lost documents and stolen vehicles: SYNTHETIC records in the forms of
``nitka.screen.synthetic`` (SLTD-like: number, issuing country, status;
SMV-like: VIN, plate, country). Everything goes in through ``nitka ingest``,
one process per list, as an operator would load them.

The store lands in ``bench/results/`` and is reused by later runs of the
same sizes; the ingest times of the first build are kept beside it.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.report import RESULTS
from bench.search_bench import people
from nitka.demo import DATA
from nitka.screen.synthetic import (
    STATUSES,
    VEHICLE_COUNTRIES,
    WMIS,
    document_number,
    issuing_country_weights,
    plate,
    vin,
)

NATIONALITIES = {"ua": 50, "ru": 30, "md": 5, "by": 5, "ge": 3, "pl": 2, "ro": 2, "bg": 2, "tr": 1}
WANTED, DOCUMENTS, VEHICLES = "wanted", "sltd", "smv"
LISTS = (WANTED, DOCUMENTS, VEHICLES)


@dataclass
class Listed:
    """A generated wanted person: id, name as listed, the name in the other script, birth date."""

    id: str
    name: str
    other_script: str
    birth_date: str


def birth_date(rng: random.Random) -> str:
    return f"{rng.randrange(1950, 2005)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"


def wanted_persons(count: int, seed: int = 7) -> list[Listed]:
    rng = random.Random(seed + 1)
    return [
        Listed(pid, listed, other, birth_date(rng))
        for pid, listed, other in people(count, seed=seed)
    ]


def _person_lines(persons: list[Listed], seed: int = 5) -> Iterator[bytes]:
    rng = random.Random(seed)
    countries, shares = list(NATIONALITIES), list(NATIONALITIES.values())
    for person in persons:
        properties = {
            "name": [person.name],
            "birthDate": [person.birth_date],
            "nationality": rng.choices(countries, shares),
        }
        yield orjson.dumps({"id": person.id, "schema": "Person", "properties": properties})


def document_numbers(count: int, seed: int = 1) -> Iterator[tuple[str, str, str]]:
    """``(id, number, country)`` of ``count`` synthetic stolen or lost passports."""
    rng = random.Random(seed)
    weights = issuing_country_weights()
    countries, shares = list(weights), list(weights.values())
    for n in range(count):
        country = rng.choices(countries, shares)[0]
        yield f"sltd-{n}", document_number(rng, country), country


def _document_lines(count: int) -> Iterator[bytes]:
    rng = random.Random(2)
    for doc_id, number, country in document_numbers(count):
        properties = {"number": [number], "country": [country], "type": [rng.choice(STATUSES)]}
        yield orjson.dumps({"id": doc_id, "schema": "Passport", "properties": properties})


def vehicle_numbers(count: int, seed: int = 1) -> Iterator[tuple[str, str, str, str]]:
    """``(id, vin, plate, country)`` of ``count`` synthetic stolen vehicles."""
    rng = random.Random(seed)
    countries, shares = list(VEHICLE_COUNTRIES), list(VEHICLE_COUNTRIES.values())
    for n in range(count):
        country = rng.choices(countries, shares)[0]
        yield f"smv-{n}", vin(rng), plate(rng, country), country


def _vehicle_lines(count: int) -> Iterator[bytes]:
    for car_id, identifier, number, country in vehicle_numbers(count):
        properties = {
            "registrationNumber": [identifier, number],
            "country": [country],
            "model": [WMIS[identifier[:3]]],
        }
        yield orjson.dumps({"id": car_id, "schema": "Vehicle", "properties": properties})


def nitka(url: str, *args: str) -> None:
    """Run the ``nitka`` command of this environment against the store at ``url``."""
    command = [str(Path(sys.executable).parent / "nitka"), *args]
    env = {**os.environ, "NITKA_DATABASE_URL": url, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def store(persons: list[Listed], documents: int, vehicles: int) -> tuple[str, dict[str, Any]]:
    """The store's URL and its build report; built on the first call for these sizes."""
    name = f"screening_store_{len(persons)}_{documents}_{vehicles}"
    path, report_path = RESULTS / f"{name}.db", RESULTS / f"{name}.json"
    url = f"sqlite:///{path}"
    if report_path.exists() and path.exists():
        nitka(url, "init")  # brings a store built by an older version up to date
        return url, json.loads(report_path.read_text())
    RESULTS.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    nitka(url, "init")
    report: dict[str, Any] = {}
    parts = (
        (WANTED, len(persons), _person_lines(persons)),
        (DOCUMENTS, documents, _document_lines(documents)),
        (VEHICLES, vehicles, _vehicle_lines(vehicles)),
    )
    with tempfile.TemporaryDirectory(prefix="nitka-bench-", dir=RESULTS) as folder:
        for dataset, count, lines in parts:
            if not count:
                continue
            file = Path(folder) / f"{dataset}.jsonl"
            with file.open("wb") as fh:
                for line in lines:
                    fh.write(line + b"\n")
            start = time.perf_counter()
            nitka(url, "ingest", "ftm", str(file), "--dataset", dataset)
            elapsed = time.perf_counter() - start
            report[dataset] = {"entities": count, "ingest_s": round(elapsed, 1)}
            print(f"store: {count:,} {dataset} entities ingested in {elapsed:,.0f} s", flush=True)
            file.unlink()
    nitka(url, "ingest", "interpol", str(DATA / "interpol_red_notices.json"), "--dataset", WANTED)
    report_path.write_text(json.dumps(report, indent=2))
    return url, report
