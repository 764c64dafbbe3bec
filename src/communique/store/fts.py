"""Full-text search without a server or a DuckDB extension: a term table and BM25 in SQL.

Each ingested article contributes rows ``(term, article_key, tf)`` to the ``terms``
table (lower-cased words of two or more characters, stop words kept out). A query
is scored with Okapi BM25 over that table; quoted phrases must also occur
verbatim (case-insensitive) in the article text. The index is plain Parquet, so
Spark or pandas can use it too.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_PHRASE = re.compile(r'"([^"]+)"')

# Very frequent words that carry no search value; kept small and fixed so the index is stable.
STOP = frozenset("""
a an and are as at be been but by for from had has have he her his i in is it its of on or
she that the their they this to was were which who will with would s t
""".split())

K1 = 1.2
B = 0.75


def terms(text: str) -> Counter[str]:
    """Index terms of ``text`` with their frequencies."""
    out: Counter[str] = Counter()
    for m in _WORD.finditer(text.lower()):
        w = m.group(0).replace("’", "'")
        if len(w) < 2 or w in STOP:
            continue
        out[w] += 1
    return out


def parse_query(query: str) -> tuple[list[str], list[str]]:
    """Split a query into index terms and quoted phrases (which must match verbatim)."""
    phrases = [p.strip() for p in _PHRASE.findall(query) if p.strip()]
    words = list(dict.fromkeys(terms(query.replace('"', " "))))
    return words, phrases
