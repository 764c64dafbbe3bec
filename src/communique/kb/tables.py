"""Reading the versioned TSV tables of ``kb/data`` (and users' overlay files).

A table is UTF-8, tab-separated; lines starting with ``#`` are comments, and the
first of them may be ``# version: X``. The first other line is the header. Any
problem is raised as ``KnowledgeBaseError`` naming the file and line.

Comments before the header may also say how far in time the rows can be trusted
(docs/KB.md, "Time"):

* ``# read: YYYY-MM-DD`` the day the rows' source was read (a ``read`` column, where a
  table has one, overrides it per row);
* ``# coverage: YYYY-MM-DD`` the day up to which the rows are complete;
* ``# status: maintained`` (the default) or ``# status: frozen``. In a maintained table an
  open ``end`` means "still in office" (known at least up to the coverage date); in a
  frozen one, such as the conversion of the Phoenix dictionaries, it means only "still in
  office on the coverage date", so the tenure ends there.
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
_META = re.compile(r"^#\s*(read|coverage|status)\s*:\s*(\S+)", re.IGNORECASE)


@dataclass
class Table:
    path: str
    version: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, row)
    read: str = ""        # "# read:" the day the source was read
    coverage: str = ""    # "# coverage:" rows complete up to this day
    frozen: bool = False  # "# status: frozen": open ends stop at the coverage date

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
    meta: dict[str, str] = {}
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
                mm = _META.match(line)
                if mm and header is None:
                    meta[mm.group(1).lower()] = mm.group(2)
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
    status = meta.get("status", "maintained").lower()
    if status not in ("maintained", "frozen"):
        raise KnowledgeBaseError(f"status {status!r} is neither 'maintained' nor 'frozen'", str(path),
                                 "write '# status: maintained' or '# status: frozen' before the header")
    read = check_date(meta.get("read", ""), f"{path} (# read:)")
    coverage = check_date(meta.get("coverage", ""), f"{path} (# coverage:)")
    if status == "frozen" and not coverage:
        raise KnowledgeBaseError("a frozen table needs a coverage date", str(path),
                                 "add '# coverage: YYYY-MM-DD' (the last day its rows describe) before the header")
    return Table(str(path), version, header, rows, read, coverage, status == "frozen")


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
