"""Copies: near-duplicate articles (syndicated wire copy, re-posts, updated versions) found at ingest.

Every article's text becomes a set of word shingles (``SHINGLE`` consecutive words, lower
case, punctuation dropped) and a MinHash signature of ``NUM_PERM`` values (``datasketch``).
Signatures are cut into ``BANDS`` bands of ``ROWS`` values; two articles that share a band
are candidates (locality-sensitive hashing), and a candidate is a copy when the Jaccard
similarity the signatures estimate is at least ``THRESHOLD`` (``kind`` ``exact`` when the
shingle sets are equal: the same words, other whitespace or punctuation).

Which one is the original is decided in a canonical order, so that it does not depend on
the order of the input or on sharding: within one ingest, articles are taken by (date,
article id, key) and the earliest is the original; an article already stored is never made
a copy of a later one at ingest. When a later run brings an article that comes before a stored
near-copy (an older date, or a smaller id on the same day), the new one is the original and the
stored one becomes its copy (a ``copies`` row written with the new article): the stored one was
coded, its mentions stay in ``mentions`` but de-duplication counts it only as a copy, so the
original of a group is its first article in the canonical order, whatever the ingest order. A copy points to an original, never to another copy, and is not coded: its
original's events count it as one more article and (if from another outlet) one more source.
Chains (a copy of an article that later became a copy) are followed to their first article by
the store's ``copies`` view.

The signatures and band keys are stored (table ``signatures``, one row per original), so
copies are found across shards and separate ingest runs; the lookup reads only the band
column of that table (``candidates``), which DuckDB scans at a few million rows a second.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable

import numpy as np

# Bump when the shingling or the parameters change: stored signatures are then not comparable.
COPIES_VERSION = "2"
SHINGLE = 4
NUM_PERM = 120
BANDS = 40
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.5       # estimated Jaccard of the shingle sets (see benchmarks/dedup_copies.py)
SEED = 11
# A text this short is never called a copy (nor an original of one): a few words in common say
# nothing ("X met Y on day 3" and "... day 4" share half their shingles).
MIN_WORDS = 30
SCHEME = "affine32"     # datasketch 2's default; named, because stored signatures depend on it
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """Word k-grams of ``text``; a text shorter than ``k`` words is one shingle."""
    w = words(text)
    if len(w) < k:
        return {" ".join(w).encode()} if w else set()
    return {" ".join(w[i:i + k]).encode() for i in range(len(w) - k + 1)}


_HASHER = None


def _minhash():
    global _HASHER
    if _HASHER is None:
        from datasketch import MinHash

        _HASHER = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=_identity)
    return _HASHER


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                 0x85EBCA77C2B2AE63, 0xFF51AFD7ED558CCD], dtype=np.uint64)[:SHINGLE]


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the word shingles of ``text`` (each word hashed once with CRC-32, the
    shingle's words combined with fixed odd multipliers): the same set as ``shingles``, hashed
    about ten times faster than hashing each shingle's bytes."""
    w = words(text)
    if not w:
        return np.zeros(0, dtype=np.uint64)
    wh = np.fromiter((zlib.crc32(x.encode()) for x in w), dtype=np.uint64, count=len(w))
    if len(wh) < SHINGLE:
        wh = np.concatenate([wh, np.zeros(SHINGLE - len(wh), dtype=np.uint64)])
    n = len(wh) - SHINGLE + 1
    with np.errstate(over="ignore"):
        acc = np.zeros(n, dtype=np.uint64)
        for j in range(SHINGLE):
            acc += wh[j:j + n] * _MIX[j]
    return np.unique(acc >> np.uint64(32))


def _identity(x):
    return x


