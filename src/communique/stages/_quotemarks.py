"""Finding quoted regions from quote marks alone, before any parsing decisions.

Handles straight and curly double quotes, guillemets (« » and » «), low-high
German marks („ “), typewriter pairs (``...'' and ''...'') and single quotes used
as quote marks (told apart from apostrophes by their neighbours). Each mark is
read as opening or closing from its glyph and its neighbours, so a stray or
misused mark costs one warning, never the rest of the article.

A quote left open at the end of a paragraph either continues into the next one
(newswire convention: the next paragraph opens with a quote mark), or, when the
next paragraph's first mark closes it, was split by a line break; otherwise it
runs to the paragraph end and a warning says so. Never raises, whatever the
arrangement of marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE = frozenset({'"', "\u201c", "\u201d", "\u201e", "\u201f", "\u00ab", "\u00bb", "``", "''", "\u301d",
                     "\u301e", "\uff02"})
_SINGLE = frozenset({"'", "\u2018", "\u2019", "\u201a", "\u201b", "\u2039", "\u203a"})
# Glyphs that only ever open / only ever close in English-style typography. The
# others ("straight" marks, guillemets, which open in French and close in German)
# are read from their neighbours.
_OPENERS = frozenset({"\u201e", "\u201f", "``", "\u301d", "\u201a", "\u201b"})
_CLOSERS = frozenset({"\u301e"})
_MARK = re.compile("``|''|[\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u301d\u301e\uff02'\u2018\u2019\u201a\u201b\u2039\u203a]")
_BLANK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")
_NEWLINE = re.compile(r"\n\s*")
_TERMINAL = set(".!?:;\"'\u201d\u2019\u00bb\u203a)]")
_OPEN_BEFORE = set("([{\u2014\u2013-/:")   # a mark right after these opens
_CLOSE_AFTER = set(".,;:!?)]}\u2014\u2013-/")  # a mark right before these closes


@dataclass
class Region:
    open: int          # offset of the opening mark
    start: int         # first character of content
    end: int           # end of content (exclusive)
    close: int | None  # offset of the closing mark, None if the quote was left open
    double: bool       # double-quote family (a speech quote) vs single marks
    continues: bool = False  # runs on into the next paragraph (newswire convention)
    close_len: int = 1  # length of the closing mark

    @property
    def after(self) -> int:
        """First offset after the quote, closing mark included."""
        return self.close + self.close_len if self.close is not None else self.end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (start, end) with surrounding whitespace excluded.

    Blank lines always separate paragraphs. A single line break does when the
    line before ends a sentence (or a quote) or the line after opens a quote;
    a break in mid-sentence is read as a wrapped line.
    """
    cuts: list[tuple[int, int]] = []
    for m in _NEWLINE.finditer(text):
        a, b = m.start(), m.end()
        if _BLANK.match(text, a):
            cuts.append((a, b))
            continue
        j = a - 1
        while j >= 0 and text[j] in " \t\r\u00a0":
            j -= 1
        prev = text[j] if j >= 0 else "."
        nxt = text[b] if b < len(text) else ""
        if prev in _TERMINAL or (nxt and (_MARK.match(text, b) or nxt in "-\u2022*")):
            cuts.append((a, b))
    spans, pos = [], 0
    for a, b in cuts:
        spans.append((pos, a))
        pos = b
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _side(text: str, off: int, n: int, ps: int, pe: int) -> tuple[str, str]:
    before = text[off - 1] if off > ps else " "
    after = text[off + n] if off + n < pe else " "
    return before, after


def _double_role(mark: str, before: str, after: str) -> str:
    """'open', 'close' or 'either' for a double-family mark in its context."""
    if mark in _OPENERS:
        return "open"
    if mark in _CLOSERS:
        return "close"
    space_before = before.isspace() or before in _OPEN_BEFORE
    space_after = after.isspace() or after in _CLOSE_AFTER
    if mark == "\u201c":  # left mark, sometimes typed as a closer ("word“ ")
        return "close" if not space_before and space_after else "open"
    if mark == "\u201d":  # right mark, sometimes typed as an opener (" ”word")
        return "open" if space_before and not space_after else "close"
    if space_before and not space_after:
        return "open"
    if space_after and not space_before:
        return "close"
    return "either"


