"""Finding quoted regions from quote marks alone, before any parsing decisions.

Handles straight and curly double quotes, guillemets, low-high German marks,
PTB-style ````...''`` and single quotes used as quote marks (told apart from
apostrophes by their neighbours). A quote left open at the end of a paragraph
runs to the paragraph end; when the next paragraph opens with a quote mark this
is the newswire convention for a quote that continues, otherwise it is reported
as unbalanced. Never raises, whatever the arrangement of marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (open, close) pairs. A straight mark is its own partner.
_DOUBLE_OPEN = {"\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb", "\u201f": "\u201d", '"': '"',
                "``": "''", "\u00bb": "\u00ab"}
_SINGLE_OPEN = {"\u2018": "\u2019", "'": "'", "\u2039": "\u203a", "\u201a": "\u2018"}
_MARK = re.compile(r"``|''|[\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2019\u201a\u2039\u203a']")
_PARA = re.compile(r"\n\s*\n|\n(?=\s*[\"\u201c\u00ab\u201e])")


@dataclass
class Region:
    open: int          # offset of the opening mark
    start: int         # first character of content
    end: int           # end of content (exclusive)
    close: int | None  # offset of the closing mark, None if the quote was left open
    double: bool       # double-quote family (a speech quote) vs single marks
    continues: bool = False  # runs on into the next paragraph (newswire convention)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: separated by blank lines, or a newline before a quote mark."""
    spans, pos = [], 0
    for m in _PARA.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def find_regions(text: str) -> tuple[list[Region], list[str]]:
    """Quoted regions of ``text`` and warnings about unbalanced marks."""
    regions: list[Region] = []
    warnings: list[str] = []
    paras = paragraphs(text)
    for pi, (ps, pe) in enumerate(paras):
        marks = [(m.start(), m.group()) for m in _MARK.finditer(text, ps, pe)]
        open_at: tuple[int, str, str] | None = None   # (offset, mark, expected close)
        single_open: tuple[int, str] | None = None
        for off, mark in marks:
            before = text[off - 1] if off > ps else " "
            after = text[off + len(mark)] if off + len(mark) < pe else " "
            is_single = mark in ("'", "\u2018", "\u2019", "\u201a", "\u2039", "\u203a")
            if is_single:
                # Apostrophes (don't, Xi's, '90s, o'clock) sit next to letters on both
                # sides or before digits; quote marks have a space or punctuation outside.
                if _is_word(before) and _is_word(after):
                    continue
                if mark in ("'", "\u2019") and _is_word(before) and not _is_word(after):
                    # a closing mark or a plural possessive (the leaders' talks)
                    if single_open is not None:
                        s = single_open[0]
                        regions.append(Region(s, s + 1, off, off, False))
                        single_open = None
                    continue
                if mark in ("'", "\u2018", "\u201a", "\u2039") and not _is_word(before) and _is_word(after):
                    if single_open is None and (after.isalpha() or after.isdigit() and mark != "'"):
                        single_open = (off, mark)
                    continue
                if mark == "\u203a" and single_open is not None:
                    s = single_open[0]
                    regions.append(Region(s, s + 1, off, off, False))
                    single_open = None
                continue
            # double family
            if open_at is None:
                if mark in ("\u201d", "''"):
                    # A closing mark with no opener: the quote began earlier in the
                    # paragraph without a mark (or the mark was lost). Quote from the
                    # paragraph start only if this paragraph continues a quote.
                    if regions and regions[-1].continues and regions[-1].close is None:
                        regions.append(Region(ps, ps, off, off, True))
                    else:
                        warnings.append(f"closing quote mark at offset {off} has no opening mark; ignored")
                    continue
                open_at = (off, mark, _DOUBLE_OPEN.get(mark, '"'))
                single_open = None
                continue
            o_off, o_mark, expect = open_at
            closes = mark == expect or (mark == '"' and o_mark in ('"', "\u201c", "\u201d")) or \
                (o_mark == '"' and mark in ("\u201d", "\u201c")) or (o_mark == "\u201c" and mark == "\u201c"
                                                                   and not _is_word(after))
            if mark in ("\u201c", "\u201e", "``", "\u00ab") and mark != expect and not closes:
                # A new opening mark while a quote is open: the previous one was never
                # closed. Close it here and start again.
                warnings.append(f"quote opened at offset {o_off} is not closed before the next opening mark "
                                f"at offset {off}; took it to end there")
                regions.append(Region(o_off, o_off + len(o_mark), _rstrip(text, o_off + len(o_mark), off),
                                      None, True))
                open_at = (off, mark, _DOUBLE_OPEN.get(mark, '"'))
                continue
            if closes:
                regions.append(Region(o_off, o_off + len(o_mark), off, off, True))
                open_at = None
        if open_at is not None:
            o_off, o_mark, _ = open_at
            nxt = paras[pi + 1][0] if pi + 1 < len(paras) else None
            continues = nxt is not None and bool(_MARK.match(text, nxt)) and text[nxt] not in "\u201d\u00bb'\u2019"
            end = _rstrip(text, o_off + len(o_mark), pe)
            if end > o_off + len(o_mark):
                regions.append(Region(o_off, o_off + len(o_mark), end, None, True, continues))
            if not continues:
                warnings.append(f"quote opened at offset {o_off} is not closed in its paragraph; "
                                "took it to run to the paragraph end")
    regions = [r for r in regions if r.end > r.start and text[r.start:r.end].strip()]
    for r in regions:
        # Trim spaces inside the marks so spans start and end on content.
        while r.start < r.end and text[r.start].isspace():
            r.start += 1
        r.end = _rstrip(text, r.start, r.end)
    return regions, warnings


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
