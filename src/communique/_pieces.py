"""Long articles: cut into pieces at paragraph ends, coded piece by piece, merged into one record.

``split_text`` cuts a text into consecutive pieces of at most ``limit`` characters (at the
last paragraph end before the limit, else a line end, a sentence end, a space, and only
as a last resort in the middle of a word); the pieces concatenate to the text, so a
piece's offset turns its spans into article-wide ones. ``merge_parts`` joins the record
parts of the pieces: every span shifted by its piece's offset and every id renumbered
(with the references between actors, events, quotes and places kept).
"""

from __future__ import annotations

import re

from .records import Span, Tone

_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"'\u201d\u2019)]*\s+"),
         re.compile(r"\s+"))


def split_text(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering ``text`` in order, each piece at most ``limit`` characters."""
    if len(text) <= limit:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        out.append((start, text[start:end]))
        start = end
    out.append((start, text[start:]))
    return out


def _cut(text: str, start: int, stop: int) -> int:
    """Where to end the piece that starts at ``start``: after the last separator before ``stop``,
    preferring paragraph ends; the piece keeps at least half the limit so pieces stay few."""
    window = text[start:stop]
    floor = (stop - start) // 2
    for sep in _CUTS:
        last = None
        for m in sep.finditer(window, floor):
            last = m
        if last is not None:
            return start + last.end()
    return stop


def _shift(span: Span | None, off: int) -> Span | None:
    if span is None:
        return None
    return Span(start=span.start + off, end=span.end + off, text=span.text)


def merge_parts(pieces: list[tuple[int, dict]]) -> dict:
    """One record's parts from the parts of its pieces (``stages._state.assemble`` of each)."""
    if len(pieces) == 1 and pieces[0][0] == 0:
        return pieces[0][1]
    merged: dict = {"actors": [], "events": [], "quotes": [], "places": [], "times": [], "warnings": []}
    tones = []
    for off, parts in pieces:
        ids: dict[str, str] = {}
        for key, prefix in (("actors", "a"), ("events", "e"), ("quotes", "q"), ("places", "p"), ("times", "t")):
            for item in parts[key]:
                new = f"{prefix}{len(merged[key]) + 1}"
                ids[item.id] = new
                item.id = new
                merged[key].append(item)
        _shift_piece(parts, off, ids)
        merged["warnings"].extend(parts["warnings"])
        tones.append(parts["tone"])
    merged["tone"] = _merge_tone(tones)
    return merged


def _shift_piece(parts: dict, off: int, ids: dict[str, str]) -> None:
    """Spans of one piece made article-wide and references renamed to the merged ids."""
    for a in parts["actors"]:
        a.span = _shift(a.span, off)
        a.refers_to = ids.get(a.refers_to) if a.refers_to else None
    for e in parts["events"]:
        e.sentence.start += off
        e.sentence.end += off
        e.trigger = _shift(e.trigger, off)
        for p in (e.source, e.target):
            if p is not None:
                p.span = _shift(p.span, off)
                p.actor = ids.get(p.actor) if p.actor else None
        if e.location is not None:
            e.location.place = ids[e.location.place]
        e.quote = ids.get(e.quote) if e.quote else None
    for q in parts["quotes"]:
        q.span = _shift(q.span, off)
        q.cue = _shift(q.cue, off)
        q.speaker.span = _shift(q.speaker.span, off)
        q.speaker.actor = ids.get(q.speaker.actor) if q.speaker.actor else None
    for x in (*parts["places"], *parts["times"]):
        x.span = _shift(x.span, off)


def _merge_tone(tones: list[Tone]) -> Tone:
    """Tone over the whole article: the pieces' percentages weighted by their word counts."""
    words = sum(t.words for t in tones)
    if words == 0:
        return Tone()
    pos = sum(t.positive * t.words for t in tones) / words
    neg = sum(t.negative * t.words for t in tones) / words
    return Tone(tone=round(pos - neg, 3), positive=round(pos, 3), negative=round(neg, 3),
                polarity=round(pos + neg, 3), words=words)
