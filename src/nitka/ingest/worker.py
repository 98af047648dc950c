"""Preparing batches in a second process while this one writes.

Parsing, checking and computing search keys cost about as much as writing;
on a machine with two cores, a parser process beside the writer nearly
doubles ingest speed. The parser is a spawned process (not a fork, which
would copy the writer's open database connections and threads), so the
batch builder and its converter travel to it pickled.
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue
from collections.abc import Iterator
from typing import Any

from nitka.ingest.batches import BatchBuilder, PreparedBatch
from nitka.ingest.errors import IngestError

IN_FLIGHT = 4
"""Batches the parser may prepare ahead of the writer (bounds memory)."""


def prepare_in_parser_process(builder: BatchBuilder, skip: int) -> Iterator[PreparedBatch]:
    """The builder's batches, prepared in a parser process.

    Errors raised by the builder (a RecordError in rollback mode, an
    IngestError for an unreadable file) are raised here, after the batches
    before them were yielded, as if the builder had run in this process.
    """
    context = multiprocessing.get_context("spawn")
    channel: Any = context.Queue(maxsize=IN_FLIGHT)
    process = context.Process(
        target=_produce, args=(builder, skip, channel), name="nitka-parser", daemon=True
    )
    process.start()
    try:
        while True:
            try:
                kind, payload = channel.get(timeout=1.0)
            except queue.Empty:
                if process.is_alive():
                    continue
                try:
                    kind, payload = channel.get(timeout=1.0)
                except queue.Empty:
                    raise IngestError(
                        f"the parser process stopped unexpectedly (exit code {process.exitcode})"
                    ) from None
            if kind == "batch":
                yield payload
            elif kind == "error":
                raise payload
            else:
                return
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        channel.close()


def _produce(builder: BatchBuilder, skip: int, channel: Any) -> None:
    try:
        for batch in builder.batches(skip):
            channel.put(("batch", batch))
    except Exception as exc:  # every error is carried to the writer
        channel.put(("error", _portable(exc)))
    else:
        channel.put(("done", None))


def _portable(exc: Exception) -> Exception:
    """The exception itself if it survives pickling, otherwise a description of it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return IngestError(f"the parser process failed: {type(exc).__name__}: {exc}")
    return exc
