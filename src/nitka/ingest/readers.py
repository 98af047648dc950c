"""Reading input files record by record, with errors that name the record.

Every reader yields ``(record_number, record)`` with numbers starting at 1
(for CSV and XLSX, record 1 is the first data row after the header).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from nitka.errors import BadRecord, IngestError, RecordError

STDIN = "-"

# Let the csv module read long fields, so that the length check in
# ``set_value`` can name the field instead of the csv module failing first.
csv.field_size_limit(sys.maxsize)


def open_binary(path: str) -> IO[bytes]:
    if path == STDIN:
        return sys.stdin.buffer
    file = Path(path)
    if not file.is_file():
        raise IngestError(f"{path}: no such file")
    return file.open("rb")


def check_not_empty(path: str) -> None:
    if path != STDIN and Path(path).stat().st_size == 0:
        raise IngestError(f"{path}: the file is empty")


def check_encoding(path: str) -> None:
    """Fail on the first line that is not UTF-8, naming it, before anything is stored.

    A CSV record may span lines, so a bad byte cannot be skipped safely: the
    whole file is refused, and the error says which line to fix.
    """
    if path == STDIN:
        return
    with Path(path).open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise RecordError(
                    f"line {number} is not UTF-8 (byte {line[exc.start]:#04x} at column "
                    f"{exc.start + 1}); convert the file to UTF-8",
                    field="(encoding)",
                    record=number,
                    path=path,
                ) from None


def count_lines(path: str) -> int | None:
    """Records in a line-based file, for the progress bar (None for stdin)."""
    if path == STDIN:
        return None
    count = 0
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def read_json_lines(path: str) -> Iterator[tuple[int, Any]]:
    """One JSON object per line; blank lines are skipped but counted.

    A line that is not UTF-8 or not a JSON object is yielded as a BadRecord.
    """
    check_not_empty(path)
    fh = open_binary(path)
    try:
        for number, line in enumerate(fh, start=1):
            try:
                # orjson reads the bytes and checks their UTF-8 itself: the
                # common case needs no decoding here.
                data = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                if not line.strip():
                    continue
                try:
                    text = line.decode("utf-8")
                except UnicodeDecodeError:
                    error = RecordError("the line is not UTF-8", field="(encoding)")
                    yield number, BadRecord(error, line.decode("utf-8", "replace"))
                    continue
                yield number, BadRecord(RecordError(f"broken JSON: {exc}", field="(json)"), text)
                continue
            if not isinstance(data, dict):
                error = RecordError("each line must be a JSON object", field="(json)")
                yield number, BadRecord(error, line.decode("utf-8"))
                continue
            yield number, data
    finally:
        if path != STDIN:
            fh.close()


def read_csv(path: str, delimiter: str | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """CSV rows as dicts keyed by the header; the delimiter is sniffed if not given."""
    check_not_empty(path)
    check_encoding(path)
    fh = open_binary(path)
    try:
        text = (line.decode("utf-8-sig") for line in fh)
        first = next(text, "")
        if not first.strip():
            raise IngestError(f"{path}: the first line must be a header")
        if delimiter is None:
            delimiter = max((",", ";", "\t", "|"), key=first.count)
        reader = csv.reader(_chain(first, text), delimiter=delimiter)
        header = [h.strip() for h in next(reader)]
        number = found = 0
        last_line = reader.line_num
        try:
            for number, row in enumerate(reader, start=1):
                first_line, last_line = last_line + 1, reader.line_num
                if last_line > first_line or (row and row[-1].endswith("\n")):
                    _check_quotes(path, number, first_line, header, row, delimiter)
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) > len(header):
                    raise RecordError(
                        f"the row has {len(row)} fields, the header {len(header)}",
                        field="(row)",
                        record=number,
                        path=path,
                    )
                yield number, _by_header(header, row)
                found += 1
        except csv.Error as exc:
            raise RecordError(str(exc), field="(csv)", record=number + 1, path=path) from None
        if not found:
            raise IngestError(f"{path}: the file has a header but no records")
    finally:
        if path != STDIN:
            fh.close()


def _check_quotes(
    path: str, number: int, first_line: int, header: list[str], row: list[str], delimiter: str
) -> None:
    """Refuse a row whose quote was never closed where it should have been.

    A quoted value may run over several lines (an address), but one that holds
    what look like further rows (lines with the header's delimiters), or that
    runs to the end of the file, is a quote left open: say where it opened,
    instead of blaming whatever the swallowed lines make of the next column.
    """
    line = first_line
    for column, cell in enumerate(row):
        continuation = cell.split("\n")[1:]
        looks_like_rows = any(
            part.count(delimiter) >= max(1, len(header) - 1) for part in continuation
        )
        if looks_like_rows or cell.endswith("\n"):
            name = header[column] if column < len(header) else f"column {column + 1}"
            lines = cell.count("\n")
            raise RecordError(
                f"a quote opened on line {line} in column {name!r} is not closed before "
                f"line {line + lines}: the {lines} lines after it would be one value. "
                'Close the quote, or double it ("") where it is part of the value',
                field=name,
                record=number,
                path=path,
            )
        line += cell.count("\n")


def _by_header(header: list[str], cells: list[str]) -> dict[str, str]:
    """A row as a dict with every header column; missing trailing cells are empty."""
    return dict(zip(header, [*cells, *[""] * (len(header) - len(cells))], strict=False))


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def read_xlsx(path: str, sheet: str | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of one sheet (the first unless named) as dicts keyed by the header row."""
    from openpyxl import load_workbook

    check_not_empty(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise IngestError(f"{path}: not a readable XLSX file ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise IngestError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        if not any(header):
            raise IngestError(f"{path}: the first row must be a header")
        for number, row in enumerate(rows, start=1):
            cells = ["" if v is None else _cell_text(v) for v in row]
            if any(cells):
                yield number, _by_header(header, cells)
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
