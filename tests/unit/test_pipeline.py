"""The pipeline: stage settings in nlp.config, overridable and recorded; long articles coded in full."""

from __future__ import annotations

import pytest

from communique._pieces import split_text
from communique.errors import SettingsError
from communique.pipeline import stage_config


def test_split_text_covers_the_text_and_cuts_at_paragraph_ends():
    paras = [f"Paragraph {i}. " + "Lukashenko met Xi Jinping in Tianjin. " * (i % 5 + 1) for i in range(40)]
    text = "\n\n".join(paras)
    pieces = split_text(text, 400)
    assert len(pieces) > 5
    assert "".join(p for _, p in pieces) == text
    assert all(text[off:off + len(p)] == p for off, p in pieces)
    assert all(len(p) <= 400 for _, p in pieces)
    assert all(p.endswith("\n\n") for _, p in pieces[:-1])   # every cut is at a paragraph end


def test_split_text_without_paragraphs_cuts_at_sentences_then_spaces():
    text = "One sentence here. " * 50
    pieces = split_text(text, 100)
    assert "".join(p for _, p in pieces) == text
    assert all(p.rstrip().endswith(".") for _, p in pieces)
    words = "word " * 100
    assert all(p.endswith(" ") for _, p in split_text(words, 42)[:-1])
    assert split_text("x" * 250, 100) == [(0, "x" * 100), (100, "x" * 100), (200, "x" * 50)]


def test_stage_config_accepts_both_forms():
    assert stage_config({"times.future_bias": 3}) == {"times": {"future_bias": 3}}
    assert stage_config({"times": {"window": 20}, "communique_times.present_ahead": False}) == \
        {"times": {"window": 20, "present_ahead": False}}
    with pytest.raises(SettingsError, match="names no stage"):
        stage_config({"future_bias": 3})


@pytest.mark.slow
def test_settings_are_in_nlp_config_and_in_every_record(pipeline):
    cfg = pipeline.nlp.config["components"]["communique_times"]
    assert cfg["future_bias"] == 2.0 and cfg["present_ahead"] is True and cfg["window"] == 48
    rec = pipeline.code_text("The ministers met on Friday.", date="2025-08-29")
    assert rec.coder.settings["times"] == {"future_bias": 2.0, "weekday_slack": 1, "present_ahead": True,
                                           "window": 48}


@pytest.mark.slow
def test_settings_override_from_the_api_changes_the_reading():
    import communique

    text = "The summit is on Oct. 23 in Geneva."
    default = communique.code_text(text, date="2025-08-29")
    patient = communique.code_text(text, date="2025-08-29", config={"times.future_bias": 6.0})
    assert [t.value for t in default.times] == ["2025-10-23"]
    assert [t.value for t in patient.times] == ["2024-10-23"]
    assert patient.coder.settings["times"]["future_bias"] == 6.0
    with pytest.raises(SettingsError, match="no setting 'future_bais'"):
        communique.code_text(text, config={"times.future_bais": 6.0})
    with pytest.raises(SettingsError, match="no stage called 'tims'"):
        communique.code_text(text, config={"tims.future_bias": 6.0})


@pytest.mark.slow
def test_cli_set_overrides_and_records_a_setting(tmp_path):
    import json

    from typer.testing import CliRunner

    from communique.cli import app

    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "x", "date": "2025-08-29", "text": "The summit is on Oct. 23."}) + "\n")
    r = CliRunner().invoke(app, ["code", str(src), "--no-progress", "--set", "times.future_bias=6"])
    assert r.exit_code == 0, r.output
    rec = json.loads(r.stdout)
    assert rec["coder"]["settings"]["times"]["future_bias"] == 6
    assert [t["value"] for t in rec["times"]] == ["2024-10-23"]
    bad = CliRunner().invoke(app, ["code", str(src), "--no-progress", "--set", "times.nothing=1"])
    assert bad.exit_code != 0 and "no setting 'nothing'" in bad.output


@pytest.mark.slow
def test_a_long_article_is_coded_in_full_with_article_wide_offsets(pipeline, monkeypatch):
    """A 1 MB article: cut into pieces at paragraph ends, every piece coded, every span article-wide."""
    from communique.records import Article

    para = ("President Alexander Lukashenko met Chinese leader Xi Jinping in Tianjin on August 31st. "
            "\"We are friends,\" Lukashenko said. The talks continued in Beijing in June.\n\n")
    text = para * (1_000_000 // len(para) + 1)
    assert len(text) > 1_000_000
    (rec,) = list(pipeline.code_articles([Article(text=text, id="long", date="2025-08-29")]))
    n = text.count(para)
    last = len(text) - len(para)
    assert not [w for w in rec.warnings if "not coded" in w or "only the first" in w]
    # something is found in the last paragraph, far beyond one piece
    assert any(e.trigger.start >= last for e in rec.events)
    assert any(t.span.start >= last for t in rec.times)
    assert any(q.span.start >= last for q in rec.quotes)
    assert any(p.span.start >= last for p in rec.places)
    assert any(a.span.start >= last for a in rec.actors)
    assert len([t for t in rec.times if t.span.text == "August 31st"]) == n
    for span in ([a.span for a in rec.actors] + [e.trigger for e in rec.events] + [q.span for q in rec.quotes]
                 + [p.span for p in rec.places] + [t.span for t in rec.times]
                 + [q.cue for q in rec.quotes if q.cue] + [q.speaker.span for q in rec.quotes if q.speaker.span]
                 + [p.span for e in rec.events for p in (e.source, e.target) if p]):
        assert text[span.start:span.end] == span.text
    for e in rec.events:
        assert e.sentence.start <= e.trigger.start < e.sentence.end
    ids = {a.id for a in rec.actors}
    assert len(ids) == len(rec.actors) and all(a.refers_to in ids for a in rec.actors if a.refers_to)
    places = {p.id for p in rec.places}
    assert all(e.location.place in places for e in rec.events if e.location)
    assert len({t.id for t in rec.times}) == len(rec.times)
