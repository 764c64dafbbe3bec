"""Readers: turn paths and streams into ``Article`` objects, one at a time.

Every reader streams (one article in memory at a time, apart from plain-text
files, which are one article each), and yields a ``Rejected`` for any input it
cannot use, naming the file, the line and the reason, instead of raising. The
dispatcher ``read_inputs`` picks a reader by file suffix or content.
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
from .text import read_text

InputFormat = Literal["auto", "text", "jsonl", "csv", "tsv"]
Item = Article | Rejected

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv"}
TSV_SUFFIXES = {".tsv", ".tab"}

__all__ = ["read_inputs", "read_path", "read_text", "read_jsonl", "read_csv", "Item"]


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
    suffix = _suffix(path)
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
) -> Iterator[Item]:
    """Read one file or directory (recursively, in sorted order)."""
    p = Path(path)
    if str(path) == "-":
        yield from _read_stdin(input_format, text_column)
        return
    if not p.exists():
        yield Rejected(str(p), "no such file or directory", "check the path")
        return
    if p.is_dir():
        yield from _read_dir(p, input_format, text_column)
        return
    fmt = input_format if input_format != "auto" else format_for(p)
    if fmt is None:
        fmt = "text"
    try:
        with _open(p) as fh:
            yield from _read_stream(fh, str(p), fmt, text_column, default_id=_stem(p))
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        yield Rejected(str(p), f"cannot read file ({err})", "check permissions and compression")


def _stem(p: Path) -> str:
    name = p.name
    for suffix in (".gz", ".txt", ".text", ".md"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name


def _read_dir(root: Path, input_format: InputFormat, text_column: str | None) -> Iterator[Item]:
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
                    "rename to .txt, .jsonl or .csv, or pass --input-format",
                )
                continue
            yield from read_path(path, input_format, text_column)


def _read_stream(
    fh: BinaryIO,
    origin: str,
    fmt: InputFormat,
    text_column: str | None,
    default_id: str | None = None,
) -> Iterator[Item]:
    fh = utf8_stream(fh)        # UTF-16/32 files read like UTF-8 ones, in every format
    if fmt == "jsonl":
        yield from read_jsonl(fh, origin)
    elif fmt in ("csv", "tsv"):
        yield from read_csv(fh, origin, delimiter="\t" if fmt == "tsv" else ",",
                            text_column=text_column)
    else:
        yield from read_text(fh.read(), origin, default_id=default_id)


def _read_stdin(input_format: InputFormat, text_column: str | None) -> Iterator[Item]:
    stream = sys.stdin.buffer
    fmt = input_format
    if fmt == "auto":
        if not hasattr(stream, "peek"):
            stream = io.BytesIO(stream.read())  # type: ignore[assignment]
        stream = utf8_stream(stream)  # type: ignore[assignment]
        head = stream.peek(4096)[:4096]  # type: ignore[attr-defined]
        fmt = "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "text"
    yield from _read_stream(stream, "<stdin>", fmt, text_column, default_id=None)


def read_inputs(
    paths: Iterable[str | os.PathLike[str]],
    input_format: InputFormat = "auto",
    text_column: str | None = None,
) -> Iterator[Item]:
    """Read every path in turn; ``-`` is standard input."""
    for path in paths:
        yield from read_path(path, input_format, text_column)
