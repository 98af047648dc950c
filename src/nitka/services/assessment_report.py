"""The assessment report of a case or a group (``nitka report assessment``): one
service call, over what the actor may see.

The argument is looked up: a case id in ``case_file`` makes a case's report (its
UNTOC and Protocol criteria, for the case's members), else a group entity makes a
group's report (its ratings, its score under the chosen profile, its rank under the
shipped profiles). Need-to-know and refusals are the assessment services' own
(``services.assessment``), which also record what was viewed; this call adds the
export's audit record, saying what was made and where it went.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.cases import case_exists
from nitka.access.visibility import READERS
from nitka.assess import profiles
from nitka.assess.phrases import PHRASES
from nitka.reports.assessment import AssessmentReport
from nitka.services import assessment
from nitka.services.guard import NotFoundError, audit, require, viewer_of


def assessment_report(
    conn: Connection,
    actor: Actor,
    target: str,
    *,
    profile: str = "sleipnir",
    output: str = "",
    now: datetime | None = None,
) -> AssessmentReport:
    """The report of the case ``target``, or else of the group ``target`` scored under
    ``profile``; NotFoundError names the argument when it is neither (or not one the
    actor may see)."""
    subject = {"report": "assessment", "target": target, "profile": profile, "output": output}
    require(conn, actor, READERS, Action.EXPORT, subject)
    viewer = viewer_of(conn, actor)
    made = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    scope = actor.name if viewer is not None else "all"
    if case_exists(conn, target):
        criteria = assessment.case_criteria(conn, actor, target)
        report = AssessmentReport(
            "case", target, made, scope, case=criteria.as_dict(), phrases=PHRASES
        )
        entities: list[str] = []
    else:
        try:
            group = assessment.assess_group(conn, actor, target, profile)
        except NotFoundError:
            raise NotFoundError(
                f"{target!r} is no case and no group you may see", field="case_or_group"
            ) from None
        compared = assessment.compare_profiles(conn, actor, profiles.shipped_names())
        report = AssessmentReport(
            "group",
            target,
            made,
            scope,
            group=group.as_dict(),
            comparison=compared.as_dict(),
        )
        entities = [group.group.id]
    audit(conn, actor, Action.EXPORT, {**subject, "kind": report.kind}, entities=entities)
    return report
