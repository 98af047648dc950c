"""The answer to one query of a screening request, shared by the service that makes it
and the recorder that logs it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nitka.screen.checks import CheckResult, QueryError


@dataclass
class Answer:
    """The answer to one query of a request: a result, or the error that stopped it."""

    query: Any
    result: CheckResult | None = None
    error: QueryError | None = None
    log_id: int | None = None
