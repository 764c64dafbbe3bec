"""``Store``: the Parquet store seen through embedded DuckDB views, with queries and upkeep."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from .._faults import fault_point
from ..errors import StoreError
from ..records import Article, Record
from . import dedup as _dedup
from . import queries as Q
from .catalog import (
    DEDUP,
    Catalog,
    current_generation,
    file_digest,
    generation_files,
    ingest_lock,
    init_store,
    now_utc,
    store_io_error,
    verify_fix,
    write_json_atomic,
)
from .rows import article_error_row, record_rows
from .schema import DEDUP_TABLES, PARTITIONED, SHARD_TABLES, partition_dir
from .writer import merge_partition_files, shard_id, to_table, write_partitioned, write_shard

DEFAULT_STORE = "communique-data"
# The events of each month are stored sorted by dyad, in row groups small enough for a dyad
# query to skip most of them (see writer.merge_partition_files).
EVENTS_ORDER = ["source_country", "target_country", "date", "event_id"]
EVENTS_ROW_GROUP = 16_384
VIEWS = ("articles", "actors", "mentions", "quotes", "places", "times", "terms", "errors", "events", "links",
         "event_mentions")


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


class Store:
    """A communique store folder. Open with ``communique.open_store(path)``.

    Tables (DuckDB views; ``store.sql("SELECT ...")`` returns a pandas DataFrame):
    ``articles``, ``actors`` (actor mentions), ``mentions`` (coded events, one per
    article and sentence), ``events`` (de-duplicated), ``event_mentions`` (mentions
    with the ``event_id`` they were merged into), ``quotes``, ``places``, ``times``,
    ``errors`` (inputs that could not be coded, and why), ``terms`` (search index).
    """

    def __init__(self, root: str | os.PathLike[str] = DEFAULT_STORE, create: bool = True, *, check: bool = True,
                 exclude: Iterable[str] = (), skip_dedup: bool = False):
        """``check``: refuse a store with missing or damaged files (naming the file; ``store verify``
        and ``store repair`` open it with ``check=False``). ``exclude``: files (relative paths) to
        leave out of the views; ``skip_dedup``: do not read the de-duplication generation."""
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise StoreError("the store path is a file, not a folder", str(self.root),
                             "give --store a folder (new or an existing store)")
        if not create and not (self.root / "store.json").exists():
            if (self.root / "_manifests").is_dir():
                raise StoreError("the store's description (store.json) is missing", str(self.root),
                                 verify_fix(self.root))
            raise StoreError("no communique store here", str(self.root),
                             "ingest articles first: communique ingest ARTICLES --store " + str(self.root))
        self.meta = init_store(self.root)
        self.catalog = Catalog(self.root, strict=check)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._check = check
        self._exclude = set(exclude)
        self._skip_dedup = skip_dedup
        self.refresh()

    # -- connection and views ------------------------------------------------------------
    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = duckdb.connect()
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def files(self) -> dict[str, list[str]]:
        """Absolute paths of the live Parquet files of every table."""
        return self._files_and_uniform()[0]

    def _files_and_uniform(self, ms: list[dict] | None = None) -> tuple[dict[str, list[str]], dict[str, bool]]:
        from .verify import dedup_manifest

        ms = self.catalog.manifests() if ms is None else ms
        live = {t: [str(self.root / p) for p in ps if p not in self._exclude]
                for t, ps in self.catalog.live(ms).items()}
        uniform = self.catalog.uniform(ms)
        m, problem = (None, None) if self._skip_dedup else dedup_manifest(self.root)
        if problem is not None and self._check:
            raise StoreError(f"{problem.where}: {problem.what}", str(self.root), verify_fix(self.root))
        if m is not None:
            for t, ps in m.get("files", {}).items():
                live[t] = [str(self.root / p) for p in ps if p not in self._exclude]
                uniform[t] = True    # one de-duplication run writes one schema
        return live, uniform

    def check_files(self, manifests: tuple[list[dict], list[Path]] | None = None) -> None:
        """Raise a ``StoreError`` naming the first missing or damaged file (a cheap check: files there,
        sizes as committed); ``communique store verify`` does the thorough one."""
        from .verify import check_files

        rep = check_files(self.root, deep=False, plans=False, manifests=manifests)
        bad = rep.problems
        if bad:
            more = f" (and {len(bad) - 1} more problem(s))" if len(bad) > 1 else ""
            raise StoreError(f"{bad[0].where}: {bad[0].what}{more}", str(self.root), verify_fix(self.root))

    def refresh(self) -> None:
        """Re-read the manifests and point the views at the current files (after an ingest)."""
        read = self.catalog.read_manifests()
        if self._check:
            self.check_files(read)
        with self.guard():
            self._refresh(self.catalog.manifests(read))

    def _refresh(self, ms: list[dict] | None = None) -> None:
        con = self.con
        files, uniform = self._files_and_uniform(ms)
        con.execute("SET parquet_metadata_cache = true")
        for name, schema in {**SHARD_TABLES, **DEDUP_TABLES}.items():
            paths = files.get(name, [])
            if paths:
                hive = name in PARTITIONED
                opts = ", hive_partitioning=true, hive_types={'year': INTEGER, 'month': INTEGER}" if hive \
                    else ", hive_partitioning=false"
                if not uniform.get(name, False):
                    opts += ", union_by_name=true"   # files of several store versions
                src = f"read_parquet({_sql_list(paths)}{opts})"
            else:
                empty = schema
                if name in PARTITIONED:
                    empty = schema.append(pa.field("year", pa.int32())).append(pa.field("month", pa.int32()))
                con.register(f"_empty_{name}", pa.table({f.name: pa.array([], f.type) for f in empty}))
                src = f"_empty_{name}"
            view = {"errors": "_raw_errors", "articles": "_raw_articles", "copies": "_raw_copies"}.get(name, name)
            con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM {src}")
            # files of an older store lack later columns: add them as NULL, so that every query
            # sees the current columns (never a binder error on an old store)
            have = {r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()}
            missing = [f for f in schema if f.name not in have]
            if missing:
                extra = ", ".join(f"CAST(NULL AS {_duck_type(f.type)}) AS {f.name}" for f in missing)
                con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT *, {extra} FROM {src}")
        # articles gain the layers of issue 11: the original of a copy, and the story (files that
        # already carry those columns keep their values where the layers have none)
        raw = {r[0] for r in con.execute("DESCRIBE _raw_articles").fetchall()}
        own = [c for c in ("copy_of", "story_id") if c in raw]
        excl = f" EXCLUDE ({', '.join(own)})" if own else ""
        copy_of = "coalesce(c.copy_of, a.copy_of)" if "copy_of" in raw else "c.copy_of"
        story = "coalesce(s.story_id, a.story_id)" if "story_id" in raw else "s.story_id"
        # a copy points to the first article of its group: an original that a later run found a
        # copy of an earlier article (copies.py) passes its copies on (chains are followed; ``via``
        # is the article the copy was found similar to, when that is not the original)
        con.execute("""
            CREATE OR REPLACE VIEW _copy_roots AS
            WITH RECURSIVE r(article_key, root, depth) AS (
                SELECT article_key, copy_of, 1 FROM _raw_copies
                UNION ALL
                SELECT r.article_key, c.copy_of, r.depth + 1 FROM r JOIN _raw_copies c ON c.article_key = r.root
                WHERE r.depth < 50)
            SELECT article_key, arg_max(root, depth) AS root FROM r GROUP BY 1""")
        # the names the web server reads (docs/web.md): a copy's outlet, URL and date, and GDELT-style counts
        con.execute("""
            CREATE OR REPLACE VIEW copies AS
            SELECT c.* EXCLUDE (copy_of, original_id), r.root AS copy_of,
                   CASE WHEN r.root = c.copy_of THEN c.original_id ELSE o.article_id END AS original_id,
                   CASE WHEN r.root <> c.copy_of THEN c.copy_of END AS via,
                   c.kind AS method, a.source, a.url, a.date AS article_date
            FROM _raw_copies c JOIN _copy_roots r USING (article_key)
            LEFT JOIN (SELECT article_key, source, url, date FROM _raw_articles) a USING (article_key)
            LEFT JOIN (SELECT article_key AS root, any_value(article_id) AS article_id FROM _raw_articles GROUP BY 1) o
            ON o.root = r.root""")
        con.execute(f"""
            CREATE OR REPLACE VIEW articles AS
            SELECT a.*{excl}, {copy_of} AS copy_of, {story} AS story_id
            FROM _raw_articles a
            LEFT JOIN (SELECT article_key, root AS copy_of FROM _copy_roots) c USING (article_key)
            LEFT JOIN (SELECT article_key, story_id FROM story_articles) s USING (article_key)""")
        con.execute("""
            CREATE OR REPLACE VIEW errors AS
            SELECT e.* EXCLUDE (rn), e.article_key IS NOT NULL AND e.article_key IN (SELECT article_key FROM articles)
                   AS resolved
            FROM (SELECT *, row_number() OVER (PARTITION BY error_key ORDER BY ingested_at, shard) AS rn
                  FROM _raw_errors) e
            WHERE rn = 1""")
        con.execute("""
            CREATE OR REPLACE VIEW event_mentions AS
            SELECT l.event_id, m.* FROM mentions m LEFT JOIN links l USING (mention_id)""")

    # -- SQL -------------------------------------------------------------------------------
    @contextmanager
    def guard(self, fix: str | None = None):
        """Turn DuckDB and Parquet errors inside the block into a ``StoreError``: a damaged file is
        named (with ``store verify`` as the fix), anything else reported as a failed query."""
        try:
            yield
        except duckdb.Error as err:
            raise self._db_error(err, fix) from None

    def _db_error(self, err: Exception, fix: str | None = None) -> StoreError:
        msg = str(err)
        root = str(self.root.resolve())
        for path in re.findall(r"['\"]([^'\"]+\.parquet)['\"]", msg):
            p = Path(path)
            if str(p.resolve()).startswith(root):
                rel = p.resolve().relative_to(root).as_posix()
                return StoreError(f"the store file {rel} is damaged or unreadable ({_first_line(msg)})",
                                  str(self.root), verify_fix(self.root))
        from .verify import check_files

        bad = check_files(self.root, deep=False, plans=False).problems
        if bad:
            return StoreError(f"{bad[0].where}: {bad[0].what}", str(self.root), verify_fix(self.root))
        if isinstance(err, (duckdb.IOException, duckdb.InvalidInputException)) and ".parquet" in msg:
            return StoreError(f"a store file cannot be read ({_first_line(msg)})", str(self.root),
                              verify_fix(self.root))
        return StoreError(f"query failed: {msg.strip()}", str(self.root), fix)

    def sql(self, query: str, params: list | None = None):
        """Run SQL against the views; return a pandas DataFrame."""
        with self.guard("check the SQL against `communique stats`"):
            return self.con.execute(query, params or []).df()

    def arrow(self, query: str, params: list | None = None) -> pa.Table:
        with self.guard():
            return self.con.execute(query, params or []).to_arrow_table()

    def scalar(self, query: str, params: list | None = None):
        with self.guard():
            rows = self.con.execute(query, params or []).fetchall()
        return rows[0][0] if rows else None

    # -- what is stored -----------------------------------------------------------------
    def stored_keys(self) -> set[str]:
        """Keys of every article already in the store (``rows.article_key``)."""
        with self.guard():
            return {r[0] for r in self.con.execute("SELECT article_key FROM articles").fetchall()}

    def skip_keys(self) -> set[str]:
        """What ingest skips as already stored: every stored key, and the key that each article of a
        store written before identities were in keys (its key is the hash of its text alone) has
        now (``rows.legacy_alias``), so that ingesting such an article again still skips it. (For an
        article stored with a new key the alias is a hash that no article has.)"""
        from .rows import legacy_alias

        with self.guard():
            rows = self.con.execute("SELECT article_key, article_id, url, source FROM articles").fetchall()
        keys = {r[0] for r in rows}
        keys.update(a for r in rows if (a := legacy_alias(*r)) is not None)
        return keys

    def error_keys(self) -> set[str]:
        with self.guard():
            return {r[0] for r in self.con.execute("SELECT error_key FROM _raw_errors").fetchall()}

    def copy_candidates(self, bands: list[int]) -> dict[int, list]:
        """Stored originals sharing an LSH band with ``bands``: ``{band: [(key, signature, id, date)]}``
        (``copies.py``; reads only the signatures table)."""
        from .copies import COPIES_VERSION, from_bytes

        if not bands or not self.files().get("signatures"):
            return {}
        self.con.register("_wanted_bands", pa.table({"band": pa.array(sorted(set(bands)), pa.int64())}))
        try:
            with self.guard():
                rows = self.con.execute(
                    "SELECT s.band, s.article_key, s.sig, s.article_id, s.date FROM (SELECT article_key, article_id, "
                    "sig, date, unnest(bands) AS band FROM signatures WHERE version = ? AND article_key NOT IN "
                    "(SELECT article_key FROM _raw_copies)) s "
                    "SEMI JOIN _wanted_bands w ON s.band = w.band ORDER BY 1, 2", [COPIES_VERSION]).fetchall()
        finally:
            self.con.unregister("_wanted_bands")
        out: dict[int, list] = {}
        for band, key, sig, aid, d in rows:
            out.setdefault(band, []).append((key, from_bytes(sig), aid, d))
        return out

    def dedup_status(self) -> dict:
        """Do the de-duplicated events cover every stored mention? ``{"current", "generation",
        "expected", "mentions"}``; not current after an ingest stopped before de-duplication."""
        gen = current_generation(self.root)
        expected = self.generation()
        mentions = int(self.scalar("SELECT count(*) FROM mentions") or 0)
        return {"current": gen == expected or (gen is None and mentions == 0), "generation": gen,
                "expected": expected, "mentions": mentions}

    # -- writing records directly (no spaCy: records coded elsewhere) -----------------------
    def add(self, items: Iterable[tuple[Article | str, Record]], *, dedup: bool = True) -> dict:
        """Store already coded records, each with its article (or text). Returns counts.

        Articles already stored (same text) are skipped, so adding twice stores once.
        """
        from . import copies as C
        from .rows import article_key, key_of, signature_row

        stored = self.skip_keys()
        tables: dict[str, list[dict]] = {t: [] for t in SHARD_TABLES}
        keys: list[str] = []
        seen: set[str] = set()
        skipped = 0
        at = now_utc()
        for art, rec in items:
            text = art.text if isinstance(art, Article) else art
            origin = art.origin if isinstance(art, Article) else None
            a = rec.article
            key = key_of(art) if isinstance(art, Article) else article_key(text, a.id, a.url, a.source)
            if key in stored or key in seen:
                skipped += 1
                continue
            seen.add(key)
            try:
                rows = record_rows(rec, text, origin=origin, ingested_at=at, key=key)
            except Exception as err:  # noqa: BLE001 - reported in the errors table, never dropped
                art_obj = art if isinstance(art, Article) else Article(text=text)
                tables["errors"].append(article_error_row(art_obj, f"cannot store the record ({err})",
                                                          stage="store", ingested_at=at, key=key))
                continue
            keys.append(key)
            for t, rs in rows.items():
                tables[t].extend(rs)
            # records coded elsewhere are stored as given (never as copies), but their signatures
            # let later ingests find copies of them (copies.py)
            if len(C.words(text)) >= C.MIN_WORDS:
                sig = C.signature(text)
                tables["signatures"].append(signature_row(key, a.id, a.date, sig, C.band_keys(sig)))
        if keys or tables["errors"]:
            sid = shard_id(keys + [e["error_key"] for e in tables["errors"]])
            for rows in tables.values():
                for r in rows:
                    r["shard"] = sid
            with ingest_lock(self.root):
                write_shard(self.root, sid, tables, {"engine": "api"})
        self.refresh()
        if dedup:
            self.deduplicate()
        return {"added": len(keys), "skipped": skipped, "errors": len(tables["errors"])}

    # -- de-duplication -------------------------------------------------------------------
    def generation(self) -> str:
        """The id de-duplication would give the current set of shards."""
        from . import stories

        return "g-" + _dedup._h(_dedup.rules_fingerprint(), stories.rules_fingerprint(), *self.catalog.content_ids())

    def deduplicate(self, force: bool = False, lock: bool = True) -> dict:
        """Recompute the de-duplicated events over every stored mention (a no-op when nothing changed)."""
        if lock:
            with ingest_lock(self.root):
                return self._deduplicate(force)
        return self._deduplicate(force)

    def _deduplicate(self, force: bool) -> dict:
        try:
            with self.guard():
                return self._deduplicate_unguarded(force)
        except OSError as err:
            raise store_io_error(err, self.root, "write the de-duplicated events") from err

    def _deduplicate_unguarded(self, force: bool) -> dict:
        gen = self.generation()
        if current_generation(self.root) == gen and not force:
            self.refresh()
            return {"generation": gen, "changed": False,
                    "events": self.scalar("SELECT count(*) FROM events")}
        self._refresh()      # the views must show every shard committed since this store was opened
        from .stories import rules_fingerprint as _story_rules

        stories_rules = _story_rules()
        # stories first: they start from the current generation's saved state (which a forced
        # run is about to replace)
        prev_ev = None if force else self._event_state_prev(stories_rules)
        t_start, c_start = time.perf_counter(), time.process_time()
        st_rows, sa_rows = self._stories(fresh=force)       # and the temp table _story_of
        # where a run's time goes (the manifest's story_work/event_work): what to look at when it grows
        self.story_work["seconds"] = round(time.perf_counter() - t_start, 2)
        # CPU seconds too (this process, DuckDB's threads included): on a shared machine the wall
        # time follows the load, the CPU time much less
        self.story_work["cpu_seconds"] = round(time.process_time() - c_start, 2)
        out = self.root / DEDUP / gen
        # Files are named with a token of this run, so a generation never overwrites a file that
        # the current one reads (a forced run of the current generation, or files it carries over
        # from an earlier folder); what is left of a stopped attempt is removed first.
        cur_gen = current_generation(self.root)
        in_use = generation_files(self.root, cur_gen) | {f"{DEDUP}/{cur_gen}/manifest.json"}
        if out.exists():
            for f in sorted(out.rglob("*")):
                if f.is_file() and f.relative_to(self.root).as_posix() not in in_use:
                    f.unlink()
        out.mkdir(parents=True, exist_ok=True)
        tok = uuid.uuid4().hex[:8]
        mfiles = self.catalog.live().get("mentions", [])
        n_stories = len(st_rows)
        story_actors: dict[str, set[str]] = {}
        ev_buf: list[dict] = []
        ln_buf: list[dict] = []
        written: dict[str, list[str]] = {"events": [], "links": [], "stories": [], "story_articles": [],
                                         "story_state": [], "event_state": []}
        self.event_work = {"incremental": False, "mentions": 0, "events_kept": 0}
        n_events = n_links = 0
        chunk = 0
        reused: dict[str, dict] = {}         # files of earlier generations this one carries over: checksums
        mdate: dict[str, object] = {}        # mention -> date of its event (its event_state partition)

        def flush():
            nonlocal chunk
            if not ev_buf:
                return
            evt = to_table(ev_buf, DEDUP_TABLES["events"])
            ev_dates = {e["event_id"]: e["date"] for e in ev_buf}
            lnt = to_table(ln_buf, DEDUP_TABLES["links"])
            ln_dates = pa.array([ev_dates[x["event_id"]] for x in ln_buf], pa.date32())
            rel = f"{DEDUP}/{gen}"
            written["events"] += [f"{rel}/{p}" for p in write_partitioned(evt, "date", out, "events",
                                                                           f"c{tok}-{chunk:05d}")]
            # links are partitioned like the events they point to
            written["links"] += [f"{rel}/{p}" for p in write_partitioned(lnt, ln_dates, out, "links",
                                                                          f"c{tok}-{chunk:05d}")]
            ev_buf.clear()
            ln_buf.clear()
            chunk += 1

        if mfiles:
            self._register_key_function()
            key = "communique_actor_key({0}_name, {0}_code, {0}_country, {0}_kb_id, {0}_kind) AS {0}_key"
            src = f"read_parquet({_sql_list([str(self.root / p) for p in mfiles])}, union_by_name=true)"
            # a column newer than every mention file of an old store reads as null
            have = {r[0] for r in self.con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
            cols = ", ".join(key.format(c[:-4]) if c in ("source_key", "target_key") else
                             c if c in have else f"NULL::VARCHAR AS {c}" for c in _dedup.COLUMNS)
            order = ", ".join(_dedup.ORDER)
            inc = prev_ev is not None
            where = "TRUE"
            if inc:
                # Incremental: coreference is decided within a story, so only the mentions of the
                # stories whose articles changed (and of articles new to the event state) are read
                # again; then every event of a block (actors, base code, polarity) they were or are
                # in is recomputed, with the other mentions of those blocks as the last run left them.
                # the stories whose members changed (only stories with rows this run can have: the
                # others are kept as stored), compared in DuckDB with the saved members
                self.con.register("_sa_new", pa.table({
                    "story_id": pa.array([r["story_id"] for r in sa_rows], pa.string()),
                    "article_key": pa.array([r["article_key"] for r in sa_rows], pa.string())}))
                self.con.execute(f"""CREATE OR REPLACE TEMP TABLE _aff AS
                    WITH o AS (SELECT story_id, article_key FROM read_parquet({_sql_list(prev_ev['files']['story_articles'])})
                               WHERE story_id IN (SELECT story_id FROM _sa_new)),
                    d AS (SELECT story_id FROM (SELECT * FROM _sa_new EXCEPT SELECT * FROM o)
                          UNION SELECT story_id FROM (SELECT * FROM o EXCEPT SELECT * FROM _sa_new))
                    SELECT DISTINCT article_key FROM _sa_new WHERE story_id IN (SELECT story_id FROM d)""")
                self.con.unregister("_sa_new")
                prev_files = prev_ev["files"]
                self.con.execute(f"CREATE OR REPLACE TEMP TABLE _prev_state AS SELECT * FROM "
                                 f"read_parquet({_sql_list(prev_files['event_state'])})")
                where = ("(article_key IN (SELECT article_key FROM _aff) OR article_key NOT IN "
                         "(SELECT article_key FROM _prev_state))")
            # mentions of an article that became a copy (coded before its earlier original was
            # stored) are left out: the article counts through its original, as every copy does
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE _m AS SELECT * FROM (SELECT {cols} FROM {src} "
                             f"WHERE {where} AND article_key NOT IN (SELECT article_key FROM _raw_copies)) "
                             "LEFT JOIN _story_of USING (article_key)")
            self._story_coreference()
            if inc:
                self._reopen_blocks(src, cols)
            self.con.execute("CREATE OR REPLACE TEMP TABLE _new_state AS SELECT mention_id, article_key, source_key, "
                             "target_key, base_code, negated, date_precision, event_date, date_text, completed FROM _m")
            self.event_work["incremental"] = inc
            self.event_work["mentions"] = int(self.con.execute("SELECT count(*) FROM _m").fetchall()[0][0])
            # the copies of the originals read again (each counts as a report of its original's events)
            copies: dict[str, list] = {}
            for ck, orig, cd, co, cid in self.con.execute(
                    "SELECT c.article_key, c.copy_of, a.date, lower(coalesce(a.source_domain, a.source)), a.article_id "
                    f"FROM {'_cp' if self._cp_fresh else 'copies'} c JOIN _raw_articles a USING (article_key) "
                    "WHERE c.copy_of IN (SELECT article_key FROM _m) ORDER BY 2, 3, 5, 1").fetchall():
                copies.setdefault(orig, []).append((ck, cd, co, cid))
            reader = self.con.sql(f"SELECT * FROM _m ORDER BY {order}").to_arrow_reader(50_000)

            def stream():
                for batch in reader:
                    columns = {name: batch.column(i).to_pylist() for i, name in enumerate(batch.schema.names)}
                    names = list(columns)
                    for row in zip(*(columns[n] for n in names), strict=True):
                        m = dict(zip(names, row, strict=True))
                        m["copies"] = copies.get(m["article_key"], ())
                        m["story_id"] = m.pop("_story")
                        yield m

            for ev, members in _dedup.deduplicate(stream()):
                ev_buf.append(ev)
                n_events += 1
                for m in members:
                    ln_buf.append({"mention_id": m["mention_id"], "event_id": ev["event_id"],
                                   "article_key": m["article_key"]})
                    mdate[m["mention_id"]] = ev["date"]
                    n_links += 1
                if len(ev_buf) >= 200_000:
                    flush()
            flush()
            reader.close()       # the connection serves the queries below
            n_new = n_events
            # each mention's saved state sits in the partition (month) of its event, like the
            # event's links: a month that no change reaches keeps its three files as they were
            state = self.con.sql("SELECT * FROM _new_state ORDER BY mention_id").to_arrow_table()
            state = state.cast(DEDUP_TABLES["event_state"])
            sdates = pa.array([mdate.get(x) for x in state["mention_id"].to_pylist()], pa.date32())
            written["event_state"] += [f"{DEDUP}/{gen}/{p}" for p in write_partitioned(
                state, sdates, out, "event_state", f"c{tok}-{chunk:05d}")]
            chunk += 1
            if inc:
                n_events, n_links = self._carry_over(prev_ev, out, gen, f"c{tok}-{chunk:05d}", written, reused,
                                                     n_events, n_links)
                self.event_work["events_kept"] = n_events - n_new
            # the actor codes and countries of each story's mentions (every mention is in an event),
            # for the stories whose rows are written
            self.con.register("_st_ids", pa.table({"story_id": pa.array([r["story_id"] for r in st_rows], pa.string())}))
            for sid, acts in self.con.execute(
                    "SELECT s._story, list(DISTINCT upper(v)) FROM (SELECT article_key, unnest([source_code, "
                    f"source_country, target_code, target_country]) AS v FROM {src} WHERE article_key NOT IN "
                    "(SELECT article_key FROM _raw_copies) AND article_key IN (SELECT article_key FROM _story_of "
                    "WHERE _story IN (SELECT story_id FROM _st_ids))) m JOIN _story_of s USING (article_key) "
                    "WHERE v IS NOT NULL AND v <> '' AND s._story IN (SELECT story_id FROM _st_ids) GROUP BY 1").fetchall():
                story_actors[sid] = set(acts)
        if st_rows or self._story_carry is not None:
            for r in st_rows:
                r["actors"] = sorted(story_actors.get(r["story_id"], ()))
            n_stories = self._write_stories(out, gen, tok, st_rows, sa_rows, written, reused)
        # one file per table and month, whatever the number of chunks
        written["events"] = merge_partition_files(self.root, written["events"], name=f"p{tok}", sort_by=EVENTS_ORDER,
                                                  row_group_size=EVENTS_ROW_GROUP)
        written["links"] = merge_partition_files(self.root, written["links"], name=f"p{tok}")
        written["event_state"] = merge_partition_files(self.root, written["event_state"], name=f"p{tok}",
                                                       sort_by=["mention_id"])
        sums = {p: file_digest(self.root / p) for ps in written.values() for p in ps}
        n_written = len(sums)
        for t, files in reused.items():
            written[t] = sorted(written[t] + list(files))
            sums.update(files)
        self.event_work["seconds"] = round(time.perf_counter() - t_start - self.story_work["seconds"], 2)
        self.event_work["cpu_seconds"] = round(time.process_time() - c_start - self.story_work["cpu_seconds"], 2)
        self.event_work["files_written"] = n_written
        self.event_work["files_reused"] = sum(len(f) for f in reused.values())
        # layout 2: event_state is partitioned like the events, and files may belong to the folder
        # of an earlier generation (carried over; ``Catalog.collect_garbage`` keeps what is referenced)
        manifest = {"kind": "dedup", "id": gen, "layout": 2, "rules": _dedup.rules_fingerprint(), "files": written,
                    "story_rules": stories_rules, "story_work": self.story_work, "event_work": self.event_work,
                    "events": n_events, "links": n_links, "stories": n_stories, "created": now_utc().isoformat(),
                    "checksums": dict(sorted(sums.items()))}
        write_json_atomic(out / "manifest.json", manifest)
        fault_point("dedup:before-current")
        tmp = self.root / DEDUP / f".CURRENT.{os.getpid()}"
        tmp.write_text(gen + "\n", encoding="utf-8")
        os.replace(tmp, self.root / DEDUP / "CURRENT")
        self.refresh()
        return {"generation": gen, "changed": True, "events": n_events, "mentions": n_links, "stories": n_stories,
                "story_work": self.story_work, "event_work": self.event_work,
                "files_written": n_written, "files_reused": self.event_work["files_reused"]}

    def _event_state_prev(self, stories_rules: str) -> dict | None:
        """What an incremental event layer starts from: the current generation's story members and
        files, when it was made by the same rules and saved its event state; else None (recompute all)."""
        gen = current_generation(self.root)
        if gen is None:
            return None
        try:
            m = json.loads((self.root / DEDUP / gen / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        files = m.get("files") or {}
        if (m.get("rules") != _dedup.rules_fingerprint() or m.get("story_rules") != stories_rules
                or not files.get("event_state") or not files.get("story_articles")):
            return None
        paths = {t: [str(self.root / p) for p in files.get(t, [])] for t in ("events", "links", "event_state",
                                                                            "story_articles")}
        if not all((Path(p)).exists() for ps in paths.values() for p in ps):
            return None
        try:
            self.con.execute(f"SELECT count(*) FROM read_parquet({_sql_list(paths['story_articles'])})").fetchall()
        except duckdb.Error:
            return None          # unreadable saved members: recompute everything
        return {"files": paths, "manifest": m}

    def _reopen_blocks(self, src: str, cols: str) -> None:
        """Incremental events: add to ``_m`` the mentions of the previous run that share a date group
        with a mention read again or one that is gone, with the keys and dates they had (their stories
        did not change, so coreference would give them the same).

        A date group is a block (actor keys, base code, polarity) and either one day window
        (``dedup.day_windows``) or one coarser date (month, year, none). Windows are recomputed
        over the block's days before and after the change; a window of the new run is reopened
        when it holds a changed day or was not a window before, every other window keeps its
        events. So the work follows the days near the new mentions, not the block's whole
        history (a dyad reported every day for years)."""
        con = self.con
        con.execute("""CREATE OR REPLACE TEMP TABLE _gone AS SELECT * FROM _prev_state
                       WHERE article_key IN (SELECT article_key FROM _aff) OR mention_id IN (SELECT mention_id FROM _m)
                       OR article_key IN (SELECT article_key FROM _raw_copies)
                       OR article_key NOT IN (SELECT article_key FROM _raw_articles)""")
        # where a mention falls: its day (day precision) or its coarser anchor (dedup._anchor)
        def day(t=""):
            return f"CASE WHEN {t}date_precision = 'day' AND {t}event_date IS NOT NULL THEN {t}event_date END"

        def anchor(t=""):
            return (f"CASE WHEN ({day(t)}) IS NOT NULL THEN NULL WHEN coalesce({t}date_precision, '') = '' "
                    f"THEN 'undated' ELSE {t}date_precision || ':' || coalesce({t}date_text, '') END")
        fields = "source_key, target_key, base_code, negated, date_precision, event_date, date_text"
        # blocks with nobody known on either side hold one event per mention: nothing to reopen
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _chg AS SELECT DISTINCT source_key, target_key, base_code,
                            coalesce(negated, false) AS neg, {day()} AS day, {anchor()} AS anchor, new
                        FROM (SELECT {fields}, true AS new FROM _m UNION ALL SELECT {fields}, false FROM _gone)
                        WHERE source_key IS NOT NULL OR target_key IS NOT NULL""")
        join = ("s.source_key IS NOT DISTINCT FROM b.source_key AND s.target_key IS NOT DISTINCT FROM b.target_key "
                "AND s.base_code IS NOT DISTINCT FROM b.base_code AND coalesce(s.negated, false) = b.neg")
        # the days that stay: mentions of the previous run in a block with a changed day
        stay = {}
        for sk, tk, bc, neg, days in con.execute(f"""
                SELECT s.source_key, s.target_key, s.base_code, coalesce(s.negated, false), list(DISTINCT s.event_date)
                FROM _prev_state s SEMI JOIN (SELECT DISTINCT source_key, target_key, base_code, neg FROM _chg
                                              WHERE day IS NOT NULL) b ON {join}
                WHERE s.date_precision = 'day' AND s.event_date IS NOT NULL
                AND s.mention_id NOT IN (SELECT mention_id FROM _gone) GROUP BY ALL""").fetchall():
            stay[(sk, tk, bc, neg)] = set(days)
        changed: dict[tuple, tuple[set, set]] = {}
        for sk, tk, bc, neg, d, new in con.execute("SELECT source_key, target_key, base_code, neg, day, new FROM _chg "
                                                   "WHERE day IS NOT NULL").fetchall():
            changed.setdefault((sk, tk, bc, neg), (set(), set()))[0 if new else 1].add(d)
        rows: list[tuple] = []
        for b, (new_days, old_days) in changed.items():
            kept = stay.get(b, set())
            before = set(_dedup.day_windows(kept | old_days))
            touched = new_days | old_days
            for w in _dedup.day_windows(kept | new_days):
                if w not in before or touched.intersection(w):
                    rows.extend((*b, d, None) for d in w)
        for r in con.execute("SELECT DISTINCT source_key, target_key, base_code, neg, NULL::DATE, anchor FROM _chg "
                             "WHERE anchor IS NOT NULL").fetchall():
            rows.append(tuple(r))
        cols_ = list(zip(*rows, strict=True)) if rows else [[]] * 6
        con.register("_rkeys", pa.table({"source_key": pa.array(cols_[0], pa.string()),
                                         "target_key": pa.array(cols_[1], pa.string()),
                                         "base_code": pa.array(cols_[2], pa.string()),
                                         "neg": pa.array(cols_[3], pa.bool_()),
                                         "day": pa.array(cols_[4], pa.date32()),
                                         "anchor": pa.array(cols_[5], pa.string())}))
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _reopen AS SELECT s.* FROM _prev_state s JOIN _rkeys b
                       ON {join} AND b.day IS NOT DISTINCT FROM ({day('s.')})
                       AND b.anchor IS NOT DISTINCT FROM ({anchor('s.')})
                       WHERE s.mention_id NOT IN (SELECT mention_id FROM _gone)""")
        con.unregister("_rkeys")
        keep = ("source_key", "target_key", "base_code", "date_precision", "event_date", "date_text")
        con.execute(f"""INSERT INTO _m BY NAME SELECT x.* REPLACE ({', '.join(f'r.{c} AS {c}' for c in keep)}),
                            r.completed AS completed, so._story AS _story
                        FROM (SELECT {cols} FROM {src} WHERE mention_id IN (SELECT mention_id FROM _reopen)) x
                        JOIN _reopen r USING (mention_id) LEFT JOIN _story_of so ON so.article_key = x.article_key""")

    def _carry_over(self, prev: dict, out: Path, gen: str, name: str, written: dict, reused: dict,
                    n_new: int, n_new_links: int) -> tuple[int, int]:
        """Incremental events: the previous run's events none of whose mentions was recomputed, with
        their links and saved state. A partition (month of the event's date) holding no event
        that lost a mention and no new event is carried over: the new generation's manifest names
        the previous files (``reused``: path -> checksum), nothing is read or written. The others
        are written again: their kept rows, merged with the new ones afterwards. Returns the
        generation's numbers of events and links."""
        con = self.con
        pm = prev["manifest"]
        pfiles = pm.get("files") or {}
        psums = pm.get("checksums") or {}

        def part(rel: str) -> str:
            return "/".join(rel.split("/")[-3:-1])       # year=YYYY/month=M

        by_part: dict[str, dict[str, list[str]]] = {}
        for t in ("events", "links", "event_state"):
            for rel in pfiles.get(t, []):
                by_part.setdefault(t, {}).setdefault(part(rel), []).append(rel)
        con.execute("CREATE OR REPLACE TEMP TABLE _redo AS SELECT mention_id FROM _m UNION SELECT mention_id FROM _gone")
        # the months of the events that lose a mention, and of the new events
        dirty = {part(p) for p in written["events"]}
        if pfiles.get("links"):
            root = self.root.resolve()
            for (f,) in con.execute(f"""SELECT DISTINCT filename FROM read_parquet({_sql_list(prev['files']['links'])},
                                        filename=true) WHERE mention_id IN (SELECT mention_id FROM _redo)""").fetchall():
                dirty.add(part(Path(f).resolve().relative_to(root).as_posix()))
        # a generation of layout 1 kept its event state in one file: it is written again, partitioned
        layout2 = int(pm.get("layout", 1)) >= 2
        if not layout2:
            dirty |= set(by_part.get("events", {})) | set(by_part.get("links", {}))

        def files(t: str, parts) -> list[str]:
            return [str(self.root / r) for p in sorted(parts) for r in by_part.get(t, {}).get(p, [])]

        n_events, n_links = n_new, n_new_links
        if layout2:
            for t in ("events", "links", "event_state"):
                for p, rels in by_part.get(t, {}).items():
                    if p not in dirty:
                        reused.setdefault(t, {}).update({r: psums.get(r) or file_digest(self.root / r) for r in rels})
            for t in ("events", "links"):
                ps = files(t, set(by_part.get(t, {})) - dirty)
                if ps:
                    # row counts from the Parquet footers only
                    n = int(con.execute(f"SELECT count(*) FROM read_parquet({_sql_list(ps)})").fetchall()[0][0])
                    n_events, n_links = (n_events + n, n_links) if t == "events" else (n_events, n_links + n)
        ev_files, ln_files = files("events", dirty), files("links", dirty)
        st_files = files("event_state", dirty) if layout2 else prev["files"]["event_state"]
        if not ln_files or not ev_files:
            return n_events, n_links
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _kept_links AS SELECT mention_id, event_id, article_key
                        FROM read_parquet({_sql_list(ln_files)}, union_by_name=true)
                        WHERE mention_id NOT IN (SELECT mention_id FROM _redo)""")
        names = ", ".join(f.name for f in DEDUP_TABLES["events"])
        evt = con.sql(f"""SELECT {names} FROM read_parquet({_sql_list(ev_files)}, union_by_name=true,
                          hive_partitioning=false)
                          WHERE event_id IN (SELECT event_id FROM _kept_links)""").to_arrow_table()
        evt = evt.cast(DEDUP_TABLES["events"])
        con.register("_kept_events", evt)
        try:
            lnt = con.sql("""SELECT l.mention_id, l.event_id, l.article_key, e.date FROM _kept_links l
                             JOIN (SELECT event_id, date FROM _kept_events) e USING (event_id)
                             ORDER BY l.mention_id""").to_arrow_table()
            stn = ", ".join(f"s.{f.name}" for f in DEDUP_TABLES["event_state"])
            stt = con.sql(f"""SELECT {stn}, e.date AS _date FROM read_parquet({_sql_list(st_files)}) s
                              JOIN _kept_links l USING (mention_id)
                              JOIN (SELECT event_id, date FROM _kept_events) e USING (event_id)
                              WHERE s.mention_id NOT IN (SELECT mention_id FROM _m)""").to_arrow_table() \
                if st_files else None
        finally:
            con.unregister("_kept_events")
        rel = f"{DEDUP}/{gen}"
        written["events"] += [f"{rel}/{p}" for p in write_partitioned(evt, "date", out, "events", name)]
        written["links"] += [f"{rel}/{p}" for p in write_partitioned(
            lnt.select(["mention_id", "event_id", "article_key"]).cast(DEDUP_TABLES["links"]), lnt["date"], out,
            "links", name)]
        if stt is not None and stt.num_rows:
            written["event_state"] += [f"{rel}/{p}" for p in write_partitioned(
                stt.drop(["_date"]).cast(DEDUP_TABLES["event_state"]), stt["_date"], out, "event_state", name)]
        return n_events + evt.num_rows, n_links + lnt.num_rows

    def _stories(self, fresh: bool = False) -> tuple[list[dict], list[dict]]:
        """Layer 2 (``stories.py``): group the stored originals into stories in canonical order.
        Returns the rows of ``stories`` and ``story_articles`` to write (incremental runs: of the
        stories that changed only) and leaves each article's story in the temporary table
        ``_story_of`` (article_key, _story)."""
        self._story_state_carry = None
        self._cp_fresh = False          # True: the temp table _cp holds this run's copies
        if not fresh:
            out = self._stories_bounded()
            if out is not None:
                return out
        return self._stories_full(fresh)

    def _story_loaders(self):
        """``fetch(where, params)``: the originals selected by ``where`` (on ``_raw_articles a``) as
        the grouping reads them, in position order; ``fetch_keys(keys)``: given articles."""
        has_actors = bool(self.files().get("actors"))
        has_places = bool(self.files().get("places"))
        ents = []
        if has_actors:
            # named actors only: "a firm believer" coded as an organisation names nobody
            ents.append("SELECT article_key, lower(coalesce(kb_id, name)) AS e FROM actors WHERE kb_id IS NOT NULL "
                        "OR (kind IN ('person', 'organization') AND regexp_matches(name, '^[A-Z0-9]'))")
        if has_places:
            ents.append("SELECT article_key, lower(name) AS e FROM places WHERE name IS NOT NULL")
        ent_sql = (f"LEFT JOIN (SELECT article_key, list(DISTINCT e ORDER BY e) AS ents FROM "
                   f"({' UNION ALL '.join(ents)}) WHERE article_key IN (SELECT article_key FROM _sel) "
                   f"GROUP BY 1) x USING (article_key)") if ents else ""
        ent_col = "x.ents" if ents else "NULL::VARCHAR[]"
        base = (f"SELECT a.article_key, a.article_id, a.date, coalesce(a.title, left(split_part(ltrim(a.text), "
                f"chr(10), 1), 120)) AS title, a.text, lower(coalesce(a.source_domain, a.source)) AS outlet, "
                f"{ent_col} AS ents FROM _raw_articles a {ent_sql} WHERE a.article_key IN "
                f"(SELECT article_key FROM _sel)")

        order = " ORDER BY a.date NULLS LAST, coalesce(a.article_id, ''), a.article_key"   # = stories.position

        def fetch(where: str, params: list):
            """The originals selected by ``where`` (on ``_raw_articles a``), with what grouping
            reads, in position order (streamed: a first grouping reads the whole store)."""
            con = self.con
            con.execute(f"CREATE OR REPLACE TEMP TABLE _sel AS SELECT a.article_key FROM _raw_articles a "
                        f"WHERE ({where}) AND a.article_key NOT IN (SELECT article_key FROM "
                        f"{'_cp' if self._cp_fresh else 'copies'})", params)
            reader = con.sql(base + order).to_arrow_reader(20_000)
            for batch in reader:
                cols = batch.to_pydict()
                yield from zip(cols["article_key"], cols["article_id"], cols["date"], cols["title"], cols["text"],
                               cols["ents"], cols["outlet"], strict=True)

        def fetch_keys(keys: set[str]) -> list:
            self.con.register("_want", pa.table({"k": pa.array(sorted(keys), pa.string())}))
            try:
                sel = "a.article_key IN (SELECT k FROM _want)"
                self.con.execute(f"CREATE OR REPLACE TEMP TABLE _sel AS SELECT a.article_key FROM _raw_articles a "
                                 f"WHERE {sel}")
                out = []
                for batch in self.con.sql(base).to_arrow_reader(20_000):
                    cols = batch.to_pydict()
                    out.extend(zip(cols["article_key"], cols["article_id"], cols["date"], cols["title"],
                                   cols["text"], cols["ents"], cols["outlet"], strict=True))
                return out
            finally:
                self.con.unregister("_want")

        return fetch, fetch_keys

    def _stories_bounded(self) -> tuple[list[dict], list[dict]] | None:
        """Incremental grouping that reads only what a batch can reach, whatever the store's size.

        The first change ``p`` (the first new original, or the first stored one that became a
        copy) is found in DuckDB. Every story that ``p`` or a later article can join or change has
        its articles within ``SPAN_DAYS + WINDOW_DAYS`` before ``p``; the saved members and the
        originals are read into Python only from ``bound`` (``2 * SPAN_DAYS + WINDOW_DAYS + 2``
        days before ``p``) on: the ``story_articles`` partitions (month of a story's first article)
        from a month before ``bound``, joined with the articles dated from ``bound``. ``regroup``
        then runs on that part of the store as on the whole (``keep_closed=False``: the stories
        closed before ``p`` keep their stored rows and files). The article -> story map for the
        events is built in DuckDB (new assignments, else the saved ones). A closed story gets a new
        row only when its copies changed. Returns None when this does not apply (no usable saved
        state, undated articles, a layout without partitioned story files)."""
        from datetime import timedelta

        from . import stories as S

        con = self.con
        if not self.files().get("articles") or not self.files().get("story_state"):
            return None
        gen = current_generation(self.root)
        if gen is None:
            return None
        try:
            man = json.loads((self.root / DEDUP / gen / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        mfiles = man.get("files") or {}
        sfiles = {t: list(mfiles.get(t, [])) for t in ("stories", "story_articles", "story_state")}
        if (man.get("story_rules") != S.rules_fingerprint() or int(man.get("layout", 1)) < 2
                or not sfiles["stories"] or not sfiles["story_state"]
                or not all("/year=" in p for t in ("stories", "story_articles") for p in sfiles[t])):
            return None
        try:
            passes = {r[0] for r in con.execute("SELECT DISTINCT pass FROM story_state").fetchall()}
            if passes != {"dated"}:
                return None          # a pass with undated articles: grouped whole (_stories_full)
            # the copies (a recursive view over copy chains) evaluated once for this run
            con.execute("CREATE OR REPLACE TEMP TABLE _cp AS SELECT article_key, copy_of FROM copies")
            self._cp_fresh = True
            con.execute("CREATE OR REPLACE TEMP TABLE _orig AS SELECT DISTINCT article_key, article_id, date "
                        "FROM _raw_articles WHERE article_key NOT IN (SELECT article_key FROM _cp)")
            if con.execute("SELECT count(*) FROM _orig WHERE date IS NULL").fetchall()[0][0]:
                return None
            con.execute("CREATE OR REPLACE TEMP TABLE _mem AS SELECT DISTINCT article_key, story_id FROM "
                        "story_articles WHERE NOT coalesce(is_copy, false)")
            # a saved member no longer stored, undated, or of no stored story: group from nothing
            if con.execute("""SELECT count(*) FROM _mem m LEFT JOIN (SELECT DISTINCT article_key, date
                              FROM _raw_articles) a USING (article_key) WHERE a.article_key IS NULL
                              OR a.date IS NULL OR m.story_id NOT IN (SELECT story_id FROM stories)""").fetchall()[0][0]:
                return None
            first = con.execute("""SELECT min(date) FROM (
                    SELECT date FROM _orig WHERE article_key NOT IN (SELECT article_key FROM _mem)
                    UNION ALL SELECT a.date FROM _mem m JOIN _raw_articles a USING (article_key)
                    WHERE m.article_key NOT IN (SELECT article_key FROM _orig))""").fetchall()[0][0]
        except duckdb.Error:
            return None          # unreadable saved state: _stories_full decides
        self.story_work = {"assigned": 0, "replayed": 0, "kept": 0, "incremental": True, "bounded": True}
        fetch, fetch_keys = self._story_loaders()
        g = S.Grouper()
        if first is not None:
            bound = first - timedelta(days=2 * S.SPAN_DAYS + S.WINDOW_DAYS + 2)
            self.story_work["read_from"] = bound.isoformat()
            # a member dated from ``bound`` is in a story whose first article is SPAN_DAYS before it at most
            since = _part_date(partition_dir(bound - timedelta(days=S.SPAN_DAYS + 1)))
            sa_files = [str(self.root / p) for p in sfiles["story_articles"]
                        if (_part_date("/".join(p.split("/")[-3:-1])) or since) >= since]
            prev = S.Prev(0, {}, {}, {})
            for term, df in con.execute("SELECT term, df FROM story_state").fetchall():
                if term is None:
                    prev.n_docs = int(df)
                else:
                    prev.df[term] = int(df)
            if sa_files:
                for k, sid, sim, why, d, aid, outlet in con.execute(
                        f"""SELECT sa.article_key, sa.story_id, sa.similarity, sa.why, a.date, a.article_id,
                               lower(coalesce(a.source_domain, a.source))
                            FROM read_parquet({_sql_list(sa_files)}, hive_partitioning=false, union_by_name=true) sa
                            JOIN (SELECT DISTINCT article_key, article_id, date, source_domain, source
                                  FROM _raw_articles WHERE date >= ?) a USING (article_key)
                            WHERE NOT coalesce(sa.is_copy, false)""", [bound]).fetchall():
                    prev.members[k] = (S.position(d, aid, k), sid, sim, why, outlet)
            current = {k: S.position(d, aid, k) for k, aid, d in con.execute(
                "SELECT article_key, article_id, date FROM _orig WHERE date >= ?", [bound]).fetchall()}

            def load(r):
                return fetch("a.date >= CAST(? AS DATE)", [r[0]])

            g = S.regroup(True, current, prev, load, fetch_keys, keep_closed=False)
            self.story_work["assigned"] = g.assigned_now
            self.story_work["replayed"] = g.replayed
        # each original's story: the new assignment, else the saved one; each copy: its original's
        asg = [(k, a[0]) for k, a in g.assigned.items()]
        con.register("_asg", pa.table({"article_key": pa.array([k for k, _s in asg], pa.string()),
                                       "_story": pa.array([sid for _k, sid in asg], pa.string())}))
        try:
            con.execute("""CREATE OR REPLACE TEMP TABLE _so_orig AS SELECT article_key, _story FROM _asg
                           UNION ALL SELECT article_key, story_id FROM _mem WHERE article_key NOT IN
                           (SELECT article_key FROM _asg) AND article_key IN (SELECT article_key FROM _orig)""")
        finally:
            con.unregister("_asg")
        con.execute("""CREATE OR REPLACE TEMP TABLE _so_copies AS SELECT c.article_key, s._story FROM _cp c
                       JOIN _so_orig s ON s.article_key = c.copy_of
                       WHERE c.article_key IN (SELECT article_key FROM _raw_articles)""")
        con.execute("CREATE OR REPLACE TEMP TABLE _story_of AS SELECT * FROM _so_orig UNION ALL SELECT * FROM _so_copies")
        rebuilt = set(g.stories)
        copy_changed = {r[0] for r in con.execute("""SELECT DISTINCT story_id FROM (
                (SELECT _story AS story_id, article_key FROM _so_copies
                 EXCEPT SELECT story_id, article_key FROM story_articles WHERE coalesce(is_copy, false))
                UNION ALL
                (SELECT story_id, article_key FROM story_articles WHERE coalesce(is_copy, false)
                 EXCEPT SELECT _story, article_key FROM _so_copies))""").fetchall()}
        # the stored stories that keep members (counted in DuckDB: no row per story in Python)
        n_alive, = con.execute("SELECT count(DISTINCT _story) FROM _so_orig WHERE _story IN "
                               "(SELECT story_id FROM stories)").fetchall()[0]
        self.story_work["kept"] = int(n_alive) - len(rebuilt & set(self._stored_stories(rebuilt)))
        gone = {r[0] for r in con.execute("SELECT story_id FROM stories EXCEPT SELECT _story FROM _so_orig").fetchall()}
        # closed stories whose copies changed: their rows are made again from their stored members
        reopen = sorted(set(self._stored_stories(copy_changed - rebuilt - gone)))
        if reopen:
            con.register("_reo", pa.table({"story_id": pa.array(reopen, pa.string())}))
            try:
                heads = {sid: (fk, title, why) for sid, fk, title, why in con.execute(
                    "SELECT story_id, first_article_key, title, why FROM stories WHERE story_id IN "
                    "(SELECT story_id FROM _reo)").fetchall()}
                ms: dict[str, list] = {}
                for sid, k, sim, why, d, outlet in con.execute(
                        """SELECT sa.story_id, sa.article_key, sa.similarity, sa.why, a.date,
                                  lower(coalesce(a.source_domain, a.source))
                           FROM story_articles sa JOIN (SELECT DISTINCT article_key, article_id, date, source_domain,
                                source FROM _raw_articles) a USING (article_key)
                           WHERE NOT coalesce(sa.is_copy, false) AND sa.story_id IN (SELECT story_id FROM _reo)
                           ORDER BY sa.story_id, a.date, coalesce(a.article_id, ''), sa.article_key""").fetchall():
                    ms.setdefault(sid, []).append((k, sim, why, d, outlet))
            finally:
                con.unregister("_reo")
            for sid in reopen:
                fk, title, why = heads[sid]
                g.keep(sid, fk, title, ms.get(sid, []), why)
        only = rebuilt | set(reopen)
        # the article ids and copies of the members of the stories given rows
        keys = sorted({k for sid in only for k in g.stories[sid].members})
        copies: dict[str, list] = {}
        ids: dict[str, str | None] = {}
        con.register("_want", pa.table({"k": pa.array(keys, pa.string())}))
        try:
            for k, aid in con.execute("SELECT DISTINCT article_key, article_id FROM _raw_articles WHERE "
                                      "article_key IN (SELECT k FROM _want)").fetchall():
                ids[k] = aid
            for ck, orig, cd, co, cid in con.execute(
                    "SELECT c.article_key, c.copy_of, a.date, lower(coalesce(a.source_domain, a.source)), a.article_id "
                    "FROM _cp c JOIN _raw_articles a USING (article_key) WHERE c.copy_of IN (SELECT k FROM _want) "
                    "ORDER BY 2, 3, 5, 1").fetchall():
                copies.setdefault(orig, []).append((ck, cd, co, cid))
                ids[ck] = cid
        finally:
            con.unregister("_want")
        st_rows, sa_rows = [], []
        for row, members in g.story_rows(copies, ids, only=only):
            st_rows.append(row)
            sa_rows.extend(members)
        st_rows.sort(key=lambda r: r["story_id"])
        sa_rows.sort(key=lambda r: r["story_id"])
        self._story_carry = {"files": {t: sfiles[t] for t in ("stories", "story_articles")},
                             "sums": man.get("checksums") or {}, "dirty": only | copy_changed | gone}
        if first is None:
            # nothing regrouped: the document frequencies are the saved ones, carried over
            self._story_state_rows = None
            self._story_state_carry = {p: (man.get("checksums") or {}).get(p) for p in sfiles["story_state"]}
        else:
            self._story_state_rows = [{"pass": "dated", "term": None, "df": g.n_docs}] + [
                {"pass": "dated", "term": t, "df": c} for t, c in sorted(g.df.items()) if c > 0]
        return st_rows, sa_rows

    def _stored_stories(self, ids: set[str]) -> list[str]:
        """Those of ``ids`` that the current generation's ``stories`` holds."""
        if not ids:
            return []
        self.con.register("_ids", pa.table({"story_id": pa.array(sorted(ids), pa.string())}))
        try:
            return [r[0] for r in self.con.execute("SELECT story_id FROM _ids WHERE story_id IN "
                                                   "(SELECT story_id FROM stories)").fetchall()]
        finally:
            self.con.unregister("_ids")

    def _stories_full(self, fresh: bool) -> tuple[list[dict], list[dict]]:
        """Grouping with the stored state read whole (the first run, forced runs, stores holding
        undated articles, state written by an older layout)."""
        from . import stories as S

        copies: dict[str, list] = {}
        for ck, orig, cd, co, cid in self.con.execute(
                "SELECT c.article_key, c.copy_of, a.date, lower(coalesce(a.source_domain, a.source)), a.article_id "
                "FROM copies c JOIN _raw_articles a USING (article_key) ORDER BY 2, 3, 5, 1").fetchall():
            copies.setdefault(orig, []).append((ck, cd, co, cid))
        ids: dict[str, str | None] = {}
        groupers: list = []
        self.story_work = {"assigned": 0, "replayed": 0, "kept": 0, "incremental": False}
        if self.files().get("articles"):
            fetch, fetch_keys = self._story_loaders()

            current: dict[bool, dict[str, tuple]] = {True: {}, False: {}}
            for k, aid, d in self.con.execute(
                    "SELECT article_key, article_id, date FROM _raw_articles "
                    "WHERE article_key NOT IN (SELECT article_key FROM copies)").fetchall():
                current[d is not None][k] = S.position(d, aid, k)
                ids[k] = aid
            # ``fresh`` (a forced de-duplication, as repair runs it): group from nothing, trusting no
            # saved state; else restart from the current generation's state
            prev = None if fresh else self._story_state()
            # An undated article may belong to any story, dated or not (many pages carry no date,
            # and a story is about what happened, not when the page was saved): while the store
            # holds undated originals, one pass groups everything, dated articles first, from
            # nothing (a cost that grows with the store; the run summary says why). Stores of
            # dated articles only restart where the changes start.
            combined = bool(current[False])
            if combined:
                prev = None
                self.story_work["undated"] = len(current[False])
            self.story_work["incremental"] = prev is not None
            for dated in ((None,) if combined else (True, False)):
                if dated is not None and not current[dated] and not (prev and prev[dated].members):
                    continue

                def load(r, dated=dated):
                    if dated is None:
                        return fetch("TRUE", [])
                    if r is None:
                        return fetch("a.date IS NOT NULL" if dated else "a.date IS NULL", [])
                    if dated:
                        return fetch("a.date >= CAST(? AS DATE)", [r[0]])
                    return fetch("a.date IS NULL", [])

                cur = {**current[True], **current[False]} if dated is None else current[dated]
                g = S.regroup(dated is not False, cur, prev[dated] if prev else None, load, fetch_keys,
                              with_undated=dated is None)
                groupers.append((dated, g))
                self.story_work["assigned"] += g.assigned_now
                self.story_work["replayed"] += g.replayed
                self.story_work["kept"] += sum(1 for st in g.stories.values() if st.words is not None)
        for cs in copies.values():
            for ck, _cd, _co, cid in cs:
                ids[ck] = cid
        # Incremental: a story kept as stored (closed before the first change) whose copies did not
        # change has the row it had; only the other stories (rebuilt, new, gone, or with a copy
        # added or removed) get rows, and the partitions (month of the story's first article) they
        # were or are in are written again (``_write_stories``), the others carried over.
        self._story_carry = None
        only: set[str] | None = None
        if self.story_work["incremental"] and groupers:
            carry = self._story_carry_state()
            if carry is not None:
                story_at = {k: a[0] for _d, g in groupers for k, a in g.assigned.items()}
                now = {(story_at[k], ck) for k, cs in copies.items() if k in story_at for ck, *_ in cs}
                copy_changed = {sid for sid, _ck in now ^ carry["copies"]}
                alive = {sid for _d, g in groupers for sid in g.stories}
                rebuilt = {sid for _d, g in groupers for sid, st in g.stories.items() if st.words is None}
                only = rebuilt | (copy_changed & alive)
                carry["dirty"] = only | copy_changed | (carry["stories"] - alive)
                self._story_carry = carry
        st_rows, sa_rows = [], []
        story_of: dict[str, str] = {}
        state: list[dict] = []
        for dated, g in groupers:
            for k, a in g.assigned.items():
                story_of[k] = a[0]
                for ck, *_ in copies.get(k, ()):
                    story_of[ck] = a[0]
            for row, members in g.story_rows(copies, ids, only=only):
                st_rows.append(row)
                sa_rows.extend(members)
            pass_name = "all" if dated is None else "dated" if dated else "undated"
            state.append({"pass": pass_name, "term": None, "df": g.n_docs})
            state.extend({"pass": pass_name, "term": t, "df": c} for t, c in sorted(g.df.items()) if c > 0)
        st_rows.sort(key=lambda r: r["story_id"])
        sa_rows.sort(key=lambda r: r["story_id"])
        self._story_state_rows = state
        self.con.register("_so", pa.table({"article_key": pa.array(list(story_of), pa.string()),
                                           "_story": pa.array(list(story_of.values()), pa.string())}))
        self.con.execute("CREATE OR REPLACE TEMP TABLE _story_of AS SELECT * FROM _so")
        self.con.unregister("_so")
        return st_rows, sa_rows

    def _story_carry_state(self) -> dict | None:
        """The current generation's story files by partition, its stories and its copy rows, when
        they are partitioned (a generation written before that is rewritten whole): what
        ``_write_stories`` carries over."""
        gen = current_generation(self.root)
        try:
            m = json.loads((self.root / DEDUP / gen / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            return None
        files = {t: list((m.get("files") or {}).get(t, [])) for t in ("stories", "story_articles")}
        if not files["stories"] or not all("/year=" in p for ps in files.values() for p in ps):
            return None
        copies = {(sid, k) for sid, k in self.con.execute(
            "SELECT story_id, article_key FROM story_articles WHERE coalesce(is_copy, false)").fetchall()}
        stories = {r[0] for r in self.con.execute("SELECT story_id FROM stories").fetchall()}
        return {"files": files, "sums": m.get("checksums") or {}, "copies": copies, "stories": stories}

    def _write_stories(self, out: Path, gen: str, tok: str, st_rows: list[dict], sa_rows: list[dict],
                       written: dict, reused: dict) -> int:
        """Write ``stories`` and ``story_articles`` partitioned by the month of each story's first
        article (``story_state``, one file per run). Incremental runs (``self._story_carry``) write
        again only the partitions a story of ``carry["dirty"]`` was or is in (its new rows plus the
        stored rows of the other stories there) and carry the other partitions' files over.
        Returns the number of stories."""
        from .writer import write_parquet

        rel = f"{DEDUP}/{gen}"
        part_of = {r["story_id"]: r["_part"] for r in st_rows}
        st = to_table(st_rows, DEDUP_TABLES["stories"])
        sa = to_table(sa_rows, DEDUP_TABLES["story_articles"])
        st_dates = pa.array([r["_part"] for r in st_rows], pa.date32())
        sa_dates = pa.array([part_of[r["story_id"]] for r in sa_rows], pa.date32())
        new = {"stories": (st, st_dates), "story_articles": (sa, sa_dates)}
        carry = self._story_carry
        n = st.num_rows
        if carry is not None:
            def part(p: str) -> str:
                return "/".join(p.split("/")[-3:-1])

            dirty_ids = sorted(carry["dirty"])
            self.con.register("_dirty_st", pa.table({"story_id": pa.array(dirty_ids, pa.string())}))
            try:
                root = self.root.resolve()
                prev_st = [str(self.root / p) for p in carry["files"]["stories"]]
                dirty = {part(Path(f).resolve().relative_to(root).as_posix()) for (f,) in self.con.execute(
                    f"SELECT DISTINCT filename FROM read_parquet({_sql_list(prev_st)}, filename=true) "
                    "WHERE story_id IN (SELECT story_id FROM _dirty_st)").fetchall()}
                from .schema import partition_dir

                dirty |= {partition_dir(d) for d in part_of.values()}
                for t in ("stories", "story_articles"):
                    keep_p, redo = [], []
                    for p in carry["files"][t]:
                        (redo if part(p) in dirty else keep_p).append(p)
                    reused.setdefault(t, {}).update({p: carry["sums"].get(p) or file_digest(self.root / p)
                                                     for p in keep_p})
                    if t == "stories" and keep_p:
                        n += int(self.con.execute(f"SELECT count(*) FROM read_parquet("
                                                  f"{_sql_list([str(self.root / p) for p in keep_p])})").fetchall()[0][0])
                    if redo:
                        # the stored rows of the partitions written again, less the stories redone
                        old = self.con.sql(f"""SELECT * FROM read_parquet({_sql_list([str(self.root / p) for p in redo])},
                                               hive_partitioning=false, union_by_name=true) WHERE story_id NOT IN
                                               (SELECT story_id FROM _dirty_st)""").to_arrow_table()
                        old = old.select([f.name for f in DEDUP_TABLES[t]]).cast(DEDUP_TABLES[t])
                        if t == "stories":
                            n += old.num_rows
                        # their partition: the folder they were in
                        src = self.con.sql(f"""SELECT story_id, filename FROM read_parquet(
                                               {_sql_list([str(self.root / p) for p in redo])}, filename=true)
                                               WHERE story_id NOT IN (SELECT story_id FROM _dirty_st)""").fetchall()
                        # (one path resolution per file, not per row)
                        day = {f: _part_date(part(Path(f).resolve().relative_to(root).as_posix()))
                               for f in {f for _s, f in src}}
                        where = {sid: day[f] for sid, f in src}
                        dates = pa.array([where[x] for x in old["story_id"].to_pylist()], pa.date32())
                        tb, dt = new[t]
                        new[t] = (pa.concat_tables([tb, old]), pa.concat_arrays([dt, dates]))
            finally:
                self.con.unregister("_dirty_st")
        for t, (tb, dt) in new.items():
            written[t] += [f"{rel}/{p}" for p in write_partitioned(tb, dt, out, t, f"p{tok}")]
        if self._story_state_rows is None:
            reused.setdefault("story_state", {}).update({p: c or file_digest(self.root / p)
                                                         for p, c in self._story_state_carry.items()})
        else:
            srel = f"{rel}/story_state/p{tok}.parquet"
            write_parquet(to_table(self._story_state_rows, DEDUP_TABLES["story_state"]), self.root / srel)
            written["story_state"].append(srel)
        return n

    def _story_state(self) -> dict | None:
        """The stored grouping state of the current generation, per pass (``stories.Prev``), or None
        when there is none usable (no generation, other rules, an article of it no longer stored):
        the grouping then starts from scratch."""

        try:
            return self._read_story_state()
        except (duckdb.Error, OSError, StoreError):
            return None          # a damaged saved state: group from nothing

    def _read_story_state(self) -> dict | None:
        from . import stories as S

        gen = current_generation(self.root)
        if gen is None or not self.files().get("story_state"):
            return None
        try:
            m = json.loads((self.root / DEDUP / gen / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if m.get("story_rules") != S.rules_fingerprint():
            return None
        out = {True: S.Prev(0, {}, {}, {}), False: S.Prev(0, {}, {}, {})}
        for pass_name, term, df in self.con.execute("SELECT pass, term, df FROM story_state").fetchall():
            if pass_name == "all":
                return None          # grouped in one pass with undated articles: its counts are not a dated pass's
            pv = out[pass_name == "dated"]
            if term is None:
                pv.n_docs = int(df)
            else:
                pv.df[term] = int(df)
        rows = {sid: (first, title, why) for sid, first, title, why in
                self.con.execute("SELECT story_id, first_article_key, title, why FROM stories").fetchall()}
        for k, sid, sim, why, d, aid, outlet, stored in self.con.execute(
                "SELECT sa.article_key, sa.story_id, sa.similarity, sa.why, a.date, a.article_id, "
                "lower(coalesce(a.source_domain, a.source)), a.article_key IS NOT NULL FROM story_articles sa "
                "LEFT JOIN _raw_articles a USING (article_key) WHERE NOT coalesce(sa.is_copy, false)").fetchall():
            if not stored or sid not in rows:
                return None          # an article of the stored grouping is gone: group from scratch
            out[d is not None].members[k] = (S.position(d, aid, k), sid, sim, why, outlet)
        for pv in out.values():
            pv.rows = rows
        return out

    def _story_coreference(self) -> None:
        """Coreference within a story (layer 3), on the temporary table ``_m`` of mentions: among
        the story's mentions of one action (base code, polarity) by one actor, the other side's
        names that are variants of each other ("23 Somalian pirates", "23 pirates"; see
        ``dedup.same_referent``) become the most reported one, and a mention that names one side
        only ("X met with officials") takes the other side when the story's mentions all agree on
        it. Across stories nothing is changed; ``completed`` marks the mentions changed."""
        con = self.con
        con.execute("ALTER TABLE _m ADD COLUMN completed BOOLEAN DEFAULT false")
        for side, other in (("target", "source"), ("source", "target")):
            rows = con.execute(
                f"SELECT _story, base_code, negated, {other}_key, {side}_key, count(*) FROM _m WHERE _story IS NOT "
                f"NULL AND {other}_key IS NOT NULL AND {side}_key IS NOT NULL GROUP BY ALL ORDER BY ALL").fetchall()
            groups: dict[tuple, list[tuple[str, int]]] = {}
            for st, base, neg, ok, k, n in rows:
                groups.setdefault((st, base, neg, ok), []).append((k, n))
            maps = []
            for g, ks in groups.items():
                canon: list[str] = []
                for k, _n in sorted(ks, key=lambda kn: (-kn[1], kn[0])):
                    to = next((c for c in canon if _dedup.same_referent(c, k)), None)
                    if to is None:
                        canon.append(k)
                    elif to != k:
                        maps.append((*g, k, to))
            if maps:
                cols = list(zip(*maps, strict=True))
                con.register("_map", pa.table({"_story": pa.array(cols[0], pa.string()),
                                               "base_code": pa.array(cols[1], pa.string()),
                                               "negated": pa.array(cols[2], pa.bool_()),
                                               "other": pa.array(cols[3], pa.string()),
                                               "old": pa.array(cols[4], pa.string()),
                                               "new": pa.array(cols[5], pa.string())}))
                con.execute(f"""UPDATE _m SET {side}_key = _map.new, completed = true FROM _map
                                WHERE _m._story = _map._story AND _m.base_code = _map.base_code
                                AND _m.negated IS NOT DISTINCT FROM _map.negated AND _m.{other}_key = _map.other
                                AND _m.{side}_key = _map.old""")
                con.unregister("_map")
        for side, other in (("target", "source"), ("source", "target")):
            con.execute(f"""
                UPDATE _m SET {side}_key = f.fill, completed = true
                FROM (SELECT _story, base_code, negated, {other}_key AS other, any_value({side}_key) AS fill
                      FROM _m WHERE _story IS NOT NULL AND source_key IS NOT NULL AND target_key IS NOT NULL
                      GROUP BY ALL HAVING count(DISTINCT {side}_key) = 1) f
                WHERE _m.{side}_key IS NULL AND _m._story = f._story AND _m.base_code = f.base_code
                AND _m.negated IS NOT DISTINCT FROM f.negated AND _m.{other}_key = f.other""")
        # one action named by the same verb in several articles of the story (dedup.same_action_in_story)
        cur = con.execute("SELECT mention_id, article_key, _story, base_code, cameo_root, quad_class, negated, "
                          "trigger_text, source_key, target_key, source_code, target_code, date_precision, event_date, "
                          "date_text, place_name FROM _m WHERE _story IS NOT NULL AND trigger_text IS NOT NULL")
        names = [d[0] for d in cur.description]
        changes = _dedup.same_action_in_story(dict(zip(names, r, strict=True)) for r in cur.fetchall())
        if changes:
            ids = sorted(changes)
            col = {c: [changes[i].get(c) for i in ids] for c in ("source_key", "target_key", "base_code",
                                                                  "date_precision", "event_date", "date_text")}
            con.register("_act", pa.table({"mention_id": pa.array(ids, pa.string()),
                                           **{c: pa.array(v, pa.date32() if c == "event_date" else pa.string())
                                              for c, v in col.items()}}))
            con.execute("""UPDATE _m SET source_key = coalesce(_act.source_key, _m.source_key),
                               target_key = coalesce(_act.target_key, _m.target_key),
                               base_code = coalesce(_act.base_code, _m.base_code),
                               date_precision = coalesce(_act.date_precision, _m.date_precision),
                               event_date = coalesce(_act.event_date, _m.event_date),
                               date_text = coalesce(_act.date_text, _m.date_text), completed = true
                           FROM _act WHERE _m.mention_id = _act.mention_id""")
            con.unregister("_act")

    def _register_key_function(self) -> None:
        """``communique_actor_key(name, code, country, kb_id, kind)``: ``rows.participant_key`` in SQL,
        so that de-duplication uses the current rules on mentions stored by any version."""
        if getattr(self, "_key_fn", False):
            return
        import duckdb.sqltypes as T

        from .rows import key_array

        self.con.create_function("communique_actor_key", key_array, [T.VARCHAR] * 5, T.VARCHAR, type="arrow",
                                 null_handling="special")
        self._key_fn = True

    # -- compaction -------------------------------------------------------------------------
    def compact(self, min_files: int = 2) -> dict:
        """Merge the small per-shard files of each table and partition into one file each."""
        from .compact import compact

        with ingest_lock(self.root):
            res = compact(self.root, min_files=min_files)
            self.catalog.collect_garbage()
        self.refresh()
        return res

    # -- queries ----------------------------------------------------------------------------
    def dyad(self, a: str, b: str, freq: str = "month", since: str | None = None, until: str | None = None,
             both: bool = True, outlet: str | None = None, outlet_country: str | None = None):
        """Events between ``a`` and ``b`` (country or actor codes) per period: counts per quad class,
        mean Goldstein score, in both directions. A pandas DataFrame."""
        return self.sql(*Q.dyad_sql(a, b, freq, since, until, both, outlet, outlet_country))

    def outlets(self, by: str = "outlet", country: str | None = None, since: str | None = None,
                until: str | None = None, top: int | None = 50):
        """Articles and events per outlet (source domain) or per outlet country. A pandas DataFrame."""
        from .web import outlet_expressions

        domain, country_col = outlet_expressions(self)
        return self.sql(*Q.outlets_sql(by, country, since, until, top, domain, country_col))

    def events(self, filt: Q.EventFilter | None = None, **kw):
        """De-duplicated events matching the filters (see ``queries.EventFilter``)."""
        f = filt or Q.EventFilter(**kw)
        return self.sql(*Q.events_sql(f))

    def stories(self, filt: Q.EventFilter | None = None, **kw):
        """Stories (articles about the same happening) with an event matching the filters, newest first."""
        f = filt or Q.EventFilter(**kw)
        return self.sql(*Q.stories_sql(f))

    def quotes(self, speaker: str | None = None, contains: str | None = None, since: str | None = None,
               until: str | None = None, limit: int | None = 100):
        return self.sql(*Q.quotes_sql(speaker, contains, since, until, limit))

    def actors(self, top: int = 20, kind: str | None = None, country: str | None = None):
        return self.sql(*Q.actors_sql(top, kind, country))

    def search(self, query: str, limit: int = 20, any_term: bool = False):
        """Full-text search over article text, best first (BM25)."""
        df = self.sql(*Q.search_sql(query, limit, any_term))
        words, phrases = Q.fts.parse_query(query)
        df["snippet"] = [Q.snippet(t, [p.lower() for p in phrases] + words) for t in df["text"]]
        return df.drop(columns=["text"])

    def stats(self) -> dict:
        """Sizes of every table, date range, errors, files and bytes on disk."""
        c = {}
        for t in ("articles", "mentions", "events", "actors", "quotes", "places", "times"):
            c[t] = int(self.scalar(f"SELECT count(*) FROM {t}") or 0)
        c["copies"] = int(self.scalar("SELECT count(*) FROM copies") or 0)
        c["stories"] = int(self.scalar("SELECT count(*) FROM stories") or 0)
        c["errors"] = int(self.scalar("SELECT count(*) FROM errors WHERE NOT resolved") or 0)
        c["errors_resolved"] = int(self.scalar("SELECT count(*) FROM errors WHERE resolved") or 0)
        with self.guard():
            lo, hi = self.con.execute("SELECT min(date), max(date) FROM articles").fetchall()[0]
        merged = self.scalar("SELECT count(*) FROM events WHERE num_articles > 1") or 0
        files = self.files()
        nbytes = 0
        for paths in files.values():
            for p in paths:
                try:
                    nbytes += os.path.getsize(p)
                except OSError:
                    pass
        return {
            "store": str(self.root), "store_version": self.meta.get("store_version"),
            **c,
            "events_in_several_articles": int(merged),
            # always 0, unless workers of a crashed coordinator kept committing (docs/cluster.md)
            "duplicate_articles": int(self.scalar("SELECT count(*) - count(DISTINCT article_key) FROM articles") or 0),
            "sources": int(self.scalar("SELECT count(DISTINCT source) FROM articles") or 0),
            "first_article": lo.isoformat() if lo else None, "last_article": hi.isoformat() if hi else None,
            "undated_articles": int(self.scalar("SELECT count(*) FROM articles WHERE date IS NULL") or 0),
            "shards": len(self.catalog.live_shards()),
            "files": sum(len(v) for v in files.values()), "bytes": nbytes,
            "dedup_generation": current_generation(self.root),
            "dedup_current": current_generation(self.root) == self.generation(),
        }

    def timestamp(self) -> datetime:
        return now_utc()


def _part_date(part: str):
    """The first day of a ``year=YYYY/month=M`` partition folder (None: the NULL partition)."""
    from datetime import date

    try:
        y, m = (int(x.split("=", 1)[1]) for x in part.split("/"))
    except ValueError:
        return None
    return date(y, m, 1)


def _duck_type(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return _duck_type(t.value_type) + "[]"
    return {pa.string(): "VARCHAR", pa.int8(): "TINYINT", pa.int32(): "INTEGER", pa.int64(): "BIGINT",
            pa.float64(): "DOUBLE", pa.bool_(): "BOOLEAN", pa.date32(): "DATE", pa.binary(): "BLOB"}.get(
                t, "TIMESTAMPTZ" if pa.types.is_timestamp(t) else "VARCHAR")


def _first_line(msg: str) -> str:
    return msg.strip().splitlines()[0][:300] if msg.strip() else "no message"


def open_store(path: str | os.PathLike[str] = DEFAULT_STORE, create: bool = False) -> Store:
    """Open a store folder (``create=True`` makes an empty one if it does not exist)."""
    return Store(path, create=create)
