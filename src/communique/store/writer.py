"""Writing one shard: rows -> one Parquet file per table and partition, then a manifest.

Many workers may write into one store at once (processes on one machine or Dask
workers sharing a file system): each writes only files named after its own
shard id, and commits by writing that shard's manifest. Re-writing a shard gives
byte-for-byte the same rows under the same names.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .catalog import PLANS, Catalog, now_utc
from .schema import PARTITIONED, SHARD_TABLES

COMPRESSION = "zstd"


def shard_id(keys: Iterable[str]) -> str:
    """A shard's name: the hash of the (sorted) keys of the articles and errors in it."""
    h = hashlib.sha1()
    for k in sorted(set(keys)):
        h.update(k.encode())
        h.update(b"\n")
    return "s" + h.hexdigest()[:20]


def schema_fingerprint(schema: pa.Schema) -> str:
    """Files with equal fingerprints can be read without unifying schemas by name (much faster)."""
    return hashlib.sha1(schema.remove_metadata().to_string().encode()).hexdigest()[:12]


def to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
    try:
        return pa.Table.from_pydict(cols, schema=schema)
    except (UnicodeEncodeError, pa.ArrowInvalid, pa.ArrowTypeError):
        # Text with lone surrogates ("\ud800" escapes in JSON input) is not valid UTF-8, which
        # Parquet requires: store U+FFFD in their place (one code point each, so offsets hold).
        cols = {k: [_clean(v) for v in vs] for k, vs in cols.items()}
        return pa.Table.from_pydict(cols, schema=schema)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(v):
    if isinstance(v, str):
        return _SURROGATE.sub("\ufffd", v)
    if isinstance(v, list):
        return [_clean(x) for x in v]
    return v


def write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression=COMPRESSION)


def plan_digest(article_keys: Iterable[str], error_keys: Iterable[str]) -> str:
    """What a shard was planned to hold, as one hash (recorded in its manifest, checked at commit)."""
    h = hashlib.sha1()
    for k in sorted(set(article_keys)):
        h.update(b"a" + k.encode() + b"\n")
    for k in sorted(set(error_keys)):
        h.update(b"e" + k.encode() + b"\n")
    return h.hexdigest()[:20]


