"""The review pages over real HTTP: the queue and the latest run, a pair side by side
with the waterfall, a decision leading to the next pair, an error in the user's
language, taking back, the batch form without a threshold, the administrator's
threshold page, and the roles that may not see them. Both databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.web.resolving import pair_id, review_served
from tests.web.workstation import signed_in


@pytest.fixture
def base(engine: Engine) -> Iterator[str]:
    with review_served(engine) as url:
        yield url


def _petrenko(base: str) -> int:
    """The id of the pair of Petrenko in two scripts (his namesake has the same name)."""
    with signed_in(base, "investigator.in") as me:
        found = me.get("/resolve/candidates", params={"limit": 50}).json()["candidates"]
    return pair_id(found, "p-cyr", "p-lat")


def test_review_a_pair_decide_and_take_it_back(base: str) -> None:
    with signed_in(base, "investigator.in") as me:
        queue = me.get("/ui/resolve")
        assert queue.status_code == 200
        assert 'data-testid="queue"' in queue.text and "pairs wait for a decision" in queue.text
        assert "Largest cluster" in queue.text and "No batch threshold is set" in queue.text
        petrenko = _petrenko(base)
        assert f'data-candidate="{petrenko}"' in queue.text

        page = me.get(f"/ui/resolve/{petrenko}")
        assert page.status_code == 200
        assert "Oleksandr Petrenko" in page.text and 'data-testid="waterfall"' in page.text
        assert "the same date" in page.text and "in common" in page.text
        assert 'data-shortcut="s"' in page.text and "reviewed side by side" in page.text

        done = me.post(f"/ui/resolve/{petrenko}/decision",
                       data={"decision": "same", "reason": "same date"})  # fmt: skip
        assert done.status_code == 204
        assert done.headers["HX-Redirect"].startswith("/ui/resolve")
        assert done.headers["HX-Redirect"] != f"/ui/resolve/{petrenko}"
        again = me.post(f"/ui/resolve/{petrenko}/decision?lang=uk",
                        data={"decision": "different", "reason": "x"})  # fmt: skip
        assert again.status_code == 400
        assert "Цю пару вже вирішено." in again.text
        mine = me.get("/ui/resolve").text
        assert f'data-candidate="{petrenko}" data-state="same"' in mine

        back = me.post(f"/ui/resolve/{petrenko}/take-back", data={"reason": "too soon"})
        assert back.status_code == 204
        assert back.headers["HX-Redirect"] == f"/ui/resolve/{petrenko}"
        assert 'data-shortcut="s"' in me.get(f"/ui/resolve/{petrenko}").text

        batch = me.post("/ui/resolve/batches", data={"reason": "obvious", "at_least": ""})
        assert batch.status_code == 400 and "No batch threshold is set" in batch.text
        assert me.get("/ui/resolve/threshold").status_code == 403
        assert me.get("/ui/resolve/999999").status_code == 404


def test_the_administrator_sets_the_threshold_and_the_auditor_sees_no_review(base: str) -> None:
    with signed_in(base, "admin.z") as admin:
        page = admin.get("/ui/resolve/threshold")
        assert page.status_code == 200 and "No batch threshold is set." in page.text
        assert admin.post("/ui/resolve/threshold", data={"threshold": "0.3"}).status_code == 400
        assert admin.post("/ui/resolve/threshold", data={"threshold": "0.97"}).status_code == 204
        assert "0.97" in admin.get("/ui/resolve/threshold").text
        assert admin.get("/ui/resolve").status_code == 403
    with signed_in(base, "auditor.a") as auditor:
        assert auditor.get("/ui/resolve").status_code == 403
    with signed_in(base, "investigator.in") as me:
        assert "0.97" in me.get("/ui/resolve").text
