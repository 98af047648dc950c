"""Weight profiles: how much each attribute counts in a group's score, kept as data.

A profile is a YAML file::

    name: sleipnir
    title: Sleipnir-like (attributes in the RCMP's published order of importance)
    description: ...
    weights:
      corruption: 10
      violence: 9
      ...

Nitka ships two (``profiles/*.yml``); a user's own file is read the same way. An
attribute a profile leaves out weighs nothing. A bad file is refused with the
field that is wrong: an unknown attribute, a weight that is negative or not a number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nitka.assess.scale import Attribute
from nitka.errors import FieldError

SHIPPED = Path(__file__).parent / "profiles"


class ProfileError(FieldError):
    """A weight profile that cannot be used; ``field`` names where it is wrong."""


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    description: str
    weights: dict[Attribute, float]
    source: str
    """Where it was read from: ``shipped`` or the file's path."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "source": self.source,
            "weights": {attribute.value: weight for attribute, weight in self.weights.items()},
        }


def shipped_names() -> list[str]:
    return sorted(path.stem for path in SHIPPED.glob("*.yml"))


def load(name_or_path: str) -> Profile:
    """A shipped profile by name, or a user's YAML file by path."""
    path = Path(name_or_path)
    if name_or_path in shipped_names():
        return parse(_read(SHIPPED / f"{name_or_path}.yml"), source="shipped")
    if path.suffix in (".yml", ".yaml") or path.exists():
        if not path.is_file():
            raise ProfileError(f"no profile file {name_or_path}", field="profile")
        return parse(_read(path), source=str(path))
    raise ProfileError(
        f"no profile {name_or_path!r}: one of {', '.join(shipped_names())}, or a YAML file's path",
        field="profile",
    )


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(f"cannot read {path}: {error}", field="profile") from None
    except yaml.YAMLError as error:
        raise ProfileError(f"{path} is not YAML: {error}", field="profile") from None


def parse(data: Any, *, source: str) -> Profile:
    """A profile from its YAML's data; ProfileError names the field that is wrong."""
    if not isinstance(data, dict):
        raise ProfileError("a profile is a mapping with name and weights", field="profile")
    unknown = sorted(set(map(str, data)) - {"name", "title", "description", "weights"})
    if unknown:
        raise ProfileError(f"unknown key {unknown[0]!r} in the profile", field=unknown[0])
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ProfileError("a profile needs a name", field="name")
    raw = data.get("weights")
    if not isinstance(raw, dict) or not raw:
        raise ProfileError("a profile needs weights: attribute: number", field="weights")
    weights: dict[Attribute, float] = {}
    for key, value in raw.items():
        field = f"weights.{key}"
        try:
            attribute = Attribute(str(key))
        except ValueError:
            known = ", ".join(a.value for a in Attribute)
            raise ProfileError(f"unknown attribute {key!r}: one of {known}", field=field) from None
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise ProfileError(f"a weight is a number, not {value!r}", field=field)
        if value < 0 or math.isinf(value):
            raise ProfileError(f"a weight is zero or more and finite, not {value}", field=field)
        weights[attribute] = float(value)
    if not any(weights.values()):
        raise ProfileError("every weight is zero: nothing would count", field="weights")
    ordered = {attribute: weights.get(attribute, 0.0) for attribute in Attribute}
    return Profile(
        name.strip(),
        str(data.get("title") or name).strip(),
        str(data.get("description") or "").strip(),
        ordered,
        source,
    )
