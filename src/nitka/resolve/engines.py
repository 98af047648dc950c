"""Where Splink runs: DuckDB in memory (the default) or Spark, for files one machine cannot link.

The engine is chosen here (``Engine``), light to import for the command line;
``backends`` holds what each engine needs that Splink does not do for us.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_SPARK_MASTER = "local[2]"
"""Spark in this process's JVM with two threads: for trying the engine out and for tests."""
SPARK_MASTER_ENV = "NITKA_SPARK_MASTER"
"""The environment variable that names the Spark master when the command line does not."""

SPARK_MASTERS = re.compile(
    r"local(\[(\d+|\*)(,\s*\d+)?\])?|local-cluster\[\d+,\s*\d+,\s*\d+\]"
    r"|spark://[^\s/]+(:\d+)?(,[^\s/]+(:\d+)?)*|yarn|k8s://\S+"
)
"""The master URLs Spark takes (``--master`` of spark-submit), bar Spark Connect
(``sc://``): Splink's Spark backend reaches into the JVM, which Connect does not expose."""


class EngineName(StrEnum):
    """The engine Splink runs on."""

    DUCKDB = "duckdb"
    """DuckDB in memory, in this process: the default."""
    SPARK = "spark"
    """Spark, local or on a cluster (``Engine.spark_master``): ``pip install 'nitka[spark]'``."""


@dataclass(frozen=True)
class Engine:
    """The engine and, for Spark, its master URL."""

    name: EngineName = EngineName.DUCKDB
    spark_master: str = DEFAULT_SPARK_MASTER

    def __post_init__(self) -> None:
        # Refused before a file is read; DuckDB's is not looked at.
        if self.name is EngineName.SPARK:
            check_spark_master(self.spark_master)


DUCKDB = Engine()


class EngineError(Exception):
    """The engine cannot start: a bad Spark master, no pyspark, no Java."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        """The setting at fault: ``engine`` or ``spark_master``."""


def check_spark_master(master: str) -> str:
    """The master URL, or ``EngineError`` if Spark would not take it."""
    master = master.strip()
    if not SPARK_MASTERS.fullmatch(master):
        raise EngineError(
            f"{master!r} is not a Spark master URL: give local[N], spark://HOST:PORT, "
            "yarn or k8s://HOST:PORT",
            field="spark_master",
        )
    return master
