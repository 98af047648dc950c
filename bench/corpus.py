"""Benchmark corpora built from real public data in ../shared/data.

Real entries (EU and UN/OFAC sanctions lists, INTERPOL red notices, an
OpenSanctions FtM cluster) are turned into FtM entities, then replicated with
changed ids (``<id>-r<N>``) until the wanted size is reached: the names, dates
and identifiers stay real, only the copies are new.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import orjson
from followthemoney import EntityProxy, model
from followthemoney.statement import Statement

from nitka.normalise.dates import normalise_date

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CACHE = Path(__file__).resolve().parent / "results"


def _add(proxy: EntityProxy, prop: str, value: str | None) -> None:
    if not value or not value.strip():
        return
    if proxy.schema.properties[prop].type.name == "date":
        value = normalise_date(value) or ""
    proxy.add(prop, value, quiet=True)


def eu_entities() -> Iterator[EntityProxy]:
    for name in ("32014R0269", "32006R0765", "32014R0833"):
        path = SHARED / "eu_sanctions_official_journal" / f"{name}.csv"
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                schema = row["schema"] if row["schema"] in ("Person", "Company") else "LegalEntity"
                if row["schema"] == "Vessel":
                    schema = "Vessel"
                proxy = model.make_entity(schema)
                proxy.id = f"eu-{name}-{row['recordId']}"
                _add(proxy, "name", row["name"])
                for alias in row["alias"].split(";"):
                    _add(proxy, "alias", alias)
                for prop in ("country", "notes"):
                    _add(proxy, prop, row.get(prop))
                if schema == "Person":
                    for date in row["birthDate"].split(" or "):
                        _add(proxy, "birthDate", date)
                    _add(proxy, "birthPlace", row["birthPlace"])
                    _add(proxy, "gender", row["gender"])
                    _add(proxy, "passportNumber", row["passportNumber"])
                    _add(proxy, "position", row["position"])
                yield proxy


def legacy_entities() -> Iterator[EntityProxy]:
    for name in ("un_sc_sanctions_2018", "us_ofac_2018"):
        path = SHARED / "legacy_sanctions_lists_2018" / f"{name}.csv"
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                schema = {"individual": "Person", "vessel": "Vessel"}.get(
                    row["type"], "LegalEntity"
                )
                proxy = model.make_entity(schema)
                proxy.id = row["id"]
                _add(proxy, "name", row["name"])
                _add(proxy, "program", row["program"])
                _add(proxy, "summary", row["summary"])
                if schema == "Person":
                    _add(proxy, "firstName", row["first_name"])
                    _add(proxy, "lastName", row["last_name"])
                    _add(proxy, "fatherName", row["father_name"])
                    _add(proxy, "gender", row["gender"])
                yield proxy


def interpol_entities() -> Iterator[EntityProxy]:
    path = SHARED / "interpol_red_notices_sample" / "red_notices_details.json"
    for notice in json.loads(path.read_text(encoding="utf-8")):
        proxy = model.make_entity("Person")
        proxy.id = "interpol-red-" + notice["entity_id"].replace("/", "-")
        _add(proxy, "name", f"{notice.get('forename') or ''} {notice.get('name') or ''}")
        _add(proxy, "birthDate", notice.get("date_of_birth"))
        _add(proxy, "birthPlace", notice.get("place_of_birth"))
        for nationality in notice.get("nationalities") or []:
            _add(proxy, "nationality", nationality)
        for warrant in notice.get("arrest_warrants") or []:
            _add(proxy, "notes", warrant.get("charge"))
        yield proxy


def real_entities() -> list[EntityProxy]:
    return [*eu_entities(), *legacy_entities(), *interpol_entities()]


def statements_file(target: int, dataset: str = "bench") -> Path:
    """A JSON-lines file of at least ``target`` FtM statements, made once and cached."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"statements_{target}.jsonl"
    if path.exists():
        return path
    base = real_entities()
    written = 0
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        copy = 0
        while written < target:
            for entity in base:
                clone = entity.clone()
                clone.id = f"{entity.id}-r{copy}"
                for stmt in Statement.from_entity(clone, dataset):
                    fh.write(orjson.dumps(stmt.to_dict()) + b"\n")
                    written += 1
                if written >= target:
                    break
            copy += 1
    tmp.rename(path)
    return path
