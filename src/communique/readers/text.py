"""Plain-text articles, with optional header fields before the body.

A header is ``key value`` or ``key: value`` at the very start of the file, for the
keys ``date``, ``title``, ``source``, ``url`` and ``id``. The BELTA wire format
puts ``date 2025-08-29`` and the body on the same first line, so a ``date``
header may be followed by body text on its line. Character offsets in the
output index into the text after the header.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..records import Article, Rejected
from ._decode import BinaryInput, decode, normalise_date

_KEYS = ("date", "title", "source", "url", "id")
# `date 2025-08-29 ...` (no colon) only counts as a header when a date-like token
# follows, so an article that starts "Date palms ..." stays body text.
_DATE_BARE = re.compile(r"[ \t]*date[ \t]+(\d{4}-\d{1,2}-\d{1,2}(?:T[0-9:.+\-Z]+)?)(?=[ \t\r\n]|$)[ \t]*",
                        re.IGNORECASE)
_KEY_COLON = re.compile(r"[ \t]*(" + "|".join(_KEYS) + r")[ \t]*:[ \t]*", re.IGNORECASE)


def split_header(raw: str) -> tuple[dict[str, str], str]:
    """Split leading header fields from the body; return ``(fields, body)``."""
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(raw):
        m = _DATE_BARE.match(raw, pos)
        if m and "date" not in fields:
            fields["date"] = m.group(1)
            pos = m.end()
            if pos < len(raw) and raw[pos] not in "\r\n":
                break  # the body continues on the header line
            pos = _skip_newline(raw, pos)
            continue
        m = _KEY_COLON.match(raw, pos)
        if m and m.group(1).lower() not in fields:
            key = m.group(1).lower()
            line_end = raw.find("\n", m.end())
            line_end = len(raw) if line_end < 0 else line_end
            value = raw[m.end():line_end].strip()
            if key == "date":
                token = value.split()[0] if value.split() else ""
                rest = value[len(token):].strip()
                fields[key] = token
                if rest:  # "date: 2025-08-29 Body text..."
                    pos = raw.index(rest, m.end())
                    break
            else:
                fields[key] = value
            pos = _skip_newline(raw, line_end)
            continue
        break
    if fields:
        # Blank lines between header and body are not part of the article.
        while pos < len(raw) and raw[pos] in " \t\r\n":
            pos += 1
        return fields, raw[pos:]
    return fields, raw


def _skip_newline(raw: str, pos: int) -> int:
    if raw.startswith("\r\n", pos):
        return pos + 2
    if raw.startswith("\n", pos):
        return pos + 1
    return pos


def read_text(data: bytes, origin: str, default_id: str | None = None) -> Iterator[Article | Rejected]:
    """One article from the bytes of a plain-text file."""
    if not data.strip():
        yield Rejected(origin, "empty file: no text to code", "check that the file was written completely")
        return
    try:
        raw, warning = decode(data)
    except BinaryInput as err:
        yield Rejected(origin, f"not a text file ({err})",
                       "pass text, JSON Lines or CSV; convert PDFs and documents to text first")
        return
    warnings = [f"{origin}: {warning}"] if warning else []
    fields, body = split_header(raw)
    if not body.strip():
        yield Rejected(origin, "no article text after the header", "put the body after the header line")
        return
    date, date_warning = normalise_date(fields.get("date"))
    if date_warning:
        warnings.append(f"{origin}:1: {date_warning}")
    yield Article(
        text=body,
        id=fields.get("id") or default_id,
        date=date,
        title=fields.get("title"),
        source=fields.get("source"),
        url=fields.get("url"),
        origin=origin,
        warnings=warnings,
    )
