"""Preparing batches in a parser process while this one writes.

Parsing, checking and computing search keys cost about as much as writing;
on a machine with two cores, a parser process beside the writer nearly
doubles ingest speed.

The parser is ``python -m nitka.ingest.worker``, started with the batch
builder pickled on its standard input; it writes the prepared batches,
length-prefixed, to its standard output (as ``marshal`` data: see
``PreparedBatch.to_plain``). A plain subprocess
rather than ``multiprocessing``: a fork would copy the writer's database
connections and threads, and a spawn re-imports the caller's main script,
which breaks scripts and notebooks that lack a ``__main__`` guard. The pipe
holds at most a few batches, so the parser never runs far ahead.
"""

from __future__ import annotations

import marshal
import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Iterator
from typing import IO

from nitka.errors import IngestError
from nitka.ingest.batches import BatchBuilder, PreparedBatch
from nitka.ingest.collector import collect_batch_garbage, collector_paused

_HEAD = struct.Struct("!cQ")
"""A frame: its kind (one byte) and its length; then the body."""
_BATCH, _ERROR, _DONE = b"b", b"e", b"d"


def prepare_in_parser_process(builder: BatchBuilder, skip: int) -> Iterator[PreparedBatch]:
    """The builder's batches, prepared in a parser process.

    Errors raised by the builder (a RecordError in rollback mode, an
    IngestError for an unreadable file) are raised here, after the batches
    before them were yielded, as if the builder had run in this process.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    process = subprocess.Popen(
        [sys.executable, "-m", "nitka.ingest.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(pickle.dumps((builder, skip), protocol=pickle.HIGHEST_PROTOCOL))
        process.stdin.close()
        while True:
            frame = _read_frame(process.stdout)
            if frame is None:
                code = process.wait()
                raise IngestError(f"the parser process stopped unexpectedly (exit code {code})")
            kind, body = frame
            if kind == _BATCH:
                yield PreparedBatch.from_plain(marshal.loads(body))
            elif kind == _ERROR:
                raise pickle.loads(body)
            else:
                return
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()


def _read_frame(stream: IO[bytes]) -> tuple[bytes, bytes] | None:
    head = stream.read(_HEAD.size)
    if len(head) < _HEAD.size:
        return None
    kind, length = _HEAD.unpack(head)
    body = stream.read(length)
    if len(body) < length:
        return None
    return kind, body


def _write_frame(stream: IO[bytes], kind: bytes, body: bytes) -> None:
    stream.write(_HEAD.pack(kind, len(body)))
    stream.write(body)
    stream.flush()


def _portable(exc: Exception) -> Exception:
    """The exception itself if it survives pickling, otherwise a description of it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return IngestError(f"the parser process failed: {type(exc).__name__}: {exc}")
    return exc


def main() -> None:
    """The parser process: read the builder, write its batches, then ``done``."""
    out = sys.stdout.buffer
    try:
        builder, skip = pickle.loads(sys.stdin.buffer.read())
        with collector_paused():
            for batch in builder.batches(skip):
                _write_frame(out, _BATCH, marshal.dumps(batch.to_plain()))
                del batch
                collect_batch_garbage()
    except Exception as exc:  # every error is carried to the writer
        _write_frame(out, _ERROR, pickle.dumps(_portable(exc)))
    else:
        _write_frame(out, _DONE, b"")


if __name__ == "__main__":
    main()
