"""Linking prepared person records with Splink on DuckDB: train, predict, cluster.

Splink does the linkage (Fellegi-Sunter, EM, blocking, clustering); this
module feeds it the prepared columns (``prepare``) and the model (``model``),
in a DuckDB database of its own in memory, with Nitka's name matcher
registered as a vectorised function.

Training (``Training.AUTO``: a file of at least ``TRAIN_FROM`` records): the u
probabilities from random pairs; the m probabilities from pairs known to be
one person (``same``, Splink's training from pairwise labels) or else by EM
over pairs of the same name and over pairs of the same birth date, each where
the records give enough other comparisons to learn from (``EM_NEEDS``); from
``FREQUENCIES_FROM`` records, common names are weighed down by their
frequency. A smaller file is linked with the model's written-down
probabilities (or m from its labelled pairs): counting from ten records would
learn noise, and random pairs of a small file are too often one person to
count as strangers.

Clusters are taken from the pairs at the threshold, strongest first, never
joining conflicting records, and a cluster larger than a cap held by weak links
is cut apart (``clusters``); the sizes are reported (``Linked.sizes``,
``Linked.largest``, ``Linked.split``) for the caller to see what was found.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from duckdb.func import PythonUDFType
from duckdb.sqltypes import DOUBLE, VARCHAR
from splink import DuckDBAPI, Linker
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.exceptions import EMTrainingException

from nitka.match.names import name_score
from nitka.resolve import model, weights
from nitka.resolve.backends import Backend, DuckDBBackend, spark_backend, translated
from nitka.resolve.clusters import MAX_CLUSTER, Births, constrained_clusters
from nitka.resolve.engines import DUCKDB, Engine, EngineName
from nitka.resolve.model import DEFAULT_THRESHOLD, Training

TRAIN_FROM = 1_000
"""Records from which a file trains its own model (``Training.AUTO``)."""
FREQUENCIES_FROM = 20_000
"""Records from which common names are weighed down by their frequency in the file
(``Training.AUTO``). Splink counts a name's frequency with the record itself, so
in a smaller file every name is common by that count (one of a thousand is more
than two strangers share a name), and a rare name would weigh less, not more."""
EM_NEEDS = 3
"""Comparisons besides the one a training block holds equal that EM needs."""
FILLED = 0.2
"""A comparison counts for EM when at least this share of records gives it."""
U_PAIRS = 300_000
"""Random pairs the u probabilities are estimated from, at most: each costs the name
matcher's score when the names share a word, about a second for 20,000 pairs."""
NAME_BLOCK_MOST = 300
"""Records that may share a name blocking key (``rare_name_pairs``): at most
45,000 pairs from one key."""
SEED = 2277
"""Random pairs are drawn reproducibly: one file links the same way every time."""


Stage = Callable[[str], None]
"""Told the name of each stage as it begins (for a progress display)."""

SCHEMA = pa.schema([
    ("unique_id", pa.string()), ("names", pa.list_(pa.string())),
    ("name_sorted", pa.list_(pa.string())), ("name_tf", pa.string()),
    ("name_keys", pa.list_(pa.string())), ("name_skeletons", pa.list_(pa.string())),
    ("name_pairs", pa.list_(pa.string())), ("birth_dates", pa.list_(pa.string())),
    ("birth_swapped", pa.list_(pa.string())), ("birth_years", pa.list_(pa.int32())),
    ("birth_years_near", pa.list_(pa.int32())), ("birth_packed", pa.list_(pa.int32())),
    ("birth_agree", pa.list_(pa.int32())), ("birth_keys", pa.list_(pa.string())),
    ("birth_date", pa.string()), ("documents", pa.list_(pa.string())),
    ("contacts", pa.list_(pa.string())), ("countries", pa.list_(pa.string())),
    ("gender", pa.string()),
])  # fmt: skip
"""The prepared columns as DuckDB gets them (``prepare.prepare`` makes the rows)."""
LISTS = frozenset(column.name for column in SCHEMA if pa.types.is_list(column.type))


