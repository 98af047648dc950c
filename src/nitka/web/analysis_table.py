"""The analysis queries as one table: each with its parameters, the service it calls,
its answer as the CLI's ``--json`` prints it, and what of the answer opens in the
link chart.

The HTTP routes (``nitka.web.analysis_api``) and the workstation's Analysis panel
(its form, ``nitka.web.ui.workspace_page``) are both made from this table, so a
query added here is a route, an OpenAPI entry and a choice of the panel at once.
A parameter's ``name`` is the query parameter (the CLI's option without ``--``,
with ``_`` for ``-``); ``label`` is its text in the panel (translated there).
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.analysis.network import ON, On
from nitka.analysis.typologies.registry import TYPOLOGIES as TYPOLOGY_CATALOGUE
from nitka.errors import FieldError
from nitka.services import analysis_queries as calls_and_flows
from nitka.services import network_queries, travel_queries, typology_queries
from nitka.services.network_queries import Drawn

Args = dict[str, Any]
"""The asked-for values by parameter name (``None`` where not given)."""


def N_(message: str) -> str:  # noqa: N802 (gettext's name for a deferred translation)
    """A text translated where it is shown (the panel), marked here for extraction."""
    return message


@dataclass(frozen=True)
class Param:
    name: str
    kind: type = str
    """``str``, ``int``, ``float``, or ``list`` (a repeated parameter of strings)."""
    default: Any = None
    required: bool = False
    label: str = ""
    help: str = ""
    least: float | None = None
    most: float | None = None
    choices: tuple[str, ...] = ()
    numbers: bool = False
    """Numbers or accounts: the panel fills it from the chart's selected phone numbers."""

    @property
    def arg(self) -> str:
        """The Python name (``from`` is a keyword: ``from_``)."""
        return self.name + "_" if keyword.iskeyword(self.name) else self.name


@dataclass(frozen=True)
class AnalysisQuery:
    group: str
    name: str
    title: str
    summary: str
    params: tuple[Param, ...]
    run: Callable[[Connection, Actor, Args], Any]
    answer: Callable[[Any], Any]
    """The answer as the CLI's ``--json`` prints it."""
    charted: Callable[[Any, Args], list[str]]
    """The chart's node ids for the answer: calls, payments, trips, numbers, persons."""

    @property
    def path(self) -> str:
        return f"/analysis/{self.group}/{self.name}"

    @property
    def key(self) -> str:
        return f"{self.group}/{self.name}"


# Parameters many queries share.
CASE = Param("case", label=N_("Case"), help="Only the records of this case (one of yours).")
NUMBER = Param("number", required=True, label=N_("Number"), help="A number, as written.",
               numbers=True)  # fmt: skip


def limit(default: int, most: int = 100_000) -> Param:
    return Param("limit", int, default, label=N_("How many"), help="How many, at most.",
                 least=1, most=most)  # fmt: skip


def count(name: str, default: int, label: str, help: str, least: int = 1) -> Param:
    return Param(name, int, default, label=label, help=help, least=least)


WITHIN = Param("within", int, label=N_("Within days"), least=0,
               help="Within this many days of each other (default: any time).")  # fmt: skip


def rows(found: Sequence[Any]) -> list[dict[str, Any]]:
    return [item.as_dict() for item in found]


def ids(found: Sequence[Any], _: Args) -> list[str]:
    """The calls or payments behind each row (``ids``, or its flow's)."""
    out: list[str] = []
    for item in found:
        out.extend(getattr(item, "ids", None) or getattr(getattr(item, "flow", None), "ids", []))
    return out


