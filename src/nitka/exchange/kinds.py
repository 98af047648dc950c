"""What a message is, how urgent, where it stands, and when it is due.

Kinds follow the channels police use: requests (for information, to locate
a person, to verify a document or vehicle), answers, spontaneous
information, corrections and retractions of data sent earlier, and notices
modelled on INTERPOL's colours. Deadlines default to those of Directive (EU)
2023/977 Art. 5: 8 hours for urgent requests on data directly accessible to
the receiver, 3 days for other urgent requests, 7 days for the rest.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum


class Kind(StrEnum):
    REQUEST_INFORMATION = "request-information"
    REQUEST_LOCATE = "request-locate"
    """To locate a person (INTERPOL's blue notice asks the same of every country)."""
    REQUEST_VERIFY = "request-verify"
    """To verify a travel document or a vehicle."""
    ANSWER = "answer"
    SPONTANEOUS = "spontaneous"
    """Information sent without a request (Directive 2023/977 Art. 7)."""
    CORRECTION = "correction"
    """Replaces statements sent earlier: applied wherever they were sent."""
    RETRACTION = "retraction"
    """Withdraws statements sent earlier: removed wherever they were sent."""
    RED_NOTICE = "red-notice"
    """Locate and arrest a person with a view to extradition."""
    BLUE_NOTICE = "blue-notice"
    """Identity, location or activities of a person in relation to a crime."""
    GREEN_NOTICE = "green-notice"
    """A warning about a person's criminal activities."""
    YELLOW_NOTICE = "yellow-notice"
    """A missing person, often a minor; or someone unable to identify themselves."""
    BLACK_NOTICE = "black-notice"
    """An unidentified body."""
    PURPLE_NOTICE = "purple-notice"
    """Modus operandi, objects, devices and concealment methods."""

    @property
    def expects_answer(self) -> bool:
        """Requests and notices have deadlines; the rest is information."""
        return self.value.startswith("request-") or self.value.endswith("-notice")

    @property
    def changes_earlier(self) -> bool:
        return self in (Kind.CORRECTION, Kind.RETRACTION)


class Priority(StrEnum):
    URGENT_DIRECT = "urgent-direct"
    """Urgent, on data the receiver holds or can reach directly: 8 hours."""
    URGENT = "urgent"
    """Urgent, on data the receiver must obtain: 3 days."""
    NORMAL = "normal"
    """7 days."""


DEFAULT_DEADLINES = {
    Priority.URGENT_DIRECT: timedelta(hours=8),
    Priority.URGENT: timedelta(days=3),
    Priority.NORMAL: timedelta(days=7),
}


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SENT = "sent"
    """In the outbox: being delivered, retried until the receiver acknowledges it."""
    DELIVERED = "delivered"
    """The receiver's signed receipt is in."""
    RECEIVED = "received"
    """An incoming message, not yet taken up."""
    IN_PROGRESS = "in-progress"
    ANSWERED = "answered"
    CLOSED = "closed"


OPEN_STATUSES = frozenset(
    {Status.SENT, Status.DELIVERED, Status.RECEIVED, Status.IN_PROGRESS, Status.APPROVED}
)
"""Where a request still waits for its answer: an overdue one is one of these."""


def default_deadline(kind: Kind, priority: Priority, start: datetime) -> datetime | None:
    """When an answer is due; None for a message that expects none."""
    if not kind.expects_answer:
        return None
    return start + DEFAULT_DEADLINES[priority]
