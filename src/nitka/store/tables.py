"""The store's tables (SQLAlchemy Core). The Alembic history in ``migrations/`` creates them.

Search-index structures that only one dialect has (the SQLite FTS5 table, the
PostgreSQL tsvector column and trigram index) are created by the migration and
used through ``nitka.search``; they are not declared here.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

ID = 255
"""Entity ids come from sources (INTERPOL notice ids, list ids) or are hashes."""

statement = Table(
    "statement",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("entity_id", String(ID), nullable=False),
    Column("canonical_id", String(ID), nullable=False),
    Column("schema", String(64), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("prop_type", String(32), nullable=False),
    Column("value", Text, nullable=False),
    Column("original_value", Text, nullable=True),
    Column("lang", String(16), nullable=True),
    Column("dataset", String(ID), nullable=False),
    Column("origin", Text, nullable=True),
    Column("first_seen", String(32), nullable=True),
    Column("last_seen", String(32), nullable=True),
    Column("reliability", String(1), nullable=False),
    Column("credibility", String(1), nullable=False),
    Column("category", String(16), nullable=False),
    Column("handling", String(2), nullable=False),
    Column("handling_note", Text, nullable=True),
    Column("case_id", String(ID), nullable=True),
    Column("assessment", Boolean, nullable=False),
    Column("author", String(ID), nullable=True),
    Index("ix_statement_canonical_id", "canonical_id"),
    Index(
        "ix_statement_link_value",
        "value",
        sqlite_where=text("prop_type IN ('entity', 'phone')"),
        postgresql_where=text("prop_type IN ('entity', 'phone')"),
    ),
)

resolved_entity = Table(
    "resolved_entity",
    metadata,
    Column("entity_id", String(ID), primary_key=True),
    Column("canonical_id", String(ID), nullable=False, index=True),
)
"""Entities that are part of a merged cluster, and the cluster's canonical id.

An entity that was never merged has no row: its canonical id is its own id.
"""

judgement = Table(
    "judgement",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("left_id", String(ID), nullable=False),
    Column("right_id", String(ID), nullable=False),
    Column("undoes", Integer, nullable=True),
    Column("user", String(ID), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)
"""Every merge and every undo, with who, when and why. Rows are never deleted.

A ``merge`` says left and right are the same entity; an ``undo`` names the
merge it takes back in ``undoes``.
"""

search_name = Table(
    "search_name",
    metadata,
    Column("rowid", Integer, primary_key=True, autoincrement=True),
    Column("canonical_id", String(ID), nullable=False, index=True),
    Column("schema", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("keys", Text, nullable=False),
    Column("skel", Text, nullable=False),
    Column("facets", Text, nullable=False),
    Column("lookup_key", Text, nullable=True),
    Index(
        "ix_search_name_lookup_key",
        "lookup_key",
        sqlite_where=text("lookup_key IS NOT NULL"),
        postgresql_where=text("lookup_key IS NOT NULL"),
    ),
)
"""One row per name (or identifier) of an entity, with its search keys.

Identifier rows of documents and vehicles also carry the exact key a check
looks them up by (``nitka.match.entities.lookup_key``)."""

ingest_run = Table(
    "ingest_run",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("path", Text, nullable=False),
    Column("dataset", String(ID), nullable=False),
    Column("records_done", Integer, nullable=False),
    Column("finished", Boolean, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)
"""Progress of each ingest, committed with each batch, so an ingest can resume."""

ingest_summary = Table(
    "ingest_summary",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_key", String(64), nullable=False, unique=True),
    Column("dataset", String(ID), nullable=False),
    Column("case_id", String(ID), nullable=True),
    Column("kind", String(32), nullable=False),
    Column("path", Text, nullable=False),
    Column("grading", String(2), nullable=True),
    Column("records", Integer, nullable=False),
    Column("statements", Integer, nullable=False),
    Column("entities", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("dropped_values", Integer, nullable=False),
    Column("ingested_at", DateTime, nullable=False, index=True),
    Column("ingested_by", String(ID), nullable=False),
)
"""What each source brought in at its latest ingest (one row per dataset, case and
file; an ingest of the same file again replaces its row): the start page's
overview of the store, read without counting the statement table."""

check_log = Table(
    "check_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("checked_at", DateTime, nullable=False, index=True),
    Column("user", String(ID), nullable=False, index=True),
    Column("purpose", Text, nullable=False),
    Column("channel", String(32), nullable=False),
    Column("query", Text, nullable=False),
    Column("result", Text, nullable=False),
    Column("hits", Integer, nullable=False),
    Column("error", Text, nullable=True),
)
"""Every check against the watch lists: who, when, why, what was asked, what came back.

