"""Countries as lists write them: names, demonyms and codes, several to a cell.

A nationality reads ``Ukrainian, Russian`` or ``UA; RU``, sometimes with a
remark in parentheses. ``read_countries`` gives each country's code (FtM's
country type reads names, demonyms and codes) and the parts it could not
read, the remark among them, so that an ingest can keep the codes and note
the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from followthemoney import registry

_SEPARATOR = re.compile(r"\s*(?:[;,/]|\band\b|\bі\b|\bи\b)\s*", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\(([^()]*)\)")


@dataclass
class CountryReading:
    codes: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


def read_countries(raw: str) -> CountryReading:
    """The country codes a cell names, in order, and what it says besides."""
    reading = CountryReading()
    text = " ".join(raw.split())
    whole = registry.country.clean(text) if text else None
    if whole is not None:
        reading.codes.append(whole)
        return reading
    reading.unread.extend(remark.strip() for remark in _PARENTHESIS.findall(text))
    for part in filter(
        None, (p.strip(" .") for p in _SEPARATOR.split(_PARENTHESIS.sub(" ", text)))
    ):
        code = registry.country.clean(part)
        if code is None:
            reading.unread.append(part)
        elif code not in reading.codes:
            reading.codes.append(code)
    return reading
