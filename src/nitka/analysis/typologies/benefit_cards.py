"""Benefit-card collection: an organiser sends people on "trips" abroad, has them
registered as refugees, and collects their benefits through their bank cards.

The scheme as the seeds tell it (National Police, 001): the victims travel on
a trip the group organises, apply for refugee status, and the recruiters take
their bank cards and move the benefits (EUR 300 a month) to their own
accounts. So, for each organiser of trips (a ``Trip``'s ``organizer``, else
its ``vehicle``), from its travellers:

- a traveller's *card* is an account or card it owns (an ``Ownership``);
- a *collector* is an account the cards of at least ``min_cards`` of the
  organiser's travellers paid into, each within ``within_days`` of the start
  of that traveller's trip with the organiser, and at least ``min_share`` of
  all the accounts that ever paid it are such cards (a shop or a utility,
  paid by thousands, collects nothing);
- a card is *held* by the organiser when an ``Ownership`` names the organiser
  as its owner too (the card taken from the traveller).

An organiser is answered with each collector that the cards of at least
``min_travellers`` of its travellers paid, counting those whose cards it
holds, or when it holds the cards of ``min_travellers`` travellers (small
coincidences across many collectors, as a coach company's many passengers
paying the same friends, add up to nothing). With ``refugee_only``, only
travellers whose ``status`` names refugee status or temporary protection
(``REFUGEE_WORDS``) count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Connection

from nitka.analysis import ties
from nitka.analysis.ties import Seen
from nitka.analysis.typologies import rows
from nitka.analysis.typologies.found import Findings, day, plural
from nitka.analysis.typologies.money import amounts, sources_of
from nitka.analysis.typologies.params import at_least, option
from nitka.errors import FieldError

NAME = "benefit-cards"
SUMMARY = (
    "Organisers of trips whose travellers' cards pay into one collector account, or "
    "whose cards the organiser holds (fake trips, refugee benefits)."
)
REFUGEE_WORDS = (
    "refugee", "temporary protection", "asylum", "біжен", "тимчасов", "беженец",
    "бежан", "временна закрила",
)  # fmt: skip
"""A ``status`` naming refugee status or temporary protection (English, Ukrainian,
Russian, Bulgarian), compared in lower case."""


@dataclass(frozen=True)
class Parameters:
    min_travellers: int = option(3, "Travellers of one organiser whose cards pay into a "
                                    "collector or are held by it, at least.")  # fmt: skip
    min_cards: int = option(2, "Travellers' cards paying one account, at least, for it to "
                               "be a collector.")  # fmt: skip
    within_days: int = option(90, "A card's payment counts up to this many days after the "
                                  "start of its owner's trip.")  # fmt: skip
    min_share: float = option(0.5, "Share of the accounts paying a collector that are "
                                   "the travellers' cards, at least (not a shop).")  # fmt: skip
    refugee_only: bool = option(False, "Count only travellers with a refugee or "
                                       "temporary-protection status.")  # fmt: skip

    def check(self) -> None:
        at_least(self.min_travellers, 1, "min_travellers")
        at_least(self.min_cards, 1, "min_cards")
        at_least(self.within_days, 0, "within_days")
        if not 0 < self.min_share <= 1:
            raise FieldError(f"--min-share {self.min_share}: a share above 0, at most 1",
                             field="min_share")  # fmt: skip


def is_refugee(person: ties.Person) -> str | None:
    """The status that names refugee status or temporary protection, if any."""
    for status in person.statuses:
        if any(word in status.lower() for word in REFUGEE_WORDS):
            return status
    return None


def find(
    conn: Connection, scopes: Sequence[int] | None, seen: Seen, params: Parameters
) -> Findings:
    found = Findings()
    journeys = rows.trips(conn, scopes, organised=True)
    by_organiser: dict[str, list[rows.TripRow]] = defaultdict(list)
    for journey in journeys:
        assert journey.carrier is not None
        if journey.carrier != journey.traveller:
            by_organiser[journey.carrier].append(journey)
    travellers = {j.traveller for j in journeys}
    people = ties.persons(conn, travellers | set(by_organiser), seen)
    if params.refugee_only:
        travellers = {t for t in travellers if t in people and is_refugee(people[t])}
    cards = ties.accounts_of_owners(conn, travellers, seen)
    held = ties.accounts_of_owners(conn, set(by_organiser), seen)
    owned_cards = {card for owned in cards.values() for card in owned}
    card_owners: dict[str, set[str]] = defaultdict(set)
    for traveller, owned in cards.items():
        for card in owned:
            card_owners[card].add(traveller)
    paid = rows.payments(conn, scopes, payers=owned_cards)
    collectors = {p.payee_entity for p in paid}
    sources = sources_of(conn, scopes, collectors)
    window = timedelta(days=params.within_days)
    for organiser, trips in sorted(by_organiser.items()):
        trips = [t for t in trips if t.traveller in travellers]
        starts: dict[str, list[rows.TripRow]] = defaultdict(list)
        for trip in trips:
            starts[trip.traveller].append(trip)
        into: dict[str, dict[str, list[rows.PaymentRow]]] = defaultdict(lambda: defaultdict(list))
        for payment in paid:
            for traveller in card_owners[payment.payer_entity]:
                if any(
                    t.start <= payment.at <= t.start + window for t in starts.get(traveller, ())
                ):
                    into[payment.payee_entity][traveller].append(payment)
        kept = {
            collector: by_traveller
            for collector, by_traveller in into.items()
            if len(by_traveller) >= params.min_cards
            and _share(by_traveller, sources.get(collector, set())) >= params.min_share
            and collector not in owned_cards
        }
        holding = {
            traveller: sorted(cards.get(traveller, set()) & held.get(organiser, set()))
            for traveller in starts
        }
        held_by = {t for t, c in holding.items() if c}
        kept = {c: by for c, by in kept.items() if len(set(by) | held_by) >= params.min_travellers}
        if not kept and len(held_by) < params.min_travellers:
            continue
        involved = {t for by in kept.values() for t in by} | held_by
        _explain(conn, found, seen, organiser, starts, involved, kept, holding, people,
                 cards, params)  # fmt: skip
    return found


def _explain(
    conn: Connection,
    found: Findings,
    seen: Seen,
    organiser: str,
    starts: dict[str, list[rows.TripRow]],
    involved: set[str],
    kept: dict[str, dict[str, list[rows.PaymentRow]]],
    holding: dict[str, list[str]],
    people: dict[str, ties.Person],
    cards: dict[str, set[str]],
    params: Parameters,
) -> None:
    """The organiser's answer: every entity with the records that put it there."""
    group = organiser
    name = people[organiser].label if organiser in people else organiser
    collector_owners = ties.owners_of_accounts(conn, set(kept), seen)
    numbers = ties.account_numbers(
        conn, set(kept) | {c for t in involved for c in cards.get(t, ())}, seen
    )

    def account(entity: str) -> str:
        return f"{numbers[entity]} ({entity})" if entity in numbers else entity

    trips: dict[str, list[rows.TripRow]] = defaultdict(list)
    for traveller in sorted(involved):
        for trip in starts[traveller]:
            trips[trip.trip].append(trip)
    for trip_id, legs in trips.items():
        label = legs[0].label
        whom = plural(len(legs), "traveller")
        found.add(group, organiser, "organiser", f"organised trip {label} with {whom}", name)
        found.add(group, trip_id, "trip", f"organised by {name}, travellers "
                  + ", ".join(_who(people, leg.traveller) for leg in legs), label)  # fmt: skip
        found.behind.add(trip_id)
    for collector, by_traveller in kept.items():
        payments = [p for ps in by_traveller.values() for p in ps]
        found.behind.update(p.id for p in payments)
        found.add(group, collector, "collector",
                  f"paid by the cards of {plural(len(by_traveller), 'traveller')} of {name} "
                  f"within {params.within_days} days of their trips: "
                  f"{plural(len(payments), 'payment')}, {amounts(payments)}",
                  numbers.get(collector, ""))  # fmt: skip
        for owner in sorted(collector_owners.get(collector, ())):
            role = "organiser" if owner == organiser else "collector-owner"
            found.add(group, owner, role, f"owns the collector {account(collector)}",
                      _who(people, owner) if owner in people else "")  # fmt: skip
        for traveller, payments in sorted(by_traveller.items()):
            card = payments[0].payer_entity
            first, last = day(payments[0].at), day(payments[-1].at)
            found.add(group, card, "card",
                      f"paid {plural(len(payments), 'time')} ({amounts(payments)}) into the "
                      f"collector {account(collector)} from {first} to {last}, within "
                      f"{params.within_days} days of its owner's trip",
                      numbers.get(card, ""))  # fmt: skip
            found.add(group, card, "card", f"owned by the traveller {_who(people, traveller)}")
            found.add(group, traveller, "traveller",
                      f"their card {account(card)} paid {plural(len(payments), 'time')} into "
                      f"the collector {account(collector)} within {params.within_days} days "
                      "of the trip", _who(people, traveller))  # fmt: skip
    for traveller, held_cards in sorted(holding.items()):
        for card in held_cards:
            found.add(group, card, "card", f"owned by the traveller {_who(people, traveller)} "
                      f"and held by the organiser {name}", numbers.get(card, ""))  # fmt: skip
            found.add(
                group,
                traveller,
                "traveller",
                f"their card {account(card)} is held by the organiser {name}",
            )
            found.add(
                group,
                organiser,
                "organiser",
                f"holds the card {account(card)} of {_who(people, traveller)}",
            )
    for traveller in sorted(involved):
        for trip in starts[traveller]:
            found.add(group, traveller, "traveller", f"travelled on trip {trip.label} "
                      f"organised by {name}", _who(people, traveller))  # fmt: skip
        status = is_refugee(people[traveller]) if traveller in people else None
        if status:
            found.add(group, traveller, "traveller", f"status {status!r}")


def _share(by_traveller: dict[str, list[rows.PaymentRow]], sources: set[str]) -> float:
    """The share of a collector's paying accounts that are these travellers' cards."""
    cards = {p.payer for payments in by_traveller.values() for p in payments}
    return len(cards) / max(len(sources | cards), 1)


def _who(people: dict[str, ties.Person], entity: str) -> str:
    return people[entity].label if entity in people else entity
