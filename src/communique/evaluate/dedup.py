"""Scoring de-duplication on ECB+ (cross-document event coreference), document level.

The gold folder (``documents.jsonl``, ``doc_clusters.tsv``; see its README) says
which documents report the same seminal event. Our prediction: two documents
report the same event when at least one de-duplicated event of the store has
mentions in both. Scores:

- pairwise precision, recall and F1 over unordered document pairs ("these two
  articles report the same event");
- B-cubed over the document clustering given by the connected components of the
  predicted pairs.

The functions here are pure; reading the folder is ``read_ecbplus``; the path
always comes from the user.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

from ..errors import EvaluationError
from ._jsonl import iter_jsonl

SPLITS = ("dev", "train", "all")


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def gold_pairs(clusters: dict[str, str]) -> set[frozenset]:
    by: dict[str, list[str]] = defaultdict(list)
    for doc, c in clusters.items():
        by[c].append(doc)
    return {frozenset(p) for docs in by.values() for p in combinations(sorted(docs), 2)}


def predicted_pairs(event_docs: Iterable[Iterable[str]], docs: set[str] | None = None) -> set[frozenset]:
    """Document pairs that share a de-duplicated event (restricted to ``docs``)."""
    out: set[frozenset] = set()
    for group in event_docs:
        g = sorted({d for d in group if docs is None or d in docs})
        out.update(frozenset(p) for p in combinations(g, 2))
    return out


def components(docs: Iterable[str], pairs: Iterable[frozenset]) -> dict[str, int]:
    parent = {d: d for d in docs}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        a, b = tuple(p)
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    roots = {}
    return {d: roots.setdefault(find(d), len(roots)) for d in sorted(parent)}


def bcubed(gold: dict[str, str], pred: dict[str, int]) -> tuple[float, float, float]:
    gsets: dict[str, set] = defaultdict(set)
    psets: dict[int, set] = defaultdict(set)
    for d, c in gold.items():
        gsets[c].add(d)
    for d, c in pred.items():
        psets[c].add(d)
    docs = [d for d in gold if d in pred]
    if not docs:
        return 0.0, 0.0, 0.0
    p = sum(len(gsets[gold[d]] & psets[pred[d]]) / len(psets[pred[d]]) for d in docs) / len(docs)
    r = sum(len(gsets[gold[d]] & psets[pred[d]]) / len(gsets[gold[d]]) for d in docs) / len(docs)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_documents(gold: dict[str, str], event_docs: Iterable[Iterable[str]]) -> dict:
    """Pairwise and B-cubed scores of document-level "same event" links.

    ``gold``: doc id -> gold cluster; ``event_docs``: for each de-duplicated event, the
    ids of the documents that mention it."""
    docs = set(gold)
    g = gold_pairs(gold)
    p = predicted_pairs(event_docs, docs)
    tp = len(g & p)
    pp, pr, pf = _prf(tp, len(p), len(g))
    bp, br, bf = bcubed(gold, components(docs, p))
    return {"documents": len(docs), "gold_clusters": len(set(gold.values())), "gold_pairs": len(g),
            "predicted_pairs": len(p), "true_pairs": tp,
            "pairwise_precision": pp, "pairwise_recall": pr, "pairwise_f1": pf,
            "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": bf}


_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                         "september", "october", "november", "december"], start=1)}
_DATE_A = re.compile(r"\b([A-Z][a-z]+)\.?\s+(\d{1,2})\s*,?\s+(\d{4})\b")      # July 13, 2009
_DATE_B = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]+)\.?\s*,?\s+(\d{4})\b")       # 14 June 2013
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def parse_publish_date(raw: str | None) -> str | None:
    """The publication date in ECB+'s free-text ``date_publish_raw`` ("July 13, 2009"), if any."""
    if not raw:
        return None
    from datetime import date

    for rx, order in ((_DATE_ISO, "ymd"), (_DATE_A, "mdy"), (_DATE_B, "dmy")):
        m = rx.search(raw)
        if not m:
            continue
        try:
            if order == "ymd":
                return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            if order == "mdy":
                mon = _MONTHS.get(m[1].lower()) or _MONTHS.get(_abbr(m[1]))
                return date(int(m[3]), mon, int(m[2])).isoformat() if mon else None
            mon = _MONTHS.get(m[2].lower()) or _MONTHS.get(_abbr(m[2]))
            return date(int(m[3]), mon, int(m[1])).isoformat() if mon else None
        except (TypeError, ValueError):
            continue
    return None


def _abbr(word: str) -> str | None:
    w = word.lower()[:3]
    return next((m for m in _MONTHS if m.startswith(w)), None)


