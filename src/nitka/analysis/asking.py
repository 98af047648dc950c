"""What the call-record queries beyond contacts share: reading a day or a time an
analyst asks for, and keeping a query to the rows the asker may see."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select

from nitka.errors import FieldError
from nitka.store.tables import analysis_call

S = TypeVar("S", bound=Select[Any])
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def asked_time(raw: str, field: str, *, end: bool = False) -> datetime:
    """A day (``2024-03-01``) or a time (``2024-03-01T10:00``) as asked, in UTC. A bare
    day is its midnight, or with ``end`` the next midnight (so that ``--to 2024-03-31``
    takes in the whole of the 31st)."""
    text = raw.strip()
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        raise FieldError(
            f"{field}: {raw!r} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", field=field
        ) from None
    if found.tzinfo is not None:
        found = found.astimezone(UTC).replace(tzinfo=None)
    if end and _DAY.fullmatch(text):
        found += timedelta(days=1)
    return found


def visible(query: S, scopes: Sequence[int] | None) -> S:
    """The query kept to the calls of these scopes (``None``: every call)."""
    if scopes is None:
        return query
    return query.where(analysis_call.c.scope.in_(scopes))


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