# Long on purpose: one pass over each paragraph's marks with the open-quote state (open, nested,
# single, carry) in locals; split, that state would travel between the pieces in an object.
def find_regions(text: str) -> tuple[list[Region], list[str]]:
    """Quoted regions of ``text`` (sorted by offset) and warnings about unbalanced marks."""
    regions: list[Region] = []
    warnings: list[str] = []
    paras = paragraphs(text)
    carry: Region | None = None     # a double quote still open at the previous paragraph end
    for pi, (ps, pe) in enumerate(paras):
        marks = [(m.start(), m.group()) for m in _MARK.finditer(text, ps, pe)]
        open_at: tuple[int, str] | None = None
        single_open: tuple[int, str] | None = None
        if carry is not None:
            # The previous paragraph's quote goes on here: either split by a line
            # break (our first mark closes it) or continued (our first mark opens).
            first = next(((o, m) for o, m in marks if m in _DOUBLE), None)
            role = None
            if first is not None:
                role = _double_role(first[1], *_side(text, first[0], len(first[1]), ps, pe))
            if first is not None and role == "close" and first[0] > ps:
                carry.end = _rstrip(text, carry.start, first[0])
                carry.close, carry.close_len, carry.continues = first[0], len(first[1]), False
                marks = [(o, m) for o, m in marks if o > first[0]]
            carry = None
        nested = False   # inside a quote within the quote, marked with the other glyph family
        for off, mark in marks:
            before, after = _side(text, off, len(mark), ps, pe)
            if mark in _SINGLE:
                single_open = _single(text, off, mark, before, after, single_open, regions)
                continue
            role = _double_role(mark, before, after)
            if open_at is not None and _family(mark) != _family(open_at[1]):
                # '"He called it “a disgrace,” she said.': curly marks inside a straight
                # quote (or the reverse) quote within the quote
                if nested and role != "open":
                    nested = False
                    continue
                if not nested and role == "open":
                    nested = True
                    continue
            if open_at is None:
                if role == "close":
                    if regions and regions[-1].continues and regions[-1].close is None and regions[-1].end < ps:
                        # a continued quote whose paragraph has no opening mark of its own
                        regions.append(Region(ps, ps, _rstrip(text, ps, off), off, True, close_len=len(mark)))
                    else:
                        warnings.append(f"closing quote mark at offset {off} has no opening mark; ignored")
                    continue
                open_at = (off, mark)
                single_open = None
                nested = False
                continue
            o_off, o_mark = open_at
            if role == "open" and mark not in ('"', "''", "\uff02"):
                # A clear opening mark while a quote is open: the previous quote was
                # never closed. End it here and start again.
                warnings.append(f"quote opened at offset {o_off} is not closed before the next opening mark "
                                f"at offset {off}; took it to end there")
                regions.append(Region(o_off, o_off + len(o_mark), _rstrip(text, o_off + len(o_mark), off),
                                      None, True))
                open_at = (off, mark)
                # as for any opening mark: a single quote opened in the ended quote ends with it, or
                # it would span the boundary between the two double quotes
                single_open = None
                continue
            regions.append(Region(o_off, o_off + len(o_mark), off, off, True, close_len=len(mark)))
            open_at = None
        if open_at is not None:
            o_off, o_mark = open_at
            nxt = paras[pi + 1][0] if pi + 1 < len(paras) else None
            opens_next = False
            if nxt is not None:
                m = _MARK.match(text, nxt)
                opens_next = bool(m) and m.group() in _DOUBLE and _double_role(
                    m.group(), " ", text[nxt + len(m.group())] if nxt + len(m.group()) < len(text) else " ") != "close"
            end = _rstrip(text, o_off + len(o_mark), pe)
            r = Region(o_off, o_off + len(o_mark), end, None, True, opens_next)
            if end > r.start:
                regions.append(r)
                carry = r if nxt is not None else None
            if not opens_next:
                # Not the continuation convention. A closing mark early in the next
                # paragraph may still end it (a line break inside the quote); else warn.
                if nxt is not None and _closes_in_next(text, paras[pi + 1]):
                    r.continues = True  # provisional: resolved when the next paragraph is read
                else:
                    carry = None
                    warnings.append(f"quote opened at offset {o_off} is not closed in its paragraph; "
                                    "took it to run to the paragraph end")
    out = []
    for r in regions:
        # Trim spaces inside the marks so spans start and end on content.
        while r.start < r.end and text[r.start].isspace():
            r.start += 1
        r.end = _rstrip(text, r.start, r.end)
        if r.end > r.start:
            out.append(r)
    out.sort(key=lambda r: (r.open, not r.double))
    return out, warnings


def _family(mark: str) -> str:
    return "straight" if mark in ('"', "''", "\uff02") else "typeset"


def _closes_in_next(text: str, para: tuple[int, int]) -> bool:
    ps, pe = para
    for m in _MARK.finditer(text, ps, pe):
        if m.group() in _SINGLE:
            continue
        return m.start() > ps and _double_role(m.group(), *_side(text, m.start(), len(m.group()), ps, pe)) == "close"
    return False


def _single(text: str, off: int, mark: str, before: str, after: str, single_open: tuple[int, str] | None,
            regions: list[Region]) -> tuple[int, str] | None:
    """Track single-mark quotes; apostrophes (don't, Xi's, '90s, leaders') are skipped."""
    if _is_word(before) and _is_word(after):
        return single_open  # an apostrophe inside a word
    if mark in ("'", "\u2019", "\u203a") and (_is_word(before) or before in ".,!?") and not _is_word(after):
        # a closing mark, or a plural possessive (the leaders' talks)
        if single_open is not None:
            s = single_open[0]
            if off > s + 1:
                regions.append(Region(s, s + 1, off, off, False))
            return None
        return None
    if mark in ("'", "\u2018", "\u201a", "\u201b", "\u2039") and not _is_word(before) and (_is_word(after) or
                                                                                         after in "\u00bf\u00a1"):
        if single_open is None and (after.isalpha() or mark != "'" or after in "\u00bf\u00a1"):
            return (off, mark)
        return single_open
    return single_open


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
