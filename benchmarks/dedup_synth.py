"""Synthetic copies made from the bundled Wikinews corpus (data/corpus/wikinews), for measuring
copy detection (benchmarks/dedup_copies.py) and the cost of de-duplication at scale
(benchmarks/dedup_scale.py). Deterministic for a seed.

A *family* is one Wikinews article and the copies made from it, the way syndicated and
re-posted news differs from its source:

- a changed headline (another wording, an "UPDATE"/"BREAKING" prefix, the outlet's name);
- a byline or dateline added in front ("By Jane Roe, Agency" / "MOSCOW (Agency) -");
- the last paragraph or last sentences trimmed (at most a quarter of the words);
- a paragraph appended (boilerplate, "additional reporting", or an update of a few sentences);
- typographic noise (curly quotes, doubled spaces, changed line breaks).

Each copy combines 1-4 of these, is published by another outlet on the same day or the day
after, and has its own id. Originals of different families are different articles, so every
pair across families is a negative.
"""

from __future__ import annotations

import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus" / "wikinews" / "articles.jsonl"
OUTLETS = ["Reuters Wire", "AP Syndicate", "Daily Courier", "Morning Post", "Evening Herald", "The Tribune",
           "Global Times Online", "Capital Gazette", "Metro News", "City Chronicle", "National Observer",
           "Coastal Review"]
NAMES = ["Jane Roe", "John Smith", "Maria Garcia", "Chen Wei", "Olga Ivanova", "Ahmed Hassan", "Priya Patel"]
CITIES = ["MOSCOW", "BEIJING", "WASHINGTON", "LONDON", "PARIS", "NEW DELHI", "CAIRO", "MINSK"]
BOILER = [
    "Copyright {y} {o}. All rights reserved. This material may not be published, broadcast, rewritten or "
    "redistributed without permission.",
    "Additional reporting by {n} in {c}; editing by {m}.",
    "Follow {o} for the latest news, analysis and opinion from around the world, updated around the clock.",
    "This story has been updated with further details. An earlier version misstated a figure in the "
    "third paragraph.",
]
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def load(path: Path = CORPUS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def _trim(paras: list[str], rng: random.Random) -> list[str]:
    words = sum(len(p.split()) for p in paras)
    if len(paras) >= 3 and len(paras[-1].split()) <= words / 4:
        return paras[:-1]
    sents = _SENT.split(paras[-1])
    keep = list(sents)
    cut = 0
    while len(keep) > 1 and cut + len(keep[-1].split()) <= words / 4 and rng.random() < 0.8:
        cut += len(keep.pop().split())
    return paras[:-1] + [" ".join(keep)]


def _headline(title: str, outlet: str, rng: random.Random) -> str:
    words = title.split()
    k = rng.randrange(4)
    if k == 0:
        return "UPDATE: " + title
    if k == 1:
        return title + " - " + outlet
    if k == 2 and len(words) > 4:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
        return " ".join(words).capitalize()
    return "BREAKING: " + title.upper()


def make_copy(art: dict, k: int, others: list[dict], rng: random.Random) -> dict:
    paras = _paragraphs(art["text"])
    outlet = rng.choice(OUTLETS)
    ops = rng.sample(["headline", "byline", "trim", "append", "noise"], rng.randint(1, 4))
    title = art.get("title") or ""
    if "headline" in ops:
        title = _headline(title, outlet, rng)
    if "trim" in ops:
        paras = _trim(paras, rng)
    if "byline" in ops:
        if rng.random() < 0.5:
            paras = [f"By {rng.choice(NAMES)}, {outlet}"] + paras
        else:
            paras = [f"{rng.choice(CITIES)} ({outlet}) - " + paras[0]] + paras[1:]
    if "append" in ops:
        y = (art.get("date") or "2000")[:4]
        if rng.random() < 0.6:
            paras = paras + [rng.choice(BOILER).format(y=y, o=outlet, n=rng.choice(NAMES), c=rng.choice(CITIES),
                                                       m=rng.choice(NAMES))]
        else:
            # an update: a few sentences from elsewhere, at most a quarter of the article's length
            donor = rng.choice(others)
            budget = max(15, sum(len(p.split()) for p in paras) // 4)
            add, n = [], 0
            for s in _SENT.split(donor["text"].replace("\n", " ")):
                if n + len(s.split()) > budget:
                    break
                add.append(s)
                n += len(s.split())
            if add:
                paras = paras + [" ".join(add)]
    text = "\n\n".join(paras)
    if "noise" in ops:
        text = text.replace('"', "\u201c", 1).replace(". ", ".  ", 3).replace("\n\n", "\n", 2)
    d = art.get("date")
    if d:
        d = (date.fromisoformat(d[:10]) + timedelta(days=rng.randrange(2))).isoformat()
    return {"id": f"{art['id']}-c{k}", "date": d, "title": title, "source": outlet, "text": text,
            "url": f"https://{outlet.lower().replace(' ', '')}.example/{art['id']}-{k}", "family": art["id"],
            "ops": sorted(ops)}


def synthetic_set(seed: int = 11, max_copies: int = 3, corpus: list[dict] | None = None) -> list[dict]:
    """The originals (``family`` = own id) and 0..``max_copies`` copies of each, shuffled."""
    rng = random.Random(seed)
    arts = corpus if corpus is not None else load()
    out = []
    for a in arts:
        out.append({**a, "family": a["id"], "ops": []})
        others = [b for b in arts if b["id"] != a["id"]]
        for k in range(rng.randint(0, max_copies)):
            out.append(make_copy(a, k, others, rng))
    rng.shuffle(out)
    return out


def scaled_stream(n: int, seed: int = 11, copy_rate: float = 0.2, per_day: int = 100):
    """``n`` articles for scale runs, one at a time (memory does not grow with ``n``): distinct
    articles made by recombining sentences of the corpus (each opens with its own number, so none
    is a copy of another by accident), and about ``copy_rate`` of them copies of one of the 200
    articles before them. ``per_day`` articles a day, in date order."""
    rng = random.Random(seed)
    arts = load()
    # sentences, not paragraphs: two articles made of 12 random sentences out of thousands share
    # almost none, so the only near-duplicates are the copies made on purpose
    sents = [s for a in arts for s in _SENT.split(a["text"].replace("\n", " ")) if len(s.split()) >= 6]
    recent: list[dict] = []
    start = date(2020, 1, 1)
    for i in range(n):
        d = (start + timedelta(days=i // per_day)).isoformat()
        if recent and rng.random() < copy_rate:
            src = recent[rng.randrange(len(recent))]
            a = make_copy({**src, "date": d}, i, arts, rng)
            a["date"] = d
            a["family"] = src["family"]
        else:
            pick = rng.sample(sents, 12)
            body = [" ".join(pick[j:j + 3]) for j in range(0, 12, 3)]
            body[0] = f"Report {i}: " + body[0]
            a = {"id": f"syn-{i:07d}", "date": d, "title": " ".join(body[0].split()[:8]),
                 "source": rng.choice(OUTLETS), "text": "\n\n".join(body), "family": f"syn-{i:07d}", "ops": []}
            recent.append(a)
            if len(recent) > 200:
                recent.pop(0)
        yield a
