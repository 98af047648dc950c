"""Data-subject categories and handling codes: what the law and partners ask us to keep.

Directive (EU) 2016/680 Art. 6 asks a police system to distinguish the
categories of persons it holds data on; a victim's or witness's data is treated
differently from a suspect's. Handling codes (Europol's H0-H3) travel with the
data and say what the receiver may do with it.
"""

from __future__ import annotations

from enum import StrEnum


class DataSubjectCategory(StrEnum):
    """The category of the person a statement is about (Directive 2016/680 Art. 6)."""

    SUSPECT = "suspect"
    """A person suspected of having committed or being about to commit an offence."""
    CONVICTED = "convicted"
    """A person convicted of an offence."""
    VICTIM = "victim"
    """A victim, or a person who may be a victim, of an offence."""
    WITNESS = "witness"
    """A witness or other party who may give information on an offence."""
    CONTACT = "contact"
    """A contact or associate of a suspect or convicted person."""
    INFORMANT = "informant"
    """A person who gives information to the police (a protected source)."""
    OTHER = "other"
    """Not yet categorised, or not about a person (a company, a vehicle)."""

    @property
    def is_protected(self) -> bool:
        """Victims, witnesses and informants need the strongest protection."""
        return self in _PROTECTED


_PROTECTED = frozenset(
    {DataSubjectCategory.VICTIM, DataSubjectCategory.WITNESS, DataSubjectCategory.INFORMANT}
)


class HandlingCode(StrEnum):
    """Europol's handling codes, which restrict what a receiver may do with data."""

    H0 = "H0"
    """May be used for preventing and combating crime, in accordance with national law."""
    H1 = "H1"
    """Not to be used as evidence in judicial proceedings without the provider's permission."""
    H2 = "H2"
    """Not to be disseminated without the provider's permission."""
    H3 = "H3"
    """Other restrictions, stated with the data (the statement's handling note)."""

    @property
    def meaning(self) -> str:
        """What the code asks of whoever receives the data, in words for a screen."""
        return _MEANINGS[self]


_MEANINGS = {
    HandlingCode.H0: "may be used for preventing and combating crime, under national law",
    HandlingCode.H1: "not to be used as evidence in court without the provider's permission",
    HandlingCode.H2: "not to be passed on without the provider's permission",
    HandlingCode.H3: "other restrictions, stated with the data",
}
