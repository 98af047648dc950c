"""The engines Splink runs on (``engines``): what each needs that Splink does not do for us.

The linkage (``linkage``) is the same on both: the same model, the same
training, the same clustering (``clusters``, in Python, over the linked pairs
collected from the engine). What differs, and what Splink does not do for us:

- Nitka's name score (``model.NAME_SCORE``) is a Python function; DuckDB calls
  it as a vectorised Arrow function, Spark as an Arrow UDF (``arrow_udf``), run
  by the Python workers of the Spark executors. So a cluster's workers need
  Nitka installed, in the Python that ``PYSPARK_PYTHON`` names.
- The model's SQL is written for DuckDB (``list_has_any``, ``list_filter`` with
  lambdas, ``len`` of a list). Splink passes a comparison's SQL to the engine
  as it is written, reading it in the engine's dialect, so for Spark it is
  translated here (``spark_sql``) with sqlglot, whose DuckDB-to-Spark
  translation leaves ``&&`` for an overlap (which Spark does not parse) and
  ``LENGTH`` for a list's size (a string's length in Spark).
- Spark runs a Python UDF for every row, not only for the pairs that reach
  its level of a comparison's ``CASE``: the name score is given empty lists
  for pairs an earlier level takes (``guarded``).

A backend (``Backend``) is Splink's database API plus the few statements the
linkage runs itself: reading rows back and making a table from a query.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import sqlglot
from splink import DuckDBAPI
from splink.internals.database_api import DatabaseAPISubClass
from sqlglot import exp

from nitka.resolve import model
from nitka.resolve.engines import EngineError, check_spark_master

ScoreFunction = Callable[[Any, Any], Any]
"""Scores a batch of pairs of name lists: two Arrow list arrays in, an Arrow array of floats out."""


def local_partitions(master: str) -> int:
    """Spark's partitions after a shuffle on a local master: one per thread. Its default
    of 200 is for a cluster, and costs each step (an EM iteration) seconds of scheduling."""
    threads = re.match(r"local\[(\d+)", master)
    return int(threads.group(1)) if threads else os.cpu_count() or 1


class Backend(Protocol):
    """Splink's database API, and the statements the linkage runs itself."""

    @property
    def api(self) -> DatabaseAPISubClass: ...

    def sql(self, duckdb_sql: str) -> str:
        """The model's SQL (written for DuckDB) as this engine reads it."""
        ...

    def level(self, duckdb_sql: str, earlier: Sequence[str]) -> str:
        """A comparison level's condition as this engine reads it, given the conditions
        of the levels before it (all in DuckDB's SQL)."""
        ...

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        """The rows of a query (in this engine's SQL)."""
        ...

    def records(self, query: str) -> list[dict[str, Any]]:
        """The rows of a query as dictionaries by column."""
        ...

    def create_table(self, name: str, query: str) -> None:
        """A table ``name`` of the rows of a query (in this engine's SQL)."""
        ...


@dataclass
class DuckDBBackend:
    con: duckdb.DuckDBPyConnection
    api: DuckDBAPI

    def sql(self, duckdb_sql: str) -> str:
        return duckdb_sql

    def level(self, duckdb_sql: str, earlier: Sequence[str]) -> str:
        return duckdb_sql

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        return self.con.execute(query).fetchall()

    def records(self, query: str) -> list[dict[str, Any]]:
        result = self.con.execute(query)
        columns = [column[0] for column in result.description]
        return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]

    def create_table(self, name: str, query: str) -> None:
        self.con.execute(f"CREATE TABLE {name} AS {query}")


@dataclass
class SparkBackend:
    session: Any
    """The ``pyspark.sql.SparkSession``."""
    api: DatabaseAPISubClass
    lists: frozenset[str]

    def sql(self, duckdb_sql: str) -> str:
        return spark_sql(duckdb_sql, self.lists)

    def level(self, duckdb_sql: str, earlier: Sequence[str]) -> str:
        before = [self.sql(condition) for condition in earlier]
        return guarded(self.sql(duckdb_sql), before, model.NAME_SCORE)

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session.sql(query).collect()]

    def records(self, query: str) -> list[dict[str, Any]]:
        return [row.asDict() for row in self.session.sql(query).collect()]

    def create_table(self, name: str, query: str) -> None:
        # A view of a cached frame: a table would be written to the warehouse folder.
        self.session.sql(query).cache().createOrReplaceTempView(name)


