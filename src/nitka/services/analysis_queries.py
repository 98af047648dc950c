"""The analysis queries on call records and money flows, as the actor may see them.

Each query first brings its projection up to date (``nitka.analysis.projection``:
the change records since it last read, in the caller's transaction), then reads
only the rows all of whose statements the actor may see (``nitka.analysis.scopes``),
of one case if asked, and names in its audit record the calls or payments behind
the answer. A case the actor is not a member of is answered as one that does not
exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from babel.numbers import list_currencies
from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action, Outcome
from nitka.access.visibility import READERS, Viewer
from nitka.analysis import behaviour, colocation, contacts, flows, layering, structuring
from nitka.analysis import burners as burner_calls
from nitka.analysis import chains as chain_calls
from nitka.analysis import handsets as handset_calls
from nitka.analysis.asking import asked_time
from nitka.analysis.behaviour import Change
from nitka.analysis.burners import Burner
from nitka.analysis.calls import CallsProjection
from nitka.analysis.chains import Chain
from nitka.analysis.colocation import Meeting
from nitka.analysis.contacts import Contact, number_keys
from nitka.analysis.flows import Cycle, FanIn, FanOut
from nitka.analysis.handsets import Handset, Swap
from nitka.analysis.layering import Bipartite, GatherScatter, ScatterGather, Stacked
from nitka.analysis.payments import PaymentsProjection
from nitka.analysis.projection import (
    Progress,
    Projected,
    Projection,
    RejectedEntity,
    catch_up,
    rebuild,
    rejects_of,
)
from nitka.analysis.readings import RejectedError, amount
from nitka.analysis.scopes import visible_scopes
from nitka.analysis.structuring import BelowThreshold, Period
from nitka.analysis.trips import TripsProjection
from nitka.errors import FieldError
from nitka.services.guard import PROJECTION_KEEPERS, NotFoundError, audit, require, viewer_of

PROJECTIONS: dict[str, type[Projection]] = {
    CallsProjection.kind: CallsProjection,
    PaymentsProjection.kind: PaymentsProjection,
    TripsProjection.kind: TripsProjection,
}
"""The projections by name: ``calls``, ``payments``, ``trips``."""


def common_contacts(
    conn: Connection,
    actor: Actor,
    numbers: Sequence[str],
    *,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Contact]:
    """The numbers in contact with every one of two to ten numbers, with how many calls."""
    subject = {"calls": "common", "numbers": list(numbers), "case": case}
    viewer = _reader(conn, actor, subject, case)
    number_keys(numbers)
    scopes = _caught_up(conn, CallsProjection(), viewer, case, progress)
    found = contacts.common_contacts(conn, numbers, scopes)
    _shown(conn, actor, subject, [i for c in found for i in c.ids], len(found))
    return found


def top_contacts(
    conn: Connection,
    actor: Actor,
    number: str,
    *,
    limit: int = 10,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Contact]:
    """The numbers with the most calls with this one."""
    subject = {"calls": "top", "number": number, "limit": limit, "case": case}
    viewer = _reader(conn, actor, subject, case)
    number_keys([number], "number")
    scopes = _caught_up(conn, CallsProjection(), viewer, case, progress)
    found = contacts.top_contacts(conn, number, scopes, limit=limit)
    _shown(conn, actor, subject, [i for c in found for i in c.ids], len(found))
    return found


# Call-record queries beyond contacts: chains, co-location, handsets, burners, change.


def chains(
    conn: Connection,
    actor: Actor,
    number: str,
    *,
    window: int = 60,
    depth: int = 3,
    limit: int = 100,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Chain]:
    """Chains of calls in time order from this number: A called B, then B called C
    within ``window`` minutes, up to ``depth`` calls."""
    subject = {"calls": "chains", "number": number, "window": window, "depth": depth,
               "limit": limit, "case": case}  # fmt: skip
    viewer = _reader(conn, actor, subject, case)
    number_keys([number], "number")
    if not chain_calls.MIN_DEPTH <= depth <= chain_calls.MAX_DEPTH:
        raise FieldError(
            f"depth: a chain is {chain_calls.MIN_DEPTH} to {chain_calls.MAX_DEPTH} calls, "
            f"not {depth}",
            field="depth",
        )
    _positive(window, "window")
    scopes = _caught_up(conn, CallsProjection(), viewer, case, progress)
    found = chain_calls.chains(conn, number, scopes, window=window, depth=depth, limit=limit)
    _shown(conn, actor, subject, [i for c in found for i in c.ids], len(found))
    return found


def colocated(
    conn: Connection,
    actor: Actor,
    number: str,
    *,
    minutes: int = 15,
    since: str | None = None,
    until: str | None = None,
    limit: int = 1000,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Meeting]:
    """Other numbers with calls through the cells of this number's calls within
    ``minutes`` of them (from ``since`` up to ``until``, days or times)."""
    subject = {"calls": "colocated", "number": number, "minutes": minutes, "from": since,
               "to": until, "case": case}  # fmt: skip
    viewer = _reader(conn, actor, subject, case)
    number_keys([number], "number")
    _positive(minutes, "minutes")
    low = asked_time(since, "from") if since else None
    high = asked_time(until, "to", end=True) if until else None
    scopes = _caught_up(conn, CallsProjection(), viewer, case, progress)
    found = colocation.colocated(
        conn, number, scopes, minutes=minutes, since=low, until=high, limit=limit
    )
    _shown(conn, actor, subject, [i for m in found for i in m.ids], len(found))
    return found


def handsets(
    conn: Connection,
    actor: Actor,
    *,
    number: str | None = None,
    limit: int = 1000,
    case: str | None = None,
    progress: Progress | None = None,
) -> tuple[list[Handset], list[Swap]]:
    """IMEIs used with several numbers, and numbers that moved between IMEIs (swaps)."""
    subject = {"calls": "handsets", "number": number, "limit": limit, "case": case}
    viewer = _reader(conn, actor, subject, case)
    if number is not None:
        number_keys([number], "number")
    scopes = _caught_up(conn, CallsProjection(), viewer, case, progress)
    shared, swaps = handset_calls.handsets(conn, scopes, number=number, limit=limit)
    ids = [i for h in shared for i in h.ids] + [i for s in swaps for i in s.ids]
    _shown(conn, actor, subject, ids, len(shared) + len(swaps))
    return shared, swaps


def burners(
    conn: Connection,
    actor: Actor,
    *,
    max_days: int = 14,
    max_contacts: int = 3,
    min_calls: int = 2,
    limit: int = 1000,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Burner]:
    """Short-lived numbers with few contacts (the burner pattern)."""
    subject = {"calls": "burners", "max_days": max_days, "max_contacts": max_contacts,
               "min_calls": min_calls, "limit": limit, "case": case}  # fmt: skip
    viewer = _reader(conn, actor, subject, case)
    for value, name in ((max_days, "max_days"), (max_contacts, "max_contacts"),
                        (min_calls, "min_calls")):  # fmt: skip
        _positive(value, name)
    scopes = _caught_up(conn, CallsProjection(), viewer, case, progress)
    found = burner_calls.burners(conn, scopes, max_days=max_days, max_contacts=max_contacts,
                                 min_calls=min_calls, limit=limit)  # fmt: skip
    _shown(conn, actor, subject, [i for b in found for i in b.ids], len(found))
    return found


def behaviour_change(
    conn: Connection,
    actor: Actor,
    number: str,
    date: str,
    *,
    days: int = 30,
    case: str | None = None,
    progress: Progress | None = None,
) -> Change:
    """A number's calls in the ``days`` before a date against those after it."""
    subject = {"calls": "change", "number": number, "date": date, "days": days, "case": case}
    viewer = _reader(conn, actor, subject, case)
    number_keys([number], "number")
    when = asked_time(date, "date")
    _positive(days, "days")
    scopes = _caught_up(conn, CallsProjection(), viewer, case, progress)
    found = behaviour.change(conn, number, when, scopes, days=days)
    _shown(conn, actor, subject, found.ids, found.before.calls + found.after.calls)
    return found


