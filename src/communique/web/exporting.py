"""Streamed exports of the filtered events: GDELT TSV, PLOVER JSON Lines, CSV and Parquet.

The rows come from DuckDB as Arrow batches and leave as they are encoded, so an export of
millions of events holds one batch in memory, never the whole file. The column logic is
the CLI's (``communique.exports``): the same GDELT SELECT and the same PLOVER records.
"""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq

from ..exports.gdelt import COLUMNS as GDELT_COLUMNS
from ..exports.gdelt import select_sql
from ..exports.plover import to_plover
from .db import ReadOnlyStore, json_value
from .filters import EventFilters, event_conditions


class _Sink:
    """A write-only file for pyarrow that hands out what was written so far."""

    closed = False

    def __init__(self):
        self.buf = bytearray()
        self.pos = 0

    def write(self, data) -> int:
        self.buf += data
        self.pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self.pos

    def flush(self) -> None:
        pass

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        out = bytes(self.buf)
        self.buf.clear()
        return out


def _sql(fmt: str, where: str, limit: int | None) -> str:
    lim = f" LIMIT {int(limit)}" if limit else ""
    if fmt == "gdelt":
        inner = select_sql(f"e.event_id IN (SELECT event_id FROM events WHERE {where})") + lim
        # DuckDB's own text for every value, as `communique export gdelt` writes it
        cols = ", ".join(f"coalesce(CAST(\"{c}\" AS VARCHAR), '') AS \"{c}\"" for c in GDELT_COLUMNS)
        return f"SELECT {cols} FROM ({inner})"
    return f"SELECT * EXCLUDE (year, month) FROM events WHERE {where} ORDER BY date NULLS LAST, event_id{lim}"


def stream_export(db: ReadOnlyStore, fmt: str, f: EventFilters, timeout: float, header: bool | None = None):
    """Yield the export as bytes chunks. A query running past ``timeout`` seconds is interrupted
    and the download ends early (the status line has gone out by then)."""
    c = event_conditions(f, db)
    where = "FALSE" if c.empty else c.sql()
    schema, batches = db.batches(_sql(fmt, where, getattr(f, "limit", None)), c.params, timeout=timeout)
    header = getattr(f, "header", False) if header is None else header

    def gen():
        if fmt == "parquet":
            sink = _Sink()
            with pq.ParquetWriter(sink, schema, compression="zstd") as w:
                for b in batches:
                    w.write_batch(b)
                    chunk = sink.take()
                    if chunk:
                        yield chunk
            yield sink.take()
            return
        if fmt == "gdelt" and header:
            yield ("\t".join(GDELT_COLUMNS) + "\n").encode()
        first = True
        for b in batches:
            buf = io.StringIO()
            if fmt == "gdelt":
                cols = [b.column(i).to_pylist() for i in range(b.num_columns)]
                for row in zip(*cols, strict=True):
                    buf.write("\t".join(row) + "\n")
            elif fmt == "plover":
                for row in b.to_pylist():
                    buf.write(json.dumps(to_plover(row), ensure_ascii=False, default=str) + "\n")
            else:
                w = csv.writer(buf, lineterminator="\n")
                if first:
                    w.writerow(b.schema.names)
                for row in b.to_pylist():
                    w.writerow(["" if v is None else json_value(v) for v in row.values()])
            first = False
            yield buf.getvalue().encode()
        if fmt == "csv" and first:
            yield (",".join(schema.names) + "\n").encode()

    return gen()
