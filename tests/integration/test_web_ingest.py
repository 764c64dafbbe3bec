"""Web inputs end to end with the real pipeline: a WARC ingest killed and resumed (no duplicates, nothing
missing, stored records not extracted again), `code` on pages and URL lists, and `communique watch`
as a real process against a local feed server, stopped with SIGTERM and restarted.

These load the spaCy model (slow).
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

from communique.store import open_store
from tests.fixtures.pages import corpus, page
from tests.fixtures.server import Route, Server, rss
from tests.fixtures.warcs import Rec, fixture_records, write_warc

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-c", "from communique.cli import main; main()"]
HTML = Path(__file__).resolve().parents[1] / "fixtures" / "html"


def _short_pages(n: int) -> list[Rec]:
    """Pages of short corpus articles (quick to code) in the four layouts."""
    out = []
    for k, a in enumerate(corpus(60)[10:10 + n]):
        a = dict(a, text="\n\n".join(a["text"].split("\n\n")[:2])[:700])
        url, html = page(a, k)
        out.append(Rec(url, html.encode()))
    return out


def _run(args, **kw):
    return subprocess.run(CLI + args, capture_output=True, text=True, timeout=600, **kw)


def test_a_killed_warc_ingest_resumes_without_duplicates_or_losses(tmp_path):
    records = _short_pages(16) + fixture_records()[:3]
    warc = write_warc(tmp_path / "crawl.warc.gz", records)
    root = tmp_path / "store"
    cmd = CLI + ["ingest", str(warc), "--store", str(root), "--engine", "inprocess", "--shard-size", "2",
                 "--no-progress", "--no-dedup"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    manifests = root / "_manifests"
    deadline = time.time() + 300
    while time.time() < deadline:
        if manifests.is_dir() and len(list(manifests.glob("shard-*.json"))) >= 2:
            break
        if proc.poll() is not None:
            pytest.fail(f"ingest ended before it could be killed: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    s = open_store(root)
    before = s.scalar("SELECT count(*) FROM articles")
    s.close()
    assert 0 < before < 18
    done = subprocess.run(cmd + ["--json"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    # the records stored before the kill were recognised by their origin, not extracted again
    assert summary["skipped_inputs"]["warc:already-stored"] >= before
    s = open_store(root)
    assert s.scalar("SELECT count(*) FROM articles") == 18             # 16 + 2 English fixtures
    assert s.scalar("SELECT count(*) - count(DISTINCT article_key) FROM articles") == 0
    assert s.scalar("SELECT count(*) - count(DISTINCT origin) FROM articles") == 0
    errors = s.sql("SELECT origin, reason FROM errors")
    assert len(errors) == 1 and errors["reason"][0].startswith("language fr")     # the French fixture, once
    langs = s.sql("SELECT DISTINCT language FROM articles")["language"].tolist()
    assert langs == ["en"]
    s.close()
    again = json.loads(subprocess.run(cmd + ["--json"], capture_output=True, text=True, timeout=600).stdout)
    assert again["articles"] == 0 and again["errors"] == 0


def test_code_reads_pages_archives_and_url_lists(tmp_path):
    with Server() as server:
        server.routes["/story"] = Route((HTML / "northwind-iran-jet.html").read_bytes())
        urls = tmp_path / "urls.txt"
        urls.write_text(server.url("/story") + "\n", encoding="utf-8")
        warc = write_warc(tmp_path / "one.warc.gz", fixture_records()[4:5])
        res = _run(["code", str(HTML / "ledger-syria-kurds.html"), str(urls), str(warc), str(HTML / "french-budget.html")])
    assert res.returncode == 0, res.stderr
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(recs) == 3
    syria, iran, hk = recs
    assert syria["article"]["date"] == "2019-10-15" and syria["article"]["author"] == "Maria Okafor"
    assert syria["article"]["extraction"]["input"] == "html" and syria["article"]["language"] == "en"
    assert iran["article"]["extraction"]["input"] == "web" and iran["article"]["source_domain"] == "127.0.0.1"
    assert hk["article"]["extraction"]["input"] == "warc"
    assert any(e["cameo"].startswith(("1", "0")) for e in syria["events"])
    assert "language fr, not en" in res.stderr and "1 in another language (fr 1)" in res.stderr
    assert "sources/outlets.tsv" in syria["coder"]["kb"]


def _wait_for(pred, timeout: float, proc=None, what: str = ""):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"watch ended early ({what}): {proc.stderr.read().decode()[-3000:]}")
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def _cycles(root: Path) -> list[dict]:
    log = root / "watch" / "log.jsonl"
    return [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []


def test_watch_polls_feeds_and_folders_survives_failures_and_stops_cleanly(tmp_path):
    pages = _short_pages(4)
    with Server() as server:
        for i, p in enumerate(pages):
            server.routes[f"/a{i}"] = Route(p.body)
        server.routes["/feed.xml"] = Route(rss([("a0", server.url("/a0"), "Mon, 01 Jan 2024 10:00:00 GMT"),
                                                ("a1", server.url("/a1"), "Mon, 01 Jan 2024 10:00:00 GMT"),
                                                ("bad", server.url("/missing"), "Mon, 01 Jan 2024 10:00:00 GMT")]),
                                           content_type="application/rss+xml", etag='"1"')
        server.routes["/down.xml"] = Route(b"", fail_times=10**6, fail_status=500)
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(f"{server.url('/feed.xml')}\n{server.url('/down.xml')}\n", encoding="utf-8")
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        root, updates = tmp_path / "store", tmp_path / "updates"
        cmd = CLI + ["watch", "--store", str(root), "--feed", str(feeds), "--folder", str(inbox), "--every", "0.02",
                     "--updates", str(updates), "--settle", "0", "--delay", "0", "--timeout", "2"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            _wait_for(lambda: len(_cycles(root)) >= 1, 300, proc, "the first cycle")
            first = _cycles(root)[0]
            assert first["articles"] == 2 and first["feeds"] == 2 and first["feeds_failed"] == 1
            assert first["rejected"] >= 2 and first["error"] is None     # the 404 page and the failing feed
            # new input arrives: a feed entry and a file in the folder
            server.routes["/feed.xml"] = Route(rss([("a0", server.url("/a0"), ""), ("a2", server.url("/a2"), "")]),
                                               content_type="application/rss+xml", etag='"2"')
            (inbox / "story.html").write_bytes(pages[3].body)
            _wait_for(lambda: sum(c["articles"] for c in _cycles(root)) >= 4, 300, proc, "the new articles")
            _wait_for(lambda: len(_cycles(root)) >= 4, 120, proc, "an idle cycle")
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, err.decode()[-3000:]
        text = err.decode()
        assert "SIGTERM: stopping" in text and "stopped after" in text
        assert text.count(" cycle ") >= 4                      # one line per cycle
        assert len(server.hits_of("/a0")) == 1                 # a stored URL is never fetched again
        assert server.hits_of("/feed.xml")[-1].headers.get("If-None-Match") == '"2"'
        s = open_store(root)
        assert s.scalar("SELECT count(*) FROM articles") == 4
        assert s.scalar("SELECT count(*) FROM events") > 0
        s.close()
        state = json.loads((root / "watch" / "state.json").read_text())
        assert state["feeds"][server.url("/down.xml")]["failures"] >= 3
        assert str(inbox / "story.html") in state["files"]
        assert (updates / "lastupdate.txt").exists() and list(updates.glob("*.mentions.CSV.zip"))
        # a restart goes on where it stopped: nothing fetched or coded again
        hits = len(server.hits)
        res = _run(["watch", "--store", str(root), "--feed", str(feeds), "--folder", str(inbox), "--once",
                    "--settle", "0", "--delay", "0", "--timeout", "2"])
        assert res.returncode == 0, res.stderr
        assert "0 articles coded" in res.stderr and "(1 failed, 1 unchanged)" in res.stderr
        new_paths = {h.path for h in server.hits[hits:]}
        assert new_paths <= {"/robots.txt", "/feed.xml", "/down.xml", "/missing"}
