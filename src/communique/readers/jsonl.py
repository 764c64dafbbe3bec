"""JSON Lines: one article object per line, ``text`` required.

Optional keys: ``id``, ``date`` (YYYY-MM-DD), ``title``, ``source``, ``url``; other
keys are ignored. A line with an ``html`` field instead of ``text`` (or a ``text`` that is a
whole HTML page) is a web page: its main text and metadata are extracted (``readers.html``). A line that is not an object, or has no usable text, becomes
a ``Rejected`` naming the file and line; the rest of the file is still read.
A file that is a single JSON array of objects (``.json``) is read too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from ..records import Article, Rejected
from ._decode import BinaryInput, decode, normalise_date
from .options import ReadOptions

_META = ("title", "source", "url")


def read_jsonl(fh: BinaryIO, origin: str, options: ReadOptions | None = None) -> Iterator[Article | Rejected]:
    first = True
    saw_any = False
    for lineno, raw in enumerate(fh, start=1):
        if first:
            first = False
            if raw.lstrip(b"\xef\xbb\xbf \t").startswith(b"["):
                yield from _read_array(raw + fh.read(), origin, options)
                return
        if not raw.strip():
            continue
        saw_any = True
        where = f"{origin}:{lineno}"
        try:
            line, warning = decode(raw)
        except BinaryInput as err:
            yield Rejected(where, f"line is not text ({err})", "remove binary data from the file")
            continue
        yield from _object_to_article(line, where, warning, options)
    if not saw_any:
        yield Rejected(origin, "empty file: no JSON lines to code", "check that the file was written completely")


def _read_array(data: bytes, origin: str, options: ReadOptions | None = None) -> Iterator[Article | Rejected]:
    try:
        text, warning = decode(data)
        items = json.loads(text.lstrip("\ufeff"))
    except (BinaryInput, json.JSONDecodeError) as err:
        yield Rejected(origin, f"not a JSON array of articles ({err})",
                       "write one JSON object per line (JSON Lines)")
        return
    for i, item in enumerate(items, start=1):
        yield from _object_to_article(item, f"{origin}[{i}]", warning, options)


def _object_to_article(line: str | object, where: str, warning: str | None,
                       options: ReadOptions | None = None) -> Iterator[Article | Rejected]:
    if isinstance(line, str):
        try:
            obj = json.loads(line.lstrip("\ufeff"))
        except json.JSONDecodeError as err:
            yield Rejected(where, f"invalid JSON ({err.msg} at column {err.colno})",
                           "fix the line, or check that the file is JSON Lines")
            return
    else:
        obj = line
    if not isinstance(obj, dict):
        yield Rejected(where, f"line is a JSON {type(obj).__name__}, not an object",
                       'each line must be an object such as {"id": "a1", "text": "..."}')
        return
    text = obj.get("text")
    art_id = obj.get("id")
    art_id = str(art_id) if art_id is not None and art_id != "" else None
    from .html import html_field

    page = html_field(obj, "text")
    if page is not None:
        yield from _page(obj, page, where, art_id, warning, options)
        return
    if not isinstance(text, str):
        reason = "no \"text\" field" if text is None else f"\"text\" is a {type(text).__name__}, not a string"
        yield Rejected(where, reason, 'add the article body as "text"', id=art_id)
        return
    if not text.strip():
        yield Rejected(where, "\"text\" is empty", "drop the line or fill in the article body", id=art_id)
        return
    warnings = [f"{where}: {warning}"] if warning else []
    date, date_warning = normalise_date(obj.get("date"))
    if date_warning:
        warnings.append(f"{where}: {date_warning}")
    meta = {}
    for key in _META:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            warnings.append(f"{where}: {key!r} is a {type(value).__name__}; converted to text")
            value = str(value)
        meta[key] = value or None
    yield Article(text=text, id=art_id, date=date, origin=where, warnings=warnings, **meta)


def _page(obj: dict, page: str, where: str, art_id: str | None, warning: str | None,
          options: ReadOptions | None) -> Iterator[Article | Rejected]:
    from .html import PageContext, page_to_article

    date, date_warning = normalise_date(obj.get("date"))
    warnings = [f"{where}: {w}" for w in (warning, date_warning) if w]
    meta = {k: (str(obj[k]) if obj.get(k) is not None else None) for k in _META}
    yield page_to_article(page, where, PageContext(url=meta["url"], id=art_id, title=meta["title"],
                                                   source=meta["source"], date=date, date_from="input",
                                                   input="html", warnings=warnings), options)
