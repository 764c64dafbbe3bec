"""WARC reading: records per second and memory over a synthetic web archive of 20,000+ records.

Writes a gzipped WARC like a news crawl (warcinfo, then a request and a response per page; the pages
are the corpus articles in four site layouts, with a share of non-English pages, 404s and PDFs),
then measures in this process:

- raw reading: warcio iteration with every payload read (and fastwarc on the same file, when
  installed, for comparison; fastwarc is not a dependency);
- ``readers.warc.read_warc``: reading plus extraction (trafilatura, py3langid) of every record,
  with this process's resident memory sampled every 1,000 records: memory must stay flat.

    .venv/bin/python benchmarks/warc_read.py [--records 20000] [--extract-records N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(path: Path, n: int) -> dict:
    from tests.fixtures.pages import FRENCH, corpus, page
    from tests.fixtures.warcs import Rec, write_warc

    arts = corpus()
    _, fr = page(FRENCH, 0, lang="fr-FR")
    recs = []
    for i in range(n):
        if i % 20 == 7:
            recs.append(Rec(f"https://fr.example/{i}", fr.encode(), date="2024-10-01T12:00:00Z"))
        elif i % 50 == 11:
            recs.append(Rec(f"https://x.example/missing/{i}", b"<html>gone</html>", status="404 Not Found"))
        elif i % 50 == 13:
            recs.append(Rec(f"https://x.example/doc/{i}.pdf", b"%PDF-1.4 " + b"x" * 2000,
                            content_type="application/pdf"))
        else:
            a = arts[i % len(arts)]
            url, html = page(a, i)
            recs.append(Rec(f"{url}?v={i}", html.encode()))
    write_warc(path, recs)
    return {"records": n, "warc_records": 1 + 2 * n, "mb": round(path.stat().st_size / 2**20, 1)}


def rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=20_000, help="pages in the archive")
    ap.add_argument("--extract-records", type=int, default=None, help="stop the extraction pass after N pages")
    ap.add_argument("--path", type=Path, default=Path("/tmp/communique-bench.warc.gz"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from communique.readers.options import ReadOptions
    from communique.readers.warc import read_warc

    info = build(args.path, args.records)
    from warcio.archiveiterator import ArchiveIterator

    c0, t0 = time.process_time(), time.perf_counter()
    n = 0
    with open(args.path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            rec.content_stream().read()
            n += 1
    raw = {"records": n, "records_per_s_cpu": round(n / (time.process_time() - c0)),
           "records_per_s_wall": round(n / (time.perf_counter() - t0))}
    fast = None
    try:
        from fastwarc.warc import ArchiveIterator as FastIterator

        c0 = time.process_time()
        m = 0
        for rec in FastIterator(str(args.path), parse_http=True):
            rec.reader.read()
            m += 1
        fast = {"records": m, "records_per_s_cpu": round(m / (time.process_time() - c0))}
    except ImportError:
        pass

    opts = ReadOptions()
    samples = []
    c0, t0 = time.process_time(), time.perf_counter()
    k = 0
    articles = 0
    for item in read_warc(args.path, options=opts):
        k += 1
        articles += item.__class__.__name__ == "Article"
        if k % 1000 == 0:
            samples.append((k, rss()))
        if args.extract_records and k >= args.extract_records:
            break
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    warm = [s for s in samples if s[0] >= 2000] or samples
    mem = {"rss_mb_at": {str(a): round(b / 2**20, 1) for a, b in samples},
           "rss_mb_first_after_warmup": round(warm[0][1] / 2**20, 1) if warm else None,
           "rss_mb_last": round(samples[-1][1] / 2**20, 1) if samples else None,
           "rss_mb_max_after_warmup": round(max(b for _, b in warm) / 2**20, 1) if warm else None}
    if warm:
        mem["growth_after_warmup"] = round(max(b for _, b in warm) / warm[0][1] - 1, 4)
    res = {"archive": info, "raw_warcio": raw, "raw_fastwarc": fast,
           "read_warc": {"items": k, "articles": articles, "cpu_s": round(cpu, 1), "wall_s": round(wall, 1),
                         "records_per_s_cpu": round(k / cpu, 1), "skipped": dict(opts.stats)},
           "memory": mem, "load_average": os.getloadavg()[0]}
    if args.json:
        print(json.dumps(res))
    else:
        print(json.dumps(res, indent=1))
    return res


if __name__ == "__main__":
    main()