def read_ecbplus(folder: str | Path, split: str = "dev", limit: int | None = None) -> tuple[list[dict], dict]:
    """Documents (``id``, ``text``, ``date``, ``title``, ``url``) and gold clusters of one split."""
    root = Path(folder)
    docs_path, clusters_path = root / "documents.jsonl", root / "doc_clusters.tsv"
    for p in (docs_path, clusters_path):
        if not p.exists():
            raise EvaluationError(f"{p.name} not found", str(root),
                                  "pass the ECB+ gold folder (with documents.jsonl and doc_clusters.tsv)")
    if split not in SPLITS:
        raise EvaluationError(f"unknown split {split!r}", None, f"use one of {', '.join(SPLITS)}")
    clusters: dict[str, str] = {}
    with open(clusters_path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if split == "all" or row.get("split") == split:
                clusters[row["doc_id"]] = row["seminal_event_cluster"]
    docs = []
    for _lineno, d in iter_jsonl(docs_path):
        if d["doc_id"] not in clusters:
            continue
        docs.append({"id": d["doc_id"], "text": d["text"], "date": parse_publish_date(d.get("date_publish_raw")),
                     "title": d.get("title"), "url": d.get("url") or None, "source": None})
        if limit and len(docs) >= limit:
            break
    kept = {d["id"] for d in docs}
    return docs, {k: v for k, v in clusters.items() if k in kept}


# -- stories: the TF-IDF average-link baseline -----------------------------------------------
# The baseline's cosine threshold, chosen on ECB+ dev (the best of 0.06..0.50, steps of 0.02;
# benchmarks and docs/ACCURACY.md report it next to ours from the same command).
BASELINE_THRESHOLD = 0.28
_TOKEN = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def tfidf_matrix(texts: list[str]):
    """Rows of L2-normalised TF-IDF weights (raw counts, smoothed IDF, stop words removed)."""
    import numpy as np

    from ..store.stories import STOPWORDS

    docs = [[t for t in _TOKEN.findall(x.lower()) if t not in STOPWORDS] for x in texts]
    vocab: dict[str, int] = {}
    for d in docs:
        for t in d:
            vocab.setdefault(t, len(vocab))
    m = np.zeros((len(docs), max(1, len(vocab))))
    for i, d in enumerate(docs):
        for t in d:
            m[i, vocab[t]] += 1
    df = (m > 0).sum(axis=0)
    m *= np.log((1 + len(docs)) / (1 + df)) + 1
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return m / norms


def average_link(texts: list[str], threshold: float = BASELINE_THRESHOLD) -> list[int]:
    """Average-link agglomerative clustering of TF-IDF vectors, merging while the mean cosine
    similarity of two clusters is at least ``threshold``; a cluster label per text."""
    if len(texts) < 2:
        return list(range(len(texts)))
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    m = tfidf_matrix(texts)
    dist = pdist(m, metric="cosine")
    dist[~(dist == dist)] = 1.0     # all-zero rows
    z = linkage(dist, method="average")
    return [int(c) for c in fcluster(z, t=1.0 - threshold, criterion="distance")]


def groups_of(labels: dict[str, object]) -> list[list[str]]:
    by: dict[object, list[str]] = defaultdict(list)
    for doc, c in labels.items():
        by[c].append(doc)
    return [sorted(v) for _k, v in sorted(by.items(), key=lambda kv: str(kv[0]))]


# -- events: ECB+ event-mention pairs ------------------------------------------------------------
def read_event_mentions(folder: str | Path, docs: Iterable[str]) -> list[dict]:
    """ECB+ gold event mentions of ``docs``: ``doc``, ``sent`` (line index in the document's text),
    ``tokens`` (token indices in that line), ``chain``."""
    root = Path(folder)
    wanted = set(docs)
    line_of: dict[tuple[str, int], int] = {}
    for _n, d in iter_jsonl(root / "documents.jsonl"):
        if d["doc_id"] in wanted:
            for i, s in enumerate(d.get("sentences") or []):
                line_of[(d["doc_id"], s["sent_id"])] = i
    out = []
    path = root / "event_mentions.jsonl"
    if not path.exists():
        return out
    for _n, m in iter_jsonl(path):
        key = (m["doc_id"], m["sent_id"])
        if m["doc_id"] in wanted and key in line_of:
            out.append({"doc": m["doc_id"], "sent": line_of[key], "tokens": set(m["tokens_number"]),
                        "chain": m["coref_chain"]})
    return out


def token_position(text: str, offset: int) -> tuple[int, int]:
    """(line, token) of a character offset in an ECB+ text (one sentence a line, tokens split by spaces)."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return line, text[start:offset].count(" ")


def score_mention_pairs(gold: list[dict], predicted: dict[tuple[str, int, int], str]) -> dict:
    """Pairwise scores over the gold event mentions that a predicted mention matches (same document,
    line and a trigger token inside the gold mention): two matched gold mentions are a predicted pair
    when their predicted events are equal, a gold pair when their coreference chains are."""
    matched = []
    for g in gold:
        ev = next((predicted[(g["doc"], g["sent"], t)] for t in sorted(g["tokens"])
                   if (g["doc"], g["sent"], t) in predicted), None)
        if ev is not None:
            matched.append((g["chain"], ev, g["doc"]))
    gp = pp = tp = 0
    for (c1, e1, d1), (c2, e2, d2) in combinations(matched, 2):
        if d1 == d2:
            continue            # cross-document pairs only: what merging across articles decides
        g_ = c1 == c2
        p_ = e1 == e2
        gp += g_
        pp += p_
        tp += g_ and p_
    p, r, f = _prf(tp, pp, gp)
    return {"gold_mentions": len(gold), "matched_mentions": len(matched), "gold_pairs": gp, "predicted_pairs": pp,
            "true_pairs": tp, "pairwise_precision": p, "pairwise_recall": r, "pairwise_f1": f}
