"""`communique export FORMAT FILE`: the store as GDELT 2.0 TSV, PLOVER JSON Lines, CSV or Parquet."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from ..errors import CommuniqueError
from ._app import app, err, fail
from ._frames import STORE_OPT, open_store_or_fail


class ExportFormat(str, Enum):
    gdelt = "gdelt"
    gdelt_mentions = "gdelt-mentions"
    plover = "plover"
    csv = "csv"
    parquet = "parquet"


class ExportTable(str, Enum):
    events = "events"
    event_mentions = "event_mentions"
    mentions = "mentions"
    articles = "articles"
    actors = "actors"
    quotes = "quotes"
    places = "places"
    times = "times"
    errors = "errors"


@app.command("export")
def export_cmd(
    fmt: ExportFormat = typer.Argument(..., help="gdelt (61-column event TSV), gdelt-mentions (16-column GDELT "
                                    "mentions TSV), plover (JSON Lines), csv, parquet."),
    output: Path = typer.Argument(..., help="File to write."),
    store: Path = STORE_OPT,
    table: ExportTable = typer.Option(ExportTable.events, "--table", "-t",
                                      help="Table for csv/parquet (gdelt and plover export events)."),
    header: bool = typer.Option(False, "--header", help="gdelt: write GDELT's column names as a first line."),
    actor: str | None = typer.Option(None, "--actor"), country: str | None = typer.Option(None, "--country"),
    sector: str | None = typer.Option(None, "--sector"), code: str | None = typer.Option(None, "--code"),
    root: str | None = typer.Option(None, "--root"), since: str | None = typer.Option(None, "--since"),
    until: str | None = typer.Option(None, "--until"), location: str | None = typer.Option(None, "--location"),
    min_articles: int = typer.Option(1, "--min-articles", min=1),
    acled: str | None = typer.Option(None, "--acled-type", help="ACLED event type or sub-event type (issue 17)."),
) -> None:
    """Export de-duplicated events (filters as in `communique query events`) or any table.

    GDELT: 61 tab-separated columns in GDELT 2.0's order and types, no header unless
    --header; where our values differ in meaning see `communique.exports.GDELT_DIFFERENCES`.

    Examples:

      communique export gdelt events.tsv --since 2025-01-01

      communique export plover events.jsonl --country BLR

      communique export parquet mentions.parquet --table event_mentions
    """
    from ..exports import export
    from ..store import EventFilter

    filt = EventFilter(actor=actor, country=country, sector=sector, code=code, root=root, since=since, until=until,
                       location=location, min_articles=min_articles, limit=None, acled=acled)
    s = open_store_or_fail(store, events=fmt.value in ("gdelt", "plover") or table.value in ("events",
                                                                                             "event_mentions"))
    try:
        with s.guard():
            n = export(s, fmt.value, output, table=table.value, filt=filt, header=header)
    except CommuniqueError as e:
        fail(e)
    except OSError as e:
        fail(f"{output}: cannot write the export ({e.strerror}). Try: check the folder exists and is writable")
    what = "events" if fmt.value in ("gdelt", "gdelt-mentions", "plover") else f"rows of {table.value}"
    err.print(f"wrote {n} {what} to {output}", highlight=False)
