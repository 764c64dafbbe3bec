"""What the API and the pages ask of the store: each function runs bound-parameter SQL on a
``ReadOnlyStore`` and returns plain data (dicts and lists, JSON-ready).

Tables of the store contract that a store may not have yet (``stories``, ``story_articles``,
``copies``, ``changes``; ``events.story_id`` ...) are looked up first: when absent, the
answer is empty and carries a note that says why.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from datetime import date, timedelta

import numpy as np

from ..store import queries as Q
from .db import EventIndex, ReadOnlyStore
from .filters import (
    Conditions,
    EventFilters,
    _codes,
    _side,
    country_clauses,
    decode_cursor,
    encode_cursor,
    event_conditions,
    order_and_after,
)

EVENT_LIST_COLUMNS = ["event_id", "date", "date_precision", "source_name", "source_code", "source_country",
                      "cameo", "cameo_root", "plover_event", "plover_mode", "target_name", "target_code",
                      "target_country", "quad_class", "goldstein", "place_name", "place_country", "place_lat",
                      "place_lon", "num_mentions", "num_articles", "num_sources", "first_seen", "last_seen",
                      "confidence", "avg_tone", "source_url", "trigger_text", "evidence"]
CONTRACT_EVENT_COLUMNS = ["story_id", "why", "merge_confidence", "updated_seq"]
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
NO_STORIES = ("this store has no stories yet: they are written by de-duplication into stories "
              "(store contract, issue 11); ingest again with a communique that builds them")
NO_CHANGES = ("this store keeps no change log yet (the `changes` table of the store contract): "
              "nothing to sync beyond a full export")


def event_columns(db: ReadOnlyStore) -> list[str]:
    return EVENT_LIST_COLUMNS + [c for c in CONTRACT_EVENT_COLUMNS if db.has("events", c)]


def _in(n: int) -> str:
    return ", ".join("?" * n)


# -- events ----------------------------------------------------------------------------------
def events_page(db: ReadOnlyStore, f: EventFilters, sort: str = "-date", limit: int = 50,
                cursor: str | None = None, count: bool = False) -> dict:
    c = event_conditions(f, db)
    cols = event_columns(db)
    out = {"items": [], "next_cursor": None, "sort": sort, "limit": limit, "notes": c.notes}
    if count:
        out["total"] = 0
    if c.empty:
        return out
    order, after, after_params = order_and_after(sort, cursor)
    where = c.sql() + (f" AND ({after})" if after else "")
    sql = f"SELECT {', '.join(cols)} FROM {{from}} WHERE {{where}} ORDER BY {order} LIMIT ?"
    cat = db.snapshot()   # the index and every query below see the same files
    ix = db.event_index(cat)
    if ix is not None:
        cells = _cells(ix, f)
        if not cells.any():   # no month file holds an event with these countries and dates
            return out
        rows = _by_index(db, cat, ix, cells, sql, where, c.params + after_params, limit + 1, sort, cursor)
        total_sql, total_params = _in_months(ix, ix.month_counts(cells) > 0,
                                             "SELECT count(*) FROM {from} WHERE {where}", c.sql(), c.params)
    else:
        sql = sql.replace("{from}", "events")
        rows = None
        if sort in ("-date", "date"):
            rows = _by_date_windows(db, sql, where, c.params + after_params, limit + 1, sort == "-date", cursor,
                                    f.since, f.until, cat)
        if rows is None:
            rows = db.records(sql.replace("{where}", where), c.params + after_params + [limit + 1], catalog=cat)
        total_sql, total_params = f"SELECT count(*) FROM events WHERE {c.sql()}", c.params
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        out["next_cursor"] = encode_cursor(sort, last[sort.lstrip("-")], last["event_id"])
    out["items"] = rows
    if count:
        out["total"] = db.scalar(total_sql, total_params, catalog=cat)
    return out


_EPOCH = date(1970, 1, 1)


def _days(d: date) -> float:
    return float((d - _EPOCH).days)


def _cells(ix: EventIndex, f: EventFilters) -> np.ndarray:
    """The index cells (month file, source country, target country) that can hold events matching ``f``."""
    keep = np.ones(len(ix), dtype=bool)
    for clause in country_clauses(f):
        any_ = np.zeros(len(ix), dtype=bool)
        for srcs, tgts in clause:
            m = np.ones(len(ix), dtype=bool)
            if srcs is not None:
                m &= ix.countries(srcs)[ix.src]
            if tgts is not None:
                m &= ix.countries(tgts)[ix.tgt]
            any_ |= m
        keep &= any_
    # an undated event fails since and until: cells without dates (NaN) drop out of both comparisons
    if f.since:
        keep &= ix.hi >= _days(f.since)
    if f.until:
        keep &= ix.lo <= _days(f.until)
    return keep


def _months_sql(ix: EventIndex, used: np.ndarray) -> tuple[str, list]:
    """`` AND <the month files used>`` in a form DuckDB resolves from the file paths before it opens any
    file (``year = ? AND month IN (...)``; a year with every month as ``year IN (...)``)."""
    by_year: dict[int, list[int]] = {}
    whole_years: dict[int, bool] = {}
    for (y, m), u in zip(ix.month_keys, used.tolist(), strict=True):
        whole_years[y] = whole_years.get(y, True) and u
        if u:
            by_year.setdefault(y, []).append(m)
    parts, params = [], []
    whole = [y for y in by_year if whole_years[y] and y != -1]
    if whole:
        parts.append(f"year IN ({_in(len(whole))})")
        params += whole
    for y, ms in by_year.items():
        if y == -1:
            parts.append("year IS NULL")
        elif y not in whole:
            parts.append(f"(year = ? AND month IN ({_in(len(ms))}))")
            params += [y, *ms]
    return " AND (" + " OR ".join(parts) + ")", params


def _in_months(ix: EventIndex, used: np.ndarray, sql: str, where: str, params: list) -> tuple[str, list]:
    """``sql`` (with ``{from}`` and ``{where}``) over the month files ``used`` (a mask over the index's
    months) only: their files read directly when the index allows it, else the events view with the
    month condition."""
    if used.all():
        return sql.replace("{from}", "events").replace("{where}", where), params
    if ix.select is not None:
        # newest month first, as the view lists them (a newest-first page reads the first files first)
        files = [p for i in np.flatnonzero(used)[::-1].tolist() for p in ix.files[i]]
        return sql.replace("{from}", f"({ix.select}) AS events").replace("{where}", where), [files] + params
    months_sql, months_params = _months_sql(ix, used)
    return sql.replace("{from}", "events").replace("{where}", where + months_sql), params + months_params


def _by_index(db: ReadOnlyStore, cat, ix: EventIndex, cells: np.ndarray, sql: str, where: str, params: list,
              n: int, sort: str, cursor: str | None) -> list[dict]:
    """The first ``n`` rows of the page, reading only month files that can hold them.

    Every query here is the page's own query over the month files of cells that can hold its rows,
    and, for date order, a date bound: rows past the bound sort after every row before it, so once
    the bounded query has ``n`` rows they are the first ``n`` of the whole answer. The window is the
    newest (oldest) months whose cells hold, by the counts, ``n`` rows (fewer when other filters drop
    some): it grows from what the rows seen say until it does."""
    if sort in ("-date", "date") and not (cursor and decode_cursor(cursor, sort)[0] is None):
        newest = sort == "-date"
        if cursor:
            key = _days(date.fromisoformat(decode_cursor(cursor, sort)[0]))
            # cells wholly on the far side of the cursor hold no later row (undated cells stay: NULLS LAST)
            cells = cells & ~((ix.lo > key) if newest else (ix.hi < key))
        per_month = ix.month_counts(cells & ix.dated)
        first, last = ix.month_first(cells), ix.month_last(cells)
        order = np.flatnonzero(per_month)   # months oldest first
        if newest:
            order = order[::-1]
        cum = np.cumsum(per_month[order])
        target = n
        while True:
            k = int(np.searchsorted(cum, target))
            if k >= len(order) - 1:
                break   # the window would hold every month: the plain (month-limited) query
            bound = float(first[order[:k + 1]].min()) if newest else float(last[order[:k + 1]].max())
            # every month with a row on the near side of the bound (the others' rows all sort later)
            inside = (last >= bound) if newest else (first <= bound)
            cond = "date >= CAST(? AS DATE)" if newest else "date <= CAST(? AS DATE)"
            day = (_EPOCH + timedelta(days=int(bound))).isoformat()
            q, ps = _in_months(ix, inside, sql, f"{where} AND {cond}", params + [day])
            rows = db.records(q, ps + [n], catalog=cat)
            if len(rows) >= n:
                return rows
            if not rows:
                break   # the other filters keep nothing here: no estimate to grow from
            # grow to where the share of the counted events that matched says n rows are
            target = int(cum[k] * n / len(rows) * 1.5) + 1
    q, ps = _in_months(ix, ix.month_counts(cells) > 0, sql, where, params)
    return db.records(q, ps + [n], catalog=cat)


def _by_date_windows(db: ReadOnlyStore, sql: str, where: str, params: list, n: int, newest: bool,
                     cursor: str | None, since: date | None, until: date | None, cat=None) -> list[dict] | None:
    """The first ``n`` rows in date order, looking at a growing window of dates first.

    Events are stored one file per month, so a date window lets DuckDB skip every other file:
    the newest page of a million events reads one month, not ten years. The window grows
    fourfold until it holds ``n`` rows; ``None`` once it would cover the whole range of the
    filters (the caller then runs the plain query, which also reaches undated events)."""
    lo, hi = db.date_range()
    if lo is None:
        return None
    lo_d, hi_d = date.fromisoformat(lo), date.fromisoformat(hi)
    if since:
        lo_d = max(lo_d, since)
    if until:
        hi_d = min(hi_d, until)
    edge = hi_d if newest else lo_d
    if cursor:
        key, _ = decode_cursor(cursor, "-date" if newest else "date")
        if key is None:
            return None
        edge = date.fromisoformat(key)
    whole = max(1, (hi_d - lo_d).days)
    span = 31
    while True:
        if span * 2 >= whole:   # most of the range: one plain query costs less than more windows
            return None
        bound = edge - timedelta(days=span) if newest else edge + timedelta(days=span)
        cond = "date >= CAST(? AS DATE)" if newest else "date <= CAST(? AS DATE)"
        rows = db.records(sql.replace("{where}", f"{where} AND {cond}"), params + [bound.isoformat(), n],
                          catalog=cat)
        if len(rows) >= n:
            return rows
        # grow to where the rows seen so far say n rows should be; a filter too sparse for that
        # (nothing in the window, or n rows only over most of the range) gets the plain query
        if not rows:
            return None
        span = int(span * 1.5 * n / len(rows)) + 1


def _spans_in(sentence_start: int, sentence_end: int, spans: list[dict]) -> list[dict]:
    """Spans (absolute offsets) that lie inside the sentence, with offsets relative to it."""
    out = []
    for s in spans:
        if s.get("start") is None or s.get("end") is None:
            continue
        if sentence_start <= s["start"] and s["end"] <= sentence_end and s["end"] > s["start"]:
            out.append({**s, "rel_start": s["start"] - sentence_start, "rel_end": s["end"] - sentence_start})
    return sorted(out, key=lambda s: (s["rel_start"], -s["rel_end"]))


MENTION_TYPE_COLUMNS = ("acled_type", "acled_sub_event_type", "plover_modes", "plover_contexts")


def _event_types(mentions: list[dict]) -> dict:
    """The ACLED types and PLOVER modes/contexts of an event's reports, most frequent first: reports of
    one event may be typed differently (one says "clashes", another "shelling"), and each reading
    is shown with its number of reports rather than one hidden behind another."""
    acled: Counter = Counter()
    modes: Counter = Counter()
    contexts: Counter = Counter()
    for m in mentions:
        if m.get("acled_type"):
            sub = m.get("acled_sub_event_type")
            acled[f"{m['acled_type']} / {sub}" if sub else m["acled_type"]] += 1
        modes.update(x for x in (m.get("plover_modes") or "").split(";") if x)
        contexts.update(x for x in (m.get("plover_contexts") or "").split(";") if x)

    def ranked(c: Counter) -> list[dict]:
        return [{"value": v, "reports": n} for v, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]

    return {"acled": ranked(acled), "plover_modes": ranked(modes), "plover_contexts": ranked(contexts)}


def event_detail(db: ReadOnlyStore, event_id: str) -> dict | None:
    """One event with every report: the sentence, and the spans of source, target, trigger, place, time."""
    rows = db.records("SELECT * EXCLUDE (year, month) FROM events WHERE event_id = ?", [event_id])
    if not rows:
        return None
    ev = rows[0]
    # issue 17 columns: absent from stores written before them
    extra = "".join(f", m.{c}" for c in MENTION_TYPE_COLUMNS if db.has("event_mentions", c))
    ms = db.records(f"""
        SELECT m.mention_id, m.article_key, m.event, m.article_date, m.article_source, m.article_url,
               m.sentence_start, m.sentence_end, m.sentence_text, m.in_lead,
               m.trigger_start, m.trigger_end, m.trigger_text,
               m.source_start, m.source_end, m.source_text, m.source_name, m.source_code,
               m.target_start, m.target_end, m.target_text, m.target_name, m.target_code,
               m.cameo, m.plover_event, m.goldstein, m.date_text, m.date_from, m.place, m.place_name,
               m.modality, m.negated, m.confidence, a.title, a.article_id{extra}
        FROM event_mentions m LEFT JOIN articles a USING (article_key)
        WHERE m.event_id = ? ORDER BY m.article_date NULLS LAST, m.mention_id""", [event_id])
    ev.update(_event_types(ms))
    keys = sorted({m["article_key"] for m in ms})
    places: dict[str, list[dict]] = {}
    times: dict[str, list[dict]] = {}
    if keys:
        for p in db.records(f"SELECT article_key, place, name, span_start, span_end, span_text FROM places "
                            f"WHERE article_key IN ({_in(len(keys))})", keys):
            places.setdefault(p["article_key"], []).append(p)
        for t in db.records(f"SELECT article_key, span_start, span_end, span_text, value FROM times "
                            f"WHERE article_key IN ({_in(len(keys))})", keys):
            times.setdefault(t["article_key"], []).append(t)
    for m in ms:
        s0, s1 = m["sentence_start"], m["sentence_end"]
        spans = []
        for role in ("source", "target", "trigger"):
            if m.get(f"{role}_start") is not None:
                spans.append({"role": role, "start": m[f"{role}_start"], "end": m[f"{role}_end"],
                              "text": m[f"{role}_text"]})
        if m.get("place_name"):
            # the place mention itself, else another mention of the same place inside the sentence
            cands = [p for p in places.get(m["article_key"], []) if p["place"] == m["place"]] + \
                    [p for p in places.get(m["article_key"], []) if p["name"] == m["place_name"]]
            inside = [p for p in cands if p["span_start"] is not None and s0 <= p["span_start"] < s1]
            if inside:
                p = inside[0]
                spans.append({"role": "place", "start": p["span_start"], "end": p["span_end"],
                              "text": p["span_text"]})
        if m.get("date_text"):   # a time expression of the sentence that gives the event's date
            hits = [t for t in times.get(m["article_key"], []) if t["value"] and
                    (t["value"].startswith(m["date_text"]) or m["date_text"].startswith(t["value"]))
                    and t["span_start"] is not None and s0 <= t["span_start"] < s1]
            if hits:
                t = hits[0]
                spans.append({"role": "time", "start": t["span_start"], "end": t["span_end"],
                              "text": t["span_text"]})
        m["spans"] = _spans_in(s0, s1, spans)
    ev["mentions"] = ms
    ev["copies"] = []
    if db.has("copies") and keys:
        ev["copies"] = db.records(f"SELECT article_key, copy_of, similarity, method, source, url, article_date "
                                  f"FROM copies WHERE copy_of IN ({_in(len(keys))}) ORDER BY article_date, "
                                  f"article_key", keys)
    ev["story"] = None
    if ev.get("story_id") and db.has("stories"):
        st = db.records("SELECT story_id, title, num_articles, why FROM stories WHERE story_id = ?",
                        [ev["story_id"]])
        ev["story"] = st[0] if st else None
    return ev


# -- aggregates ------------------------------------------------------------------------------
def timeline(db: ReadOnlyStore, f: EventFilters, freq: str = "month", split: str = "none") -> dict:
    c = event_conditions(f, db)
    group = {"none": "", "quad": ", CAST(quad_class AS INTEGER) AS quad_class", "root": ", cameo_root"}[split]
    rows = [] if c.empty else db.records(f"""
        SELECT CAST(date_trunc(?, date) AS DATE) AS period{group}, count(*) AS events,
               round(avg(goldstein), 3) AS mean_goldstein, round(avg(avg_tone), 3) AS mean_tone,
               CAST(sum(num_articles) AS BIGINT) AS articles
        FROM events WHERE date IS NOT NULL AND {c.sql()}
        GROUP BY ALL ORDER BY ALL""", [freq] + c.params, cache=True)
    return {"freq": freq, "split": split, "items": rows, "notes": c.notes}


def dyad(db: ReadOnlyStore, f: EventFilters, freq: str = "month") -> dict:
    """Events between side a and side b per period and direction, counts per quad class."""
    a, b = _codes(f.a), _codes(f.b)
    c = event_conditions(f, db)
    sa, pa_ = _side("source", a)
    label_ab, label_ba = f"{','.join(a)} → {','.join(b)}", f"{','.join(b)} → {','.join(a)}"
    rows = [] if c.empty else db.records(f"""
        SELECT CAST(date_trunc(?, date) AS DATE) AS period,
               CASE WHEN {sa} THEN ? ELSE ? END AS direction,
               {Q.DYAD_COUNTS}
        FROM events WHERE date IS NOT NULL AND {c.sql()}
        GROUP BY ALL ORDER BY period, direction""", [freq] + pa_ + [label_ab, label_ba] + c.params, cache=True)
    return {"a": a, "b": b, "freq": freq, "items": rows, "notes": c.notes}


def top_actors(db: ReadOnlyStore, f: EventFilters, top: int = 20, by: str = "code") -> dict:
    """The actors (codes) or countries in most events, as either side."""
    c = event_conditions(f, db)
    col = "code" if by == "code" else "country"
    rows = [] if c.empty else db.records(f"""
        WITH e AS (SELECT * FROM events WHERE {c.sql()}),
        s AS (SELECT source_{col} AS key, source_name AS name, goldstein, 'source' AS side FROM e
              UNION ALL SELECT target_{col}, target_name, goldstein, 'target' FROM e)
        SELECT key AS {col}, mode(name) AS name, count(*) AS events,
               count(*) FILTER (WHERE side = 'source') AS as_source,
               count(*) FILTER (WHERE side = 'target') AS as_target,
               round(avg(goldstein), 3) AS mean_goldstein
        FROM s WHERE key IS NOT NULL AND key <> ''
        GROUP BY key ORDER BY events DESC, key LIMIT ?""", c.params + [top], cache=True)
    return {"by": by, "items": rows, "notes": c.notes}


def top_dyads(db: ReadOnlyStore, f: EventFilters, top: int = 10) -> dict:
    c = event_conditions(f, db)
    rows = [] if c.empty else db.records(f"""
        SELECT source_country AS source, target_country AS target, count(*) AS events,
               round(avg(goldstein), 2) AS mean_goldstein, CAST(sum(num_articles) AS BIGINT) AS articles
        FROM events WHERE source_country IS NOT NULL AND target_country IS NOT NULL
             AND source_country <> target_country AND {c.sql()}
        GROUP BY ALL ORDER BY events DESC, source, target LIMIT ?""", c.params + [top], cache=True)
    return {"items": rows, "notes": c.notes}


def _trunc(d: date, window: str) -> date:
    if window == "day":
        return d
    if window == "week":
        return d - timedelta(days=d.weekday())
    return d.replace(day=1)


def _shift(d: date, window: str, n: int) -> date:
    """``d`` (a window start) moved by ``n`` windows."""
    if window == "day":
        return d + timedelta(days=n)
    if window == "week":
        return d + timedelta(weeks=n)
    m = d.year * 12 + d.month - 1 + n
    return date(m // 12, m % 12 + 1, 1)


def band(change_pct: float | None, baseline: float, last: int) -> str:
    """ACLED-style bands: more than 25% is a large change, 10-25% a moderate one."""
    if baseline == 0:
        return "new" if last > 0 else "no events"
    if change_pct > 25:
        return "large increase"
    if change_pct >= 10:
        return "moderate increase"
    if change_pct < -25:
        return "large decrease"
    if change_pct <= -10:
        return "moderate decrease"
    return "stable"


def changes(db: ReadOnlyStore, f: EventFilters, by: str = "country", window: str = "month", windows: int = 3,
            end: date | None = None, min_events: int = 3, top: int = 50) -> dict:
    """The last window against the mean of the ``windows`` before it, per country, dyad, root or place."""
    c = event_conditions(f, db)
    if end is None:
        if c.empty:
            last_day = None
        elif not c.where:
            last_day = db.date_range()[1]
        else:
            last_day = db.scalar(f"SELECT max(date) FROM events WHERE {c.sql()}", c.params, cache=True)
        end = date.fromisoformat(last_day) if last_day else None
    out = {"by": by, "window": window, "windows": windows, "items": [], "notes": c.notes}
    if end is None:
        return out
    last_start = _trunc(end, window)
    first = _shift(last_start, window, -windows)
    stop = _shift(last_start, window, 1)
    out.update(last_window={"from": last_start.isoformat(), "to": (stop - timedelta(days=1)).isoformat()},
               baseline_windows={"from": first.isoformat(), "to": (last_start - timedelta(days=1)).isoformat()})
    keys = {
        "country": "unnest(list_distinct([source_country, target_country]))",
        "dyad": "CASE WHEN source_country < target_country THEN source_country || '-' || target_country "
                "ELSE target_country || '-' || source_country END",
        "root": "cameo_root",
        "place_country": "place_country",
    }[by]
    extra = " AND source_country IS NOT NULL AND target_country IS NOT NULL AND source_country <> target_country" \
        if by == "dyad" else ""
    rows = db.records(f"""
        WITH e AS (SELECT {keys} AS key, date FROM events
                   WHERE date >= CAST(? AS DATE) AND date < CAST(? AS DATE){extra} AND {c.sql()})
        SELECT key, count(*) FILTER (WHERE date >= CAST(? AS DATE)) AS last,
               count(*) FILTER (WHERE date < CAST(? AS DATE)) AS previous
        FROM e WHERE key IS NOT NULL GROUP BY key""",
        [first.isoformat(), stop.isoformat()] + c.params + [last_start.isoformat(), last_start.isoformat()], cache=True)
    items = []
    for r in rows:
        baseline = r["previous"] / windows
        if max(r["last"], baseline) < min_events:
            continue
        pct = None if baseline == 0 else round((r["last"] - baseline) / baseline * 100, 1)
        items.append({"key": r["key"], "last": r["last"], "baseline": round(baseline, 2), "change_pct": pct,
                      "band": band(pct, baseline, r["last"])})
    items.sort(key=lambda x: (-(abs(x["change_pct"]) if x["change_pct"] is not None else 1e9), -x["last"],
                              x["key"]))
    out["items"] = items[:top]
    return out


def places(db: ReadOnlyStore, f: EventFilters, top: int = 5000) -> dict:
    """Events per place as a GeoJSON FeatureCollection (counts, mean Goldstein, counts per quad class)."""
    c = event_conditions(f, db)
    rows = [] if c.empty else db.records(f"""
        SELECT place_name, place_country, round(place_lat, 4) AS lat, round(place_lon, 4) AS lon,
               count(*) AS events, round(avg(goldstein), 2) AS mean_goldstein,
               count(*) FILTER (WHERE quad_class = 1) AS q1, count(*) FILTER (WHERE quad_class = 2) AS q2,
               count(*) FILTER (WHERE quad_class = 3) AS q3, count(*) FILTER (WHERE quad_class = 4) AS q4,
               min(date) AS first, max(date) AS last
        FROM events WHERE place_lat IS NOT NULL AND place_lon IS NOT NULL AND {c.sql()}
        GROUP BY place_name, place_country, round(place_lat, 4), round(place_lon, 4)
        ORDER BY events DESC, place_name LIMIT ?""", c.params + [top], cache=True)
    feats = []
    for r in rows:
        quads = [r["q1"], r["q2"], r["q3"], r["q4"]]
        props = {"place": r["place_name"], "country": r["place_country"], "events": r["events"],
                 "mean_goldstein": r["mean_goldstein"], "quad_counts": quads,
                 "main_quad": 1 + quads.index(max(quads)), "first": r["first"], "last": r["last"]}
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                      "properties": props})
    return {"type": "FeatureCollection", "features": feats, "notes": c.notes}


# -- quotes, actors, articles, stories ---------------------------------------------------------
def quotes(db: ReadOnlyStore, speaker: str | None, contains: str | None, since: date | None, until: date | None,
           mentioned: str | None, limit: int, offset: int = 0) -> dict:
    """Quotes by speaker, words, date and an actor mentioned inside the quote (code or name)."""
    sql, params = Q.quotes_sql(speaker, contains, since.isoformat() if since else None,
                               until.isoformat() if until else None, limit=None)
    where = ""
    if mentioned:
        where = """WHERE quote_id IN (
            SELECT q.quote_id FROM quotes q JOIN actors ac ON ac.article_key = q.article_key
                   AND ac.span_start >= q.span_start AND ac.span_end <= q.span_end
            WHERE ac.code = upper(?) OR ac.country = upper(?) OR ac.name ILIKE ? ESCAPE '\\')"""
        params = params + [mentioned, mentioned, Q._like(mentioned)]
    rows = db.records(f"""
        SELECT s.*, qq.article_key FROM ({sql}) s JOIN quotes qq USING (quote_id) {where}
        ORDER BY date DESC NULLS LAST, quote_id LIMIT ? OFFSET ?""", params + [limit + 1, offset])
    more = len(rows) > limit
    return {"items": rows[:limit], "limit": limit, "offset": offset,
            "next_offset": offset + limit if more else None}


def _kb_profile(code: str, name: str | None) -> dict:
    """What the knowledge base says: the country, the holders of the code's offices over time, a name's tenures."""
    from ..kb import get_actor_kb
    from ..kb.actors import LEADER_ROLES

    kb = get_actor_kb()
    country = code[:3]
    c = kb.countries.get(country)
    out: dict = {"country": {"iso3": country, "name": c.name, "capital": c.capital} if c else None,
                 "holders": [], "orgs": [], "name": None, "versions": dict(kb.versions)}
    sector = code[3:6]
    holders = []
    for p in kb.people.values():
        for t in p.tenures:
            if t.country != country:
                continue
            if (sector and t.sector == sector) or (not sector and t.role in LEADER_ROLES):
                holders.append({"person": p.name, "role": t.role, "code": t.country + t.sector,
                                "start": t.start or None, "end": t.end or None, "source": t.source,
                                "row": t.origin})
    holders.sort(key=lambda h: (h["end"] is None, h["end"] or "", h["start"] or ""), reverse=True)  # current first
    out["holders"] = holders[:60]
    out["holders_total"] = len(holders)
    for oid, codes in kb.orgs.items():
        for oc in codes:
            if oc.country + oc.sector == code and len(out["orgs"]) < 30:
                out["orgs"].append({"org": oc.name or kb.org_name(oid), "kind": oc.kind, "start": oc.start or None,
                                    "end": oc.end or None, "row": oc.origin})
    if name:
        out["name"] = {"name": name, "entries": kb.explain(name, None)}
    return out


def actor_profile(db: ReadOnlyStore, code: str, name: str | None = None, with_kb: bool = True) -> dict:
    """An actor code (CHNGOV) or a country (CHN): names, roles, events over time, partners, quotes."""
    code = code.upper()
    side = "country" if len(code) == 3 else "code"
    names = db.records(f"""SELECT name, mode(role) AS role, count(*) AS mentions, min(article_date) AS first_seen,
                                  max(article_date) AS last_seen
                           FROM actors WHERE {side} = ? AND name IS NOT NULL
                           GROUP BY name ORDER BY mentions DESC, name LIMIT 15""", [code])
    roles = db.records(f"""SELECT role, code, min(article_date) AS first_seen, max(article_date) AS last_seen,
                                  count(*) AS mentions
                           FROM actors WHERE {side} = ? AND role IS NOT NULL
                           GROUP BY role, code ORDER BY first_seen NULLS LAST, role LIMIT 30""", [code])
    per_month = db.records(f"""
        SELECT CAST(date_trunc('month', date) AS DATE) AS period,
               count(*) FILTER (WHERE source_{side} = ?) AS as_source,
               count(*) FILTER (WHERE target_{side} = ?) AS as_target,
               round(avg(goldstein), 3) AS mean_goldstein
        FROM events WHERE (source_{side} = ? OR target_{side} = ?) AND date IS NOT NULL
        GROUP BY ALL ORDER BY period""", [code] * 4)
    partners = db.records(f"""
        WITH p AS (SELECT coalesce(target_code, target_country) AS partner, target_name AS name, goldstein,
                          'acts on' AS rel FROM events WHERE source_{side} = ?
                   UNION ALL
                   SELECT coalesce(source_code, source_country), source_name, goldstein, 'acted on by'
                   FROM events WHERE target_{side} = ?)
        SELECT partner, mode(name) AS name, count(*) AS events, round(avg(goldstein), 2) AS mean_goldstein,
               count(*) FILTER (WHERE rel = 'acts on') AS acts_on,
               count(*) FILTER (WHERE rel = 'acted on by') AS acted_on_by
        FROM p WHERE partner IS NOT NULL AND partner <> '' AND partner <> ?
        GROUP BY partner ORDER BY events DESC, partner LIMIT 15""", [code, code, code])
    qs = db.records(f"""SELECT q.quote_id, q.article_date AS date, q.speaker_name AS speaker, q.type,
                               q.span_text AS quote, a.title, a.source
                        FROM quotes q LEFT JOIN articles a USING (article_key)
                        WHERE q.speaker_{side} = ? ORDER BY q.article_date DESC NULLS LAST, q.quote_id
                        LIMIT 20""", [code])
    recent = db.records(f"""SELECT {', '.join(EVENT_LIST_COLUMNS)} FROM events
                            WHERE source_{side} = ? OR target_{side} = ?
                            ORDER BY date DESC NULLS LAST, event_id LIMIT 20""", [code, code])
    out = {"code": code, "kind": side, "names": names, "roles": roles, "timeline": per_month,
           "partners": partners, "quotes": qs, "recent_events": recent,
           "events": sum(r["as_source"] + r["as_target"] for r in per_month)}
    out["kb"] = _kb_profile(code, name) if with_kb else None
    return out


def search_articles(db: ReadOnlyStore, q: str, limit: int = 20, any_term: bool = False) -> dict:
    sql, params = Q.search_sql(q, limit, any_term)
    rows = db.records(sql, params)
    words, phrases = Q.fts.parse_query(q)
    for r in rows:
        r["snippet"] = Q.snippet(r.pop("text") or "", [p.lower() for p in phrases] + words)
    return {"q": q, "items": rows}


def article(db: ReadOnlyStore, key: str) -> dict | None:
    cols = [c for c in db.table_columns("articles") if c not in ("year", "month", "shard", "warnings")]
    rows = db.records(f"SELECT {', '.join(cols)} FROM articles WHERE article_key = ?", [key])
    if not rows:
        return None
    a = rows[0]
    a["events"] = db.records("""SELECT event_id, mention_id, trigger_start, trigger_end, trigger_text, cameo,
                                       source_name, target_name, sentence_text
                                FROM event_mentions WHERE article_key = ? ORDER BY trigger_start""", [key])
    a["quotes"] = db.records("""SELECT quote_id, span_start, span_end, speaker_name, type FROM quotes
                                WHERE article_key = ? ORDER BY span_start""", [key])
    return a


def stories(db: ReadOnlyStore, since: date | None, until: date | None, actor: str | None, q: str | None,
            limit: int, offset: int = 0) -> dict:
    # a store written before the story layer has an empty stories view (the store adds it): say why
    if not db.has("stories") or not db.scalar("SELECT count(*) FROM stories"):
        return {"items": [], "notes": [NO_STORIES], "limit": limit, "offset": offset, "next_offset": None}
    c = Conditions()
    if since:
        c.add("last_seen >= CAST(? AS DATE)", since.isoformat())
    if until:
        c.add("first_seen <= CAST(? AS DATE)", until.isoformat())
    if actor:
        c.add("list_contains(actors, upper(?))", actor)
    if q:
        c.add("title ILIKE ? ESCAPE '\\'", Q._like(q))
    rows = db.records(f"SELECT * FROM stories WHERE {c.sql()} ORDER BY last_seen DESC NULLS LAST, story_id "
                      f"LIMIT ? OFFSET ?", c.params + [limit + 1, offset])
    more = len(rows) > limit
    return {"items": rows[:limit], "notes": [], "limit": limit, "offset": offset,
            "next_offset": offset + limit if more else None}


def sync(db: ReadOnlyStore, since_seq: int, limit: int) -> dict:
    """Events and stories created, updated or deleted after ``since_seq``, oldest change first."""
    if not db.has("changes"):
        return {"seq": 0, "since_seq": since_seq, "changes": [], "more": False, "notes": [NO_CHANGES]}
    seq = db.scalar("SELECT max(seq) FROM changes") or 0
    rows = db.records('SELECT seq, kind, id, op, "at" FROM changes WHERE seq > ? ORDER BY seq, kind, id LIMIT ?',
                      [since_seq, limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if more:
        # never split one sequence number across answers: a client resumes from the last full one
        last = rows[-1]["seq"]
        full = [r for r in rows if r["seq"] < last]
        rows = full or db.records('SELECT seq, kind, id, op, "at" FROM changes WHERE seq = ? ORDER BY kind, id',
                                  [last])
    ev_ids = [r["id"] for r in rows if r["kind"] == "event" and r["op"] != "deleted"]
    st_ids = [r["id"] for r in rows if r["kind"] == "story" and r["op"] != "deleted"]
    records: dict[tuple, dict] = {}
    if ev_ids:
        for e in db.records(f"SELECT {', '.join(event_columns(db))} FROM events WHERE event_id IN "
                            f"({_in(len(ev_ids))})", ev_ids):
            records[("event", e["event_id"])] = e
    if st_ids and db.has("stories"):
        for s in db.records(f"SELECT * FROM stories WHERE story_id IN ({_in(len(st_ids))})", st_ids):
            records[("story", s["story_id"])] = s
    for r in rows:
        r["record"] = records.get((r["kind"], r["id"]))
    upto = rows[-1]["seq"] if rows else since_seq
    return {"seq": seq, "since_seq": since_seq, "next_since_seq": upto, "more": more, "changes": rows,
            "notes": []}


# -- health ----------------------------------------------------------------------------------
_SIZE_CACHE: dict[str, tuple[float, int, int]] = {}


def _store_bytes(root) -> tuple[int, int]:
    now = time.monotonic()
    hit = _SIZE_CACHE.get(str(root))
    if hit and now - hit[0] < 30:
        return hit[1], hit[2]
    n = files = 0
    for dirpath, _, names in os.walk(root):
        for fn in names:
            if fn.endswith(".parquet"):
                files += 1
                try:
                    n += os.path.getsize(os.path.join(dirpath, fn))
                except OSError:
                    pass
    _SIZE_CACHE[str(root)] = (now, n, files)
    return n, files


def health(db: ReadOnlyStore) -> dict:
    from .._version import __version__
    from ..store.catalog import current_generation

    counts = {t: db.scalar(f"SELECT count(*) FROM {t}") for t in ("articles", "events", "mentions", "quotes")}
    last = db.records("SELECT max(ingested_at) AS last_ingest, min(date) AS first_article, "
                      "max(date) AS last_article FROM articles")[0]
    coders = db.records("SELECT coder, model, kb_versions, max(ingested_at) AS last_used, count(*) AS articles "
                        "FROM articles GROUP BY coder, model, kb_versions ORDER BY last_used DESC LIMIT 5")
    nbytes, nfiles = _store_bytes(db.root)
    out = {"status": "ok", "version": __version__, "store": db.root.name, "read_only": True,
           **counts, **last, "coder_versions": coders, "store_bytes": nbytes, "store_files": nfiles,
           "dedup_generation": current_generation(db.root),
           "contract_tables": {t: db.has(t) for t in ("stories", "story_articles", "copies", "changes")},
           "event_index": db.event_index_state(),
           "seq": db.scalar("SELECT max(seq) FROM changes") if db.has("changes") else None}
    return out
