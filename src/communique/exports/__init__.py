"""Exports of a store: GDELT 2.0 event TSV, PLOVER JSON Lines, CSV and Parquet.

    >>> from communique import open_store
    >>> from communique.exports import export
    >>> export(open_store("communique-data"), "gdelt", "events.tsv")
"""

from __future__ import annotations

from pathlib import Path

from ..errors import StoreError
from ..store.queries import EventFilter, events_where
from .gdelt import COLUMNS as GDELT_COLUMNS
from .gdelt import DIFFERENCES as GDELT_DIFFERENCES
from .gdelt import TYPES as GDELT_TYPES
from .gdelt import export_gdelt
from .gdelt_updates import MENTIONS_COLUMNS as GDELT_MENTIONS_COLUMNS
from .gdelt_updates import export_gdelt_mentions, write_update
from .plover import export_plover, to_plover, with_mention_extras

FORMATS = ("gdelt", "gdelt-mentions", "plover", "csv", "parquet")
TABLES = ("events", "event_mentions", "mentions", "articles", "actors", "quotes", "places", "times", "errors")


def export_table(store, fmt: str, path: str | Path, table: str = "events", filt: EventFilter | None = None) -> int:
    """Write one table (or view) as CSV (with a header) or Parquet; event filters apply to ``events``."""
    if table not in TABLES:
        raise StoreError(f"unknown table {table!r}", None, f"use one of {', '.join(TABLES)}")
    where, params = ("TRUE", [])
    if filt is not None and table == "events":
        where, params = events_where(filt)
    sql = f"SELECT * FROM {table} WHERE {where}"
    if filt is not None and filt.limit:
        sql += f" LIMIT {int(filt.limit)}"
    if table == "events":
        sql = with_mention_extras(store, sql)   # issue 17: ACLED type, PLOVER modes/contexts
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    opts = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER true"
    q = str(tmp).replace("'", "''")
    store.con.execute(f"COPY ({sql}) TO '{q}' ({opts})", params).fetchall()
    tmp.replace(path)
    return int(store.con.execute(f"SELECT count(*) FROM ({sql})", params).fetchall()[0][0])


def export(store, fmt: str, path: str | Path, table: str = "events", filt: EventFilter | None = None,
           header: bool = False) -> int:
    """Export in ``fmt`` (gdelt, plover, csv, parquet); returns the number of rows written."""
    if fmt == "gdelt":
        return export_gdelt(store, path, filt, header=header)
    if fmt == "gdelt-mentions":
        return export_gdelt_mentions(store, path, filt)
    if fmt == "plover":
        return export_plover(store, path, filt)
    if fmt in ("csv", "parquet"):
        return export_table(store, fmt, path, table, filt)
    raise StoreError(f"unknown export format {fmt!r}", None, f"use one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "GDELT_COLUMNS", "GDELT_DIFFERENCES", "GDELT_MENTIONS_COLUMNS", "GDELT_TYPES", "TABLES",
           "export", "export_gdelt", "export_gdelt_mentions", "export_plover", "export_table", "to_plover",
           "write_update"]
