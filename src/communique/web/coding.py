"""Coding pasted text in the browser or over the API (only with ``communique serve --allow-code``).

The spaCy pipeline is loaded lazily, once, in the server process, on the first request; the
store is not involved (nothing is written). When the server has a ``--token``, both the
form and the API ask for it.
"""

from __future__ import annotations

import datetime as dt
import threading
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from .app import bearer, check_token, html_page
from .highlight import segments

router = APIRouter()
_lock = threading.Lock()
MAX_TEXT = 100_000


class CodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., min_length=1, max_length=MAX_TEXT, description="The article text.")
    date: dt.date | None = Field(None, description="Publication date (anchors 'last Friday').")
    title: str | None = Field(None, max_length=500)


def _pipeline():
    from ..pipeline import get_pipeline

    with _lock:   # one load, however many first requests arrive together
        return get_pipeline()


def code(text: str, day: dt.date | None, title: str | None):
    return _pipeline().code_text(text, date=day.isoformat() if day else None, title=title)


@router.post("/api/v1/code", tags=["code"], summary="Code a text (only with --allow-code); nothing is stored")
def code_api(request: Request, body: CodeRequest):
    if not check_token(request, bearer(request)):
        return JSONResponse({"error": "unauthorized", "message": "this server needs its token",
                             "fix": "send the header Authorization: Bearer TOKEN (the serve --token)"},
                            status_code=401)
    rec = code(body.text, body.date, body.title)
    return JSONResponse(rec.model_dump(mode="json", by_alias=True))


@router.get("/code", include_in_schema=False)
def code_form(request: Request):
    return html_page(request, "code.html", title="Code an article", text="", date="", result=None,
                     needs_token=bool(request.app.state.settings.token), error=None)


@router.post("/code", include_in_schema=False)
async def code_page(request: Request):
    # a plain urlencoded form (no multipart parser needed); the body size is capped by the server
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
    text = form.get("text", "")
    day_s = form.get("date", "").strip()
    ctx = {"title": "Code an article", "text": text, "date": day_s, "result": None,
           "needs_token": bool(request.app.state.settings.token), "error": None}
    status = 200
    day = None
    if day_s:
        try:
            day = dt.date.fromisoformat(day_s)
        except ValueError:
            ctx["error"] = f"date: {day_s!r} is not a date; accepted: YYYY-MM-DD"
            status = 422
    if not text.strip():
        ctx["error"], status = "text: paste the article text to code", 422
    elif len(text) > MAX_TEXT:
        ctx["error"], status = f"text: at most {MAX_TEXT} characters", 422
    if not check_token(request, form.get("token")):
        ctx["error"], status = "token: this server needs its token (the serve --token)", 401
    if ctx["error"] is None:
        from starlette.concurrency import run_in_threadpool

        rec = await run_in_threadpool(code, text, day, None)
        ctx["result"] = marked_text(rec, text)
    resp = html_page(request, "code.html", **ctx)
    resp.status_code = status
    return resp


def marked_text(rec, text: str) -> dict:
    """The record's spans as highlight segments over the whole text, and the record for the tables."""
    spans = []
    for e in rec.events:
        spans.append({"start": e.trigger.start, "end": e.trigger.end, "role": "trigger",
                      "title": f"{e.cameo} {e.plover.event}"})
        for role, p in (("source", e.source), ("target", e.target)):
            if p is not None:
                spans.append({"start": p.span.start, "end": p.span.end, "role": role,
                              "title": f"{role}: {p.name} {p.code}"})
    for p in rec.places:
        spans.append({"start": p.span.start, "end": p.span.end, "role": "place",
                      "title": f"{p.name} {p.country or ''}"})
    for t in rec.times:
        spans.append({"start": t.span.start, "end": t.span.end, "role": "time", "title": t.value})
    for a in rec.actors:
        spans.append({"start": a.span.start, "end": a.span.end, "role": "actor", "title": f"{a.name} {a.code}"})
    return {"segments": segments(text, spans), "record": rec}
