"""The Spark engine: the same clusters as DuckDB, through the library and the CLI.

Tests marked ``spark`` start Spark on ``local[2]`` (one session for the module,
about 20 seconds, and the first linkage as long again while the JVM and the
Python workers warm up); they are skipped without pyspark (``nitka[spark]``)
or Java (failed instead with ``NITKA_REQUIRE_SPARK=1``). The master URL's check
and the translation of the model's SQL need neither.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from typer.testing import CliRunner

from nitka.cli.main import app
from nitka.resolve import model
from nitka.resolve.backends import guarded, spark_sql
from nitka.resolve.engines import Engine, EngineError, EngineName, check_spark_master
from nitka.resolve.linkage import LISTS, Linked, link
from nitka.resolve.model import Training
from tests.resolve.builders import read_clusters, write_csv
from tests.resolve.test_linkage import apart, person, strangers, together

runner = CliRunner()
SPARK = Engine(EngineName.SPARK, "local[2]")

MISSING = importlib.util.find_spec("pyspark") is None or shutil.which("java") is None
REQUIRED = os.environ.get("NITKA_REQUIRE_SPARK", "") not in ("", "0", "false")
needs_spark = pytest.mark.skipif(
    MISSING and not REQUIRED,
    reason="the Spark engine needs pyspark (pip install 'nitka[spark]') and Java",
)
"""Skipped without pyspark or Java, unless ``NITKA_REQUIRE_SPARK`` is set (CI): then failed."""


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local Spark session for the module: each linkage finds it running and uses it."""
    from nitka.resolve.backends import spark_session

    session = spark_session("local[2]")
    try:
        yield session
    finally:
        session.stop()


def people() -> list[dict[str, Any]]:
    return [
        person("ua", "Олександр Петренко", "1980-03-04"),
        person("lat", "Oleksandr Petrenko", "1980-03-04"),
        person("ru", "Aleksandr Petrenko", "04.03.1980"),
        person("namesake", "Oleksandr Petrenko", "1975-11-20"),
        person("olena", "Олена Коваль", "1980-03-04"),
        person("doc1", "Ivan Bondar", passportNumber="КВ 123456"),
        person("doc2", "Іван Бондар", passportNumber="KB-123456"),
    ]


def same_links(duckdb: Linked, spark: Linked) -> None:
    assert spark.clusters == duckdb.clusters
    assert (spark.pairs, spark.links, spark.sizes) == (duckdb.pairs, duckdb.links, duckdb.sizes)


@pytest.mark.spark
@needs_spark
def test_two_runs_in_one_process_at_once_both_finish() -> None:
    """A server runs requests in threads, and a process has one Spark context:
    a run that ends must not stop the context under the other. Placed before
    the module's session starts, so that each run makes and stops its own."""
    from pyspark.sql import SparkSession

    assert SparkSession.getActiveSession() is None
    with ThreadPoolExecutor(max_workers=2) as pool:
        # The long run starts first; the short one, started while it works, ends first.
        long = pool.submit(link, people() + strangers(400), engine=SPARK, training=Training.ALWAYS)
        time.sleep(8)
        short = pool.submit(link, people(), engine=SPARK)
        first, second = long.result(timeout=600), short.result(timeout=600)
    assert len(first.clusters) == len(people()) + 400
    assert together(second, "ua", "lat", "ru") and apart(second, "ua", "namesake")


@pytest.mark.spark
@needs_spark
def test_both_engines_give_the_same_clusters(spark: Any) -> None:
    rows = people()
    on_spark = link(rows, engine=SPARK)
    same_links(link(rows), on_spark)
    assert together(on_spark, "ua", "lat", "ru")
    assert apart(on_spark, "lat", "namesake")
    assert apart(on_spark, "ua", "olena")
    assert together(on_spark, "doc1", "doc2")


