"""The compiled time grammar: the rules of ``rules.py`` built for one vocabulary and settings.

``TimeGrammar`` is built once per component (``stage.py``) and is then read-only; it
normalises expressions (``normalise``, a pure function of its arguments) and finds them
in text (``detect``, see ``detection.py``).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .normalisers import Ctx
from .rules import RULES, Rule, find_fragments, parse_fragments
from .settings import TimeSettings
from .triggers import TriggerWords
from .vocabulary import Vocab, alt, load_vocab

_LEAD_WORDS = (
    "in|on|at|by|since|until|till|through|throughout|during|from|for|of|within|before|after|around|"
    "about|approximately|roughly|nearly|almost|some|only|just|over|under|more than|less than|fewer than|"
    "at least|at most|no more than|no less than|no later than|no earlier than|not until|up to|as early as|"
    "as late as|as long as|as much as|as many as|upwards of|well over|well into|barely|each of|all of|"
    "early|late|mid|earlier|later|the beginning of|the end of|the middle of|the start of|the turn of|"
    "the rest of|the remainder of|the course of|the close of|the first part of|the latter part of|"
    "the latter half of|the early part of|end of|beginning of|middle of|start of|the better part of|"
    "a little over|a little more than|the early|the late|the mid")
# Leading words that do not change a value (prepositions, approximations, TIMEX3 "mod"s).
_LEAD = re.compile(r"^(?:" + "|".join(sorted(_LEAD_WORDS.split("|"), key=len, reverse=True)) + r")[\s-]+")
# Detection matches must not start or end inside a word, a number or a price.
_BOUNDED = r"(?<![\w$#£€'-]){}(?![\w'-])"


class TimeGrammar:
    """The normaliser and the detector for ``vocab`` with ``settings``."""

    def __init__(self, vocab: Vocab, settings: TimeSettings | None = None):
        self.vocab = vocab
        self.settings = settings or TimeSettings()
        p, f = parse_fragments(vocab), find_fragments(vocab)
        self.parsers: list[tuple[Rule, re.Pattern]] = [(r, re.compile(r.parse(p))) for r in RULES
                                                       if r.parse is not None and r.handler is not None]
        finders = sorted((r for r in RULES if r.find is not None), key=lambda r: r.find.rank)
        ranks = [r.find.rank for r in finders]
        if len(set(ranks)) != len(ranks):
            raise ValueError("rules.py: two rules share a find rank; give each its own")
        self.finders: list[tuple[Rule, re.Pattern, int]] = [
            (r, re.compile(_BOUNDED.format(r.find.pattern(f)), re.IGNORECASE), int(r.find.triggers))
            for r in finders]
        self.triggers = TriggerWords.build(vocab)
        self.month_word = re.compile(rf"\b({alt(vocab.months)})\b", re.IGNORECASE)
        self.follow_day = re.compile(r"\s*(?:and|or|to|through|-|\u2013)\s*((?:[12]?\d|3[01]))(?:st|nd|rd|th)?"
                                     r"(?![\w%]|[.,]\d|\s*(?:percent|%|-|,\s*\d))")

    @classmethod
    def load(cls, path: Path | None = None, settings: TimeSettings | None = None) -> TimeGrammar:
        """The grammar of the vocabulary table at ``path`` (default: the shipped ``times.tsv``)."""
        return cls(load_vocab(path), settings)

    def clean(self, text: str) -> str:
        t = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
        t = re.sub(r"\s+", " ", t).strip()
        t = re.sub(r"^[\"`(\[]+|[\"`)\].,;:!?]+$", "", t).strip()
        t = re.sub(r"(?<=[a-z])'s$|(?<=s)'$", "", t)
        t = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", t)
        t = re.sub(r"\b(a|p)\.? ?m\b\.?", r"\1m", t)
        return self.vocab.digits(t)

    def normalise(self, text: str, dct: date | None, direction: int = 0, ref: str | None = None,
                  qref: str | None = None) -> tuple[str, str] | None:
        """``(value, type)`` of a time expression, or None if it is not one.

        ``dct`` is the article date; ``direction`` -1/0/+1 the tense of the clause (past,
        unknown, future); ``ref`` the reference time (last date mentioned, a TimeML value)
        for anaphoric expressions ("that day", "the following year"); ``qref`` the last
        fiscal quarter mentioned, which "a year earlier" and "the quarter" refer to in
        financial reports.
        """
        ctx = Ctx(dct, direction, ref, qref, self.vocab, self.settings,
                  lambda t: self.normalise(t, dct, direction, ref, qref))
        t = self.clean(text)
        seen = set()
        while t and t not in seen:
            seen.add(t)
            res = self._read(t, ctx)
            if res is not None:
                return res
            t2 = _LEAD.sub("", t, count=1).strip()
            if t2 == t:
                break
            t = t2
        return None

    def _read(self, t: str, c: Ctx) -> tuple[str, str] | None:
        if t in ("1 day", "some day") and c.direction > 0:
            return "FUTURE_REF", "DATE"
        vague = self.vocab.vague
        if t in vague:
            value, typ, _ = vague[t]
            return value, typ
        for rule, rx in self.parsers:
            m = rx.fullmatch(t)
            if m is None:
                continue
            res = rule.handler(m, c)
            if res is not None:
                return res
        return None

    def detect_spans(self, text: str, doc=None) -> list[tuple[int, int, str]]:
        """(start, end, rule name) of the expressions ``detect`` finds, in text order."""
        from .detection import detect

        return [(h.start, h.end, h.rule.name) for h in detect(self, text, doc, {})]
