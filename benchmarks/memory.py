"""Memory over a long ingest: worker RSS must stay flat while the vocabulary of the input keeps growing.

Builds a corpus of ``--articles`` (default 50,000) by repeating the Wikinews corpus with
fresh random names and numbers in every copy (so every copy brings new strings that
spaCy would keep forever outside ``nlp.memory_zone()``), ingests it with the process
pool (``--workers``, default 2) into a fresh store, and samples the RSS and spaCy
vocabulary size of every worker every ``--every`` (5,000) articles. The claim: each
worker's RSS stays within 10% of its value at the first sample.

``--ablation N`` also parses N mutated articles with bare spaCy in this process, with and
without ``memory_zone``, to show the growth the zones prevent.

    .venv/bin/python benchmarks/memory.py [--articles 50000] [--workers 2] [--every 5000]
        [--ablation 2000] [--json] [--out memory.json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
_SYL = ["ka", "ri", "zo", "mu", "te", "lan", "vor", "shi", "qua", "del", "mir", "tov", "bex", "ul", "yan", "gro"]
_NUM = re.compile(r"\d+")


def fresh_name(rng) -> str:
    return "".join(_SYL[i] for i in rng.integers(0, len(_SYL), rng.integers(2, 5))).capitalize()


def mutate(text: str, rng) -> str:
    """New names in a first sentence and new numbers everywhere."""
    a, b, c, d, place = (fresh_name(rng) for _ in range(5))
    intro = (f"{a} {b} met {c} {d} in {place} on {rng.integers(1, 28)} March, where "
             f"{rng.integers(1000, 999999)} people gathered. ")
    return intro + _NUM.sub(lambda m: str(rng.integers(0, 10 ** min(len(m.group()), 9))), text)


def build_corpus(src: Path, out: Path, n: int, seed: int = 11) -> int:
    rng = np.random.default_rng(seed)
    arts = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for i in range(n):
            a = dict(arts[i % len(arts)])
            a["id"] = f"{a.get('id', 'a')}-copy{i // len(arts)}"
            a["text"] = mutate(a["text"], rng)
            fh.write(json.dumps(a) + "\n")
    return n


def ablation(corpus: Path, n: int) -> dict:
    """Bare spaCy over the same mutated texts, with and without memory zones."""
    import psutil
    import spacy

    from communique.pipeline import DEFAULT_MODEL

    texts = []
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if len(texts) >= n:
                break
    res = {}
    for zones in (True, False):
        nlp = spacy.load(DEFAULT_MODEL)
        for _ in nlp.pipe(texts[:50]):   # warm-up
            pass
        proc = psutil.Process()
        v0, r0 = len(nlp.vocab.strings), proc.memory_info().rss
        t0 = time.perf_counter()
        for start in range(0, len(texts), 100):
            batch = texts[start:start + 100]
            if zones:
                with nlp.memory_zone():
                    for _ in nlp.pipe(batch):
                        pass
            else:
                for _ in nlp.pipe(batch):
                    pass
        res["with_memory_zone" if zones else "without_memory_zone"] = {
            "articles": len(texts), "vocab_before": v0, "vocab_after": len(nlp.vocab.strings),
            "rss_before": r0, "rss_after": proc.memory_info().rss, "seconds": time.perf_counter() - t0}
        del nlp
    return res


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=50_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--every", type=int, default=5_000)
    ap.add_argument("--shard-size", type=int, default=50)
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "wikinews" / "articles.jsonl")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/communique-memory"))
    ap.add_argument("--ablation", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="also write the result here (JSON)")
    args = ap.parse_args(argv)

    from communique.engines import ingest

    corpus = args.dir / "articles.jsonl"
    build_corpus(args.corpus, corpus, args.articles)
    store = args.dir / "store"
    shutil.rmtree(store, ignore_errors=True)
    samples: list[dict] = []
    next_mark = [args.every]

    def on_progress(p):
        while p.done >= next_mark[0]:
            samples.append({"articles": next_mark[0], "done": p.done, "elapsed": round(p.elapsed, 1),
                            "rss": dict(p.worker_rss), "vocab": dict(p.worker_vocab)})
            print(f"  {p.done:>6} articles  {p.rate:5.2f}/s  " + "  ".join(
                f"pid {pid}: {rss / 2**20:7.1f} MiB, vocab {p.worker_vocab.get(pid, 0)}"
                for pid, rss in sorted(p.worker_rss.items())), file=sys.stderr, flush=True)
            next_mark[0] += args.every

    t0 = time.perf_counter()
    rep = ingest([str(corpus)], store, engine="processes", workers=args.workers, shard_size=args.shard_size,
                 dedup=False, on_progress=on_progress)
    wall = time.perf_counter() - t0
    workers = sorted({pid for s in samples for pid in s["rss"]})
    per_worker = {}
    for pid in workers:
        series = [s["rss"][pid] for s in samples if pid in s["rss"]]
        base = series[0]
        per_worker[str(pid)] = {"rss_first": base, "rss_max": max(series), "rss_last": series[-1],
                                "max_over_first": max(series) / base,
                                "vocab": [s["vocab"].get(pid) for s in samples]}
    result = {"articles": rep.articles, "errors": rep.errors, "workers": rep.workers, "wall_seconds": wall,
              "coding_seconds": rep.seconds, "articles_per_s": rep.rate, "every": args.every,
              "samples": [{**s, "rss": {str(k): v for k, v in s["rss"].items()},
                           "vocab": {str(k): v for k, v in s["vocab"].items()}} for s in samples],
              "per_worker": per_worker,
              "flat_within_10_percent": all(w["max_over_first"] <= 1.10 for w in per_worker.values())}
    if args.ablation:
        result["ablation"] = ablation(corpus, args.ablation)
    if args.out:
        args.out.write_text(json.dumps(result, indent=1))
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{rep.articles} articles, {rep.workers} workers, {wall / 60:.1f} min")
        for pid, w in per_worker.items():
            print(f"  worker {pid}: RSS {w['rss_first'] / 2**20:.0f} MiB at {args.every} articles, max "
                  f"{w['rss_max'] / 2**20:.0f} MiB ({w['max_over_first']:.3f}x), last {w['rss_last'] / 2**20:.0f} MiB")
        print(f"  flat within 10%: {result['flat_within_10_percent']}")
        for k, v in result.get("ablation", {}).items():
            print(f"  bare spaCy {k}: vocabulary {v['vocab_before']} -> {v['vocab_after']} strings, RSS "
                  f"{v['rss_before'] / 2**20:.0f} -> {v['rss_after'] / 2**20:.0f} MiB over {v['articles']} articles")
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
