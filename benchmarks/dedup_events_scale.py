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


def build_fast(root: Path, items: list[dict], shard_size: int = 10_000) -> None:
    """The base store written directly in the store's format (no ingest engine, no copy search):
    the stand-in coder's records as ``record_rows`` makes them, the stream's copies as the copy
    layer would store them (their family's original), shards of ``shard_size``, then one
    de-duplication. MinHash signatures are computed for the last 2,000 originals only: the copies
    of a later batch are of the 200 articles before them, and signatures are not read by
    de-duplication. Much faster than ``ingest`` for large N (same tables, same de-duplication)."""
    from communique.store import copies as C
    from communique.store.catalog import ingest_lock, now_utc
    from communique.store.core import Store
    from communique.store.rows import copy_rows, key_of, record_rows, signature_row
    from communique.store.schema import SHARD_TABLES
    from communique.store.writer import shard_id, write_shard

    arts = articles(items)
    keys = {a.id: key_of(a) for a in arts}
    originals = [a for a, it in zip(arts, items, strict=True) if it["family"] == a.id]
    signed = {a.id for a in originals[-2000:]}
    coder = Coder()
    Store(root).close()          # creates the store folder
    at = now_utc()
    with ingest_lock(root):
        for i in range(0, len(arts), shard_size):
            chunk, meta = arts[i:i + shard_size], items[i:i + shard_size]
            tables: dict[str, list[dict]] = {t: [] for t in SHARD_TABLES}
            sid = shard_id(keys[a.id] for a in chunk)
            coded = [a for a, it in zip(chunk, meta, strict=True) if it["family"] == a.id]
            for a, rec in zip(coded, coder.code_articles(coded), strict=True):
                for t, rs in record_rows(rec, a.text, origin=a.origin, shard=sid, ingested_at=at,
                                         key=keys[a.id]).items():
                    tables[t].extend(rs)
                if a.id in signed:
                    sig = C.signature(a.text)
                    tables["signatures"].append(signature_row(keys[a.id], a.id, a.date, sig, C.band_keys(sig),
                                                              shard=sid))
            for a, it in zip(chunk, meta, strict=True):
                if it["family"] != a.id:
                    info = {"copy_of": keys[it["family"]], "original_id": it["family"], "similarity": 0.9,
                            "kind": "near"}
                    for t, rs in copy_rows(a, info, shard=sid, ingested_at=at).items():
                        tables[t].extend(rs)
            write_shard(root, sid, tables, {"engine": "benchmark"})
    s = Store(root)
    s.deduplicate()
    s.close()


def run(n: int, batch: int, full: bool, keep: Path | None = None, fast: bool = True, build_only: bool = False) -> dict:
    """Build (or reuse from ``keep``) a store of ``n`` articles de-duplicated plus one batch ingested,
    then time two de-duplications: of that batch (``first``: the first run of this code on a store
    whose last generation an older version may have written) and of a second batch (``next``: the
    steady state, each generation written by this code)."""
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
            if fast:
                build_fast(root, old)
            else:
                for i in range(0, n, 20_000):      # the store is built in runs of 20,000 (each de-duplicated)
                    ingest(articles(old[i:i + 20_000]), root, engine="inprocess", shard_size=2000)
            ingest(articles(new), root, engine="inprocess", shard_size=2000, dedup=False)
            if built is not None:
                shutil.rmtree(built, ignore_errors=True)
                shutil.copytree(root, built)
                (built / "READY").write_text("built\n")
        build = time.perf_counter() - t0
        if build_only:
            return {"store_articles": n, "batch": batch, "build_seconds": round(build, 1)}
        s = open_store(root)
        out = {"store_articles": n, "batch": batch, "build_seconds": round(build, 1),
               "mentions_in_store": int(s.scalar("SELECT count(*) FROM mentions"))}
        for name in ("first", "next"):
            if name == "next":
                second = list(dedup_synth.scaled_stream(n + 2 * batch))[n + batch:]
                s.close()
                ingest(articles(second), root, engine="inprocess", shard_size=2000, dedup=False)
                s = open_store(root)
            load0 = os.getloadavg()[0]
            t0, c0 = time.perf_counter(), time.process_time()
            res = s.deduplicate()
            inc = time.perf_counter() - t0
            # CPU seconds of this process (DuckDB's threads included): steadier than wall time
            # on a shared machine
            cpu = time.process_time() - c0
            out[name] = {"dedup_seconds": round(inc, 2), "ms_per_new_article": round(1000 * inc / batch, 2),
                         "dedup_cpu_seconds": round(cpu, 2),
                         "event_work": res.get("event_work"), "story_work": res.get("story_work"),
                         "events": res.get("events"), "load_average": round(load0, 2),
                         "files_written": res.get("files_written"), "files_reused": res.get("files_reused")}
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
    ap.add_argument("--ingest-build", action="store_true",
                    help="build the base store with `ingest` in runs of 20,000 (slow) instead of writing it directly")
    ap.add_argument("--build-only", action="store_true", help="only build the stores (with --keep)")
    args = ap.parse_args(argv)
    rows = []
    for n in args.sizes:
        r = run(n, args.batch, args.full, args.keep, fast=not args.ingest_build, build_only=args.build_only)
        rows.append(r)
        print(json.dumps(r) if args.json else r, flush=True)
    return rows


if __name__ == "__main__":
    main()