def _positive(value: int, field: str) -> None:
    if value < 1:
        raise FieldError(f"{field}: {value} is not a positive whole number", field=field)


def fan_in(
    conn: Connection,
    actor: Actor,
    *,
    min_sources: int = 3,
    limit: int = 1000,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[FanIn]:
    """Accounts paid by at least ``min_sources`` different accounts."""
    subject = {"flows": "fan-in", "min_sources": min_sources, "limit": limit, "case": case}
    viewer = _reader(conn, actor, subject, case)
    if min_sources < 2:
        raise FieldError("a fan-in needs at least 2 sources", field="min_sources")
    scopes = _caught_up(conn, PaymentsProjection(), viewer, case, progress)
    found = flows.fan_in(conn, scopes, min_sources=min_sources, limit=limit)
    _shown(conn, actor, subject, [i for f in found for i in f.flow.ids], len(found))
    return found


def cycles(
    conn: Connection,
    actor: Actor,
    *,
    max_length: int = 6,
    limit: int = 1000,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Cycle]:
    """Money going round: cycles of two to ``max_length`` accounts."""
    subject = {"flows": "cycles", "max_length": max_length, "limit": limit, "case": case}
    viewer = _reader(conn, actor, subject, case)
    if not 2 <= max_length <= flows.MAX_CYCLE_LENGTH:
        raise FieldError(
            f"a cycle is 2 to {flows.MAX_CYCLE_LENGTH} accounts long", field="max_length"
        )
    scopes = _caught_up(conn, PaymentsProjection(), viewer, case, progress)
    found = flows.cycles(conn, scopes, max_length=max_length, limit=limit)
    _shown(conn, actor, subject, [i for c in found for i in c.flow.ids], len(found))
    return found


# Fan-out, the layering shapes, amounts below a threshold, flows between two parties.


def fan_out(
    conn: Connection,
    actor: Actor,
    *,
    min_targets: int = 3,
    within: int | None = None,
    limit: int = 1000,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[FanOut]:
    """Accounts paying at least ``min_targets`` different accounts (within ``within``
    days, if given)."""
    subject = {"flows": "fan-out", "min_targets": min_targets, "within": within,
               "limit": limit, "case": case}  # fmt: skip
    viewer = _reader(conn, actor, subject, case)
    _at_least(min_targets, 2, "min_targets", "a fan-out needs at least 2 targets")
    _days(within)
    scopes = _caught_up(conn, PaymentsProjection(), viewer, case, progress)
    found = flows.fan_out(conn, scopes, min_targets=min_targets, within=within, limit=limit)
    _shown(conn, actor, subject, [i for f in found for i in f.flow.ids], len(found))
    return found


def scatter_gather(
    conn: Connection,
    actor: Actor,
    *,
    min_middle: int = 3,
    limit: int = 1000,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[ScatterGather]:
    """A source paying several accounts that all pay one collector on."""
    subject = {"flows": "scatter-gather", "min_middle": min_middle, "limit": limit, "case": case}
    viewer = _reader(conn, actor, subject, case)
    _at_least(min_middle, 2, "min_middle", "a scatter-gather needs at least 2 middle accounts")
    scopes = _caught_up(conn, PaymentsProjection(), viewer, case, progress)
    found = layering.scatter_gather(conn, scopes, min_middle=min_middle, limit=limit)
    _shown(conn, actor, subject, [i for f in found for i in f.flow.ids], len(found))
    return found


def gather_scatter(
    conn: Connection,
    actor: Actor,
    *,
    min_sources: int = 3,
    min_targets: int = 3,
    limit: int = 1000,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[GatherScatter]:
    """Many accounts paying one (the hub), who pays many on."""
    subject = {"flows": "gather-scatter", "min_sources": min_sources,
               "min_targets": min_targets, "limit": limit, "case": case}  # fmt: skip
    viewer = _reader(conn, actor, subject, case)
    _at_least(min_sources, 2, "min_sources", "a gather-scatter needs at least 2 sources")
    _at_least(min_targets, 2, "min_targets", "a gather-scatter needs at least 2 targets")
    scopes = _caught_up(conn, PaymentsProjection(), viewer, case, progress)
    found = layering.gather_scatter(
        conn, scopes, min_sources=min_sources, min_targets=min_targets, limit=limit
    )
    _shown(conn, actor, subject, [i for f in found for i in f.flow.ids], len(found))
    return found


def bipartite(
    conn: Connection,
    actor: Actor,
    *,
    min_payers: int = 2,
    min_payees: int = 2,
    limit: int = 1000,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Bipartite]:
    """A set of payers each paying every one of a set of payees."""
    subject = {"flows": "bipartite", "min_payers": min_payers, "min_payees": min_payees,
               "limit": limit, "case": case}  # fmt: skip
    viewer = _reader(conn, actor, subject, case)
    _at_least(min_payers, 2, "min_payers", "a bipartite set needs at least 2 payers")
    _at_least(min_payees, 2, "min_payees", "a bipartite set needs at least 2 payees")
    scopes = _caught_up(conn, PaymentsProjection(), viewer, case, progress)
    found = layering.bipartite(
        conn, scopes, min_payers=min_payers, min_payees=min_payees, limit=limit
    )
    _shown(conn, actor, subject, [i for f in found for i in f.flow.ids], len(found))
    return found


def stacked(
    conn: Connection,
    actor: Actor,
    *,
    min_width: int = 2,
    min_layers: int = 3,
    limit: int = 1000,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Stacked]:
    """Layers of accounts, each paying every account of the next, three or more deep."""
    subject = {"flows": "stacked", "min_width": min_width, "min_layers": min_layers,
               "limit": limit, "case": case}  # fmt: skip
    viewer = _reader(conn, actor, subject, case)
    _at_least(min_width, 2, "min_width", "a layer needs at least 2 accounts")
    if not 3 <= min_layers <= layering.MAX_LAYERS:
        raise FieldError(f"a stack is 3 to {layering.MAX_LAYERS} layers deep", field="min_layers")
    scopes = _caught_up(conn, PaymentsProjection(), viewer, case, progress)
    found = layering.stacked(conn, scopes, min_width=min_width, min_layers=min_layers, limit=limit)
    _shown(conn, actor, subject, [i for f in found for i in f.flow.ids], len(found))
    return found


def below_threshold(
    conn: Connection,
    actor: Actor,
    *,
    threshold: str,
    margin: str = "0.1",
    currency: str | None = None,
    min_payments: int = 2,
    within: int | None = None,
    limit: int = 1000,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[BelowThreshold]:
    """Payer and payee pairs with several payments just below a reporting threshold
    (``threshold`` and ``margin`` as written: ``10000``, ``0.1``)."""
    subject = {"flows": "below-threshold", "threshold": threshold, "margin": margin,
               "currency": currency, "min_payments": min_payments, "within": within,
               "limit": limit, "case": case}  # fmt: skip
    viewer = _reader(conn, actor, subject, case)
    limit_amount = _amount(threshold, "threshold")
    if limit_amount <= 0:
        raise FieldError(f"the threshold {threshold!r} is not above zero", field="threshold")
    share = _amount(margin, "margin")
    if not 0 < share < 1:
        raise FieldError(f"the margin {margin!r} is not between 0 and 1", field="margin")
    code = None if currency is None else _currency(currency)
    _at_least(min_payments, 1, "min_payments", "at least 1 payment")
    _days(within)
    scopes = _caught_up(conn, PaymentsProjection(), viewer, case, progress)
    found = structuring.below_threshold(
        conn, scopes, threshold=limit_amount, margin=share, currency=code,
        min_payments=min_payments, within=within, limit=limit,
    )  # fmt: skip
    _shown(conn, actor, subject, [i for f in found for i in f.flow.ids], len(found))
    return found


def between(
    conn: Connection,
    actor: Actor,
    a: str,
    b: str,
    *,
    by: str = "month",
    case: str | None = None,
    progress: Progress | None = None,
) -> list[Period]:
    """The payments between two parties (accounts), both ways, per day, week or month."""
    subject = {"flows": "between", "a": a, "b": b, "by": by, "case": case}
    viewer = _reader(conn, actor, subject, case)
    if by not in structuring.PERIODS:
        raise FieldError(f"by {by!r}: one of {', '.join(structuring.PERIODS)}", field="by")
    for side, name in (("a", a), ("b", b)):
        if not name.strip():
            raise FieldError("no account given", field=side)
    if structuring.same_party(a, b):
        raise FieldError(f"{a!r} and {b!r} are one account", field="b")
    scopes = _caught_up(conn, PaymentsProjection(), viewer, case, progress)
    found = structuring.between(conn, scopes, a, b, by=by)
    _shown(conn, actor, subject, [i for p in found for i in p.ids], len(found))
    return found


def _at_least(value: int, least: int, field: str, message: str) -> None:
    if value < least:
        raise FieldError(message, field=field)


def _days(within: int | None) -> None:
    if within is not None and within < 0:
        raise FieldError(f"within {within} days: a number of days is not negative", field="within")


def _amount(raw: str, field: str) -> Decimal:
    try:
        return amount(raw, field)
    except RejectedError as error:
        raise FieldError(f"the {field}: {error.reason}", field=field) from None


def _currency(raw: str) -> str:
    code = raw.strip().upper()
    numeric = len(code) == 3 and code.isdigit()
    if not numeric and code not in list_currencies():
        raise FieldError(f"the currency {raw!r} is no ISO 4217 code", field="currency")
    return code


def rebuild_projection(
    conn: Connection, actor: Actor, kind: str, *, progress: Progress | None = None
) -> Projected:
    """Make a projection again from every statement in the store (upkeep: the answer
    says how many rows and rejects there are, nothing of them)."""
    subject: dict[str, Any] = {"rebuild": kind}
    require(conn, actor, PROJECTION_KEEPERS, Action.CHANGE, subject)
    outcome = rebuild(conn, _projection(kind), progress)
    done = {**subject, "rows": outcome.projected, "rejected": outcome.rejected}
    audit(conn, actor, Action.CHANGE, done, result_size=outcome.projected)
    return outcome


def projection_rejects(
    conn: Connection,
    actor: Actor,
    kind: str,
    *,
    case: str | None = None,
    progress: Progress | None = None,
) -> list[RejectedEntity]:
    """The entities a projection could not take in, with the field and why, among those
    the actor may see."""
    subject = {"rejects": kind, "case": case}
    viewer = _reader(conn, actor, subject, case)
    scopes = _caught_up(conn, _projection(kind), viewer, case, progress)
    found = rejects_of(conn, kind, scopes)
    _shown(conn, actor, subject, [r.entity_id for r in found], len(found))
    return found


def _projection(kind: str) -> Projection:
    made = PROJECTIONS.get(kind)
    if made is None:
        raise FieldError(f"no projection {kind!r}: {', '.join(PROJECTIONS)}", field="kind")
    return made()


def _reader(
    conn: Connection, actor: Actor, subject: dict[str, Any], case: str | None
) -> Viewer | None:
    """What the actor may see, once it is checked that the actor reads case data (and is
    a member of the case asked for); None for a local operator, who reads every row."""
    require(conn, actor, READERS, Action.SEARCH, subject)
    viewer = viewer_of(conn, actor)
    if case is not None and viewer is not None and case not in viewer.cases:
        audit(conn, actor, Action.SEARCH, subject, outcome=Outcome.REFUSED)
        raise NotFoundError(f"no case {case!r} among your cases", field="case")
    return viewer


def _caught_up(
    conn: Connection,
    projection: Projection,
    viewer: Viewer | None,
    case: str | None,
    progress: Progress | None,
) -> list[int] | None:
    """Bring the projection up to date; the scopes of the rows the viewer may see."""
    catch_up(conn, projection, progress)
    return visible_scopes(conn, viewer, case)


def _shown(
    conn: Connection, actor: Actor, subject: dict[str, Any], ids: Sequence[str], size: int
) -> None:
    """The audit record of an answer: the calls or payments behind it."""
    audit(conn, actor, Action.SEARCH, subject, entities=sorted(set(ids)), result_size=size)