def _moment(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise FieldError(f"{field}: cannot read {value!r} as a date (YYYY-MM-DD)",
                         field=field) from None  # fmt: skip


def _on(value: str) -> On:
    for kind in ON:
        if value == kind:
            return kind
    raise FieldError(f"a network is of {', '.join(ON)}, not {value!r}", field="on")


def _drawn(args: Args) -> Drawn:
    return Drawn(_on(args["on"]), args["case"], _moment(args.get("since"), "since"),
                 _moment(args.get("until"), "until"))  # fmt: skip


def _parties(parties: Sequence[str], args: Args) -> list[str]:
    """Network parties as chart nodes: numbers (calls), persons (trips); an account
    number is no node of its own (its payments are)."""
    if args["on"] == "calls":
        return ["phone:" + p for p in parties]
    # Statements' parties are chart ids already (entities, ``phone:`` numbers).
    return list(parties) if args["on"] in ("trips", "statements") else []


def _call(service: Callable[..., Any], *positional: str, **renamed: str) -> Callable[..., Any]:
    """Run a call or flow service: the named parameters as its arguments (``positional``
    in order, the rest by keyword, ``renamed`` from the parameter to the keyword)."""

    def run(conn: Connection, actor: Actor, args: Args) -> Any:
        given = [args[name] for name in positional]
        named = {renamed.get(k, k): v for k, v in args.items() if k not in positional}
        return service(conn, actor, *given, **{k: v for k, v in named.items() if v is not None})

    return run


CALLS = (
    AnalysisQuery(
        "calls", "common", N_("Common contacts"),
        "Numbers in contact with every one of two to ten numbers, and how many calls.",
        (Param("numbers", list, required=True, label=N_("Numbers"), numbers=True,
               help="Two to ten numbers, as the call records write them (repeat it)."), CASE),
        _call(calls_and_flows.common_contacts, "numbers"), rows, ids,
    ),
    AnalysisQuery(
        "calls", "top", N_("Top contacts"), "The numbers with the most calls with this one.",
        (NUMBER, limit(10, 1000), CASE),
        _call(calls_and_flows.top_contacts, "number"), rows, ids,
    ),
    AnalysisQuery(
        "calls", "chains", N_("Contact chains"),
        "Chains of calls in time order: NUMBER called B, then B called C within the window.",
        (NUMBER, count("window", 60, N_("Window (minutes)"), "Minutes from one call to the next."),
         count("depth", 3, N_("Depth (calls)"), "Calls in a chain, at most."), limit(100), CASE),
        _call(calls_and_flows.chains, "number"), rows, ids,
    ),
    AnalysisQuery(
        "calls", "colocated", N_("Co-location"),
        "Numbers with calls through the same cell as NUMBER's calls within minutes of them.",
        (NUMBER, count("minutes", 15, N_("Minutes apart"), "Minutes between two calls, at most."),
         Param("from", label=N_("From"), help="From this day (YYYY-MM-DD) or time."),
         Param("to", label=N_("To"), help="Up to this day (included) or time."),
         limit(1000), CASE),
        _call(calls_and_flows.colocated, "number", **{"from": "since", "to": "until"}),
        rows, ids,
    ),
    AnalysisQuery(
        "calls", "handsets", N_("Handsets and SIM swaps"),
        "IMEIs used with several numbers, and numbers moving between IMEIs (swaps).",
        (Param("number", label=N_("Number"), numbers=True,
               help="Only the handsets this number was used in, and its swaps."),
         limit(1000), CASE),
        _call(calls_and_flows.handsets),
        lambda found: rows(found[0]) + rows(found[1]),
        lambda found, args: ids([*found[0], *found[1]], args),
    ),
    AnalysisQuery(
        "calls", "burners", N_("Burner numbers"), "Short-lived numbers with few contacts.",
        (count("max_days", 14, N_("Days in use, at most"), "Days from first to last call."),
         count("max_contacts", 3, N_("Contacts, at most"), "Other numbers, at most."),
         count("min_calls", 2, N_("Calls, at least"), "Calls, at least."), limit(1000), CASE),
        _call(calls_and_flows.burners), rows, ids,
    ),
    AnalysisQuery(
        "calls", "change", N_("Change around a date"),
        "NUMBER's calls in the days before a date against those after it.",
        (NUMBER, Param("date", required=True, label=N_("Date"),
                       help="The day (YYYY-MM-DD) or time to compare around."),
         Param("days", int, 30, label=N_("Days before and after"), least=1, most=3660), CASE),
        _call(calls_and_flows.behaviour_change, "number", "date"),
        lambda found: found.as_dict(), lambda found, _: list(found.ids),
    ),
)  # fmt: skip

FLOWS = (
    AnalysisQuery(
        "flows", "fan-in", N_("Fan-in"),
        "Accounts (collectors) paid by many different accounts (sources), most first.",
        (count("min_sources", 3, N_("Sources, at least"), "Different accounts paying in.", 2),
         limit(1000), CASE),
        _call(calls_and_flows.fan_in), rows, ids,
    ),
    AnalysisQuery(
        "flows", "fan-out", N_("Fan-out"),
        "Accounts (sources) paying many different accounts (targets), most first.",
        (count("min_targets", 3, N_("Targets, at least"), "Different accounts paid.", 2),
         WITHIN, limit(1000), CASE),
        _call(calls_and_flows.fan_out), rows, ids,
    ),
    AnalysisQuery(
        "flows", "cycles", N_("Cycles"), "Money going round: accounts A → B → ... → A.",
        (count("max_length", 6, N_("Accounts in a cycle, at most"), "Accounts in a cycle.", 2),
         limit(1000), CASE),
        _call(calls_and_flows.cycles), rows, ids,
    ),
    AnalysisQuery(
        "flows", "scatter-gather", N_("Scatter-gather"),
        "A source paying several accounts that all pay one collector on.",
        (count("min_middle", 3, N_("Middle accounts, at least"), "Accounts in the middle.", 2),
         limit(1000), CASE),
        _call(calls_and_flows.scatter_gather), rows, ids,
    ),
    AnalysisQuery(
        "flows", "gather-scatter", N_("Gather-scatter"),
        "Many accounts paying one (the hub), who pays many on.",
        (count("min_sources", 3, N_("Sources, at least"), "Accounts paying the hub.", 2),
         count("min_targets", 3, N_("Targets, at least"), "Accounts the hub pays on.", 2),
         limit(1000), CASE),
        _call(calls_and_flows.gather_scatter), rows, ids,
    ),
    AnalysisQuery(
        "flows", "bipartite", N_("Bipartite"),
        "A set of payers each paying every one of a set of payees.",
        (count("min_payers", 2, N_("Payers, at least"), "Payers, at least.", 2),
         count("min_payees", 2, N_("Payees, at least"), "Payees, at least.", 2),
         limit(1000), CASE),
        _call(calls_and_flows.bipartite), rows, ids,
    ),
    AnalysisQuery(
        "flows", "stacked", N_("Stacked layers"),
        "Layers of accounts, each paying every account of the next.",
        (count("min_width", 2, N_("Accounts in a layer, at least"), "Accounts in a layer.", 2),
         count("min_layers", 3, N_("Layers, at least"), "Layers of accounts.", 3),
         limit(1000), CASE),
        _call(calls_and_flows.stacked), rows, ids,
    ),
    AnalysisQuery(
        "flows", "below-threshold", N_("Below a threshold"),
        "Payments just below a reporting threshold, by payer and payee: structuring.",
        (Param("threshold", required=True, label=N_("Threshold"),
               help="The reporting threshold (an amount: 10000)."),
         Param("margin", default="0.1", label=N_("Margin"),
               help="How far below it, as a share of it (0.1: from 90%)."),
         Param("currency", label=N_("Currency"), help="Only this currency (ISO 4217: EUR)."),
         count("min_payments", 2, N_("Payments, at least"), "From one payer to one payee."),
         WITHIN, limit(1000), CASE),
        _call(calls_and_flows.below_threshold), rows, ids,
    ),
    AnalysisQuery(
        "flows", "between", N_("Flows between two accounts"),
        "The payments between two accounts, both ways, per day, week or month.",
        (Param("a", required=True, label=N_("Account A"), numbers=True, help="One account."),
         Param("b", required=True, label=N_("Account B"), numbers=True, help="The other."),
         Param("by", default="month", label=N_("Per"), choices=("day", "week", "month"),
               help="Per day, week (ISO) or month."), CASE),
        _call(calls_and_flows.between, "a", "b"), rows, ids,
    ),
)  # fmt: skip

ON_PARAM = Param("on", default="calls", label=N_("Network of"), choices=ON,
                 help="calls (numbers), payments (accounts) or trips (travellers).")  # fmt: skip
SINCE = Param("since", label=N_("Since"), help="Only records from this date (YYYY-MM-DD).")
UNTIL = Param("until", label=N_("Until"), help="Only records before this date (YYYY-MM-DD).")


def _ranking(service: Callable[..., Any]) -> Callable[[Connection, Actor, Args], Any]:
    def run(conn: Connection, actor: Actor, args: Args) -> Any:
        return service(conn, actor, _drawn(args), limit=args["limit"])

    return run


def _communities(conn: Connection, actor: Actor, args: Args) -> Any:
    return network_queries.communities(conn, actor, _drawn(args), resolution=args["resolution"],
                                       min_size=args["min_size"])  # fmt: skip


def _path(conn: Connection, actor: Actor, args: Args) -> Any:
    hours = args["within_hours"]
    if hours <= 0:
        raise FieldError(f"within_hours: {hours} is not above zero", field="within_hours")
    return network_queries.time_path(conn, actor, _drawn({**args, "until": None}), args["from"],
                                     args["to"], within=timedelta(hours=hours))  # fmt: skip


NETWORK = (
    AnalysisQuery(
        "network", "communities", N_("Communities"),
        "Groups in contact more with each other than with the rest (Leiden).",
        (ON_PARAM, Param("resolution", float, 1.0, label=N_("Resolution"), least=0.001,
                         help="Higher finds smaller, tighter groups."),
         count("min_size", 3, N_("Members, at least"), "Parties in a group, at least.", 2),
         CASE, SINCE, UNTIL),
        _communities, rows,
        lambda found, args: _parties([m for c in found for m in c.members], args),
    ),
    AnalysisQuery(
        "network", "brokers", N_("Brokers"),
        "The parties most shortest paths between others run through (betweenness).",
        (ON_PARAM, limit(10, 10_000), CASE, SINCE, UNTIL),
        _ranking(network_queries.brokers), rows,
        lambda found, args: _parties([b.party for b in found], args),
    ),
    AnalysisQuery(
        "network", "key-players", N_("Key players"),
        "The parties whose removal cuts the most others off from the rest.",
        (ON_PARAM, limit(10, 10_000), CASE, SINCE, UNTIL),
        _ranking(network_queries.key_players), rows,
        lambda found, args: _parties([k.party for k in found], args),
    ),
    AnalysisQuery(
        "network", "path", N_("Path in time order"),
        "The earliest chain of calls or payments from one party to another in time order.",
        (Param("from", required=True, label=N_("From"), numbers=True, help="A number or account."),
         Param("to", required=True, label=N_("To"), numbers=True, help="A number or account."),
         ON_PARAM, Param("within_hours", float, 168.0, label=N_("Hours between steps, at most"),
                         help="Each step at most this long after the one before."),
         CASE, SINCE),
        _path, lambda found: found.as_dict() if found else None,
        lambda found, _: [s.id for s in found.steps] if found else [],
    ),
)  # fmt: skip


def _journeys(conn: Connection, actor: Actor, args: Args) -> Any:
    return travel_queries.journeys(
        conn, actor, traveller=args["person"], origin=args["from"], destination=args["to"],
        carrier=args["organiser"], since=_moment(args["since"], "since"),
        until=_moment(args["until"], "until"), case=args["case"], limit=args["limit"],
    )  # fmt: skip


TRIPS = (
    AnalysisQuery(
        "trips", "list", N_("Trips"),
        "Trips in time order: one row per traveller, where from and to, who organised it.",
        (Param("person", label=N_("Traveller (entity id)"), help="A traveller's entity id."),
         Param("from", label=N_("From country"), help="Leaving this country (IT, Italy)."),
         Param("to", label=N_("To country"), help="Going to this country."),
         Param("organiser", label=N_("Organiser (entity id)"), help="The organiser's entity id."),
         SINCE, UNTIL, CASE, limit(1000)),
        _journeys, rows,
        lambda found, _: [i for j in found for i in (j.trip, j.traveller, j.carrier) if i],
    ),
)  # fmt: skip

TYPOLOGY_LABELS = {
    "min_travellers": N_("Travellers, at least"),
    "min_cards": N_("Cards, at least"),
    "within_days": N_("Within days"),
    "min_share": N_("Share of payers, at least"),
    "refugee_only": N_("Refugees only"),
    "min_recruits": N_("Recruits, at least"),
    "min_age": N_("Youngest age"),
    "max_age": N_("Oldest age"),
    "countries": N_("Departure countries"),
    "pay_days": N_("Days of payments after the trip"),
    "paid_only": N_("Paid recruits only"),
    "min_payers": N_("Payers, at least"),
    "min_called": N_("Payers called, at least"),
    "max_collectors": N_("Collectors, at most"),
    "max_numbers": N_("Calling numbers, at most"),
}
"""The panel's label of each ready query's parameter (its help is the parameter's own)."""


def _typology_params(parameters: type) -> tuple[Param, ...]:
    """A ready query's parameters as the table's: from its dataclass, with its defaults
    and help (``nitka.analysis.typologies.params``); a tuple is a comma-separated list."""
    made: list[Param] = []
    for item in fields(parameters):
        kind = item.type if isinstance(item.type, type) else _TYPES.get(str(item.type), str)
        default = item.default
        if isinstance(default, tuple):
            kind, default = str, ",".join(default)
        made.append(Param(item.name, kind, default, label=TYPOLOGY_LABELS[item.name],
                          help=item.metadata["help"]))  # fmt: skip
    return (*made, CASE)


_TYPES: dict[str, type] = {"int": int, "float": float, "bool": bool, "str": str}
"""Field types as the dataclasses write them (``from __future__ import annotations``)."""


def _typology(service: Callable[..., Any], parameters: type) -> Callable[..., Any]:
    def run(conn: Connection, actor: Actor, args: Args) -> Any:
        values = {f.name: args[f.name] for f in fields(parameters)}
        for item in fields(parameters):
            if isinstance(item.default, tuple) and isinstance(values[item.name], str):
                values[item.name] = tuple(
                    v.strip() for v in values[item.name].split(",") if v.strip()
                )
        return service(conn, actor, parameters(**values), case=args["case"])

    return run


TYPOLOGIES = tuple(
    AnalysisQuery(
        "typologies", typology.name, title, typology.summary,
        _typology_params(typology.parameters),
        _typology(service, typology.parameters), rows,
        lambda found, _: list(dict.fromkeys(f.entity for f in found)),
    )
    for typology, title, service in (
        (TYPOLOGY_CATALOGUE["benefit-cards"], N_("Benefit-card collection"),
         typology_queries.benefit_cards_query),
        (TYPOLOGY_CATALOGUE["boat-drivers"], N_("Boat-driver recruitment"),
         typology_queries.boat_drivers_query),
        (TYPOLOGY_CATALOGUE["call-centre"], N_("Call-centre fraud"),
         typology_queries.call_centre_query),
    )
)  # fmt: skip
"""The ready queries for the seeds' typologies (``nitka typology ...``)."""

GROUPS: dict[str, tuple[AnalysisQuery, ...]] = {
    "calls": CALLS,
    "flows": FLOWS,
    "network": NETWORK,
    "trips": TRIPS,
    "typologies": TYPOLOGIES,
}
GROUP_TITLES = {
    "calls": N_("Call records"),
    "flows": N_("Money flows"),
    "network": N_("Networks"),
    "trips": N_("Trips"),
    "typologies": N_("Typologies"),
}
QUERIES: dict[str, AnalysisQuery] = {q.key: q for group in GROUPS.values() for q in group}
"""Every query by ``group/name``."""
