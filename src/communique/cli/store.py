"""`communique store verify` and `communique store repair`: check a store, and heal it."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from ..errors import CommuniqueError
from ._app import app, err, fail, out
from ._frames import STORE_OPT

store_app = typer.Typer(help="Check a store for damaged files and broken invariants, and repair it.",
                        no_args_is_help=True, rich_markup_mode="rich")
app.add_typer(store_app, name="store")

LABELS = {
    "store-meta": "store description", "manifest": "damaged manifest", "missing-file": "missing file",
    "damaged-file": "damaged file", "plan": "damaged plan", "dedup": "damaged events",
    "stale-dedup": "events out of date", "duplicate-articles": "duplicate articles", "duplicate-ids": "duplicate ids",
    "orphan-rows": "orphan rows", "incomplete-articles": "incomplete articles",
    "missing-articles": "missing articles", "incomplete-events": "event counts", "leftovers": "left-overs",
    "repair-pending": "repair stopped",
}


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


def _is_store(store: Path) -> None:
    if store.exists() and not store.is_dir():
        fail(f"{store}: the store path is a file, not a folder. Try: give --store a store folder")
    if not (store / "store.json").exists() and not (store / "_manifests").is_dir():
        fail(f"{store}: no communique store here. Try: communique ingest ARTICLES --store {store}")


@store_app.command("verify")
def verify_cmd(
    store: Path = STORE_OPT,
    quick: bool = typer.Option(False, "--quick", help="Only check that files are there with their sizes "
                                                      "(no checksums, no row checks)."),
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f", help="text or json."),
) -> None:
    """Check every file against the checksums recorded when it was committed, and the tables against
    each other: one row per article, unique ids, mentions of existing articles, complete articles,
    every planned article stored, events up to date. Each problem comes with the command that fixes
    it. Exit status 1 when there is a problem."""
    from ..store.verify import verify

    _is_store(store)
    try:
        rep = verify(store, deep=not quick, rows=not quick)
    except CommuniqueError as e:
        fail(e)
    if fmt is ReportFormat.json:
        out.print_json(json.dumps(rep.to_dict(), default=str))
    else:
        ck = rep.checked
        rows = ck.get("rows") or {}
        out.print(f"checked {ck.get('manifests', 0)} manifest(s), {ck.get('files', 0)} file(s) "
                  f"({ck.get('bytes', 0) / 1e6:,.1f} MB{', checksums' if ck.get('deep') else ', sizes only'})"
                  + (f", {rows.get('articles', 0):,} article(s) in {len(rows)} table(s)" if rows else ""),
                  highlight=False)
        for p in rep.problems:
            out.print(f"[red]✗[/red] [bold]{LABELS.get(p.kind, p.kind)}[/bold]  {p.where}: {p.what}", highlight=False,
                      soft_wrap=True)
            out.print(f"    fix: {p.fix}", highlight=False, soft_wrap=True)
        for p in rep.notes:
            out.print(f"[yellow]•[/yellow] {LABELS.get(p.kind, p.kind)}  {p.where}: {p.what} (harmless; "
                      f"removed by the next ingest or: {p.fix})", highlight=False, soft_wrap=True)
        if rep.ok:
            out.print("[green]the store is sound[/green]")
        else:
            out.print(f"[red]{len(rep.problems)} problem(s)[/red]", highlight=False)
    if not rep.ok:
        raise typer.Exit(1)


@store_app.command("repair")
def repair_cmd(
    store: Path = STORE_OPT,
    recode: bool = typer.Option(True, "--recode/--no-recode",
                                help="Code lost articles again from their inputs (loads the pipeline)."),
    kb: list[str] = typer.Option([], "--kb", help="Knowledge-base overlay table(s) the store was coded with."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles per spaCy batch."),
    as_json: bool = typer.Option(False, "--json", help="Print what was done as JSON."),
) -> None:
    """Repair a store: damaged and missing files go to [bold]_quarantine/[/bold] (never deleted), the
    rest is kept; articles that lost rows are coded again from their inputs (or their search terms
    re-derived), articles stored twice are kept once, and the de-duplicated events are recomputed.
    What cannot be restored is named, and kept in the errors table (stage repair) until its input is
    ingested again. Safe to stop and run again."""
    from ..store.repair import repair

    _is_store(store)
    recover = None
    if recode:
        from ..engines.recover import recoverer
        from ..engines.work import PipelineSpec

        recover = recoverer(PipelineSpec(kb=tuple(kb), batch_size=batch_size))
    try:
        rep = repair(store, recover=recover)
    except CommuniqueError as e:
        fail(e)
    if as_json:
        out.print_json(json.dumps(rep.to_dict(), default=str))
    else:
        if not rep.actions and not rep.before:
            out.print("nothing to repair: the store is sound")
        for a in rep.actions:
            out.print(f"• {a}", highlight=False, soft_wrap=True)
        if rep.quarantined:
            out.print(f"damaged files kept in {store / rep.quarantine_dir}: {', '.join(rep.quarantined[:8])}"
                      + (" ..." if len(rep.quarantined) > 8 else ""), highlight=False, soft_wrap=True)
        for f in rep.unattributed:
            err.print(f"[yellow]warning:[/yellow] {f}: the store cannot tell which articles had rows in this file "
                      "(it was written before plans were recorded); `communique store verify` lists what is "
                      "incomplete", highlight=False, soft_wrap=True)
        if rep.lost:
            err.print(f"[red]could not restore {len(rep.lost)} article(s):[/red]", highlight=False)
            for x in rep.lost[:50]:
                err.print(f"  {x.get('id') or x['key']} ({x.get('origin') or 'origin unknown'}): {x['why']}",
                          highlight=False, soft_wrap=True)
            if len(rep.lost) > 50:
                err.print(f"  ... and {len(rep.lost) - 50} more", highlight=False)
            err.print(f"They are listed by `communique query errors --store {store}` (stage repair); ingest their "
                      "inputs again to store them.", highlight=False, soft_wrap=True)
        for p in rep.remaining:
            err.print(f"[red]still wrong:[/red] {p['where']}: {p['what']}. Fix: {p['fix']}", highlight=False,
                      soft_wrap=True)
        if not rep.remaining and (rep.actions or rep.before):
            out.print("[green]the store is sound[/green]")
    if rep.remaining:
        raise typer.Exit(1)
