"""Text keys shared by every knowledge-base lookup.

``canon`` reduces a name to lower-case ASCII word runs joined by single spaces,
so that "Nausėda", "NAUSEDA", "U.S." / "U.S" and "Kassym-Jomart" match however
the article or the tokenizer spells and splits them. ``actor_key`` is ``canon``
with the commonest transliteration variants of names folded as well ("Mohammed" /
"Mohamed" / "Muhammad", "Sergey" / "Sergei"), so one alias in an actor table
covers the spellings wire services use; the actor tables and the text both go
through it.
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

# Transliteration variants of given names, folded to one spelling (word -> key).
# Only names: none of these is an English word.
_VARIANT_GROUPS = {
    "muhammad": "mohammed mohamed mohammad muhammed mohamad muhamed mohammod mouhamed muhammet mohamud_no",
    "ahmad": "ahmed ahmet",
    "hussein": "husain hussain husayn hossein houssein husseyn",
    "abdul": "abdel abdal abdoul abd",
    "abdullah": "abdallah abdulla",
    "abdulaziz": "abdelaziz",
    "abdulrahman": "abdurrahman abderrahmane abdelrahman",
    "yusuf": "yousef youssef yousuf yusef yousif",
    "mahmoud": "mahmud mahmood",
    "mustafa": "mostafa moustafa mustapha",
    "omar": "umar",
    "hassan": "hasan",
    "ibrahim": "ebrahim",
    "khalid": "khaled",
    "khalifa": "khalifah",
    "faisal": "faysal feisal",
    "salman": "selman_no",
    "ismail": "ismael_no",
    "sergei": "sergey",
    "dmitry": "dmitri dmitriy",
    "yuri": "yury yuriy iouri",
    "nikolai": "nikolay",
    "yevgeny": "evgeny yevgeniy evgeniy evgueni",
    "alexei": "alexey aleksei aleksey",
    "aleksandr": "alexandr",
    "andrei": "andrey",
    "mikhail": "mikhael_no",
    "vyacheslav": "viacheslav",
    "valery": "valeri valeriy",
    "anatoly": "anatoli anatoliy",
    "gennady": "gennadi gennadiy",
    "grigory": "grigori grigoriy",
    "zelensky": "zelenskyy zelenskiy zelenskii",
    "tsikhanouskaya": "tikhanovskaya tsikhanovskaya",
    "al": "el",
    "bin": "ibn",
}
_VARIANTS = {v: k for k, vs in _VARIANT_GROUPS.items() for v in vs.split() if not v.endswith("_no")}


@lru_cache(maxsize=50_000)  # bounded: fresh names in every article must not grow a worker
def fold(text: str) -> str:
    """Lower-case, strip diacritics, straighten apostrophes."""
    text = text.translate(_APOS).translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=50_000)  # bounded: fresh names in every article must not grow a worker
def canon(text: str) -> str:
    """The matching key of a name: folded word runs joined by one space."""
    return " ".join(_WORD.findall(fold(text)))


@lru_cache(maxsize=50_000)  # bounded: fresh names in every article must not grow a worker
def actor_key(text: str) -> str:
    """``canon`` with transliteration variants of names folded (the actor index key)."""
    return " ".join(_VARIANTS.get(w, w) for w in _WORD.findall(fold(text)))


def split_multi(cell: str) -> list[str]:
    """Split a ``|``-separated table cell, dropping blanks."""
    return [part.strip() for part in cell.split("|") if part.strip()] if cell else []
