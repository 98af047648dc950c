"""SYNTHETIC stolen and lost travel documents and stolen vehicles, for tests and benchmarks.

No public SLTD or SMV data exists, so these records are made up: every
document number, VIN and plate here is generated, and none belongs to a real
document or car on purpose. What is realistic is their form:

- documents: issuing countries drawn from the nationalities of the real
  INTERPOL red notices in ``../shared/data`` (``data/issuing_countries.csv``,
  a proxy for the countries police lists deal with; it leans heavily on
  Russia, as the notices do) plus Ukraine and its neighbours; numbers in each
  country's format where known (Ukraine: two letters and six digits), MRZs
  with valid ICAO 9303 check digits (``mrz_for``);
- vehicles: VINs with real world-manufacturer identifiers and a valid
  check digit; plates in the current Ukrainian format (region letters, four
  digits, two letters of the twelve Cyrillic-Latin look-alikes) and in
  Polish, German, Bulgarian, Romanian and Moldovan forms.

The generator is seeded, so a size and a seed always give the same records.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from followthemoney import EntityProxy, model

from nitka.normalise.ids.mrz import check_digit
from nitka.normalise.ids.vin import vin_check_digit

DATA = Path(__file__).parent / "data"
NEIGHBOURS = {"ua": 40, "pl": 8, "md": 6, "ro": 5, "sk": 3, "hu": 3, "by": 3, "bg": 2, "de": 4}
"""Ukraine's own documents and its neighbours' are what its crossings see most."""
STATUSES = ("stolen", "lost", "revoked", "stolen blank")
ALPHA3 = {
    "ua": "UKR", "pl": "POL", "md": "MDA", "ro": "ROU", "sk": "SVK", "hu": "HUN",
    "by": "BLR", "bg": "BGR", "de": "D<<", "ru": "RUS",
}  # fmt: skip
"""ICAO 9303 codes of the countries whose MRZs the tests read (Germany is ``D``)."""
WMIS = {
    "WVW": "Volkswagen", "WBA": "BMW", "WDB": "Mercedes-Benz", "VF1": "Renault",
    "TMB": "Skoda", "ZFA": "Fiat", "SJN": "Nissan UK", "JTD": "Toyota",
    "KMH": "Hyundai", "1FA": "Ford", "1G1": "Chevrolet", "Y6D": "ZAZ",
}  # fmt: skip
"""Real world-manufacturer identifiers (ISO 3780); Y6D is Ukraine's ZAZ."""
UA_REGIONS = (
    "AA", "KA", "AI", "KI", "BC", "HC", "AX", "KX", "BH", "HH", "AE", "KE",
    "BI", "HI", "AO", "KO", "BO", "HO", "BK", "HK", "AT", "KT", "AB", "KB",
)  # fmt: skip
"""Region prefixes of Ukrainian plates (Kyiv, Lviv, Kharkiv, Odesa, Dnipro, ...)."""
LOOK_ALIKES = "ABCEHIKMOPTX"
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def issuing_country_weights() -> dict[str, float]:
    weights: dict[str, float] = dict(NEIGHBOURS)
    with (DATA / "issuing_countries.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            weights[row["country"]] = weights.get(row["country"], 0) + float(row["weight"]) / 10
    return weights


def document_number(rng: random.Random, country: str) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(6))
    if country == "ua":
        return rng.choice(("FA", "FB", "FC", "FE", "FF", "EA", "EB")) + digits
    if country == "pl":
        return "".join(rng.choice(_LETTERS) for _ in range(2)) + digits + rng.choice("0123456789")
    if country == "de":
        return "C" + "".join(rng.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(8))
    return "".join(rng.choice(_LETTERS) for _ in range(2)) + digits + rng.choice("0123456789")


