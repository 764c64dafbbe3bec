"""Throughput: the full communique pipeline against bare spaCy parsing of the same texts.

Both arms run in this process on the same articles, cut into the same batches of
``--batch-size`` articles. Each round goes through the batches once, and for every batch
times the bare parse and the full pipeline back to back, in alternating order (bare first
for one batch, full first for the next), so that a burst of other work on a shared machine
lands on both arms alike instead of on one whole arm. Both arms were run once over all the
articles before timing (lazy tables, memos, allocator).

- bare: ``nlp.pipe`` of the model, the batch's texts, one memory zone per batch; by default
  the pipeline's own model object with the communique stages disabled (same weights in
  memory, same vocabulary), ``--bare-model separate`` loads a second copy as before.
- full: ``Pipeline.code_articles`` of the batch (case restoration, parse, all stages, records
  built, calibrated and serialised to JSON), which is one batch of the pipeline.

For each round the ratio is full over bare, summed over the batches, for wall time and for
this process's CPU time (all threads). The headline is the **median over rounds** of the CPU
ratio, with the lowest and highest round as its spread; the CPU ratio is the fair one when
other jobs share the machine. The keys of earlier versions are kept: ``*_seconds`` are the
best round of each arm and ``ratio_full_over_bare[_cpu]`` their ratio.

    .venv/bin/python benchmarks/throughput.py [--corpus data/corpus/wikinews/articles.jsonl]
        [--limit N] [--rounds 3] [--batch-size 32] [--bare-model shared|separate] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_articles(path: Path, limit: int | None):
    from communique.readers import read_path
    from communique.records import Article

    arts = [a for a in read_path(path) if isinstance(a, Article)]
    return arts[:limit] if limit else arts


def _timed(fn, *args) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - t0, time.process_time() - c0


def _quartiles(values: list[float]) -> list[float]:
    if len(values) < 2:
        return [round(v, 3) for v in values * 3]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return [round(q1, 3), round(q2, 3), round(q3, 3)]


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "wikinews" / "articles.jsonl")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--bare-model", choices=("shared", "separate"), default="shared",
                    help="bare arm: the pipeline's model object with our stages disabled (default), or a second copy")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = ap.parse_args(argv)

    import spacy

    from communique.pipeline import DEFAULT_MODEL, Pipeline

    load_start = os.getloadavg()[0]
    arts = load_articles(args.corpus, args.limit)
    texts = [a.text for a in arts]
    words = sum(len(t.split()) for t in texts)
    pipe = Pipeline(batch_size=args.batch_size)
    if args.bare_model == "separate":
        bare_nlp, ours = spacy.load(DEFAULT_MODEL), []
    else:
        bare_nlp = pipe.nlp
        ours = [n for n in bare_nlp.pipe_names if n.startswith("communique_")]
    size = args.batch_size
    batches = [(texts[i:i + size], arts[i:i + size]) for i in range(0, len(arts), size)]

    def run_bare(batch_texts: list[str]) -> None:
        with bare_nlp.memory_zone():
            for _ in bare_nlp.pipe(batch_texts, batch_size=size, disable=ours):
                pass

    def run_full(batch_arts: list) -> None:
        for rec in pipe.code_articles(batch_arts):
            rec.to_json()

    for batch_texts, batch_arts in batches:   # warm-up of both arms over every article
        run_bare(batch_texts)
        run_full(batch_arts)

    # rounds[r] = [bare wall, bare CPU, full wall, full CPU] summed over the batches
    rounds: list[list[float]] = []
    batch_ratios: list[float] = []   # CPU full/bare of each batch of each round
    flip = False
    for _ in range(args.rounds):
        tot = [0.0, 0.0, 0.0, 0.0]
        for batch_texts, batch_arts in batches:
            if flip:
                fw, fc = _timed(run_full, batch_arts)
                bw, bc = _timed(run_bare, batch_texts)
            else:
                bw, bc = _timed(run_bare, batch_texts)
                fw, fc = _timed(run_full, batch_arts)
            flip = not flip
            tot = [tot[0] + bw, tot[1] + bc, tot[2] + fw, tot[3] + fc]
            if bc > 0:
                batch_ratios.append(fc / bc)
        rounds.append(tot)

    wall_ratios = [fw / bw for bw, _, fw, _ in rounds]
    cpu_ratios = [fc / bc for _, bc, _, fc in rounds]
    # best round of each arm (the keys of earlier versions of this benchmark)
    b, f = min(r[0] for r in rounds), min(r[2] for r in rounds)
    bc, fc = min(r[1] for r in rounds), min(r[3] for r in rounds)
    result = {
        "articles": len(texts), "words": words, "rounds": args.rounds, "cpu": os.cpu_count(),
        "load_average": os.getloadavg()[0], "load_average_start": load_start,
        "batch_size": size, "batches": len(batches), "bare_model": args.bare_model,
        "bare_seconds": round(b, 3), "full_seconds": round(f, 3),
        "bare_cpu_seconds": round(bc, 3), "full_cpu_seconds": round(fc, 3),
        "bare_articles_per_s": round(len(texts) / b, 1), "full_articles_per_s": round(len(texts) / f, 1),
        "full_words_per_s": round(words / f), "ratio_full_over_bare": round(f / b, 3),
        "ratio_full_over_bare_cpu": round(fc / bc, 3),
        # the robust figures: per round (batches interleaved), median and spread over rounds
        "ratio_cpu_median": round(statistics.median(cpu_ratios), 3),
        "ratio_wall_median": round(statistics.median(wall_ratios), 3),
        "ratio_cpu_rounds": [round(x, 3) for x in cpu_ratios],
        "ratio_wall_rounds": [round(x, 3) for x in wall_ratios],
        "ratio_cpu_spread": round(max(cpu_ratios) - min(cpu_ratios), 3),
        "ratio_cpu_pooled": round(sum(r[3] for r in rounds) / sum(r[1] for r in rounds), 3),
        "ratio_cpu_batch_quartiles": _quartiles(batch_ratios),
        "bare_cpu_rounds": [round(r[1], 3) for r in rounds], "full_cpu_rounds": [round(r[3], 3) for r in rounds],
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{len(texts)} articles, {words} words, {args.rounds} rounds of {len(batches)} batches "
              f"(bare and full interleaved per batch), one process")
        print(f"  bare nlp.pipe : {b:7.2f} s  {len(texts) / b:7.1f} articles/s (best round)")
        print(f"  full pipeline : {f:7.2f} s  {len(texts) / f:7.1f} articles/s  {words / f:,.0f} words/s")
        print(f"  ratio full/bare, CPU: median {result['ratio_cpu_median']:.3f} over rounds "
              f"{', '.join(f'{x:.3f}' for x in cpu_ratios)}; batches' quartiles "
              f"{', '.join(f'{x:.3f}' for x in result['ratio_cpu_batch_quartiles'])}")
        print(f"  ratio full/bare, wall: median {result['ratio_wall_median']:.3f} over rounds "
              f"{', '.join(f'{x:.3f}' for x in wall_ratios)}")
        print(f"  load average {load_start:.1f} at the start, {result['load_average']:.1f} at the end")
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
