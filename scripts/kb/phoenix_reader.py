"""Read PETRARCH/Phoenix actor and agent dictionaries into plain Python records.

Only the file *format* is interpreted here; deciding what an entry means
(person, organisation, country) is left to the converters.

Actor dictionary format (PETRARCH documentation, "Actor Dictionary"):

    PRIMARY_PHRASE_  [OPTIONAL_DEFAULT_CODE]   # comment
    +SYNONYM_PHRASE_
    <TAB>[CODE >YYMMDD]          from a date
    <TAB>[CODE <YYMMDD]          until a date
    <TAB>[CODE YYMMDD-YYMMDD]    between two dates
    <TAB>[CODE]                  default code

Dates are YYMMDD or YYYYMMDD.  Underscores join the words of a phrase.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

PHOENIX_DIR = "/work/shared/data/phoenix"

# The Countries file was generated on 2014-01-30, so no two-digit year in the
# Phoenix files can be later than 2015: 00-15 -> 20xx, 16-99 -> 19xx.
TWO_DIGIT_PIVOT = 15


@dataclass
class CodeSpan:
    code: str            # raw CAMEO code, e.g. "BLRGOV", "IGOUNOREFHCR"
    start: str = ""      # ISO date or ""
    end: str = ""        # ISO date or ""
    default: bool = False  # no date restriction at all


@dataclass
class ActorEntry:
    phrase: str                       # raw primary phrase, e.g. "XI_JINPING"
    synonyms: list[str] = field(default_factory=list)
    codes: list[CodeSpan] = field(default_factory=list)
    comment: str = ""
    line: int = 0
    section: str = ""                 # nearest preceding "# ====" style heading
    adjacent: bool = False            # no blank line between this and the previous entry


def parse_date(text: str) -> str:
    """YYMMDD / YYYYMMDD -> 'YYYY-MM-DD'; '' when malformed."""
    text = text.strip()
    if len(text) == 6 and text.isdigit():
        yy = int(text[:2])
        year = 2000 + yy if yy <= TWO_DIGIT_PIVOT else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    elif len(text) == 8 and text.isdigit():
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    else:
        return ""
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        # e.g. 19700230: keep the month, clamp the day
        try:
            return _dt.date(year, month, 1).isoformat()
        except ValueError:
            return ""


_BRACKET = re.compile(r"\[([^\]]*)\]")


def parse_code_spans(text: str) -> list[CodeSpan]:
    spans = []
    for inner in _BRACKET.findall(text):
        parts = inner.split()
        if not parts:
            continue
        code = parts[0].strip("~").upper()
        restriction = parts[1] if len(parts) > 1 else ""
        span = CodeSpan(code=code)
        if not restriction:
            span.default = True
        elif restriction.startswith(">"):
            span.start = parse_date(restriction[1:])
        elif restriction.startswith("<"):
            span.end = parse_date(restriction[1:])
        elif "-" in restriction:
            a, b = restriction.split("-", 1)
            span.start, span.end = parse_date(a), parse_date(b)
        else:
            span.default = True
        if not span.default and not span.start and not span.end:
            continue  # date restriction present but unreadable: skip it
        spans.append(span)
    return spans


def _split_comment(line: str) -> tuple[str, str]:
    if "#" in line:
        i = line.index("#")
        return line[:i], line[i + 1:].strip()
    return line, ""


def read_actor_file(path: str) -> list[ActorEntry]:
    """Return the entries of a PETRARCH actor dictionary in file order.

    A primary phrase that has neither a code of its own nor any indented
    date restriction takes the codes of the entry directly above it when the
    two are adjacent (no blank line between), which is how the dictionaries
    list abbreviations such as ``UN_ [IGOUNO]`` / ``U.N._``.
    """
    entries: list[ActorEntry] = []
    current: ActorEntry | None = None
    section = ""
    previous_blank = True
    with open(path, encoding="utf-8", errors="replace") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            stripped = line.strip()
            if not stripped:
                previous_blank = True
                continue
            if stripped.startswith("#") or stripped.startswith("<!--"):
                heading = stripped.strip("#").strip()
                if heading and (stripped.startswith("###") or stripped.startswith("# ===")):
                    section = heading.strip("= ").strip()
                continue
            body, comment = _split_comment(line)
            if line[0] in " \t" and body.strip().startswith("["):
                if current is not None:
                    current.codes.extend(parse_code_spans(body))
                continue
            if body.startswith("+"):
                if current is not None:
                    phrase = _BRACKET.sub("", body[1:]).strip()
                    if phrase:
                        current.synonyms.append(phrase)
                    current.codes.extend(parse_code_spans(body))
                continue
            if not body.strip():
                continue
            # new primary phrase
            phrase = _BRACKET.sub("", body).strip()
            entry = ActorEntry(phrase=phrase, comment=comment, line=lineno, section=section)
            entry.codes = parse_code_spans(body)
            entry.adjacent = current is not None and not previous_blank
            entries.append(entry)
            current = entry
            previous_blank = False
    return _merge_codeless(entries)


def _merge_codeless(entries: list[ActorEntry]) -> list[ActorEntry]:
    """Attach primary phrases that carry no code to a coded neighbour.

    TABARI/PETRARCH dictionaries list a run of code-less primary phrases
    directly above the entry whose codes they share (the Gorbachev block),
    and occasionally a bare abbreviation directly below a coded entry
    (``UN_ [IGOUNO]`` / ``U.N._``).  A run followed by an adjacent coded
    entry is merged into one entry named after the first phrase of the run;
    a run that ends at a blank line becomes synonyms of the coded entry above.
    """
    merged: list[ActorEntry] = []
    pending: list[ActorEntry] = []

    def flush_pending() -> None:
        if not pending:
            return
        if pending[0].adjacent and merged and merged[-1].codes:
            for p in pending:
                merged[-1].synonyms.append(p.phrase)
                merged[-1].synonyms.extend(p.synonyms)
        else:
            merged.extend(pending)   # stays code-less; converters drop it
        pending.clear()

    for entry in entries:
        if pending and not entry.adjacent:
            flush_pending()
        if not entry.codes:
            pending.append(entry)
            continue
        if pending:
            head = pending[0]
            head.codes = entry.codes
            for p in pending[1:] + [entry]:
                head.synonyms.append(p.phrase)
                head.synonyms.extend(p.synonyms)
            if not head.comment:
                head.comment = entry.comment
            merged.append(head)
            pending.clear()
            continue
        merged.append(entry)
    flush_pending()
    return merged
    return entries


def phrase_words(phrase: str) -> str:
    """'XI_JINPING_' -> 'XI JINPING' (underscores to spaces, squeezed)."""
    text = phrase.replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()
