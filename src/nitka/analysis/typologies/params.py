"""A ready query's parameters: a frozen dataclass whose fields carry their help, so
that ``nitka typology list``, the CLI's options and the docs tell the same defaults."""

from __future__ import annotations

from dataclasses import MISSING, Field, field, fields
from typing import Any

from nitka.errors import FieldError


def option(default: Any, help: str) -> Any:
    """A parameter with its default and what it means."""
    return field(default=default, metadata={"help": help})


def described(params: type) -> list[dict[str, Any]]:
    """Each parameter: its option name, default and help."""
    found: list[dict[str, Any]] = []
    for item in fields(params):
        default = item.default if item.default is not MISSING else None
        if isinstance(default, tuple):
            default = ",".join(str(v) for v in default)
        found.append({"option": flag(item), "default": default, "help": item.metadata["help"]})
    return found


def flag(item: Field[Any] | str) -> str:
    """``min_recruits`` as the CLI writes it: ``--min-recruits``."""
    name = item if isinstance(item, str) else item.name
    return "--" + name.replace("_", "-")


def at_least(value: int, least: int, name: str) -> None:
    if value < least:
        raise FieldError(f"{flag(name)} {value}: at least {least}", field=name)
