"""A store whose persons a resolution run has linked, for the review's web tests: the
people of the service tests (``tests.services.test_resolution_review``), their
accounts with passwords and API tokens, and one run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from nitka.access.accounts import create_token, set_password
from nitka.services import resolution_review as resolving
from nitka.services.guard import transaction
from nitka.settings import Settings
from nitka.web.app import create_app
from tests.services.people import ADMINISTRATOR, ANALYST, AUDITOR, INVESTIGATOR, OUTSIDER
from tests.services.test_resolution_review import _people as store_people
from tests.web.serving import in_process
from tests.web.workstation import PASSWORD

USERS = (INVESTIGATOR, ANALYST, OUTSIDER, AUDITOR, ADMINISTRATOR)


def linked(engine: Engine) -> dict[str, dict[str, str]]:
    """The people stored and linked once; each user's API headers, by name."""
    store_people(engine)
    headers = {}
    with engine.begin() as conn:
        for actor in USERS:
            set_password(conn, actor.name, PASSWORD)
            token = create_token(conn, actor.name, label="tests")
            headers[actor.name] = {"Authorization": f"Bearer {token}",
                                   "X-Nitka-Purpose": "resolution review"}  # fmt: skip
    with transaction(engine) as conn:
        resolving.run(conn, INVESTIGATOR)
    return headers


def pair_id(candidates: list[dict[str, object]], left: str, right: str) -> int:
    """The id of the candidate of two entities, in a list the API answered."""
    return next(int(str(c["id"])) for c in candidates
                if (c["left_id"], c["right_id"]) == (left, right))  # fmt: skip


@contextmanager
def review_served(engine: Engine) -> Iterator[str]:
    """The people linked, and the app over real HTTP in this process: its base URL."""
    linked(engine)
    with in_process(create_app(engine, (), Settings())) as running:
        yield str(running.base_url)
