"""CSV and TSV with a text column (``text``, ``body``, ``content`` or ``article``).

Columns named ``id``, ``date``, ``title``, ``source`` and ``url`` are used when
present. A file with an ``html`` column (and no text column), or whose text column holds whole
HTML pages, is read as web pages: main text and metadata extracted (``readers.html``). The encoding is decided from the first 64 KiB: UTF-8 when it decodes,
otherwise a guessed encoding with a warning on every article.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from typing import BinaryIO

from ..records import Article, Rejected
from ._decode import _guess_encoding, looks_binary, normalise_date
from .html import HTML_FIELDS, PageContext, html_field, page_to_article
from .options import ReadOptions

TEXT_COLUMNS = ("text", "body", "content", "article", "story")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_csv(fh: BinaryIO, origin: str, delimiter: str = ",",
             text_column: str | None = None, options: ReadOptions | None = None) -> Iterator[Article | Rejected]:
    buffered = io.BufferedReader(fh) if not hasattr(fh, "peek") else fh  # type: ignore[arg-type]
    sample = buffered.peek(65536)[:65536]
    if not sample.strip():
        yield Rejected(origin, "empty file: no rows to code", "check that the file was written completely")
        return
    if looks_binary(sample):
        yield Rejected(origin, "not a text file (binary data)", "pass a CSV file saved as text")
        return
    encoding, warning = "utf-8-sig", None
    try:
        # Cut at the last newline so a multi-byte character split by the sample
        # boundary does not look like an encoding error.
        cut = sample.rfind(b"\n")
        (sample if cut < 0 else sample[:cut]).decode("utf-8")
    except UnicodeDecodeError:
        encoding = _guess_encoding(sample)
        warning = f"not valid UTF-8; decoded as {encoding}: check characters or convert the file to UTF-8"
    stream = io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="")
    reader = csv.DictReader(stream, delimiter=delimiter)
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    reader.fieldnames = fields
    column = text_column.lower() if text_column else next((c for c in TEXT_COLUMNS if c in fields), None)
    if column is None and any(c in fields for c in HTML_FIELDS):
        column = next(c for c in HTML_FIELDS if c in fields)
    if column is None or column not in fields:
        yield Rejected(origin, f"no text column (columns are {', '.join(fields) or 'none'})",
                       "name the column 'text' or pass --text-column NAME")
        return
    for row in reader:
        where = f"{origin}:{reader.line_num}"
        if None in row:
            yield Rejected(where, "row has more fields than the header", "quote fields that contain the delimiter")
            continue
        text = row.get(column) or ""
        art_id = (row.get("id") or "").strip() or None
        if not text.strip():
            yield Rejected(where, f"column {column!r} is empty", "drop the row or fill in the text", id=art_id)
            continue
        warnings = [f"{where}: {warning}"] if warning else []
        date, date_warning = normalise_date((row.get("date") or "").strip() or None)
        if date_warning:
            warnings.append(f"{where}: {date_warning}")
        page = text if column in HTML_FIELDS else html_field({column: text}, column)
        if page is not None:
            yield page_to_article(page, where, PageContext(
                url=row.get("url") or None, id=art_id, title=row.get("title") or None,
                source=row.get("source") or None, date=date, date_from="input", input="html",
                warnings=warnings), options)
            continue
        yield Article(text=text, id=art_id, date=date,
                      title=(row.get("title") or None), source=(row.get("source") or None),
                      url=(row.get("url") or None), origin=where, warnings=warnings)
