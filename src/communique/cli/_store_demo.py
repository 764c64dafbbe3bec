"""The store block of ``communique demo`` (called from cli/demo.py): ingest, dyad summary, plots."""

from __future__ import annotations

from pathlib import Path

from ._app import err, out
from ._frames import TableFormat, print_frame


def run_store_demo(out_dir: Path, paths: list[Path], dyad: tuple[str, str] = ("CHN", "BLR")) -> dict:
    """Ingest ``paths`` into ``out_dir/store``, print the dyad and top dyads, write plots; return the result."""
    from ..engines.demo import demo_store

    err.print(f"ingesting the samples into {out_dir / 'store'} (Parquet + DuckDB) ...")
    res = demo_store(paths, out_dir, dyad=dyad)
    rep, st = res["report"], res["stats"]
    out.rule("[bold]The store[/bold]")
    out.print(f"{st['articles']} articles, {st['mentions']} event mentions de-duplicated into {st['events']} events "
              f"({st['events_in_several_articles']} reported by several articles), {st['quotes']} quotes, "
              f"{st['errors']} errors; this run coded {rep.articles} and skipped {rep.skipped} already stored.")
    a, b = dyad
    print_frame(res["dyad"], TableFormat.table, title=f"{a} ↔ {b} per month (communique query dyad {a} {b})",
                headers={"verbal_coop": "vcoop", "material_coop": "mcoop", "verbal_conflict": "vconf",
                         "material_conflict": "mconf", "mean_goldstein": "gold", "source": "src",
                         "target": "tgt", "mentions": "ments", "articles": "arts"})
    print_frame(res["top_dyads"], TableFormat.table, title="Top international dyads (de-duplicated events)")
    out.print("Plots: " + ", ".join(str(p) for k, p in res["files"].items() if k != "gdelt"))
    out.print(f"GDELT 2.0 export: {res['files']['gdelt']}.  Try: communique query events --store {out_dir / 'store'} "
              f"--country {a}")
    # the last line: how to explore the store in the browser (.venv/bin/communique when not activated)
    out.print(f"Explore it in your browser: communique serve --store {out_dir / 'store'}", highlight=False)
    return res
