"""Reading the versioned TSV tables of ``kb/data`` (and users' overlay files).

A table is UTF-8, tab-separated; lines starting with ``#`` are comments, and the
first of them may be ``# version: X``. The first other line is the header. Any
problem is raised as ``KnowledgeBaseError`` naming the file and line.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import KnowledgeBaseError

_VERSION = re.compile(r"^#\s*version\s*:\s*(\S+)", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class Table:
    path: str
    version: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, row)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter(self.rows)


def data_path(*parts: str) -> Path:
    """Path of a shipped data file inside the installed package."""
    return Path(str(resources.files("communique.kb").joinpath("data", *parts)))


def read_table(path: str | Path, required: tuple[str, ...] = ()) -> Table:
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        fh = opener(path, "rt", encoding="utf-8", newline="")
    except OSError as err:
        raise KnowledgeBaseError(f"cannot open table ({err.strerror})", str(path),
                                 "check the path; reinstall communique if a shipped table is missing") from err
    version = "unversioned"
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    with fh:
        for lineno, line in enumerate(fh, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            if line.startswith("#"):
                m = _VERSION.match(line)
                if m and header is None:
                    version = m.group(1)
                continue
            cells = line.split("\t")
            if header is None:
                header = [c.strip() for c in cells]
                missing = [c for c in required if c not in header]
                if missing:
                    raise KnowledgeBaseError(
                        f"header lacks column(s) {', '.join(missing)}", f"{path}:{lineno}",
                        f"use the header: {chr(9).join(required)} (tab-separated)")
                continue
            if len(cells) > len(header):
                raise KnowledgeBaseError(
                    f"{len(cells)} fields but the header has {len(header)}", f"{path}:{lineno}",
                    "remove stray tabs from the row")
            cells += [""] * (len(header) - len(cells))
            rows.append((lineno, dict(zip(header, (c.strip() for c in cells), strict=True))))
    if header is None:
        raise KnowledgeBaseError("table has no header line", str(path),
                                 "start the file with a tab-separated header line")
    return Table(str(path), version, header, rows)


def check_date(value: str, where: str) -> str:
    if not value:
        return value
    ok = bool(_DATE.match(value))
    if ok and len(value) >= 7:
        try:
            _dt.date(int(value[:4]), int(value[5:7]), int(value[8:10]) if len(value) == 10 else 1)
        except ValueError:
            ok = False
    if not ok:
        raise KnowledgeBaseError(f"{value!r} is not a date", where, "write YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def date_start(value: str) -> str:
    """Earliest ISO day a partial date may mean ("2019" -> "2019-01-01")."""
    if not value:
        return "0000-01-01"
    return value + ("-01-01" if len(value) == 4 else "-01" if len(value) == 7 else "")


def date_end(value: str) -> str:
    """Latest ISO day a partial date may mean ("2019" -> "2019-12-31")."""
    if not value:
        return "9999-12-31"
    return value + ("-12-31" if len(value) == 4 else "-31" if len(value) == 7 else "")
