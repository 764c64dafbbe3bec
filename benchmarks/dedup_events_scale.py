"""Cost of a new day's de-duplication as the store grows, events included (issue 11).

A store of N synthetic articles (``dedup_synth.scaled_stream``, copies included, 100 a day) is
built by ``ingest`` with a stand-in coder (no spaCy; each article gets two events between actors
drawn from a pool of 300 names, CAMEO codes from a short list, dated the article's day), then a
batch of ``--batch`` articles of the following days is ingested without de-duplication and
de-duplicated (``Store.deduplicate``): what every later ingest costs. Reported per N: the
de-duplication of that batch (seconds, ms per new article, mentions clustered again, events
copied as they were, articles the stories re-read) and, in the same run, a forced
de-duplication of the whole store (``--full``), which is what each ingest cost before stories
and events became incremental.

    nice -n 10 .venv/bin/python benchmarks/dedup_events_scale.py --sizes 10000 200000 --batch 1000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dedup_synth  # noqa: E402

NAMES = [f"{a} {b}" for a in ("Anna", "Boris", "Chen", "Dara", "Emil", "Fatima", "Goran", "Hiro", "Ines", "Jonas",
                              "Kofi", "Lena", "Mateo", "Nadia", "Omar")
         for b in ("Abe", "Bauer", "Costa", "Diallo", "Evans", "Fischer", "Garcia", "Haddad", "Ivanov", "Jensen",
                   "Kim", "Lopez", "Mensah", "Novak", "Okoye", "Petrov", "Quinn", "Rossi", "Sato", "Tanaka")]
CODES = [("042", "04", 1, 1.9), ("051", "05", 1, 3.4), ("036", "03", 1, 4.0), ("112", "11", 3, -2.0),
         ("173", "17", 4, -5.0), ("190", "19", 4, -10.0)]


class Coder:
    """Two events an article, participants and codes chosen from the article id (deterministic)."""

    def code_articles(self, arts):
        from communique.records import (
            ArticleMeta,
            Event,
            Participant,
            Plover,
            Record,
            SentenceSpan,
            Span,
        )

        for art in arts:
            h = zlib.crc32((art.id or "").encode())
            events = []
            for i in range(2):
                x = (h >> (i * 11)) & 0xFFFFFFFF
                src, tgt = NAMES[x % len(NAMES)], NAMES[(x // 7) % len(NAMES)]
                code, root, quad, gs = CODES[(x // 13) % len(CODES)]
                end = min(len(art.text), 40)
                events.append(Event(
                    id=f"e{i + 1}", sentence=SentenceSpan(start=0, end=end),
                    trigger=Span(start=0, end=min(end, 3), text=art.text[:min(end, 3)]),
                    source=Participant(span=Span(start=0, end=1, text=src), name=src),
                    target=Participant(span=Span(start=0, end=1, text=tgt), name=tgt),
                    cameo=code, cameo_root=root, plover=Plover(event="CONSULT"), goldstein=gs, quad_class=quad,
                    date=art.date, date_from="article", confidence=0.7))
            yield Record(article=ArticleMeta(id=art.id, date=art.date, source=art.source, title=art.title),
                         events=events)


def articles(items):
    from communique.records import Article

    return [Article(text=a["text"], id=a["id"], date=a["date"], title=a.get("title"), source=a.get("source"),
                    origin=f"synthetic:{a['id']}") for a in items]


def run(n: int, batch: int, full: bool, keep: Path | None = None) -> dict:
    import shutil

    from communique.engines import ingest
    from communique.engines import work as W
    from communique.store import open_store

    W.PIPELINES[W.PipelineSpec().key()] = Coder()
    with tempfile.TemporaryDirectory(prefix="communique-evscale-") as tmp:
        root = Path(tmp) / "store"
        built = keep / f"store-{n}-{batch}" if keep else None
        t0 = time.perf_counter()
        if built is not None and (built / "READY").exists():
            shutil.copytree(built, root)       # a store built by an earlier run (--keep): same content
        else:
            stream = list(dedup_synth.scaled_stream(n + batch))
            old, new = stream[:n], stream[n:]
            for i in range(0, n, 20_000):          # the store is built in runs of 20,000 (each de-duplicated)
                ingest(articles(old[i:i + 20_000]), root, engine="inprocess", shard_size=2000)
            ingest(articles(new), root, engine="inprocess", shard_size=2000, dedup=False)
            if built is not None:
                shutil.rmtree(built, ignore_errors=True)
                shutil.copytree(root, built)
                (built / "READY").write_text("built\n")
        build = time.perf_counter() - t0
        s = open_store(root)
        load0 = os.getloadavg()[0]
        t0 = time.perf_counter()
        res = s.deduplicate()
        inc = time.perf_counter() - t0
        out = {"store_articles": n, "batch": batch, "dedup_seconds": round(inc, 2),
               "ms_per_new_article": round(1000 * inc / batch, 2),
               "event_work": res.get("event_work"), "story_work": res.get("story_work"),
               "mentions_in_store": int(s.scalar("SELECT count(*) FROM mentions")),
               "events": res.get("events"), "build_seconds": round(build, 1), "load_average": round(load0, 2)}
        if full:
            t0 = time.perf_counter()
            s.deduplicate(force=True)
            out["full_dedup_seconds"] = round(time.perf_counter() - t0, 2)
        out["load_average_end"] = round(os.getloadavg()[0], 2)
        s.close()
    return out


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000])
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--full", action="store_true", help="also time a forced de-duplication of the whole store")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--keep", type=Path, help="keep the built stores (before the batch's de-duplication) in this "
                                             "folder and reuse them in later runs, to compare code on one store")
    args = ap.parse_args(argv)
    rows = []
    for n in args.sizes:
        r = run(n, args.batch, args.full, args.keep)
        rows.append(r)
        print(json.dumps(r) if args.json else r, flush=True)
    return rows


if __name__ == "__main__":
    main()
