"""A full disk: ingest stops with a message that says what happened and what to do, leaves only
complete shards, and the same command, once there is space, finishes with the clean store.

Two ways: a write hook that fails every Parquet write after the first few with ENOSPC (always
runs), and a real 1.2 MB file system (tmpfs; needs root, as on CI).
"""

from __future__ import annotations

import errno
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.engines import ingest
from communique.engines import work as W
from communique.errors import StoreError
from communique.store import writer
from communique.store.verify import verify

from .conftest import assert_same_store
from .fakes import FACTORY, FakePipeline


def test_no_space_left_stops_cleanly_and_the_rerun_finishes(corpus, reference, tmp_path, monkeypatch):
    root = tmp_path / "store"
    real = writer.write_parquet
    calls = {"n": 0}

    def full_after_40(table, path):
        calls["n"] += 1
        if calls["n"] > 40:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(table, path)

    monkeypatch.setattr(writer, "write_parquet", full_after_40)
    with pytest.raises(StoreError, match="No space left on device") as info:
        ingest([str(corpus)], root, engine="inprocess", factory=FACTORY)
    assert "free some space" in str(info.value)
    assert verify(root).problems == [] or all(p.kind == "stale-dedup" for p in verify(root).problems)
    assert not any((root / "_staging").glob("*"))
    monkeypatch.setattr(writer, "write_parquet", real)
    ingest([str(corpus)], root, engine="inprocess", factory=FACTORY)
    assert_same_store(reference, root)


def test_the_cli_says_the_disk_is_full_without_a_traceback(corpus, tmp_path, monkeypatch):
    monkeypatch.setitem(W.PIPELINES, W.PipelineSpec().key(), FakePipeline())

    def full(table, path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(writer, "write_parquet", full)
    r = CliRunner().invoke(app, ["ingest", str(corpus), "--store", str(tmp_path / "s"), "--engine", "inprocess",
                                 "--no-progress"])
    assert r.exit_code == 2
    assert "No space left on device" in r.stderr and "free some space" in r.stderr
    assert r.exception is None or isinstance(r.exception, SystemExit)


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def test_a_small_file_system_fills_up_and_the_rerun_finishes_once_it_grows(corpus, reference, tmp_path):
    mnt = tmp_path / "small"
    if shutil.which("mount") is None or not _mount_tmpfs(mnt, "1200k"):
        pytest.skip("cannot mount a small tmpfs here (needs root); the write-hook test covers ENOSPC")
    try:
        root = mnt / "store"
        with pytest.raises(StoreError, match="No space left on device"):
            ingest([str(corpus)], root, engine="inprocess", factory=FACTORY, shard_size=4)
        partial = verify(root)
        assert all(p.kind in ("stale-dedup",) for p in partial.problems), [p.message() for p in partial.problems]
        subprocess.run(["mount", "-o", "remount,size=32m", str(mnt)], check=True, timeout=30)
        ingest([str(corpus)], root, engine="inprocess", factory=FACTORY, shard_size=4)
        assert_same_store(reference, root)
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True, timeout=30)