def trainable() -> list[dict[str, Any]]:
    """Twenty people, each twice (Cyrillic and Latin), with enough columns for EM."""
    rows = []
    for i in range(20):
        birth = f"19{60 + i}-0{1 + i % 9}-1{i % 10}"
        phone = f"+38067{1000000 + i * 7919}"
        more = {"nationality": "UA", "phone": phone, "gender": "male" if i % 2 else "female"}
        rows.append(person(f"c{i}", f"Олександр Петренко{'к' * (i % 3)} {i}", birth, **more))
        rows.append(person(f"l{i}", f"Oleksandr Petrenko{'k' * (i % 3)} {i}", birth, **more))
    return rows


@pytest.mark.spark
@needs_spark
def test_training_and_name_frequencies_on_spark(spark: Any) -> None:
    """``Training.ALWAYS`` counts the names' frequencies and trains by EM on Spark too."""
    rows = trainable()
    on_spark = link(rows, training=Training.ALWAYS, engine=SPARK)
    assert on_spark.trained
    on_duckdb = link(rows, training=Training.ALWAYS)
    assert on_spark.clusters == on_duckdb.clusters
    for i in range(20):
        assert together(on_spark, f"c{i}", f"l{i}")


@pytest.mark.spark
@needs_spark
def test_labelled_pairs_on_spark(spark: Any) -> None:
    rows = people()
    labelled = link(rows, same=[("ua", "ru")], different=[("ua", "olena")], engine=SPARK)
    assert labelled.trained
    assert together(labelled, "ua", "ru") and apart(labelled, "ua", "olena")


@pytest.mark.spark
@needs_spark
def test_the_cli_writes_id_and_cluster_with_spark(spark: Any, tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "in.csv",
        ["id", "name", "birthDate"],
        [
            ["p1", "Олександр Петренко", "1980-03-04"],
            ["p2", "Oleksandr Petrenko", "1980-03-04"],
            ["p3", "Oleksandr Petrenko", "1975-11-20"],
        ],
    )
    target = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["resolve", "file", str(source), "--out", str(target), "--engine", "spark"]
    )
    assert result.exit_code == 0, result.output
    assert read_clusters(target) == [["id", "cluster"], ["p1", "p1"], ["p2", "p1"], ["p3", "p3"]]


