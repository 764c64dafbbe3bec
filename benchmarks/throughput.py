"""Throughput: the full communique pipeline against bare spaCy parsing of the same texts.

Both run in this process, on the same articles, alternately (bare, full, bare, full ...);
the best time of each is reported, so the ratio is measured in one run on one machine.
The full pipeline time includes building and serialising the communique/1 records.

    .venv/bin/python benchmarks/throughput.py [--corpus data/corpus/wikinews/articles.jsonl]
        [--limit N] [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_articles(path: Path, limit: int | None):
    from communique.readers import read_path
    from communique.records import Article

    arts = [a for a in read_path(path) if isinstance(a, Article)]
    return arts[:limit] if limit else arts


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "wikinews" / "articles.jsonl")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = ap.parse_args(argv)

    import spacy

    from communique.pipeline import DEFAULT_MODEL, Pipeline

    arts = load_articles(args.corpus, args.limit)
    texts = [a.text for a in arts]
    words = sum(len(t.split()) for t in texts)
    bare_nlp = spacy.load(DEFAULT_MODEL)
    pipe = Pipeline(batch_size=args.batch_size)

    def run_bare() -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        with bare_nlp.memory_zone():
            for _ in bare_nlp.pipe(texts, batch_size=args.batch_size):
                pass
        return time.perf_counter() - t0, time.process_time() - c0

    def run_full() -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        for rec in pipe.code_articles(arts):
            rec.to_json()
        return time.perf_counter() - t0, time.process_time() - c0

    run_bare(), run_full()  # warm-up: caches, lazy tables
    bare, full = [], []
    for _ in range(args.rounds):
        bare.append(run_bare())
        full.append(run_full())
    # wall time is what a user waits; CPU time (this process, all threads) is what the work
    # costs, and it stays fair when other jobs share the machine
    b, f = min(w for w, _ in bare), min(w for w, _ in full)
    bc, fc = min(c for _, c in bare), min(c for _, c in full)
    result = {
        "articles": len(texts), "words": words, "rounds": args.rounds, "cpu": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "bare_seconds": round(b, 3), "full_seconds": round(f, 3),
        "bare_cpu_seconds": round(bc, 3), "full_cpu_seconds": round(fc, 3),
        "bare_articles_per_s": round(len(texts) / b, 1), "full_articles_per_s": round(len(texts) / f, 1),
        "full_words_per_s": round(words / f), "ratio_full_over_bare": round(f / b, 3),
        "ratio_full_over_bare_cpu": round(fc / bc, 3),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{len(texts)} articles, {words} words, best of {args.rounds} rounds, one process")
        print(f"  bare nlp.pipe : {b:7.2f} s  {len(texts) / b:7.1f} articles/s")
        print(f"  full pipeline : {f:7.2f} s  {len(texts) / f:7.1f} articles/s  {words / f:,.0f} words/s")
        print(f"  ratio full/bare: {f / b:.3f} wall, {fc / bc:.3f} CPU time "
              f"(bare {bc:.2f} s, full {fc:.2f} s CPU; load average {result['load_average']:.1f})")
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
