"""Source and information grading: the 6x6 system, and its mapping to Europol's 4x4.

Analysts grade every piece of intelligence twice: how reliable is the *source*
(A-F), and how credible is the *information* itself (1-6). This is the 6x6
("Admiralty") system used by most national police services. Europol and many
partners exchange data graded on the 4x4 system (source A, B, C, X;
information 1-4), so Nitka stores 6x6 and maps it to 4x4 on export.

The mapping never upgrades a grade: where a 6x6 grade falls between two 4x4
grades, it is mapped to the weaker one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reliability(StrEnum):
    """Source reliability on the 6x6 scale."""

    A = "A"
    """Completely reliable: no doubt of authenticity, trustworthiness and competence."""
    B = "B"
    """Usually reliable: minor doubt; a history of mostly valid information."""
    C = "C"
    """Fairly reliable: doubt; has provided valid information in the past."""
    D = "D"
    """Not usually reliable: significant doubt."""
    E = "E"
    """Unreliable: a history of invalid information."""
    F = "F"
    """Reliability cannot be judged (the default for a new source)."""

    def to_4x4(self) -> str:
        """Europol's source evaluation code (A, B, C or X)."""
        return _RELIABILITY_4X4[self]


class Credibility(StrEnum):
    """Information credibility on the 6x6 scale."""

    CONFIRMED = "1"
    """Confirmed by other independent sources."""
    PROBABLY_TRUE = "2"
    """Probably true: not confirmed, but logical and consistent with other information."""
    POSSIBLY_TRUE = "3"
    """Possibly true: reasonably logical, agrees with some other information."""
    DOUBTFUL = "4"
    """Doubtful: possible but not logical, no other information on the subject."""
    IMPROBABLE = "5"
    """Improbable: not logical and contradicted by other information."""
    CANNOT_BE_JUDGED = "6"
    """Truth cannot be judged (the default)."""

    def to_4x4(self) -> str:
        """Europol's information evaluation code (1 to 4)."""
        return _CREDIBILITY_4X4[self]


_RELIABILITY_4X4 = {
    Reliability.A: "A",
    Reliability.B: "B",
    Reliability.C: "C",
    Reliability.D: "C",
    Reliability.E: "C",
    Reliability.F: "X",
}

_CREDIBILITY_4X4 = {
    Credibility.CONFIRMED: "1",
    Credibility.PROBABLY_TRUE: "2",
    Credibility.POSSIBLY_TRUE: "3",
    Credibility.DOUBTFUL: "4",
    Credibility.IMPROBABLE: "4",
    Credibility.CANNOT_BE_JUDGED: "4",
}


@dataclass(frozen=True, slots=True)
class Grading:
    """A 6x6 grade such as ``B2``."""

    reliability: Reliability = Reliability.F
    credibility: Credibility = Credibility.CANNOT_BE_JUDGED

    @classmethod
    def parse(cls, code: str) -> Grading:
        """Parse a two-character grade like ``B2`` (case-insensitive).

        Raises ValueError naming the part that is wrong.
        """
        text = code.strip().upper()
        if len(text) != 2:
            raise ValueError(f"grading {code!r} must be two characters, like B2")
        try:
            reliability = Reliability(text[0])
        except ValueError:
            raise ValueError(f"source reliability {text[0]!r} must be one of A-F") from None
        try:
            credibility = Credibility(text[1])
        except ValueError:
            raise ValueError(f"information credibility {text[1]!r} must be one of 1-6") from None
        return cls(reliability, credibility)

    @property
    def code(self) -> str:
        return f"{self.reliability.value}{self.credibility.value}"

    @property
    def europol(self) -> str:
        """The 4x4 code Europol uses, like ``B2`` or ``X4``."""
        return f"{self.reliability.to_4x4()}{self.credibility.to_4x4()}"

    def __str__(self) -> str:
        return self.code
