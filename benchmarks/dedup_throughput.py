"""Ingest throughput with and without de-duplication (copies, stories, events) on the 376
bundled Wikinews articles, in one process, alternately (without, with, without, with ...),
each into a fresh store; the best wall time of each is reported and their ratio, so the
ratio is measured in one run on one machine. The spaCy pipeline is loaded once, before.

    .venv/bin/python benchmarks/dedup_throughput.py [--limit N] [--rounds 1] [--engine inprocess] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus" / "wikinews" / "articles.jsonl"


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--engine", default="inprocess")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from communique.engines import ingest
    from communique.engines.work import PipelineSpec, warm_up
    from communique.readers import read_path
    from communique.records import Article

    arts = [a for a in read_path(CORPUS) if isinstance(a, Article)]
    arts = arts[:args.limit] if args.limit else arts
    warm_up(PipelineSpec())            # the pipeline is loaded once, outside the timings
    times: dict[str, list[float]] = {"without": [], "with": []}
    dedup_info = None
    for _ in range(args.rounds):
        for mode in ("without", "with"):
            with tempfile.TemporaryDirectory(prefix="communique-dedup-bench-") as tmp:
                on = mode == "with"
                t0 = time.perf_counter()
                r = ingest(arts, Path(tmp) / "store", engine=args.engine, dedup=on, copies=on)
                times[mode].append(time.perf_counter() - t0)
                if on:
                    dedup_info = {"copies": r.copies, **(r.dedup or {})}
    best = {k: min(v) for k, v in times.items()}
    res = {"articles": len(arts), "engine": args.engine, "rounds": args.rounds,
           "seconds_without": round(best["without"], 2), "seconds_with": round(best["with"], 2),
           "ratio": round(best["with"] / best["without"], 3),
           "articles_per_second_without": round(len(arts) / best["without"], 2),
           "articles_per_second_with": round(len(arts) / best["with"], 2),
           "dedup": dedup_info, "load_average": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps(res) if args.json else "\n".join(f"{k:>28}: {v}" for k, v in res.items()))
    return res


if __name__ == "__main__":
    main()
