"""What exactly-once and verifiable commits cost: a shard's commit with and without them.

A shard of ``--articles`` Wikinews sample articles (default 25) is coded once with the spaCy
pipeline; then its rows are committed ``--rounds`` times (default 5) each way, alternating so
that load from other work on the machine falls on both alike:

- ``reliable``: what ingest does now: files fsync'ed, size and SHA-256 of each recorded in the
  manifest, the shard's plan written beside it, the commit fenced under the commit lock;
- ``plain``: the same files and manifest without fsync, checksums, plan or fencing (the commit
  before issue 12).

Prints the coding time, both commit times (medians) and the extra time as a share of coding
plus committing one shard, i.e. of ingest throughput.

    .venv/bin/python benchmarks/commit_overhead.py [--articles 25] [--rounds 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=25)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from communique.engines.work import PipelineSpec, ShardInput, process_shard, shard_article
    from communique.readers import read_path
    from communique.records import Article
    from communique.store import catalog, fence
    from communique.store.rows import record_rows
    from communique.store.schema import SHARD_TABLES
    from communique.store.writer import plan_digest, write_shard

    sample = ROOT / "src/communique/samples/wikinews-sample50.jsonl"
    arts = [a for a in read_path(sample) if isinstance(a, Article)][: args.articles]
    shard = ShardInput(id="sbench", store="", articles=[shard_article(a) for a in arts], spec=PipelineSpec())
    shard.digest = plan_digest(shard.keys(), [])
    process_shard(shard)                         # load the pipeline
    t0 = time.perf_counter()
    out = process_shard(shard)
    t_code = time.perf_counter() - t0
    tables: dict[str, list[dict]] = {t: [] for t in SHARD_TABLES}
    for art, rec in out.records:
        for t, rows in record_rows(rec, art.text, origin=art.origin, shard=shard.id).items():
            tables[t].extend(rows)
    plan = shard.plan()

    def commit(reliable: bool) -> float:
        with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as d:
            root = Path(d) / "store"
            catalog.init_store(root)
            token = fence.start_run(root) if reliable else None
            saved = (catalog.fsync_file, catalog.file_digest, catalog.check_run, catalog.commit_lock)
            if not reliable:
                from contextlib import nullcontext

                catalog.fsync_file = lambda p: None
                catalog.file_digest = lambda p: {}
                catalog.check_run = lambda *a: None
                catalog.commit_lock = lambda root: nullcontext()
            try:
                rows = {t: [dict(r) for r in rs] for t, rs in tables.items()}
                t = time.perf_counter()
                write_shard(root, shard.id, rows, {}, token=token, plan=plan if reliable else None)
                return time.perf_counter() - t
            finally:
                catalog.fsync_file, catalog.file_digest, catalog.check_run, catalog.commit_lock = saved

    times: dict[str, list[float]] = {"reliable": [], "plain": []}
    for _ in range(args.rounds):
        times["plain"].append(commit(False))
        times["reliable"].append(commit(True))
    rel, plain = statistics.median(times["reliable"]), statistics.median(times["plain"])
    res = {"articles": len(arts), "files": sum(1 for t in tables.values() if t), "code_seconds": round(t_code, 3),
           "commit_seconds_reliable": round(rel, 4), "commit_seconds_plain": round(plain, 4),
           "extra_seconds": round(rel - plain, 4),
           "extra_share_of_shard": round((rel - plain) / (t_code + plain), 4),
           "load_average": os.getloadavg()[0]}
    if args.json:
        print(json.dumps(res))
    else:
        for k, v in res.items():
            print(f"{k:28} {v}")


if __name__ == "__main__":
    sys.exit(main())
