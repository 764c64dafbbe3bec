"""Shared pieces of the reliability suite: a corpus, a clean reference store, snapshots, kills.

Every test here ends the same way: the store it broke (by killing ingest, damaging files,
filling the disk or feeding hostile input) is compared with a store built by one clean run
of the same input, table by table, id by id (``snapshot``/``assert_same_store``), and
``store verify`` must find nothing wrong. The stand-in pipeline (``fakes.py``) keeps runs fast;
tests/integration/test_ingest_engines.py does the same with the spaCy pipeline.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from communique.engines import ingest
from communique.store import open_store
from communique.store.verify import verify

from .fakes import FACTORY

REPO = Path(__file__).resolve().parents[2]
N_ARTICLES = 96


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/reliability/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.reliability)
            item.add_marker(pytest.mark.slow)


def write_corpus(path: Path, n: int = N_ARTICLES) -> Path:
    """``n`` articles over two months (two partitions), two of them repeated, one line not JSON, one
    article the stand-in pipeline fails on."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Alpha{i % 7} met Beta{i % 5} in town {i}. Then Gamma met Delta{i % 3}."
            if i == 17:
                text += " BOOM"
            fh.write(json.dumps({"id": f"a{i}", "text": text, "date": f"2025-0{1 + i % 2}-{1 + i % 28:02d}",
                                 "source": f"src{i % 4}"}) + "\n")
            if i in (5, 50):
                # the same article again (same id and source; the same text under another id or
                # source would be another outlet's report of it: another article)
                fh.write(json.dumps({"id": f"a{i}", "text": text, "date": "2025-01-01", "source": f"src{i % 4}"}) + "\n")
        fh.write("this line is not JSON\n")
    return path


def snapshot(root: Path) -> dict:
    """Everything two stores of the same input must share: ids and row counts of every table."""
    s = open_store(root)
    out = {
        "articles": s.sql("SELECT article_key, article_id, origin, date, n_events, n_actors FROM articles "
                          "ORDER BY article_key"),
        "mentions": s.sql("SELECT mention_id, source_name, target_name, cameo FROM mentions ORDER BY 1"),
        "actors": s.sql("SELECT actor_mention_id FROM actors ORDER BY 1"),
        "terms": s.sql("SELECT term, article_key, tf FROM terms ORDER BY 1, 2"),
        "events": s.sql("SELECT event_id, num_mentions, num_articles FROM events ORDER BY 1"),
        "links": s.sql("SELECT mention_id, event_id FROM links ORDER BY 1"),
        # error rows of attempts that later succeeded stay as history (resolved); what is still wrong
        # must be the same
        "errors": s.sql("SELECT error_key, stage, origin FROM errors WHERE NOT resolved ORDER BY 1"),
    }
    s.close()
    return out


def assert_same_store(reference: dict, root: Path) -> None:
    got = snapshot(root)
    for table, ref in reference.items():
        assert len(got[table]) == len(ref), f"{table}: {len(got[table])} rows, clean run {len(ref)}"
        assert got[table].equals(ref), f"table {table} differs from the clean run"
    rep = verify(root)
    assert rep.ok, [p.message() for p in rep.problems]
    assert not any((root / "_staging").glob("*")), "staging left behind"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "articles.jsonl")


@pytest.fixture(scope="session")
def reference(corpus, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("reference") / "store"
    rep = ingest([str(corpus)], root, engine="inprocess", factory=FACTORY)
    assert rep.articles == N_ARTICLES - 1 and rep.errors == 2     # BOOM and the line that is not JSON
    return snapshot(root)


def env(**extra: str) -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(REPO) + os.pathsep + e.get("PYTHONPATH", "")
    e.setdefault("COMMUNIQUE_FAKE_DELAY", "0.01")
    e.update(extra)
    return e


def start_ingest(corpus: Path, root: Path, engine: str, faults: str = "", shard_size: int | None = None,
                 once: Path | None = None):
    cmd = [sys.executable, "-m", "tests.reliability.run_ingest", str(corpus), str(root), engine]
    if shard_size:
        cmd.append(str(shard_size))
    extra = {"COMMUNIQUE_FAULTS": faults}
    if once is not None:
        extra["COMMUNIQUE_FAULTS_ONCE"] = str(once)
    return subprocess.Popen(cmd, cwd=REPO, env=env(**extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def run_ingest(corpus: Path, root: Path, engine: str = "inprocess", timeout: float = 300,
               shard_size: int | None = None) -> dict:
    proc = start_ingest(corpus, root, engine, shard_size=shard_size)
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err.decode()[-3000:]
    return json.loads(out.decode().strip().splitlines()[-1])


def committed(root: Path) -> int:
    d = root / "_manifests"
    return len(list(d.glob("shard-*.json"))) if d.is_dir() else 0


def wait_for_shards(proc, root: Path, n: int, timeout: float = 180) -> bool:
    """Wait until ``n`` shards are committed; False if the run ended first."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if committed(root) >= n:
            return proc.poll() is None
        if proc.poll() is not None:
            return False
        time.sleep(0.01)
    raise AssertionError(f"no {n} shards committed within {timeout}s")


def group_pids(pgid: int) -> list[int]:
    """Live processes of the process group (the coordinator and its workers)."""
    import psutil

    out = []
    for p in psutil.process_iter(["pid"]):
        try:
            if os.getpgid(p.pid) == pgid and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p.pid)
        except (ProcessLookupError, psutil.Error, OSError):
            continue
    return out


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)           # signal 0: is anyone left in the group?
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def wait_group_gone(pgid: int, timeout: float = 10) -> list[int]:
    """Wait for every process of the group to end; the ones left after ``timeout``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not group_alive(pgid):
            return []
        time.sleep(0.05)
    return group_pids(pgid)


def kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
