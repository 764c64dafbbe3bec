"""Text keys shared by every knowledge-base lookup.

``canon`` reduces a name to lower-case ASCII word runs joined by single spaces,
so that "Nausėda", "NAUSEDA", "U.S." / "U.S" and "Kassym-Jomart" match however
the article or the tokenizer spells and splits them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
# Letters that NFKD does not decompose into ASCII + combining marks.
_SPECIAL = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L",
                          "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th",
                          "ð": "d", "ʻ": "", "ʼ": ""})


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case, strip diacritics, straighten apostrophes."""
    text = text.translate(_APOS).translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=200_000)
def canon(text: str) -> str:
    """The matching key of a name: folded word runs joined by one space."""
    return " ".join(_WORD.findall(fold(text)))


def first_word(text: str) -> str:
    m = _WORD.search(fold(text))
    return m.group(0) if m else ""


def split_multi(cell: str) -> list[str]:
    """Split a ``|``-separated table cell, dropping blanks."""
    return [part.strip() for part in cell.split("|") if part.strip()] if cell else []
