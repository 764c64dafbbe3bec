"""Server-rendered pages (Jinja2, autoescaped). Every page keeps its filters in the URL, so a
link shares the view; every table and chart has a CSV link to the API call that fills it.

Charts and the map are drawn in the browser by the vendored Vega-Lite and Leaflet from the
same API the page links to (``static/js``); there is no inline script anywhere.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import Field, ValidationError

from . import service as S
from .api import ChangesQuery, EventsQuery, QuotesQuery, StoriesQuery, check_limit
from .app import html_page
from .filters import BadCursor, EventFilters
from .highlight import safe_url, segments

router = APIRouter(include_in_schema=False)


def parse(request: Request, model, drop: tuple[str, ...] = ()):
    """The page's query parameters as ``model``; empty form fields count as absent."""
    raw = {k: v for k, v in request.query_params.items() if v.strip() != "" and k not in drop}
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise RequestValidationError([{**err, "loc": ("query", *err["loc"])} for err in e.errors()]) from None


def _db(request: Request):
    return request.app.state.db


def _event_rows(items: list[dict]) -> list[dict]:
    for e in items:
        e["quad_label"] = S.QUADS.get(e.get("quad_class"), "")
    return items


class OverviewQuery(EventFilters):
    pass


@router.get("/")
def overview(request: Request):
    f = parse(request, OverviewQuery)
    db = _db(request)
    qs = f.query_string()
    totals = db.records("SELECT count(*) AS articles, count(DISTINCT source) AS sources, min(date) AS first, "
                        "max(date) AS last FROM articles")[0]
    c = S.event_conditions(f, db)
    ev = db.records(f"SELECT count(*) AS events, CAST(coalesce(sum(num_mentions), 0) AS BIGINT) AS mentions, "
                    f"round(avg(goldstein), 2) AS mean_goldstein FROM events WHERE {c.sql()}", c.params)[0]
    totals.update(ev)
    totals["quotes"] = db.scalar("SELECT count(*) FROM quotes")
    ch = ChangesQuery.model_validate({k: v for k, v in f.model_dump().items() if v not in (None, "", False)})
    return html_page(request, "overview.html", title="Overview", f=f, qs=qs, totals=totals,
                     dyads=S.top_dyads(db, f, 10)["items"],
                     changes=S.changes(db, ch, "country", "month", 3, None, 3, 10),
                     actors=S.top_actors(db, f, 10)["items"])


@router.get("/events")
def events(request: Request):
    q = parse(request, EventsQuery)
    check_limit(request, q.limit)
    db = _db(request)
    try:
        # counting every match costs a scan of the store: only on request (count=true)
        page = S.events_page(db, q, q.sort, q.limit, q.cursor, count=q.count)
    except BadCursor as e:
        from .api import BadParam

        raise BadParam("cursor", str(e)) from None
    qs = q.query_string(cursor=None, count=None, format=None)
    next_qs = q.query_string(cursor=page["next_cursor"], format=None) if page["next_cursor"] else None
    return html_page(request, "events.html", title="Events", f=q, qs=qs, page=page, next_qs=next_qs,
                     count_qs=q.query_string(cursor=None, count="true", format=None),
                     items=_event_rows(page["items"]), export_qs=q.query_string(sort=None, limit=None,
                                                                                 cursor=None, count=None))


@router.get("/events/{event_id}")
def event(request: Request, event_id: str):
    db = _db(request)
    ev = S.event_detail(db, event_id[:100])
    if ev is None:
        from starlette.exceptions import HTTPException

        raise HTTPException(404, f"no event {event_id[:100]!r} in this store; find events at /events")
    for m in ev["mentions"]:
        m["segments"] = segments(m["sentence_text"] or "", m["spans"], "rel_start", "rel_end")
        m["url_href"] = safe_url(m.get("article_url"))
    ev["quad_label"] = S.QUADS.get(ev.get("quad_class"), "")
    ev["url_href"] = safe_url(ev.get("source_url"))
    return html_page(request, "event.html", title=f"Event {ev['event_id']}", ev=ev)


class MapQuery(EventFilters):
    color: str = Field("goldstein", pattern="^(goldstein|quad)$")
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$")   # the slider's position (read by map.js)


@router.get("/map")
def map_page(request: Request):
    f = parse(request, MapQuery)
    db = _db(request)
    lo, hi = db.query("SELECT min(date), max(date) FROM events WHERE place_lat IS NOT NULL")[1][0]
    months = []
    if lo and hi:
        y, m = int(lo[:4]), int(lo[5:7])
        end = (int(hi[:4]), int(hi[5:7]))
        while (y, m) <= end and len(months) < 600:
            months.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    qs = f.query_string(color=None, month=None)
    return html_page(request, "map.html", title="Map", f=f, qs=qs, months=months)