def translated(settings: dict[str, Any], backend: Backend) -> dict[str, Any]:
    """Splink's settings with every comparison's and blocking rule's SQL in the engine's dialect."""
    comparisons = [
        {**comparison, "comparison_levels": _levels(comparison["comparison_levels"], backend)}
        for comparison in settings["comparisons"]
    ]
    rules = [
        {**rule, "blocking_rule": backend.sql(rule["blocking_rule"])}
        for rule in settings["blocking_rules_to_generate_predictions"]
    ]
    return {
        **settings,
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": rules,
    }


def _levels(levels: list[dict[str, Any]], backend: Backend) -> list[dict[str, Any]]:
    done: list[dict[str, Any]] = []
    earlier: list[str] = []
    for level in levels:
        condition = level["sql_condition"]
        if condition.strip().upper() != "ELSE":
            done.append({**level, "sql_condition": backend.level(condition, earlier)})
            earlier.append(condition)
        else:
            done.append(level)
    return done


def guarded(spark: str, earlier: Sequence[str], function: str) -> str:
    """A level's condition (Spark SQL) that gives ``function`` empty lists for a pair an
    earlier level takes (``earlier``: their conditions in Spark SQL).

    Spark evaluates a Python function for every row of a query, before the
    ``CASE`` of the comparison that calls it: a level's place in the order does
    not spare the pairs an earlier level takes, as DuckDB's ``CASE`` does (the
    name score is for pairs whose names share a word, the few of all pairs).
    Given empty lists, the name score is at once 0.0, and the pair's level is
    the earlier one's anyway: a level is reached when no earlier condition is
    true (false or null).
    """
    tree = sqlglot.parse_one(spark, read="spark")
    calls = _calls(tree, function)
    # An earlier level that calls the function itself is left out: it would be evaluated
    # for every pair in turn. Without it, fewer pairs are spared, none wrongly.
    plain = [c for c in earlier if not _calls(sqlglot.parse_one(c, read="spark"), function)]
    if not calls or not plain:
        return spark
    taken = " OR ".join(f"({condition})" for condition in plain)
    for call in calls:
        arguments = [argument.sql(dialect="spark") for argument in call.expressions]
        call.set(
            "expressions",
            [
                sqlglot.parse_one(
                    f"IF(COALESCE({taken}, FALSE), FILTER({argument}, nitka_x -> FALSE), "
                    f"{argument})",
                    read="spark",
                )
                for argument in arguments
            ],
        )
    return tree.sql(dialect="spark")


def _calls(tree: exp.Expr, function: str) -> list[exp.Anonymous]:
    return [node for node in tree.find_all(exp.Anonymous) if node.name.lower() == function]


def spark_sql(duckdb_sql: str, lists: frozenset[str]) -> str:
    """DuckDB SQL as Spark SQL, for the functions the model uses.

    ``lists``: the columns that hold lists (without ``_l``/``_r``), so that
    ``len`` of one becomes ``SIZE`` and ``len`` of a text stays ``LENGTH``.
    """

    def to_spark(node: exp.Expr) -> exp.Expr:
        # sqlglot does not descend into a node a transform replaced: its arguments first.
        def inner(child: exp.Expr) -> exp.Expr:
            return child.transform(to_spark)

        if isinstance(node, exp.ArrayOverlaps):
            return _call("ARRAYS_OVERLAP", inner(node.this), inner(node.expression))
        if isinstance(node, exp.Length) and _is_list(node.this, lists):
            return _call("SIZE", inner(node.this))
        if isinstance(node, exp.Split | exp.StringToArray) and isinstance(
            node.expression, exp.Literal
        ):
            # Spark splits by a regular expression; DuckDB by the text itself.
            separator = node.expression.name
            plain = re.fullmatch(r"[\w ,;:]*", separator)
            pattern = exp.Literal.string(separator if plain else re.escape(separator))
            return _call("SPLIT", inner(node.this), pattern)
        return node

    tree = sqlglot.parse_one(duckdb_sql, read="duckdb").transform(to_spark)
    return tree.sql(dialect="spark")


def _call(function: str, *arguments: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=function, expressions=list(arguments))


