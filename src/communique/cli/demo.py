"""`communique demo`: code the bundled sample articles and show what comes out."""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

import typer
from rich.table import Table

from ._app import app, err, out, warn


def sample_paths() -> list[Path]:
    root = Path(str(resources.files("communique").joinpath("samples")))
    return [root / "belta-2025-08-29.txt", root / "wikinews-sample50.jsonl"]


@app.command("demo")
def demo_cmd(
    out_dir: Path = typer.Option(Path("out"), "--out", help="Folder for the coded JSON Lines."),
) -> None:
    """Code the bundled samples (a BELTA wire report and 50 Wikinews articles), summarise them, ingest them
    into the embedded store (OUT/store: Parquet + DuckDB), print a dyad summary and write plots and a GDELT export."""
    from ..pipeline import Pipeline
    from ..readers import read_inputs
    from ._render import render_record

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "demo.jsonl"
    err.print("loading the pipeline ...")
    pipe = Pipeline()
    records = []
    with open(target, "w", encoding="utf-8") as fh:
        for rec in pipe.code_articles(read_inputs([str(p) for p in sample_paths()]),
                                      lambda r: warn(r.message())):
            fh.write(rec.to_json() + "\n")
            records.append(rec)
    render_record(records[0], out)
    actors = Counter()
    roots = Counter()
    dyads = Counter()
    for rec in records[1:]:
        for a in rec.actors:
            if a.code and a.kind != "country":
                actors[(a.name, a.code)] += 1
        for e in rec.events:
            roots[(e.cameo_root, e.plover.event)] += 1
            if e.source and e.target and e.source.country and e.target.country and \
                    e.source.country != e.target.country:
                dyads[(e.source.country, e.target.country)] += 1
    out.rule(f"[bold]{len(records) - 1} Wikinews articles[/bold]")
    t = Table(title="Most mentioned actors", show_edge=False)
    t.add_column("actor")
    t.add_column("code")
    t.add_column("mentions", justify="right")
    for (name, code), n in actors.most_common(12):
        t.add_row(name, code, str(n))
    out.print(t)
    t = Table(title="Events by CAMEO root", show_edge=False)
    t.add_column("root")
    t.add_column("PLOVER")
    t.add_column("events", justify="right")
    for (root, plover), n in sorted(roots.items()):
        t.add_row(root, plover, str(n))
    out.print(t)
    out.print("[bold]Top international dyads:[/bold] " + ", ".join(
        f"{a}→{b} ({n})" for (a, b), n in dyads.most_common(8)))
    n_events = sum(len(r.events) for r in records)
    n_quotes = sum(len(r.quotes) for r in records)
    out.print(f"\nCoded {len(records)} articles: {n_events} events, {n_quotes} quotes. Records: {target}")
    out.print(f"Throughput: {pipe.stats.articles / max(pipe.stats.seconds, 1e-9):.1f} articles/s "
              "(one process, model load excluded)")
    from ._store_demo import run_store_demo

    run_store_demo(out_dir, sample_paths())