def test_a_bad_spark_master_is_refused_naming_the_option(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", ["id", "name"], [["p1", "Ivan Bondar"]])
    target = tmp_path / "out.csv"
    args = ["resolve", "file", str(source), "--out", str(target), "--engine", "spark"]
    result = runner.invoke(app, [*args, "--spark-master", "spark:/nohost"])
    assert result.exit_code != 0
    assert "--spark-master" in result.output and "'spark:/nohost'" in result.output
    assert not target.exists()
    from_env = runner.invoke(app, args, env={"NITKA_SPARK_MASTER": "nonsense"})
    assert from_env.exit_code != 0 and "--spark-master" in from_env.output


def test_duckdb_ignores_the_spark_master(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", ["id", "name"], [["p1", "Ivan Bondar"]])
    target = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["resolve", "file", str(source), "--out", str(target)], env={"NITKA_SPARK_MASTER": "x"}
    )
    assert result.exit_code == 0, result.output
    assert read_clusters(target) == [["id", "cluster"], ["p1", "p1"]]


@pytest.mark.parametrize(
    "master",
    ["local", "local[2]", "local[*]", "spark://host:7077", "spark://a:7077,b:7077", "yarn"],
)
def test_spark_masters(master: str) -> None:
    assert check_spark_master(master) == master


@pytest.mark.parametrize("master", ["", "local[", "spark:/host", "sc://host:15002", "host:7077"])
def test_not_spark_masters(master: str) -> None:
    with pytest.raises(EngineError) as raised:
        check_spark_master(master)
    assert raised.value.field == "spark_master"


def test_the_model_in_spark_sql() -> None:
    """Every condition of the model reads as Spark SQL: overlaps as ARRAYS_OVERLAP, the
    size of a list as SIZE, and no DuckDB function left over."""
    levels = [
        level["sql_condition"]
        for comparison in model.comparisons(frequencies=True)
        for level in comparison["comparison_levels"]
        if level["sql_condition"] != "ELSE"
    ]
    for condition in levels:
        spark = spark_sql(condition, LISTS)
        sqlglot.parse_one(spark, read="spark")
        lowered = spark.lower()
        assert "&&" not in spark and "length(" not in lowered
        assert not any(word in lowered for word in ("list_", "string_split", "len("))
    overlap = spark_sql("list_has_any(documents_l, documents_r)", LISTS)
    assert overlap == "ARRAYS_OVERLAP(documents_l, documents_r)"
    words = spark_sql("len(string_split(y, ' ')) >= 3 AND len(gender_l) = 1", LISTS)
    assert words == "SIZE(SPLIT(y, ' ')) >= 3 AND LENGTH(gender_l) = 1"


def test_the_name_score_is_spared_the_pairs_an_earlier_level_takes() -> None:
    """Spark runs a Python function for every pair: a pair an earlier level takes gets
    empty lists, which score 0.0 at once. An earlier level that itself calls the
    function does not guard (it would be run for every pair)."""
    condition = guarded(
        "score(names_l, names_r) >= 0.5",
        ["SIZE(names_l) = 0", "score(names_l, names_r) >= 0.9", "ARRAYS_OVERLAP(a_l, a_r)"],
        "score",
    )
    taken = "COALESCE((SIZE(names_l) = 0) OR (ARRAYS_OVERLAP(a_l, a_r)), FALSE)"
    assert condition == (
        f"SCORE(IF({taken}, FILTER(names_l, nitka_x -> FALSE), names_l), "
        f"IF({taken}, FILTER(names_r, nitka_x -> FALSE), names_r)) >= 0.5"
    )
    assert guarded("SIZE(a_l) = 0", ["x_l = x_r"], "score") == "SIZE(a_l) = 0"
    assert guarded("score(a_l, a_r) > 0", [], "score") == "score(a_l, a_r) > 0"


@pytest.mark.spark
@needs_spark
def test_a_store_run_on_spark_proposes_what_duckdb_proposes(spark: Any, tmp_path: Path) -> None:
    """``nitka resolve run --engine spark``: the same candidates as on DuckDB."""
    from sqlalchemy import create_engine

    from nitka.services import resolution_review as resolving
    from nitka.services.guard import transaction
    from nitka.store.migrate import upgrade
    from tests.services.people import INVESTIGATOR
    from tests.services.test_resolution_review import _pairs, _people

    store = create_engine(f"sqlite:///{tmp_path / 'store.db'}")
    upgrade(store)
    _people(store)
    found = {}
    for engine in ("duckdb", "spark"):
        with transaction(store) as conn:
            run = resolving.run(conn, INVESTIGATOR, engine=engine)
            found[engine] = (_pairs(resolving.queue(conn, INVESTIGATOR, limit=50)), run.largest)
    assert found["spark"] == found["duckdb"]
    assert ("p-cyr", "p-lat") in found["spark"][0]


def test_a_store_run_names_a_bad_spark_master() -> None:
    """Refused before anything is read, naming the option (no Spark needed)."""
    from nitka.resolve.merges import ResolverError
    from nitka.services import resolution_review as resolving
    from nitka.services.guard import transaction
    from nitka.store.db import make_engine
    from nitka.store.migrate import upgrade
    from tests.services.people import INVESTIGATOR

    store = make_engine("sqlite://")
    upgrade(store)
    with transaction(store) as conn, pytest.raises(ResolverError) as bad:
        resolving.run(conn, INVESTIGATOR, engine="spark", spark_master="http://nowhere")
    assert bad.value.field == "spark_master"
