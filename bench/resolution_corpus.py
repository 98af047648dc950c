"""Labelled person records for entity resolution (issue 22): who is who is known.

Two sets, both written in the input format of ``nitka resolve file`` (a
column ``id`` and FtM Person properties, several values split by ``;``)
beside a truth file ``id,person``:

``eu_labelled``
    The persons of EU Regulation 269/2014 (``../shared/data/
    eu_sanctions_official_journal``, OpenSanctions' transcription, CC BY-NC
    4.0). The regulation gives most persons their name in Russian and in
    Ukrainian Cyrillic and in two or three romanisations: each spelling
    becomes a record of its own, as different agencies would have filed the
    person. Aliases that are other names (a maiden name, a pseudonym: their
    surname is not a spelling of the person's) are left out, and a person
    listed twice is kept once. Then records are made harder the way real
    files are: a birth date missing, given as a year, or with day and month
    swapped; a typing error in one word; the surname first and in capitals. A namesake (the
    same name, a birth date years apart) is added for one person in twenty:
    a different person, who must not be linked.

``synthetic``
    Any number of records from real name parts (the Ukrainian and Russian
    first names, patronymics and surnames of the PEP registry dictionaries in
    ``nitka/normalise/data``), about 30% of the persons with one to three
    more records in the other script, language or spelling: the speed
    benchmark's million records.

    python -m bench.resolution_corpus --synthetic 1000000
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from normality import ascii_text
from rapidfuzz import fuzz

from bench.corpus import CACHE, SHARED
from bench.search_bench import _pairs
from nitka.normalise.romanize import romanize_ru, romanize_ru_bgn, romanize_uk

COLUMNS = ["id", "name", "birthDate", "nationality", "passportNumber"]
CYRILLIC = re.compile("[\u0400-\u04ff]")


@dataclass
class Record:
    id: str
    person: str
    names: list[str]
    birth_date: str = ""
    nationality: str = ""
    passport: str = ""

    def row(self) -> list[str]:
        return [self.id, ";".join(self.names), self.birth_date, self.nationality, self.passport]


@dataclass
class Corpus:
    records: list[Record] = field(default_factory=list)

    def write(self, path: Path) -> tuple[Path, Path]:
        """The input file and its truth file (``id,person``) beside it."""
        truth = path.with_name(path.stem + "_truth.csv")
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(COLUMNS)
            out.writerows(record.row() for record in self.records)
        with truth.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["id", "person"])
            out.writerows((record.id, record.person) for record in self.records)
        return path, truth


def read_truth(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as fh:
        return {row["id"]: row["person"] for row in csv.DictReader(fh)}


# -- what files do to a record -------------------------------------------------------


def iso_date(eu_date: str) -> str:
    """``26.11.1972`` -> ``1972-11-26``; a year alone stays a year; else empty."""
    parts = eu_date.strip().split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        day, month, year = (int(p) for p in parts)
        return f"{year:04d}-{month:02d}-{day:02d}"
    if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) == 4:
        return parts[0]
    return ""


def blur_date(date: str, rng: random.Random) -> str:
    """A birth date as another file may hold it: often the same, else missing,
    the year alone, or day and month swapped (where that is still a date)."""
    if len(date) != 10:
        return date if rng.random() < 0.8 else ""
    roll = rng.random()
    if roll < 0.65:
        return date
    if roll < 0.85:
        return ""
    if roll < 0.95:
        return date[:4]
    year, month, day = date.split("-")
    return f"{year}-{day}-{month}" if int(day) <= 12 else date


def typo(name: str, rng: random.Random) -> str:
    """One typing error in one word of three letters or more, never its first letter."""
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 4]
    if not long:
        return name
    i = rng.choice(long)
    word = words[i]
    at = rng.randrange(1, len(word))
    kind = rng.random()
    if kind < 0.4:
        word = word[:at] + word[at + 1 :]  # a letter left out
    elif kind < 0.7 and at < len(word) - 1:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]  # two swapped
    else:
        word = word[:at] + word[at - 1] + word[at:]  # a letter doubled
    words[i] = word
    return " ".join(words)


def surname_first(name: str) -> str:
    """``Sergey Valeryevich AKSYONOV`` -> ``AKSYONOV Sergey Valeryevich``."""
    words = name.split()
    return " ".join([words[-1].upper(), *words[:-1]]) if len(words) > 1 else name


def harden(name: str, rng: random.Random) -> str:
    if rng.random() < 0.1:
        name = typo(name, rng)
    if rng.random() < 0.2:
        name = surname_first(name)
    return name


# -- EU 269/2014 ------------------------------------------------------------------


def _spellings(row: dict[str, str]) -> list[str]:
    """The person's name and every alias, the Cyrillic in brackets split out."""
    found = [row["name"].strip()]
    for alias in row["alias"].split(";"):
        alias = alias.strip()
        inner = re.findall(r"\(([^)]*)\)", alias)
        outer = re.sub(r"\([^)]*\)", "", alias).strip()
        found += [part.strip() for part in [outer, *inner] if part.strip()]
    unique: list[str] = []
    for spelling in found:
        if spelling and spelling not in unique and len(spelling.split()) >= 2:
            unique.append(spelling)
    return [s for s in unique if s == unique[0] or same_surname(unique[0], s)]


def surname(name: str) -> str:
    """The annex's surname in ASCII: the word in capitals, else the last word."""
    words = [w for w in re.split(r"[\s,]+", ascii_text(name) or "") if w]
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    return re.sub(r"[^a-z]", "", (capitals or words or [""])[-1].lower())


