"""The queries on the whole real files in ../shared/data: the VAST 2008 call records
and the AMLSim alert transactions, ingested as a user would."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from sqlalchemy import Engine

from nitka.analysis.calls import CallsProjection
from nitka.analysis.contacts import common_contacts
from nitka.analysis.flows import cycles, fan_in
from nitka.analysis.payments import PaymentsProjection
from nitka.analysis.projection import catch_up, rejects_of
from nitka.ingest.cdr import CdrConverter
from nitka.ingest.runner import OnError, ingest
from nitka.ingest.transactions import TransactionsConverter
from nitka.model.statement import Provenance


def test_the_whole_vast_file(engine: Engine, shared_data: Path, tmp_path: Path) -> None:
    """The sample's answer holds for the whole file: 200 and 5 share 1, 137 and 97."""
    path = shared_data / "vast2008_cdr" / "vast2008_mc3_cell_phone_calls.csv"
    rejects = str(tmp_path / "rejects.jsonl")
    converter = CdrConverter(str(path), "vast2008")
    ingest(engine, converter, Provenance("vast2008"), on_error=OnError.REJECT, reject_path=rejects)
    with engine.begin() as conn:
        outcome = catch_up(conn, CallsProjection())
        found = common_contacts(conn, ["200", "5"], None)
    # The four calls of negative length were rejected by the ingest already.
    assert (outcome.projected, outcome.rejected) == (9_830, 0)
    assert [(c.number, c.calls) for c in found] == [("1", 12), ("137", 9), ("97", 8)]


def test_the_amlsim_alerts(engine: Engine, shared_data: Path) -> None:
    """Every fan-in alert with three or more senders is found with its collector and
    senders, and every cycle alert whose file holds all its steps."""
    path = shared_data / "amlsim_transactions" / "tigergraph_amlsim_alert_transactions.csv"
    ingest(engine, TransactionsConverter(str(path), "amlsim"), Provenance("amlsim"))
    alerts: dict[str, list[dict[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            alerts[row["ALERT_ID"]].append(row)
    with engine.begin() as conn:
        catch_up(conn, PaymentsProjection())
        assert rejects_of(conn, "payments", None) == []
        found_fan_in = {f.collector: set(f.sources) for f in fan_in(conn, None, limit=10_000)}
        found_cycles = {frozenset(c.accounts) for c in cycles(conn, None, limit=10_000)}
    fan_ins = [a for a in alerts.values() if a[0]["ALERT_TYPE"] == "fan_in"]
    wanted = [a for a in fan_ins if len({r["SENDER_ACCOUNT_ID"] for r in a}) >= 3]
    assert len(wanted) == 196
    for alert in wanted:
        collector = alert[0]["RECEIVER_ACCOUNT_ID"]
        assert {r["SENDER_ACCOUNT_ID"] for r in alert} <= found_fan_in[collector]
    assert {"1950", "4596", "6976"} <= found_fan_in["9739"]
    closed = [
        frozenset(r["SENDER_ACCOUNT_ID"] for r in a)
        for a in alerts.values()
        if a[0]["ALERT_TYPE"] == "cycle"
        and {r["SENDER_ACCOUNT_ID"] for r in a} == {r["RECEIVER_ACCOUNT_ID"] for r in a}
    ]
    assert len(closed) == 183
    assert all(ring in found_cycles for ring in closed)
