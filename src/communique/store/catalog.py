"""Which Parquet files make up the store: manifests, atomic commits and clean-up.

A folder of Parquet files is only consistent if readers know which files are
complete. Every unit of work therefore ends with a small JSON *manifest* written
atomically (temporary file + ``os.replace``) into ``_manifests/``:

- ``shard-<id>.json``: the files one ingest shard wrote (all tables, all partitions).
  Files are written to ``_staging/`` first and moved into place before the manifest
  is written, so a shard is either committed (manifest present) or invisible.
- ``compact-<id>.json``: files that replace the files of the shards it lists.
- ``repair-<id>.json``: written by ``communique store repair``; like a compaction, it
  replaces the manifests it lists (keeping their intact files, adding re-derived ones).

Every manifest records the size and SHA-256 of each file it commits (``checksums``), so
``communique store verify`` can tell a damaged or missing file from a good one. A shard
manifest also names its *plan* (``_plans/<id>.json``: the articles the shard was given and
where they came from), which verification checks the stored rows against and repair uses
to code lost articles again from their inputs.

The *live* files of a table are those of the manifests no other manifest replaces. A crash
leaves at worst staging folders and unreferenced files, which ``collect_garbage`` removes
before the next ingest. Shard ids are content hashes, so the same work always has the same
name: re-running skips it. Commits are fenced (``fence.py``): a worker of an earlier run
cannot commit once another run holds the store.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from .._faults import fault_point
from ..errors import StoreError
from .fence import check_run, commit_lock, start_run, writable_fix
from .schema import STORE_VERSION

MANIFESTS = "_manifests"
STAGING = "_staging"
PLANS = "_plans"
QUARANTINE = "_quarantine"
REPAIRING = "_repairing"      # present while `store repair` runs: a stopped repair must be finished
DEDUP = "dedup"
# Manifests that replace others (their ``replaces`` list) and are themselves replaced by later ones.
REPLACING_KINDS = ("compaction", "repair")


def now_utc() -> datetime:
    return datetime.now(UTC)


def write_json_atomic(path: Path, obj) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(obj, fh, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def file_digest(path: Path) -> dict:
    """``{"bytes": size, "sha256": hex}`` of a file, as manifests record it."""
    h = hashlib.sha256()
    n = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            n += len(chunk)
    return {"bytes": n, "sha256": h.hexdigest()}


def fsync_file(path: Path) -> None:
    """Make a written file durable before a manifest points at it (a power cut must not leave a
    committed manifest naming a file whose bytes never reached the disk)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_io_error(err: OSError, path: Path | str, doing: str) -> StoreError:
    """An OSError met while writing the store, as an error that says what to do."""
    return StoreError(f"cannot {doing} ({err.strerror or err})", str(path), writable_fix(err, Path(path)))


def init_store(root: Path) -> dict:
    """Create the store folder (or check an existing one); return its ``store.json``."""
    if root.exists() and not root.is_dir():
        raise StoreError("the store path is a file, not a folder", str(root),
                         "give --store a folder (new or an existing store)")
    meta_path = root / "store.json"
    if not meta_path.exists():
        try:
            root.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as err:
            raise StoreError("the store path (or a folder above it) is a file, not a folder", str(root),
                             "give --store a folder (new or an existing store)") from err
        except OSError as err:
            raise store_io_error(err, root, "create the store folder") from err
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise StoreError(f"the store's description is damaged ({err})", str(meta_path),
                             verify_fix(root)) from None
        if not isinstance(meta, dict):
            raise StoreError("the store's description is damaged (not a JSON object)", str(meta_path),
                             verify_fix(root))
        if not isinstance(meta.get("store_version", 0), int):
            raise StoreError("the store's description is damaged (no store version)", str(meta_path),
                             verify_fix(root))
        if meta.get("store_version", 0) > STORE_VERSION:
            raise StoreError(f"the store was written by a newer communique (store version "
                             f"{meta.get('store_version')}, this one reads {STORE_VERSION})", str(root),
                             "upgrade communique")
        return meta
    from .._version import __version__

    meta = {"format": "communique-store", "store_version": STORE_VERSION, "schema": "communique/1",
            "created": now_utc().isoformat(), "created_by": f"communique {__version__}",
            "layout": "Hive-partitioned Parquet: <table>/year=YYYY/month=M/<shard>.parquet; see docs/cluster.md"}
    try:
        (root / MANIFESTS).mkdir(exist_ok=True)
        write_json_atomic(meta_path, meta)
    except OSError as err:
        raise store_io_error(err, root, "write into the store folder") from err
    return meta


