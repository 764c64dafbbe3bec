"""`code` isolates each article like `ingest`: an exception inside a stage rejects that article (with
its reason, on stderr and in --errors) and the rest is coded; run summaries warn about any text
that was not coded in full; the Python API checks what it is given."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.errors import InputError
from tests.reliability.fakes import FakePipeline


class TruncatingFake(FakePipeline):
    """Like the stand-in, and warns that long texts were cut, as a pipeline that cuts must."""

    def __init__(self, *a, **kw):
        super().__init__()
        self.delay = 0

    def code_articles(self, arts, on_reject=None):
        for rec, art in zip(super().code_articles(arts), arts, strict=True):
            if len(art.text) > 60:
                rec.warnings.append(f"{art.origin}: article has {len(art.text)} characters; only the first 60 "
                                    "were coded. Split very long documents into articles")
            yield rec


@pytest.fixture
def fake_pipeline(monkeypatch):
    import communique.pipeline as P

    monkeypatch.setattr(P, "Pipeline", TruncatingFake)


def test_a_failing_article_is_rejected_and_the_rest_coded(fake_pipeline, tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [{"id": "one", "text": "Alpha met Beta."}, {"id": "bad", "text": "Gamma met Delta. BOOM"},
             {"id": "two", "text": "Zeta met Eta."}]
    src.write_text("".join(json.dumps(x) + "\n" for x in lines) + '{"id": "s", "text": "Iota met \\ud800 Kappa."}\n')
    out, rej = tmp_path / "out.jsonl", tmp_path / "rejected.jsonl"
    r = CliRunner().invoke(app, ["code", str(src), "-o", str(out), "--errors", str(rej), "--no-progress"])
    assert r.exit_code == 0, r.output
    recs = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["article"]["id"] for x in recs] == ["one", "two", "s"]
    assert "\ufffd" not in json.dumps(recs[:2]) and any("surrogate" in w for w in recs[2]["warnings"])
    (bad,) = [json.loads(x) for x in rej.read_text().splitlines()]
    assert bad["id"] == "bad" and bad["origin"].endswith("in.jsonl:2")
    assert "failed on this article" in bad["reason"] and "cannot parse this article" in bad["reason"]
    assert "in.jsonl:2" in r.stderr and "1 input(s) rejected, 1 of them because the pipeline failed" in r.stderr


def test_not_coded_in_full_is_never_silent(fake_pipeline, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "long", "text": "Alpha met Beta. " * 10}) + "\n"
                   + json.dumps({"id": "short", "text": "Alpha met Beta."}) + "\n")
    r = CliRunner().invoke(app, ["code", str(src), "--no-progress"])
    assert r.exit_code == 0
    assert "1 article(s) were not coded in full" in r.stderr and "long: " in r.stderr


def test_the_ingest_summary_names_articles_not_coded_in_full(tmp_path, monkeypatch):
    from communique.engines import work as W

    monkeypatch.setitem(W.PIPELINES, W.PipelineSpec().key(), TruncatingFake())
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "long", "text": "Alpha met Beta. " * 10}) + "\n"
                   + json.dumps({"id": "short", "text": "Alpha met Beta."}) + "\n")
    r = CliRunner().invoke(app, ["ingest", str(src), "--store", str(tmp_path / "s"), "--engine", "inprocess",
                                 "--json", "--no-progress"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["not_coded_in_full"] == 1 and summary["articles_with_warnings"] == 1
    assert "were not coded in full" in r.stderr and "in.jsonl:1" in r.stderr


def test_the_failing_stage_is_named():
    from communique._isolate import failing_stage, failure_reason

    code = compile("def f():\n    raise OverflowError('date value out of range')\n", "/x/communique/stages/times.py",
                   "exec")
    ns: dict = {}
    exec(code, ns)
    try:
        ns["f"]()
    except OverflowError as err:
        assert failing_stage(err) == "times"
        assert failure_reason(err, "times") == ("the times stage failed on this article (OverflowError: date value "
                                                "out of range)")


@pytest.mark.parametrize(("call", "match"), [
    (lambda c: c(None), "the text must be a str, not None"),
    (lambda c: c(b"Lukashenko met Xi."), "bytes, not str.*decode it first"),
    (lambda c: c(12), "not a number"),
    (lambda c: c("   "), "the text is empty"),
    (lambda c: c("Xi met Putin.", date=20250829), "date must be a str, datetime.date or datetime.datetime"),
    (lambda c: c("Xi met Putin.", date="29/08/2025"), "is not a date.*YYYY-MM-DD"),
    (lambda c: c("Xi met Putin.", title=5), "title must be a str"),
    (lambda c: c("Xi met Putin.", kb=5), "kb must be a path or a list of paths"),
])
def test_the_api_says_what_it_expected(call, match):
    import communique

    with pytest.raises(InputError, match=match) as info:
        call(communique.code_text)
    assert "NoneType" not in str(info.value)


def test_dates_are_accepted_in_every_form_the_cli_accepts():
    from communique._validate import check_date

    assert check_date(dt.date(2025, 8, 29)) == "2025-08-29"
    assert check_date(dt.datetime(2025, 8, 29, 23, 59, tzinfo=dt.UTC)) == "2025-08-29"
    assert check_date("2025-08-29T10:00:00Z") == "2025-08-29"
    assert check_date("2025-08-29") == "2025-08-29" and check_date(None) is None
    warnings: list[str] = []
    assert check_date("yesterday", warnings=warnings) is None and "not a date" in warnings[0]


@pytest.mark.slow
def test_with_spacy_a_stage_failure_rejects_one_article(tmp_path, monkeypatch):
    """The real pipeline with a stage that raises on one article (a stand-in for the overflowing
    date arithmetic of issue 12), and a lone-surrogate line."""
    import spacy.language

    import communique.pipeline as P

    @spacy.language.Language.component("communique_test_boom")
    def boom(doc):
        if "BOOM" in doc.text:
            raise OverflowError("date value out of range")
        return doc

    real = P.load_nlp

    def load_with_boom(*a, **kw):
        nlp = real(*a, **kw)
        nlp.add_pipe("communique_test_boom", first=True)
        return nlp

    monkeypatch.setattr(P, "load_nlp", load_with_boom)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "ok", "text": "Lukashenko met Xi Jinping in Tianjin.", "date": "2025-08-29"})
                   + "\n" + json.dumps({"id": "bad", "text": "Russia attacked Ukraine 999999999 days ago. BOOM"})
                   + "\n" + '{"id": "sur", "text": "Xi met Lukashenko \\ud800 yesterday.", "date": "2025-08-29"}\n')
    rej = tmp_path / "rej.jsonl"
    r = CliRunner().invoke(app, ["code", str(src), "--errors", str(rej), "--no-progress"])
    assert r.exit_code == 0, r.output
    ids = [json.loads(x)["article"]["id"] for x in r.stdout.splitlines()]
    assert ids == ["ok", "sur"]
    (bad,) = [json.loads(x) for x in rej.read_text().splitlines()]
    assert bad["id"] == "bad" and "OverflowError: date value out of range" in bad["reason"]


@pytest.mark.slow
def test_with_spacy_code_text_takes_dates_and_timestamps(pipeline):
    import communique

    for when in (dt.date(2025, 8, 29), dt.datetime(2025, 8, 29, 9, 30), "2025-08-29T09:30:00+03:00"):
        rec = communique.code_text("Lukashenko met Xi Jinping yesterday.", date=when)
        assert rec.article.date == "2025-08-29"
        assert any(t.value == "2025-08-28" for t in rec.times)


@pytest.mark.slow
def test_with_spacy_a_long_article_is_coded_in_full(pipeline, monkeypatch):
    """An article longer than the pipeline's piece size is coded in pieces, all of it: nothing is
    dropped, so no warning says it was not coded in full, and its last sentences carry events."""
    from communique._isolate import incomplete_warnings
    from communique.records import Article

    monkeypatch.setattr(pipeline, "max_chars", 200)
    text = "Lukashenko met Xi Jinping in Tianjin. " * 12
    art = Article(text=text, id="long", origin="long.txt")
    (rec,) = list(pipeline.code_articles([art]))
    assert not incomplete_warnings(rec.warnings), rec.warnings
    met = [e for e in rec.events if e.trigger.text == "met"]
    assert {text.count("met", 0, e.trigger.start) for e in met} == set(range(12))   # every sentence
    assert all(text[e.trigger.start:e.trigger.end] == "met" for e in met)
