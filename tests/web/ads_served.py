"""A store with collected and screened recruitment ads, for the review page's tests:
the accounts and cases of the service tests (``tests.services.people``) with
passwords, ads from two sources in three languages (one whose text holds a
``<script>``, one benign), a recruiter of case c1 whose phone is in an ad, and a
watch list that names another ad's phone. The ads are made up; the numbers are
examples.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

import orjson
from sqlalchemy import Engine, select

from nitka.access.accounts import set_password
from nitka.ads.verdict import screen_ad
from nitka.model.statement import Provenance, statements_from_entity
from nitka.services import ads_collect
from nitka.settings import Settings
from nitka.store.tables import ad_review
from nitka.store.writer import write_statements
from nitka.web.app import create_app
from tests.helpers import make_entity
from tests.services.people import (
    ADMINISTRATOR,
    ANALYST,
    AUDITOR,
    MEMBERS,
    OUTSIDER,
    cases_and_accounts,
)
from tests.web.serving import in_process
from tests.web.workstation import PASSWORD

WATCH_LIST: Final = "ads-watch"
SEEN: Final = "2025-03-03T09:00:00"
RECRUITER_PHONE: Final = "+380671112233"
HOSTILE: Final = "<script>alert('ad')</script>"
BOARD: Final = [
    {"id": "hostess", "url": "https://board.example/hostess",
     "published": "2025-03-01T10:00:00Z",
     "text": "Робота в Польщі для дівчат до 25 років, хостес у VIP клубі. Паспорт залишаєте "
             "у роботодавця. Дорога за рахунок фірми, відпрацюєте з зарплати. Пишіть тільки "
             f"у Telegram @rabota_vip або дзвоніть {RECRUITER_PHONE}"},
    {"id": "script", "url": "javascript:alert(1)", "published": "2025-03-02T10:00:00Z",
     "text": f"Hostess job abroad for girls 18-25 {HOSTILE} passport kept by the agency, "
             "cash only, no experience needed. WhatsApp +49 1512 3456789"},
    {"id": "pickers", "url": "https://board.example/pickers",
     "published": "2025-03-02T11:00:00Z",
     "text": "Licensed agency (licence 123/2024 of the Ministry of Labour) seeks seasonal "
             "fruit pickers in Spain: written contract, 1,400 EUR a month, the employer "
             "pays travel and housing. Office at 12 Main Street, Kyiv; apply by e-mail."},
]  # fmt: skip
CHANNEL: Final = [
    {"id": "boats", "url": "https://t.me/boat_jobs/7", "published": "2025-03-02T12:00:00Z",
     "text": "Търсим шофьори на лодки през границата, плащане само в брой, без въпроси и без "
             "опит. Пътят е безплатен, връщате от заплатата. Пишете само в Telegram @boat_boss"},
]  # fmt: skip


def _written(tmp_path: Path, name: str, ads: list[dict[str, str]]) -> str:
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(ad) for ad in ads) + b"\n")
    return str(path)


def store_ads(engine: Engine, tmp_path: Path) -> dict[str, str]:
    """Accounts, cases, ads collected and screened, the recruiter and the watch list;
    the ads' entity ids by their ``id`` in the files."""
    cases_and_accounts(engine)
    with engine.begin() as conn:
        for actor in (*MEMBERS, OUTSIDER, AUDITOR, ADMINISTRATOR):
            set_password(conn, actor.name, PASSWORD)
    for name, ads in (("board", BOARD), ("channel", CHANNEL)):
        ads_collect.collect_file(engine, ANALYST, _written(tmp_path, name, ads), dataset=name,
                                 seen=SEEN, screen=screen_ad)  # fmt: skip
    recruiter = make_entity("Person", "recruiter-1", name="Ivan Recruiter",
                            phone=RECRUITER_PHONE)  # fmt: skip
    listed = make_entity("Person", "wanted-1", name="Dieter Wanted", phone="+4915123456789")
    with engine.begin() as conn:
        write_statements(conn, statements_from_entity(
            recruiter, Provenance("c1-data", case="c1"), origin="t"), {})  # fmt: skip
        write_statements(conn, statements_from_entity(
            listed, Provenance(WATCH_LIST), origin="t"), {})  # fmt: skip
    return ad_ids(engine)


def ad_ids(engine: Engine) -> dict[str, str]:
    """Each screened ad's entity id by the words its text begins with."""
    from nitka.store.reader import get_entity

    found: dict[str, str] = {}
    with engine.connect() as conn:
        for entity_id in conn.execute(select(ad_review.c.entity_id)).scalars():
            entity = get_entity(conn, entity_id)
            assert entity is not None
            text = next(s.value for s in entity.statements if s.prop == "bodyText")
            key = next(ad["id"] for ad in (*BOARD, *CHANNEL) if ad["text"] == text)
            found[key] = entity_id
    return found


def states(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(ad_review.c.entity_id, ad_review.c.state)).all())


@contextmanager
def ads_served(engine: Engine, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """The ads stored, and the app over real HTTP in this process: its base URL, and
    the ads' entity ids."""
    ids = store_ads(engine, tmp_path)
    with in_process(create_app(engine, (WATCH_LIST,), Settings())) as running:
        yield str(running.base_url), ids
