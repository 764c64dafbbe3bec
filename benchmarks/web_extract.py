"""HTML extraction: throughput, quality, and its share of the time per article next to coding.

Builds one realistic news page per corpus article (four site layouts with navigation, ads, comments,
scripts, JSON-LD; tests/fixtures/pages.py), then, in this process and alternately, best of N rounds:

- extraction: ``readers.html.page_to_article`` (decode, trafilatura, cleaning, py3langid, metadata);
- coding: the full pipeline on the articles that extraction returned (records built and serialised).

Both are timed in CPU seconds of this process (fair when other jobs share the machine) and wall
seconds. The aim (issue 13): extraction adds at most 15% to the coding time of the same articles.
Quality: word precision and recall of the extracted text against the article text the page was
built from. ``--compare`` also times trafilatura alone and, when installed, resiliparse and
readability-lxml on the same pages (not dependencies of communique).

    .venv/bin/python benchmarks/web_extract.py [--limit N] [--rounds 2] [--compare] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_W = re.compile(r"\w+")


def prf(got: str, gold: str) -> tuple[float, float]:
    g, r = Counter(_W.findall(got.lower())), Counter(_W.findall(gold.lower()))
    inter = sum((g & r).values())
    return inter / max(1, sum(g.values())), inter / max(1, sum(r.values()))


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="articles (default: the whole corpus, 376)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--compare", action="store_true", help="also time other extractors on the same pages")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from communique.pipeline import Pipeline
    from communique.readers.html import PageContext, page_to_article
    from communique.readers.options import ReadOptions
    from communique.records import Article
    from tests.fixtures.pages import corpus, page

    arts = corpus(args.limit)
    pages = [(a, *page(a, k)) for k, a in enumerate(arts)]
    data = [(u, h.encode("utf-8")) for _, u, h in pages]
    opts = ReadOptions(lang=None)
    pipe = Pipeline()
    page_to_article(data[0][1], "warm-up", PageContext(url=data[0][0]), opts)   # load trafilatura, py3langid

    def extract() -> list:
        return [page_to_article(h, u, PageContext(url=u, input="web"), opts) for u, h in data]

    def timed(fn):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        return time.perf_counter() - t0, time.process_time() - c0, out

    best: dict[str, tuple[float, float]] = {}
    extracted: list = []
    for _ in range(args.rounds):
        w, c, extracted = timed(extract)
        best["extract"] = min(best.get("extract", (w, c)), (w, c), key=lambda x: x[1])
        good = [a for a in extracted if isinstance(a, Article)]
        w, c, _ = timed(lambda good=good: [r.to_json() for r in pipe.code_articles(good)])
        best["code"] = min(best.get("code", (w, c)), (w, c), key=lambda x: x[1])
    good = [a for a in extracted if isinstance(a, Article)]
    p = r = 0.0
    for (a, _, _), got in zip(pages, extracted, strict=True):
        pp, rr = prf(got.text if isinstance(got, Article) else "", a["text"])
        p, r = p + pp, r + rr
    n = len(pages)
    res = {
        "pages": n, "articles": len(good), "html_mb": round(sum(len(h) for _, h in data) / 2**20, 1),
        "extract_cpu_s": round(best["extract"][1], 2), "extract_wall_s": round(best["extract"][0], 2),
        "code_cpu_s": round(best["code"][1], 2), "code_wall_s": round(best["code"][0], 2),
        "extract_ms_per_page_cpu": round(1000 * best["extract"][1] / n, 2),
        "pages_per_s_cpu": round(n / best["extract"][1], 1),
        "extraction_share_of_coding_cpu": round(best["extract"][1] / best["code"][1], 4),
        "extraction_share_of_total_cpu": round(best["extract"][1] / (best["extract"][1] + best["code"][1]), 4),
        "word_precision": round(p / n, 4), "word_recall": round(r / n, 4),
        "load_average": os.getloadavg()[0],
    }
    if args.compare:
        res["compare"] = compare(pages)
    if args.json:
        print(json.dumps(res))
    else:
        for k, v in res.items():
            print(f"{k:34s} {v}")
    return res


def compare(pages) -> dict:
    """CPU ms per page and word precision/recall of other extractors on the same pages."""
    import trafilatura

    fns = {"trafilatura (bare_extraction, metadata)": lambda h, u: (trafilatura.bare_extraction(
        h, url=u, with_metadata=True, include_comments=False, include_tables=False) or _Empty()).text,
        "trafilatura (text only)": lambda h, u: trafilatura.extract(h, include_comments=False, include_tables=False)}
    try:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree

        fns["resiliparse 2.0 (main_content)"] = lambda h, u: extract_plain_text(
            HTMLTree.parse(h), main_content=True, alt_texts=False, links=False, list_bullets=False)
    except ImportError:
        pass
    try:
        import lxml.html
        from readability import Document

        fns["readability-lxml"] = lambda h, u: lxml.html.fromstring(Document(h).summary()).text_content()
    except ImportError:
        pass
    out = {}
    for name, fn in fns.items():
        c0 = time.process_time()
        p = r = 0.0
        for a, u, h in pages:
            pp, rr = prf(fn(h, u) or "", a["text"])
            p, r = p + pp, r + rr
        n = len(pages)
        out[name] = {"ms_per_page_cpu": round(1000 * (time.process_time() - c0) / n, 2),
                     "word_precision": round(p / n, 4), "word_recall": round(r / n, 4)}
    return out


class _Empty:
    text = ""


if __name__ == "__main__":
    main()
