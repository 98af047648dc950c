"""The threat assessment's pages: a group's ratings with their evidence and grading
(a rating without evidence said so), its score under a chosen profile explained term
by term, and how the rated groups' ranking changes between profiles; and a case's
legal criteria (UNTOC, the Trafficking Protocol), each with its state, evidence and
why, and a form to override it with a reason.

Every read and override goes through ``nitka.services.assessment``, which checks the
role, need-to-know and case membership and writes the audit record; a refused
override is answered in words where the form was.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from nitka.assess import profiles
from nitka.assess.criteria import Criterion
from nitka.assess.phrases import Phrase
from nitka.assess.scale import Attribute
from nitka.errors import FieldError
from nitka.reports.assessment_labels import alabel
from nitka.services import assessment
from nitka.services.guard import NotFoundError, RefusedError, transaction
from nitka.web.deps import EngineDep
from nitka.web.ui import i18n
from nitka.web.ui.guard import ReaderDep
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.labels import N_
from nitka.web.ui.templating import ENVIRONMENT, not_found, refusal, render

router = APIRouter(include_in_schema=False)
Id = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[\w.:-]+$")]
STATES: Final = {
    "met": N_("met"),
    "not_met": N_("not met"),
    "unknown": N_("unknown"),
    "computed": N_("as computed"),
}
LEVELS: Final = {
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
    "nil": N_("nil"),
    "unknown": N_("unknown"),
}


def domain_label(key: str, fallback: str) -> str:
    """A criterion's title or an attribute's name in the page's language, from the
    assessment report's table (``reports.assessment_labels``); as given if it has none."""
    found = alabel(key, i18n.current())
    return fallback if found == key else found


def said(phrase: Phrase) -> str:
    """A computed sentence (a criterion's or a suggestion's why) in the page's
    language, in English where the table has none."""
    return phrase.text(i18n.current())


ENVIRONMENT.globals["domain_label"] = domain_label
ENVIRONMENT.globals["said"] = said


@router.get("/ui/assess/groups/{group_id}", response_class=HTMLResponse)
def group_page(
    group_id: Id,
    request: Request,
    engine: EngineDep,
    actor: ReaderDep,
    profile: Annotated[str, Query(max_length=60)] = "sleipnir",
) -> Response:
    names = profiles.shipped_names()
    if profile not in names:
        return refusal(_("Choose one of the profiles offered."))
    try:
        with transaction(engine) as conn:
            found = assessment.assess_group(conn, actor, group_id, profile)
            compared = assessment.compare_profiles(conn, actor, names)
    except NotFoundError:
        message = _("There is no group %(id)s, or you may not see it.") % {"id": group_id}
        return not_found(request, actor.account, message)
    except FieldError as error:
        return refusal(error.message)
    ratings = []
    for attribute in Attribute:
        rated = found.ratings.get(attribute)
        ratings.append(
            {
                "attribute": attribute.value,
                "meaning": attribute.meaning,
                "level": _(LEVELS[rated.rating.level.value]) if rated else _(LEVELS["unknown"]),
                "rated": rated is not None,
                "reason": rated.rating.reason if rated else "",
                "by": f"{rated.rating.rated_by} · {rated.rating.rated_at}" if rated else "",
                "evidence": [e.as_dict() for e in rated.evidence] if rated else [],
                "withheld": rated.withheld if rated else 0,
                "no_evidence": rated is not None and not rated.rating.evidence,
            }
        )
    context: dict[str, Any] = {
        "group": found.group,
        "caption": found.group.caption(),
        "ratings": ratings,
        "score": found.score,
        "levels": LEVELS,
        "profile": profile,
        "profiles": names,
        "suggestions": found.suggestions,
        "comparison": compared,
    }
    return render(request, "assess_group.html", context, account=actor.account)


@router.get("/ui/cases/{case_id}/criteria", response_class=HTMLResponse)
def criteria_page(case_id: Id, request: Request, engine: EngineDep, actor: ReaderDep) -> Response:
    try:
        with transaction(engine) as conn:
            found = assessment.case_criteria(conn, actor, case_id)
    except NotFoundError:
        message = _("There is no case %(id)s, or you may not see it.") % {"id": case_id}
        return not_found(request, actor.account, message)
    except RefusedError:
        return render(request, "forbidden.html", {"reason": _not_member(case_id)},
                      account=actor.account, status_code=403)  # fmt: skip
    context = {"case_id": case_id, "rows": rows_of(found.checklists), "withheld": found.withheld,
               "states": STATES, "changed": ""}  # fmt: skip
    return render(request, "case_criteria.html", context, account=actor.account)


@router.post("/ui/cases/{case_id}/criteria/{code}", response_class=HTMLResponse)
def override(
    case_id: Id,
    code: Id,
    engine: EngineDep,
    actor: ReaderDep,
    state: str = Form(..., max_length=20),
    reason: str = Form("", max_length=2000),
) -> Response:
    """Override one criterion with a reason; answers the case's checklists again (an
    override of a part changes the criterion it belongs to)."""
    try:
        with transaction(engine) as conn:
            assessment.override_criterion(conn, actor, case_id, code, state, reason)
            found = assessment.case_criteria(conn, actor, case_id)
    except RefusedError:
        return _refused(code, _not_member(case_id), 403)
    except NotFoundError:
        return _refused(code, _("There is no case %(id)s, or you may not see it.")
                        % {"id": case_id}, 404)  # fmt: skip
    except FieldError as error:
        message = (_("An override needs a reason.") if error.field == "reason"
                   else _("Choose a state and a criterion from those offered."))  # fmt: skip
        return _refused(code, message, 400)
    template = ENVIRONMENT.get_template("_criteria.html")
    context = {"case_id": case_id, "rows": rows_of(found.checklists), "states": STATES,
               "changed": code}  # fmt: skip
    return HTMLResponse(template.render(context))


def _refused(code: str, message: str, status: int) -> HTMLResponse:
    answer = refusal(message, status_code=status)
    answer.headers["HX-Retarget"] = f"#override-result-{_slug(code)}"
    answer.headers["HX-Reswap"] = "innerHTML"
    return answer


def _slug(code: str) -> str:
    return code.replace(".", "-")


def _not_member(case_id: str) -> str:
    return _("You are not a member of case %(case)s.") % {"case": case_id}


def rows_of(checklists: list[Criterion]) -> list[dict[str, Any]]:
    """The checklists and their parts in order, each with its depth and its id in the
    page (``slug``)."""
    return [
        {"depth": depth, "c": c, "slug": _slug(c.code)}
        for checklist in checklists
        for depth, c in _flatten(checklist)
    ]


def _flatten(criterion: Criterion, depth: int = 0) -> list[tuple[int, Criterion]]:
    return [(depth, criterion), *(p for part in criterion.parts for p in _flatten(part, depth + 1))]
