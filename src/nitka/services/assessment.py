"""Threat assessment: rating organised crime groups and scoring them under weight
profiles, comparing rankings between profiles, and the legal criteria of a case
(UNTOC, the Trafficking Protocol) with analysts' overrides (``nitka.assess``,
docs/assess.md).

Need-to-know as everywhere: a group is rated and shown only to those who may see
it (an Organization they may not see answers as one that does not exist), a rating's
evidence only as far as the viewer may see its statements, and a case's criteria
only to its members, computed from what they may see of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action, Outcome
from nitka.access.cases import case_exists
from nitka.access.visibility import READERS, Redacted, Viewer
from nitka.analysis.graph import visible_entities
from nitka.assess import profiles
from nitka.assess.criteria import Criterion, parse_state, settle
from nitka.assess.facts import CaseFacts
from nitka.assess.lookup import around_group, statements_by_id
from nitka.assess.overrides import Override, add_override, current_overrides
from nitka.assess.protocol import protocol
from nitka.assess.ratings import Rating, add_rating, current_ratings, rated_groups
from nitka.assess.scale import Attribute, parse_attribute, parse_level
from nitka.assess.scoring import Comparison, Score, compare, score
from nitka.assess.suggest import Suggestion, suggest
from nitka.assess.untoc import untoc
from nitka.errors import FieldError
from nitka.model.statement import PoliceStatement
from nitka.services.guard import NotFoundError, audit, refuse, require, viewer_of
from nitka.store.reader import case_entity_ids, cluster_ids, get_entities

RATERS = READERS
"""Who rates a group (of those they may see) and overrides a criterion of their case."""
CASE_ENTITIES = 20_000
"""Entities of a case the criteria read at most."""


@dataclass(frozen=True)
class Evidence:
    """A statement behind a rating, as the viewer may see it."""

    statement: PoliceStatement

    def as_dict(self) -> dict[str, Any]:
        s = self.statement
        return {
            "id": s.id,
            "entity": s.canonical_id,
            "schema": s.schema,
            "prop": s.prop,
            "value": s.value,
            "dataset": s.dataset,
            "grading": s.grading.code,
            "europol": s.grading.europol,
            "assessment": s.assessment,
        }


@dataclass(frozen=True)
class ShownRating:
    rating: Rating
    evidence: list[Evidence]
    withheld: int
    """Evidence statements the viewer may not see (or no longer in the store)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.rating.as_dict(),
            "evidence": [e.as_dict() for e in self.evidence],
            "evidence_withheld": self.withheld,
            "without_evidence": not self.rating.evidence,
        }


@dataclass(frozen=True)
class GroupAssessment:
    group: Redacted
    ratings: dict[Attribute, ShownRating]
    score: Score
    profile: profiles.Profile
    suggestions: list[Suggestion] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": {
                "id": self.group.id,
                "schema": self.group.schema,
                "caption": self.group.caption(),
            },
            "profile": self.profile.as_dict(),
            "score": self.score.as_dict(),
            "ratings": {a.value: r.as_dict() for a, r in self.ratings.items()},
            "unrated": [a.value for a in Attribute if a not in self.ratings],
            "suggestions": [s.as_dict() for s in self.suggestions],
        }


@dataclass(frozen=True)
class CaseCriteria:
    case_id: str
    checklists: list[Criterion]
    withheld: int
    """Entities of the case the viewer sees only as protected placeholders."""

    def as_dict(self, only: Sequence[str] = ()) -> dict[str, Any]:
        chosen = [c for c in self.checklists if not only or c.code.split(".")[0] in only]
        return {
            "case": self.case_id,
            "checklists": [c.as_dict() for c in chosen],
            "withheld_entities": self.withheld,
        }


