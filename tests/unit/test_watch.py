"""`communique watch` pieces that need no spaCy: which files are new, the state file, the lock, the log line,
the CLI's refusals. The whole loop (with the pipeline, a feed server and SIGTERM) is in
tests/integration/test_web_ingest.py."""

from __future__ import annotations

import json
import os
import time

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.errors import StoreError
from communique.fetch.watch import CycleReport, WatchConfig, Watcher


def test_changed_files_waits_for_settled_known_formats(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    old = time.time() - 60
    for name in ("a.txt", "sub/b.jsonl", "c.html", "d.warc.gz", "partial.part", ".hidden.txt"):
        (inbox / name).write_text("x", encoding="utf-8")
        os.utime(inbox / name, (old, old))
    (inbox / "fresh.txt").write_text("still being written", encoding="utf-8")
    w = Watcher(WatchConfig(store=tmp_path / "store", folders=[inbox], settle=5.0))
    names = sorted(p.name for p, _ in w._changed_files())
    assert names == ["a.txt", "b.jsonl", "c.html", "d.warc.gz"]
    for p, sig in w._changed_files():
        w.state["files"][str(p)] = sig
    assert w._changed_files() == []
    (inbox / "a.txt").write_text("changed", encoding="utf-8")
    os.utime(inbox / "a.txt", (old + 1, old + 1))
    assert [p.name for p, _ in w._changed_files()] == ["a.txt"]


def test_state_survives_a_restart_and_a_damaged_file(tmp_path):
    w = Watcher(WatchConfig(store=tmp_path / "store"))
    w.state["feeds"]["https://a.example/feed"] = {"etag": '"x"'}
    w._save_state()
    assert Watcher(WatchConfig(store=tmp_path / "store")).state["feeds"]["https://a.example/feed"]["etag"] == '"x"'
    (tmp_path / "store" / "watch" / "state.json").write_text("{not json", encoding="utf-8")
    assert Watcher(WatchConfig(store=tmp_path / "store")).state["cycles"] == 0


def test_one_watcher_per_store(tmp_path):
    a = Watcher(WatchConfig(store=tmp_path / "store"))
    a.lock()
    with pytest.raises(StoreError, match="another `communique watch` is running"):
        Watcher(WatchConfig(store=tmp_path / "store")).lock()
    a.unlock()
    Watcher(WatchConfig(store=tmp_path / "store")).lock()


def test_cycle_line():
    r = CycleReport(cycle=3, started="2026-12-07T04:15:00+00:00", seconds=4.24, feeds=5, feeds_failed=1,
                    feeds_unchanged=2, links=37, files=1, articles=35, rejected=3, events=140, new_events=12,
                    updates=["a", "b"])
    assert r.line() == ("2026-12-07 04:15:00 cycle 3: feeds 5 (1 failed, 2 unchanged), 37 new URLs, 1 new files, "
                        "35 articles coded, 3 rejected, 140 events (+12), 2 update files, 4.2 s")
    assert json.loads(json.dumps(r.__dict__))["cycle"] == 3


@pytest.mark.parametrize(("args", "message"), [
    (["watch", "--store", "s"], "nothing to watch"),
    (["watch", "--feed", "missing-feeds.txt"], "no such feed list"),
    (["watch", "--folder", "missing-dir"], "no such folder"),
])
def test_watch_refuses_what_it_cannot_watch(tmp_path, args, message):
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2 and message in res.output


def test_ingest_needs_inputs_or_feeds(tmp_path):
    res = CliRunner().invoke(app, ["ingest", "--store", str(tmp_path / "s")])
    assert res.exit_code == 2 and "nothing to ingest" in res.output
