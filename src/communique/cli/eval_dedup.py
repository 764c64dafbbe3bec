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
    """Do our stories and de-duplicated events say which articles report the same real event?

    Codes the split's documents into a store, de-duplicates, and scores against ECB+: stories
    as document clusters (pairwise and B-cubed against the seminal-event clusters, next to a
    TF-IDF average-link baseline whose threshold was chosen on dev), events as documents that
    share an event and as cross-document event-mention pairs (ECB+ coreference chains). Example:

      communique eval-dedup ../shared/gold/ecbplus_dev --split dev
    """
    from ..engines import ingest
    from ..evaluate.dedup import (
        BASELINE_THRESHOLD,
        average_link,
        groups_of,
        read_ecbplus,
        read_event_mentions,
        score_documents,
        score_mention_pairs,
        token_position,
    )
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
                    "coded_articles": report.articles, "errors": report.errors})
    # layer 2: stories, and the TF-IDF average-link baseline on the same documents
    st = s.sql("""SELECT a.article_id, sa.story_id FROM story_articles sa JOIN articles a USING (article_key)""")
    story_of = dict(zip(st.article_id, st.story_id, strict=True))
    stories = score_documents(clusters, groups_of({d: story_of.get(d, f"none:{d}") for d in clusters}))
    labels = average_link([d["text"] for d in docs], BASELINE_THRESHOLD)
    base = score_documents(clusters, groups_of({d["id"]: lab for d, lab in zip(docs, labels, strict=True)}))
    # layer 3: ECB+ event-mention pairs (cross-document), ours and "same trigger word in one baseline cluster"
    gold_mentions = read_event_mentions(gold, clusters)
    ms = s.sql("""SELECT a.article_id, a.text, m.trigger_start, m.trigger_text, l.event_id
                  FROM mentions m JOIN links l USING (mention_id) JOIN articles a ON a.article_key = m.article_key
                  WHERE m.trigger_start IS NOT NULL""")
    pred, base_pred = {}, {}
    cluster_of = {d["id"]: lab for d, lab in zip(docs, labels, strict=True)}
    for doc, text, start, trig, ev in zip(ms.article_id, ms.text, ms.trigger_start, ms.trigger_text, ms.event_id,
                                          strict=True):
        line, tok = token_position(text, int(start))
        pred[(doc, line, tok)] = ev
        base_pred[(doc, line, tok)] = f"{cluster_of.get(doc)}:{(trig or '').lower()}"
    events = score_mention_pairs(gold_mentions, pred)
    base_events = score_mention_pairs(gold_mentions, base_pred)
    copies = int(s.scalar("SELECT count(*) FROM copies"))
    metrics.update({"seconds": round(time.perf_counter() - t0, 1), "copies_found": copies})
    layers = {"stories": stories, "stories_baseline": {**base, "threshold": BASELINE_THRESHOLD},
              "events_mention_pairs": events, "events_mention_pairs_baseline": base_events,
              "events_shared_document_pairs": {k: metrics[k] for k in metrics if k.startswith(("pairwise", "bcubed"))}}
    s.close()
    if tmp is not None:
        tmp.cleanup()
    if fmt is TableFormat.json:
        out.print_json(json.dumps({"task": "dedup", "gold": str(gold), "metrics": metrics, "layers": layers}))
        return
    t = Table(title=f"de-duplication on {gold.name} ({split}: {metrics['documents']} documents, "
                    f"{metrics['gold_clusters']} events; {metrics['seconds']} s)", show_edge=False)
    for c in ("layer", "method", "pairs P", "pairs R", "pairs F1", "B3 P", "B3 R", "B3 F1"):
        t.add_column(c, justify="left" if c in ("layer", "method") else "right")

    def row(layer, method, m):
        f = [f"{m[k]:.3f}" if k in m else "" for k in ("pairwise_precision", "pairwise_recall", "pairwise_f1",
                                                        "bcubed_precision", "bcubed_recall", "bcubed_f1")]
        t.add_row(layer, method, *f)

    row("stories (document pairs)", "communique stories", stories)
    row("", f"TF-IDF average link @{BASELINE_THRESHOLD}", base)
    row("events (documents sharing an event)", "communique events", layers["events_shared_document_pairs"])
    row(f"events (ECB+ mention pairs, {events['matched_mentions']}/{events['gold_mentions']} matched)",
        "communique events", events)
    row("", "same trigger in a TF-IDF cluster", base_events)
    out.print(t)
    err.print(f"copies found: {copies} (ECB+ has no copy gold; see benchmarks/dedup_copies.py); coded "
              f"{metrics['coded_articles']} documents, {metrics['mentions']} event mentions, {metrics['events']} events")
    if report.errors:
        err.print(f"{report.errors} document(s) could not be coded (see the errors table)")
