"""The review list of flagged recruitment ads (docs/ads.md, For analysts): the ads by
risk with filters (language, indicator, source, state), each with the words behind
its indicators marked, its provenance, its contacts and leads; one click files an
ad into a case, one click dismisses it.

Every read and action goes through ``nitka.services.ads_review``, which checks the
role and need-to-know and writes the audit record; a refused action is answered in
words where the buttons were.
"""

from __future__ import annotations

from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from nitka.ads.indicators import CODES, LANGUAGES
from nitka.ads.review import State
from nitka.services import ads_review
from nitka.services.cases import list_cases
from nitka.services.guard import NotFoundError, RefusedError, transaction
from nitka.web.deps import EngineDep, ScreenerDep
from nitka.web.ui.ads_words import ad_view, choices
from nitka.web.ui.guard import ReaderDep
from nitka.web.ui.i18n import current
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.templating import ENVIRONMENT, refusal, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE: Final = 20
LISTED: Final = (State.OPEN, State.FILED, State.DISMISSED)
"""The states the list can show (ads screened benign are counted, never listed)."""

AdId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[\w-]+$")]
Filter = Annotated[str, Query(max_length=200)]


@router.get("/ui/ads", response_class=HTMLResponse)
def review_page(
    request: Request,
    engine: EngineDep,
    screener: ScreenerDep,
    actor: ReaderDep,
    state: Filter = State.OPEN,
    ad_lang: Filter = "",
    indicator: Filter = "",
    source: Filter = "",
    page: int = Query(1, ge=1, le=500),
) -> Response:
    """A page of the list; with htmx, only the list (the filters changed). The ads'
    language is ``ad_lang``: ``lang`` chooses the page's own."""
    if state not in LISTED or (ad_lang and ad_lang not in LANGUAGES) or (
            indicator and indicator not in CODES):  # fmt: skip
        return refusal(_("Choose the filters from the lists offered."))
    with transaction(engine) as conn:
        items = ads_review.review_list(
            conn, actor, state=state, lang=ad_lang or None, indicator=indicator or None,
            source=source or None, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1,
        )  # fmt: skip
        shown = [
            ads_review.show_ad(conn, actor, item.id, lists=screener.lists)
            for item in items[:PAGE_SIZE]
        ]
        cases = list_cases(conn, actor)
        sources = ads_review.review_sources(conn, actor)
    language = current()
    filters = {"state": state, "ad_lang": ad_lang, "indicator": indicator, "source": source}
    context: dict[str, Any] = {
        "ads": [ad_view(one, language) for one in shown],
        "cases": [{"id": c.id, "title": c.title} for c in cases],
        "states": [{"value": s, "label": _state_label(s), "chosen": s == state} for s in LISTED],
        "lang_choices": choices(LANGUAGES, ad_lang),
        "indicators": choices(CODES, indicator),
        "sources": choices(sources, source),
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "page": page,
        "more": len(items) > PAGE_SIZE,
    }
    template = "_ads_list.html" if request.headers.get("hx-request") else "ads_review.html"
    return render(request, template, context, account=actor.account)


@router.post("/ui/ads/{ad_id}/file", response_class=HTMLResponse)
def file_ad(
    ad_id: AdId,
    engine: EngineDep,
    actor: ReaderDep,
    case_id: str = Form(..., min_length=1, max_length=200),
) -> Response:
    """File the ad into a case with its provenance (the service checks membership)."""
    try:
        with transaction(engine) as conn:
            filed = ads_review.file_ad(conn, actor, ad_id, case_id)
    except RefusedError:
        message = _("You may not file into case %(case)s: you are not a member of it.")
        return _refused(ad_id, message % {"case": case_id}, 403)
    except NotFoundError:
        return _refused(ad_id, _no_ad_or_case(), 404)
    return _answer("_ads_filed.html", {"case": case_id, "filed": filed, "ad": ad_id})


@router.post("/ui/ads/{ad_id}/dismiss", response_class=HTMLResponse)
def dismiss_ad(ad_id: AdId, engine: EngineDep, actor: ReaderDep) -> Response:
    """Take the ad off the review list (it stays in the store and the trends)."""
    try:
        with transaction(engine) as conn:
            ads_review.dismiss_ad(conn, actor, ad_id)
    except RefusedError:
        return _refused(ad_id, _("You may not dismiss this ad."), 403)
    except NotFoundError:
        return _refused(ad_id, _no_ad_or_case(), 404)
    return _answer("_ads_filed.html", {"case": None, "filed": 0, "ad": ad_id})


def _answer(template: str, context: dict[str, Any]) -> HTMLResponse:
    """A fragment for htmx to swap in where the buttons were."""
    return HTMLResponse(ENVIRONMENT.get_template(template).render(context))


def _refused(ad_id: str, message: str, status: int) -> HTMLResponse:
    """The reason, below the buttons (which stay): htmx is told to put it there."""
    answer = refusal(message, status_code=status)
    answer.headers["HX-Retarget"] = f"#result-{ad_id}"
    answer.headers["HX-Reswap"] = "innerHTML"
    return answer


def _state_label(state: str) -> str:
    labels = {
        State.OPEN: _("Waiting for review"),
        State.FILED: _("Filed into a case"),
        State.DISMISSED: _("Dismissed"),
    }
    return labels.get(state, state)


def _no_ad_or_case() -> str:
    return _("There is no such ad or case, or you may not see it.")
