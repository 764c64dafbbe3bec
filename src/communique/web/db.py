"""Read-only access to a store for the web server: a DuckDB catalog opened read-only, query time limits.

The store's own ``Store`` builds the DuckDB views over the Parquet files in an in-memory
database. The server must never write to the store, so it copies those view definitions
into a small private DuckDB file (in a temporary folder, never in the store), closes it
and opens it again **read-only**, with file access limited to the store folder and the
configuration locked. A request can therefore neither create, insert nor attach
anything, nor read files outside the store; and every value from a request reaches SQL
only as a bound parameter (``?``) anyway.

When an ingest commits new files (the manifests folder changes, or de-duplication moves
to a new generation) the catalog is rebuilt and swapped in between requests.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import math
import os
import re
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import StoreError
from ..store.catalog import MANIFESTS, current_generation


class QueryTimeout(Exception):
    """A query ran longer than the server's limit (answered with HTTP 408)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"the query took longer than {seconds:g} s")


def _state(root: Path) -> tuple:
    """What changes when an ingest or de-duplication commits (cheap: two stats and a small read)."""
    try:
        m = os.stat(root / MANIFESTS).st_mtime_ns
    except FileNotFoundError:
        m = 0
    return m, current_generation(root)


_PART = re.compile(r"year=(\d+)/month=(\d+)/")
_NULL_PART = re.compile(r"year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/")


def _newest_first(sql: str) -> str:
    """The view's Parquet files listed newest month first (undated events last). DuckDB reads files about
    in list order and pushes the bound of an ``ORDER BY date DESC LIMIT n`` into the scan, so a
    newest-first page then skips the older months instead of reading ten years to find the last one."""
    m = re.search(r"list_value\(((?:'[^']*'(?:, )?)+)\)", sql)
    if not m:
        return sql
    paths = re.findall(r"'([^']*)'", m.group(1))
    keys = []
    for p in paths:
        k = _PART.findall(p)
        if k:
            keys.append((int(k[-1][0]), int(k[-1][1])))
        elif _NULL_PART.search(p):
            keys.append((-1, -1))
        else:
            return sql
    order = sorted(range(len(paths)), key=lambda i: keys[i], reverse=True)
    listed = ", ".join("'" + paths[i] + "'" for i in order)
    return sql[:m.start(1)] + listed + sql[m.end(1):]


def _event_files(sql: str) -> tuple[str, list[tuple[str, int, int]]] | None:
    """The events view as a query over a file list given as a parameter (``read_parquet(?, <the view's
    options>)``), and its files with their month (-1, -1 for undated events); None when the view is not
    one read_parquet over year/month folders."""
    m = re.search(r"AS (SELECT \* FROM read_parquet\()list_value\(((?:'[^']*'(?:, )?)+)\)(.*?);?$", sql, re.S)
    if not m:
        return None
    files = []
    for path in re.findall(r"'([^']*)'", m.group(2)):
        k = _PART.findall(path)   # the innermost folders, as DuckDB reads hive partitions
        if k:
            files.append((path, int(k[-1][0]), int(k[-1][1])))
        elif _NULL_PART.search(path):
            files.append((path, -1, -1))
        else:
            return None
    return m.group(1) + "CAST(? AS VARCHAR[])" + m.group(3), files


