"""The demo workspace: small pieces of real public data, and a short tour of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Sample:
    kind: str
    file: str
    dataset: str
    grading: str
    mapping: str | None = None
    case: str | None = None


SAMPLES = (
    Sample("interpol", "interpol_red_notices.json", "interpol_red_notices", "A2"),
    Sample(
        "mapping",
        "eu_sanctions_269_2014_persons.csv",
        "eu_sanctions_269_2014",
        "A1",
        mapping="eu_sanctions_persons.yml",
    ),
    Sample("ftm", "zala_entities.ftm.jsonl", "opensanctions_zala", "B2"),
    Sample("cdr", "vast2008_calls.csv", "vast2008_cdr", "B2", case="demo-thb-1"),
    Sample(
        "transactions", "amlsim_alert_transactions.csv", "amlsim_alerts", "C3", case="demo-thb-1"
    ),
)
"""What the demo ingests, with the 6x6 grade an analyst would give each source."""

TOUR_QUERIES = (
    ("Oleksandr Zakharov", "a Latin query finds names written in Cyrillic"),
    ("Аскадинов", "a Cyrillic query finds a name INTERPOL publishes in Latin"),
    ("Сергій Аксьонов", "Ukrainian spelling finds the Russian and Latin ones"),
)

DEMO_CASE = "demo-thb-1"
DEMO_CASE_TITLE = "Demo: call records and money transfers (VAST 2008, AMLSim)"
DEMO_PASSWORD = "nitka-demo-workstation"
"""Published in the README: the demo accounts are for a laptop, never for real data
(``nitka demo`` refuses to make them in production mode)."""
DEMO_ACCOUNTS = (
    ("demo.investigator", "investigator"),
    ("demo.analyst", "analyst"),
    ("demo.supervisor", "supervisor"),
    ("demo.auditor", "auditor"),
)
WATCH_LISTS = ("interpol_red_notices", "eu_sanctions_269_2014", "opensanctions_zala")
"""The demo's datasets that the demo server screens against."""
