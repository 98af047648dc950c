"""Taking erased entities out of the analysis projections at once.

The projections (``nitka.analysis.projection``) follow the change sequence when
they are next read, but an erasure (Art. 16) or a deletion at the end of a
review period must not leave a projected copy behind in the store until then:
the after-write step removes the entity's rows and rejects in the erasing
transaction (``nitka.effects.after_write``), the payments that show an
erased account's number with them, and the trips of an erased traveller. The
next catch-up projects such a payment again, as a reject naming the missing
account. The same goes for the persons' prepared records and blocking keys
that entity resolution keeps (``nitka.resolve.keys``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, or_
from sqlalchemy.engine import Connection

from nitka.store.tables import (
    analysis_call,
    analysis_payment,
    analysis_reject,
    analysis_trip,
    resolve_key,
    resolve_record,
)

CHUNK = 500


def forget(conn: Connection, entity_ids: Sequence[str]) -> None:
    """Delete the projected rows and rejects of these entities (canonical and member
    ids), the payments that show one of them as an account or party, and their
    records and keys for entity resolution."""
    for start in range(0, len(entity_ids), CHUNK):
        chunk = list(entity_ids[start : start + CHUNK])
        conn.execute(delete(analysis_call).where(analysis_call.c.id.in_(chunk)))
        payment = analysis_payment.c
        conn.execute(
            delete(analysis_payment).where(
                or_(
                    payment.id.in_(chunk),
                    payment.payer_entity.in_(chunk),
                    payment.payee_entity.in_(chunk),
                )
            )
        )
        trip = analysis_trip.c
        # An erased traveller's rows go, and an erased trip's: no one's journey stays behind.
        conn.execute(
            delete(analysis_trip).where(or_(trip.id.in_(chunk), trip.traveller.in_(chunk)))
        )
        conn.execute(delete(analysis_reject).where(analysis_reject.c.entity_id.in_(chunk)))
    forget_records(conn, entity_ids)


def forget_records(conn: Connection, entity_ids: Sequence[str]) -> None:
    """Delete the prepared records and blocking keys of these source entities."""
    for start in range(0, len(entity_ids), CHUNK):
        chunk = list(entity_ids[start : start + CHUNK])
        conn.execute(delete(resolve_key).where(resolve_key.c.entity_id.in_(chunk)))
        conn.execute(delete(resolve_record).where(resolve_record.c.entity_id.in_(chunk)))
