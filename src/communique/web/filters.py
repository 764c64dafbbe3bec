"""Request parameters of the API and pages: validated models and the SQL conditions they become.

Parameter names are those of the CLI options (``--min-articles`` is ``min_articles``). The
filters of ``communique query events`` go through ``store.queries.events_where`` unchanged;
the web adds dyads with several actors per side, PLOVER type and mode, quad class, Goldstein
range, bounding box, place, outlet, minimum confidence and story. Every value reaches SQL as
a bound parameter: the SQL text is built only from constants and from the number of values.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..store.queries import EventFilter, events_where

CODE = re.compile(r"^[A-Z][A-Z0-9]{2,15}$")   # CHN, CHNGOV, IGOUNO
MAX_LIST = 20

# What each parameter accepts, for the 422 answers (the pydantic message says what was wrong).
ACCEPTED: dict[str, object] = {
    "country": "an ISO 3166 alpha-3 code such as CHN",
    "source": "countries or actor codes, comma-separated: CHN or CHNGOV,RUSGOV",
    "target": "countries or actor codes, comma-separated: BLR or UKR,BLR",
    "a": "countries or actor codes for one side of the dyad, comma-separated: CHN,RUS",
    "b": "countries or actor codes for the other side, comma-separated: BLR",
    "sector": "a sector code such as GOV, MIL, OPP, MED",
    "code": "a CAMEO code or prefix of 2-4 digits: 04, 042, 0421",
    "root": "a CAMEO root code 01-20",
    "since": "a date YYYY-MM-DD", "until": "a date YYYY-MM-DD", "end": "a date YYYY-MM-DD",
    "min_articles": "an integer >= 1",
    "quad": "quad classes 1-4, comma-separated (1 verbal cooperation, 2 material cooperation, "
            "3 verbal conflict, 4 material conflict)",
    "goldstein_min": "a number from -10 to 10", "goldstein_max": "a number from -10 to 10",
    "bbox": "min_lon,min_lat,max_lon,max_lat in degrees (lon -180..180, lat -90..90)",
    "min_confidence": "a number from 0 to 1",
    "limit": "an integer from 1 to the server's page limit",
    "cursor": "the next_cursor of the previous page, with the same sort",
    "since_seq": "a store sequence number (integer >= 0) from a previous /sync answer",
}


def accepted(name: str):
    """What parameter ``name`` accepts (for a 422 answer), or None when the schema says it."""
    if name == "plover":
        return sorted(plover_values()[0])
    if name == "mode":
        return sorted(plover_values()[1])
    if name == "context":
        return sorted(plover_contexts())
    return ACCEPTED.get(name)


@lru_cache(maxsize=1)
def plover_values() -> tuple[frozenset[str], frozenset[str]]:
    """PLOVER event types, and modes: those of the shipped CAMEO codebook (an event's ``plover_mode``)
    and those of the PLOVER manual that the coder adds from the words (a report's ``plover_modes``)."""
    from ..kb import get_codebook
    from ..kb.plover import get_plover_tables

    codes = get_codebook().codes.values()
    manual = {r.name for rules in get_plover_tables().modes.values() for r in rules}
    return (frozenset(c.plover_event for c in codes if c.plover_event),
            frozenset({c.plover_mode for c in codes if c.plover_mode} | manual))


@lru_cache(maxsize=1)
def plover_contexts() -> frozenset[str]:
    """The PLOVER manual's contexts and auxiliary modes (a report's ``plover_contexts``)."""
    from ..kb.plover import AUXILIARY, PLOVER_CONTEXTS

    return frozenset(PLOVER_CONTEXTS + AUXILIARY)


def _codes(value: str | None) -> list[str] | None:
    if value is None or not value.strip():
        return None
    items = [x.strip().upper() for x in value.split(",") if x.strip()]
    if len(items) > MAX_LIST:
        raise ValueError(f"at most {MAX_LIST} values")
    bad = [x for x in items if not CODE.match(x)]
    if bad:
        raise ValueError(f"not a country or actor code: {', '.join(bad)}")
    return items


class Params(BaseModel):
    """Query parameters of one endpoint: an unknown name is an error (a typo must not widen a query)."""

    model_config = ConfigDict(extra="forbid")

    def non_default(self, names: list[str]) -> list[tuple[str, str]]:
        """``(name, value)`` of the parameters among ``names`` that differ from their defaults (for a form's
        hidden fields: a filter that came in the URL stays when the form is sent again)."""
        fields = type(self).model_fields
        out = []
        for n in names:
            v = getattr(self, n, None)
            if n in fields and v not in (None, "", False) and v != fields[n].default:
                out.append((n, "true" if v is True else v.isoformat() if isinstance(v, date) else str(v)))
        return out


class EventFilters(Params):
    """Filters of ``communique query events`` plus the web's own (all optional, all combined with AND)."""

    actor: str | None = Field(None, max_length=200, description="Actor name (part of it) or actor code.")
    country: str | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="Either side's country (ISO alpha-3).")
    sector: str | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="Either side's sector: GOV, MIL, ...")
    code: str | None = Field(None, pattern=r"^\d{2,4}$", description="CAMEO code or prefix (04, 042, 0421).")
    root: str | None = Field(None, pattern=r"^(0?[1-9]|1\d|20)$", description="CAMEO root code (01-20).")
    since: date | None = Field(None, description="From this event date (YYYY-MM-DD).")
    until: date | None = Field(None, description="Up to this event date (YYYY-MM-DD).")
    location: str | None = Field(None, max_length=200, description="Place name (part of it) or its country.")
    text: str | None = Field(None, max_length=200, description="Words that must occur in a reporting sentence.")
    source: str | None = Field(None, description="Acting side: countries or actor codes, comma-separated.")
    target: str | None = Field(None, description="Side acted upon: countries or actor codes, comma-separated.")
    min_articles: int = Field(1, ge=1, le=1_000_000, description="Reported by at least N articles.")
    a: str | None = Field(None, description="Dyad: one side (countries or actor codes, comma-separated).")
    b: str | None = Field(None, description="Dyad: the other side (countries or actor codes, comma-separated).")
    one_way: bool = Field(False, description="Dyad: only a acting on b (default: both directions).")
    plover: str | None = Field(None, description="PLOVER event types, comma-separated (CONSULT, ASSAULT, ...).")
    mode: str | None = Field(None, description="PLOVER modes, comma-separated (visit, host, drone, ...): the "
                                                "codebook's mode of the event or a manual's mode of a report.")
    context: str | None = Field(None, description="PLOVER contexts of a report, comma-separated (military, "
                                                   "economic, human_rights, ...).")
    acled: str | None = Field(None, max_length=100,
                              description="ACLED event type or sub-event type of a report (Protests, "
                                          "Peaceful protest, Air/drone strike, ...), any case.")
    quad: str | None = Field(None, pattern=r"^[1-4](,[1-4]){0,3}$", description="Quad classes 1-4, comma-separated.")
    goldstein_min: float | None = Field(None, ge=-10, le=10, description="Goldstein score at least.")
    goldstein_max: float | None = Field(None, ge=-10, le=10, description="Goldstein score at most.")
    bbox: str | None = Field(None, description="Event place inside min_lon,min_lat,max_lon,max_lat.")
    place: str | None = Field(None, max_length=200, description="Exact place name (any case) or GeoNames id.")
    outlet: str | None = Field(None, max_length=200,
                               description="News source of a report: its name or web domain (belta.by).")
    outlet_country: str | None = Field(None, pattern=r"^[A-Za-z]{3}$",
                                       description="Country (ISO alpha-3) of the outlet of a report (BLR).")
    min_confidence: float | None = Field(None, ge=0, le=1, description="Coder confidence at least.")
    story: str | None = Field(None, max_length=100, description="Story id (st-...) of the event's first report.")

    @field_validator("source", "target", "a", "b")
    @classmethod
    def _check_codes(cls, v):
        _codes(v)
        return v

    @field_validator("plover", "mode", "context")
    @classmethod
    def _check_plover(cls, v, info):
        if v is None:
            return v
        events, modes = plover_values()
        known, what = {"plover": (events, "event type"), "mode": (modes, "mode"),
                       "context": (plover_contexts(), "context")}[info.field_name]
        items = [x.strip() for x in v.split(",") if x.strip()]
        bad = [x for x in items if (x.upper() if info.field_name == "plover" else x.lower()) not in known]
        if bad:
            raise ValueError(f"unknown PLOVER {what} {', '.join(bad)}; accepted: {', '.join(sorted(known))}")
        return v

    @field_validator("acled")
    @classmethod
    def _check_acled(cls, v):
        if v is None or not v.strip():
            return None
        from ..kb.acled import ACLED_TYPES  # plain data

        names = {n.lower() for t, subs in ACLED_TYPES.items() for n in (t, *subs)}
        if v.strip().lower() not in names:
            raise ValueError(f"unknown ACLED type {v!r}; accepted: an event type ({', '.join(ACLED_TYPES)}) "
                             "or one of its sub-event types (Peaceful protest, Air/drone strike, ...)")
        return v.strip()

    @field_validator("bbox")
    @classmethod
    def _check_bbox(cls, v):
        if v is None:
            return v
        try:
            x0, y0, x1, y1 = (float(x) for x in v.split(","))
        except ValueError:
            raise ValueError("four numbers min_lon,min_lat,max_lon,max_lat") from None
        if not (-180 <= x0 <= 180 and -180 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
            raise ValueError("lon in -180..180, lat in -90..90, min_lat <= max_lat")
        return v

    @model_validator(mode="after")
    def _check_pairs(self):
        # "name: message": the 422 handler names the parameter from the prefix
        if self.since and self.until and self.since > self.until:
            raise ValueError("until: is before since")
        if bool(self.a) != bool(self.b):
            raise ValueError(f"{'b' if self.a else 'a'}: a dyad needs both sides, a and b")
        if self.goldstein_min is not None and self.goldstein_max is not None and \
                self.goldstein_min > self.goldstein_max:
            raise ValueError("goldstein_max: is below goldstein_min")
        return self

    def query_string(self, **override) -> str:
        """These filters as a URL query (for links and CSV downloads), with overrides."""
        from urllib.parse import urlencode

        d = {k: v for k, v in self.model_dump().items() if v not in (None, "", False) and
             not (k == "min_articles" and v == 1)}
        d.update({k: v for k, v in override.items()})
        return urlencode({k: (v.isoformat() if isinstance(v, date) else v) for k, v in d.items()
                          if v not in (None, "", False)})


def _any_report_lists(column: str, n: int) -> str:
    """Events with a report whose ``;``-joined ``column`` holds any of ``n`` parameters."""
    has = " OR ".join(f"list_contains(string_split({column}, ';'), ?)" for _ in range(n))
    return f"event_id IN (SELECT event_id FROM event_mentions WHERE {has})"


def _side(prefix: str, items: list[str]) -> tuple[str, list]:
    """``source``/``target`` in a list: three letters are countries, longer strings actor codes."""
    countries = [x for x in items if len(x) == 3]
    codes = [x for x in items if len(x) != 3]
    parts, params = [], []
    if countries:
        parts.append(f"{prefix}_country IN ({', '.join('?' * len(countries))})")
        params += countries
    if codes:
        parts.append(f"{prefix}_code IN ({', '.join('?' * len(codes))})")
        params += codes
    return "(" + " OR ".join(parts) + ")", params


class Conditions:
    """SQL conditions (over the ``events`` view) and their parameters, plus notes for the user."""

    def __init__(self):
        self.where: list[str] = []
        self.params: list = []
        self.notes: list[str] = []
        self.empty = False   # a filter that cannot match on this store (e.g. stories absent)

    def add(self, cond: str, *params) -> None:
        self.where.append(cond)
        self.params.extend(params)

    def sql(self) -> str:
        return " AND ".join(f"({w})" for w in self.where) if self.where else "TRUE"


def event_conditions(f: EventFilters, db) -> Conditions:
    """The WHERE of ``f`` over ``events``; ``db`` (a ReadOnlyStore) says which optional columns exist."""
    c = Conditions()
    base = EventFilter(actor=f.actor, country=f.country, sector=f.sector, code=f.code, root=f.root,
                       since=f.since.isoformat() if f.since else None,
                       until=f.until.isoformat() if f.until else None, location=f.location, text=f.text,
                       min_articles=f.min_articles, limit=None)
    where, params = events_where(base)
    if where != "TRUE":
        c.add(where, *params)
    for side in ("source", "target"):
        items = _codes(getattr(f, side))
        if items:
            cond, ps = _side(side, items)
            c.add(cond, *ps)
    if f.a and f.b:
        a, b = _codes(f.a), _codes(f.b)
        sa, pa_ = _side("source", a)
        tb, pb = _side("target", b)
        if f.one_way:
            c.add(f"{sa} AND {tb}", *pa_, *pb)
        else:
            sb, pb2 = _side("source", b)
            ta, pa2 = _side("target", a)
            c.add(f"({sa} AND {tb}) OR ({sb} AND {ta})", *pa_, *pb, *pb2, *pa2)
    if f.plover:
        items = [x.strip().upper() for x in f.plover.split(",") if x.strip()]
        c.add(f"plover_event IN ({', '.join('?' * len(items))})", *items)
    if f.mode:
        items = [x.strip().lower() for x in f.mode.split(",") if x.strip()]
        cond = f"plover_mode IN ({', '.join('?' * len(items))})"
        if db.has("event_mentions", "plover_modes"):   # issue 17: the manual's modes of each report
            cond += " OR " + _any_report_lists("plover_modes", len(items))
            c.add(cond, *items, *items)
        else:
            c.add(cond, *items)
    if f.context:
        items = [x.strip().lower() for x in f.context.split(",") if x.strip()]
        if db.has("event_mentions", "plover_contexts"):
            c.add(_any_report_lists("plover_contexts", len(items)), *items)
        else:
            c.empty = True
            c.notes.append("this store has no PLOVER contexts yet (its reports were coded before issue 17): "
                           "context matches nothing; ingest again with this version to fill them")
    if f.acled:
        if db.has("event_mentions", "acled_type"):
            c.add("event_id IN (SELECT event_id FROM event_mentions "
                  "WHERE lower(acled_type) = lower(?) OR lower(acled_sub_event_type) = lower(?))", f.acled, f.acled)
        else:
            c.empty = True
            c.notes.append("this store has no ACLED types yet (its reports were coded before issue 17): "
                           "acled matches nothing; ingest again with this version to fill them")
    if f.quad:
        items = sorted({int(x) for x in f.quad.split(",")})
        c.add(f"quad_class IN ({', '.join('?' * len(items))})", *items)
    if f.goldstein_min is not None:
        c.add("goldstein >= ?", f.goldstein_min)
    if f.goldstein_max is not None:
        c.add("goldstein <= ?", f.goldstein_max)
    if f.bbox:
        x0, y0, x1, y1 = (float(x) for x in f.bbox.split(","))
        c.add("place_lat BETWEEN ? AND ?", y0, y1)
        if x0 <= x1:
            c.add("place_lon BETWEEN ? AND ?", x0, x1)
        else:   # the box crosses the antimeridian
            c.add("place_lon >= ? OR place_lon <= ?", x0, x1)
    if f.place:
        if f.place.isdigit():
            c.add("place_geonames_id = ?", int(f.place))
        else:
            c.add("lower(place_name) = lower(?)", f.place)
    if f.outlet:
        sub = "SELECT event_id FROM event_mentions WHERE lower(article_source) = lower(?)"
        params = [f.outlet]
        if db.has("articles", "source_domain"):
            sub += " OR article_key IN (SELECT article_key FROM articles WHERE source_domain = lower(?))"
            params.append(f.outlet)
        c.add(f"event_id IN ({sub})", *params)
    if f.outlet_country:
        if db.has("articles", "source_country"):
            c.add("event_id IN (SELECT m.event_id FROM event_mentions m JOIN articles a USING (article_key) "
                  "WHERE a.source_country = upper(?))", f.outlet_country)
        else:
            c.empty = True
            c.notes.append("this store has no outlet countries yet (articles carry no source_country): "
                           "outlet_country matches nothing; ingest again with this version to fill them")
    if f.min_confidence is not None:
        c.add("confidence >= ?", f.min_confidence)
    if f.story:
        if db.has("events", "story_id"):
            c.add("story_id = ?", f.story)
        else:
            c.empty = True
            c.notes.append("this store has no stories yet (events carry no story_id): story matches nothing")
    return c


def country_clauses(f: EventFilters) -> list[list[tuple[list[str] | None, list[str] | None]]]:
    """What ``f`` requires of an event's source and target countries, for the event index.

    Each clause is a list of alternatives ``(sources, targets)`` (``None``: any country); an event
    matching ``f`` satisfies some alternative of every clause. Only filters that name countries
    alone give a clause: an actor code (CHNGOV) says nothing certain about the country column, so
    a side with codes adds no clause (the index then narrows less, and answers stay the same)."""
    def countries(value: str | None) -> list[str] | None:
        items = _codes(value)
        return items if items and all(len(x) == 3 for x in items) else None

    out: list[list[tuple[list[str] | None, list[str] | None]]] = []
    if f.country:
        x = [f.country.upper()]
        out.append([(x, None), (None, x)])
    for side in ("source", "target"):
        items = countries(getattr(f, side))
        if items:
            out.append([(items, None)] if side == "source" else [(None, items)])
    if f.a and f.b:
        a, b = countries(f.a), countries(f.b)
        if a and b:
            out.append([(a, b)] if f.one_way else [(a, b), (b, a)])
    return out


# -- sorting and cursors ---------------------------------------------------------------------
SORTS = {  # name -> (column, SQL type of the cursor value)
    "date": ("date", "DATE"), "goldstein": ("goldstein", "DOUBLE"), "num_articles": ("num_articles", "BIGINT"),
    "num_mentions": ("num_mentions", "BIGINT"), "num_sources": ("num_sources", "BIGINT"),
    "confidence": ("confidence", "DOUBLE"), "first_seen": ("first_seen", "DATE"),
}
Sort = Literal["date", "-date", "goldstein", "-goldstein", "num_articles", "-num_articles", "num_mentions",
               "-num_mentions", "num_sources", "-num_sources", "confidence", "-confidence", "first_seen",
               "-first_seen"]


class BadCursor(ValueError):
    pass


def encode_cursor(sort: str, key, event_id: str) -> str:
    raw = json.dumps([sort, key, event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple:
    try:
        s, key, event_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        raise BadCursor("not a cursor from this API") from None
    if s != sort or not isinstance(event_id, str) or not (key is None or isinstance(key, (str, int, float))):
        raise BadCursor(f"this cursor belongs to sort={s}, not sort={sort}" if s != sort else "malformed cursor")
    return key, event_id


def order_and_after(sort: str, cursor: str | None) -> tuple[str, str | None, list]:
    """``ORDER BY`` for ``sort`` (newest first for ``-date``), and the keyset condition after ``cursor``."""
    desc = sort.startswith("-")
    col, typ = SORTS[sort.lstrip("-")]
    order = f"{col} {'DESC' if desc else 'ASC'} NULLS LAST, event_id ASC"
    if not cursor:
        return order, None, []
    key, eid = decode_cursor(cursor, sort)
    if key is None:
        return order, f"{col} IS NULL AND event_id > ?", [eid]
    op = "<" if desc else ">"
    return order, (f"{col} {op} CAST(? AS {typ}) OR ({col} = CAST(? AS {typ}) AND event_id > ?) "
                   f"OR {col} IS NULL"), [key, key, eid]
