"""Who may see which message: the need-to-know rules of the exchange, shared by
the API and the browser workstation."""

from __future__ import annotations

from typing import Any

from nitka.access.accounts import Role
from nitka.access.visibility import PROTECTED_READERS, Viewer
from nitka.exchange.messages import Message
from nitka.model.handling import DataSubjectCategory

ALL_MESSAGES = frozenset({Role.LIAISON, Role.SUPERVISOR})
"""The exchange desk: sees every message; others see the messages of their cases."""


def may_see_message(viewer: Viewer, item: Message) -> bool:
    """The exchange desk sees every message; others those of their cases, and the
    ones they wrote (a draft need not name a case, and its author takes it on)."""
    return (
        viewer.role in ALL_MESSAGES
        or (item.case_id is not None and item.case_id in viewer.cases)
        or (item.author is not None and item.author == viewer.name)
    )


def may_read_statement(viewer: Viewer, stmt: dict[str, Any]) -> bool:
    """Whether a statement carried in a message's body may be shown to the viewer."""
    try:
        category = DataSubjectCategory(stmt.get("category", "other"))
    except ValueError:
        return False
    return not category.is_protected or viewer.role in PROTECTED_READERS
