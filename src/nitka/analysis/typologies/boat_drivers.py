"""Boat-driver recruitment: one number calls many young men, who then travel to the
country the migrants' boats leave from, and are paid after the trip.

The scheme as the seeds tell it (003: a network recruiting Ukrainians to steer
migrant boats from North Africa and Turkey to Europe). From the trips to a
departure country (``countries``), the travellers who are men (``gender``)
aged ``min_age`` to ``max_age`` on the day of the trip (``birthDate``) are the
possible *recruits*; their numbers are their ``phone``. A *recruiter number*
is a number that called at least ``min_recruits`` of them, each of whom
started a trip to a departure country within ``within_days`` after that
number's first call to them. The persons whose ``phone`` is the recruiter
number are its *recruiters*. Payments into a recruit's accounts (an
``Ownership``) up to ``pay_days`` after the trip's start are shown; with
``paid_only``, a recruit counts only if one was paid so.

A man with no birth date, or no gender, is not counted: the query asks for
what the records say, not for what they might.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Connection

from nitka.analysis import ties
from nitka.analysis.ties import Seen
from nitka.analysis.travel import country_code
from nitka.analysis.typologies import rows
from nitka.analysis.typologies.found import PHONE, Findings, day, plural
from nitka.analysis.typologies.money import amounts
from nitka.analysis.typologies.params import at_least, option
from nitka.errors import FieldError

NAME = "boat-drivers"
SUMMARY = (
    "A number calling many young men who then travel to a departure country "
    "(boat-driver recruitment), with payments to them after the trip."
)


@dataclass(frozen=True)
class Parameters:
    min_recruits: int = option(3, "Young men called by one number who then travelled, "
                                  "at least.")  # fmt: skip
    min_age: int = option(18, "Youngest age of a recruit on the day of the trip.")
    max_age: int = option(35, "Oldest age of a recruit on the day of the trip.")
    countries: tuple[str, ...] = option(("TR", "LY", "EG"), "Departure countries "
                                        "(codes or names, comma-separated).")  # fmt: skip
    within_days: int = option(60, "The trip starts at most this many days after the "
                                  "number's first call to the recruit.")  # fmt: skip
    pay_days: int = option(90, "Payments to a recruit up to this many days after the "
                               "trip's start are shown.")  # fmt: skip
    paid_only: bool = option(False, "Count only recruits paid after the trip.")

    def check(self) -> None:
        at_least(self.min_recruits, 1, "min_recruits")
        at_least(self.min_age, 0, "min_age")
        at_least(self.within_days, 0, "within_days")
        at_least(self.pay_days, 0, "pay_days")
        if self.max_age < self.min_age:
            raise FieldError(f"--max-age {self.max_age} is below --min-age {self.min_age}",
                             field="max_age")  # fmt: skip
        self.codes()

    def codes(self) -> set[str]:
        """The departure countries as the trips projection keeps them (``tr``)."""
        if not self.countries:
            raise FieldError("--countries: name at least one country", field="countries")
        try:
            return {country_code(c, "countries") or "" for c in self.countries}
        except FieldError as bad:
            raise FieldError(f"--countries: {bad}", field="countries") from None


@dataclass
class _Recruit:
    person: ties.Person
    trips: list[rows.TripRow]
    age: int


def find(
    conn: Connection,
    scopes: Sequence[int] | None,
    seen: Seen,
    params: Parameters,
) -> Findings:
    found = Findings()
    journeys = rows.trips(conn, scopes, countries=params.codes())
    by_traveller: dict[str, list[rows.TripRow]] = defaultdict(list)
    for journey in journeys:
        by_traveller[journey.traveller].append(journey)
    people = ties.persons(conn, by_traveller, seen)
    recruits: dict[str, _Recruit] = {}
    for traveller, trips in by_traveller.items():
        person = people.get(traveller)
        if person is None or "male" not in person.genders:
            continue
        age = person.age_on(trips[0].start.date())
        if age is not None and params.min_age <= age <= params.max_age:
            recruits[traveller] = _Recruit(person, trips, age)
    numbers: dict[str, set[str]] = defaultdict(set)
    for man in recruits.values():
        for number in man.person.phones:
            numbers[number].add(man.person.id)
    first: dict[tuple[str, str], datetime] = {}
    call_ids: dict[tuple[str, str], list[str]] = defaultdict(list)
    for call in rows.calls(conn, scopes, callees=set(numbers)):
        for recruit in numbers[call.callee]:
            if call.caller in recruits[recruit].person.phones:
                continue
            first.setdefault((call.caller, recruit), call.start)
            call_ids[call.caller, recruit].append(call.id)
    window = timedelta(days=params.within_days)
    called: dict[str, dict[str, rows.TripRow]] = defaultdict(dict)
    for (caller, recruit), at in first.items():
        after = [t for t in recruits[recruit].trips if at <= t.start <= at + window]
        if after:
            called[caller][recruit] = after[0]
    pay_window = timedelta(days=params.pay_days)
    accounts = ties.accounts_of_owners(conn, {r for c in called.values() for r in c}, seen)
    paid = rows.payments(conn, scopes, payees={a for owned in accounts.values() for a in owned})
    for caller, by_recruit in sorted(called.items()):
        payments = {
            recruit: [p for p in paid if p.payee_entity in accounts.get(recruit, ())
                      and trip.start <= p.at <= trip.start + pay_window]
            for recruit, trip in by_recruit.items()
        }  # fmt: skip
        if params.paid_only:
            by_recruit = {r: t for r, t in by_recruit.items() if payments[r]}
        if len(by_recruit) < params.min_recruits:
            continue
        _explain(conn, found, seen, caller, by_recruit, recruits, first, call_ids, payments,
                 params)  # fmt: skip
    return found


def _explain(
    conn: Connection,
    found: Findings,
    seen: Seen,
    caller: str,
    by_recruit: dict[str, rows.TripRow],
    recruits: dict[str, _Recruit],
    first: dict[tuple[str, str], datetime],
    call_ids: dict[tuple[str, str], list[str]],
    payments: dict[str, list[rows.PaymentRow]],
    params: Parameters,
) -> None:
    group = PHONE + caller
    names = ", ".join(recruits[r].person.label for r in sorted(by_recruit))
    countries = sorted({(t.destination_country or "").upper() for t in by_recruit.values()})
    found.add(group, group, "recruiter-number",
              f"called {plural(len(by_recruit), 'young man')} ({names}) who travelled to "
              f"{', '.join(countries)} within {params.within_days} days of the first call",
              caller)  # fmt: skip
    owners = ties.owners_of_numbers(conn, {caller}, seen).get(caller, set())
    people = ties.persons(conn, owners, seen)
    for owner in sorted(owners):
        label = people[owner].label if owner in people else owner
        found.add(group, owner, "recruiter", f"their phone {caller} called "
                  f"{plural(len(by_recruit), 'recruit')} before their trips", label)  # fmt: skip
    payer_owners = ties.owners_of_accounts(
        conn, {p.payer_entity for ps in payments.values() for p in ps}, seen
    )
    for recruit_id, trip in sorted(by_recruit.items()):
        recruit = recruits[recruit_id]
        label = recruit.person.label
        at = first[caller, recruit_id]
        calls = call_ids[caller, recruit_id]
        found.behind.update(calls)
        found.behind.add(trip.trip)
        found.add(group, recruit_id, "recruit",
                  f"male, aged {recruit.age} on {day(trip.start)}", label)  # fmt: skip
        found.add(group, recruit_id, "recruit", f"called by {caller} "
                  f"{plural(len(calls), 'time')}, first on {day(at)}")  # fmt: skip
        waited = (trip.start - at).days
        found.add(
            group,
            recruit_id,
            "recruit",
            f"travelled on trip {trip.label} {plural(waited, 'day')} after the first call",
        )
        found.add(group, trip.trip, "trip", f"{label} travelled to "
                  f"{(trip.destination_country or '').upper()} {plural(waited, 'day')} after "
                  f"{caller} first called them", trip.label)  # fmt: skip
        if trip.carrier:
            found.add(group, trip.trip, "trip", f"organised by {trip.carrier}")
        for payment in payments[recruit_id]:
            found.behind.add(payment.id)
            after = (payment.at - trip.start).days
            reason = (f"paid {amounts([payment])} from {payment.payer} into {label}'s account "
                      f"{payment.payee} on {day(payment.at)}, {plural(after, 'day')} after "
                      f"the start of trip {trip.trip}")  # fmt: skip
            found.add(group, payment.id, "payment", reason, amounts([payment]))
            if owners & payer_owners.get(payment.payer_entity, set()):
                found.add(group, payment.id, "payment", "from an account of the recruiter")
            found.add(group, recruit_id, "recruit", f"paid {amounts([payment])} on "
                      f"{day(payment.at)} after the trip ({payment.id})")  # fmt: skip
