"""Stories: articles about the same real-world happening, grouped incrementally.

Articles are taken one at a time in a canonical order: by publication date (undated ones
last), then article id, then key. Each joins the open story it is most similar to, or starts
a new one. Similarity is the cosine between the article's TF-IDF vector (content words of
title and text; the title counts twice) and the story's centroid, plus a bonus for shared
named actors and places (``ENTITY_BONUS`` per shared name, at most ``MAX_ENTITIES``). An
article joins when that score reaches ``THRESHOLD`` and the story's last article is at most
``WINDOW_DAYS`` older and its first at most ``SPAN_DAYS`` older (an undated article or story has
no date to rule it out). While the store holds undated articles, one pass groups everything
(dated articles first, then the undated ones, which may join any story) from nothing; a store of
dated articles only is grouped incrementally, as below.

Document frequencies are those of the articles taken so far (plus a fixed background from
the bundled Wikinews corpus, ``kb/data/story_df.tsv``), so an article's vector never
depends on articles that come after it: a new day's articles join existing stories without
changing any earlier assignment (the grouping of a store is a prefix of the grouping of any
larger store with later articles), and the result depends only on the set of articles, not
on the input order or the sharding. Candidates are only the stories open at the article's date,
so a de-duplication run does not group the store again: ``regroup`` restarts the pass at the
first new (or removed) article from the state the previous run saved (``story_state``: the
document frequencies; ``story_articles``: each article's story), rebuilding only the stories
still open there; stories closed before it are kept as stored. The result is the one a full
pass gives (tests/unit/test_store_layers.py), the work is the new articles plus those of the
stories open where they start (at most ``SPAN_DAYS`` of articles), whatever the store's size.

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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

STORIES_VERSION = "5"
THRESHOLD = 0.31      # chosen on ECB+ dev with ENTITY_BONUS: 0.30-0.33 score alike there (docs/ACCURACY.md)
WINDOW_DAYS = 7       # days since the story's last article (chosen on ECB+ dev with THRESHOLD)
# A story takes articles for at most this many days after its first one; a happening that goes on
# longer continues in a new story. This bounds what a run reads again when it restarts the pass
# (the articles of the stories still open: at most SPAN_DAYS back), however long a topic lasts.
SPAN_DAYS = 30
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
                 "outlets", "n", "words")

    def __init__(self, sid, first, title, d):
        self.sid, self.first, self.title = sid, first, title
        self.vec: dict[str, float] = {}
        self.norm2 = 0.0
        self.first_seen = self.last_seen = d
        self.members: list[str] = []
        self.entities: Counter = Counter()
        self.outlets: set[str] = set()
        self.n = 0
        self.words: str | None = None     # a kept story (closed, not re-derived): its stored "; words: ..." part

    def count(self, key: str, outlet: str | None, d: date | None) -> None:
        """One more member: its outlet and date widen the story's sources and dates."""
        self.members.append(key)
        if outlet:
            self.outlets.add(outlet)
        if d is not None:
            self.first_seen = d if self.first_seen is None else min(self.first_seen, d)
            self.last_seen = d if self.last_seen is None else max(self.last_seen, d)
        self.n += 1


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
        self.replayed = 0      # articles whose vector was computed again (restart), not assigned
        self.assigned_now = 0  # articles assigned (compared with the open stories)
        self.stories: dict[str, _Story] = {}
        self.postings: dict[str, list[str]] = {}
        self.assigned: dict[str, tuple[str, float, str]] = {}   # key -> (story id, similarity, why)
        # False when undated articles follow in the same pass: they may join a story that closed for
        # dated ones, so closed stories stay in the postings (each term's most recent ones are read)
        self.prune_closed = True

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
        return (d - s.last_seen).days <= self.window and (d - s.first_seen).days <= SPAN_DAYS

    def add(self, key: str, title: str | None, text: str | None, d: date | None = None,
            entities: Iterable[str] = (), outlet: str | None = None, tf: Counter | None = None) -> tuple[str, float, str]:
        """Assign one article (the next in canonical order); returns ``(story id, score, why)``.
        ``tf``: its ``terms`` when already counted."""
        vec = self._vector(terms(title, text) if tf is None else tf)
        ents = {e for e in entities if e}
        top = sorted(vec, key=lambda t: (-vec[t], t))[:TOP_TERMS]
        # candidates: the open stories sharing most of the article's top terms (a bounded number,
        # so that an article costs the same however many stories the store holds)
        shared_top: Counter = Counter()
        # a story is looked at through many of the article's terms: whether it is open is decided once
        is_open: dict[str, bool] = {}
        stories = self.stories

        def open_(sid: str) -> bool:
            o = is_open.get(sid)
            if o is None:
                o = is_open[sid] = self._open(stories[sid], d)
            return o

        for t in top:
            lst = self.postings.get(t)
            if not lst:
                continue
            taken = closed = 0
            for sid in reversed(lst if self.prune_closed else lst[-MAX_CANDIDATES:]):
                # only open stories are candidates: an article never depends on a story that closed
                # before it, so a run can restart from saved state holding the open stories only
                o = is_open.get(sid)
                if o is None:
                    o = is_open[sid] = self._open(stories[sid], d)
                if not o:
                    closed += 1
                    continue
                shared_top[sid] += 1
                taken += 1
                if taken >= MAX_CANDIDATES:
                    break
            if closed and self.prune_closed:
                # dates only grow along the pass: a closed story never opens again
                self.postings[t] = [sid for sid in lst if open_(sid)]
        cands = heapq.nsmallest(COMPARED, shared_top, key=lambda sid: (-shared_top[sid], sid))
        best = None
        # the dot product over the shared terms only (set intersection in C), summed in the article's
        # term order: the same float as summing every term with 0.0 for the others, much faster
        rank = {t: i for i, t in enumerate(vec)} if cands else {}
        for sid in sorted(cands):
            s = self.stories[sid]
            sv = s.vec
            dot = sum([vec[t] * sv[t] for t in sorted(vec.keys() & sv.keys(), key=rank.__getitem__)])
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
        self._join(s, key, vec, ents, outlet, d)
        self.assigned_now += 1
        self.assigned[key] = (s.sid, round(score, 4), why)
        return self.assigned[key]

    def _join(self, s: _Story, key: str, vec: dict[str, float], ents: set[str], outlet: str | None,
              d: date | None) -> None:
        for t, x in vec.items():
            old = s.vec.get(t)
            if old is None:
                self.postings.setdefault(t, []).append(s.sid)
                old = 0.0
            s.vec[t] = old + x
            s.norm2 += (old + x) ** 2 - old ** 2
        s.entities.update(ents)
        s.count(key, outlet, d)

    def replay(self, key: str, title: str | None, text: str | None, d: date | None, entities: Iterable[str],
               outlet: str | None, assigned: tuple[str, float, str], track: bool, tf: Counter | None = None) -> None:
        """Restart: an article before the first changed one, whose story is known (``assigned``,
        from the stored ``story_articles``). Its vector is computed again (the document
        frequencies move on exactly as in a full pass); when ``track``, it is added to its story
        (one still open where the changes start), else only counted."""
        self.replayed += 1
        tf = terms(title, text) if tf is None else tf
        if not track:
            # a member of a closed story: only the document frequencies move on (no vector needed)
            self.n_docs += 1
            df = self.df
            for t in tf:
                df[t] += 1
            return
        vec = self._vector(tf)
        sid = assigned[0]
        s = self.stories.get(sid)
        if s is None:
            s = self.stories[sid] = _Story(sid, key, title, d)
        self._join(s, key, vec, {e for e in entities if e}, outlet, d)
        self.assigned[key] = assigned

    def keep(self, sid: str, first: str, title: str | None, members: list[tuple[str, float, str, date | None,
             str | None]], why: str | None) -> None:
        """A stored story that no change can reach (closed before the first changed article):
        kept as it is, without its vectors; ``members``: ``(key, similarity, why, date, outlet)``."""
        s = self.stories[sid] = _Story(sid, first, title, None)
        for key, sim, mwhy, d, outlet in members:
            s.count(key, outlet, d)
            self.assigned[key] = (sid, sim, mwhy)
        i = (why or "").find("; words: ")
        s.words = why[i:] if i >= 0 else ""

    def story_rows(self, copies: dict[str, list[tuple[str, date | None, str | None, str | None]]] | None = None,
                   ids: dict[str, str | None] | None = None,
                   only: set[str] | None = None) -> Iterator[tuple[dict, list[dict]]]:
        """Each story's row and its ``story_articles`` rows; ``copies``: original key ->
        ``[(copy key, date, outlet, article id)]``, which join their original's story; ``only``:
        these stories only (the others are stored as they are). A row's ``_part`` is the date of
        the story's first article (its partition)."""
        copies = copies or {}
        ids = ids or {}
        for sid in sorted(self.stories if only is None else only & self.stories.keys()):
            s = self.stories[sid]
            part = s.first_seen
            members = []
            outlets = set(s.outlets)
            first, last = s.first_seen, s.last_seen
            for k in s.members:
                _sid, score, why = self.assigned[k]
                members.append({"story_id": sid, "article_key": k, "article_id": ids.get(k), "similarity": score,
                                "why": why, "is_copy": False})
                for ck, cd, co, cid in copies.get(k, ()):
                    members.append({"story_id": sid, "article_key": ck, "article_id": cid, "similarity": 1.0,
                                    "why": f"copy of {ids.get(k) or k}", "is_copy": True})
                    if co:
                        outlets.add(co)
                    if cd is not None:
                        first = cd if first is None else min(first, cd)
                        last = cd if last is None else max(last, cd)
            why = f"{len(members)} article(s) from {len(outlets)} source(s)"
            if first is not None:
                why += f", {first.isoformat()}" + (f" to {last.isoformat()}" if last != first else "")
            if s.words is not None:
                why += s.words
            else:
                top_words = sorted(s.vec, key=lambda t: (-s.vec[t], t))[:5]
                ents = [e for e, _n in sorted(s.entities.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
                why += f"; words: {', '.join(top_words)}"
                if ents:
                    why += f"; actors/places: {', '.join(ents)}"
            row = {"story_id": sid, "title": s.title, "first_seen": first, "last_seen": last,
                   "n_articles": len(members), "n_sources": len(outlets), "first_article_key": s.first, "why": why,
                   "num_articles": len(members), "num_sources": len(outlets), "_part": part}
            yield row, members


def position(d, article_id, key) -> tuple[str, str, str]:
    """An article's place in its pass (dated articles and undated ones are grouped separately)."""
    return (d.isoformat() if isinstance(d, date) else str(d or ""), str(article_id or ""), key)


# An article as the grouping reads it: (key, article id, date, title, text, named entities, outlet).
Art = tuple


@dataclass
class Prev:
    """What the previous generation stored for one pass: its document frequencies and number of
    articles (``story_state``), each original's story (``members``: key -> (position, story id,
    similarity, why, outlet)) and each story's row (``rows``: story id -> (first key, title, why))."""
    n_docs: int
    df: dict[str, int]
    members: dict[str, tuple]
    rows: dict[str, tuple]


def regroup(dated: bool, current: dict[str, tuple], prev: Prev | None,
            load: Callable[[tuple | None], Iterable[Art]], load_keys: Callable[[set[str]], Iterable[Art]],
            threshold: float = THRESHOLD, with_undated: bool = False, keep_closed: bool = True) -> Grouper:
    """Group one pass (``dated`` articles, or the undated ones) incrementally.

    ``current``: key -> position of the pass's originals now stored; ``prev``: the stored state
    (None: group everything); ``load(r)``: the originals at position ``r`` or later (all when
    None; possibly a few before ``r`` too), in position order; ``load_keys``: given articles (texts of originals that are gone from the pass).

    The pass restarts at ``p``, the first position that changed (a new article, or one that is no
    longer an original). Stories closed before ``p`` (their last article more than the window
    before ``p``'s date) are kept as stored: nothing from ``p`` on can join them. The stories still
    open at ``p`` are rebuilt from their articles (from ``r``, the first of them, to ``p``: vectors
    computed again with the document frequencies of the time, which are the stored totals less the
    articles from ``r`` on), then every article from ``p`` on is assigned as in a full pass. The
    result is the full pass's; the work is the articles from ``r`` on, not the store. Undated
    articles have no window, so their pass is rebuilt whole when one of them changes.

    ``keep_closed=False``: the stories closed before ``p`` are not materialised at all (the caller
    keeps their stored rows); ``prev`` and ``current`` may then hold only the articles from a date
    well before ``p`` on (``Store._stories_bounded``), so the work does not depend on the store."""
    window = WINDOW_DAYS if dated else None
    g = Grouper(threshold=threshold, window_days=window)
    g.prune_closed = not with_undated

    counted: dict[str, Counter] = {}     # terms of the articles read twice (taken off the totals, then replayed)

    def fill(a: Art, how: str, assigned=None, track=False):
        key, _aid, d, title, text, ents, outlet = a
        tf = counted.pop(key, None)
        if how == "add":
            g.add(key, title, text, d, ents or (), outlet, tf=tf)
        else:
            g.replay(key, title, text, d, ents or (), outlet, assigned, track, tf=tf)

    if prev is None:
        for a in load(None):
            fill(a, "add")
        return g
    changed = [pos for k, pos in current.items() if k not in prev.members or prev.members[k][0] != pos]
    changed += [m[0] for k, m in prev.members.items() if current.get(k) != m[0]]
    by_story: dict[str, list] = {}
    p = min(changed) if changed else None
    for k, (pos, sid, sim, why, outlet) in prev.members.items():
        if p is None or pos < p:
            by_story.setdefault(sid, []).append((pos, k, sim, why, outlet))
    open_sids: set[str] = set()
    if p is not None:
        d_p = date.fromisoformat(p[0]) if dated else None
        for sid, ms in by_story.items():
            last = max(m[0][0] for m in ms)
            first = min(m[0][0] for m in ms)
            if d_p is None or ((d_p - date.fromisoformat(last)).days <= WINDOW_DAYS
                               and (d_p - date.fromisoformat(first)).days <= SPAN_DAYS):
                open_sids.add(sid)
    for sid, ms in by_story.items():
        if sid in open_sids or not keep_closed:
            continue
        first, title, why = prev.rows[sid]
        ms.sort()
        g.keep(sid, first, title, [(k, sim, mwhy, date.fromisoformat(pos[0]) if pos[0] else None, outlet)
                                   for pos, k, sim, mwhy, outlet in ms], why)
    if p is None:
        g.df.update(prev.df)
        g.n_docs = prev.n_docs
        return g
    r = min([min(m[0] for m in by_story[sid]) for sid in open_sids] + [p])
    arts = [a for a in load(r) if position(a[2], a[1], a[0]) >= r]
    # document frequencies at r: the stored totals less the articles counted from r on
    df = Counter(prev.df)
    n = prev.n_docs
    later = {k for k, m in prev.members.items() if m[0] >= r}
    here = {a[0] for a in arts}
    for a in [a for a in arts if a[0] in later] + list(load_keys(later - here)):
        n -= 1
        tf = counted[a[0]] = terms(a[3], a[4])
        for t in tf:
            df[t] -= 1
    g.df = Counter({t: c for t, c in df.items() if c > 0})
    g.n_docs = n
    for a in arts:
        pos = position(a[2], a[1], a[0])
        if pos < p:
            m = prev.members[a[0]]
            fill(a, "replay", (m[1], m[2], m[3]), m[1] in open_sids)
        else:
            fill(a, "add")
    return g


def canonical(d, article_id, key) -> tuple:
    return (d is None, d.isoformat() if isinstance(d, date) else str(d or ""), str(article_id or ""), key)


def rules_fingerprint() -> str:
    return f"s{STORIES_VERSION}/{THRESHOLD}/{WINDOW_DAYS}d/{SPAN_DAYS}d/{ENTITY_BONUS}/{background()[2]}"


__all__ = ["Grouper", "Prev", "STORIES_VERSION", "position", "regroup", "THRESHOLD", "WINDOW_DAYS", "canonical", "rules_fingerprint", "story_id",
           "terms"]