Append-only: the database refuses updates and deletes (Directive 2016/680 Art. 25).
"""

owner_notice = Table(
    "owner_notice",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime, nullable=False),
    Column("check_id", Integer, ForeignKey("check_log.id"), nullable=False),
    Column("entry_id", String(ID), nullable=False, index=True),
    Column("list", String(ID), nullable=False, index=True),
    Column("records", Text, nullable=False),
    Column("score", Float, nullable=False),
)
"""A hit, recorded for the owner of the list entry (the agency that issued the
notice), as Europol's EIS tells the data owner. Append-only."""

list_withdrawal = Table(
    "list_withdrawal",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("entity_id", String(ID), nullable=False, index=True),
    Column("list", String(ID), nullable=False),
    Column("user", String(ID), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)
"""A watch-list entry withdrawn (``withdraw``) or put back (``reinstate``). Append-only;
the latest row of an entity and list says whether the entry stands."""

change = Table(
    "change",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("entity_ids", Text, nullable=False),
    Column("datasets", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)
"""The after-write step's outbox (``nitka.store.changes``): one row per committed write
that changes what readers see, appended in the write's own transaction. ``seq`` is
the one sequence every reader (screening workers, caches, projections) follows;
``entity_ids`` and ``datasets`` are JSON arrays."""

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(ID), nullable=False, index=True),
    Column("origin", String(ID), nullable=False),
    Column("action", String(32), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("entities", Text, nullable=False),
    Column("result_size", Integer, nullable=False),
    Column("outcome", String(32), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
"""The audit trail, hash-chained and append-only (``nitka.access.audit``). ``at`` is
kept as ISO text, so that the hashed form and the stored form are the same on
every database."""

audit_entity = Table(
    "audit_entity",
    metadata,
    Column("audit_id", Integer, ForeignKey("audit_log.id"), primary_key=True),
    Column("entity_id", String(ID), primary_key=True),
    Index("ix_audit_entity_entity_id_audit_id", "entity_id", "audit_id"),
)
"""Which entities each audit record is about: who saw an entity, found by index
alone. A record about the whole store has a row with ``WHOLE_STORE_MARK``. The
record's own ``entities`` (hashed) is the authority; ``who_saw`` confirms, and
``verify`` finds rows removed here."""

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("last_id", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
)
"""One row: the last audit record's id and hash."""


agency = Table(
    "agency",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("name", Text, nullable=False),
    Column("country", String(8), nullable=True),
)

unit = Table(
    "unit",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("agency_id", String(ID), ForeignKey("agency.id"), nullable=True),
    Column("name", Text, nullable=False),
)

account = Table(
    "account",
    metadata,
    Column("name", String(ID), primary_key=True),
    Column("role", String(32), nullable=False),
    Column("unit_id", String(ID), ForeignKey("unit.id"), nullable=True),
    Column("password_hash", Text, nullable=True),
    Column("totp_secret", String(64), nullable=True),
    Column("failed_sign_ins", Integer, nullable=False, server_default="0"),
    Column("locked_until", String(32), nullable=True),
    Column("disabled", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", String(32), nullable=False),
)
"""A person (or a system) who works with Nitka: a role, a unit, a password (argon2),
an optional second factor (TOTP), and the lock-out state (``nitka.access.accounts``)."""

api_token = Table(
    "api_token",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("secret_hash", String(64), nullable=False),
    Column("account", String(ID), ForeignKey("account.name"), nullable=False, index=True),
    Column("label", Text, nullable=False, server_default=""),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=True),
    Column("revoked_at", String(32), nullable=True),
    Column("purpose", Text, nullable=False, server_default=""),
)
"""An API token (only its hash); ``purpose`` is the purpose its checks are logged
with when a request states none (``nitka token create --purpose``)."""

case_file = Table(
    "case_file",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("title", Text, nullable=False, server_default=""),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(ID), nullable=False),
)
"""A case (a collection): statements name it in ``case_id``; its members may see them."""

case_member = Table(
    "case_member",
    metadata,
    Column("case_id", String(ID), ForeignKey("case_file.id"), primary_key=True),
    Column("account", String(ID), ForeignKey("account.name"), primary_key=True, index=True),
    Column("added_at", String(32), nullable=False),
    Column("added_by", String(ID), nullable=False),
)

account_identity = Table(
    "account_identity",
    metadata,
    Column("provider", String(ID), primary_key=True),
    Column("subject", String(ID), primary_key=True),
    Column("account", String(ID), ForeignKey("account.name"), nullable=False),
    Column("linked_at", String(32), nullable=False),
)
"""An identity at an agency's OpenID Connect provider, bound to one local account."""

list_share = Table(
    "list_share",
    metadata,
    Column("dataset", String(ID), primary_key=True),
    Column("unit_id", String(ID), ForeignKey("unit.id"), primary_key=True),
    Column("shared_at", String(32), nullable=False),
    Column("shared_by", String(ID), nullable=False),
)
"""A watch list (dataset) shared with a unit; a dataset with no rows is seen by every unit."""

sign_in_attempt = Table(
    "sign_in_attempt",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("address", String(ID), nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_sign_in_attempt_address_at", "address", "at"),
)
"""Sign-in attempts per client address, counted across all server processes."""

partner = Table(
    "partner",
    metadata,
    Column("agency_id", String(ID), ForeignKey("agency.id"), primary_key=True),
    Column("address", Text, nullable=False),
    Column("signing_key", String(64), nullable=False),
    Column("encryption_key", String(64), nullable=True),
    Column("added_at", String(32), nullable=False),
    Column("added_by", String(ID), nullable=False),
)
"""A partner agency: where its Nitka answers and its public keys (Ed25519, X25519; hex)."""

message = Table(
    "message",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("direction", String(8), nullable=False),
    Column("kind", String(32), nullable=False, index=True),
    Column("sender", String(ID), nullable=False),
    Column("receiver", String(ID), nullable=False),
    Column("reference", String(ID), nullable=False),
    Column("their_reference", String(ID), nullable=True),
    Column("in_reply_to", String(64), nullable=True, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("priority", String(16), nullable=False),
    Column("deadline", String(32), nullable=True),
    Column("case_id", String(ID), nullable=True),
    Column("author", String(ID), nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("sent_at", String(32), nullable=True),
    Column("received_at", String(32), nullable=True),
    Column("answered_at", String(32), nullable=True),
    Column("body", Text, nullable=False),
    Column("envelope", Text, nullable=True),
)
"""A message sent (``out``) or received (``in``); ``body`` holds its fields as JSON,
``envelope`` the signed form as it crossed the wire."""

message_event = Table(
    "message_event",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(64), ForeignKey("message.id"), nullable=False, index=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(ID), nullable=False),
    Column("step", String(32), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
)
"""A step of a message's workflow: drafted, approved, sent, delivered, answered..."""

outbox = Table(
    "outbox",
    metadata,
    Column("message_id", String(64), ForeignKey("message.id"), primary_key=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt", Float, nullable=False, index=True),
    Column("claimed_until", Float, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column("delivered_at", String(32), nullable=True),
)
"""An outgoing message until the receiver acknowledges it: retried with back-off."""

disclosure = Table(
    "disclosure",
    metadata,
    Column("message_id", String(64), primary_key=True),
    Column("entity_id", String(ID), primary_key=True, index=True),
    Column("agency_id", String(ID), nullable=False),
)
"""An entity sent to an agency in a message: corrections follow it there."""

chart = Table(
    "chart",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(ID), ForeignKey("case_file.id"), nullable=False),
    Column("name", String(ID), nullable=False),
    Column("elements", Text, nullable=False),
    Column("saved_by", String(ID), nullable=False),
    Column("saved_at", String(32), nullable=False),
    UniqueConstraint("case_id", "name", name="uq_chart_case_id_name"),
)
"""A link chart saved in a case: its elements and positions as JSON."""


# The analysis projections (``nitka.analysis.projection``): typed tables derived from
# the statements, never written by hand, rebuilt from the statements on demand and
# kept current by following the change sequence.

analysis_scope = Table(
    "analysis_scope",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("sources", Text, nullable=False),
)
"""Who may see a projected row: the sources of the statements behind it, as a JSON array
of ``[case, dataset, protected]`` (``nitka.analysis.scopes``). A row names its scope by
id; a store has a few scopes (one per case and dataset, mostly), so need-to-know is an
``IN`` list of scope ids."""

analysis_call = Table(
    "analysis_call",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("caller", String(64), nullable=False),
    Column("callee", String(64), nullable=False),
    Column("start", DateTime, nullable=False),
    Column("duration", Integer, nullable=True),
    Column("cell", String(ID), nullable=True),
    Column("imei", String(32), nullable=True),
    Column("imsi", String(32), nullable=True),
    Column("scope", Integer, nullable=False),
    Index("ix_analysis_call_caller_callee", "caller", "callee"),
    Index("ix_analysis_call_callee_caller", "callee", "caller"),
    Index("ix_analysis_call_start", "start"),
    Index("ix_analysis_call_cell_start", "cell", "start"),
)
"""One row per ``Call`` entity (``nitka.analysis.calls``): numbers as compared (digits
and a leading ``+``), the start in UTC, the length in seconds, the cell tower, IMEI and
IMSI where known. The ``(cell, start)`` index serves co-location (who else was in
this cell within minutes of this call)."""

analysis_payment = Table(
    "analysis_payment",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("payer", String(ID), nullable=False),
    Column("payer_entity", String(ID), nullable=False),
    Column("payee", String(ID), nullable=False),
    Column("payee_entity", String(ID), nullable=False),
    Column("amount", Numeric(24, 6, asdecimal=False), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("channel", Text, nullable=True),
    Column("scope", Integer, nullable=False),
    Index("ix_analysis_payment_payer_payee", "payer", "payee"),
    Index("ix_analysis_payment_payee_payer", "payee", "payer"),
    Index("ix_analysis_payment_at", "at"),
    Index("ix_analysis_payment_payer_entity", "payer_entity"),
    Index("ix_analysis_payment_payee_entity", "payee_entity"),
)
"""One row per ``Payment`` entity (``nitka.analysis.payments``): the payer's and the
payee's account (or card) numbers as compared, the entities they come from, the amount,
currency, time and channel."""

analysis_trip = Table(
    "analysis_trip",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("traveller", String(ID), primary_key=True),
    Column("start", DateTime, nullable=False),
    Column("end", DateTime, nullable=True),
    Column("origin", Text, nullable=True),
    Column("origin_country", String(8), nullable=True),
    Column("destination", Text, nullable=True),
    Column("destination_country", String(8), nullable=True),
    Column("carrier", String(ID), nullable=True),
    Column("scope", Integer, nullable=False),
    Index("ix_analysis_trip_traveller", "traveller"),
    Index("ix_analysis_trip_start", "start"),
    Index("ix_analysis_trip_destination_country", "destination_country"),
)
"""One row per traveller of each ``Trip`` entity (``nitka.analysis.trips``): who
travelled (the entity id; empty when the trip names no one), when, from and to where
(the place as written and its country code), and the organiser or vehicle where known."""

analysis_reject = Table(
    "analysis_reject",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("entity_id", String(ID), primary_key=True),
    Column("field", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("records", Text, nullable=False),
    Column("scope", Integer, nullable=False),
    Column("noted_at", DateTime, nullable=False),
)
"""An entity a projection could not take in, and why (the property and its value): an
unreadable time or number, a negative amount, a missing currency; ``records`` names the
source records behind it (``bank.csv:3``, one a line). Kept current with the
projection: the entity's next good version replaces it, an erasure removes it."""

analysis_position = Table(
    "analysis_position",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("rebuilt_at", DateTime, nullable=True),
)
"""How far each projection has followed the change sequence; a projection with no row
has never been built."""

# Entity resolution over the store (``nitka.resolve.runs``): what a run proposed, and
# what analysts decided of it. Decisions themselves are judgements (above).

resolve_run = Table(
    "resolve_run",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user", String(ID), nullable=False),
    Column("engine", String(16), nullable=False),
    Column("datasets", Text, nullable=False),
    Column("threshold", Float, nullable=False),
    Column("records", Integer, nullable=False),
    Column("pairs", Integer, nullable=False),
    Column("links", Integer, nullable=False),
    Column("clusters", Integer, nullable=False),
    Column("largest", Integer, nullable=False),
    Column("sizes", Text, nullable=False),
    Column("trained", Boolean, nullable=False),
    Column("levels", Text, nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=False),
    Column("model", Text, nullable=True),
    Column("seq", Integer, nullable=True),
)
"""One linkage run over the store's persons: its figures, the cluster sizes as JSON
(``{"2": 310, "3": 12}``), and ``levels``: each comparison's levels with their labels
and match weights as the run's model had them (JSON), for the review's waterfall. A run
is written whole, with its candidates, in one transaction, or not at all. ``model``: the
trained model as Splink saves it (JSON), which records that come later are scored with
(``nitka.resolve.incremental``); ``seq``: the change sequence's number when the run read
the store, so that what changed after it is linked incrementally. Both are empty for
runs made before they were kept."""

resolve_candidate = Table(
    "resolve_candidate",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, nullable=False, index=True),
    Column("left_id", String(ID), nullable=False, index=True),
    Column("right_id", String(ID), nullable=False, index=True),
    Column("probability", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("comparisons", Text, nullable=False),
    Column("clustered", Boolean, nullable=False),
    Column("state", String(16), nullable=False),
    Column("judgement_id", Integer, nullable=True),
    Column("batch_id", Integer, nullable=True, index=True),
    Column("decided_by", String(ID), nullable=True),
    Column("decided_at", DateTime, nullable=True),
    Index("ix_resolve_candidate_state_probability", "state", "probability"),
)
"""A pair of source entities a run scored as maybe one person: its probability and
match weight, each comparison's level and weight (JSON: ``[[comparison, level,
weight], ...]``), whether the run's clustering put the two together, and what came of
it: ``open``, ``same``, ``different`` or ``unsure``, with the judgement recording it
and the batch it was accepted in. A new run replaces the open candidates of earlier
runs; decided ones stay as the record of the decision."""

resolve_record = Table(
    "resolve_record",
    metadata,
    Column("entity_id", String(ID), primary_key=True),
    Column("name_tf", String(ID), nullable=True, index=True),
    Column("prepared", Text, nullable=False),
)
"""Each Person source entity's prepared columns (``nitka.resolve.prepare``, JSON), kept
current by following the change sequence (``nitka.resolve.keys``): an incremental link
compares new records with these without reading or preparing the store again.
``name_tf`` is the name whose frequency the model weighs (counted here)."""

resolve_key = Table(
    "resolve_key",
    metadata,
    Column("key", String(ID), primary_key=True),
    Column("entity_id", String(ID), primary_key=True, index=True),
)
"""The blocking keys of each record of ``resolve_record`` (the model's blocking rules,
``model.BLOCKING``, one row per key, prefixed by the rule): the existing records a new
one may be one person with are found by looking its keys up here, not by a scan."""

resolve_batch = Table(
    "resolve_batch",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user", String(ID), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("undone_at", DateTime, nullable=True),
    Column("undone_by", String(ID), nullable=True),
)
"""Candidates accepted at once above the administrator's threshold; undone as one."""

store_setting = Table(
    "store_setting",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("changed_by", String(ID), nullable=False),
    Column("changed_at", DateTime, nullable=False),
)
"""Settings an administrator changes in the store, not in the deployment's
configuration (``resolve.batch_threshold``: the least probability a batch accepts)."""

ad_review = Table(
    "ad_review",
    metadata,
    Column("entity_id", String(ID), primary_key=True),
    Column("dataset", String(ID), nullable=False),
    Column("source", String(16), nullable=False),
    Column("lang", String(16), nullable=True),
    Column("risk", Float, nullable=False),
    Column("label", String(16), nullable=False),
    Column("indicators", Text, nullable=False),
    Column("published", String(32), nullable=True),
    Column("seen", String(32), nullable=True),
    Column("week", String(8), nullable=False),
    Column("state", String(16), nullable=False),
    Column("case_id", String(ID), nullable=True),
    Column("decided_by", String(ID), nullable=True),
    Column("decided_at", String(32), nullable=True),
    Column("screened_at", String(32), nullable=False),
    Index("ix_ad_review_state", "state", "risk"),
    Index("ix_ad_review_week", "week"),
)
"""Collected ads as screened (``services.ads_review``): the verdict (risk, label, the
``;``-joined indicator codes, the language), where and when the ad was seen (its
first dataset, format, ISO week of publication or else of collection), and the
analysts' review: ``open`` (flagged, waiting), ``filed`` (into ``case_id``),
``dismissed``, or ``benign`` (not flagged: counted in the trends, not listed). The
ad itself, its text and provenance, are statements; a row whose ad is gone (erased)
is neither listed nor counted."""

assess_rating = Table(
    "assess_rating",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", String(ID), nullable=False),
    Column("attribute", String(32), nullable=False),
    Column("level", String(16), nullable=False),
    Column("evidence", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("rated_by", String(ID), nullable=False),
    Column("rated_at", String(32), nullable=False),
    Index("ix_assess_rating_group_id", "group_id", "attribute", "id"),
)
"""An analyst's rating of an organised crime group (an FtM Organization) on one
attribute (``nitka.assess``): the level, the ids of the statements that support it
(a JSON list, empty for a rating without evidence) and why. Rows are only added: the
newest per group and attribute counts, the older ones are its history."""

assess_override = Table(
    "assess_override",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(ID), nullable=False),
    Column("criterion", String(64), nullable=False),
    Column("state", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_by", String(ID), nullable=False),
    Column("decided_at", String(32), nullable=False),
    Index("ix_assess_override_case_id", "case_id", "criterion", "id"),
)
"""An analyst's own answer to a legal criterion of a case (UNTOC, the Trafficking
Protocol) over the one computed from its statements, with the reason; ``computed``
as the state takes an earlier override back. Only added: the newest counts."""

chat_count = Table(
    "chat_count",
    metadata,
    Column("day", Date, primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("lang", String(16), primary_key=True),
    Column("what", String(64), primary_key=True),
    Column("n", BigInteger, nullable=False),
)
"""The public chatbot's counts (``nitka.ads.chat.counts``), the only thing it writes:
by day (UTC), channel (``web``, ``telegram``; ``unknown`` for counts kept before
0023), language and what was counted (an event such as ``offer`` or ``risky``, or
``ind:CODE``). Never a chat id, a name or a word of a conversation."""

offline_origin = Table(
    "offline_origin",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("copy_id", String(64), nullable=False),
    Column("url", Text, nullable=False),
    Column("account", String(ID), nullable=False),
    Column("lists", Text, nullable=False),
    Column("server_key", String(64), nullable=False),
    Column("sight", String(64), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("pulled_at", DateTime, nullable=False),
    Column("synced_at", DateTime, nullable=False),
    Column("uploaded_through", BigInteger, nullable=False),
    Column("signature", Text, nullable=False),
)
"""Only in an offline copy (``nitka offline pull``), one row: where the copy came
from (the server, the account whose need-to-know it holds, the server's signing key
pinned at the pull), how far it has read the server's change sequence, when it was
pulled and last brought up to date, the last check of its ``check_log`` the server
has taken, and the signature of the last page it applied."""

offline_check = Table(
    "offline_check",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("copy_id", String(64), nullable=False),
    Column("check_id", BigInteger, nullable=False),
    Column("account", String(ID), nullable=False, index=True),
    Column("user", String(ID), nullable=False),
    Column("checked_at", DateTime, nullable=False, index=True),
    Column("received_at", DateTime, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("channel", String(32), nullable=False),
    Column("query", Text, nullable=False),
    Column("result", Text, nullable=False),
    Column("hits", Integer, nullable=False),
    Column("error", Text, nullable=True),
    UniqueConstraint("copy_id", "check_id", name="uq_offline_check"),
)
"""On the server: checks made on an offline copy and uploaded from it, each stored
once by the copy's id and the check's number in the copy's log (an upload repeated
or cut off halfway stores nothing twice), with the time it was made."""
