"""`communique eval --task ner`: named mentions from actors and places against CoNLL-style gold."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from communique.cli import app
from communique.evaluate import read_gold, score
from communique.evaluate.ner import is_name, predicted_mentions

TEXT = "Rishi Sunak met the minister in Paris . He praised Reuters and the French team ."
GOLD = {"id": "d1", "date": None, "text": TEXT, "entities": [
    {"start": 0, "end": 11, "text": "Rishi Sunak", "type": "PER"},
    {"start": 32, "end": 37, "text": "Paris", "type": "LOC"},
    {"start": 51, "end": 58, "text": "Reuters", "type": "ORG"},
    {"start": 67, "end": 73, "text": "French", "type": "MISC"},
]}


def _actor(start, end, kind, mention=None):
    a = {"span": {"start": start, "end": end, "text": TEXT[start:end]}, "kind": kind}
    if mention is not None:
        a["mention"] = mention
    return a


def test_names_only_and_misc_ignored():
    rec = {"actors": [_actor(0, 11, "person"), _actor(16, 28, "person"), _actor(40, 42, "person"),
                      _actor(51, 58, "person"), _actor(63, 78, "group")],
           "places": [{"span": {"start": 32, "end": 37, "text": "Paris"}}]}
    # "the minister" and "He" are not names; "the French team" lies over a MISC entity
    m = score("ner", [GOLD], [rec])
    assert (m["n_gold"], m["n_pred"], m["precision"], m["recall"]) == (3, 3, 1.0, 1.0)
    assert m["typed_f1"] < 1.0            # Reuters coded as a person
    assert m["strict_f1"] == 1.0


def test_mention_field_wins_over_fallback():
    assert not is_name(_actor(0, 11, "person", mention="nominal"))
    assert is_name(_actor(0, 11, "person"))
    assert not is_name({"span": {"text": "The President"}, "kind": "person"})   # a role noun alone
    # an actor and a place with the same span are one prediction
    rec = {"actors": [_actor(32, 37, "country")], "places": [{"span": {"start": 32, "end": 37}}]}
    assert predicted_mentions(rec) == [(32, 37, "LOC")]


def test_false_positive_and_partial_overlap():
    rec = {"actors": [_actor(0, 5, "person"), _actor(43, 50, "person", mention="name")], "places": []}
    m = score("ner", [GOLD], [rec])
    assert m["n_pred"] == 2 and m["precision"] == 0.5      # "Rishi" overlaps; "praised" is wrong
    assert m["strict_f1"] == 0.0 and abs(m["recall"] - 1 / 3) < 1e-9


def test_cli_task_ner_reads_gold_and_scores_saved_predictions(tmp_path):
    gold = tmp_path / "ner.sample.jsonl"
    gold.write_text(json.dumps(GOLD) + "\n")
    assert read_gold(gold, "ner")[0]["id"] == "d1"
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"article": {"id": "d1"}, "actors": [_actor(0, 11, "person")],
                                "places": []}) + "\n")
    res = CliRunner().invoke(app, ["eval", str(gold), "--task", "ner", "-p", str(pred), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)["metrics"]
    assert abs(out["recall"] - 1 / 3) < 1e-9 and out["precision"] == 1.0
    assert "spacy_f1" in out             # the model's own entities, same run
