"""Trigger words: where in a text a time expression can start at all.

Each detection pattern declares trigger classes (``T``); it is only run within a few
characters of words of those classes, which keeps the stage cheap (most of a text holds
no time expression at all). Trigger words are found from spaCy's token arrays (or with a
word regex when there is no parse).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntFlag

import numpy as np
from spacy.attrs import IDX, LOWER, SHAPE
from spacy.strings import get_string_id
from spacy.tokens import Doc

from .._arrays import in_sorted
from .vocabulary import Vocab


class T(IntFlag):
    MON = 1 << 0
    WD = 1 << 1
    NUM = 1 << 2
    Y4 = 1 << 3
    DEC = 1 << 4
    CLK = 1 << 5
    UNIT = 1 << 6
    YEARW = 1 << 7
    CENT = 1 << 8
    SEASON = 1 << 9
    PART = 1 << 10
    DEIC = 1 << 11
    VAGUE = 1 << 12
    HOL = 1 << 13
    DECW = 1 << 14
    FISC = 1 << 15
    BOUND = 1 << 16
    AGO = 1 << 17
    EVERY = 1 << 18
    TIMES = 1 << 19


_CENTURIES = {str(c) for c in range(15, 22)}
_WORD = re.compile(r"[AaPp]\.\s?[Mm]\b|\d+:\d\d|\d+[A-Za-z']*|[A-Za-z]+")
_LEAD_NONDIGIT = re.compile(r"^\D+")


@dataclass(frozen=True)
class TriggerWords:
    word_class: dict[str, int]      # trigger word -> classes
    hash_class: dict[int, int]      # the same by spaCy string hash (LOWER)
    hash_keys: np.ndarray

    @classmethod
    def build(cls, v: Vocab) -> TriggerWords:
        wc: dict[str, int] = {}

        def add(words, c):
            for w in words:
                for part_ in re.findall(r"[a-z]+", w.lower()):
                    wc[part_] = wc.get(part_, 0) | c
        add(v.months, T.MON)
        add(v.weekdays, T.WD)
        add([w + "s" for w in v.weekdays], T.WD)
        add(["nineteen", "thousand"], T.Y4)
        add(list(v.units) + [u + "s" for u in v.units] + ["centuries", "millennia", "generations"], T.UNIT)
        add(list(v.seasons) + [w + "s" for w in v.seasons], T.SEASON)
        add(list(v.parts) + [p + "s" for p in v.parts] + ["o'clock"], T.PART)
        add(["today", "yesterday", "tomorrow", "tonight"], T.DEIC)
        stop = {"the", "right", "these", "near", "at", "in"}
        add([w for p, (_, _, det) in v.vague.items() if det for w in p.split() if w not in stop], T.VAGUE)
        # holiday words that are common on their own do not trigger the holiday pattern
        common = {"day", "year", "new", "s", "st", "eve", "the", "of", "all", "international", "women", "may",
                  "good", "friday", "sunday", "monday", "wednesday", "palm", "ash", "mother", "father"}
        add([w for h in v.holidays for w in re.findall(r"[a-z]+", h) if w not in common] + ["eve"], T.HOL)
        add(["year", "years"], T.YEARW)
        add(["century", "centuries"], T.CENT)
        add(["end", "beginning", "middle", "start", "turn", "close"], T.BOUND)
        add(["ago", "earlier", "later", "hence", "now"], T.AGO)
        add(["every", "each"], T.EVERY)
        add(["once", "twice", "times"], T.TIMES)
        add(["noon", "midnight", "midday", "clock", "am", "pm"], T.CLK)
        add(v.decades, T.DECW)
        add(["fiscal", "fy", "quarter", "quarters", "half", "period"], T.FISC)
        for w in ("a.m.", "p.m.", "a.m", "p.m", "o'clock"):
            wc[w] = T.CLK
        wc = {w: int(c) for w, c in wc.items()}
        # spaCy keeps the dot of abbreviations in the token ("Aug.", "Sept.")
        hash_class = {get_string_id(w): c for w, c in wc.items()}
        hash_class.update({get_string_id(w + "."): c for w, c in wc.items() if not w.endswith(".")})
        keys = np.array(sorted(hash_class), dtype=np.uint64)
        return cls(wc, hash_class, keys)

    def in_text(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, classes) of the trigger words of ``text``, found with a word regex."""
        wc = self.word_class
        out = []
        for m in _WORD.finditer(text):
            w = m.group()
            c0 = w[0]
            if c0.isdigit():
                cls = digit_class(w)
            elif c0 in "aApP" and len(w) > 2 and w[1] == ".":
                cls = _CLK
            else:
                cls = wc.get(w.lower(), 0)
            if cls:
                out.append((m.start(), m.end(), cls))
        return out

    def in_doc(self, doc: Doc, shape_digit: dict[int, bool]) -> list[tuple[int, int, int]]:
        """The same from the parsed tokens, with array operations (no loop over every token).
        ``shape_digit`` caches, per token shape hash, whether the shape has a digit."""
        if len(doc) == 0:
            return []
        arr = doc.to_array([LOWER, IDX, SHAPE])
        lower, shape = arr[:, 0], arr[:, 2]
        uniq, inverse = np.unique(shape, return_inverse=True)
        has_digit = np.array([_shape_has_digit(doc, int(h), shape_digit) for h in uniq],
                             dtype=bool)[inverse.ravel()]
        mask = in_sorted(lower, self.hash_keys) | has_digit   # hash_keys is sorted (build)
        hc = self.hash_class
        out = []
        for i in np.flatnonzero(mask).tolist():
            tok = doc[i]
            cls = digit_class(_LEAD_NONDIGIT.sub("", tok.text)) if has_digit[i] else hc.get(int(lower[i]), 0)
            if cls:
                out.append((tok.idx, tok.idx + len(tok), cls))
        return out


def _shape_has_digit(doc: Doc, h: int, cache: dict[int, bool]) -> bool:
    v = cache.get(h)
    if v is None:
        v = cache[h] = "d" in doc.vocab.strings[h]
    return v


_NUM, _CLK, _Y4, _DEC = int(T.NUM), int(T.CLK), int(T.Y4), int(T.DEC)   # plain ints: this runs per number


def digit_class(w: str) -> int:
    """Trigger classes of a token that starts with a digit."""
    cls = _NUM
    if ":" in w:
        return cls | _CLK
    digits = w.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.")
    suffix = w[len(digits):].lower()
    if len(digits) == 4 and digits[:2] in _CENTURIES:
        cls |= _Y4
    if digits.endswith("0") and suffix in ("s", "'s"):
        cls |= _DEC
    if suffix in ("am", "pm", "a.m.", "p.m."):
        cls |= _CLK
    return cls


def windows(triggers: list[tuple[int, int, int]], n: int, width: int) -> dict[int, list[tuple[int, int]]]:
    """Merged character windows (``width`` either side) around trigger words, by trigger class."""
    out: dict[int, list[list[int]]] = {}
    for s, e, cls in triggers:
        a, b = max(0, s - width), min(n, e + width)
        while cls:
            bit = cls & -cls
            cls ^= bit
            lst = out.setdefault(bit, [])
            if lst and a <= lst[-1][1]:
                lst[-1][1] = max(lst[-1][1], b)
            else:
                lst.append([a, b])
    return {k: [(a, b) for a, b in v] for k, v in out.items()}