def rate(
    conn: Connection,
    actor: Actor,
    group_id: str,
    attribute: str,
    level: str,
    *,
    evidence: Sequence[str] = (),
    reason: str = "",
) -> Rating:
    """Rate a group on one attribute, citing the statements that support the rating."""
    subject = {
        "assess rate": group_id,
        "attribute": attribute,
        "level": level,
        "evidence": sorted(set(evidence)),
        "reason": reason,
    }
    require(conn, actor, RATERS, Action.CHANGE, subject)
    chosen, rated = parse_attribute(attribute), parse_level(level)
    group = _group(conn, actor, group_id, Action.CHANGE, subject)
    viewer = viewer_of(conn, actor)
    found = statements_by_id(conn, evidence)
    for statement_id in sorted(set(evidence)):
        stmt = found.get(statement_id)
        if stmt is None or (viewer is not None and not viewer.may_see(stmt)):
            raise NotFoundError(
                f"no statement {statement_id!r}, or none you may see", field="evidence"
            )
    made = add_rating(conn, group.id, chosen, rated, evidence, reason.strip(), actor.name)
    entities = [group.id, *sorted({s.canonical_id or s.entity_id for s in found.values()})]
    audit(
        conn,
        actor,
        Action.CHANGE,
        {**subject, "rating": made.id},
        entities=list(dict.fromkeys(entities)),
    )
    return made


def assess_group(
    conn: Connection, actor: Actor, group_id: str, profile: str = "sleipnir"
) -> GroupAssessment:
    """A group's ratings with their evidence, its score under a profile explained term
    by term, and the ratings the data suggests."""
    subject = {"assess group": group_id, "profile": profile}
    require(conn, actor, READERS, Action.VIEW, subject)
    chosen = profiles.load(profile)
    group = _group(conn, actor, group_id, Action.VIEW, subject)
    viewer = viewer_of(conn, actor)
    ratings = current_ratings(conn, cluster_ids(conn, group.id))
    found = statements_by_id(conn, (i for r in ratings.values() for i in r.evidence))
    shown: dict[Attribute, ShownRating] = {}
    for attribute, rating in ratings.items():
        seen = [
            found[i]
            for i in rating.evidence
            if i in found and (viewer is None or viewer.may_see(found[i]))
        ]
        shown[attribute] = ShownRating(
            rating, [Evidence(s) for s in seen], len(rating.evidence) - len(seen)
        )
    levels = {attribute: rating.level for attribute, rating in ratings.items()}
    around = _visible(conn, viewer, around_group(conn, cluster_ids(conn, group.id)))
    facts = CaseFacts.of("", ((e.id, e.schema, e.statements) for e in [group, *around.values()]))
    assessed = GroupAssessment(
        group, shown, score(levels, chosen), chosen, suggest(facts, group.id)
    )
    entities = [
        group.id,
        *sorted({e.statement.canonical_id or "" for r in shown.values() for e in r.evidence}),
    ]
    audit(
        conn,
        actor,
        Action.VIEW,
        subject,
        entities=list(dict.fromkeys(entities)),
        result_size=len(shown),
    )
    return assessed


def compare_profiles(
    conn: Connection, actor: Actor, profile_names: Sequence[str], group_ids: Sequence[str] = ()
) -> Comparison:
    """The groups (those named, or every rated group the actor may see) ranked under
    each profile, with Kendall's tau between every two rankings."""
    subject = {"assess compare": list(profile_names), "groups": list(group_ids)}
    require(conn, actor, READERS, Action.VIEW, subject)
    if len(profile_names) < 2:
        raise FieldError("name two profiles or more to compare", field="profile")
    chosen = [profiles.load(name) for name in profile_names]
    if group_ids:
        groups = [_group(conn, actor, g, Action.VIEW, subject).id for g in group_ids]
    else:
        viewer = viewer_of(conn, actor)
        groups = [g.id for g in _visible(conn, viewer, rated_groups(conn)).values() if _is_group(g)]
    levels = {
        g: {a: r.level for a, r in current_ratings(conn, cluster_ids(conn, g)).items()}
        for g in dict.fromkeys(groups)
    }
    compared = compare(levels, chosen)
    audit(conn, actor, Action.VIEW, subject, entities=sorted(levels), result_size=len(levels))
    return compared


