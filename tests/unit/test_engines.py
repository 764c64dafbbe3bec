"""The ingest coordinator and executors, with a stand-in pipeline (no spaCy), so these are fast.

The spaCy-backed runs (process pool, Dask LocalCluster, a real kill and resume) are in
tests/integration/test_ingest_engines.py.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.engines import InProcessExecutor, PipelineSpec, TaskFailed, ingest, plan_shards
from communique.engines import work as W
from communique.records import (
    Article,
    ArticleMeta,
    Event,
    Participant,
    Plover,
    Record,
    Rejected,
    SentenceSpan,
    Span,
)
from communique.store import open_store

MET = re.compile(r"([A-Z]\w+) met ([A-Z]\w+)")


class FakePipeline:
    """Codes "X met Y" as CAMEO 042 X -> Y; fails on articles containing BOOM."""

    def __init__(self):
        self.calls = 0

    def code_articles(self, arts):
        for art in arts:
            self.calls += 1
            if "BOOM" in art.text:
                raise RuntimeError("cannot parse this article")
            events = []
            for i, m in enumerate(MET.finditer(art.text), start=1):
                s, t = m.span(1), m.span(2)
                events.append(Event(
                    id=f"e{i}", sentence=SentenceSpan(start=0, end=len(art.text)),
                    trigger=Span(start=s[1] + 1, end=s[1] + 4, text="met"),
                    source=Participant(span=Span(start=s[0], end=s[1], text=m[1]), name=m[1]),
                    target=Participant(span=Span(start=t[0], end=t[1], text=m[2]), name=m[2]),
                    cameo="042", cameo_root="04", plover=Plover(event="CONSULT"), goldstein=1.9, quad_class=1,
                    date=art.date, date_from="article", confidence=0.7))
            yield Record(article=ArticleMeta(id=art.id, date=art.date, source=art.source), events=events)


@pytest.fixture
def fake(monkeypatch):
    pipe = FakePipeline()
    monkeypatch.setitem(W.PIPELINES, W.PipelineSpec().key(), pipe)
    return pipe


def articles(n: int, start: int = 0) -> list[Article]:
    return [Article(text=f"Alpha met Beta{i % 3} on day {i}.", id=f"a{i}", date=f"2025-08-{1 + i % 28:02d}",
                    source=f"src{i % 2}", origin=f"mem:{i}") for i in range(start, start + n)]


def test_plan_shards_is_deterministic_and_skips_stored_and_repeated_articles():
    arts = articles(10)
    items = arts[:5] + [Rejected("f.jsonl:3", "invalid JSON")] + arts[5:] + [arts[0]]
    spec = PipelineSpec()
    c1, c2 = {}, {}
    s1 = list(plan_shards(items, "/x", set(), set(), 4, spec, c1))
    s2 = list(plan_shards(items, "/x", set(), set(), 4, spec, c2))
    assert [s.id for s in s1] == [s.id for s in s2]
    assert [len(s.articles) for s in s1] == [4, 4, 2]
    assert c1["skipped"] == 1                                   # arts[0] repeated
    assert sum(len(s.errors) for s in s1) == 1 and s1[1].errors[0]["stage"] == "read"
    stored = {W.key_of(a) for a in arts[:4]}
    s3 = list(plan_shards(items, "/x", stored, set(), 4, spec, {}))
    assert sum(len(s.articles) for s in s3) == 6


def test_ingest_is_idempotent(tmp_path, fake):
    root = tmp_path / "s"
    r1 = ingest(articles(20), root, engine="inprocess", shard_size=6)
    assert (r1.articles, r1.shards, r1.errors) == (20, 4, 0)
    r2 = ingest(articles(20), root, engine="inprocess", shard_size=6)
    assert (r2.articles, r2.skipped) == (0, 20)
    s = open_store(root)
    assert s.scalar("SELECT count(*) FROM articles") == 20
    assert s.scalar("SELECT count(DISTINCT article_key) FROM articles") == 20
    # one real meeting per (Beta, day): articles i and i+28 share a day... here all distinct days
    assert s.scalar("SELECT count(*) FROM mentions") == 20
    r3 = ingest(articles(25), root, engine="inprocess", shard_size=6)
    assert (r3.articles, r3.skipped) == (5, 20)


def test_failures_are_recorded_with_their_reason_and_the_rest_is_coded(tmp_path, fake):
    arts = articles(6)
    arts[2] = Article(text="Alpha met Beta but BOOM.", id="bad", date="2025-08-03", origin="mem:bad")
    bad_json = Rejected("in.jsonl:7", "invalid JSON (Expecting value at column 1)", "fix the line")
    r = ingest(arts + [bad_json], tmp_path / "s", engine="inprocess", shard_size=4)
    assert (r.articles, r.errors) == (5, 2)
    s = open_store(tmp_path / "s")
    errs = s.sql("SELECT * FROM errors ORDER BY stage")
    assert list(errs.stage) == ["code", "read"]
    assert "cannot parse this article" in errs.reason[0] and errs.origin[0] == "mem:bad"
    assert errs.origin[1] == "in.jsonl:7" and errs.hint[1] == "fix the line"
    # a second run does not duplicate the errors, and does not retry the failed article by default
    r2 = ingest(arts + [bad_json], tmp_path / "s", engine="inprocess", shard_size=4)
    assert (r2.articles, r2.errors) == (0, 0)
    assert s.scalar("SELECT count(*) FROM errors") == 2
    # the same input now codes: --retry-errors stores it and resolves the error
    arts[2] = Article(text="Alpha met Beta but BOOM.", id="bad", date="2025-08-03", origin="mem:bad")
    fake_ok = FakePipeline()
    fake_ok.code_articles = lambda items: FakePipeline.code_articles(fake_ok, [
        Article(text=a.text.replace("BOOM", "boom"), id=a.id, date=a.date) for a in items])
    W.PIPELINES[W.PipelineSpec().key()] = fake_ok
    r3 = ingest(arts, tmp_path / "s", engine="inprocess", retry_errors=True)
    assert r3.articles == 1
    s.refresh()
    assert s.scalar("SELECT count(*) FROM errors WHERE NOT resolved") == 1


def test_a_shard_already_committed_is_skipped(tmp_path, fake):
    root = tmp_path / "s"
    ingest(articles(4), root, engine="inprocess", shard_size=4)
    shard = next(plan_shards(articles(4), str(root), set(), set(), 4, PipelineSpec(), {}))
    calls = fake.calls
    res = W.run_shard(shard)
    assert res["skipped"] and fake.calls == calls


def test_progress_is_reported_after_every_shard(tmp_path, fake):
    seen = []
    ingest(articles(30), tmp_path / "s", engine="inprocess", shard_size=10,
           on_progress=lambda p: seen.append((p.done, p.total, p.errors, p.rate > 0, p.eta is not None)))
    assert [s[0] for s in seen] == [10, 20, 30]
    assert all(s[1] == 30 and s[3] and s[4] for s in seen)


def test_executor_reports_failed_tasks_instead_of_stopping():
    def work(x):
        if x == 2:
            raise ValueError("bad input")
        return x * 10

    res = list(InProcessExecutor().imap_unordered(work, [1, 2, 3]))
    assert res[0] == 10 and res[2] == 30
    assert isinstance(res[1], TaskFailed) and "bad input" in res[1].reason


def test_ingest_command_and_queries(tmp_path, fake):
    data = tmp_path / "in.jsonl"
    with open(data, "w") as fh:
        for a in articles(12):
            fh.write(json.dumps({"id": a.id, "text": a.text, "date": a.date, "source": a.source}) + "\n")
        fh.write("not json\n")
    store = tmp_path / "store"
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(data), "--store", str(store), "--engine", "inprocess", "--json"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert (summary["articles"], summary["errors"]) == (12, 1)
    r = runner.invoke(app, ["ingest", str(data), "--store", str(store), "--engine", "inprocess", "--json"])
    assert json.loads(r.stdout)["skipped"] == 12
    r = runner.invoke(app, ["stats", "--store", str(store), "--format", "json"])
    st = json.loads(r.stdout)
    assert (st["articles"], st["errors"]) == (12, 1)
    r = runner.invoke(app, ["query", "events", "--store", str(store), "--actor", "Beta1", "--format", "json"])
    rows = json.loads(r.stdout)
    assert r.exit_code == 0 and rows and all(row["target_name"] == "Beta1" for row in rows)
    r = runner.invoke(app, ["query", "errors", "--store", str(store), "--format", "csv"])
    assert "in.jsonl:13" in r.stdout and "invalid JSON" in r.stdout
    r = runner.invoke(app, ["query", "search", "Beta2", "--store", str(store), "--format", "json"])
    assert len(json.loads(r.stdout)) == 4
    r = runner.invoke(app, ["query", "actors", "--store", str(store), "--format", "csv"])
    assert r.exit_code == 0
    r = runner.invoke(app, ["query", "sql", "SELECT count(*) AS n FROM mentions", "--store", str(store),
                            "--format", "json"])
    assert json.loads(r.stdout) == [{"n": 12}]
    r = runner.invoke(app, ["compact", "--store", str(store)])
    assert r.exit_code == 0 and "compacted" in r.stdout
    r = runner.invoke(app, ["query", "dyad", "X", "Y", "--store", str(tmp_path / "missing")])
    assert r.exit_code == 2 and "communique ingest" in r.stderr


def test_demo_store_ingests_and_writes_plots(tmp_path, fake):
    from communique.engines.demo import demo_store

    data = tmp_path / "in.jsonl"
    with open(data, "w") as fh:
        for a in articles(8):
            fh.write(json.dumps({"id": a.id, "text": a.text, "date": a.date}) + "\n")
    res = demo_store([data], tmp_path / "out", dyad=("CHN", "BLR"), engine="inprocess")
    assert res["stats"]["articles"] == 8 and res["report"].articles == 8
    for key in ("dyad", "network", "codes", "gdelt"):
        assert res["files"][key].exists() and res["files"][key].stat().st_size > 0
    again = demo_store([data], tmp_path / "out", engine="inprocess")
    assert again["report"].articles == 0 and again["report"].skipped == 8


def test_plots_write_png_and_svg(tmp_path):
    from _store_records import meeting_reports

    from communique import plots
    from communique.errors import StoreError
    from communique.store import Store

    s = Store(tmp_path / "s")
    s.add(meeting_reports())
    assert plots.dyad_timeline(s.dyad("CHN", "BLR"), "CHN", "BLR", tmp_path / "d.svg").read_text().startswith("<?xml")
    assert plots.actor_network(s, tmp_path / "n.png").read_bytes()[:4] == b"\x89PNG"
    assert plots.code_distribution(s, tmp_path / "c.png").stat().st_size > 1000
    with pytest.raises(StoreError):
        plots.code_distribution(s, tmp_path / "c.gif")