@dataclass(frozen=True)
class Scored:
    """A candidate pair as the model scored it (``weights.explain``)."""

    left: str
    right: str
    probability: float
    weight: float
    comparisons: list[list[Any]]
    clustered: bool = False
    """Whether clustering put the two in one cluster."""


@dataclass
class Linked:
    """Which cluster each record is in; a record linked to none is its own cluster."""

    clusters: dict[str, str]
    """Record id -> cluster id (the id of one of its records)."""
    pairs: int = 0
    """Candidate pairs scored."""
    links: int = 0
    """Pairs at or above the threshold."""
    trained: bool = False
    sizes: Counter[int] = field(default_factory=Counter)
    """How many clusters there are of each size."""
    split: int = 0
    """Clusters of more than the cap cut apart at their weak links."""
    scored: list[Scored] = field(default_factory=list)
    """Pairs of at least ``keep_from`` (``link``), with what each comparison said."""
    comparisons: list[weights.Comparison] = field(default_factory=list)
    """The model's comparisons and their levels' weights, when ``scored`` was asked for."""
    model: dict[str, Any] = field(default_factory=dict)
    """The trained model as Splink saves it (``save_model_to_json``), when ``scored`` was
    asked for: what later records are scored with (``incremental``)."""

    @property
    def largest(self) -> int:
        return max(self.sizes, default=0)


