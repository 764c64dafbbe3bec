"""Which Parquet files make up the store: manifests, atomic commits and clean-up.

A folder of Parquet files is only consistent if readers know which files are
complete. Every unit of work therefore ends with a small JSON *manifest* written
atomically (temporary file + ``os.replace``) into ``_manifests/``:

- ``shard-<id>.json``: the files one ingest shard wrote (all tables, all partitions).
  Files are written to ``_staging/`` first and moved into place before the manifest
  is written, so a shard is either committed (manifest present) or invisible.
- ``compact-<id>.json``: files that replace the files of the shards it lists.

The *live* files of a table are those of the compaction manifests plus those of
the shard manifests that no compaction replaced. A crash leaves at worst staging
folders and unreferenced files, which ``collect_garbage`` removes before the next
ingest. Shard ids are content hashes, so the same work always has the same name:
re-running skips it.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ..errors import StoreError
from .schema import STORE_VERSION

MANIFESTS = "_manifests"
STAGING = "_staging"
DEDUP = "dedup"


def now_utc() -> datetime:
    return datetime.now(UTC)


def write_json_atomic(path: Path, obj) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def init_store(root: Path) -> dict:
    """Create the store folder (or check an existing one); return its ``store.json``."""
    root.mkdir(parents=True, exist_ok=True)
    meta_path = root / "store.json"
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise StoreError(f"store.json is unreadable ({err})", str(meta_path),
                             "restore it from a backup, or delete the folder and ingest again") from err
        if meta.get("store_version", 0) > STORE_VERSION:
            raise StoreError(f"the store was written by a newer communique (store version "
                             f"{meta.get('store_version')}, this one reads {STORE_VERSION})", str(root),
                             "upgrade communique")
        return meta
    from .._version import __version__

    meta = {"format": "communique-store", "store_version": STORE_VERSION, "schema": "communique/1",
            "created": now_utc().isoformat(), "created_by": f"communique {__version__}",
            "layout": "Hive-partitioned Parquet: <table>/year=YYYY/month=M/<shard>.parquet; see docs/cluster.md"}
    (root / MANIFESTS).mkdir(exist_ok=True)
    write_json_atomic(meta_path, meta)
    return meta


class Catalog:
    """The manifests of one store folder."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)
        self.mdir = self.root / MANIFESTS

    # -- reading -----------------------------------------------------------------------
    def manifests(self) -> list[dict]:
        if not self.mdir.is_dir():
            return []
        out = []
        for p in sorted(self.mdir.glob("*.json")):
            try:
                out.append(json.loads(p.read_text(encoding="utf-8")))
            except (OSError, json.JSONDecodeError):
                # A manifest is written atomically, so a broken one was damaged later: say so.
                raise StoreError("manifest is unreadable", str(p),
                                 "delete it and run the same ingest again (its shard will be redone)") from None
        return out

    def shard_manifest_path(self, shard_id: str) -> Path:
        return self.mdir / f"shard-{shard_id}.json"

    def has_shard(self, shard_id: str) -> bool:
        return self.shard_manifest_path(shard_id).exists()

    def live(self, manifests: list[dict] | None = None) -> dict[str, list[str]]:
        """Relative paths of the live files of every table."""
        ms = self.manifests() if manifests is None else manifests
        # a compaction lists every shard (and older compaction) whose files it replaces
        replaced = {s for m in ms if m.get("kind") == "compaction" for s in m.get("replaces", [])}
        files: dict[str, list[str]] = {}
        for m in ms:
            if m["id"] in replaced:
                continue
            for table, paths in m.get("files", {}).items():
                files.setdefault(table, []).extend(paths)
        for paths in files.values():
            paths.sort()
        return files

    def uniform(self, manifests: list[dict] | None = None) -> dict[str, bool]:
        """Per table: do all live files have one schema (so readers need not unify by name)?"""
        ms = self.manifests() if manifests is None else manifests
        replaced = {s for m in ms if m.get("kind") == "compaction" for s in m.get("replaces", [])}
        prints: dict[str, set] = {}
        for m in ms:
            if m["id"] in replaced:
                continue
            for table in m.get("files", {}):
                prints.setdefault(table, set()).add((m.get("schemas") or {}).get(table))
        return {t: len(v) == 1 and None not in v for t, v in prints.items()}

    def live_shards(self, manifests: list[dict] | None = None) -> list[str]:
        ms = self.manifests() if manifests is None else manifests
        return sorted(m["id"] for m in ms if m.get("kind") == "shard")

    # -- writing -----------------------------------------------------------------------
    def staging_dir(self, name: str) -> Path:
        d = self.root / STAGING / f"{name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        d.mkdir(parents=True, exist_ok=True)
        return d

    def commit(self, manifest: dict, staged: dict[str, Path]) -> None:
        """Move staged files (relative path -> staged file) into place, then write the manifest."""
        for rel, src in staged.items():
            dst = self.root / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
        self.mdir.mkdir(parents=True, exist_ok=True)
        write_json_atomic(self.mdir / manifest_name(manifest), manifest)

    def collect_garbage(self) -> dict[str, int]:
        """Remove staging folders and files no live manifest references (after a crash or a
        compaction). Call it only while holding the ingest lock."""
        removed = {"staging": 0, "files": 0, "dedup": 0}
        staging = self.root / STAGING
        if staging.is_dir():
            for d in staging.iterdir():
                shutil.rmtree(d, ignore_errors=True)
                removed["staging"] += 1
        ms = self.manifests()
        keep = {p for paths in self.live(ms).values() for p in paths}
        for table_dir in self.root.iterdir():
            if not table_dir.is_dir() or table_dir.name.startswith(("_", ".")) or table_dir.name == DEDUP:
                continue
            for f in table_dir.rglob("*.parquet"):
                rel = f.relative_to(self.root).as_posix()
                if rel not in keep:
                    f.unlink(missing_ok=True)
                    removed["files"] += 1
        dedup = self.root / DEDUP
        current = current_generation(self.root)
        if dedup.is_dir():
            for d in dedup.iterdir():
                if d.is_dir() and d.name != current:
                    shutil.rmtree(d, ignore_errors=True)
                    removed["dedup"] += 1
        return removed


def manifest_name(manifest: dict) -> str:
    return f"shard-{manifest['id']}.json" if manifest["kind"] == "shard" else f"compact-{manifest['id']}.json"


def current_generation(root: Path) -> str | None:
    p = Path(root) / DEDUP / "CURRENT"
    try:
        return p.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


@contextmanager
def ingest_lock(root: Path):
    """An exclusive lock on the store for one coordinator (ingest, dedup, compaction).

    Workers do not take it: they only add files under new names and commit manifests.
    """
    import fcntl

    root.mkdir(parents=True, exist_ok=True)
    path = root / ".lock"
    fh = open(path, "a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno in (errno.EAGAIN, errno.EACCES):
                raise StoreError("another ingest, de-duplication or compaction is running on this store",
                                 str(root), "wait for it to finish (or stop it), then run again") from None
            raise
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield
    finally:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        finally:
            fh.close()
