"""Per-stage CPU time of the communique work, apart from the spaCy parse.

The articles are parsed once by the model's own components (case restored first, as the
pipeline does) and the Docs kept; then only the communique work is timed over those Docs,
``--rounds`` times, best round per step: case restoration, each ``communique_*`` stage in
pipeline order, and record building (``assemble``, calibration, ``Record``, JSON). CPU time
of this process is far less sensitive to other jobs on the machine than wall time, so this
is the figure to compare before and after a change to a stage. Seconds are per 100 articles;
``share`` is each step's time over the bare parse time of the same Docs. Every round starts
from the Docs as the pipeline hands them to the stages (``user_data`` holding only the date,
the input text and the tokenised string): what a stage keeps in ``user_data`` for a document
is rebuilt each round, as it is for every new document (before 2026-12-08 it was kept from
the warm-up round, so such per-document work went uncounted).

    .venv/bin/python benchmarks/stage_profile.py [--limit 100] [--rounds 3] [--json]
        [--profile 30]   # also cProfile one round of the communique steps, top 30 functions
        [--save FILE]    # with --profile: keep the stats for pstats

The bare parse here runs without a memory zone and with the model's components only, so its
time is close to, not equal to, ``benchmarks/throughput.py``'s bare run.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "wikinews" / "articles.jsonl")
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="cProfile one more round of the communique steps and print the top N functions")
    ap.add_argument("--save", type=Path, default=None, help="with --profile: also write the cProfile stats here")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args(argv)

    from throughput import load_articles

    from communique.calibration import calibrate
    from communique.pipeline import Pipeline, article_meta
    from communique.records import Record
    from communique.stages._state import assemble, get_state

    arts = load_articles(args.corpus, args.limit)
    pipe = Pipeline(batch_size=args.batch_size)
    nlp = pipe.nlp
    ours = [(n, p) for n, p in nlp.pipeline if n.startswith("communique_")]
    texts = [a.text for a in arts]

    restored = [pipe.restore_case(t) for t in texts]   # warm-up of the restorer's tables
    c0 = time.process_time()
    with nlp.select_pipes(disable=[n for n, _ in ours]):
        docs = list(nlp.pipe(restored, batch_size=args.batch_size))
    parse = time.process_time() - c0
    try:   # what the pipeline records for every document it tokenises (absent from older code)
        from communique.stages._state import set_doc_text
    except ImportError:
        def set_doc_text(doc, text: str) -> None:
            pass
    given = {"communique_date": [a.date for a in arts], "communique_text": texts}

    def fresh() -> None:
        """Each round starts from the documents as the pipeline hands them to the stages: only
        the date, the input text and the tokenised string; nothing a stage kept in ``user_data``
        in an earlier round (joined texts, sentence tables) carries over."""
        for i, doc in enumerate(docs):
            doc.user_data.clear()
            for key, values in given.items():
                doc.user_data[key] = values[i]
            set_doc_text(doc, restored[i])

    def one_round(times: dict[str, float]) -> None:
        def step(name: str, fn) -> list:
            c = time.process_time()
            out = [fn(x) for x in items[name]]
            times[name] = min(times.get(name, float("inf")), time.process_time() - c)
            return out

        items = {"restore_case": texts}
        step("restore_case", pipe.restore_case)
        fresh()
        for name, proc in ours:
            items[name] = docs
            step(name, proc)
        items["assemble"] = docs
        parts = step("assemble", lambda d: assemble(get_state(d)))

        def record(i: int) -> str:
            p = calibrate(dict(parts[i]), pipe.calibration)
            warnings = list(arts[i].warnings) + p.pop("warnings")
            return Record(article=article_meta(arts[i]), warnings=warnings, coder=pipe.coder, **p).to_json()

        items["record+json"] = range(len(docs))
        step("record+json", record)

    times: dict[str, float] = {}
    one_round({})   # warm-up: lazy tables, caches
    for _ in range(args.rounds):
        one_round(times)
    per100 = 100 / len(docs)
    total = sum(times.values())
    result = {
        "articles": len(docs), "rounds": args.rounds, "parse_cpu_per100": round(parse * per100, 3),
        "stages_cpu_per100": {k.removeprefix("communique_"): round(v * per100, 3) for k, v in times.items()},
        "total_cpu_per100": round(total * per100, 3), "share_of_parse": round(total / parse, 4),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{len(docs)} articles; CPU seconds per 100 articles, best of {args.rounds} rounds")
        print(f"  {'bare parse':<14}{parse * per100:8.3f}")
        for k, v in times.items():
            print(f"  {k.removeprefix('communique_'):<14}{v * per100:8.3f}  {v / parse:6.1%} of parse")
        print(f"  {'all ours':<14}{total * per100:8.3f}  {total / parse:6.1%} of parse")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        one_round({})
        prof.disable()
        if args.save:
            prof.dump_stats(args.save)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(args.profile)
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
