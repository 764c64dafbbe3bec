"""Ingest with the real pipeline: a killed run resumed to exactly the full result, and the
process-pool and Dask engines (a LocalCluster of two workers) giving the same store as in-process.

These load the spaCy model (slow); the articles are cut short to keep them quick.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest

from communique.engines import ingest
from communique.store import open_store

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-c", "from communique.cli import main; main()"]


def short_corpus(path: Path, n: int, chars: int = 700) -> Path:
    sample = Path(str(resources.files("communique").joinpath("samples/wikinews-sample50.jsonl")))
    arts = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(path, "w", encoding="utf-8") as fh:
        for a in arts[:n]:
            a["text"] = a["text"][:chars]
            fh.write(json.dumps(a) + "\n")
        fh.write("this line is not JSON\n")
    return path


def snapshot(root: Path) -> dict:
    """Everything that must be identical between two stores of the same input (no timestamps)."""
    s = open_store(root)
    out = {
        "articles": s.sql("SELECT article_key, article_id, date, n_events FROM articles ORDER BY article_key"),
        "mentions": s.sql("SELECT mention_id, cameo, source_name, target_name, event_date FROM mentions "
                          "ORDER BY mention_id"),
        "events": s.sql("SELECT event_id, num_mentions, num_articles, num_sources, first_seen FROM events "
                        "ORDER BY event_id"),
        "links": s.sql("SELECT mention_id, event_id FROM links ORDER BY mention_id"),
        "quotes": s.sql("SELECT quote_id, span_text FROM quotes ORDER BY quote_id"),
        "errors": s.sql("SELECT error_key, origin, reason FROM errors ORDER BY error_key"),
        "distinct": s.scalar("SELECT count(*) = count(DISTINCT article_key) FROM articles"),
    }
    s.close()
    return out


def assert_same(a: dict, b: dict) -> None:
    for k in a:
        if k == "distinct":
            assert a[k] and b[k]
            continue
        assert a[k].equals(b[k]), f"table {k} differs"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return short_corpus(tmp_path_factory.mktemp("corpus") / "articles.jsonl", 40)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("ref") / "store"
    rep = ingest([str(corpus)], root, engine="inprocess", shard_size=3)
    assert rep.articles == 40 and rep.errors == 1
    return snapshot(root)


def test_a_killed_ingest_resumes_to_exactly_the_full_result(corpus, reference, tmp_path):
    root = tmp_path / "store"
    cmd = CLI + ["ingest", str(corpus), "--store", str(root), "--engine", "inprocess", "--shard-size", "3",
                 "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    manifests = root / "_manifests"
    deadline = time.time() + 600          # spaCy loads slowly on a busy machine
    while time.time() < deadline:
        if manifests.is_dir() and len(list(manifests.glob("shard-*.json"))) >= 3:
            break
        if proc.poll() is not None:
            pytest.fail(f"ingest ended before it could be killed: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)          # a real kill: no clean-up code runs
    proc.wait()
    committed = len(list(manifests.glob("shard-*.json")))
    assert 3 <= committed < 14, "the kill landed mid-run"
    partial = open_store(root)
    stored_before = partial.scalar("SELECT count(*) FROM articles")
    partial.close()
    assert 0 < stored_before < 40
    done = subprocess.run(cmd + ["--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["skipped"] == stored_before
    assert summary["articles"] + summary["skipped"] == 40
    assert not any((root / "_staging").glob("*"))
    assert_same(reference, snapshot(root))
    # and once more: nothing left to do
    again = subprocess.run(cmd + ["--json"], capture_output=True, text=True, timeout=300)
    assert json.loads(again.stdout)["articles"] == 0


def test_process_pool_gives_the_same_store(corpus, reference, tmp_path):
    rep = ingest([str(corpus)], tmp_path / "store", engine="processes", workers=2, shard_size=3)
    assert (rep.engine, rep.workers, rep.articles) == ("processes", 2, 40)
    assert len({s["pid"] for s in rep.summaries if s.get("pid")}) == 2, "both workers coded shards"
    assert_same(reference, snapshot(tmp_path / "store"))


def test_dask_local_cluster_with_two_workers_gives_the_same_store(corpus, reference, tmp_path):
    rep = ingest([str(corpus)], tmp_path / "store", engine="dask", workers=2, shard_size=3)
    assert (rep.engine, rep.workers, rep.articles, rep.errors) == ("dask", 2, 40, 1)
    assert len({s["pid"] for s in rep.summaries if s.get("pid")}) == 2, "both workers coded shards"
    assert_same(reference, snapshot(tmp_path / "store"))
