"""PLOVER JSON Lines: one de-duplicated event per line, field names from the PLOVER manual.

Core fields (manual, "Data Fields" chapter): ``id``, ``date``, ``actor`` and
``recipient`` (lists of entity objects with ``code``, ``sector``, ``entity_text``,
``identifier_id``, ``identifier_text``), ``event``, ``mode`` and ``context`` (lists),
``event_loc`` (``extracted_place``, ``resolved_place``, ``geonameid``, ``lat``, ``lon``,
``country_code``), ``event_text``, ``quad_code``, ``event_scale``, ``cite_info``
(``url``, ``coder``, ``codebook``), ``coder``, ``coded_date``, ``comment``. As the manual
invites, fields beyond those are added under their own names: ``cameo``, ``goldstein``,
``num_mentions``, ``num_articles``, ``num_sources``, ``first_seen``, ``last_seen``,
``date_precision``, ``negated``.

Notes on meaning: ``event_scale`` is the CAMEO Goldstein score of the event's CAMEO
code (PLOVER's own scaled scores are not computed); events coded from CAMEO 01 carry the
non-PLOVER category ``STATEMENT``. ``mode`` and ``context`` are the manual's modes and
contexts of the event's first mention (``event.plover.modes``/``contexts``, issue 17), and
``acled`` its ACLED ``event_type``/``sub_event_type`` (an added field, null when none).
Where a mention has no modes (stores written before issue 17), ``mode`` is the
CAMEO2PLOVER mode and ``context`` empty, as before.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from .._version import __version__
from ..store.queries import EventFilter, events_where

CODEBOOK = "plover-2021.09 (via CAMEO2PLOVER)"
# Columns of the mentions table that the PLOVER record takes from an event's first mention (issue 17).
MENTION_EXTRAS = ("acled_type", "acled_sub_event_type", "plover_modes", "plover_contexts")


def _clean(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _entity(row: dict, side: str) -> list[dict]:
    name = _clean(row.get(f"{side}_name"))
    code = _clean(row.get(f"{side}_country")) or _clean(row.get(f"{side}_code"))
    if not name and not code:
        return []
    key = _clean(row.get(f"{side}_key")) or ""
    ent = {"code": code, "sector": _clean(row.get(f"{side}_sector")), "entity_text": name,
           "identifier_id": key[3:] if key.startswith("kb:") else None, "identifier_text": name,
           "cameo_code": _clean(row.get(f"{side}_code"))}
    return [{k: v for k, v in ent.items() if v not in (None, "")}]


def _names(v) -> list[str]:
    v = _clean(v)
    return [x for x in v.split(";") if x] if v else []


def to_plover(row: dict) -> dict:
    """One row of the ``events`` view (optionally with ``MENTION_EXTRAS``) as a PLOVER record."""
    d = row.get("date")
    loc = None
    if _clean(row.get("place_name")):
        loc = {"extracted_place": row["place_name"], "resolved_place": row["place_name"],
               "geonameid": _clean(row.get("place_geonames_id")), "lat": _clean(row.get("place_lat")),
               "lon": _clean(row.get("place_lon")), "country_code": _clean(row.get("place_country"))}
        if loc["geonameid"] is not None:
            loc["geonameid"] = int(loc["geonameid"])
        loc = {k: v for k, v in loc.items() if v is not None}
    added = row.get("first_added")
    rec = {
        "id": row["event_id"],
        "date": d.isoformat() if d is not None and not (isinstance(d, float) and math.isnan(d)) else None,
        "actor": _entity(row, "source"),
        "recipient": _entity(row, "target"),
        "event": [row["plover_event"]] if _clean(row.get("plover_event")) else [],
        # the manual's modes when the mention has them; else (older stores, records coded elsewhere)
        # the CAMEO2PLOVER mode as before
        "mode": (_names(row.get("plover_modes")) or ([row["plover_mode"]] if _clean(row.get("plover_mode")) else [])),
        "context": _names(row.get("plover_contexts")),
        "event_loc": loc,
        "event_text": [t for t in (_clean(row.get("evidence")),) if t],
        "quad_code": int(row["quad_class"]) if _clean(row.get("quad_class")) is not None else None,
        "event_scale": _clean(row.get("goldstein")),
        "cite_info": {k: v for k, v in {"url": _clean(row.get("source_url")), "coder": f"communique {__version__}",
                                         "codebook": CODEBOOK}.items() if v},
        "coder": f"communique {__version__}",
        "coded_date": added.date().isoformat() if hasattr(added, "date") else None,
        "comment": "event_scale is the CAMEO Goldstein score",
        "cameo": row.get("cameo"), "goldstein": _clean(row.get("goldstein")),
        "num_mentions": int(row["num_mentions"]), "num_articles": int(row["num_articles"]),
        "num_sources": int(row["num_sources"]),
        "first_seen": row["first_seen"].isoformat() if _clean(row.get("first_seen")) is not None else None,
        "last_seen": row["last_seen"].isoformat() if _clean(row.get("last_seen")) is not None else None,
        "date_precision": _clean(row.get("date_precision")), "negated": bool(row.get("negated")),
        "acled": ({"event_type": row["acled_type"], "sub_event_type": _clean(row.get("acled_sub_event_type"))}
                  if _clean(row.get("acled_type")) else None),
    }
    return rec


def with_mention_extras(store, sql: str, order: str | None = None) -> str:
    """``sql`` (rows of ``events``) with the ``MENTION_EXTRAS`` of each event's first mention added,
    those the store has (stores written before issue 17 lack them)."""
    have = {r[0] for r in store.con.execute("DESCRIBE SELECT * FROM mentions").fetchall()}
    extras = [c for c in MENTION_EXTRAS if c in have]
    if not extras:
        return sql
    return (f"SELECT e.*, {', '.join('m.' + c for c in extras)} FROM ({sql}) e LEFT JOIN mentions m "
            f"ON m.mention_id = e.first_mention_id" + (f" ORDER BY {order}" if order else ""))


def export_plover(store, path: str | Path, filt: EventFilter | None = None) -> int:
    where, params = events_where(filt) if filt else ("TRUE", [])
    sql = f"SELECT * FROM events WHERE {where} ORDER BY date NULLS LAST, event_id"
    if filt and filt.limit:
        sql += f" LIMIT {int(filt.limit)}"
    sql = with_mention_extras(store, sql, order="e.date NULLS LAST, e.event_id")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    n = 0
    reader = store.con.sql(sql, params=params).to_arrow_reader(10_000)
    with open(tmp, "w", encoding="utf-8") as fh:
        for batch in reader:
            for row in batch.to_pylist():
                fh.write(json.dumps(to_plover(row), ensure_ascii=False) + "\n")
                n += 1
    tmp.replace(path)
    return n
