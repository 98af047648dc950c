from pathlib import Path

from nitka.cli.reference import render_reference
from nitka.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_cli_reference_matches_the_code() -> None:
    expected = render_reference()
    assert "## `nitka ingest`" in expected and "`--on-error`" in expected
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == expected, (
        "docs/cli.md is out of date: run python -m nitka.cli.reference > docs/cli.md"
    )


def test_every_setting_is_described_and_documented() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert field.description, name
        assert f"NITKA_{name.upper()}" in text, name
