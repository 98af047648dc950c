"""The map's gazetteer is read from a cache file, built there once (a server restarts fast)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nitka.analysis import gazetteer as module
from nitka.analysis.gazetteer import Gazetteer, Place, cache_file, gazetteer


def test_the_cache_file_reads_back_the_same_index(tmp_path: Path) -> None:
    built = gazetteer()
    path = tmp_path / "gazetteer.json"
    module._write(built, path)
    read = module._read(path)
    assert read.places == built.places
    assert read.by_key == built.by_key
    assert read.own_keys == built.own_keys
    assert [p.name for p in read.lookup("kyiv")] == [p.name for p in built.lookup("kyiv")]


def test_the_cache_file_is_named_by_what_the_index_is_made_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NITKA_CACHE_DIR", str(tmp_path / "cache"))
    first = cache_file()
    assert first.parent == tmp_path / "cache"
    changed = tmp_path / "places.csv"
    shutil.copy(module.UKRAINE_PLACES, changed)
    with changed.open("a", encoding="utf-8") as fh:
        fh.write("Нове Село,50.0,30.0,100\n")
    monkeypatch.setattr(module, "UKRAINE_PLACES", changed)
    assert cache_file() != first  # new place data: a new file, never a stale index


def test_a_missing_or_broken_cache_is_built_again_and_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NITKA_CACHE_DIR", str(tmp_path))
    kyiv = Place("hromada:0", "Київ", "ua", 50.45, 30.52, 2_900_000)
    small = Gazetteer({"kyiv": (kyiv,)}, {kyiv.id: frozenset({"kyiv"})}, 1)
    builds: list[int] = []

    def build() -> Gazetteer:
        builds.append(1)
        return small

    monkeypatch.setattr(module, "build", build)
    unbuilt = gazetteer.__wrapped__  # past the per-process memo
    assert unbuilt() == small and len(builds) == 1
    assert cache_file().exists()
    assert unbuilt() == small and len(builds) == 1  # read, not built
    cache_file().write_text("{not json", encoding="utf-8")
    assert unbuilt() == small and len(builds) == 2  # broken: built again
    assert module._read(cache_file()) == small  # and written whole
