"""Detection: the spans of ``text`` that the rules' ``find`` patterns match and keep.

Each pattern only runs near its trigger words; overlapping matches are resolved longest
first, then earliest, then by the rules' find rank. "April 24 and 25" gives a second
date for the coordinated day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from spacy.tokens import Doc

from .filters import adjectival_the
from .rules import Rule
from .triggers import windows

if TYPE_CHECKING:
    from .grammar import TimeGrammar


class Hit(NamedTuple):
    start: int
    end: int
    rule: Rule
    first: int | None = None   # a coordinated day: where the date it belongs to starts


def detect(g: TimeGrammar, text: str, doc: Doc | None, shape_digit: dict[int, bool]) -> list[Hit]:
    """Time expressions the grammar finds in ``text``, in order.

    With ``doc`` (the parse of ``text``) trigger words are found from the token arrays,
    which is cheaper; ``shape_digit`` is the caller's cache for that.
    """
    triggers = g.triggers.in_doc(doc, shape_digit) if doc is not None else g.triggers.in_text(text)
    wins = windows(triggers, len(text), g.settings.window)
    found: list[Hit] = []
    seen: set[tuple[int, int, str]] = set()
    for rule, rx, classes in g.finders:
        spans = [w for bit, ws in wins.items() if bit & classes for w in ws]
        if not spans:
            continue
        drops = rule.find.drop
        for ws, we in _merge(spans):
            for m in rx.finditer(text, ws, we):
                s, e = m.span()
                if (s, e, rule.name) in seen or (e < len(text) and e == we and (text[e].isalnum() or
                                                                                text[e] in "'-")):
                    continue   # already found, or cut off by the end of the window
                seen.add((s, e, rule.name))
                if not any(drop(g, text, s, e) for drop in drops):
                    found.append(Hit(s, e, rule))
    # "the 14-day waiting period": the article belongs to the noun, not to the adjective
    found = [Hit(h.start + adjectival_the(text[h.start:h.end]), h.end, h.rule) if h.rule.find.adjectival else h
             for h in found]
    # longest first, then earliest (then the find rank, by the stable sort); no overlaps
    found.sort(key=lambda h: (-(h.end - h.start), h.start))
    taken: list[Hit] = []
    for h in found:
        if any(h.start < t.end and t.start < h.end for t in taken):
            continue
        taken.append(h)
    # "April 24 and 25": the second day is a date of its own
    extra = []
    for h in taken:
        if h.rule.find.coordinated_days:
            m = g.follow_day.match(text, h.end)
            if m and not any(m.start(1) < t.end and t.start < m.end(1) for t in taken):
                extra.append(Hit(m.start(1), m.end(1), h.rule, h.start))
    return sorted(taken + extra, key=lambda h: (h.start, h.end))


def _merge(wins: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(wins):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]
