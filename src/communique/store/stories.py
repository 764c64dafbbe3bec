"""Stories: articles about the same real-world happening, grouped incrementally.

Articles are taken one at a time in a canonical order: by publication date (undated ones
last), then article id, then key. Each joins the open story it is most similar to, or starts
a new one. Similarity is the cosine between the article's TF-IDF vector (content words of
title and text; the title counts twice) and the story's centroid, plus a bonus for shared
named actors and places (``ENTITY_BONUS`` per shared name, at most ``MAX_ENTITIES``). An
article joins when that score reaches ``THRESHOLD`` and the story's last article is at most
``WINDOW_DAYS`` older (an undated article or story has no date to rule it out).

Document frequencies are those of the articles taken so far (plus a fixed background from
the bundled Wikinews corpus, ``kb/data/story_df.tsv``), so an article's vector never
depends on articles that come after it: a new day's articles join existing stories without
changing any earlier assignment (the grouping of a store is a prefix of the grouping of any
larger store with later articles), and the result depends only on the set of articles, not
on the input order or the sharding. An article dated before articles already stored changes
the order, so stories are re-derived from it on (the generation is recomputed from scratch;
``store.deduplicate`` does that in one pass, O(articles)).

The story id is a hash of its first article's key; its title the first article's title.
Copies (``copies.py``) are not grouped: they belong to their original's story.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date

STORIES_VERSION = "3"
THRESHOLD = 0.31      # chosen on ECB+ dev with ENTITY_BONUS: 0.30-0.33 score alike there (docs/ACCURACY.md)
WINDOW_DAYS = 7       # days since the story's last article (chosen on ECB+ dev with THRESHOLD)
# Shared actors and places count little: the two events of one ECB+ topic (two earthquakes, two
# celebrities in rehab) share most of them, and a larger bonus merged such stories on dev.
ENTITY_BONUS = 0.01
MAX_ENTITIES = 3
TOP_TERMS = 25          # an article looks for stories through its most weighted terms
MAX_CANDIDATES = 100    # stories looked at per term (the most recent ones: in date order, the open ones)
COMPARED = 40           # stories compared in full with one article (those sharing most top terms)
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
STOPWORDS = frozenset("""
about above after again against all also although among and any are around because been before being below
between both but can could did does doing down during each either else even ever every few for from further
had has have having her here hers herself him himself his how however into its itself just least less many
may might more most much must near neither never nor not now off often once one only onto other others our
ours ourselves out over own per perhaps rather said same say says several she should since some still such
than that the their theirs them themselves then there these they this those though through thus too toward
towards under until upon very was were what when where whether which while who whom whose why will with
within without would yet you your yours yourself yourselves told according reported report reports news
year years day days week weeks month months time times today yesterday tomorrow monday tuesday wednesday
thursday friday saturday sunday new first last two three four five six seven eight nine ten make made
people like get got going well back way another including later earlier early late via
""".split())


@functools.cache
def background() -> tuple[int, dict[str, int], str]:
    """Background document frequencies (``kb/data/story_df.tsv``, built by scripts/build_story_df.py
    from the bundled Wikinews corpus): ``(documents, {term: df}, version)``."""
    from importlib import resources

    text = resources.files("communique").joinpath("kb/data/story_df.tsv").read_text(encoding="utf-8")
    lines = text.splitlines()
    head = dict(kv.split("=", 1) for kv in lines[0].lstrip("# ").split(";")[0].split() if "=" in kv)
    df = {}
    for line in lines[1:]:
        t, _, n = line.partition("\t")
        if n:
            df[t] = int(n)
    return int(head.get("documents", 0)), df, head.get("version", "?")


def story_id(first_key: str) -> str:
    return "st-" + hashlib.sha1(first_key.encode()).hexdigest()[:16]


def terms(title: str | None, text: str | None) -> Counter:
    """Content words with their weights (the title's count twice). Counting capitalised words
    (names) more was tried and made ECB+ dev worse at every threshold."""
    c: Counter = Counter()
    for part, w in ((title or "", 2), (text or "", 1)):
        for t in _WORD.findall(part.lower()):
            if t not in STOPWORDS:
                c[t] += w
    return c


class _Story:
    __slots__ = ("sid", "first", "title", "vec", "norm2", "first_seen", "last_seen", "members", "entities",
                 "outlets", "n")

    def __init__(self, sid, first, title, d):
        self.sid, self.first, self.title = sid, first, title
        self.vec: dict[str, float] = {}
        self.norm2 = 0.0
        self.first_seen = self.last_seen = d
        self.members: list[str] = []
        self.entities: Counter = Counter()
        self.outlets: set[str] = set()
        self.n = 0


class Grouper:
    """The incremental grouping: ``add`` articles in canonical order; ``stories()`` at the end."""

    def __init__(self, threshold: float = THRESHOLD, window_days: int | None = WINDOW_DAYS, link: str = "centroid",
                 prior: tuple[int, dict] | None = None):
        """``prior``: background ``(documents, {term: df})`` added to the store's own counts (default:
        ``background()``; ``(0, {})`` for none). ``link``: compare with the story's ``centroid``
        (cosine) or the ``average`` cosine of its articles."""
        self.threshold = threshold
        self.link = link
        self.prior_n, self.prior_df = prior if prior is not None else background()[:2]
        self.window = window_days
        self.df: Counter = Counter()
        self.n_docs = 0
        self.stories: dict[str, _Story] = {}
        self.postings: dict[str, list[str]] = {}
        self.assigned: dict[str, tuple[str, float, str]] = {}   # key -> (story id, similarity, why)

    def _vector(self, tf: Counter) -> dict[str, float]:
        self.n_docs += 1
        for t in tf:
            self.df[t] += 1
        n = self.n_docs + self.prior_n
        pdf = self.prior_df
        v = {t: (1.0 + math.log(c)) * (math.log((n + 1) / (self.df[t] + pdf.get(t, 0) + 1)) + 1.0)
             for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    def _open(self, s: _Story, d: date | None) -> bool:
        if self.window is None or d is None or s.last_seen is None:
            return True
        return (d - s.last_seen).days <= self.window

    def add(self, key: str, title: str | None, text: str | None, d: date | None = None,
            entities: Iterable[str] = (), outlet: str | None = None) -> tuple[str, float, str]:
        """Assign one article (the next in canonical order); returns ``(story id, score, why)``."""
        vec = self._vector(terms(title, text))
        ents = {e for e in entities if e}
        top = sorted(vec, key=lambda t: (-vec[t], t))[:TOP_TERMS]
        # candidates: the open stories sharing most of the article's top terms (a bounded number,
        # so that an article costs the same however many stories the store holds)
        shared_top: Counter = Counter()
        for t in top:
            for sid in self.postings.get(t, ())[-MAX_CANDIDATES:]:
                shared_top[sid] += 1
        cands = heapq.nsmallest(COMPARED, shared_top, key=lambda sid: (-shared_top[sid], sid))
        best = None
        for sid in sorted(cands):
            s = self.stories[sid]
            if not self._open(s, d):
                continue
            dot = sum(x * s.vec.get(t, 0.0) for t, x in vec.items())
            cos = dot / (s.n if self.link == "average" else (math.sqrt(s.norm2) or 1.0))
            shared = sorted(e for e in ents if e in s.entities)
            score = cos + ENTITY_BONUS * min(len(shared), MAX_ENTITIES)
            if score >= self.threshold and (best is None or score > best[1]):
                best = (s, score, cos, shared)
        if best is None:
            s = _Story(story_id(key), key, title, d)
            self.stories[s.sid] = s
            score, why = 1.0, "first article of the story"
        else:
            s, score, cos, shared = best
            words = sorted((t for t in vec if t in s.vec), key=lambda t: (-vec[t] * s.vec[t], t))[:5]
            why = f"similarity {cos:.2f} (words: {', '.join(words)})"
            if shared:
                why += f"; {len(shared)} shared actor(s)/place(s): {', '.join(shared[:MAX_ENTITIES])}"
        for t, x in vec.items():
            old = s.vec.get(t)
            if old is None:
                self.postings.setdefault(t, []).append(s.sid)
                old = 0.0
            s.vec[t] = old + x
            s.norm2 += (old + x) ** 2 - old ** 2
        s.members.append(key)
        s.entities.update(ents)
        if outlet:
            s.outlets.add(outlet)
        if d is not None:
            s.first_seen = d if s.first_seen is None else min(s.first_seen, d)
            s.last_seen = d if s.last_seen is None else max(s.last_seen, d)
        s.n += 1
        self.assigned[key] = (s.sid, round(score, 4), why)
        return self.assigned[key]

    def story_rows(self, copies: dict[str, list[tuple[str, date | None, str | None, str | None]]] | None = None,
                   ids: dict[str, str | None] | None = None) -> Iterator[tuple[dict, list[dict]]]:
        """Each story's row and its ``story_articles`` rows; ``copies``: original key ->
        ``[(copy key, date, outlet, article id)]``, which join their original's story."""
        copies = copies or {}
        ids = ids or {}
        for sid in sorted(self.stories):
            s = self.stories[sid]
            members = []
            outlets = set(s.outlets)
            first, last = s.first_seen, s.last_seen
            for k in s.members:
                _sid, score, why = self.assigned[k]
                members.append({"story_id": sid, "article_key": k, "article_id": ids.get(k), "similarity": score,
                                "why": why})
                for ck, cd, co, cid in copies.get(k, ()):
                    members.append({"story_id": sid, "article_key": ck, "article_id": cid, "similarity": 1.0,
                                    "why": f"copy of {ids.get(k) or k}"})
                    if co:
                        outlets.add(co)
                    if cd is not None:
                        first = cd if first is None else min(first, cd)
                        last = cd if last is None else max(last, cd)
            top_words = sorted(s.vec, key=lambda t: (-s.vec[t], t))[:5]
            ents = [e for e, _n in sorted(s.entities.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
            why = f"{len(members)} article(s) from {len(outlets)} source(s)"
            if first is not None:
                why += f", {first.isoformat()}" + (f" to {last.isoformat()}" if last != first else "")
            why += f"; words: {', '.join(top_words)}"
            if ents:
                why += f"; actors/places: {', '.join(ents)}"
            row = {"story_id": sid, "title": s.title, "first_seen": first, "last_seen": last,
                   "n_articles": len(members), "n_sources": len(outlets), "first_article_key": s.first, "why": why,
                   "num_articles": len(members), "num_sources": len(outlets)}
            yield row, members


def canonical(d, article_id, key) -> tuple:
    return (d is None, d.isoformat() if isinstance(d, date) else str(d or ""), str(article_id or ""), key)


def rules_fingerprint() -> str:
    return f"s{STORIES_VERSION}/{THRESHOLD}/{WINDOW_DAYS}d/{ENTITY_BONUS}/{background()[2]}"


__all__ = ["Grouper", "STORIES_VERSION", "THRESHOLD", "WINDOW_DAYS", "canonical", "rules_fingerprint", "story_id",
           "terms"]
