"""The CLI on bad stores and bad values: a message that names the problem and the fix, never a
traceback, never SQL."""

from __future__ import annotations

import errno
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.engines import ingest

FACTORY = "tests.reliability.fakes:FakePipeline"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    from communique.records import Article

    monkeypatch.setenv("COMMUNIQUE_FAKE_DELAY", "0")
    root = tmp_path / "s"
    arts = [Article(text=f"Alpha met Beta{i} today.", id=f"a{i}", date=f"2025-03-0{1 + i}", origin=f"m:{i}")
            for i in range(5)]
    ingest(arts, root, engine="inprocess", factory=FACTORY, dedup=False)
    return root


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_a_store_path_that_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    for cmd in (["stats"], ["query", "events"], ["store", "verify"], ["dedup"]):
        r = run(*cmd, "--store", str(f))
        assert r.exit_code == 2 and "is a file, not a folder" in r.stderr, (cmd, r.output)


def test_a_store_folder_that_cannot_be_written(tmp_path, monkeypatch):
    real = Path.mkdir

    def denied(self, *a, **kw):
        if "denied" in str(self):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *a, **kw)

    monkeypatch.setattr(Path, "mkdir", denied)
    r = run("ingest", str(tmp_path / "x.jsonl"), "--store", str(tmp_path / "denied"), "--no-progress")
    text = " ".join(r.stderr.split())
    assert r.exit_code == 2 and "Permission denied" in text and "make the store folder writable" in text


def test_events_after_an_ingest_stopped_before_dedup_say_what_to_do(store):
    r = run("query", "events", "--store", str(store))
    assert r.exit_code == 0
    assert "de-duplication has not run" in r.stderr and f"communique dedup --store {store}" in r.stderr
    assert run("dedup", "--store", str(store)).exit_code == 0
    r = run("query", "events", "--store", str(store))
    assert "dedup" not in r.stderr


@pytest.mark.parametrize("value", ["2025-13-01", "yesterday", "x'); DROP TABLE events; --"])
def test_a_bad_since_names_the_value_not_the_sql(store, value):
    for cmd in (["query", "events"], ["query", "dyad", "CHN", "BLR"], ["query", "quotes"]):
        r = run(*cmd, "--since", value, "--store", str(store))
        assert r.exit_code == 2, r.output
        assert "is not a date" in r.stderr and "YYYY-MM-DD" in r.stderr
        assert "SELECT" not in r.stderr and "CAST" not in r.stderr and "Traceback" not in r.output


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch, capsys):
    import communique.cli as cli

    def broken():
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.delenv("COMMUNIQUE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 3
    text = capsys.readouterr().err
    assert "unexpected RuntimeError: something nobody expected" in text and "Traceback" not in text
    assert "COMMUNIQUE_DEBUG=1" in text


def test_verify_and_repair_report_as_json(store):
    r = run("store", "verify", "--store", str(store), "--format", "json")
    rep = json.loads(r.stdout)
    assert r.exit_code == 1 and [p["kind"] for p in rep["problems"]] == ["stale-dedup"]
    r = run("store", "repair", "--store", str(store), "--no-recode", "--json")
    assert r.exit_code == 0, r.output
    assert any("de-duplicated" in a for a in json.loads(r.stdout)["actions"])
    assert run("store", "verify", "--store", str(store)).exit_code == 0


def test_query_sql_help_warns_that_it_reads_and_writes_files():
    r = run("query", "sql", "--help")
    assert "any file" in " ".join(r.stdout.split())
    assert sys.modules.get("communique.cli.query") is not None
