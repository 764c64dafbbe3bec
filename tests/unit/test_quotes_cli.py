"""`communique quotes`: one row per quote (speaker, code, date, cue, text, offsets)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.cli.quotes import COLUMNS, quote_rows

runner = CliRunner()

RECORD = {
    "article": {"id": "belta-1", "date": "2025-08-29"},
    "quotes": [
        {"id": "q1", "type": "direct", "span": {"start": 10, "end": 30, "text": "You truly are remarkable"},
         "speaker": {"actor": "a1", "span": {"start": 0, "end": 9, "text": "Lukashenko"},
                     "name": "Alexander Lukashenko", "code": "BLRGOV", "country": "BLR"},
         "cue": {"start": 31, "end": 41, "text": "emphasized"}},
        {"id": "q2", "type": "indirect", "span": {"start": 50, "end": 70, "text": "relations\tthrive\nhigh"},
         "speaker": {"actor": "a2", "span": {"start": 40, "end": 49, "text": "Xi"}, "name": "Xi Jinping",
                     "code": "CHNGOV", "country": "CHN"},
         "cue": {"start": 45, "end": 50, "text": "noted"}},
        {"id": "q3", "type": "direct", "span": {"start": 80, "end": 90, "text": "No one knows"},
         "speaker": {"actor": None, "span": None, "name": None, "code": "", "country": None}, "cue": None},
    ],
}


def test_rows_have_the_columns_and_filters_work():
    rows = list(quote_rows(RECORD))
    assert [tuple(r) for r in rows] == [COLUMNS] * 3
    assert rows[0]["speaker"] == "Alexander Lukashenko" and rows[0]["speaker_code"] == "BLRGOV"
    assert rows[0]["date"] == "2025-08-29" and (rows[0]["start"], rows[0]["end"]) == (10, 30)
    assert rows[2]["speaker"] == "" and rows[2]["cue"] == ""
    assert [r["speaker"] for r in quote_rows(RECORD, speaker="lukashénko")] == ["Alexander Lukashenko"]
    assert [r["speaker"] for r in quote_rows(RECORD, speaker="CHNGOV")] == ["Xi Jinping"]
    assert [r["type"] for r in quote_rows(RECORD, types=("indirect",))] == ["indirect"]


def test_cli_lists_quotes_of_coded_records_as_csv_tsv_and_jsonl(tmp_path):
    coded = tmp_path / "coded.jsonl"
    coded.write_text(json.dumps(RECORD) + "\nnot json\n" + json.dumps({"x": 1}) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["quotes", "--coded", str(coded)])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["quote"] for row in rows] == ["You truly are remarkable", "relations\tthrive\nhigh", "No one knows"]
    assert "coded.jsonl:2" in r.stderr and "coded.jsonl:3" in r.stderr  # bad lines reported, rest listed

    r = runner.invoke(app, ["quotes", "--coded", str(coded), "--format", "tsv", "--speaker", "Xi"])
    lines = r.stdout.strip().split("\n")
    assert lines[0].split("\t") == list(COLUMNS)
    assert len(lines) == 2 and lines[1].split("\t")[7] == "relations thrive high"  # one line per quote

    out = tmp_path / "q.jsonl"
    r = runner.invoke(app, ["quotes", "--coded", str(coded), "-f", "jsonl", "-o", str(out), "-t", "direct"])
    assert r.exit_code == 0
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [g["type"] for g in got] == ["direct", "direct"]


def test_cli_rejects_unknown_type():
    r = runner.invoke(app, ["quotes", "--coded", "x.jsonl", "--type", "bogus"])
    assert r.exit_code == 2 and "--type" in r.stderr


@pytest.mark.slow
def test_cli_codes_articles_and_lists_their_quotes(tmp_path):
    from tests.conftest import BELTA

    r = runner.invoke(app, ["quotes", str(BELTA), "--speaker", "Xi Jinping"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and all(row["speaker"] == "Xi Jinping" and row["speaker_code"] == "CHNGOV" for row in rows)
    assert {row["cue"] for row in rows} >= {"noted", "stated", "reaffirmed"}
    assert all(row["date"] == "2025-08-29" for row in rows)
