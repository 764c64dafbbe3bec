"""What the store commands share: the --store option, opening a store, and printing query results
(pandas DataFrames) as a rich table, CSV or JSON."""

from __future__ import annotations

import json
import math
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table

from ..errors import CommuniqueError
from ._app import fail, out, warn


class TableFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    tsv = "tsv"


STORE_OPT = typer.Option(Path("communique-data"), "--store", "-s", help="Store folder.")


def open_store_or_fail(store: Path, events: bool = False):
    """The store at ``store``, or exit with the error's message and fix (no such store, a damaged
    file ...). ``events``: the command reads the de-duplicated events, so warn when they are not up
    to date (an ingest stopped before de-duplicating)."""
    from ..store import open_store

    try:
        s = open_store(store)
        if events:
            warn_if_events_stale(s)
        return s
    except CommuniqueError as e:
        fail(e)


def warn_if_events_stale(s) -> None:
    """Say so when the de-duplicated events do not cover every stored mention, and what to do."""
    st = s.dedup_status()
    if not st["current"]:
        what = ("de-duplication has not run on this store yet" if st["generation"] is None else
                "the de-duplicated events do not include every stored article")
        warn(f"{what} (an ingest was stopped before it de-duplicated?), so events are missing here. "
             f"Run: communique dedup --store {s.root}")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        return f"{v:.3f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    if hasattr(v, "isoformat"):
        s = v.isoformat()
        return s[:10] if s.endswith("T00:00:00") else s
    try:
        import pandas as pd

        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


def _records(df) -> list[dict]:
    rows = []
    for rec in df.to_dict(orient="records"):
        clean = {}
        for k, v in rec.items():
            s = _cell(v)
            if isinstance(v, bool) or (hasattr(v, "dtype") and str(getattr(v, "dtype", "")) == "bool"):
                clean[k] = bool(v)
            elif isinstance(v, (int,)) and not isinstance(v, bool):
                clean[k] = int(v)
            elif isinstance(v, float):
                clean[k] = None if math.isnan(v) else v
            elif hasattr(v, "item") and not isinstance(v, str):
                try:
                    item = v.item()
                    clean[k] = None if isinstance(item, float) and math.isnan(item) else item
                except (ValueError, AttributeError):
                    clean[k] = s or None
            else:
                clean[k] = s if s != "" else None
        rows.append(clean)
    return rows


def print_frame(df, fmt: TableFormat, title: str | None = None, output: Path | None = None,
                max_width: int = 60, columns: list[str] | None = None, headers: dict[str, str] | None = None) -> None:
    """Print ``df`` in the chosen format (to ``output`` when given). ``columns`` and ``headers``
    choose and rename the columns of the (narrow) table format; csv and json keep them all."""
    if fmt in (TableFormat.csv, TableFormat.tsv, TableFormat.jsonl):
        if fmt is TableFormat.jsonl:
            text = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in _records(df))
        else:
            text = df.to_csv(index=False, sep="\t" if fmt is TableFormat.tsv else ",")
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return
    if fmt is TableFormat.json:
        text = json.dumps(_records(df), ensure_ascii=False, default=str, indent=None)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            sys.stdout.write(text + "\n")
        return
    if columns:
        df = df[[c for c in columns if c in df.columns]]
    headers = headers or {}
    table = Table(title=title, show_edge=False, header_style="bold")
    cols = list(df.columns)
    rows = []
    for rec in df.itertuples(index=False):
        cells = [_cell(v) for v in rec]
        limits = [2 * max_width] * (len(cells) - 1) + [240]
        rows.append([c if len(c) <= n else c[: n - 1] + "…" for c, n in zip(cells, limits, strict=True)])
    for i, col in enumerate(cols):
        numeric = str(df[col].dtype).startswith(("int", "Int", "float", "uint"))
        last = i == len(cols) - 1
        head = headers.get(str(col), str(col))
        widest = max([len(head)] + [len(r[i]) for r in rows])
        short = widest <= 10   # dates, codes and numbers are shown whole
        table.add_column(head, justify="right" if numeric else "left", no_wrap=not last,
                         overflow="fold" if last else "ellipsis", max_width=None if last else max_width,
                         min_width=None if last else (widest if short else None))
    for cells in rows:
        table.add_row(*cells)
    out.print(table)
    if df.empty:
        out.print("[dim](no rows)[/dim]")
