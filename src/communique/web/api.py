"""The HTTP API, ``/api/v1``: JSON everywhere, CSV where a table comes back (``?format=csv``).

Read-only: nothing here writes to the store. ``POST /code`` (coding pasted text, no store
involved) exists only when the server was started with ``--allow-code``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import Field

from . import service as S
from .filters import BadCursor, EventFilters, Params, Sort
from .filters import accepted as accepted_for

router = APIRouter(prefix="/api/v1")

Format = Literal["json", "csv"]
Freq = Literal["day", "week", "month", "year"]


class BadParam(Exception):
    """A request parameter the API cannot use: answered with 422, the parameter and what it accepts."""

    def __init__(self, parameter: str, message: str, accepted=None):
        self.parameter = parameter
        self.message = message
        self.accepted = accepted if accepted is not None else accepted_for(parameter)
        super().__init__(f"{parameter}: {message}")


def settings(request: Request):
    return request.app.state.settings


def db(request: Request):
    return request.app.state.db


def check_limit(request: Request, limit: int) -> int:
    mx = request.app.state.settings.max_page
    if limit > mx:
        raise BadParam("limit", f"{limit} is above this server's page limit", f"an integer from 1 to {mx}")
    return limit


def not_found(message: str, fix: str) -> JSONResponse:
    return JSONResponse({"error": "not found", "message": message, "fix": fix}, status_code=404)


def table_response(rows: list[dict], fmt: str, payload: dict, name: str, columns: list[str] | None = None):
    """JSON (the whole payload) or CSV (the rows, one header line)."""
    if fmt == "csv":
        cols = columns or (list(rows[0]) if rows else [])
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow(["" if r.get(c) is None else json.dumps(r[c]) if isinstance(r.get(c), (list, dict))
                        else r[c] for c in cols])
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return JSONResponse(payload)


# -- events ------------------------------------------------------------------------------------
class EventsQuery(EventFilters):
    sort: Sort = Field("-date", description="Order: a column, '-' first for descending. Default newest first.")
    limit: int = Field(50, ge=1, le=100_000, description="Events per page (at most the server's --max-page).")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the previous page.")
    count: bool = Field(False, description="Also count every matching event (costs a scan).")
    format: Format = Field("json", description="json or csv.")


@router.get("/events", tags=["events"], summary="De-duplicated events matching the filters, one page")
def events(request: Request, q: Annotated[EventsQuery, Query()], store=Depends(db)):
    """Every filter of `communique query events`, plus dyads with several actors per side, PLOVER type and
    mode, quad class, Goldstein range, bounding box, place, outlet, minimum confidence and story.
    Pages follow `next_cursor` (keyset pagination: stable while the store changes)."""
    check_limit(request, q.limit)
    try:
        page = S.events_page(store, q, q.sort, q.limit, q.cursor, q.count)
    except BadCursor as e:
        raise BadParam("cursor", str(e)) from None
    return table_response(page["items"], q.format, page, "events", S.event_columns(store))


@router.get("/events/{event_id}", tags=["events"], summary="One event with every report and its evidence spans")
def event(event_id: Annotated[str, Path(max_length=100)],
          format: Annotated[Format, Query(description="json, or csv: one row per report")] = "json",
          store=Depends(db)):
    ev = S.event_detail(store, event_id)
    if ev is None:
        return not_found(f"no event {event_id!r} in this store", "take ids from /api/v1/events")
    return table_response(ev["mentions"], format, ev, f"event-{event_id}", [
        "mention_id", "article_key", "article_date", "article_source", "article_url", "title", "sentence_text",
        "trigger_text", "source_text", "source_code", "target_text", "target_code", "place_name", "date_text",
        "modality", "negated", "confidence", "spans"])


# -- aggregates --------------------------------------------------------------------------------
class TimelineQuery(EventFilters):
    freq: Freq = Field("month", description="Period: day, week, month or year.")
    split: Literal["none", "quad", "root"] = Field("none", description="One series, or one per quad class or "
                                                                       "CAMEO root.")
    format: Format = "json"


@router.get("/timeline", tags=["aggregates"], summary="Events, mean Goldstein and tone per period")
def timeline(q: Annotated[TimelineQuery, Query()], store=Depends(db)):
    res = S.timeline(store, q, q.freq, q.split)
    return table_response(res["items"], q.format, res, "timeline")


class DyadQuery(EventFilters):
    freq: Freq = Field("month", description="Period: day, week, month or year.")
    format: Format = "json"


@router.get("/dyad", tags=["aggregates"], summary="Events between two sides per period and quad class")
def dyad(q: Annotated[DyadQuery, Query()], store=Depends(db)):
    """`a` and `b` take one or several countries or actor codes each (`a=CHN,RUS&b=BLR`); both
    directions unless `one_way=true`."""
    if not (q.a and q.b):
        raise BadParam("a" if not q.a else "b", "a dyad needs both sides, a and b")
    res = S.dyad(store, q, q.freq)
    return table_response(res["items"], q.format, res, "dyad")


class TopQuery(EventFilters):
    top: int = Field(20, ge=1, le=500, description="How many.")
    by: Literal["code", "country"] = Field("code", description="Actor codes or countries.")
    format: Format = "json"


@router.get("/actors", tags=["actors"], summary="Top actors (or countries) by events, either side")
def actors_top(q: Annotated[TopQuery, Query()], store=Depends(db)):
    res = S.top_actors(store, q, q.top, q.by)
    return table_response(res["items"], q.format, res, "actors")


class TopDyadsQuery(EventFilters):
    top: int = Field(10, ge=1, le=500)
    format: Format = "json"


@router.get("/dyads", tags=["aggregates"], summary="Top international dyads (country pairs)")
def dyads_top(q: Annotated[TopDyadsQuery, Query()], store=Depends(db)):
    res = S.top_dyads(store, q, q.top)
    return table_response(res["items"], q.format, res, "dyads")


class ChangesQuery(EventFilters):
    by: Literal["country", "dyad", "root", "place_country"] = Field("country", description="Per what.")
    window: Literal["day", "week", "month"] = Field("month", description="Window length.")
    windows: int = Field(3, ge=1, le=24, description="Previous windows the mean is taken over.")
    end: date | None = Field(None, description="A day in the last window (default: latest event).")
    min_events: int = Field(3, ge=0, le=1_000_000, description="Leave out keys with fewer events.")
    top: int = Field(50, ge=1, le=1000)
    format: Format = "json"


@router.get("/changes", tags=["aggregates"], summary="Biggest changes: last window against the previous ones")
def changes(q: Annotated[ChangesQuery, Query()], store=Depends(db)):
    """Counts in the last window against the mean of the `windows` before it, per country, dyad, CAMEO root
    or place country, with ACLED-style bands (> 25% large, 10-25% moderate increase or decrease)."""
    res = S.changes(store, q, q.by, q.window, q.windows, q.end, q.min_events, q.top)
    return table_response(res["items"], q.format, res, "changes")


class PlacesQuery(EventFilters):
    top: int = Field(5000, ge=1, le=20000, description="At most this many places (most events first).")


@router.get("/places.geojson", tags=["aggregates"], summary="Events per place as GeoJSON points")
def places_geojson(q: Annotated[PlacesQuery, Query()], store=Depends(db)):
    return JSONResponse(S.places(store, q, q.top), media_type="application/geo+json")


# -- quotes, actors, articles, stories -----------------------------------------------------------
class QuotesQuery(Params):   # quotes have their own filters
    speaker: str | None = Field(None, max_length=200, description="Speaker name (part of it) or actor code.")
    contains: str | None = Field(None, max_length=200, description="Words that must all occur in the quote.")
    mentioned: str | None = Field(None, max_length=200, description="An actor named inside the quote: code or name.")
    since: date | None = None
    until: date | None = None
    limit: int = Field(50, ge=1, le=100_000)
    offset: int = Field(0, ge=0, le=1_000_000)
    format: Format = "json"


@router.get("/quotes", tags=["quotes"], summary="Quotes: speaker, actor mentioned, words, date")
def quotes(request: Request, q: Annotated[QuotesQuery, Query()], store=Depends(db)):
    check_limit(request, q.limit)
    res = S.quotes(store, q.speaker, q.contains, q.since, q.until, q.mentioned, q.limit, q.offset)
    return table_response(res["items"], q.format, res, "quotes")


@router.get("/actors/{code}", tags=["actors"], summary="Actor profile: codes and roles over time, partners, quotes")
def actor(code: Annotated[str, Path(pattern=r"^[A-Za-z][A-Za-z0-9]{2,15}$")],
          name: Annotated[str | None, Query(max_length=200, description="A person's name, for their tenures")] = None,
          store=Depends(db)):
    return S.actor_profile(store, code, name)


class ArticlesQuery(Params):
    q: str = Field(..., min_length=1, max_length=500, description='Words; "quoted phrases" must occur verbatim.')
    any: bool = Field(False, description="Articles with any of the words (default: all).")
    limit: int = Field(20, ge=1, le=1000)
    format: Format = "json"


@router.get("/articles", tags=["articles"], summary="Full-text search over articles (BM25)")
def articles(q: Annotated[ArticlesQuery, Query()], store=Depends(db)):
    from ..errors import StoreError

    try:
        res = S.search_articles(store, q.q, q.limit, q.any)
    except StoreError as e:
        raise BadParam("q", e.what, "at least one word of two or more letters that is not a stop word") from None
    return table_response(res["items"], q.format, res, "articles")


@router.get("/articles/{article_key}", tags=["articles"], summary="One article: text, metadata, its events")
def article(article_key: Annotated[str, Path(max_length=100)], store=Depends(db)):
    a = S.article(store, article_key)
    return a if a is not None else not_found(f"no article {article_key!r} in this store",
                                             "take keys from /api/v1/articles or an event's mentions")


class StoriesQuery(Params):
    since: date | None = None
    until: date | None = None
    actor: str | None = Field(None, max_length=20, description="An actor code among the story's top actors.")
    q: str | None = Field(None, max_length=200, description="Words in the title.")
    limit: int = Field(50, ge=1, le=100_000)
    offset: int = Field(0, ge=0, le=1_000_000)
    format: Format = "json"


@router.get("/stories", tags=["stories"], summary="Stories: articles about the same happening")
def stories(request: Request, q: Annotated[StoriesQuery, Query()], store=Depends(db)):
    check_limit(request, q.limit)
    res = S.stories(store, q.since, q.until, q.actor, q.q, q.limit, q.offset)
    return table_response(res["items"], q.format, res, "stories")


class SyncQuery(Params):
    since_seq: int = Field(0, ge=0, description="Store sequence number of the last change the client has.")
    limit: int = Field(1000, ge=1, le=100_000)


@router.get("/sync", tags=["sync"], summary="Events and stories changed since a store sequence number")
def sync(request: Request, q: Annotated[SyncQuery, Query()], store=Depends(db)):
    """Poll with the `next_since_seq` of the previous answer; `more: true` means ask again at once.
    A sequence number is never split across answers."""
    check_limit(request, q.limit)
    return S.sync(store, q.since_seq, q.limit)


# -- exports -----------------------------------------------------------------------------------
class ExportQuery(EventFilters):
    header: bool = Field(False, description="gdelt: GDELT's column names as a first line.")
    limit: int | None = Field(None, ge=1, description="At most N events.")


EXPORT_TYPES = {"gdelt": ("text/tab-separated-values; charset=utf-8", "events.gdelt.tsv"),
                "plover": ("application/x-ndjson; charset=utf-8", "events.plover.jsonl"),
                "csv": ("text/csv; charset=utf-8", "events.csv"),
                "parquet": ("application/vnd.apache.parquet", "events.parquet")}


@router.get("/export/{fmt}", tags=["exports"], summary="Stream the filtered events: gdelt, plover, csv, parquet")
def export(request: Request, fmt: Literal["gdelt", "plover", "csv", "parquet"], q: Annotated[ExportQuery, Query()],
           store=Depends(db)):
    from .exporting import stream_export

    media, name = EXPORT_TYPES[fmt]
    body = stream_export(store, fmt, q, request.app.state.settings.export_timeout)
    return StreamingResponse(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


# -- health --------------------------------------------------------------------------------------
@router.get("/health", tags=["health"], summary="Status, versions, store size, last ingest")
def health(store=Depends(db)):
    return S.health(store)
