"""The assessment report of a case or a group, laid out once for every format.

The report is made from the assessment's own answers as plain data (what
``nitka.services.assessment`` returns with ``as_dict``): the reports sit beside
``nitka.assess`` in the layers and do not import it, so the services hand over the
table of the computed sentences (``nitka.assess.phrases.PHRASES``) with the data.
A case's report lists each criterion with its state, computed state, override,
evidence and why (in the report's language), and a summary line; a group's
report lists its ratings with their evidence, its score term by term and its rank
under each shipped profile, under a warning that no single number is the truth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nitka.reports.assessment_labels import alabel
from nitka.reports.labels import LANGUAGES

Cell = str | float | int


@dataclass(frozen=True)
class AssessmentReport:
    kind: str
    """``case`` or ``group``."""
    target: str
    generated_at: str
    scope: str
    """Whose sight it was made in (an account), or ``all`` for a local operator."""
    case: dict[str, Any] | None = None
    """The case's criteria (``CaseCriteria.as_dict()``)."""
    group: dict[str, Any] | None = None
    """The group's assessment (``GroupAssessment.as_dict()``)."""
    comparison: dict[str, Any] | None = None
    """The rated groups ranked under the shipped profiles (``Comparison.as_dict()``)."""
    phrases: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    """The computed sentences' templates ``(en, uk, bg)`` by key (a criterion's
    ``why_key``); a sentence whose key is not here is shown in English, as computed."""


@dataclass(frozen=True)
class Section:
    key: str
    """The sheet's name in the workbook, the same in every language."""
    title: str
    header: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)
    """The columns' shares of the page's width in percent (the PDF's); none: even."""


@dataclass(frozen=True)
class Layout:
    title: str
    heading: list[tuple[str, str]]
    notices: list[str]
    sections: list[Section]


CHECKLISTS = {
    "untoc.2a": "untoc_checklist",
    "untoc.3.2": "transnational_checklist",
    "protocol.3": "protocol_checklist",
}

CRITERION_COLUMNS = ("code", "criterion", "state", "computed", "override", "evidence", "why")


def layout(report: AssessmentReport, lang: str = "en") -> Layout:
    if report.kind == "case":
        return _case(report, lang)
    return _group(report, lang)


def _heading(report: AssessmentReport, lang: str, *lines: tuple[str, str]) -> list[tuple[str, str]]:
    scope = report.scope if report.scope != "all" else alabel("scope_all", lang)
    return [
        *lines,
        (alabel("generated", lang), report.generated_at),
        (alabel("scope", lang), scope),
    ]


def _case(report: AssessmentReport, lang: str) -> Layout:
    data = report.case or {}
    checklists: list[dict[str, Any]] = data.get("checklists", [])
    sections = []
    for checklist in checklists:
        rows: list[list[Cell]] = []
        _criterion_rows(checklist, 0, lang, rows, report.phrases)
        key = CHECKLISTS.get(checklist["code"], checklist["code"])
        sections.append(
            Section(
                key.removesuffix("_checklist")[:31],
                alabel(key, lang),
                [alabel(h, lang) for h in CRITERION_COLUMNS],
                rows,
                widths=[9, 20, 7, 7, 15, 17, 25],
            )
        )
    notices = [summary_line(checklists, lang)]
    if data.get("withheld_entities"):
        notices.append(alabel("withheld", lang).format(n=data["withheld_entities"]))
    return Layout(
        alabel("case_title", lang),
        _heading(report, lang, (alabel("case", lang), report.target)),
        notices,
        sections,
    )


def _criterion_rows(
    item: dict[str, Any],
    depth: int,
    lang: str,
    rows: list[list[Cell]],
    phrases: Mapping[str, tuple[str, str, str]],
) -> None:
    override = item.get("override")
    said = ""
    if override:
        said = f"{override['by']}, {override['at'][:10]}: {override['reason']}"
    title = alabel(item["code"], lang)
    rows.append(
        [
            item["code"],
            ("    " * depth) + (title if title != item["code"] else item["title"]),
            alabel(item["state"], lang),
            alabel(item["computed"], lang),
            said,
            ", ".join(item.get("evidence", [])),
            why(item, lang, phrases),
        ]
    )
    for part in item.get("parts", []):
        _criterion_rows(part, depth + 1, lang, rows, phrases)


