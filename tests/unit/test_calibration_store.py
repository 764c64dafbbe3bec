"""`--min-confidence` filters on the stored (calibrated) event confidence: store query and CLI."""

from __future__ import annotations

from _store_records import meeting_reports
from typer.testing import CliRunner

from communique.store import EventFilter, Store


def _store(tmp_path):
    reports = meeting_reports()
    # the Minsk report's events get a low calibrated confidence, the others stay at 0.8
    _, minsk = reports[2]
    for e in minsk.events:
        e.confidence = 0.3
    s = Store(tmp_path / "data")
    s.add(reports)
    return s


def test_min_confidence_keeps_only_events_at_least_that_likely(tmp_path):
    s = _store(tmp_path)
    every = s.events(EventFilter(limit=None))
    sure = s.events(EventFilter(limit=None, min_confidence=0.5))
    assert len(every) > len(sure) > 0
    assert "Minsk" not in set(sure["place_name"].dropna()) and "Minsk" in set(every["place_name"].dropna())
    assert len(s.events(EventFilter(limit=None, min_confidence=0.3))) == len(every)


def test_query_events_cli_takes_min_confidence(tmp_path):
    from communique.cli import app

    s = _store(tmp_path)
    args = ["query", "events", "--store", str(s.root), "--format", "csv"]
    every = CliRunner().invoke(app, args)
    sure = CliRunner().invoke(app, args + ["--min-confidence", "0.5"])
    assert every.exit_code == 0 and sure.exit_code == 0, sure.output
    assert "Minsk" in every.output and "Minsk" not in sure.output and "Tianjin" in sure.output
    bad = CliRunner().invoke(app, args + ["--min-confidence", "1.5"])
    assert bad.exit_code != 0