def documents(count: int, seed: int = 1) -> Iterator[EntityProxy]:
    """``count`` synthetic stolen or lost passports (FtM ``Passport``)."""
    rng = random.Random(seed)
    weights = issuing_country_weights()
    countries = list(weights)
    shares = [weights[c] for c in countries]
    for number in range(count):
        country = rng.choices(countries, shares)[0]
        proxy = model.make_entity("Passport")
        proxy.id = f"sltd-synthetic-{seed}-{number}"
        proxy.add("number", document_number(rng, country))
        proxy.add("country", country)
        proxy.add("type", rng.choice(STATUSES))
        issued = date(2012, 1, 1) + timedelta(days=rng.randrange(5000))
        proxy.add("startDate", issued.isoformat())
        proxy.add("endDate", (issued + timedelta(days=3652)).isoformat())
        proxy.add("summary", "SYNTHETIC record made by nitka.screen.synthetic")
        yield proxy


def mrz_for(number: str, country: str, surname: str, given: str, birth: date) -> str:
    """A TD3 (passport) MRZ with valid check digits, for tests that read documents."""
    code = ALPHA3.get(country, country.upper()[:3].ljust(3, "<"))
    names = f"{surname}<<{given.replace(' ', '<')}".upper()
    first = f"P<{code}{names}".ljust(44, "<")[:44]
    field = number.ljust(9, "<")
    born = birth.strftime("%y%m%d")
    expiry = (birth.replace(year=birth.year + 40)).strftime("%y%m%d")
    body = (
        f"{field}{check_digit(field)}{code}{born}{check_digit(born)}M{expiry}{check_digit(expiry)}"
    )
    personal = "<" * 14
    body += personal + "<"
    composite = body[0:10] + body[13:20] + body[21:43]
    return f"{first}\n{body}{check_digit(composite)}"


def vin(rng: random.Random) -> str:
    wmi = rng.choice(sorted(WMIS))
    rest = "".join(rng.choice(_VIN_CHARS) for _ in range(5))
    tail = "".join(rng.choice(_VIN_CHARS) for _ in range(8))
    draft = f"{wmi}{rest}0{tail}"
    return draft[:8] + vin_check_digit(draft) + draft[9:]


def plate(rng: random.Random, country: str) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(4))
    if country == "ua":
        suffix = "".join(rng.choice(LOOK_ALIKES) for _ in range(2))
        return f"{rng.choice(UA_REGIONS)} {digits} {suffix}"
    if country == "pl":
        return f"W{rng.choice(_LETTERS)} {digits}{rng.choice(_LETTERS)}"
    if country == "de":
        return f"B-{rng.choice(_LETTERS)}{rng.choice(_LETTERS)} {digits}"
    if country == "bg":
        return f"CA {digits} {rng.choice('ABEKMHOPCTX')}{rng.choice('ABEKMHOPCTX')}"
    if country == "ro":
        return f"B {digits[:3]} {''.join(rng.choice(_LETTERS) for _ in range(3))}"
    return f"C {''.join(rng.choice(_LETTERS) for _ in range(2))} {digits[:3]}"


VEHICLE_COUNTRIES = {"ua": 60, "pl": 12, "de": 10, "bg": 6, "ro": 6, "md": 6}


def vehicles(count: int, seed: int = 1) -> Iterator[EntityProxy]:
    """``count`` synthetic stolen vehicles (FtM ``Vehicle``: the VIN and plate in
    ``registrationNumber``, as Nitka keeps them)."""
    rng = random.Random(seed)
    countries = list(VEHICLE_COUNTRIES)
    shares = list(VEHICLE_COUNTRIES.values())
    for number in range(count):
        country = rng.choices(countries, shares)[0]
        identifier = vin(rng)
        proxy = model.make_entity("Vehicle")
        proxy.id = f"smv-synthetic-{seed}-{number}"
        proxy.add("registrationNumber", identifier)
        proxy.add("registrationNumber", plate(rng, country))
        proxy.add("country", country)
        proxy.add("model", WMIS[identifier[:3]])
        proxy.add("buildDate", str(rng.randrange(1995, 2026)))
        proxy.add("summary", "SYNTHETIC record made by nitka.screen.synthetic")
        yield proxy
