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
    Sample("ftm", "thb_cases.ftm.jsonl", "demo_thb_cases", "B2"),
)
"""What the demo ingests, with the 6x6 grade an analyst would give each source."""

TOUR_QUERIES = (
    ("Oleksandr Zakharov", "a Latin query finds names written in Cyrillic"),
    ("Аскадинов", "a Cyrillic query finds a name INTERPOL publishes in Latin"),
    ("Сергій Аксьонов", "Ukrainian spelling finds the Russian and Latin ones"),
)

DEMO_CASE = "demo-thb-1"
DEMO_CASE_TITLE = "Demo: call records and money transfers (VAST 2008, AMLSim)"
THB_CASES = (
    ("demo-thb-2", "Demo: Lantern group, recruitment for forced labour (meets UNTOC)"),
    ("demo-thb-3", "Demo: two brothers, forced begging (does not meet UNTOC)"),
)
"""Two worked trafficking cases kept as docs/thb-case-data.md says (fictitious): their
statements carry their own case, category and grading (``thb_cases.ftm.jsonl``), and
the tour prints their UNTOC criteria with the reasons (``nitka assess untoc``)."""
DEMO_PASSWORD = "nitka-demo-workstation"
"""Published in the README: the demo accounts are for a laptop, never for real data
(``nitka demo`` refuses to make them in production mode)."""
DEMO_ACCOUNTS = (
    ("demo.investigator", "investigator"),
    ("demo.analyst", "analyst"),
    ("demo.supervisor", "supervisor"),
    ("demo.auditor", "auditor"),
    ("demo.liaison", "liaison"),
)
WATCH_LISTS = ("interpol_red_notices", "eu_sanctions_269_2014", "opensanctions_zala")
"""The demo's datasets that the demo server screens against."""


@dataclass(frozen=True)
class DemoAgency:
    id: str
    name: str
    country: str


HOME_AGENCY = DemoAgency("ua-ncb", "Demo: NCB of INTERPOL, Kyiv", "UA")
"""The demo workspace's own agency, unless ``NITKA_AGENCY_ID`` names another."""
PARTNER_AGENCY = DemoAgency("bg-ncb", "Demo: NCB of INTERPOL, Sofia", "BG")
"""The partner that ``nitka demo --serve`` runs beside the workstation."""
PARTNER_PORT = 8001


@dataclass(frozen=True)
class DemoMessage:
    """A message the demo's round trip sends; its reference makes it findable, so
    that a second run sends it no more."""

    reference: str
    kind: str
    subject: str
    text: str
    priority: str = "normal"
    handling: str | None = None
    legal_basis: str = "Directive (EU) 2023/977 Art. 4"


AMLSIM_ACCOUNT = "6976"
"""The account whose holder the demo's request asks for: it sends the first
transfer of AMLSim's fan-in alert 193 (synthetic data)."""
HOME_REQUEST = DemoMessage(
    "ua-ncb-demo-1",
    "request-information",
    f"Who holds account {AMLSIM_ACCOUNT}? (AMLSim alert 193, fan-in)",
    "A demonstration request of `nitka demo`: the account sends transfers into the "
    "fan-in pattern of case demo-thb-1. Please tell us who holds it.",
)
PARTNER_ANSWER = DemoMessage(
    "bg-ncb-demo-2",
    "answer",
    f"Re: Who holds account {AMLSIM_ACCOUNT}?",
    "A demonstration answer of `nitka demo`: the account is not held at a Bulgarian bank; "
    "we have no record of its holder.",
)
PARTNER_REQUEST = DemoMessage(
    "bg-ncb-demo-3",
    "request-information",
    "Recruiter of Bulgarian women for work abroad: is he known to you?",
    "A demonstration request of `nitka demo`: victims name a recruiter who arranged their "
    "travel through Odesa. Please check your records and tell us where he is.",
    priority="urgent",
    handling="H2",
)
"""Arrives in the demo workspace's inbox, waiting to be taken up and answered."""
