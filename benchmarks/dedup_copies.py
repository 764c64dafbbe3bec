"""Copy detection (store/copies.py) on synthetic copies of the bundled Wikinews corpus.

Makes the set of benchmarks/dedup_synth.py (376 originals, 0-3 copies each with changed
headlines, bylines, trimmed or appended paragraphs, typographic noise), stores it through the
real ingest path with a stand-in coder (no spaCy: copies are decided before coding) in two
separate runs (half the articles each, so half the originals are only found in the store),
and scores the stored ``copies`` table:

- recall: of the synthetic copies, how many point at an article of their own family;
- precision: of the copy links found, how many join two articles of one family.

    .venv/bin/python benchmarks/dedup_copies.py [--seed 11] [--max-copies 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dedup_synth  # noqa: E402


class NullCoder:
    """Codes nothing (copy detection happens before coding)."""

    def code_articles(self, arts):
        from communique.records import ArticleMeta, Record

        for a in arts:
            yield Record(article=ArticleMeta(id=a.id or "x", date=a.date, source=a.source, title=a.title))


def articles(items):
    from communique.records import Article

    return [Article(text=a["text"], id=a["id"], date=a.get("date"), title=a.get("title"), source=a.get("source"),
                    url=a.get("url"), origin=f"synthetic:{a['id']}") for a in items]


def run(seed: int = 11, max_copies: int = 3) -> dict:
    from communique.engines import ingest
    from communique.engines import work as W
    from communique.store import open_store

    W.PIPELINES[W.PipelineSpec().key()] = NullCoder()
    items = dedup_synth.synthetic_set(seed, max_copies)
    family = {a["id"]: a["family"] for a in items}
    n_copies = sum(1 for a in items if a["family"] != a["id"])
    with tempfile.TemporaryDirectory(prefix="communique-copies-") as tmp:
        root = Path(tmp) / "store"
        half = len(items) // 2
        t0 = time.perf_counter()
        r1 = ingest(articles(items[:half]), root, engine="inprocess", dedup=False)
        r2 = ingest(articles(items[half:]), root, engine="inprocess")
        seconds = time.perf_counter() - t0
        s = open_store(root)
        found = s.sql("SELECT article_id, original_id, similarity, kind FROM copies").to_dict("records")
        stored = {r[0] for r in s.con.execute("SELECT article_id FROM articles").fetchall()}
        s.close()
    tp = sum(1 for c in found if family[c["article_id"]] == family[c["original_id"]])
    # every article has its own id, so a copy byte-identical to another article is stored too (an
    # exact copy): recall counts every synthetic copy (before article keys had identities, such a
    # copy was skipped as already stored)
    stored_copies = sum(1 for a in items if a["family"] != a["id"] and a["id"] in stored)
    # a family's copies are found when every stored member but one points into the family
    fams: dict[str, int] = {}
    for a in items:
        if a["id"] in stored:
            fams[a["family"]] = fams.get(a["family"], 0) + 1
    expected_links = sum(n - 1 for n in fams.values())
    recall = tp / expected_links if expected_links else 1.0
    precision = tp / len(found) if found else 1.0
    return {"articles": len(items), "synthetic_copies": n_copies, "stored_copies": stored_copies,
            "expected_links": expected_links, "found": len(found), "true": tp,
            "recall": round(recall, 4), "precision": round(precision, 4),
            "runs": [r1.copies, r2.copies], "seconds": round(seconds, 1),
            "load_average": round(os.getloadavg()[0], 2), "seed": seed}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--max-copies", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    res = run(args.seed, args.max_copies)
    if args.json:
        print(json.dumps(res))
    else:
        for k, v in res.items():
            print(f"{k:>18}: {v}")
    return res


if __name__ == "__main__":
    main()