class _Catalog:
    """One read-only DuckDB catalog of the store's views, as of one store state."""

    def __init__(self, root: Path, workdir: Path, n: int, threads: int, memory_limit: str):
        from ..exports.gdelt import fips_table
        from ..store import Store

        self.state = _state(root)
        self.path = workdir / f"catalog-{n}.duckdb"
        store = Store(root, create=False)
        mem = store.con
        try:
            mem.execute(f"ATTACH '{self._quote(self.path)}' AS w")
            views = mem.execute("SELECT view_name, sql FROM duckdb_views() "
                                "WHERE NOT internal AND NOT temporary AND database_name = 'memory'").fetchall()
            names = {v for v, _ in views}
            # Tables with no files yet are registered Arrow objects (temporary views): make real empty tables.
            for (t,) in mem.execute("SELECT view_name FROM duckdb_views() WHERE temporary AND "
                                    "view_name LIKE '\\_empty\\_%' ESCAPE '\\'").fetchall():
                mem.execute(f'CREATE TABLE w."{t}" AS SELECT * FROM "{t}"')
            mem.register("_fips_src", fips_table())
            mem.execute("CREATE TABLE w._gdelt_fips AS SELECT * FROM _fips_src")
            # Tables a newer writer lists in the manifests but this version's Store does not know
            # (e.g. stories, copies, changes): a view each, so the server can use them when present.
            extra = {t: ps for t, ps in store.files().items() if t not in names and ps}
            mem.execute("USE w")
            pending = [(n, _newest_first(sql) if n == "events" else sql) for n, sql in views]
            while pending:   # views that read other views must come after them
                left = []
                for name, sql in pending:
                    try:
                        mem.execute(sql)
                    except duckdb.CatalogException:
                        left.append((name, sql))
                if len(left) == len(pending):
                    raise StoreError(f"cannot copy the views {[n for n, _ in left]}", str(root),
                                     "check the store with `communique stats`")
                pending = left
            for t, paths in sorted(extra.items()):
                lst = ", ".join(f"'{self._quote(Path(p))}'" for p in paths)
                hive = "true" if "/year=" in paths[0] else "false"
                mem.execute(f'CREATE VIEW "{t}" AS SELECT * FROM read_parquet([{lst}], union_by_name=true, '
                            f"hive_partitioning={hive})")
            mem.execute("USE memory")
            mem.execute("DETACH w")
        finally:
            store.close()
        view = dict(views).get("events")
        self.events_files = _event_files(_newest_first(view)) if view else None
        self.con = duckdb.connect(str(self.path), read_only=True,
                                  config={"threads": threads, "memory_limit": memory_limit})
        # GLOBAL: the per-thread cursors are connections of their own and must share it
        self.con.execute("SET GLOBAL parquet_metadata_cache = true")
        self.con.execute("SET allowed_directories = [?]", [str(root.resolve()) + os.sep])
        self.con.execute("SET enable_external_access = false")
        self.con.execute("SET lock_configuration = true")
        self.date_range: tuple | None = None
        self.event_index: EventIndex | None = None
        self.event_index_started = False
        self.event_index_thread: threading.Thread | None = None
        self.event_index_error: str | None = None
        self.columns: dict[str, list[str]] = {}
        for table, col in self.con.execute(
                "SELECT table_name, column_name FROM information_schema.columns ORDER BY table_name, ordinal_position"
        ).fetchall():
            self.columns.setdefault(table, []).append(col)

    @staticmethod
    def _quote(p: Path) -> str:
        return str(p).replace("'", "''")


