"""``/analysis/...``: the call-record, money-flow, network and trip queries over HTTP,
one ``GET`` route per query of ``nitka.web.analysis_table``, answering the JSON that
``nitka calls|flows|network|trips ... --json`` prints.

Each route calls the query's service in one transaction (``services.guard``): the
service checks the role and the case, reads only what the caller may see and writes
the audit record. A bad value is a 400 naming the parameter, a refusal a 403, a case
that is not the caller's a 404 (the app's handlers, ``nitka.web.errors``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from nitka.errors import FieldError
from nitka.services.guard import transaction
from nitka.web.analysis_table import QUERIES, AnalysisQuery, Args, Param
from nitka.web.auth import ActorDep
from nitka.web.deps import EngineDep
from nitka.web.screen_api import json_response

router = APIRouter(tags=["analysis"])


def _annotation(param: Param) -> Any:
    kind: Any = list[str] if param.kind is list else param.kind
    if not param.required:
        kind = kind | None
    bounded = param.name == "limit"  # the services check the others (a 400 naming them)
    least, most = (param.least, param.most) if bounded else (None, None)
    described = Query(alias=param.name, description=param.help, ge=least, le=most)
    return Annotated[kind, described]


def _endpoint(query: AnalysisQuery) -> Callable[..., Response]:
    def endpoint(engine: Any, actor: Any, **given: Any) -> Response:
        args = {p.name: given[p.arg] for p in query.params}
        with transaction(engine) as conn:
            found = query.run(conn, actor, args)
        return json_response(query.answer(found))

    keyword = inspect.Parameter.KEYWORD_ONLY
    signature = [
        inspect.Parameter("engine", keyword, annotation=EngineDep),
        inspect.Parameter("actor", keyword, annotation=ActorDep),
    ]
    for param in query.params:
        default = inspect.Parameter.empty if param.required else param.default
        signature.append(
            inspect.Parameter(param.arg, keyword, default=default, annotation=_annotation(param))
        )
    endpoint.__signature__ = inspect.Signature(signature)  # type: ignore[attr-defined]
    endpoint.__name__ = f"{query.group}_{query.name}".replace("-", "_")
    endpoint.__doc__ = query.summary
    return endpoint


for _query in QUERIES.values():
    router.add_api_route(
        _query.path,
        _endpoint(_query),
        methods=["GET"],
        response_class=Response,
        summary=f"{_query.group} {_query.name}",
        description=_query.summary,
    )


def read_args(query: AnalysisQuery, given: Mapping[str, Sequence[str]]) -> Args:
    """A query's values from a form or query string (each name to its values): the
    workstation's panel asks through this; a value that is not one is a 400 naming it."""
    args: Args = {}
    for param in query.params:
        values = [v.strip() for v in given.get(param.name, ()) if v.strip()]
        if param.kind is list:
            args[param.name] = [p for v in values for p in v.replace(",", " ").split()]
            if not args[param.name]:
                raise FieldError("none given", field=param.name)
        elif not values:
            if param.required:
                raise FieldError("required", field=param.name)
            args[param.name] = param.default
        else:
            args[param.name] = _value(param, values[0])
    return args


YES, NO = ("yes", "true", "1", "on"), ("no", "false", "0", "off")


def _value(param: Param, raw: str) -> Any:
    if param.kind is bool:
        if raw.lower() in YES + NO:
            return raw.lower() in YES
        raise FieldError(f"{raw!r}: yes or no", field=param.name)
    try:
        value = param.kind(raw)
    except ValueError:
        raise FieldError(f"{raw!r} is not a number", field=param.name) from None
    if param.least is not None and value < param.least:
        raise FieldError(f"{raw} is less than {param.least}", field=param.name)
    if param.most is not None and value > param.most:
        raise FieldError(f"{raw} is more than {param.most}", field=param.name)
    if param.choices and value not in param.choices:
        raise FieldError(f"{raw!r}: one of {', '.join(param.choices)}", field=param.name)
    return value
