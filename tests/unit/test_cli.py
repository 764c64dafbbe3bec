"""The command line: coding files, bad input reported with its place, the rest still coded."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from communique.cli import app

runner = CliRunner()


def test_version_and_help():
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.startswith("communique ")
    r = runner.invoke(app, ["code", "--help"])
    assert r.exit_code == 0 and "communique/1" in r.stdout


def test_schema_command_prints_the_contract():
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert "events" in schema["properties"]


def test_eval_rejects_wrong_gold_file(tmp_path):
    p = tmp_path / "events.x.jsonl"
    p.write_text(json.dumps({"id": "1", "text": "x", "quotes": []}) + "\n")
    r = runner.invoke(app, ["eval", str(p), "--task", "events"])
    assert r.exit_code == 2
    assert "events.x.jsonl:1" in r.stderr and "--task" in r.stderr


@pytest.mark.slow
def test_code_reports_bad_inputs_and_codes_the_rest(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("date 2025-08-29 Russian troops attacked Ukrainian positions near Kharkiv on Friday.")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03PK\x03\x04" * 20)
    (tmp_path / "cp1252.txt").write_bytes("The café owner said François Hollande visited Zürich.".encode("cp1252"))
    lines = tmp_path / "batch.jsonl"
    lines.write_text("\n".join([
        json.dumps({"id": "j1", "text": "NATO condemned the missile test.", "date": "2024-05-02"}),
        '["not", "an", "object"]',
        json.dumps({"id": "j3", "text": "Talks were held.", "date": "not-a-date"}),
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    errors = tmp_path / "errors.jsonl"
    r = runner.invoke(app, ["code", str(tmp_path), "-o", str(out), "--errors", str(errors), "--no-progress"])
    assert r.exit_code == 0, r.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    ids = [rec["article"]["id"] for rec in records]
    assert ids == ["j1", "j3", "cp1252", "good"]
    assert all(rec["schema"] == "communique/1" for rec in records)
    by_id = {rec["article"]["id"]: rec for rec in records}
    assert by_id["good"]["article"]["date"] == "2025-08-29"
    assert any("not-a-date" in w for w in by_id["j3"]["warnings"])
    assert any("not valid UTF-8" in w for w in by_id["cp1252"]["warnings"])
    rejected = [json.loads(line) for line in errors.read_text().splitlines()]
    reasons = {r_["origin"].split("/")[-1]: r_["reason"] for r_ in rejected}
    assert "empty file" in reasons["empty.txt"]
    assert "not a text file" in reasons["binary.txt"]
    assert "not an object" in reasons["batch.jsonl:2"]
    assert "empty.txt" in r.stderr and "batch.jsonl:2" in r.stderr


@pytest.mark.slow
def test_code_stdin_jsonl_and_summary(tmp_path):
    data = json.dumps({"id": "s1", "text": "President Putin met Chancellor Merz in Moscow.", "date": "2025-06-01"})
    r = runner.invoke(app, ["code", "-", "--no-progress"], input=data + "\n")
    assert r.exit_code == 0, r.stderr
    rec = json.loads(r.stdout.splitlines()[0])
    assert rec["article"]["id"] == "s1"
    r = runner.invoke(app, ["code", "-", "--format", "summary", "--no-progress"], input=data + "\n")
    assert r.exit_code == 0 and "Actors" in r.stdout