def case_criteria(conn: Connection, actor: Actor, case_id: str) -> CaseCriteria:
    """UNTOC Art. 2(a) (with 2(c)) and 3(2), and the Trafficking Protocol Art. 3, computed
    from what the actor may see of the case, with the analysts' overrides beside."""
    subject = {"assess criteria": case_id}
    require(conn, actor, READERS, Action.VIEW, subject)
    viewer = _member(conn, actor, case_id, Action.VIEW, subject)
    ids = case_entity_ids(conn, case_id, limit=CASE_ENTITIES, schemata_left_out=("Note",))
    shown = _visible(conn, viewer, ids)
    withheld = sum(1 for e in shown.values() if e.protected and not e.statements)
    facts = CaseFacts.of(
        case_id, ((e.id, e.schema, e.statements) for e in shown.values()), withheld
    )
    overrides = current_overrides(conn, case_id)
    checklists = [settle(c, overrides) for c in (*untoc(facts), protocol(facts))]
    audit(conn, actor, Action.VIEW, subject, entities=sorted(shown), result_size=len(checklists))
    return CaseCriteria(case_id, checklists, withheld)


def override_criterion(
    conn: Connection, actor: Actor, case_id: str, criterion: str, state: str, reason: str
) -> Override:
    """An analyst's own answer to a criterion of their case, with the reason
    (``computed`` takes an earlier override back)."""
    subject = {"assess override": case_id, "criterion": criterion, "state": state, "reason": reason}
    require(conn, actor, RATERS, Action.CHANGE, subject)
    _member(conn, actor, case_id, Action.CHANGE, subject)
    chosen = parse_state(state)
    if criterion not in criterion_codes():
        raise FieldError(
            f"unknown criterion {criterion!r}: one of {', '.join(criterion_codes())}",
            field="criterion",
        )
    if not reason.strip():
        raise FieldError("an override needs a reason", field="reason")
    made = add_override(conn, case_id, criterion, chosen, reason.strip(), actor.name)
    audit(conn, actor, Action.CHANGE, {**subject, "override": made.id})
    return made


def criterion_codes() -> list[str]:
    """Every criterion's code, in checklist order."""
    empty = CaseFacts.of("", [])
    return [code for c in (*untoc(empty), protocol(empty)) for code in c.codes()]


def _visible(conn: Connection, viewer: Viewer | None, ids: Sequence[str]) -> dict[str, Redacted]:
    if viewer is not None:
        return visible_entities(conn, viewer, ids)
    found = get_entities(conn, sorted(set(ids)))
    return {
        i: Redacted(e.id, e.schema.name, e.statements, protected=False) for i, e in found.items()
    }


def _is_group(entity: Redacted) -> bool:
    schema = model.get(entity.schema)
    return schema is not None and schema.is_a("Organization")


def _group(
    conn: Connection, actor: Actor, group_id: str, action: Action, subject: dict[str, Any]
) -> Redacted:
    """The group as the actor may see it; one they may not see does not exist."""
    viewer = viewer_of(conn, actor)
    found = _visible(conn, viewer, [group_id])
    group = next(iter(found.values()), None)
    if group is None or not group.statements:
        audit(conn, actor, action, subject, outcome=Outcome.REFUSED)
        raise NotFoundError(f"no group {group_id!r}, or none you may see", field="group")
    if not _is_group(group):
        raise FieldError(f"{group_id} is a {group.schema}, not an organisation", field="group")
    return group


def _member(
    conn: Connection, actor: Actor, case_id: str, action: Action, subject: dict[str, Any]
) -> Viewer | None:
    """The viewer, if a member of the case (a local operator: any case that exists)."""
    viewer = viewer_of(conn, actor)
    if viewer is None:
        if not case_exists(conn, case_id):
            raise NotFoundError(f"no case {case_id!r}", field="case")
        return None
    if case_id not in viewer.cases:
        raise refuse(conn, actor, action, subject, "not a member of this case", "case")
    return viewer
