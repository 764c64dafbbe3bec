"""Readers: turn paths and streams into ``Article`` objects, one at a time.

Every reader streams (one article in memory at a time, apart from plain-text
files, which are one article each), and yields a ``Rejected`` for any input it
cannot use, naming the file, the line and the reason, instead of raising. The
dispatcher ``read_inputs`` picks a reader by file suffix or content.

Web inputs (issue 13): saved pages (``.html``, ``.htm``; ``html`` fields and columns of JSON Lines
and CSV), web archives (``.warc``, ``.warc.gz``, ``.arc.gz``), URL lists (a ``.txt`` file whose every
line is a URL, or ``--input-format urls``) and feed lists (``--input-format feeds``, or
``ReadOptions.feeds``). They take a ``ReadOptions`` (languages, limits, fetching, the store's memory).
"""

from __future__ import annotations

import gzip
import io
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from ..records import Article, Rejected
from ._decode import utf8_stream
from .csvfile import read_csv
from .jsonl import read_jsonl
from .options import ReadOptions, parse_langs
from .text import read_text

InputFormat = Literal["auto", "text", "jsonl", "csv", "tsv", "html", "warc", "urls", "feeds"]
Item = Article | Rejected

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv"}
TSV_SUFFIXES = {".tsv", ".tab"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
WEB_FORMATS = {"html", "warc", "urls", "feeds"}

__all__ = ["read_inputs", "read_path", "read_text", "read_jsonl", "read_csv", "Item", "ReadOptions",
           "parse_langs", "costly"]


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _open(path: Path) -> BinaryIO:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def format_for(path: Path) -> InputFormat | None:
    from .warc import is_warc_name

    if is_warc_name(path.name):
        return "warc"
    suffix = _suffix(path)
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in TSV_SUFFIXES:
        return "tsv"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def read_path(
    path: str | os.PathLike[str],
    input_format: InputFormat = "auto",
    text_column: str | None = None,
    options: ReadOptions | None = None,
) -> Iterator[Item]:
    """Read one file or directory (recursively, in sorted order)."""
    p = Path(path)
    if str(path) == "-":
        yield from _read_stdin(input_format, text_column, options)
        return
    if not p.exists():
        yield Rejected(str(p), "no such file or directory", "check the path")
        return
    if p.is_dir():
        yield from _read_dir(p, input_format, text_column, options)
        return
    fmt = input_format if input_format != "auto" else format_for(p)
    if fmt is None:
        fmt = "text"
    if fmt == "warc":
        from .warc import read_warc

        yield from read_warc(p, str(p), options)
        return
    if fmt == "feeds":
        from ..fetch.feeds import read_feed_list

        yield from read_feed_list(p, options)
        return
    limit = (options or ReadOptions()).max_page_bytes
    if fmt == "html" and not p.name.lower().endswith(".gz") and p.stat().st_size > limit:
        from .html import too_large

        # refused before it is loaded: a 50 MB page is not an article
        yield too_large(p.stat().st_size, str(p), options or ReadOptions())
        return
    try:
        with _open(p) as fh:
            if fmt in ("text", "urls", "html"):
                limit = (options or ReadOptions()).max_page_bytes
                data = fh.read(limit + 1) if fmt == "html" else fh.read()
                if fmt == "urls" or (input_format == "auto" and fmt == "text" and _is_url_list(data)):
                    from ..fetch.pages import read_url_list

                    yield from read_url_list(p, data, options)
                    return
                fh = io.BytesIO(data)  # type: ignore[assignment]
            yield from _read_stream(fh, str(p), fmt, text_column, default_id=_stem(p), options=options)
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        yield Rejected(str(p), f"cannot read file ({err})", "check permissions and compression")


def _is_url_list(data: bytes) -> bool:
    from ..fetch.pages import is_url_list

    return len(data) < 50 * 2**20 and data[:4096].lstrip().lower().startswith((b"http", b"#")) and is_url_list(data)


def _stem(p: Path) -> str:
    name = p.name
    for suffix in (".gz", ".txt", ".text", ".md", ".html", ".htm"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name


def _read_dir(root: Path, input_format: InputFormat, text_column: str | None,
              options: ReadOptions | None = None) -> Iterator[Item]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if input_format == "auto" and format_for(path) is None:
                yield Rejected(
                    str(path),
                    f"skipped: unknown file type {path.suffix!r}",
                    "rename to .txt, .jsonl, .csv, .html or .warc.gz, or pass --input-format",
                )
                continue
            yield from read_path(path, input_format, text_column, options)


def _read_stream(
    fh: BinaryIO,
    origin: str,
    fmt: InputFormat,
    text_column: str | None,
    default_id: str | None = None,
    options: ReadOptions | None = None,
) -> Iterator[Item]:
    fh = utf8_stream(fh)        # UTF-16/32 files read like UTF-8 ones, in every format
    if fmt == "jsonl":
        yield from read_jsonl(fh, origin, options=options)
    elif fmt in ("csv", "tsv"):
        yield from read_csv(fh, origin, delimiter="\t" if fmt == "tsv" else ",",
                            text_column=text_column, options=options)
    elif fmt == "html":
        from .html import read_html

        yield from read_html(fh.read(), origin, default_id=default_id, options=options)
    else:
        yield from read_text(fh.read(), origin, default_id=default_id)


def _read_stdin(input_format: InputFormat, text_column: str | None,
                options: ReadOptions | None = None) -> Iterator[Item]:
    stream = sys.stdin.buffer
    fmt = input_format
    if fmt == "auto":
        if not hasattr(stream, "peek"):
            stream = io.BytesIO(stream.read())  # type: ignore[assignment]
        stream = utf8_stream(stream)  # type: ignore[assignment]
        head = stream.peek(4096)[:4096]  # type: ignore[attr-defined]
        fmt = "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "text"
    if fmt in ("warc", "urls", "feeds"):
        yield Rejected("<stdin>", f"{fmt} input cannot be read from standard input", "pass the file's path")
        return
    yield from _read_stream(stream, "<stdin>", fmt, text_column, default_id=None, options=options)


def read_inputs(
    paths: Iterable[str | os.PathLike[str]],
    input_format: InputFormat = "auto",
    text_column: str | None = None,
    options: ReadOptions | None = None,
) -> Iterator[Item]:
    """Read every path in turn (``-`` is standard input), then the feed lists of ``options.feeds``."""
    for path in paths:
        yield from read_path(path, input_format, text_column, options)
    if options is not None and options.feeds:
        from ..fetch.feeds import read_feed_list

        for feeds in options.feeds:
            yield from read_feed_list(feeds, options)


def costly(paths: Iterable[str | os.PathLike[str]], input_format: InputFormat = "auto",
           options: ReadOptions | None = None) -> bool:
    """True when reading the inputs costs real work (extracting pages, fetching URLs), so that they
    must be read once only (ingest then does not count them ahead)."""
    if options is not None and options.feeds or input_format in WEB_FORMATS:
        return True
    for path in paths:
        p = Path(path)
        if str(path) == "-":
            continue
        files = [p] if not p.is_dir() else [Path(d) / f for d, _, fs in os.walk(p) for f in fs]
        for f in files:
            fmt = format_for(f)
            if fmt in WEB_FORMATS:
                return True
            if fmt == "text" and f.is_file() and f.stat().st_size < 50 * 2**20:
                try:
                    with open(f, "rb") as fh:
                        head = fh.read(4096)
                        if head.lstrip().lower().startswith((b"http", b"#")) and _is_url_list(head + fh.read()):
                            return True
                except OSError:
                    pass
    return False