def why(item: dict[str, Any], lang: str, phrases: Mapping[str, tuple[str, str, str]]) -> str:
    """A criterion's why in the language, from its ``why_key`` and ``why_values``; the
    English sentence it carries where the table has no such key (or the template does
    not take the values)."""
    english: str = item.get("why", "")
    found = phrases.get(item.get("why_key", ""))
    if found is None or lang not in LANGUAGES:
        return english
    try:
        return found[LANGUAGES.index(lang)].format_map(item.get("why_values", {}))
    except (KeyError, IndexError, ValueError):
        return english


def summary_line(checklists: list[dict[str, Any]], lang: str = "en") -> str:
    """Whether the case meets UNTOC's organised criminal group and transnational
    criteria, and if not, where each stands."""
    states = {c["code"]: c["state"] for c in checklists}
    wanted = ("untoc.2a", "untoc.3.2")
    if all(states.get(code) == "met" for code in wanted):
        return alabel("meets_untoc", lang)
    standing = "; ".join(
        f"{alabel(code, lang)}: {alabel(states.get(code, 'unknown'), lang)}" for code in wanted
    )
    return f"{alabel('not_meets_untoc', lang)} ({standing})."


def _group(report: AssessmentReport, lang: str) -> Layout:
    data = report.group or {}
    group, profile, score = data["group"], data["profile"], data["score"]
    sections = [
        _ratings(data, lang),
        _score(score, lang),
        *_ranks(report.comparison or {}, group["id"], lang),
    ]
    return Layout(
        alabel("group_title", lang),
        _heading(
            report,
            lang,
            (alabel("group", lang), f"{group['caption']} ({group['id']})"),
            (alabel("profile", lang), f"{profile['title']} ({profile['name']})"),
        ),
        [alabel("no_single_number", lang)],
        sections,
    )


def _ratings(data: dict[str, Any], lang: str) -> Section:
    rows: list[list[Cell]] = []
    for term in data["score"]["terms"]:
        attribute = term["attribute"]
        rating = data["ratings"].get(attribute)
        if rating is None:
            rows.append([alabel(attribute, lang), alabel("not_rated", lang), "", "", ""])
            continue
        evidence = [f"{e['id']} ({e['grading']})" for e in rating["evidence"]]
        if rating["evidence_withheld"]:
            evidence.append(alabel("evidence_withheld", lang).format(n=rating["evidence_withheld"]))
        if rating["without_evidence"]:
            evidence = [alabel("no_evidence", lang)]
        rows.append(
            [
                alabel(attribute, lang),
                alabel(rating["level"], lang),
                f"{rating['rated_by']}, {rating['rated_at'][:10]}",
                rating["reason"],
                "; ".join(evidence),
            ]
        )
    header = ["attribute", "level", "rated_by", "reason", "evidence"]
    return Section("ratings", alabel("ratings", lang), [alabel(h, lang) for h in header], rows)


def _score(score: dict[str, Any], lang: str) -> Section:
    rows: list[list[Cell]] = [
        [
            alabel(t["attribute"], lang),
            alabel(t["level"], lang),
            "" if t["points"] is None else t["points"],
            t["weight"],
            t["contribution"],
            t["maximum"],
        ]
        for t in score["terms"]
    ]
    rows.append([alabel("total_line", lang), "", "", "", score["total"], score["maximum"]])
    line = alabel("score_line", lang).format(
        percent=f"{score['score']:g}",
        total=f"{score['total']:g}",
        maximum=f"{score['maximum']:g}",
        known=f"{round(100 * score['known_weight']):g}",
    )
    header = ["attribute", "level", "points", "weight", "contribution", "maximum"]
    return Section("score", alabel("score", lang), [alabel(h, lang) for h in header], rows, [line])


def _ranks(comparison: dict[str, Any], group_id: str, lang: str) -> list[Section]:
    rankings: dict[str, list[dict[str, Any]]] = comparison.get("rankings", {})
    rows: list[list[Cell]] = []
    for profile, ranked in rankings.items():
        mine = next((r for r in ranked if r["group"] == group_id), None)
        if mine is None:
            rows.append([profile, alabel("unranked", lang), len(ranked), ""])
        else:
            rows.append([profile, mine["rank"], len(ranked), mine["score"]])
    taus: list[list[Cell]] = [
        [" / ".join(t["profiles"]), alabel("tau_none", lang) if t["tau"] is None else t["tau"]]
        for t in comparison.get("kendall_tau", [])
    ]
    header = ["profile", "rank", "of_groups", "score_percent"]
    return [
        Section("ranks", alabel("ranks", lang), [alabel(h, lang) for h in header], rows),
        Section(
            "kendall_tau",
            alabel("taus", lang),
            [alabel("profiles_pair", lang), alabel("tau", lang)],
            taus,
            [alabel("no_single_number", lang)],
        ),
    ]
