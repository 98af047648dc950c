"""Generated call records at a country's scale, in the operator layout ``nitka ingest cdr``
reads (``caller,receiver,start,duration,cell_id,imei,imsi``; docs/ingest-formats.md).

What makes them look like an operator's export rather than uniform noise:

- **Numbers** in E.164: seven in ten Ukrainian mobiles (``+380`` and an operator's
  code: 50, 63, 66, 67, 68, 73, 93, 95 to 99), the rest mobiles of the EU countries
  (and Moldova) that Ukrainians move between: Poland, Germany, Czechia, Romania,
  Bulgaria, Italy.
- **Who calls whom is heavy-tailed**: each number has an activity drawn from a
  Pareto law, capped (a few call thousands of times, most a handful) and a contact list
  whose length is Pareto too, filled by popularity (preferential attachment), so
  that some numbers are everybody's contact (a taxi firm, a mother); a caller
  calls its first contacts most.
- **Times of day and lengths are the real ones** of the IEEE VAST Challenge 2008
  records (``../shared/data/vast2008_cdr``, 9,834 calls), drawn at random over
  two months (March and April 2024).
- **Cells**: each number calls from its home or work cell four times in five,
  from anywhere else otherwise (co-location has neighbours to find).
- **Handsets**: each number has a handset (an IMEI with a real-looking type code
  and its Luhn digit) and an IMSI of its country's operator; one number in fifty
  moves its SIM to a second handset half-way (a swap).

The same ``count`` and ``seed`` give the same file; files are cached in
``bench/results/``.
"""

from __future__ import annotations

import csv
import random
from array import array
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path

from bench.report import RESULTS

VAST = Path(__file__).resolve().parents[2] / "shared" / "data" / "vast2008_cdr"
VAST_FILE = "vast2008_mc3_cell_phone_calls.csv"
START = datetime(2024, 3, 1)
DAYS = 61
"""March and April 2024."""
HEADER = ("caller", "receiver", "start", "duration", "cell_id", "imei", "imsi")

# (weight, E.164 prefix choices, digits after the prefix, MCC+MNC choices)
COUNTRIES: tuple[tuple[int, tuple[str, ...], int, tuple[str, ...]], ...] = (
    (70, tuple(f"+380{code}" for code in (50, 63, 66, 67, 68, 73, 93, 95, 96, 97, 98, 99)),
     7, ("25501", "25503", "25506", "25507")),
    (8, ("+485", "+486", "+487", "+488"), 8, ("26001", "26002", "26003", "26006")),
    (6, ("+4915", "+4916", "+4917"), 8, ("26201", "26202", "26203")),
    (3, ("+4206", "+4207"), 8, ("23001", "23002", "23003")),
    (3, ("+407",), 8, ("22601", "22603", "22610")),
    (3, ("+3598",), 8, ("28401", "28403", "28405")),
    (3, ("+3936",), 8, ("22201", "22210", "22288")),
    (4, ("+3736", "+3737"), 7, ("25901", "25902")),
)  # fmt: skip
TACS = ("35693803", "35332509", "35391110", "86769004", "35290611", "35875905", "01332700")
"""Type allocation codes of common handsets (the first 8 digits of an IMEI)."""


def luhn_digit(digits: str) -> str:
    """The check digit that makes ``digits`` + it pass the Luhn test (as IMEIs do)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


@dataclass
class Vast:
    """What the real records give: times of day (seconds) and call lengths."""

    seconds_of_day: list[int]
    durations: list[int]


def read_vast(folder: Path = VAST) -> Vast:
    times: list[int] = []
    durations: list[int] = []
    with (folder / VAST_FILE).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            hhmm = row["Datetime"].split()[1]
            times.append(int(hhmm[:2]) * 3600 + int(hhmm[2:]) * 60)
            seconds = int(row["Duration(seconds)"])
            if seconds >= 0:  # a few VAST records have negative lengths
                durations.append(seconds)
    return Vast(times, durations)


class Population:
    """The numbers, their activity, handsets, cells and contact lists."""

    def __init__(self, size: int, cells: int, rng: random.Random) -> None:
        self.rng = rng
        self.size = size
        country_weights = [c[0] for c in COUNTRIES]
        numbers: list[str] = []
        imsis: list[str] = []
        seen: set[str] = set()
        while len(numbers) < size:
            _, prefixes, digits, operators = rng.choices(COUNTRIES, country_weights)[0]
            number = rng.choice(prefixes) + "".join(rng.choices("0123456789", k=digits))
            if number in seen:
                continue
            seen.add(number)
            numbers.append(number)
            operator = rng.choice(operators)
            imsis.append(operator + "".join(rng.choices("0123456789", k=15 - len(operator))))
        self.numbers = numbers
        self.imsis = imsis
        self.imeis = [_imei(rng) for _ in range(size)]
        self.swapped = {i: _imei(rng) for i in range(size) if rng.random() < 0.02}
        self.home = array("I", (rng.randrange(cells) for _ in range(size)))
        self.work = array("I", (rng.randrange(cells) for _ in range(size)))
        cap = min(1_000.0, max(50.0, size / 400))
        activity = [min(cap, rng.paretovariate(1.6)) for _ in range(size)]
        self.cumulative = list(accumulate(activity))
        self.contacts: dict[int, array[int]] = {}

    def pick(self) -> int:
        """A number, in proportion to its activity."""
        return bisect(self.cumulative, self.rng.random() * self.cumulative[-1])

    def callee(self, caller: int) -> int:
        found = self.contacts.get(caller)
        if found is None:
            length = min(2_000, int(self.rng.paretovariate(1.1) * 4))
            made = {self.pick() for _ in range(length)} - {caller}
            found = array("I", made or {(caller + 1) % self.size})
            self.contacts[caller] = found
        # The first contacts are called most: index ~ len * u^2.
        return found[int(len(found) * self.rng.random() ** 2)]


def _imei(rng: random.Random) -> str:
    body = rng.choice(TACS) + "".join(rng.choices("0123456789", k=6))
    return body + luhn_digit(body)


def records(count: int, seed: int = 2024, vast: Vast | None = None) -> Iterator[tuple[str, ...]]:
    """``count`` call records as rows of ``HEADER``."""
    rng = random.Random(seed)
    vast = vast or read_vast()
    people = Population(max(1_000, count // 25), max(100, count // 500), rng)
    cells = max(100, count // 500)
    for _ in range(count):
        caller = people.pick()
        callee = people.callee(caller)
        day = rng.randrange(DAYS)
        moment = START + timedelta(
            days=day, seconds=rng.choice(vast.seconds_of_day) + rng.randrange(60)
        )
        where = rng.random()
        cell = people.home[caller] if where < 0.5 else people.work[caller]
        if where >= 0.8:
            cell = rng.randrange(cells)
        imei = people.imeis[caller]
        if caller in people.swapped and day >= DAYS // 2:
            imei = people.swapped[caller]
        yield (
            people.numbers[caller],
            people.numbers[callee],
            moment.isoformat(),
            str(rng.choice(vast.durations)),
            f"{people.imsis[caller][:5]}-{cell // 100 + 1}-{cell}",
            imei,
            people.imsis[caller],
        )


def calls_file(count: int, seed: int = 2024) -> Path:
    """The CSV of ``count`` generated calls, made once and cached."""
    path = RESULTS / f"calls_{count}_{seed}.csv"
    if path.exists():
        return path
    RESULTS.mkdir(exist_ok=True)
    partial = path.with_suffix(".part")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(records(count, seed))
    partial.rename(path)
    return path
