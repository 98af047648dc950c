"""Searching names and identifiers across scripts, on SQLite FTS5 or PostgreSQL.

A query is split into words; each word becomes its set of cross-script keys
(see ``nitka.normalise.names``). The database finds candidate names that have a
key of every word (SQLite FTS5 MATCH, or a PostgreSQL tsquery over a GIN
index); if fewer than asked for have all words, names with some of the words
fill up the list, and on PostgreSQL trigram similarity catches what keys miss. Candidates are then
ranked in Python by how well each query word matched, and every result shows
the name that matched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from nitka.errors import FieldError
from nitka.normalise.names import name_tokens, skeleton_keys
from nitka.search.facets import Facet, facet_token
from nitka.search.index import identifier_key

#: How a query word met a candidate name, and what that is worth.
EXACT, PREFIX, SKELETON, SIMILAR = 1.0, 0.85, 0.6, 0.5
_SIMILAR_RATIO = 0.8
_CANDIDATES_PER_RESULT = 10
MAX_QUERY_LENGTH = 500
"""Characters a search may have: a name and an identifier, with room to spare. A longer
one is refused at once, wherever it comes from (it took the CLI 10.8 s at 10,000)."""


class QueryTooLongError(FieldError):
    """A search longer than ``MAX_QUERY_LENGTH``."""

    status = 400


@dataclass
class SearchFilters:
    schema: Sequence[str] = ()
    dataset: Sequence[str] = ()
    country: Sequence[str] = ()
    case: Sequence[str] = ()

    def facet_groups(self) -> list[list[str]]:
        """One group per filter in use: a result must have a token of every group."""
        given = (
            (Facet.SCHEMA, self.schema),
            (Facet.DATASET, self.dataset),
            (Facet.COUNTRY, [c.lower() for c in self.country]),
            (Facet.CASE, self.case),
        )
        return [[facet_token(f, v) for v in values] for f, values in given if values]


@dataclass
class SearchResult:
    id: str
    schema: str
    name: str
    """The name (or identifier) that matched the query."""
    score: float
    """How well the query matched, in [0, 1]."""
    matched: list[str] = field(default_factory=list)
    """For each query word, how it matched: exact, prefix, skeleton, similar or none."""


@dataclass
class _Word:
    keys: set[str]
    skel: set[str]
    prefix: bool


def _query_words(query: str) -> list[_Word]:
    ident = identifier_key(query)
    if any(ch.isdigit() for ch in ident):
        # A passport, phone or account number: matched as one whole token.
        return [_Word({ident}, set(), prefix=len(ident) >= 3)]
    groups = name_tokens(query)
    words: list[_Word] = []
    for position, keys in enumerate(groups):
        skel: set[str] = set()
        for key in keys:
            skel |= skeleton_keys(key)
        last = position == len(groups) - 1
        words.append(_Word(keys, skel, prefix=last and min(len(k) for k in keys) >= 3))
    return words


def search(
    conn: Connection,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
) -> list[SearchResult]:
    """Entities whose names or identifiers match the query, best first."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLongError(
            f"a search is at most {MAX_QUERY_LENGTH} characters; this one has {len(query):,}",
            field="q",
        )
    words = _query_words(query)
    if not words:
        return []
    filters = filters or SearchFilters()
    facets = filters.facet_groups()
    fetch = max(limit, 1) * _CANDIDATES_PER_RESULT
    backend = _sqlite_candidates if conn.dialect.name == "sqlite" else _postgres_candidates
    rows = backend(conn, words, facets, fetch, require_all=True)
    if len({row.canonical_id for row in rows}) < limit and len(words) > 1:
        # Fill up with names that lack a word (a missing patronymic, a
        # maiden name); they rank below the full matches.
        rows += backend(conn, words, facets, fetch, require_all=False)
    if rows or conn.dialect.name == "sqlite":
        return _rank(words, rows, limit, fuzzy=False)
    return _rank(words, _postgres_trigram(conn, words, facets, fetch), limit, fuzzy=True)


def _order(ranked: bool) -> str:
    """Full matches are ranked in the database; fill-up partial matches are not,
    because ranking every name that shares one common word (all the
    Oleksandrs) would cost more than the query itself."""
    return " ORDER BY rank LIMIT :fetch" if ranked else " LIMIT :fetch"


def _sqlite_candidates(
    conn: Connection, words: list[_Word], facets: list[list[str]], fetch: int, require_all: bool
) -> list[Any]:
    parts = []
    for word in words:
        alternatives = [f'keys:"{k}"' + ("*" if word.prefix else "") for k in sorted(word.keys)]
        alternatives += [f'skel:"{s}"' for s in sorted(word.skel)]
        parts.append("(" + " OR ".join(alternatives) + ")")
    expr = (" AND " if require_all else " OR ").join(parts)
    if len(parts) > 1:
        expr = f"({expr})"
    for group in facets:
        expr += " AND (" + " OR ".join(f'facets:"{t}"' for t in group) + ")"
    sql = text(
        "SELECT n.canonical_id, n.schema, n.name, n.keys AS name_keys, n.skel AS name_skel, "
        "bm25(search_fts, 10.0, 1.0, 0.0) AS rank "
        "FROM search_fts JOIN search_name AS n ON n.rowid = search_fts.rowid "
        "WHERE search_fts MATCH :expr" + _order(require_all)
    )
    return list(conn.execute(sql, {"expr": expr, "fetch": fetch}))


