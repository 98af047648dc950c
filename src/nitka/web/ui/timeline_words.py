"""The timeline's items in the page's language.

The analysis layer keeps what an item says as parts (``nitka.analysis.timeline``:
the kind, the ends, the amount, the length) and puts them in words with a
``Wording``; this is the workstation's, in the language of the request: a kind
by the model's label in the user's language (``model_labels``, "дзвінок"), a
call's length in the UI catalogue's units ("3 хв"). The names and places
stay as the sources give them.
"""

from __future__ import annotations

from typing import Any

from nitka.analysis.timeline import Item
from nitka.web.ui.i18n import gettext
from nitka.web.ui.model_labels import schema_label


class PageWording:
    """The timeline's words in the current request's language."""

    def schema(self, name: str) -> str:
        return schema_label(name)

    def duration(self, seconds: int) -> str:
        if seconds < 60:
            return gettext("{seconds} s").format(seconds=seconds)
        minutes = round(seconds / 60)
        if minutes < 60:
            return gettext("{minutes} min").format(minutes=minutes)
        return gettext("{hours} h {minutes} min").format(hours=minutes // 60, minutes=minutes % 60)


PAGE = PageWording()


def timeline_item(item: Item) -> dict[str, Any]:
    """A timeline item's JSON in the page's language, with its kind in words."""
    return {**item.as_dict(PAGE), "kind": schema_label(item.schema)}
