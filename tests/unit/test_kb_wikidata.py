"""`communique kb update`: Wikidata dump and SPARQL results -> overlay tables and a change report.

Offline, on the hand-made fixtures in tests/fixtures/wikidata (README there).
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.errors import KnowledgeBaseError
from communique.kb import get_actor_kb
from communique.kb.actors import code_person
from communique.kb.wikidata import read_entities, update_from_files, wd_date, write_overlays

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "wikidata"
runner = CliRunner()


@pytest.fixture(scope="module")
def result():
    return update_from_files([FIX / "dump.json", FIX / "people.sparql.json", FIX / "orgs.sparql.json"],
                             get_actor_kb())


def _change(result, name, role=None):
    return [c for c in result.changes if c.name == name and (role is None or c.role == role)]


def test_positions_become_tenures_and_changes_are_classified(result):
    (fin,) = _change(result, "Jens Stoltenberg", "Finance Minister")
    assert (fin.change, fin.id, fin.country, fin.sector, fin.start, fin.end) == (
        "added", "jens_stoltenberg", "NOR", "GOV", "2025-02-04", "")
    (nato,) = _change(result, "Jens Stoltenberg", "Secretary-General")
    assert (nato.change, nato.country, nato.sector) == ("same", "IGO", "IGO")
    (luka,) = _change(result, "Alexander Lukashenko")
    assert (luka.change, luka.end) == ("ended", "2030-07-31") and "people/europe.tsv" in luka.was
    (maria,) = _change(result, "Maria Example")    # a class item ("president") decides the role
    assert (maria.change, maria.country, maria.role) == ("added", "BLR", "President")
    (starmer,) = _change(result, "Keir Starmer")    # from the SPARQL result
    assert starmer.change == "same"
    (dpm,) = _change(result, "David Lammy", "Deputy Prime Minister")   # in people/g7_finance.tsv
    assert dpm.change == "same" and "g7_finance.tsv" in dpm.was
    (justice,) = _change(result, "David Lammy", "Minister")             # "Secretary of State for Justice"
    assert (justice.change, justice.country, justice.sector) == ("added", "GBR", "GOV")
    # the mayoralty is not a position the map codes; the deprecated statement is ignored
    assert result.skipped == {"position not in wikidata_map.tsv": 1}
    assert not [c for c in result.changes if c.start == "1999-01-01"]
    assert result.read == "2026-11-30"          # the dump's newest "modified"


def test_organisations_by_type(result):
    orgs = {c.name: c for c in result.changes if c.table == "organizations"}
    assert (orgs["Example Defence Brigade"].country, orgs["Example Defence Brigade"].sector) == ("BLR", "REB")
    assert orgs["Example Party of Germany"].sector == "PTY"
    assert orgs["Example Liberation Front"].change == "added"   # not matched to another "ELF"
    assert orgs["NATO"].change == "same" and orgs["NATO"].id == "nato"  # the tables' code is kept
    assert "political party" not in orgs       # a class item is not an organisation


def test_overlays_fix_the_kb(result, tmp_path):
    people, orgs = write_overlays(result, tmp_path)
    head = people.read_text(encoding="utf-8").splitlines()[:4]
    assert head[1] == "# read: 2026-11-30" and head[3] == "# status: maintained"
    kb = get_actor_kb((str(people), str(orgs)))
    stolt = kb.people["jens_stoltenberg"]
    assert code_person(stolt, "2025-06-01").sector == "GOV"
    assert code_person(stolt, "2025-06-01").country == "NOR"
    # a person known only from Phoenix, confirmed by Wikidata, is serving again
    plib = kb.people["tanya_plibersek_phx"]
    assert code_person(plib, "2025-06-01").sector == "GOV"
    luka = next(e for e in kb.lookup("Alexander Lukashenko") if e.kind == "person")
    assert code_person(kb.people[luka.ref], "2031-01-15").sector == "ELI"
    edb = next(e for e in kb.lookup("EDB") if e.kind == "org")
    assert kb.org_code(edb.ref, "2030-01-01").sector == "REB"
    # rows carry the read date
    assert all(t.read == "2026-11-30" for t in stolt.tenures if t.origin.startswith("overlay:"))


def test_dump_forms(tmp_path):
    lines = [json.loads(x.rstrip(",")) for x in (FIX / "dump.json").read_text().splitlines() if x.startswith("{")]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(e) + "\n" for e in lines))   # line-delimited
    (tmp_path / "b.json").write_text(json.dumps(lines))                                # one JSON array
    with gzip.open(tmp_path / "c.json.gz", "wt") as fh:                                # compressed dump
        fh.write((FIX / "dump.json").read_text())
    for name in ("a.jsonl", "b.json", "c.json.gz"):
        assert [e["id"] for e in read_entities(tmp_path / name)] == [e["id"] for e in lines]
    (tmp_path / "bad.json").write_text("[\n{\"id\": \"Q1\"},\n{not json\n]\n")
    with pytest.raises(KnowledgeBaseError, match="entity 2"):
        list(read_entities(tmp_path / "bad.json"))


def test_wikidata_dates():
    assert wd_date("+2019-05-20T00:00:00Z", 11) == "2019-05-20"
    assert wd_date("+2019-05-00T00:00:00Z", 10) == "2019-05"
    assert wd_date("+2019-00-00T00:00:00Z", 9) == "2019"
    assert wd_date("-0044-03-15T00:00:00Z", 11) == ""
    assert wd_date("2024-07-05T00:00:00Z") == "2024-07-05"        # SPARQL without precision


def test_cli_kb_update(tmp_path):
    shutil.copy(FIX / "dump.json", tmp_path / "dump.json")
    res = runner.invoke(app, ["kb", "update", str(tmp_path / "dump.json"), "--out", str(tmp_path / "out"),
                              "--format", "jsonl", "--read-date", "2026-12-01"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert {r["change"] for r in rows} == {"added", "ended"}
    assert "# read: 2026-12-01" in (tmp_path / "out" / "wikidata_people.tsv").read_text()
    res = runner.invoke(app, ["kb", "update", str(tmp_path / "missing.json"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "file not found" in " ".join(res.output.split())
