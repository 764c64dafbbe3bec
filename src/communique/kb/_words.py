"""Word lists of the event-description tables (ACLED types, PLOVER modes and contexts).

A list is ``;``-separated. Each item is a lower-case word or phrase; a ``*`` at the end
of a word lets it run on (``protest*`` matches "protesters", "protested"; ``pull* out``
matches "pulled out"). Items
match whole words of the text, case-insensitively, so "Police" and "police" are the
same; a phrase matches across any run of spaces. Kept separate from ``_text.canon``
because these lists are matched against raw sentence text, punctuation included
("tear-gas" and "tear gas" are written as two items where both spellings occur).
"""

from __future__ import annotations

import re

from ..errors import KnowledgeBaseError


def word_items(cell: str) -> list[str]:
    return [w.strip().lower() for w in cell.split(";") if w.strip()]


def first_words(cell: str) -> tuple[str, ...] | None:
    """The lower-case first word (without its ``*``) of every item of ``cell``: one of them occurs in
    any text the cell's regex matches, so an ASCII text holding none of them (compared in lower case,
    which for ASCII is exactly the regex's case-insensitivity) cannot match. None when a word is not
    ASCII (no such shortcut then)."""
    leads = lead_words(cell)
    return None if leads is None else tuple(dict.fromkeys(stem for stem, _ in leads))


def lead_words(cell: str) -> list[tuple[str, bool]] | None:
    """(lower-case first word without its ``*``, whether it runs on) of every item of ``cell``, for
    indexing rules by the words of a text (``plover.RuleSet``); None when a word is not ASCII."""
    out = []
    for item in word_items(cell):
        first = item.split()[0]
        stem = first[:-1] if first.endswith("*") else first
        if not stem.isascii():
            return None
        out.append((stem, first.endswith("*")))
    return out


def compile_words(cell: str, where: str) -> re.Pattern | None:
    """One regex matching any item of ``cell``; None for an empty cell."""
    items = word_items(cell)
    if not items:
        return None
    parts = []
    for item in items:
        words = []
        for w in item.split():
            stem = w[:-1] if w.endswith("*") else w
            if not stem or "*" in stem:
                raise KnowledgeBaseError(f"bad word item {item!r}", where,
                                         "write words or phrases; a word may end in one '*' (protest*, pull* out)")
            words.append(re.escape(stem) + (r"\w*" if w.endswith("*") else ""))
        parts.append(r"\s+".join(words) + r"(?!\w)")
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)
