"""Names shown for the codes of the model (roles, categories, handling codes,
gradings, message states), marked for translation.

The codes themselves stay as they are in the store and the API; only what a
person reads is translated. ``N_`` marks a string for extraction without
translating it at import time (the language is known only per request).
"""

from __future__ import annotations

from nitka.web.ui.i18n import gettext


def N_(text: str) -> str:  # noqa: N802 (gettext's conventional name)
    return text


ROLES = {
    "analyst": N_("analyst"),
    "investigator": N_("investigator"),
    "liaison": N_("liaison officer"),
    "supervisor": N_("supervisor"),
    "auditor": N_("auditor"),
    "administrator": N_("administrator"),
}
CATEGORIES = {
    "suspect": N_("suspect"),
    "convicted": N_("convicted"),
    "victim": N_("victim"),
    "witness": N_("witness"),
    "contact": N_("contact or associate"),
    "informant": N_("informant"),
    "other": N_("other"),
}
HANDLING = {
    "H0": N_("H0: may be used for preventing and combating crime, under national law"),
    "H1": N_("H1: not to be used as evidence in court without the provider's permission"),
    "H2": N_("H2: not to be passed on without the provider's permission"),
    "H3": N_("H3: other restrictions, stated with the data"),
}
STATUSES = {
    "draft": N_("draft"),
    "approved": N_("approved"),
    "sent": N_("sent"),
    "delivered": N_("delivered"),
    "received": N_("received"),
    "in-progress": N_("in progress"),
    "answered": N_("answered"),
    "closed": N_("closed"),
}

ACTIONS = {
    "sign-in": N_("signed in"),
    "search": N_("searched"),
    "view": N_("viewed"),
    "check": N_("checked against the lists"),
    "export": N_("exported"),
    "disclosure": N_("disclosed to a partner"),
    "change": N_("changed"),
    "erasure": N_("erased"),
}
OUTCOMES = {"done": N_("done"), "refused": N_("refused"), "failed": N_("failed")}


def label(table: dict[str, str], code: str) -> str:
    """The translated name of a code; the code itself if it has none."""
    return gettext(table[code]) if code in table else code
