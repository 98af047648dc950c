"""The cycle collector is paused during an ingest and restored as it was."""

from __future__ import annotations

import gc

import pytest

from nitka.ingest.collector import collector_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_is_restored_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_collector_is_restored_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a batch failed")
    assert gc.isenabled()