class Catalog:
    """The manifests of one store folder."""

    def __init__(self, root: str | os.PathLike[str], strict: bool = True):
        """``strict=False`` (store verify and repair) skips damaged manifests instead of refusing."""
        self.root = Path(root)
        self.mdir = self.root / MANIFESTS
        self.strict = strict

    # -- reading -----------------------------------------------------------------------
    def manifests(self, read: tuple[list[dict], list[Path]] | None = None) -> list[dict]:
        """The readable manifests; with ``strict`` (the default) a damaged one is an error.
        ``read``: the result of ``read_manifests()`` when the caller has it already."""
        ms, bad = read if read is not None else self.read_manifests()
        if bad and self.strict:
            # A manifest is written atomically, so a broken one was damaged later: say so.
            raise StoreError("a manifest of the store is damaged (not readable JSON)", str(bad[0]),
                             verify_fix(self.root))
        return ms

    def read_manifests(self) -> tuple[list[dict], list[Path]]:
        """Every readable manifest, and the paths of those that are not (for verify and repair)."""
        if not self.mdir.is_dir():
            return [], []
        out, bad = [], []
        for p in sorted(self.mdir.glob("*.json")):
            try:
                m = json.loads(p.read_text(encoding="utf-8"))
                if not isinstance(m, dict) or "id" not in m or "kind" not in m:
                    raise ValueError("not a manifest")
                out.append(m)
            except (OSError, ValueError):
                bad.append(p)
        return out, bad

    def shard_manifest_path(self, shard_id: str) -> Path:
        return self.mdir / f"shard-{shard_id}.json"

    def has_shard(self, shard_id: str) -> bool:
        return self.shard_manifest_path(shard_id).exists()

    def live_manifests(self, manifests: list[dict] | None = None) -> list[dict]:
        """The manifests whose files are live: those no compaction or repair replaced."""
        ms = self.manifests() if manifests is None else manifests
        replaced = replaced_ids(ms)
        voided = voided_shards(ms)
        return [m for m in ms if m["id"] not in replaced and (m["id"], m.get("created")) not in voided]

    def live(self, manifests: list[dict] | None = None) -> dict[str, list[str]]:
        """Relative paths of the live files of every table."""
        files: dict[str, list[str]] = {}
        for m in self.live_manifests(manifests):
            for table, paths in m.get("files", {}).items():
                files.setdefault(table, []).extend(paths)
        for paths in files.values():
            paths.sort()
        return files

    def uniform(self, manifests: list[dict] | None = None) -> dict[str, bool]:
        """Per table: do all live files have one schema (so readers need not unify by name)?"""
        prints: dict[str, set] = {}
        for m in self.live_manifests(manifests):
            for table in m.get("files", {}):
                prints.setdefault(table, set()).add((m.get("schemas") or {}).get(table))
        return {t: len(v) == 1 and None not in v for t, v in prints.items()}

    def content_ids(self, manifests: list[dict] | None = None) -> list[str]:
        """What the stored rows are made of: every shard and every repair ever applied (a compaction
        only moves rows, so it is not part of it). De-duplication generations are named after it."""
        ms = self.manifests() if manifests is None else manifests
        ids = {m["id"] for m in ms if m.get("kind") in ("shard", "repair")}
        ids |= {r for m in ms for r in m.get("replaces", []) if str(r).startswith("r")}
        return sorted(ids)

    def live_shards(self, manifests: list[dict] | None = None) -> list[str]:
        ms = self.manifests() if manifests is None else manifests
        return sorted(m["id"] for m in ms if m.get("kind") == "shard")

    # -- writing -----------------------------------------------------------------------
    def staging_dir(self, name: str) -> Path:
        d = self.root / STAGING / f"{name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        d.mkdir(parents=True, exist_ok=True)
        return d

    def commit(self, manifest: dict, staged: dict[str, Path], token: str | None = None) -> dict:
        """Move staged files (relative path -> staged file) into place, then write the manifest.

        Records each file's size and checksum in the manifest. With ``token`` the commit is
        fenced (``fence.check_run``). A shard that is already committed is not committed again:
        the manifest in place is returned (two workers given the same shard write the same rows).
        """
        sums = dict(manifest.get("checksums") or {})
        try:
            for rel, src in staged.items():
                fsync_file(src)
                sums[rel] = file_digest(src)
        except OSError as err:
            raise store_io_error(err, self.root, "write the shard's files") from err
        manifest = {**manifest, "checksums": dict(sorted(sums.items()))}
        mpath = self.mdir / manifest_name(manifest)
        with commit_lock(self.root):
            check_run(self.root, token, f"{manifest['kind']} {manifest['id']}")
            if manifest["kind"] == "shard" and mpath.exists():
                try:
                    return json.loads(mpath.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    pass    # damaged: write it again from these identical files
            try:
                for rel, src in staged.items():
                    dst = self.root / rel
                    if not dst.parent.is_dir():
                        dst.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(src, dst)
                fault_point("commit:after-files")
                self.mdir.mkdir(parents=True, exist_ok=True)
                write_json_atomic(mpath, manifest)
            except OSError as err:
                raise store_io_error(err, self.root, "commit into the store") from err
        return manifest

    def collect_garbage(self) -> dict[str, int]:
        """Remove staging folders and files no live manifest references (after a crash or a
        compaction), and manifests a later compaction or repair made redundant. Call it only
        while holding the ingest lock."""
        removed = {"staging": 0, "files": 0, "dedup": 0, "manifests": 0}
        staging = self.root / STAGING
        if staging.is_dir():
            for d in staging.iterdir():
                shutil.rmtree(d, ignore_errors=True)
                removed["staging"] += 1
        if self.mdir.is_dir():
            for tmp in self.mdir.glob(".*.tmp"):     # a manifest write killed half-way
                tmp.unlink(missing_ok=True)
        ms = self.manifests()
        removed["manifests"] = self.drop_redundant_manifests(ms)
        if removed["manifests"]:
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
        plans = self.root / PLANS
        if plans.is_dir():
            shards = {m["id"] for m in ms if m.get("kind") == "shard"}
            for p in plans.glob("*.json"):
                if p.stem not in shards:          # the plan of a shard that never committed
                    p.unlink(missing_ok=True)
        dedup = self.root / DEDUP
        current = current_generation(self.root)
        if dedup.is_dir():
            # A generation may carry over files of earlier ones (unchanged months): a file is removed
            # only when the current generation does not reference it, and a folder when nothing in
            # it is referenced any more.
            keep_gen = generation_files(self.root, current)
            if current is not None:
                keep_gen.add(f"{DEDUP}/{current}/manifest.json")
            for d in sorted(dedup.iterdir()):
                if not d.is_dir():
                    continue
                used = d.name == current or any(p.startswith(f"{DEDUP}/{d.name}/") for p in keep_gen)
                if d.name == current and len(keep_gen) <= 1:
                    continue          # its manifest is unreadable: leave it to `store repair`
                if not used:
                    shutil.rmtree(d, ignore_errors=True)
                    removed["dedup"] += 1
                    continue
                for f in sorted(d.rglob("*"), reverse=True):
                    rel = f.relative_to(self.root).as_posix()
                    if f.is_file() and rel not in keep_gen:
                        f.unlink(missing_ok=True)
                        removed["dedup"] += 1
                    elif f.is_dir() and not any(f.iterdir()):
                        f.rmdir()
        return removed

    def drop_redundant_manifests(self, ms: list[dict]) -> int:
        """Delete compaction and repair manifests that a live one replaces (it lists everything
        they replaced), then the shard manifests a repair voided (shards whose lost articles may
        be ingested again under the same id)."""
        live = self.live_manifests(ms)
        live_replaces = {s for m in live for s in m.get("replaces", [])}
        n = 0
        for m in ms:
            if m.get("kind") in REPLACING_KINDS and m["id"] in live_replaces:
                (self.mdir / manifest_name(m)).unlink(missing_ok=True)
                n += 1
        voided = voided_shards(ms)
        for m in ms:
            if m.get("kind") == "shard" and (m["id"], m.get("created")) in voided:
                (self.mdir / manifest_name(m)).unlink(missing_ok=True)
                n += 1
        return n


def replaced_ids(ms: list[dict]) -> set[str]:
    """Ids of manifests whose files a compaction or repair replaced."""
    return {s for m in ms if m.get("kind") in REPLACING_KINDS for s in m.get("replaces", [])}


def voided_shards(ms: list[dict]) -> set[tuple[str, str | None]]:
    """Shard commits a repair took apart (``(id, created)``): their surviving rows live on in the
    repair's files, and a later shard of the same id (the lost articles ingested again) is new."""
    return {(v["id"], v.get("created")) for m in ms if m.get("kind") == "repair" for v in m.get("voids", [])}


def manifest_name(manifest: dict) -> str:
    kind = manifest["kind"]
    prefix = {"shard": "shard", "compaction": "compact", "repair": "repair"}.get(kind, kind)
    return f"{prefix}-{manifest['id']}.json"


def plan_path(root: Path, shard_id: str) -> Path:
    return Path(root) / PLANS / f"{shard_id}.json"


def verify_fix(root: Path | str) -> str:
    """The fix every store command gives for a damaged store."""
    return (f"run `communique store verify --store {root}` to see every problem, then "
            f"`communique store repair --store {root}`")


def current_generation(root: Path) -> str | None:
    """The current de-duplication generation (None when there is none, or CURRENT is damaged:
    ``store verify`` reports that, and ``communique dedup`` writes it again)."""
    p = Path(root) / DEDUP / "CURRENT"
    try:
        gen = p.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return gen if gen.startswith("g-") and "/" not in gen and len(gen) < 64 else None


def generation_files(root: Path, gen: str | None) -> set[str]:
    """The files (relative paths) the manifest of de-duplication generation ``gen`` references, in
    its own folder or carried over from an earlier generation's; empty when it has none readable
    (then nothing of it is protected: ``store verify`` reports a damaged generation)."""
    if gen is None:
        return set()
    try:
        m = json.loads((Path(root) / DEDUP / gen / "manifest.json").read_text(encoding="utf-8"))
        return {p for ps in (m.get("files") or {}).values() for p in ps}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()


@contextmanager
def ingest_lock(root: Path, what: str = "ingest"):
    """An exclusive lock on the store for one coordinator (ingest, dedup, compaction, repair).

    Taking it starts a new run (``fence.start_run``) and yields its token: workers of earlier
    runs can no longer commit. Workers do not take this lock: they add files under new names
    and commit manifests under the short commit lock.
    """
    import fcntl

    root = Path(root)
    if not root.is_dir():
        init_store(root)        # creates it, or says why it cannot (a file, no permission)
    path = root / ".lock"
    try:
        fh = open(path, "a+")
    except IsADirectoryError as err:
        raise StoreError("the store's lock file is a folder", str(path), "remove it, then run again") from err
    except OSError as err:
        raise store_io_error(err, root, "lock the store for writing") from err
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno in (errno.EAGAIN, errno.EACCES):
                raise StoreError("another ingest, de-duplication, compaction or repair is running on this store",
                                 str(root), "wait for it to finish (or stop it), then run again") from None
            raise store_io_error(err, root, "lock the store for writing") from err
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"{os.getpid()}\n")
            fh.flush()
        except OSError as err:
            raise store_io_error(err, root, "write the store's lock file") from err
        yield start_run(root, what)
    finally:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        finally:
            fh.close()
