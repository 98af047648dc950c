"""Facet tokens: filters (schema, dataset, country, case) stored as index tokens.

Storing a filter as a token lets one full-text query both match names and
filter, in SQLite FTS5 and PostgreSQL alike. Values are hashed so that any
dataset or case name, in any script, becomes one plain token.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from functools import lru_cache


class Facet(StrEnum):
    SCHEMA = "schema"
    DATASET = "dataset"
    COUNTRY = "country"
    CASE = "case"


@lru_cache(maxsize=65_536)
def facet_token(facet: Facet, value: str) -> str:
    digest = hashlib.sha1(f"{facet.value}:{value.lower()}".encode()).hexdigest()[:16]
    return f"f{digest}"
