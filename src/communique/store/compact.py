"""Compaction: many small per-shard Parquet files become one file per table and partition.

Ingest writes one file per shard, table and month, which is what lets many
workers write at once; queries prefer few large files. Compaction reads every
partition that has more than one live file, streams those files into one new file
``c-<id>.parquet`` and commits a compaction manifest that lists every shard and
older compaction it replaces. Partitions that already have a single file keep it.
Until the manifest is written, readers see the old files; after it, the new ones;
the replaced files are deleted afterwards (``Catalog.collect_garbage``).
"""

from __future__ import annotations

import hashlib
import shutil
from collections import defaultdict

import pyarrow as pa
import pyarrow.parquet as pq

from .catalog import Catalog, now_utc, replaced_ids
from .writer import COMPRESSION, schema_fingerprint


def compact(root, min_files: int = 2) -> dict:
    cat = Catalog(root)
    ms = cat.manifests()
    live_ms = cat.live_manifests(ms)
    live = cat.live(ms)
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for table, paths in live.items():
        for p in paths:
            groups[(table, p.rsplit("/", 1)[0])].append(p)
    if not any(len(ps) >= min_files for ps in groups.values()):
        return {"compacted": False, "files_before": sum(len(v) for v in groups.values()),
                "files_after": sum(len(v) for v in groups.values())}
    replaces = sorted({m["id"] for m in live_ms} | replaced_ids(ms))
    cid = "c" + hashlib.sha1("\n".join(replaces).encode()).hexdigest()[:20]
    staging = cat.staging_dir(cid)
    staged = {}
    files: dict[str, list[str]] = defaultdict(list)
    rows: dict[str, int] = defaultdict(int)
    prints: dict[str, set] = defaultdict(set)
    try:
        for (table, folder), paths in sorted(groups.items()):
            if len(paths) < min_files:
                files[table].extend(paths)   # kept as is; still live through this manifest
                prints[table].add(schema_fingerprint(pq.read_schema(cat.root / paths[0])))
                continue
            schema = pa.unify_schemas([pq.read_schema(cat.root / p) for p in paths])
            prints[table].add(schema_fingerprint(schema))
            rel = f"{folder}/{cid}.parquet"
            tmp = staging / rel
            tmp.parent.mkdir(parents=True, exist_ok=True)
            with pq.ParquetWriter(tmp, schema, compression=COMPRESSION) as w:
                for p in paths:
                    t = pq.read_table(cat.root / p, partitioning=None)
                    for f in schema:
                        if f.name not in t.column_names:
                            t = t.append_column(f, pa.nulls(t.num_rows, f.type))
                    w.write_table(t.select(schema.names).cast(schema))
                    rows[table] += t.num_rows
            staged[rel] = tmp
            files[table].append(rel)
        manifest = {"kind": "compaction", "id": cid, "replaces": replaces,
                    "files": {t: sorted(v) for t, v in files.items()}, "rows": dict(rows),
                    "schemas": {t: next(iter(v)) if len(v) == 1 else None for t, v in prints.items()},
                    "created": now_utc().isoformat()}
        # files kept as they are keep the checksums their own commit recorded
        kept = {p for paths in files.values() for p in paths} - set(staged)
        manifest["checksums"] = {p: d for m in live_ms for p, d in (m.get("checksums") or {}).items() if p in kept}
        cat.commit(manifest, staged)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # older compaction and repair manifests are now fully described by this one
    cat.drop_redundant_manifests(cat.manifests())
    before = sum(len(v) for v in groups.values())
    return {"compacted": True, "id": cid, "files_before": before,
            "files_after": sum(len(v) for v in files.values())}
