"""A store for the statistics and assessment pages: the THB facts and messages of the
statistics tests (``tests.reports.world``), the worked cases of the assessment tests
(``tests.assess.cases``: ``lantern`` and ``brothers``, whose members are the members
of case c1), a rating of the Lantern group with evidence and one without, and the
app over real HTTP in this process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from nitka.access.accounts import set_password
from nitka.access.cases import add_case, add_member
from nitka.effects import ChangeKind, after_write
from nitka.services import assessment
from nitka.services.guard import transaction
from nitka.settings import Settings
from nitka.store.writer import load_canonical_map, write_statements
from nitka.web.app import create_app
from tests.assess.cases import BROTHERS, LANTERN, both
from tests.reports.world import build_world
from tests.services.people import ADMINISTRATOR, AUDITOR, INVESTIGATOR, MEMBERS, OUTSIDER
from tests.web.serving import in_process
from tests.web.workstation import PASSWORD

GROUP = "lantern-group"


def store_assessed(engine: Engine) -> None:
    build_world(engine)
    with engine.begin() as conn:
        written = write_statements(conn, both(), load_canonical_map(conn))
        after_write(conn, ChangeKind.STATEMENTS, sorted(written), datasets=["demo_thb_cases"])
        for case in (LANTERN, BROTHERS):
            add_case(conn, case, by="supervisor.in", title=case)
            for actor in MEMBERS:
                add_member(conn, case, actor.name, by="supervisor.in")
        for actor in (*MEMBERS, OUTSIDER, AUDITOR, ADMINISTRATOR):
            set_password(conn, actor.name, PASSWORD)
    with transaction(engine) as conn:
        found = assessment.assess_group(conn, INVESTIGATOR, GROUP)
        country = next(s.id for s in found.group.statements if s.prop == "country")
        assessment.rate(conn, INVESTIGATOR, GROUP, "international", "high",
                        evidence=[country], reason="members in three states")  # fmt: skip
        assessment.rate(conn, INVESTIGATOR, GROUP, "violence", "medium", reason="a hunch")


@contextmanager
def assessed_served(engine: Engine) -> Iterator[str]:
    store_assessed(engine)
    with in_process(create_app(engine, (), Settings())) as running:
        yield str(running.base_url)