def signature(text: str) -> np.ndarray:
    """The MinHash signature of an article's text (``NUM_PERM`` unsigned 32-bit values)."""
    from datasketch import MinHash

    hs = shingle_hashes(text)
    base = _minhash()
    # the permutations are made once: building them costs more than hashing an article
    m = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=base.permutations, scheme=SCHEME, hashfunc=_identity)
    if len(hs):
        m.update_batch(hs)
    return m.hashvalues.astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One 63-bit key per band (the band's number is hashed in, so bands never collide): two
    signatures sharing a key are candidates."""
    out = []
    for b in range(BANDS):
        h = hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].astype("<u4").tobytes(), digest_size=8,
                            salt=b.to_bytes(4, "little"))
        out.append(int.from_bytes(h.digest(), "little") >> 1)
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity of two shingle sets as their signatures estimate it."""
    return float(np.count_nonzero(a == b)) / len(a)


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(b: bytes) -> np.ndarray:
    return np.frombuffer(b, dtype="<u4")


def canonical(date, article_id, key) -> tuple:
    """The order in which originals are chosen: dated articles first, earliest date, smallest id."""
    return (date is None, str(date or ""), str(article_id or ""), key)


class Index:
    """An in-memory LSH index of originals: the stored ones (looked up through ``lookup``) and
    those of this run."""

    def __init__(self, lookup=None):
        self.lookup = lookup          # band keys -> [(key, signature bytes, article id)] from the store
        self.bands: dict[int, list[str]] = {}
        self.sigs: dict[str, np.ndarray] = {}
        self.ids: dict[str, str | None] = {}

    def add(self, key: str, sig: np.ndarray, article_id: str | None, bands: list[int] | None = None) -> None:
        self.sigs[key] = sig
        self.ids[key] = article_id
        for bk in bands or band_keys(sig):
            self.bands.setdefault(bk, []).append(key)

    def best(self, key: str, sig: np.ndarray, bands: list[int] | None = None,
             stored: dict[str, tuple[np.ndarray, str | None]] | None = None) -> tuple[str, float] | None:
        """The most similar original at or above ``THRESHOLD`` (ties: the canonical first), or None."""
        bands = bands or band_keys(sig)
        cands: set[str] = set()
        for bk in bands:
            cands.update(self.bands.get(bk, ()))
        pool = {c: self.sigs[c] for c in cands if c != key}
        for c, (s, _aid) in (stored or {}).items():
            if c != key:
                pool[c] = s
        best = None
        for c in sorted(pool):
            sim = similarity(sig, pool[c])
            if sim >= THRESHOLD and (best is None or sim > best[1]):
                best = (c, sim)
        return best


def find_copies(new: Iterable[dict], stored_candidates=None) -> dict[str, dict]:
    """Decide which of the ``new`` articles (dicts ``key``, ``id``, ``date``, ``text`` or ``sig``) are
    copies. ``stored_candidates(band keys of many articles) -> {band key: [(key, sig, id)]}`` looks up
    originals already stored. Returns ``{key: {"copy_of", "original_id", "similarity", "kind"}}`` for
    the copies; every other new article is an original (its ``sig`` is filled in). A stored
    article that a new one comes before is in the result too, with ``stored: True`` and ``by``
    (the new article whose copy it becomes)."""
    arts = sorted((a for a in new if a.get("sig") is not None or len(words(a["text"])) >= MIN_WORDS),
                  key=lambda a: canonical(a.get("date"), a.get("id"), a["key"]))
    for a in arts:
        if a.get("sig") is None:
            a["sig"] = signature(a["text"])
        a["bands"] = band_keys(a["sig"])
    stored: dict[int, list[tuple]] = {}
    if stored_candidates is not None and arts:
        wanted = sorted({b for a in arts for b in a["bands"]})
        stored = stored_candidates(wanted)
    idx = Index()
    out: dict[str, dict] = {}
    for a in arts:
        st = {}
        dates = {}
        for bk in a["bands"]:
            for k, s, aid, *rest in stored.get(bk, ()):
                if k not in out:          # a stored original this run already made a copy
                    st[k] = (s, aid)
                    dates[k] = rest[0] if rest else None
        hit = idx.best(a["key"], a["sig"], a["bands"], st)
        if hit is None:
            idx.add(a["key"], a["sig"], a.get("id"), a["bands"])
            continue
        orig, sim = hit
        oid = idx.ids.get(orig) if orig in idx.ids else st[orig][1]
        exact = sim >= 1.0     # every value equal: the same shingles (with high probability)
        info = {"similarity": round(sim, 4), "kind": "exact" if exact else "near"}
        if orig not in idx.ids and canonical(a.get("date"), a.get("id"), a["key"]) < canonical(
                _day(dates.get(orig)), oid, orig):
            # the stored article comes after this one: this one is the original (and is coded), and
            # the stored one becomes its copy (it stays coded, but counts only as a copy from now on)
            idx.add(a["key"], a["sig"], a.get("id"), a["bands"])
            out[orig] = {"copy_of": a["key"], "original_id": a.get("id"), "article_id": oid, "stored": True,
                         "by": a["key"], **info}
            continue
        out[a["key"]] = {"copy_of": orig, "original_id": oid, **info}
    return out


def _day(d) -> str | None:
    return None if d is None else str(d)[:10]


__all__ = ["BANDS", "COPIES_VERSION", "NUM_PERM", "ROWS", "SHINGLE", "THRESHOLD", "Index", "band_keys",
           "canonical", "find_copies", "from_bytes", "shingles", "signature", "similarity", "to_bytes"]
