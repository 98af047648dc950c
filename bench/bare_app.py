"""The ceiling for ``screening_speed``: a bare FastAPI endpoint, served like Nitka.

``POST /screen`` reads the body and answers a fixed small JSON, with no
check, no token and no log: what gunicorn, uvicorn and FastAPI cost on
this machine by themselves.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response

app = FastAPI()
ANSWER = b'{"status":200,"log_id":1,"hit":false,"hits":[]}'


@app.post("/screen")
async def screen(request: Request) -> Response:
    await request.body()
    return Response(ANSWER, media_type="application/json")