def _postgres_candidates(
    conn: Connection, words: list[_Word], facets: list[list[str]], fetch: int, require_all: bool
) -> list[Any]:
    parts = []
    for word in words:
        alternatives = [k + (":*" if word.prefix else "") for k in sorted(word.keys)]
        alternatives += sorted(word.skel)
        parts.append("(" + " | ".join(alternatives) + ")")
    expr = (" & " if require_all else " | ").join(parts)
    if len(parts) > 1:
        expr = f"({expr})"
    for group in facets:
        expr += " & (" + " | ".join(group) + ")"
    sql = text(
        "SELECT canonical_id, schema, name, keys AS name_keys, skel AS name_skel, "
        "-ts_rank(tsv, q) AS rank "
        "FROM search_name, to_tsquery('simple', :expr) AS q "
        "WHERE tsv @@ q" + _order(require_all)
    )
    params = {"expr": expr, "fetch": fetch}
    if require_all:
        return list(conn.execute(sql, params))
    with _index_scan_only(conn):
        return list(conn.execute(sql, params))


@contextmanager
def _index_scan_only(conn: Connection) -> Iterator[None]:
    """Keep PostgreSQL's planner off a sequential scan for the statement inside.

    The fill-up query asks for any 100 names with one of many keys and ranks
    nothing. The planner guesses thousands of matches (it adds up a guess per
    key) and so reads the table from the start until 100 rows match, which on
    a million names meant some 100,000 rows and 100 ms; through the full-text
    index the same query takes about a millisecond. The setting holds for the
    transaction only (``SET LOCAL``) and is put back right after. If the
    statement fails, the transaction's rollback takes the setting back (a
    failed transaction would refuse to restore it, hiding the real error).
    """
    before = conn.exec_driver_sql("SELECT current_setting('enable_seqscan')").scalar_one()
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    yield
    conn.exec_driver_sql("SELECT set_config('enable_seqscan', %s, true)", (before,))


def _postgres_trigram(
    conn: Connection, words: list[_Word], facets: list[list[str]], fetch: int
) -> list[Any]:
    """Typos that no key covers: trigram word similarity (pg_trgm's ``<%``) to the keys."""
    probe = " ".join(min(word.keys) for word in words)
    facet_sql = ""
    params: dict[str, Any] = {"probe": probe, "fetch": fetch}
    for n, group in enumerate(facets):
        params[f"facets{n}"] = " | ".join(group)
        facet_sql += f" AND tsv @@ to_tsquery('simple', :facets{n})"
    sql = text(
        "SELECT canonical_id, schema, name, keys AS name_keys, skel AS name_skel, "
        "-word_similarity(:probe, keys) AS rank "
        f"FROM search_name WHERE :probe <% keys{facet_sql} ORDER BY rank LIMIT :fetch"
    )
    return list(conn.execute(sql, params))


def _word_match(word: _Word, keys: set[str], skel: set[str], fuzzy: bool) -> tuple[str, float]:
    if word.keys & keys:
        return "exact", EXACT
    if word.prefix and any(k.startswith(q) for q in word.keys for k in keys):
        return "prefix", PREFIX
    if word.skel & skel:
        return "skeleton", SKELETON
    if fuzzy and any(
        SequenceMatcher(None, q, k).ratio() >= _SIMILAR_RATIO for q in word.keys for k in keys
    ):
        return "similar", SIMILAR  # a typo, found by PostgreSQL's trigram fallback
    return "none", 0.0


def _rank(words: list[_Word], rows: list[Any], limit: int, fuzzy: bool) -> list[SearchResult]:
    best: dict[str, tuple[float, float, SearchResult]] = {}
    for row in rows:
        keys, skel = set(row.name_keys.split()), set(row.name_skel.split())
        matches = [_word_match(word, keys, skel, fuzzy) for word in words]
        score = sum(value for _, value in matches) / len(words)
        # A name with many words that were not asked for fits a little less well.
        extra = max(len(row.name.split()) - len(words), 0)
        score *= 1.0 / (1.0 + 0.02 * extra)
        result = SearchResult(
            id=row.canonical_id,
            schema=row.schema,
            name=row.name,
            score=round(score, 4),
            matched=[how for how, _ in matches],
        )
        candidate = (score, -float(row.rank), result)
        current = best.get(row.canonical_id)
        if current is None or candidate[:2] > current[:2]:
            best[row.canonical_id] = candidate
    ordered = sorted(best.values(), key=lambda item: (-item[0], -item[1], item[2].id))
    return [result for _, _, result in ordered[:limit]]
