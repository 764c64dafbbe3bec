"""`communique eval-dedup DIR`: score cross-article de-duplication on ECB+ (document level)."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import typer
from rich.table import Table

from ..errors import CommuniqueError
from ._app import app, err, fail, out
from ._frames import TableFormat


@app.command("eval-dedup")
def eval_dedup_cmd(
    gold: Path = typer.Argument(..., help="The ECB+ gold folder (documents.jsonl, doc_clusters.tsv)."),
    split: str = typer.Option("dev", "--split", help="dev, train or all."),
    store: Path | None = typer.Option(None, "--store", "-s",
                                      help="Ingest into (and keep) this store; default: a temporary one. "
                                           "Re-running on the same store only re-scores."),
    engine: str = typer.Option("auto", "--engine", help="auto, inprocess, processes or dask."),
    workers: int | None = typer.Option(None, "--workers", min=1),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N documents of the split."),
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="table or json."),
) -> None:
    """Do our de-duplicated events say which articles report the same real event?

    Codes the split's documents into a store, de-duplicates, and scores document pairs
    that share an event against ECB+'s seminal-event clusters: pairwise precision, recall
    and F1, and B-cubed. Example:

      communique eval-dedup ../shared/gold/ecbplus_dev --split dev
    """
    from ..engines import ingest
    from ..evaluate.dedup import read_ecbplus, score_documents
    from ..records import Article
    from ..store import open_store

    t0 = time.perf_counter()
    try:
        docs, clusters = read_ecbplus(gold, split, limit)
    except CommuniqueError as e:
        fail(e)
    tmp = None
    if store is None:
        tmp = tempfile.TemporaryDirectory(prefix="communique-ecbplus-")
        store = Path(tmp.name) / "store"
    arts = [Article(text=d["text"], id=d["id"], date=d["date"], title=d["title"], url=d["url"],
                    origin=f"{gold}/documents.jsonl#{d['id']}") for d in docs]
    try:
        report = ingest(arts, store, engine=engine, workers=workers)
        s = open_store(store)
        rows = s.sql("""SELECT l.event_id, list(DISTINCT a.article_id) AS docs
                        FROM links l JOIN articles a USING (article_key)
                        GROUP BY l.event_id HAVING count(DISTINCT a.article_id) > 1""")
    except CommuniqueError as e:
        fail(e)
    metrics = score_documents(clusters, [list(d) for d in rows.docs])
    metrics.update({"split": split, "events_in_several_documents": len(rows),
                    "events": int(s.scalar("SELECT count(*) FROM events")),
                    "mentions": int(s.scalar("SELECT count(*) FROM mentions")),
                    "coded_articles": report.articles, "errors": report.errors,
                    "seconds": round(time.perf_counter() - t0, 1)})
    s.close()
    if tmp is not None:
        tmp.cleanup()
    if fmt is TableFormat.json:
        out.print_json(json.dumps({"task": "dedup", "gold": str(gold), "metrics": metrics}))
        return
    t = Table(title=f"de-duplication on {gold.name} ({split}: {metrics['documents']} documents, "
                    f"{metrics['gold_clusters']} events)", show_edge=False)
    t.add_column("metric")
    t.add_column("value", justify="right")
    for k, v in metrics.items():
        t.add_row(k, f"{v:.3f}" if isinstance(v, float) else str(v))
    out.print(t)
    if report.errors:
        err.print(f"{report.errors} document(s) could not be coded (see the errors table)")
