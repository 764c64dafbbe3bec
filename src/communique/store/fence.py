"""Fencing: a worker of an earlier run can never commit into a store another run now holds.

The coordinator that holds the store lock (``catalog.ingest_lock``: ingest, de-duplication,
compaction, repair) starts a *run*: a fresh token written to ``STORE/.run``. Every shard it
hands out carries that token, and a worker commits a shard only while holding the store's
*commit lock* (``STORE/.commit-lock``, an exclusive ``flock``) and only if ``.run`` still
holds its token. A new run rotates the token under the same lock, so once it has read what
the store holds, no worker of a dead coordinator (an orphaned pool process, a Dask task that
kept running after its client died) can add anything: its commit is refused, and its files
are removed as garbage. This is what makes ingest exactly-once when only the coordinator is
killed, whatever the workers are doing at that moment.

Commits hold the lock for a few renames and one small JSON write, so serialising them costs
nothing next to coding a shard. ``flock`` works on local file systems and on NFSv4/Lustre/GPFS
mounts with lock support (the shared store of a Dask cluster needs it, see docs/cluster.md).
"""

from __future__ import annotations

import errno
import json
import os
import socket
import uuid
from contextlib import contextmanager
from pathlib import Path

from ..errors import StoreError

RUN_FILE = ".run"
COMMIT_LOCK = ".commit-lock"


class FencedOut(StoreError):
    """A worker tried to commit a shard for a run that no longer holds the store."""


def _store_io_error(err: OSError, path: Path, doing: str) -> StoreError:
    return StoreError(f"cannot {doing} ({err.strerror or err})", str(path), writable_fix(err, path))


def writable_fix(err: OSError, path: Path) -> str:
    """What to do about an OSError met while writing into a store."""
    if err.errno == errno.ENOSPC:
        return "free some space on that disk (or use --store on another one), then run the same command again"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "make the store folder writable (or choose another one with --store), then run again"
    return "check the store folder and the disk, then run the same command again"


@contextmanager
def commit_lock(root: Path):
    """Hold the store's commit lock (exclusive) for the duration of the block."""
    import fcntl

    path = Path(root) / COMMIT_LOCK
    try:
        fh = open(path, "a+")
    except OSError as err:
        raise _store_io_error(err, path, "open the commit lock") from err
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        finally:
            fh.close()


def read_run(root: Path) -> dict | None:
    """The run that currently holds the store (``token``, ``pid``, ``host``), or None."""
    try:
        return json.loads((Path(root) / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def start_run(root: Path, what: str = "ingest") -> str:
    """Rotate the run token (fencing out every worker of earlier runs); return the new token.

    Call only while holding the store lock."""
    token = uuid.uuid4().hex
    root = Path(root)
    body = json.dumps({"token": token, "pid": os.getpid(), "host": socket.gethostname(), "what": what})
    tmp = root / f".run.{token[:8]}.tmp"
    with commit_lock(root):
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, root / RUN_FILE)
        except OSError as err:
            tmp.unlink(missing_ok=True)
            raise _store_io_error(err, root, "start a run in the store") from err
    return token


def check_run(root: Path, token: str | None, what: str) -> None:
    """Raise ``FencedOut`` unless ``token`` is the current run (None: no fencing asked for).

    Call only while holding the commit lock."""
    if token is None:
        return
    cur = read_run(root)
    if cur is None or cur.get("token") != token:
        holder = (f"run {cur.get('token', '?')[:8]} (pid {cur.get('pid')} on {cur.get('host')})"
                  if cur else "another run")
        raise FencedOut(f"{what} belongs to run {token[:8]}, but {holder} now holds the store; "
                        "it was not committed", str(root),
                        "nothing to do: the run that holds the store codes these articles itself")


__all__ = ["COMMIT_LOCK", "FencedOut", "RUN_FILE", "check_run", "commit_lock", "read_run", "start_run",
           "writable_fix"]
