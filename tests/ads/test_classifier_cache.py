"""The trained classifier is kept in the cache folder: a second process reads it
instead of training, and a file that cannot be trusted is replaced."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nitka.ads import classifier, stored
from nitka.ads.classifier import Model
from nitka.ads.corpus import split
from nitka.ads.findings import findings


def small_model() -> Model:
    """A model fitted on 40 ads: the shape of the real one in a fraction of its time."""
    ads = split("train")[:40]
    return classifier.fit(
        [ad.text for ad in ads],
        [findings(ad.text, ad.lang).hits for ad in ads],
        [int(ad.label == "risky") for ad in ads],
    )


def counted(monkeypatch: pytest.MonkeyPatch) -> list[Model]:
    """Each model trained from now on (small ones)."""
    made: list[Model] = []

    def train() -> Model:
        made.append(small_model())
        return made[-1]

    monkeypatch.setattr(classifier, "train", train)
    return made


@pytest.fixture
def trainings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Model]:
    """Each model trained, while the cache folder is a fresh one under tmp_path."""
    monkeypatch.setenv("NITKA_CACHE_DIR", str(tmp_path / "cache"))
    return counted(monkeypatch)


def load() -> Model:
    """The model as a new process gets it (past the per-process memo)."""
    found: Model = classifier.shipped.__wrapped__()
    return found


TEXTS = ["Робота в Польщі, дівчата 18-25, хостес", "Збір полуниці, ТОВ «Агро», ліцензія"]


def risks(model: Model) -> list[float]:
    return model.risk(TEXTS, [findings(t).hits for t in TEXTS])


def test_a_second_load_reads_the_kept_model_and_trains_nothing(trainings: list[Model]) -> None:
    first = load()
    assert len(trainings) == 1
    assert classifier.cache_file().parent.name == "cache" and classifier.cache_file().is_file()
    second = load()
    assert len(trainings) == 1  # read, not trained
    assert second is not first and risks(second) == risks(first)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda path: path.write_bytes(b"not a model"),
        lambda path: path.write_bytes(path.read_bytes()[:-100]),  # cut short
        lambda path: path.write_bytes(path.read_bytes()[:-1] + b"\x00"),  # a byte changed
        lambda path: path.write_bytes(b""),
    ],
    ids=["garbage", "cut", "changed", "empty"],
)
def test_a_corrupt_file_is_trained_again_and_replaced(
    trainings: list[Model], spoil: object
) -> None:
    load()
    path = classifier.cache_file()
    spoil(path)  # type: ignore[operator]
    model = load()
    assert len(trainings) == 2
    assert stored.read(path, classifier.training_key(), Model) is not None  # replaced, whole
    assert risks(model) == risks(trainings[-1])


def test_a_model_for_other_data_or_code_is_not_used(
    trainings: list[Model], monkeypatch: pytest.MonkeyPatch
) -> None:
    load()
    monkeypatch.setattr(classifier, "training_key", lambda: "another labelled set")
    load()
    assert len(trainings) == 2
    load()
    assert len(trainings) == 2  # the new key's model was kept


def test_the_key_names_the_data_the_code_and_the_libraries() -> None:
    key = classifier.training_key()
    assert key == classifier.training_key() and len(key) == 64
    assert "scikit-learn" in classifier.LIBRARIES and "simplemma" in classifier.LIBRARIES


def test_a_file_of_another_kind_or_unpicklable_reads_as_none(tmp_path: Path) -> None:
    path = tmp_path / "model.pickle"
    stored.write(path, "k", {"not": "a model"})
    assert stored.read(path, "k", Model) is None
    payload = b"\x80\x05cno_such_module\nThing\n."  # a pickle naming a missing class
    digest = hashlib.sha256(payload).hexdigest().encode()
    path.write_bytes(stored.HEADER + b"k\n" + digest + b"\n" + payload)
    assert stored.read(path, "k", Model) is None
    assert stored.read(tmp_path / "missing", "k", Model) is None


def test_a_cache_folder_that_cannot_be_written_still_gives_a_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would be", encoding="utf-8")
    monkeypatch.setenv("NITKA_CACHE_DIR", str(blocker / "cache"))
    made = counted(monkeypatch)
    assert isinstance(load(), Model) and len(made) == 1
    assert not list(tmp_path.glob("**/*.partial"))
