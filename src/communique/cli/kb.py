"""`communique kb update`: overlay tables from a downloaded Wikidata dump or SPARQL result."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from enum import Enum
from pathlib import Path

import typer

from ..errors import CommuniqueError
from ._app import app, err, fail, out

kb_app = typer.Typer(help="The knowledge base: refresh it from Wikidata (docs/KB.md).", no_args_is_help=True,
                     rich_markup_mode="rich")
app.add_typer(kb_app, name="kb")


class ReportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"


_COLUMNS = ["change", "table", "id", "name", "country", "sector", "role", "start", "end", "was", "source"]


def render_changes(rows: list[dict[str, str]], fmt: ReportFormat) -> str:
    if fmt is ReportFormat.jsonl:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=_COLUMNS, delimiter="\t" if fmt is ReportFormat.tsv else ",",
                       lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


@kb_app.command("update")
def update(
    files: list[Path] = typer.Argument(..., help="Wikidata JSON dump(s) (.json, .json.gz, .json.bz2; array or "
                                                 "one entity per line) or SPARQL JSON result file(s) of the "
                                                 "queries in docs/KB.md."),
    out_dir: Path = typer.Option(..., "--out", "-o", help="Directory for wikidata_people.tsv and "
                                                          "wikidata_organizations.tsv (pass them with --kb)."),
    kb: list[str] = typer.Option([], "--kb", help="Overlay table(s) in use now: changes are reported against "
                                                   "the shipped tables plus these."),
    since: str = typer.Option("1990", help="Leave out tenures that ended before this date (YYYY[-MM[-DD]])."),
    read_date: str = typer.Option(None, "--read-date", help="The day the files were downloaded (default: the "
                                                              "newest 'modified' in a dump, else the files' date)."),
    mapping: list[Path] = typer.Option([], "--map", help="Extra rows for kb/data/wikidata_map.tsv (same "
                                                          "header), checked first."),
    fmt: ReportFormat = typer.Option(ReportFormat.tsv, "--format", "-f", help="Report format (stdout)."),
    show_same: bool = typer.Option(False, "--same", help="Also list rows that change nothing."),
) -> None:
    """Write overlay tables from Wikidata and report what they change: [bold]added[/bold], [bold]ended[/bold]
    (open in the tables, ended in Wikidata), [bold]changed[/bold] rows (stdout), counts on stderr.

    Example: [bold]communique kb update people.sparql.json orgs.sparql.json --out kb-2026-12[/bold], then
    [bold]communique code news.jsonl --kb kb-2026-12/wikidata_people.tsv --kb kb-2026-12/wikidata_organizations.tsv[/bold]
    """
    from ..kb import get_actor_kb
    from ..kb.tables import check_date
    from ..kb.wikidata import load_map, update_from_files, write_overlays

    try:
        check_date(since, "--since")
        if read_date:
            _dt.date.fromisoformat(read_date)
        result = update_from_files(files, get_actor_kb(tuple(kb)), since=since, read=read_date,
                                   mapping=load_map(mapping))
        written = write_overlays(result, out_dir)
    except CommuniqueError as e:
        fail(e)
        return
    except ValueError:
        fail(f"--read-date {read_date!r} is not a date. Try: --read-date YYYY-MM-DD")
        return
    rows = [c.as_dict() for c in result.changes if show_same or c.change != "same"]
    out.file.write(render_changes(rows, fmt))
    counts = result.counts()
    err.print(f"read {result.read or '?'}: {len(result.people)} people rows, {len(result.organizations)} "
              f"organisation rows; " + ", ".join(f"{k} {counts.get(k, 0)}" for k in
                                                  ("added", "ended", "changed", "same")), highlight=False)
    if result.skipped:
        err.print("skipped: " + ", ".join(f"{k} {v}" for k, v in sorted(result.skipped.items())), highlight=False)
    err.print("wrote " + " ".join(str(p) for p in written) + "; use them with --kb", highlight=False)