class DyadPageQuery(EventFilters):
    freq: str = Field("month", pattern="^(day|week|month|year)$")
    limit: int = Field(50, ge=1, le=1000)


@router.get("/dyad")
def dyad_page(request: Request):
    f = parse(request, DyadPageQuery)
    db = _db(request)
    res = page = None
    if f.a and f.b:
        res = S.dyad(db, f, f.freq)
        page = S.events_page(db, f, "-date", f.limit, None, count=True)   # a dyad is selective: count it
        _event_rows(page["items"])
    qs = f.query_string(freq=None, limit=None)
    return html_page(request, "dyad.html", title="Dyad", f=f, qs=qs, res=res, page=page,
                     top=S.top_dyads(db, EventFilters(), 12)["items"])


class ActorsPageQuery(EventFilters):
    by: str = Field("code", pattern="^(code|country)$")
    top: int = Field(50, ge=1, le=500)


@router.get("/actors")
def actors_page(request: Request):
    f = parse(request, ActorsPageQuery)
    res = S.top_actors(_db(request), f, f.top, f.by)
    return html_page(request, "actors.html", title="Actors", f=f, qs=f.query_string(), items=res["items"])


@router.get("/actors/{code}")
def actor_page(request: Request, code: str):
    import re

    if not re.match(r"^[A-Za-z][A-Za-z0-9]{2,15}$", code):
        from .api import BadParam

        raise BadParam("code", f"{code[:40]!r} is not an actor code", "a country (CHN) or actor code (CHNGOV)")
    name = request.query_params.get("name") or None
    prof = S.actor_profile(_db(request), code, name[:200] if name else None)
    _event_rows(prof["recent_events"])
    return html_page(request, "actor.html", title=f"Actor {prof['code']}", p=prof, name=name)


@router.get("/quotes")
def quotes_page(request: Request):
    q = parse(request, QuotesQuery)
    check_limit(request, q.limit)
    res = S.quotes(_db(request), q.speaker, q.contains, q.since, q.until, q.mentioned, q.limit, q.offset)
    base = {k: v for k, v in request.query_params.items() if v.strip() and k not in ("offset", "format")}
    from urllib.parse import urlencode

    return html_page(request, "quotes.html", title="Quotes", q=q, res=res, qs=urlencode(base),
                     next_qs=urlencode({**base, "offset": res["next_offset"]}) if res["next_offset"] else None)


@router.get("/articles")
def articles_page(request: Request):
    from urllib.parse import urlencode

    from ..errors import StoreError

    text = (request.query_params.get("q") or "").strip()[:500]
    any_term = request.query_params.get("any") in ("1", "true", "on")
    res, error = None, None
    if text:
        try:
            res = S.search_articles(_db(request), text, 50, any_term)
        except StoreError as e:
            error = e.message
    return html_page(request, "articles.html", title="Articles", text=text, any_term=any_term, res=res,
                     error=error, qs=urlencode({"q": text, "any": "true" if any_term else "false"}))


@router.get("/articles/{key}")
def article_page(request: Request, key: str):
    a = S.article(_db(request), key[:100])
    if a is None:
        from starlette.exceptions import HTTPException

        raise HTTPException(404, f"no article {key[:100]!r} in this store; search at /articles")
    spans = [{"start": e["trigger_start"], "end": e["trigger_end"], "role": "trigger",
              "title": f"{e['cameo']}: {e['source_name'] or '?'} → {e['target_name'] or '?'}"} for e in a["events"]]
    spans += [{"start": q["span_start"], "end": q["span_end"], "role": "quote",
               "title": f"quote by {q['speaker_name'] or '?'}"} for q in a["quotes"]]
    a["segments"] = segments(a.get("text") or "", spans)
    a["url_href"] = safe_url(a.get("url"))
    return html_page(request, "article.html", title=a.get("title") or "Article", a=a)


@router.get("/stories")
def stories_page(request: Request):
    q = parse(request, StoriesQuery)
    check_limit(request, q.limit)
    res = S.stories(_db(request), q.since, q.until, q.actor, q.q, q.limit, q.offset)
    from urllib.parse import urlencode

    base = {k: v for k, v in request.query_params.items() if v.strip() and k not in ("offset", "format")}
    return html_page(request, "stories.html", title="Stories", q=q, res=res, qs=urlencode(base),
                     next_qs=urlencode({**base, "offset": res["next_offset"]}) if res["next_offset"] else None)
