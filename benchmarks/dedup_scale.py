"""Cost per article of de-duplication as the store grows: 10k and 200k synthetic articles.

The de-duplication step alone (no spaCy): copy detection (MinHash signature, LSH lookup among
all earlier originals) and story grouping (``stories.Grouper``: TF-IDF against the open
stories) over a stream of synthetic articles (benchmarks/dedup_synth.scaled_stream: paragraphs
of the bundled Wikinews corpus recombined, 20% copies, 100 articles a day). Reported: the mean
cost per article over the whole run, and over the first and the last 5,000 articles (does an
article cost more when the store already holds 195,000?). Also the cross-run lookup of the
store's ``signatures`` table (DuckDB over Parquet) for a batch of 1,000 new articles, with N
signatures stored.

    .venv/bin/python benchmarks/dedup_scale.py [--sizes 10000 200000] [--json]

``--incremental`` measures what a new run costs (issue 11: "a new day's articles join existing
stories without re-clustering the store"): a store of N originals is grouped once
(``stories.regroup`` from nothing), its state is kept as de-duplication saves it
(``stories.Prev``: document frequencies, each original's story, the story rows), then a batch
of ``--batch`` new articles (the following days) is grouped from that state. Reported: ms per
new article of that batch at each N, how many stored articles it read again (the stories still
open), and, with ``--check``, whether the result equals grouping all N + batch from nothing.

    .venv/bin/python benchmarks/dedup_scale.py --incremental --sizes 10000 200000 --batch 1000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dedup_synth  # noqa: E402

WINDOW = 5000


def run(n: int) -> dict:
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    from communique.store import copies as C
    from communique.store import stories as S

    idx = C.Index()
    g = S.Grouper()
    t_sig = t_lsh = t_story = 0.0
    per: list[float] = []
    found = true = n_copies = 0
    family: dict[str, str] = {}
    keys, bands, sigs = [], [], []
    for i, a in enumerate(dedup_synth.scaled_stream(n)):
        t0 = time.perf_counter()
        sig = C.signature(a["text"])
        t1 = time.perf_counter()
        bk = C.band_keys(sig)
        hit = idx.best(a["id"], sig, bk)
        if hit is None:
            idx.add(a["id"], sig, a["id"], bk)
            if len(keys) < 1_000_000:
                keys.append(a["id"])
                bands.append(bk)
                sigs.append(C.to_bytes(sig))
        t2 = time.perf_counter()
        if hit is None:
            g.add(a["id"], a["title"], a["text"], date.fromisoformat(a["date"]), (), a["source"])
        t3 = time.perf_counter()
        t_sig += t1 - t0
        t_lsh += t2 - t1
        t_story += t3 - t2
        per.append(t3 - t0)
        if (i + 1) % 10_000 == 0:
            recent = per[-WINDOW:]
            print(f"# {i + 1} articles: {1000 * sum(recent) / len(recent):.2f} ms per article over the last "
                  f"{len(recent)}, load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
        n_copies += a["family"] != a["id"]
        if hit is None:
            family[a["id"]] = a["family"]
        else:
            found += 1
            true += a["family"] == family[hit[0]]
    # the cross-run lookup: N signatures in a Parquet table, 1,000 new articles' bands
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "signatures.parquet"
        pq.write_table(pa.table({"article_key": keys, "sig": pa.array(sigs, pa.binary()),
                                 "bands": pa.array(bands, pa.list_(pa.int64()))}), path)
        con = duckdb.connect()
        wanted = pa.table({"band": pa.array(sorted({b for bk in bands[-1000:] for b in bk}), pa.int64())})
        con.register("w", wanted)
        t0 = time.perf_counter()
        rows = con.execute(f"SELECT s.band, s.article_key FROM (SELECT article_key, unnest(bands) AS band "
                           f"FROM read_parquet('{path}')) s SEMI JOIN w ON s.band = w.band").fetchall()
        t_lookup = time.perf_counter() - t0
    first = sum(per[:WINDOW]) / min(WINDOW, len(per))
    last = sum(per[-WINDOW:]) / min(WINDOW, len(per))
    return {"articles": n, "copies_made": n_copies, "copies_found": found, "copies_true": true, "stories": len(g.stories),
            "ms_per_article": round(1000 * sum(per) / n, 3),
            "ms_signature": round(1000 * t_sig / n, 3), "ms_lsh": round(1000 * t_lsh / n, 3),
            "ms_stories": round(1000 * t_story / n, 3),
            f"ms_first_{WINDOW}": round(1000 * first, 3), f"ms_last_{WINDOW}": round(1000 * last, 3),
            "lookup_1000_new_in_store_s": round(t_lookup, 3), "lookup_rows": len(rows),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def incremental(n: int, batch: int, check: bool) -> dict:
    from collections import deque

    from communique.store import stories as S

    def art(a):
        d = date.fromisoformat(a["date"])
        return (a["id"], a["id"], d, a["title"], a["text"], (), a["source"])

    stream = (art(a) for a in dedup_synth.scaled_stream(n + batch, copy_rate=0.0))
    meta: dict[str, tuple] = {}
    # the last 60 days' articles (what a restart may read again; all of them to --check)
    tail: deque = deque(maxlen=max(n, 6000) if check else 6000)

    def stored():
        for _ in range(n):
            a = next(stream)
            meta[a[0]] = (S.position(a[2], a[1], a[0]), a[6])
            tail.append(a)
            yield a

    t0 = time.perf_counter()
    g = S.regroup(True, {}, None, lambda r: stored(), lambda keys: [])
    t_build = time.perf_counter() - t0
    # the state a de-duplication run saves
    members, rows = {}, {}
    for row, ms in g.story_rows():
        rows[row["story_id"]] = (row["first_article_key"], row["title"], row["why"])
        for m in ms:
            members[m["article_key"]] = (meta[m["article_key"]][0], m["story_id"], m["similarity"], m["why"],
                                         meta[m["article_key"]][1])
    prev = S.Prev(g.n_docs, dict(g.df), members, rows)
    new = [next(stream) for _ in range(batch)]
    del g
    current = {k: m[0] for k, m in meta.items()}
    current.update({a[0]: S.position(a[2], a[1], a[0]) for a in new})

    def load(r):
        out = [a for a in tail if S.position(a[2], a[1], a[0]) >= r]
        if len(out) == len(tail) and n > len(tail):
            raise RuntimeError("the restart reaches before the kept tail: widen it")
        return out + new

    t1 = time.perf_counter()
    g2 = S.regroup(True, current, prev, load, lambda keys: [])
    t_inc = time.perf_counter() - t1
    out = {"stored": n, "batch": batch, "build_s": round(t_build, 1), "build_ms_per_article": round(1000 * t_build / n, 3),
           "incremental_s": round(t_inc, 3), "ms_per_new_article": round(1000 * t_inc / batch, 3),
           "reread_articles": g2.replayed, "assigned": g2.assigned_now, "kept_stories":
           sum(1 for st in g2.stories.values() if st.words is not None), "load_average": [round(x, 2) for x in os.getloadavg()]}
    if check:
        every = list(tail) if n <= len(tail) else None
        if every is None:
            out["equal_to_full"] = "not checked (store larger than the kept tail)"
        else:
            full = S.regroup(True, {}, None, lambda r: every + new, lambda keys: [])
            rows_f = sorted((r, [tuple(m.items()) for m in ms]) for r, ms in
                            ((tuple(r.items()), ms) for r, ms in full.story_rows()))
            rows_i = sorted((r, [tuple(m.items()) for m in ms]) for r, ms in
                            ((tuple(r.items()), ms) for r, ms in g2.story_rows()))
            out["equal_to_full"] = rows_f == rows_i
    return out


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--incremental", action="store_true", help="cost of a new batch on a store of each size")
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--check", action="store_true", help="with --incremental: compare with a full grouping")
    args = ap.parse_args(argv)
    out = []
    for n in args.sizes:
        res = incremental(n, args.batch, args.check) if args.incremental else run(n)
        out.append(res)
        print(json.dumps(res) if args.json else "\n".join(f"{k:>28}: {v}" for k, v in res.items()), flush=True)
    return out


if __name__ == "__main__":
    main()
