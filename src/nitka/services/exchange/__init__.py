"""The exchange with partner agencies, as its users act on it.

- ``reading``: a message shown, the lists (in, out, due, overdue), the
  workstation's overview, the statistics;
- ``steps``: draft, answer, approve, the legal decision, send, take up, close,
  corrections and retractions;
- ``inbox``: what partners deliver (their signature is their credential);
- ``admin``: partners, this instance's keys, delivering the outbox by hand.
"""

from __future__ import annotations

from nitka.exchange.workflow import Draft
from nitka.services.exchange.admin import (
    Delivery,
    add_partner,
    deliver_outbox,
    identity,
    keys_of,
    list_partners,
)
from nitka.services.exchange.inbox import EnvelopeRefusedError, receive, receive_batch
from nitka.services.exchange.reading import (
    Overview,
    ShownMessage,
    list_messages,
    overview,
    sees_message,
    show_message,
    statistics,
    visible_message,
)
from nitka.services.exchange.steps import (
    answer,
    approve,
    change_sent,
    close,
    decide,
    draft,
    send,
    take_up,
)

__all__ = [
    "Delivery",
    "Draft",
    "EnvelopeRefusedError",
    "Overview",
    "ShownMessage",
    "add_partner",
    "answer",
    "approve",
    "change_sent",
    "close",
    "decide",
    "deliver_outbox",
    "draft",
    "identity",
    "keys_of",
    "list_messages",
    "list_partners",
    "overview",
    "receive",
    "receive_batch",
    "sees_message",
    "send",
    "show_message",
    "statistics",
    "take_up",
    "visible_message",
]
