"""`communique stats`: what is in a store."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from ..errors import CommuniqueError
from ._app import app, fail, out
from ._frames import STORE_OPT, TableFormat


@app.command("stats")
def stats_cmd(
    store: Path = STORE_OPT,
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """Counts of articles, events (de-duplicated), mentions, quotes, actors, errors; dates; size on disk."""
    from ..store import open_store

    try:
        st = open_store(store).stats()
    except CommuniqueError as e:
        fail(e)
    if fmt is TableFormat.json:
        out.print_json(json.dumps(st))
        return
    if fmt is TableFormat.csv:
        import sys

        sys.stdout.write("key,value\n" + "".join(f"{k},{v}\n" for k, v in st.items()))
        return
    t = Table(title=f"Store {st['store']}", show_edge=False, show_header=False)
    t.add_column("what")
    t.add_column("value", justify="right")
    for k, v in st.items():
        if k == "store":
            continue
        if k == "bytes":
            v = f"{v / 1e6:,.1f} MB"
        elif isinstance(v, int) and not isinstance(v, bool):
            v = f"{v:,}"
        t.add_row(k.replace("_", " "), str(v))
    out.print(t)