def same_surname(name: str, alias: str) -> bool:
    """Whether an alias spells the name's surname (another script or romanisation),
    rather than naming the person otherwise (a maiden name, a pseudonym): those no
    linker finds by the name, and they are left out of the set."""
    return fuzz.ratio(surname(name), surname(alias)) >= SAME_SURNAME


SAME_SURNAME = 60
"""Similarity (0-100) of two surnames, both in ASCII by ICU's generic transliteration
(``normality``, not Nitka's own romanisation), from which they count as one spelled
two ways: АКСЁНОВ/AKSYONOV 80, ДЗЯМIДАВА/DEMIDOVA 71, DOLINA/MIONCHINSKAYA 42."""


def eu_labelled(seed: int = 11, per_person: int = 4) -> Corpus:
    """Records of the persons of Reg. 269/2014 who have a Cyrillic spelling."""
    rng = random.Random(seed)
    corpus = Corpus()
    path = SHARED / "eu_sanctions_official_journal" / "32014R0269.csv"
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["schema"] == "Person"]
    seen: set[tuple[str, str]] = set()
    for row in rows:
        spellings = _spellings(row)
        if not any(CYRILLIC.search(s) for s in spellings) or len(spellings) < 2:
            continue
        person = f"eu{row['recordId']}"
        born = iso_date(row["birthDate"].split(";")[0])
        if (spellings[0], born) in seen:
            continue  # listed twice in the annexes: one person, kept once
        seen.add((spellings[0], born))
        for n, spelling in enumerate(spellings[:per_person]):
            name = spelling if n == 0 else harden(spelling, rng)
            corpus.records.append(
                Record(
                    f"{person}-{n}",
                    person,
                    [name],
                    born if n == 0 else blur_date(born, rng),
                    "ru" if n == 0 and rng.random() < 0.5 else "",
                )
            )
        if len(born) == 10 and rng.random() < 0.05:
            year = int(born[:4]) + rng.choice((-1, 1)) * rng.randint(3, 20)
            namesake = f"{person}-namesake"
            corpus.records.append(
                Record(f"{namesake}-0", namesake, [spellings[0]], f"{year}{born[4:]}")
            )
    return corpus


# -- synthetic, from real name parts ----------------------------------------------


def synthetic(count: int, seed: int = 7, duplicated: float = 0.3) -> Corpus:
    """About ``count`` records; ``duplicated`` of the persons have 1 to 3 more."""
    rng = random.Random(seed)
    firsts, lasts = _pairs("pep_names.csv"), _pairs("pep_lastnames.csv")
    patronymics = _pairs("pep_patronymics.csv")
    romanizers: list[Callable[[str], str]] = [romanize_uk, romanize_ru, romanize_ru_bgn]
    corpus = Corpus()
    person_number = 0
    while len(corpus.records) < count:
        person = f"s{person_number}"
        person_number += 1
        first, patronymic, last = rng.choice(firsts), rng.choice(patronymics), rng.choice(lasts)
        ukrainian = rng.random() < 0.5
        born = _birth(rng)
        passport = _passport(rng) if rng.random() < 0.3 else ""
        copies = 1 + (rng.randint(1, 3) if rng.random() < duplicated else 0)
        for n in range(copies):
            language = 0 if (ukrainian if n == 0 else rng.random() < 0.5) else 1
            parts = [first[language], last[language]]
            if rng.random() < 0.3:
                parts.insert(1, patronymic[language])
            name = " ".join(parts)
            if n > 0 or rng.random() < 0.5:
                romanize = rng.choice(romanizers)
                name = " ".join(romanize(word).title() for word in name.split())
            corpus.records.append(
                Record(
                    f"{person}-{n}",
                    person,
                    [name if n == 0 else harden(name, rng)],
                    born if n == 0 else blur_date(born, rng),
                    passport=passport if n == 0 or rng.random() < 0.5 else "",
                )
            )
    del corpus.records[count:]
    return corpus


def _birth(rng: random.Random) -> str:
    return f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _passport(rng: random.Random) -> str:
    return "".join(rng.choice("ABCEHKMOPTX") for _ in range(2)) + f"{rng.randint(0, 999999):06d}"


def cached(name: str, build: Callable[[], Corpus]) -> tuple[Path, Path]:
    """The corpus' files in ``bench/results``, built on first use."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{name}.csv"
    truth = path.with_name(path.stem + "_truth.csv")
    if not (path.exists() and truth.exists()):
        build().write(path)
    return path, truth


def pairs_of(truth: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Every pair of records of one person (the true links)."""
    members: dict[str, list[str]] = {}
    for record, person in truth.items():
        members.setdefault(person, []).append(record)
    for ids in members.values():
        ids.sort()
        for i, left in enumerate(ids):
            for right in ids[i + 1 :]:
                yield left, right


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", type=int, default=0, help="records of the synthetic set")
    args = parser.parse_args()
    path, truth = cached("resolution_eu_labelled", eu_labelled)
    print(f"{path} ({sum(1 for _ in path.open()) - 1:,} records), truth {truth}")
    if args.synthetic:
        path, truth = cached(
            f"resolution_synthetic_{args.synthetic}", lambda: synthetic(args.synthetic)
        )
        print(f"{path} ({args.synthetic:,} records), truth {truth}")


if __name__ == "__main__":
    main()
