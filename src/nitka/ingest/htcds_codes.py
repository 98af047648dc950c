"""The picklists of IOM's Human Trafficking Case Data Standard (HTCDS 2.0) and how each
value is kept in the store (docs/htcds.md, docs/thb-case-data.md).

A value is kept twice where the convention of THB case facts has a coarser code
than HTCDS: once as the convention's code (``means:coercion``), which the threat
assessment and the statistics read, and once as ``htcds:<list>:<value>``
(``htcds:control:debt_bondage``), so that an export gives back the value that came in.
HTCDS's value names are CamelCase; the store keeps them in lower snake case, like
every other code of the convention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

DETAIL = "htcds"
"""The prefix of the keywords that keep HTCDS's own values."""

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake(name: str) -> str:
    """``ThreatsLawEnforcement`` gives ``threats_law_enforcement``."""
    return _CAMEL.sub("_", name.replace("/", "_")).lower()


def _fold(text: str) -> str:
    """A value as it is compared: case, spaces, dashes and underscores do not count."""
    return re.sub(r"[\s_\-/(),.;]+", "", text).lower()


@dataclass(frozen=True)
class Picklist:
    """One HTCDS picklist: its value names, the labels HTCDS shows for them, and what
    each value means in the convention's codes."""

    name: str
    """The short name in ``htcds:<name>:<value>`` keywords."""
    values: tuple[str, ...]
    """HTCDS 2.0's value names, in its order."""
    labels: dict[str, str] = field(default_factory=dict)
    """Value names whose label is not just the name with spaces."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Other spellings taken on import (HTCDS 1.0's names, CTDC's), to a value name."""
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Value name to the convention's keywords it implies (``means:threat``)."""

    def read(self, text: str) -> str | None:
        """The value name a cell's value stands for (a name or a label, any case), or None."""
        return self._lookup.get(_fold(text))

    @cached_property
    def _lookup(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for value in self.values:
            found[_fold(value)] = value
            found[_fold(self.label(value))] = value
        for alias, value in self.aliases.items():
            found[_fold(alias)] = value
        return found

    def label(self, value: str) -> str:
        return self.labels.get(value) or " ".join(snake(value).split("_")).capitalize()

    def detail(self, value: str) -> str:
        """The keyword that keeps the value: ``htcds:control:debt_bondage``."""
        return f"{DETAIL}:{self.name}:{snake(value)}"

    def from_detail(self, keyword: str) -> str | None:
        """The value name a detail keyword of this list keeps, or None."""
        prefix = f"{DETAIL}:{self.name}:"
        if not keyword.startswith(prefix):
            return None
        wanted = keyword[len(prefix) :]
        return next((v for v in self.values if snake(v) == wanted), None)


GENDER = Picklist(
    "gender",
    (
        "Feminine",
        "Masculine",
        "TransgenderFeminine",
        "TransgenderMasculine",
        "NonConforming",
        "NonSpecifiedUnknown",
    ),
    labels={"NonSpecifiedUnknown": "Not Specified/Unknown", "NonConforming": "Non-Conforming"},
    aliases={
        "Female": "Feminine",
        "Woman": "Feminine",
        "Male": "Masculine",
        "Man": "Masculine",
        "Transgender/NonConforming": "NonConforming",
        "Trans/Transgender/NonConforming": "NonConforming",
        "Unknown": "NonSpecifiedUnknown",
    },
)
GENDER_TO_FTM = {
    "Feminine": "female",
    "Masculine": "male",
    "TransgenderFeminine": "other",
    "TransgenderMasculine": "other",
    "NonConforming": "other",
}
"""FtM's gender type has male, female and other; HTCDS's unknown gives no value."""
FTM_TO_GENDER = {"female": "Feminine", "male": "Masculine", "other": "NonConforming"}

TRAFFICKING_STATUS = Picklist(
    "status",
    ("PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking"),
    aliases={"Possible": "PossibleVictimOfTrafficking", "Actual": "ActualVictimOfTrafficking"},
)
NOT_A_VICTIM = "NotAVictimOfTrafficking"

RELATIONSHIP = Picklist(
    "relationship",
    ("Familial", "Acquainted", "Unaquainted"),
    aliases={"Unacquainted": "Unaquainted", "Family": "Familial"},
)
"""Relationship to trafficker (HTCDS spells its third value ``Unaquainted``)."""

_RECRUITMENT_METHODS = (
    "AtAPlaceOfBusiness",
    "AtAnEducationalInstitution",
    "AtWork",
    "ThroughOnlineSocialNetworks",
    "ThroughAnOnlineAdvertisement",
    "ThroughATelevisionAdvert",
    "ThroughANewspaperAdvert",
    "ThroughFamilyOrFamilyEvents",
    "ThroughFriendsOrSocialEvents",
    "Other",
)
RECRUITMENT = Picklist(
    "recruitment",
    _RECRUITMENT_METHODS,
    codes=dict.fromkeys(_RECRUITMENT_METHODS, ("act:recruitment",)),
)

_APPS = (
    "Facebook",
    "Instagram",
    "WhatsApp",
    "Telegram",
    "FacebookMessenger",
    "Viber",
    "SnapChat",
    "Line",
    "4Sale",
    "WeChat",
    "QQ",
    "QZone",
    "TikTok",
    "Twitter",
    "Other",
)
RECRUITMENT_APPS = Picklist("recruitment_app", _APPS)
EXPLOITATION_APPS = Picklist("exploitation_app", _APPS)

CONTROL = Picklist(
    "control",
    (
        "PhysicalThreats",
        "ThreatsLawEnforcement",
        "ThreatensChildrenFamily",
        "DebtBondage",
        "FalsePromises",
        "PhysicalAbuse",
        "SexualAbuse",
        "TakesEarnings",
        "RestrictsFinancialAccess",
        "RestrictsMedicalCare",
        "WithholdsNecessities",
        "PsychologicalAbuse",
        "PsychoactiveSubstance",
        "ExcessiveWorkingHours",
        "WithholdsDocuments",
        "RestrictsMovement",
        "Other",
    ),
    labels={
        "ThreatensChildrenFamily": "Threatens children/family",
        "ThreatsLawEnforcement": "Threats of law enforcement",
    },
    aliases={
        "Threats": "PhysicalThreats",
        "ThreatOfLawEnforcement": "ThreatsLawEnforcement",
        "UsesChildren": "ThreatensChildrenFamily",
        "PsychoactiveSubstances": "PsychoactiveSubstance",
    },
    codes={
        "PhysicalThreats": ("means:threat",),
        "ThreatsLawEnforcement": ("means:threat",),
        "ThreatensChildrenFamily": ("means:threat",),
        "DebtBondage": ("means:coercion",),
        "FalsePromises": ("means:deception",),
        "PhysicalAbuse": ("means:force",),
        "SexualAbuse": ("means:force",),
        "TakesEarnings": ("means:coercion",),
        "RestrictsFinancialAccess": ("means:coercion",),
        "RestrictsMedicalCare": ("means:coercion",),
        "WithholdsNecessities": ("means:coercion",),
        "PsychologicalAbuse": ("means:coercion",),
        "PsychoactiveSubstance": ("means:abuse_of_vulnerability",),
        "ExcessiveWorkingHours": ("means:coercion",),
        "WithholdsDocuments": ("means:coercion",),
        "RestrictsMovement": ("means:coercion",),
    },
)
"""Methods of control (HTCDS 2.0, plus HTCDS 1.0's ``RestrictsMovement``), each with the
Protocol's means it is a form of."""
MEANS_TO_CONTROL = {
    "threat": "PhysicalThreats",
    "force": "PhysicalAbuse",
    "deception": "FalsePromises",
    "fraud": "FalsePromises",
}
"""For a means that came without HTCDS's detail (typed in Nitka): the nearest method of
control; any other means is exported as ``Other``."""

EXPLOITATION = Picklist(
    "exploitation",
    (
        "ForcedLabour",
        "SexualExploitation",
        "ChildLabour",
        "ForcedMarriage",
        "Servitude",
        "ForcedMilitaryByNonStateActors",
        "OrganRemoval",
        "ForcedBegging",
        "ForcedAdoption",
        "Surrogacy",
        "Other",
    ),
    labels={"ForcedMilitaryByNonStateActors": "Forced military (by non-state actors)"},
    aliases={"SexualExploit": "SexualExploitation", "Sexual": "SexualExploitation"},
    codes={
        "ForcedLabour": ("exploitation:forced_labour",),
        "SexualExploitation": ("exploitation:sexual",),
        "ChildLabour": ("exploitation:forced_labour",),
        "ForcedMarriage": ("exploitation:forced_marriage",),
        "Servitude": ("exploitation:slavery",),
        "ForcedMilitaryByNonStateActors": ("exploitation:other",),
        "OrganRemoval": ("exploitation:organ_removal",),
        "ForcedBegging": ("exploitation:begging",),
        "ForcedAdoption": ("exploitation:other",),
        "Surrogacy": ("exploitation:other",),
        "Other": ("exploitation:other",),
    },
)
FORM_TO_EXPLOITATION = {
    "forced_labour": "ForcedLabour",
    "sexual": "SexualExploitation",
    "forced_marriage": "ForcedMarriage",
    "slavery": "Servitude",
    "organ_removal": "OrganRemoval",
    "begging": "ForcedBegging",
    "forced_criminality": "Other",
    "other": "Other",
}
"""A form of exploitation typed in Nitka, as HTCDS's type (it has no forced criminality)."""

INDUSTRY = Picklist(
    "industry",
    (
        "A_AgricultureForestryAndFishing",
        "B_MiningAndQuarrying",
        "C_Manufacturing",
        "D_ElectricityGasSteamAndAirConditioningSupply",
        "E_WaterSupplySewerageWasteManagement",
        "F_Construction",
        "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
        "H_TransportationAndStorage",
        "I_AccommodationAndFoodServiceActivities",
        "J_InformationAndCommunication",
        "K_FinancialAndInsuranceActivities",
        "L_RealEstateActivities",
        "M_ProfessionalScientificAndTechnicalActivities",
        "N_AdministrativeAndSupportServiceActivities",
        "O_PublicAdministrationAndDefence",
        "P_Education",
        "Q_HumanHealthAndSocialWorkActivities",
        "R_ArtsEntertainmentAndRecreation",
        "S_OtherServiceActivities",
        "T_ActivitiesOfHouseholdsAsEmployers",
        "U_ActivitiesOfExtraterritorialOrganizations",
    ),
)
"""The forced labour industry: the sections of ISIC rev. 4."""

_SEX_EXPLOITATION_TYPES = (
    "Prostitution",
    "Pornography",
    "RemoteInteractiveServices",
    "PrivateSexualServices",
)
SEX_EXPLOITATION = Picklist(
    "sex_exploitation",
    _SEX_EXPLOITATION_TYPES,
    codes=dict.fromkeys(_SEX_EXPLOITATION_TYPES, ("exploitation:sexual",)),
)

ROLE = Picklist(
    "role",
    (
        "TravellingPartner",
        "Transporter",
        "RecruiterOrIntermediary",
        "BrokerTravelAgent",
        "TransferredIndividual",
        "HarbouredIndividual",
        "SoldIndividual",
        "BoughtIndividual",
        "ReceivedIndividual",
        "ControlledIndividual",
        "Smuggler",
        "Abuser",
        "Kidnapper",
        "Exploiter",
        "Other",
    ),
    codes={
        "TravellingPartner": ("act:transportation",),
        "Transporter": ("act:transportation",),
        "RecruiterOrIntermediary": ("act:recruitment",),
        "BrokerTravelAgent": ("act:recruitment",),
        "TransferredIndividual": ("act:transfer",),
        "HarbouredIndividual": ("act:harbouring",),
        "SoldIndividual": ("act:transfer",),
        "BoughtIndividual": ("act:receipt",),
        "ReceivedIndividual": ("act:receipt",),
        "Smuggler": ("act:transportation",),
        "Kidnapper": ("act:recruitment", "means:abduction"),
    },
)
"""A perpetrator's role in the process, with the Protocol's acts (and means) it stands for."""
ROLE_WORDS = {
    "RecruiterOrIntermediary": "recruiter",
    "Transporter": "transporter",
    "Exploiter": "exploiter",
}
"""Roles with one of the convention's preferred words for a ``Membership``'s role."""
ACT_TO_ROLE = {
    "recruitment": "RecruiterOrIntermediary",
    "transportation": "Transporter",
    "transfer": "TransferredIndividual",
    "harbouring": "HarbouredIndividual",
    "receipt": "ReceivedIndividual",
}

EVENT_TYPE = Picklist(
    "event",
    ("Recruitment", "Transit", "Exploitation"),
    codes={"Recruitment": ("act:recruitment",), "Transit": ("act:transportation",)},
)
"""The type of a historic trafficking event."""

EDUCATION = Picklist(
    "education",
    (
        "EarlyChildhoodEducation",
        "PrimaryEducation",
        "LowerSecondaryEducation",
        "UpperSecondaryEducation",
        "PostSecondaryNonTertiaryEducation",
        "ShortCycleTertiaryEducation",
        "BachelorsOrEquivalentLevel",
        "MastersOrEquivalentLevel",
        "DoctoralOrEquivalentLevel",
    ),
)
"""The highest level of education: ISCED 2011's levels."""

AGE_BANDS = ((0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47))
"""CTDC's broad age bands; an age of 48 or more is the open band ``48+``."""
OPEN_BAND_FROM = 48
OPEN_BAND_TO = 120
"""The convention's ``age:<from>-<to>`` needs an upper bound: the open band is ``48-120``."""
