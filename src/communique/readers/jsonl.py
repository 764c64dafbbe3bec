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
from ._decode import BinaryInput, decode, normalise_date, replace_surrogates
from .options import ReadOptions

_META = ("title", "source", "url")
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
               bool: "true or false", type(None): "null"}


def json_type(value: object) -> str:
    """A JSON value's kind as JSON names it ("an array", "null"), not as Python does."""
    return _JSON_TYPES.get(type(value), "a value")


def json_error(err: json.JSONDecodeError) -> str:
    """``Expecting value at column 1``; Python's own messages may end in "at" already
    ("Unterminated string starting at"), which must not become "at at column"."""
    msg = err.msg.rstrip()
    return f"{msg} column {err.colno}" if msg.endswith(" at") else f"{msg} at column {err.colno}"


def _loads(text: str):
    """``json.loads`` that also turns nesting too deep for Python into a ``JSONDecodeError``."""
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text[:40], 0) from None


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
        items = _loads(text.lstrip("\ufeff"))
    except (BinaryInput, json.JSONDecodeError) as err:
        yield Rejected(origin, f"not a JSON array of articles ({err})",
                       "write one JSON object per line (JSON Lines)")
        return
    if not isinstance(items, list):
        yield Rejected(origin, f"not a JSON array of articles (it is {json_type(items)})",
                       "write one JSON object per line (JSON Lines)")
        return
    for i, item in enumerate(items, start=1):
        yield from _object_to_article(item, f"{origin}[{i}]", warning, options)


def _object_to_article(line: str | object, where: str, warning: str | None,
                       options: ReadOptions | None = None) -> Iterator[Article | Rejected]:
    if isinstance(line, str):
        try:
            obj = _loads(line.lstrip("\ufeff"))
        except json.JSONDecodeError as err:
            yield Rejected(where, f"invalid JSON ({json_error(err)})",
                           "fix the line, or check that the file is JSON Lines")
            return
    else:
        obj = line
    if not isinstance(obj, dict):
        yield Rejected(where, f"the line is {json_type(obj)}, not an object",
                       'each line must be an object such as {"id": "a1", "text": "..."}')
        return
    text = obj.get("text")
    art_id = obj.get("id")
    art_id = replace_surrogates(str(art_id))[0] if art_id is not None and art_id != "" else None
    from .html import html_field

    page = html_field(obj, "text")
    if page is not None:
        yield from _page(obj, page, where, art_id, warning, options)
        return
    if not isinstance(text, str):
        reason = "no \"text\" field" if text is None else f"\"text\" is {json_type(text)}, not a string"
        yield Rejected(where, reason, 'add the article body as "text"', id=art_id)
        return
    if not text.strip():
        yield Rejected(where, "\"text\" is empty", "drop the line or fill in the article body", id=art_id)
        return
    warnings = [f"{where}: {warning}"] if warning else []
    text, n_bad = replace_surrogates(text)
    if n_bad:
        from .._validate import surrogate_warning

        warnings.append(f"{where}: {surrogate_warning(n_bad)}")
    date, date_warning = normalise_date(obj.get("date"))
    if date_warning:
        warnings.append(f"{where}: {date_warning}")
    meta = {}
    for key in _META:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            warnings.append(f"{where}: {key!r} is {json_type(value)}; converted to text")
            try:
                value = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
            except (RecursionError, ValueError):
                value = None          # nested too deeply to be a title or a URL
        meta[key] = replace_surrogates(value)[0] if value else None
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