def _is_list(node: exp.Expr, lists: frozenset[str]) -> bool:
    if isinstance(node, exp.Column):
        name = node.name.lower()
        return name in lists or re.sub(r"_[lr]$", "", name) in lists
    if isinstance(node, exp.Anonymous):
        return node.name.upper() in {"SPLIT", "FILTER"}
    return isinstance(node, exp.ArrayFilter | exp.Split | exp.StringToArray | exp.Array)


@contextmanager
def spark_backend(
    master: str, score: ScoreFunction, lists: frozenset[str]
) -> Iterator[SparkBackend]:
    """A Spark session on ``master`` with the name matcher as ``model.NAME_SCORE``.

    A session already running in this process (one a caller made) is used as
    it is and left running; one made here is stopped at the end. A process has
    one Spark context, which every thread's session shares: runs in one process
    (a server's requests) take turns, so that one ending does not stop the
    context under another.
    """
    master = check_spark_master(master)
    with _ONE_RUN_AT_A_TIME, _spark_backend(master, score, lists) as backend:
        yield backend


_ONE_RUN_AT_A_TIME = threading.Lock()


@contextmanager
def _spark_backend(
    master: str, score: ScoreFunction, lists: frozenset[str]
) -> Iterator[SparkBackend]:
    try:
        from pyspark.sql import SparkSession
        from pyspark.sql.pandas.functions import arrow_udf
        from splink.backends.spark import SparkAPI
    except ImportError as error:
        raise EngineError(
            f"the Spark engine needs pyspark 4.1 or newer ({error}): pip install 'nitka[spark]'",
            field="engine",
        ) from error
    running: Any = SparkSession.getActiveSession()
    if running is None and not _java():
        raise EngineError(
            "the Spark engine needs Java 17 or newer: none found (set JAVA_HOME or put java "
            "on the PATH)",
            field="engine",
        )
    session = running if running is not None else spark_session(master)
    try:
        _python_workers(session, master)
        # Its kind (Arrow arrays in, an Arrow array out) is read from the function's type
        # hints, which pyspark's stubs do not describe.
        arrow: Any = arrow_udf
        scorer = arrow(score, "double")
        session.udf.register(model.NAME_SCORE, scorer)
        # Persisted in the executors' memory and disks: Splink's default, parquet
        # files in a checkpoint folder, needs a folder every worker shares.
        api = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=session, break_lineage_method="persist", register_udfs_automatically=False
        )
        yield SparkBackend(session, api, lists)
    finally:
        if running is None:
            session.stop()


def _java() -> bool:
    home = os.environ.get("JAVA_HOME")
    return bool(shutil.which("java") or (home and (Path(home) / "bin" / "java").exists()))


DRIVER_MEMORY_ENV = "NITKA_SPARK_DRIVER_MEMORY"
"""The JVM's memory on a local master (Spark's ``spark.driver.memory``: ``4g``, ``12g``)."""
DEFAULT_LOCAL_MEMORY = "6g"


def spark_session(master: str) -> Any:
    """A new Spark session on ``master`` (a ``pyspark.sql.SparkSession``), quiet on the
    terminal; on a local master with few partitions and no web UI."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(check_spark_master(master))
        .appName("nitka-resolve")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.log.level", "ERROR")
    )
    if master.startswith("local"):
        # Locally the executors are threads of the driver's JVM, whose 1 GiB default
        # cannot take a million prepared records in.
        memory = os.environ.get(DRIVER_MEMORY_ENV, DEFAULT_LOCAL_MEMORY)
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", str(local_partitions(master)))
            .config("spark.driver.memory", memory)
        )
    try:
        return builder.getOrCreate()
    except Exception as error:  # Spark's own errors, Py4J's, and RuntimeError
        raise EngineError(
            f"Spark did not start on {master!r}: {_first_line(error)}", field="spark_master"
        ) from error


def _python_workers(session: Any, master: str) -> None:
    """On a local master, the Python workers are this Python (with Nitka and pyarrow).

    pyspark starts them as ``PYSPARK_PYTHON``, else ``python3`` from the PATH, which
    may be another Python without them. On a cluster ``PYSPARK_PYTHON`` names the
    workers' Python, set where Spark runs.
    """
    if master.startswith("local") and "PYSPARK_PYTHON" not in os.environ:
        session.sparkContext.pythonExec = sys.executable


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
