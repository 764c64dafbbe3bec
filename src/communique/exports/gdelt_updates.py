"""GDELT 2.0 mentions table, and update files per interval (as GDELT publishes every 15 minutes).

``export_gdelt_mentions`` writes the 16 columns of the GDELT 2.0 Mentions table, one row per coded
mention of a de-duplicated event. ``write_update`` writes what one interval added, the way GDELT's
update feed does, so that tools which follow GDELT can follow a communique store:

- ``YYYYMMDDHHMMSS.export.CSV.zip``: the events first added in the interval (61 event columns,
  ``exports.gdelt``);
- ``YYYYMMDDHHMMSS.mentions.CSV.zip``: the mentions added in the interval, of new and older events;
- ``lastupdate.txt``: one line per file, ``size md5 name``, like GDELT's ``lastupdate.txt``;
  ``updates.txt`` keeps every line ever written (GDELT's master file list).

Differences from GDELT's mentions (besides those of the event table, see ``exports.gdelt``):
``MentionType`` is 1 (web) for articles with a URL and 3 (other text archive) otherwise;
``MentionSourceName`` is the outlet's registrable domain (``source_domain``), else the source
given with the article; ``SentenceID`` ranks the sentence among the article's sentences that hold a
coded event (we do not number every sentence); ``Confidence`` is the mention's confidence in
percent; ``MentionDocTranslationInfo`` and ``Extras`` are empty.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from datetime import datetime
from pathlib import Path

from ..store.queries import EventFilter, events_where
from .gdelt import _clean, fips_table, select_sql

MENTIONS_COLUMNS = ["GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
                    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
                    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo",
                    "Extras"]


def mentions_sql(where: str = "TRUE", source_name: str = "a.source_domain") -> str:
    """The SELECT that yields GDELT's 16 mention columns from ``event_mentions``, ``events``, ``articles``."""
    cols = [
        "('0x' || substr(m.event_id, 4, 15))::BIGINT AS GLOBALEVENTID",
        "CAST(strftime(e.first_added, '%Y%m%d%H%M%S') AS BIGINT) AS EventTimeDate",
        "CAST(strftime(m.ingested_at, '%Y%m%d%H%M%S') AS BIGINT) AS MentionTimeDate",
        "CASE WHEN a.url IS NOT NULL THEN 1 ELSE 3 END AS MentionType",
        f"{_clean(f'coalesce({source_name}, a.source)')} AS MentionSourceName",
        f"{_clean('coalesce(a.url, a.source || chr(32) || a.article_id, a.article_id)')} AS MentionIdentifier",
        "dense_rank() OVER (PARTITION BY m.article_key ORDER BY m.sentence_start) AS SentenceID",
        "coalesce(m.source_start, -1) AS Actor1CharOffset",
        "coalesce(m.target_start, -1) AS Actor2CharOffset",
        "coalesce(m.trigger_start, -1) AS ActionCharOffset",
        "1 AS InRawText",
        "CAST(round(coalesce(m.confidence, 0) * 100) AS INTEGER) AS Confidence",
        "a.n_chars AS MentionDocLen",
        "round(a.tone, 4) AS MentionDocTone",
        "'' AS MentionDocTranslationInfo",
        "'' AS Extras",
    ]
    return f"""
        SELECT {', '.join(cols)}
        FROM event_mentions m
        JOIN events e ON e.event_id = m.event_id
        JOIN articles a ON a.article_key = m.article_key
        WHERE m.event_id IS NOT NULL AND ({where})
        ORDER BY MentionTimeDate, GLOBALEVENTID, m.mention_id"""


def _copy(con, sql: str, params: list, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    con.execute(f"COPY ({sql}) TO '{str(tmp).replace(chr(39), chr(39) * 2)}' "
                "(FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '')", params).fetchall()
    tmp.replace(path)
    return int(con.execute(f"SELECT count(*) FROM ({sql})", params).fetchall()[0][0])


def _source_name(store) -> str:
    from ..store.web import outlet_expressions

    domain, _ = outlet_expressions(store)
    return domain if domain.startswith("communique_") else f"a.{domain}"


def export_gdelt_mentions(store, path: str | Path, filt: EventFilter | None = None) -> int:
    """Write the mentions of the store's events (those matching ``filt``) as GDELT 2.0 mentions TSV."""
    where, params = events_where(filt) if filt else ("TRUE", [])
    where = where.replace("event_id IN", "m.event_id IN")
    sql = mentions_sql(where, _source_name(store))
    if filt and filt.limit:
        sql += f" LIMIT {int(filt.limit)}"
    return _copy(store.con, sql, params, Path(path))


def _zip(src: Path, dest: Path) -> None:
    tmp = dest.with_name(dest.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(src, arcname=src.name)
    os.replace(tmp, dest)
    src.unlink()


def write_update(store, since: datetime | None, until: datetime, outdir: str | Path) -> dict:
    """The GDELT-style update files of the interval ``(since, until]`` (UTC ingest times)."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    stamp = until.strftime("%Y%m%d%H%M%S")
    con = store.con
    con.register("_gdelt_fips", fips_table())
    lo = since.isoformat() if since else "1970-01-01T00:00:00+00:00"
    hi = until.isoformat()
    ev_csv = out / f"{stamp}.export.CSV"
    n_events = _copy(con, select_sql("e.first_added > CAST(? AS TIMESTAMPTZ) AND e.first_added <= CAST(? AS TIMESTAMPTZ)"),
                     [lo, hi], ev_csv)
    mn_csv = out / f"{stamp}.mentions.CSV"
    n_mentions = _copy(con, mentions_sql("m.ingested_at > CAST(? AS TIMESTAMPTZ) AND m.ingested_at <= CAST(? AS TIMESTAMPTZ)",
                                         _source_name(store)), [lo, hi], mn_csv)
    lines = []
    for csv in (ev_csv, mn_csv):
        z = csv.with_name(csv.name + ".zip")
        _zip(csv, z)
        lines.append(f"{z.stat().st_size} {hashlib.md5(z.read_bytes()).hexdigest()} {z.name}")
    tmp = out / ".lastupdate.txt.tmp"
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, out / "lastupdate.txt")
    with open(out / "updates.txt", "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return {"stamp": stamp, "events": n_events, "mentions": n_mentions,
            "files": [str(out / ln.split()[-1]) for ln in lines]}