class EventIndex:
    """How many events each month file holds per (source country, target country), with their dates.

    Built once per store state with one aggregate scan (four narrow columns). A page's country
    filters (country, source, target, dyad) and dates pick the cells that can hold its events: the
    month files of the other cells cannot, so the query names only the candidate files
    (``year = ? AND month IN (...)``, which DuckDB resolves before it opens any file), and a
    date-sorted page first reads just enough of the newest (oldest) months to hold its rows.
    The counts are exact, so for other filters they are upper bounds: the index only ever says
    where rows can *not* be, never which rows are the answer.
    """

    def __init__(self, table: pa.Table):
        """``table``: one row per cell, ordered by month (the NULL partition, undated events, first)."""
        def ints(col: str) -> np.ndarray:
            return np.asarray(pc.fill_null(table[col], -1).to_numpy(zero_copy_only=False), dtype=np.int64)

        # the NULL partition (undated events) is year -1, month -1
        year, month = ints("year"), ints("month")
        self.n = np.asarray(table["n"].to_numpy(zero_copy_only=False), dtype=np.int64)
        # dates as days since 1970 in floats: a cell without dates has NaN, which fails every comparison
        self.lo, self.hi = (np.asarray(pc.cast(pc.cast(table[c], pa.int32()), pa.float64())
                                       .to_numpy(zero_copy_only=False), dtype=np.float64) for c in ("lo", "hi"))
        self.dated = ~np.isnan(self.lo)
        # countries as small integers; the last one stands for none (NULL), which no filter names
        names = sorted({x for c in ("source_country", "target_country") for x in table[c].to_pylist()
                        if x is not None})
        self.country_ids = {c: i for i, c in enumerate(names)}
        self.src, self.tgt = (np.asarray(pc.fill_null(pc.index_in(table[c], pa.array(names, pa.string())),
                                                      len(names)).to_numpy(zero_copy_only=False), dtype=np.int64)
                              for c in ("source_country", "target_country"))
        # month files as small integers, oldest first; the cells of month i are cells[starts[i]:starts[i+1]]
        keys = year * 100 + month
        if len(keys) and np.any(np.diff(keys) < 0):
            raise ValueError("the index cells must come ordered by month")
        self.starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
        self.month_keys: list[tuple[int, int]] = [(int(k) // 100, int(k) % 100) if k >= 0 else (-1, -1)
                                                  for k in keys[self.starts].tolist()]
        self.rows = int(self.n.sum())

        self.select: str | None = None
        self.files: list[list[str]] = []

    def use_files(self, select: str, files: list[tuple[str, int, int]]) -> None:
        """Let queries read the month files of their cells directly (``select``: the events view over a
        file list parameter): DuckDB then plans over a few files instead of the view's hundreds, which
        costs more than reading one month. Only when every file has the same columns, as the view reads
        them through the first file's schema (a subset must give each column the same type)."""
        import pyarrow.parquet as pq

        first = None
        for path, _, _ in files:
            columns = [(f.name, f.type) for f in pq.read_schema(path)]   # what DuckDB binds (not nullability)
            if first is None:
                first = columns
            elif columns != first:
                return
        by_month: dict[tuple[int, int], list[str]] = {}
        for path, y, m in files:
            by_month.setdefault((y, m), []).append(path)
        if not set(self.month_keys) <= set(by_month):
            return
        self.files = [by_month[k] for k in self.month_keys]
        self.select = select

    # per month over a mask of cells (every month has at least one cell, so no segment is empty)
    def month_counts(self, cells: np.ndarray) -> np.ndarray:
        return np.add.reduceat(np.where(cells, self.n, 0), self.starts)

    def month_first(self, cells: np.ndarray) -> np.ndarray:
        """The first date (days) of the cells in each month; +inf where none."""
        return np.minimum.reduceat(np.where(cells & self.dated, self.lo, np.inf), self.starts)

    def month_last(self, cells: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(np.where(cells & self.dated, self.hi, -np.inf), self.starts)

    def countries(self, names) -> np.ndarray:
        """A lookup over country ids: true for ``names`` (countries no event has match nothing)."""
        sel = np.zeros(len(self.country_ids) + 1, dtype=bool)
        sel[[self.country_ids[c] for c in names if c in self.country_ids]] = True
        return sel

    def __len__(self) -> int:
        return len(self.n)


def _build_event_index(con, events_files) -> EventIndex:
    t = con.sql("SELECT year, month, source_country, target_country, count(*) AS n, min(date) AS lo, "
                "max(date) AS hi FROM events GROUP BY ALL ORDER BY year NULLS FIRST, month NULLS FIRST"
                ).to_arrow_table()
    ix = EventIndex(t)
    if events_files:
        ix.use_files(*events_files)
    return ix


class ReadOnlyStore:
    """The store as the web server sees it: read-only, refreshed when an ingest commits.

    ``query(sql, params)`` returns ``(columns, rows)`` with JSON-ready values; it raises
    ``QueryTimeout`` after ``timeout`` seconds (the query is interrupted, not left running).
    """

    def __init__(self, root: str | os.PathLike[str], *, query_timeout: float = 10.0, threads: int = 2,
                 memory_limit: str = "512MB", check_every: float = 1.0, cache_size: int = 256,
                 max_concurrent: int = 4, event_index: bool | None = None):
        self.root = Path(root)
        if not (self.root / "store.json").exists():
            raise StoreError("no communique store here", str(self.root),
                             "ingest articles first: communique ingest ARTICLES --store " + str(self.root))
        self.query_timeout = query_timeout
        self.threads = threads
        self.memory_limit = memory_limit
        self.check_every = check_every
        self._workdir = Path(tempfile.mkdtemp(prefix="communique-web-"))
        self._lock = threading.Lock()
        self._n = 0
        self._local = threading.local()
        self._checked = 0.0
        # Queries beyond max_concurrent wait for a slot (their time limit starts when they run):
        # on a small machine a few queries at full speed beat many at a crawl.
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self.cache_size = cache_size
        # COMMUNIQUE_WEB_EVENT_INDEX=0 turns the month-file index off (to measure what it saves)
        self.use_event_index = (os.environ.get("COMMUNIQUE_WEB_EVENT_INDEX", "1") != "0"
                                if event_index is None else event_index)
        self._cache: OrderedDict = OrderedDict()
        self._cache_lock = threading.Lock()
        self._index_lock = threading.Lock()
        self.catalog = self._build()

    def _build(self) -> _Catalog:
        self._n += 1
        cat = _Catalog(self.root, self._workdir, self._n, self.threads, self.memory_limit)
        self.event_index(cat)   # start building it now, in the background
        return cat

    def close(self) -> None:
        shutil.rmtree(self._workdir, ignore_errors=True)

    # -- freshness -----------------------------------------------------------------------
    def refresh_if_changed(self, force: bool = False) -> bool:
        """Rebuild the catalog when the store changed (checked at most every ``check_every`` s)."""
        now = time.monotonic()
        if not force and now - self._checked < self.check_every:
            return False
        self._checked = now
        if not force and _state(self.root) == self.catalog.state:
            return False
        with self._lock:
            if not force and _state(self.root) == self.catalog.state:
                return False
            old = self.catalog
            self.catalog = self._build()
        try:
            old.path.unlink()   # open handles keep working; the file goes when they close
        except OSError:
            pass
        return True

    # -- what exists -------------------------------------------------------------------------
    def has(self, table: str, column: str | None = None) -> bool:
        cols = self.catalog.columns.get(table)
        if cols is None:
            return False
        return column is None or column in cols

    def table_columns(self, table: str) -> list[str]:
        return list(self.catalog.columns.get(table, []))

    # -- running queries ---------------------------------------------------------------------
    def _cursor(self, cat: _Catalog):
        # one cursor (a DuckDB connection of its own) per thread: queries of different requests
        # run side by side, and interrupting one stops only that one
        loc = self._local
        if getattr(loc, "catalog", None) is not cat:
            loc.cursor = cat.con.cursor()
            loc.catalog = cat
        return loc.cursor

    def query(self, sql: str, params: list | None = None, timeout: float | None = None,
              cache: bool = False, catalog: _Catalog | None = None) -> tuple[list[str], list]:
        """Run ``sql``; with ``cache`` the answer is kept (per store state) for identical requests.
        ``catalog`` pins the store state (from ``snapshot()``): several queries that must agree with
        each other, or with the event index, then see the same files even if an ingest commits."""
        if catalog is None:
            self.refresh_if_changed()
        cat = catalog or self.catalog
        key = None
        if cache and self.cache_size:
            key = (str(cat.path), sql, tuple(params or ()))
            with self._cache_lock:
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)
                    return hit
        limit = self.query_timeout if timeout is None else timeout
        with self._slots:
            cur = self._cursor(cat)
            timer = threading.Timer(limit, cur.interrupt)
            timer.start()
            try:
                cur.execute(sql, params or [])
                rows = cur.fetchall()
                cols = [d[0] for d in cur.description]
            except duckdb.InterruptException:
                raise QueryTimeout(limit) from None
            except duckdb.Error as err:
                raise StoreError(f"query failed: {err}", str(self.root), None) from err
            finally:
                timer.cancel()
        out = cols, [[json_value(v) for v in r] for r in rows]
        if key is not None and len(out[1]) <= 20_000:
            with self._cache_lock:
                self._cache[key] = out
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return out

    def date_range(self) -> tuple[str | None, str | None]:
        """First and last event date of the current store state (computed once per state)."""
        cat = self.snapshot()
        if cat.date_range is None:
            _, rows = self.query("SELECT min(date), max(date) FROM events", catalog=cat)
            cat.date_range = tuple(rows[0])
        return cat.date_range

    def snapshot(self) -> _Catalog:
        """The current store state, refreshed if an ingest committed (pass it as ``catalog=``)."""
        self.refresh_if_changed()
        return self.catalog

    def event_index(self, catalog: _Catalog | None = None, wait: bool = False) -> EventIndex | None:
        """The month-file index of ``catalog`` (default: the current state), or None while it is
        being built (in the background: the first requests after an ingest use the plain queries
        rather than wait), when the events are not in year/month files, or when turned off."""
        cat = catalog or self.snapshot()
        if not self.use_event_index or not {"year", "month"} <= set(cat.columns.get("events", [])):
            return None
        if cat.event_index is None:
            with self._index_lock:
                start = not cat.event_index_started
                cat.event_index_started = True
                if start:
                    cat.event_index_thread = threading.Thread(target=self._build_index, args=(cat,), daemon=True,
                                                              name="communique-event-index")
                    cat.event_index_thread.start()
            if wait:
                cat.event_index_thread.join()
        return cat.event_index

    def event_index_state(self) -> dict:
        """For /health: whether pages use the month-file index yet (and its size)."""
        cat = self.catalog
        ix = cat.event_index
        if not self.use_event_index:
            state = "off"
        elif ix is not None:
            state = "ready"
        elif cat.event_index_error:
            state = "failed: " + cat.event_index_error
        elif cat.event_index_started and cat.event_index_thread and cat.event_index_thread.is_alive():
            state = "building"
        else:
            state = "not used (events are not in year/month files)"
        return {"state": state, "cells": len(ix) if ix else 0, "reads_files": bool(ix and ix.select)}

    def _build_index(self, cat: _Catalog) -> None:
        try:
            with self._slots:
                cur = cat.con.cursor()
                try:
                    cat.event_index = _build_event_index(cur, cat.events_files)
                finally:
                    cur.close()
        except Exception as err:   # noqa: BLE001 - the pages keep their plain queries: never fail a request
            cat.event_index_error = f"{type(err).__name__}: {err}"

    def records(self, sql: str, params: list | None = None, timeout: float | None = None,
                cache: bool = False, catalog: _Catalog | None = None) -> list[dict]:
        cols, rows = self.query(sql, params, timeout, cache, catalog)
        return [dict(zip(cols, r, strict=True)) for r in rows]

    def scalar(self, sql: str, params: list | None = None, cache: bool = False, catalog: _Catalog | None = None):
        _, rows = self.query(sql, params, cache=cache, catalog=catalog)
        return rows[0][0] if rows else None

    def batches(self, sql: str, params: list | None = None, size: int = 10_000, timeout: float | None = None):
        """Stream a result as Arrow record batches (exports), on a cursor of its own; the query is
        interrupted once ``timeout`` seconds have passed since it started."""
        self.refresh_if_changed()
        cur = self.catalog.con.cursor()
        timer = threading.Timer(timeout, cur.interrupt) if timeout else None
        if timer:
            timer.start()
        try:
            reader = cur.sql(sql, params=params or []).to_arrow_reader(size)
        except duckdb.InterruptException:
            cur.close()
            raise QueryTimeout(timeout) from None
        except duckdb.Error as err:
            cur.close()
            raise StoreError(f"query failed: {err}", str(self.root), None) from err

        def gen():
            try:
                yield from reader
            finally:
                if timer:
                    timer.cancel()
                cur.close()

        return reader.schema, gen()


def json_value(v):
    """A DuckDB value as JSON can carry it: dates as ISO strings, NaN as null."""
    if v is None or isinstance(v, (str, int, bool)):
        return v
    if isinstance(v, float):
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, list):
        return [json_value(x) for x in v]
    if isinstance(v, dict):
        return {k: json_value(x) for k, x in v.items()}
    if isinstance(v, pa.Scalar):
        return json_value(v.as_py())
    return str(v)