def link(
    rows: Sequence[dict[str, Any]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    training: Training = Training.AUTO,
    same: Sequence[tuple[str, str]] = (),
    different: Sequence[tuple[str, str]] = (),
    cap: int = MAX_CLUSTER,
    stage: Stage | None = None,
    keep_from: float | None = None,
    engine: Engine = DUCKDB,
) -> Linked:
    """Link prepared rows (``prepare.prepare``) into clusters of one person each
    (``link_table`` on them as an Arrow table).

    ``same``: pairs of record ids known to be one person (an analyst's
    judgements). The m probabilities are then learnt from them rather than by
    EM: how often one person's records agree is counted, not guessed. A level
    no labelled pair shows keeps its probability. They are always in one
    cluster; ``different`` pairs (judged two people) never are, and neither are
    two records whose birth dates conflict (``clusters``). A cluster of more
    than ``cap`` records is cut at its weak links (``clusters.STRONG``).
    ``keep_from``: also return the pairs scored at least this, with each
    comparison's level and weight (``Linked.scored``), for an analyst to review.
    ``engine``: where Splink runs (``engines``); the clusters are the same on each.
    """
    return link_table(arrow(rows), threshold=threshold, training=training, same=same,
                      different=different, cap=cap, stage=stage, keep_from=keep_from,
                      engine=engine)  # fmt: skip


def link_table(
    prepared: pa.Table,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    training: Training = Training.AUTO,
    same: Sequence[tuple[str, str]] = (),
    different: Sequence[tuple[str, str]] = (),
    cap: int = MAX_CLUSTER,
    stage: Stage | None = None,
    keep_from: float | None = None,
    engine: Engine = DUCKDB,
) -> Linked:
    """``link`` on prepared rows as an Arrow table (``SCHEMA``, ``arrow``): a million
    records take a gigabyte so, against four as a list of dicts."""
    tell = stage or (lambda _: None)
    ids = prepared.column("unique_id").to_pylist()
    unknown = sorted({i for pair in (*same, *different) for i in pair} - set(ids))
    if unknown:
        raise ValueError(f"labelled pairs name records not in the file: {unknown[:5]}")
    if len(ids) < 2:
        return _linked(ids, {}, 0, 0, trained=False)
    always, auto = training is Training.ALWAYS, training is Training.AUTO
    train = always or (auto and len(ids) >= TRAIN_FROM) or bool(same)
    frequencies = always or (auto and len(ids) >= FREQUENCIES_FROM)
    with quiet_splink(), _backend(engine) as backend:
        db_api = backend.api
        table = db_api.register(_rare_name_pairs(prepared))
        settings = model.settings(len(ids), frequencies=frequencies)
        # Each comparison's weight per pair, for the review's waterfall.
        settings["retain_intermediate_calculation_columns"] = keep_from is not None
        linker = Linker(table, translated(settings, backend), log_level=None)
        if frequencies:
            _name_frequencies(backend, linker, table.physical_name, len(ids))
        if train:
            tell("training")
            _train(linker, prepared, db_api, same)
        tell("scoring pairs")
        predictions = linker.inference.predict()
        pairs = _count(backend, predictions.physical_name)
        links = _count(backend, predictions.physical_name, f"match_probability >= {threshold}")
        tell("clustering")
        linked_pairs = backend.rows(
            f"SELECT unique_id_l, unique_id_r, match_probability "
            f"FROM {predictions.physical_name} WHERE match_probability >= {threshold}"
        )
        comparisons, kept, saved = [], [], {}
        if keep_from is not None:
            described = {c["output_column_name"]: c["comparison_description"]
                         for c in settings["comparisons"]}  # fmt: skip
            saved = linker.misc.save_model_to_json()
            comparisons = weights.levels_of(saved, described)
            kept = kept_pairs(backend, predictions.physical_name, keep_from)
    births = _births(prepared, linked_pairs, same)
    found = constrained_clusters(ids, linked_pairs, births, same=same, different=different, cap=cap)
    linked = _linked(ids, found.clusters, pairs, links, trained=train)
    linked.split = found.split
    if keep_from is not None:
        linked.comparisons, linked.model = comparisons, saved
        linked.scored = [_scored(row, comparisons, linked.clusters) for row in kept]
    return linked


def kept_pairs(backend: Backend, table: str, keep_from: float) -> list[dict[str, Any]]:
    """The scored pairs at least ``keep_from`` probable, with every comparison's level and
    weight: what the review shows."""
    return backend.records(f"SELECT * FROM {table} WHERE match_probability >= {float(keep_from)}")


def _scored(
    row: dict[str, Any], comparisons: list[weights.Comparison], clusters: dict[str, str]
) -> Scored:
    left, right = sorted((str(row["unique_id_l"]), str(row["unique_id_r"])))
    return Scored(
        left,
        right,
        float(row["match_probability"]),
        float(row["match_weight"]),
        weights.explain(comparisons, row),
        clustered=clusters.get(left) == clusters.get(right),
    )


def _train(
    linker: Linker,
    prepared: pa.Table,
    db_api: DatabaseAPISubClass,
    same: Sequence[tuple[str, str]],
) -> None:
    """u from random pairs; m from the labelled pairs if there are any, else by EM
    over each training block that leaves enough to learn from.

    EM separates matches from non-matches by comparisons that agree together;
    with fewer than ``EM_NEEDS`` comparisons that records fill in besides the
    one a block holds equal, it has nothing to tell them apart by (a file of
    names and birth dates only), and the model's own m probabilities stay.
    """
    training = linker.training
    records = prepared.num_rows
    if records >= TRAIN_FROM:
        # Random pairs of a small file are too often one person to count as strangers.
        pairs = min(float(U_PAIRS), records * (records - 1) / 2)
        training.estimate_u_using_random_sampling(max_pairs=pairs, seed=SEED)
    if same:
        left, right = zip(*same, strict=True)
        labels = pa.table({"unique_id_l": list(left), "unique_id_r": list(right)})
        # Splink leaves this one method without type hints.
        training.estimate_m_from_pairwise_labels(db_api.register(labels))  # type: ignore[no-untyped-call]
        return
    filled = _filled(prepared)
    for held, rule in model.TRAINING_BLOCKS.items():
        if len(filled - {held}) >= EM_NEEDS:
            try:
                training.estimate_parameters_using_expectation_maximisation(rule)
            except EMTrainingException:
                # No two records share the block's value: it has nothing to teach,
                # and the other blocks (or the model's own m) stand.
                continue


def _name_frequencies(backend: Backend, linker: Linker, table: str, records: int) -> None:
    """How common each name is: the share of the other records that have it.

    Splink would count a name with the record itself, so that a name given once
    would count as given by one record in ``records``: more than two strangers
    share a name, and a rare name would be weighed down with the common ones.
    Counted without it, a name no other record has is not common at all, and
    the comparison's floor (``model.NAME_FREQUENCY_FLOOR``) gives it the level's
    own weight.
    """
    backend.create_table(
        "nitka_name_frequencies",
        f"SELECT name_tf, (count(*) - 1) / {max(records - 1, 1)} AS tf_name_tf "
        f"FROM {table} WHERE name_tf IS NOT NULL GROUP BY name_tf",
    )
    frequencies = backend.api.register("nitka_name_frequencies")
    linker.table_management.register_term_frequency_lookup(frequencies, "name_tf")


def arrow(rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Prepared rows as an Arrow table, column by column (twice as fast as row by row)."""
    return pa.table({column: [row[column] for row in rows] for column in SCHEMA.names},
                    schema=SCHEMA)  # fmt: skip


def _rare_name_pairs(prepared: pa.Table) -> pa.Table:
    """The table with each record's name blocking keys (``name_pairs``) without those
    more than ``NAME_BLOCK_MOST`` records share.

    Two words of a name in common make a candidate pair; a given name and a
    patronymic (Ivan Ivanovich) or a common given name and surname are shared by
    thousands of records of a million, whose every pair would be scored. Such a
    key does not find a pair worth scoring: strangers share it so often that it
    links only with a birth date or a document in common, and those find the pair
    by their own blocking keys. A record keeps its rarer keys (a surname with a
    given name).
    """
    index = prepared.schema.get_field_index("name_pairs")
    keys = prepared.column(index).combine_chunks()
    return prepared.set_column(index, "name_pairs", rare_keys(keys, NAME_BLOCK_MOST))


def rare_keys(keys: pa.ListArray, most: int) -> pa.ListArray:
    """Lists of keys without the keys more than ``most`` lists hold (a list holds
    each key once)."""
    flat = pc.list_flatten(keys)
    counts = pc.value_counts(flat)
    common = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), most))
    if len(common) == 0:
        return keys
    kept = pc.invert(pc.is_in(flat, value_set=common))
    parents = pc.filter(pc.list_parent_indices(keys), kept).to_numpy()
    lengths = np.bincount(parents, minlength=len(keys))
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pc.filter(flat, kept))


class _Undated(dict[str, Births]):
    """Births by record id, where a record that is in no linked pair has none: it is
    never joined to another, so what its dates allow never matters."""

    def __missing__(self, record: str) -> Births:
        return NO_BIRTHS


NO_BIRTHS = Births(frozenset(), frozenset(), frozenset(), frozenset())
BIRTH_COLUMNS = [
    "unique_id",
    "birth_packed",
    "birth_agree",
    "birth_swapped",
    "birth_dates",
    "birth_years",
]


def _births(
    prepared: pa.Table,
    linked_pairs: Sequence[tuple[str, str, float]],
    same: Sequence[tuple[str, str]],
) -> dict[str, Births]:
    """The birth dates of the records clustering may join. What a record's dates allow
    follows from its packed dates alone, and a million records give a few tens of
    thousands of sets of them: each set is read once (``Births.of`` costs 30 µs)."""
    joined = {record for left, right, _ in linked_pairs for record in (left, right)}
    joined.update(record for pair in same for record in pair)
    ids = prepared.column("unique_id")
    rows = prepared.select(BIRTH_COLUMNS).filter(
        pc.is_in(ids, value_set=pa.array(list(joined), pa.string()))
    )
    read: dict[tuple[int, ...], Births] = {}
    found = _Undated()
    records, packed_dates = rows.column("unique_id").to_pylist(), rows.column("birth_packed")
    for index, (record, packed) in enumerate(zip(records, packed_dates.to_pylist(), strict=True)):
        key = tuple(packed)
        births = read.get(key)
        if births is None:
            row = {name: rows.column(name)[index].as_py() for name in BIRTH_COLUMNS}
            births = read[key] = Births.of(row)
        found[record] = births
    return found


def _filled(prepared: pa.Table) -> set[str]:
    """The comparisons at least ``FILLED`` of the records give a value for."""
    found = set()
    for comparison, column in model.FILLS.items():
        values = prepared.column(column)
        if pa.types.is_list(values.type):
            given = pc.sum(pc.greater(pc.list_value_length(values), 0)).as_py() or 0
        else:
            given = len(values) - values.null_count
        if given >= FILLED * prepared.num_rows:
            found.add(comparison)
    return found


def _count(backend: Backend, table: str, where: str = "true") -> int:
    found = backend.rows(f"SELECT count(*) FROM {table} WHERE {where}")
    return int(found[0][0]) if found else 0


def _linked(
    ids: list[str], found: dict[str, str], pairs: int, links: int, *, trained: bool
) -> Linked:
    clusters = {record_id: str(found.get(record_id, record_id)) for record_id in ids}
    members = Counter(clusters.values())
    return Linked(clusters, pairs, links, trained, Counter(members.values()))


@contextmanager
def _backend(engine: Engine) -> Iterator[Backend]:
    """Splink's database API on the engine, with the name matcher as ``model.NAME_SCORE``."""
    if engine.name is EngineName.SPARK:
        with spark_backend(engine.spark_master, _best_score, LISTS) as spark:
            yield spark
        return
    with duckdb_in_memory() as con:
        yield DuckDBBackend(con, DuckDBAPI(connection=con))


@contextmanager
def duckdb_in_memory() -> Iterator[duckdb.DuckDBPyConnection]:
    """DuckDB in memory, with the name matcher as ``model.NAME_SCORE``."""
    con = duckdb.connect(":memory:")
    try:
        # Splink's tables need no order: without it, DuckDB keeps less in memory.
        con.execute("SET preserve_insertion_order = false")
        con.create_function(
            model.NAME_SCORE,
            _best_score,
            [duckdb.list_type(VARCHAR), duckdb.list_type(VARCHAR)],
            DOUBLE,
            type=PythonUDFType.ARROW,
            side_effects=False,
        )
        yield con
    finally:
        con.close()


def _best_score(left: pa.Array, right: pa.Array) -> pa.Array:
    """Scores a vector of pairs at once: one call from DuckDB per 2,048 pairs.

    The names come out of Arrow as two flat lists, not a list per row; nearly
    every record gives one name, and then the pairs are scored by one ``map``.
    A pair of names is scored once (``_pair_score``): DuckDB asks again for
    each level of the comparison that the pair reaches.
    """
    lnames = pc.list_flatten(left).to_pylist()
    rnames = pc.list_flatten(right).to_pylist()
    lcounts = _counts(left)
    rcounts = _counts(right)
    if bool((lcounts == 1).all()) and bool((rcounts == 1).all()):
        return pa.array(list(map(_pair_score, lnames, rnames)), pa.float64())
    lstarts, rstarts = _starts(lcounts), _starts(rcounts)
    scores = [
        _best(lnames[lstarts[k] : lstarts[k + 1]], rnames[rstarts[k] : rstarts[k + 1]])
        for k in range(len(lcounts))
    ]
    return pa.array(scores, pa.float64())


def _counts(lists: pa.Array) -> np.ndarray:
    """How many names each row gives (none for a null list)."""
    return np.asarray(pc.list_value_length(lists).fill_null(0), dtype=np.int64)


def _starts(counts: np.ndarray) -> list[int]:
    """Where each row's names begin in the flat list, and where the last ends."""
    return [0, *np.cumsum(counts).tolist()]


def _best(left: list[str], right: list[str]) -> float:
    """The best score of any name of one record against any of the other (no score
    is above 1.0, so a pair that scores 1.0 ends the search)."""
    best = 0.0
    for a in left:
        for b in right:
            score = _pair_score(a, b)
            if score > best:
                best = score
                if best >= 1.0:
                    return best
    return best


_pair_score = lru_cache(maxsize=200_000)(name_score)
"""``name_score`` of two names, remembered for the pairs DuckDB asks about again."""


@contextmanager
def quiet_splink() -> Iterator[None]:
    """Splink logs its progress and advice at INFO and WARNING; the caller reports."""
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