def write_shard(root: str | Path, sid: str, tables: dict[str, list[dict]], meta: dict | None = None, *,
                token: str | None = None, plan: dict | None = None) -> dict:
    """Write a shard's rows and commit it; return its manifest. A committed shard is not rewritten.

    ``tables`` maps table name to rows (dicts; partitioned tables' rows carry ``_part``).
    ``token`` fences the commit to one run (``fence.py``). ``plan`` (``{"articles": [{"key",
    "id", "origin", "date"}], "errors": [error rows], "digest": ...}``) is written beside the
    manifest: what the shard was given, for ``store verify`` and ``store repair``.
    """
    cat = Catalog(root)
    mpath = cat.shard_manifest_path(sid)
    if mpath.exists():
        try:
            return json.loads(mpath.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass      # damaged: commit again (store repair would otherwise redo it)
    from .catalog import store_io_error

    try:
        staging = cat.staging_dir(sid)
    except OSError as err:
        raise store_io_error(err, cat.root, "write into the store") from err
    staged: dict[str, Path] = {}
    files: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    try:
        for table, rows in tables.items():
            if not rows:
                continue
            schema = SHARD_TABLES[table]
            counts[table] = len(rows)
            if table in PARTITIONED:
                groups: dict[str, list[dict]] = {}
                for r in rows:
                    groups.setdefault(r["_part"], []).append(r)
            else:
                groups = {"": rows}
            for part, group in sorted(groups.items()):
                if table == "terms":
                    # sorted by term, so that row-group statistics let a search skip most of a file
                    group.sort(key=lambda r: (r["term"], r["article_key"]))
                rel = f"{table}/{part}/{sid}.parquet" if part else f"{table}/{sid}.parquet"
                # staged flat (one folder to remove afterwards, not a tree per partition)
                tmp = staging / f"{len(staged)}.parquet"
                write_parquet(to_table(group, schema), tmp)
                staged[rel] = tmp
                files.setdefault(table, []).append(rel)
        manifest = {"kind": "shard", "id": sid, "files": files, "rows": counts,
                    "schemas": {t: schema_fingerprint(SHARD_TABLES[t]) for t in files},
                    "created": now_utc().isoformat(), **(meta or {})}
        if token is not None:
            manifest["run"] = token
        if plan is not None:
            rel = f"{PLANS}/{sid}.json"
            tmp = staging / "plan.json"
            tmp.write_text(json.dumps({"id": sid, **plan}, sort_keys=True, ensure_ascii=True), encoding="utf-8")
            staged[rel] = tmp
            manifest["plan"] = {"file": rel, "digest": plan.get("digest"), "articles": len(plan.get("articles", [])),
                                "errors": len(plan.get("errors", []))}
        manifest = cat.commit(manifest, staged, token=token)
    except OSError as err:
        raise store_io_error(err, cat.root, "write the shard's files") from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def write_partitioned(table: pa.Table, dates: str | pa.Array, root: Path, prefix: str, name: str) -> list[str]:
    """Write an Arrow table as ``<prefix>/year=YYYY/month=M/<name>.parquet`` files, one per
    month of ``dates`` (a date column's name, or an array of dates; nulls go to the NULL
    partition); return the relative paths."""
    import pyarrow.compute as pc

    from .schema import partition_dir

    if table.num_rows == 0:
        return []
    col = table[dates] if isinstance(dates, str) else dates
    ym = pc.add(pc.multiply(pc.year(col), 100), pc.month(col))
    out = []
    for v in pc.unique(ym).to_pylist():
        if v is None:
            part = table.filter(pc.is_null(ym))
            d = None
        else:
            part = table.filter(pc.fill_null(pc.equal(ym, v), False))
            from datetime import date

            d = date(v // 100, v % 100, 1)
        rel = f"{prefix}/{partition_dir(d)}/{name}.parquet"
        write_parquet(part, root / rel)
        out.append(rel)
    return sorted(out)


def merge_partition_files(root: Path, rels: list[str], name: str = "part", sort_by: list[str] | None = None,
                          row_group_size: int | None = None) -> list[str]:
    """Merge files that share a folder into one ``<folder>/<name>.parquet``; folders with a single
    file keep it unless ``sort_by`` asks for an order. With ``sort_by`` each folder's rows are
    sorted (one month at a time, so memory is bounded by the largest month) and written in row
    groups of ``row_group_size``: row-group statistics then let readers skip most of a file for
    a selective filter on the leading sort columns (``dyad`` queries on countries)."""
    from collections import defaultdict

    groups: dict[str, list[str]] = defaultdict(list)
    for r in rels:
        groups[r.rsplit("/", 1)[0]].append(r)
    out = []
    for folder, paths in sorted(groups.items()):
        if len(paths) == 1 and not sort_by:
            out.append(paths[0])
            continue
        target = f"{folder}/{name}.parquet"
        tmp = root / f"{folder}/.{name}.parquet.tmp"
        if sort_by:
            table = pa.concat_tables([pq.read_table(root / p, partitioning=None) for p in sorted(paths)])
            table = table.sort_by([(c, "ascending") for c in sort_by])
            pq.write_table(table, tmp, compression=COMPRESSION, row_group_size=row_group_size)
        else:
            schema = pq.read_schema(root / paths[0])
            with pq.ParquetWriter(tmp, schema, compression=COMPRESSION) as w:
                for p in sorted(paths):
                    f = pq.ParquetFile(root / p)
                    for i in range(f.num_row_groups):
                        w.write_table(f.read_row_group(i))
        for p in paths:
            (root / p).unlink()
        tmp.replace(root / target)
        out.append(target)
    return out
