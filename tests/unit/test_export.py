"""Exports: GDELT 2.0 event TSV (61 columns, GDELT's order and types), PLOVER JSON, CSV, Parquet."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest
from _store_records import meeting_reports
from typer.testing import CliRunner

from communique.cli import app
from communique.exports import GDELT_COLUMNS, GDELT_TYPES, export
from communique.store import EventFilter, Store

# GDELT 2.0 Event Codebook order (independent copy, so a reordering in the code is caught)
GDELT_HEADER = """GLOBALEVENTID SQLDATE MonthYear Year FractionDate Actor1Code Actor1Name Actor1CountryCode
Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code
Actor1Type3Code Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code
Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code IsRootEvent EventCode EventBaseCode
EventRootCode QuadClass GoldsteinScale NumMentions NumSources NumArticles AvgTone Actor1Geo_Type
Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long
Actor1Geo_FeatureID Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code
Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode
ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL""".split()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "data")
    s.add(meeting_reports())
    return s


def read_gdelt(path) -> pd.DataFrame:
    dtypes = {c: ("Int64" if t == "INTEGER" else "float64" if t == "FLOAT" else "string")
              for c, t in GDELT_TYPES.items()}
    return pd.read_csv(path, sep="\t", header=None, names=GDELT_HEADER, dtype=dtypes, keep_default_na=False,
                       na_values={c: [""] for c, t in GDELT_TYPES.items() if t != "STRING"}, quoting=3)


def test_gdelt_export_has_61_tab_separated_columns_and_parses_with_gdelts_header(store, tmp_path):
    assert GDELT_COLUMNS == GDELT_HEADER and len(GDELT_HEADER) == 61
    path = tmp_path / "events.tsv"
    n = export(store, "gdelt", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert n == len(lines) == 3
    assert all(len(line.split("\t")) == 61 for line in lines)
    df = read_gdelt(path)
    assert df.shape == (3, 61)
    t = df[df.ActionGeo_FullName.str.startswith("Tianjin")].iloc[0]
    assert t.EventCode == "042" and t.EventBaseCode == "042" and t.EventRootCode == "04"
    assert (t.SQLDATE, t.MonthYear, t.Year) == (20250829, 202508, 2025)
    assert t.FractionDate == pytest.approx(2025 + (8 * 30 + 29) / 365, abs=1e-4)
    assert (t.Actor1Code, t.Actor1Name, t.Actor1CountryCode, t.Actor1Type1Code) == ("CHNGOV", "XI JINPING", "CHN",
                                                                                    "GOV")
    assert (t.Actor2Code, t.Actor2CountryCode) == ("BLRGOV", "BLR")
    assert (t.QuadClass, t.GoldsteinScale) == (1, 1.9)
    assert (t.NumMentions, t.NumSources, t.NumArticles, t.IsRootEvent) == (2, 2, 2, 1)
    assert (t.ActionGeo_Type, t.ActionGeo_CountryCode, t.ActionGeo_FeatureID) == (4, "CH", "1792947")
    # issue 16: FIPS country + GeoNames admin1 code of the place's division
    assert t.ActionGeo_ADM1Code == "CH28"
    assert t.ActionGeo_FullName == "Tianjin, China"
    assert t.SOURCEURL == "https://belta.by/1"
    assert 20000101000000 < t.DATEADDED < 21000101000000
    assert df.GLOBALEVENTID.is_unique and (df.GLOBALEVENTID > 0).all()
    assert pd.isna(t.Actor1Geo_Type) and t.Actor1Geo_FullName == ""
    # stable ids: exporting again gives the same GLOBALEVENTIDs
    export(store, "gdelt", tmp_path / "again.tsv")
    assert read_gdelt(tmp_path / "again.tsv").GLOBALEVENTID.tolist() == df.GLOBALEVENTID.tolist()


def test_gdelt_export_with_header_and_filter(store, tmp_path):
    path = tmp_path / "f.tsv"
    n = export(store, "gdelt", path, filt=EventFilter(location="Minsk", limit=None), header=True)
    df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    assert n == 1 and list(df.columns) == GDELT_HEADER and df.ActionGeo_FullName[0] == "Minsk, Belarus"


def test_plover_export_uses_the_manuals_field_names(store, tmp_path):
    path = tmp_path / "events.plover.jsonl"
    n = export(store, "plover", path)
    recs = [json.loads(line) for line in path.read_text().splitlines()]
    assert n == len(recs) == 3
    r = next(r for r in recs if r.get("event_loc", {}) and r["event_loc"].get("resolved_place") == "Tianjin")
    for f in ("id", "date", "actor", "recipient", "event", "mode", "context", "event_loc", "event_text",
              "quad_code", "event_scale", "cite_info", "coder", "coded_date"):
        assert f in r
    assert r["event"] == ["CONSULT"] and r["mode"] == ["visit"] and r["quad_code"] == 1
    assert r["actor"][0]["code"] == "CHN" and r["actor"][0]["sector"] == "GOV"
    assert r["actor"][0]["entity_text"] == "Xi Jinping" and r["recipient"][0]["code"] == "BLR"
    assert r["event_loc"]["geonameid"] == 1792947 and r["event_loc"]["country_code"] == "CHN"
    assert r["date"] == "2025-08-29" and r["num_articles"] == 2
    assert r["cite_info"]["url"] == "https://belta.by/1"
    one_sided = next(r for r in recs if r["event"] == ["SUPPORT"])
    assert one_sided["recipient"] == []


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_exports(store, tmp_path, fmt):
    path = tmp_path / f"x.{fmt}"
    n = export(store, fmt, path, table="event_mentions")
    df = pd.read_csv(path) if fmt == "csv" else pd.read_parquet(path)
    assert n == len(df) == 4 and "event_id" in df.columns and "sentence_text" in df.columns
    n = export(store, fmt, tmp_path / f"e.{fmt}", table="events", filt=EventFilter(country="CHN", limit=None))
    assert n == 3


def test_export_command(store, tmp_path):
    out = tmp_path / "cli.tsv"
    r = CliRunner().invoke(app, ["export", "gdelt", str(out), "--store", str(store.root)])
    assert r.exit_code == 0, r.output
    assert len(out.read_text().splitlines()) == 3
    r = CliRunner().invoke(app, ["export", "plover", str(tmp_path / "p.jsonl"), "--store", str(store.root),
                                 "--country", "BLR"])
    assert r.exit_code == 0 and len((tmp_path / "p.jsonl").read_text().splitlines()) == 2


def test_places_table_and_events_carry_the_division_and_role(store):
    # issue 16: the places table keeps admin1 code/name and event|mentioned; the events the division code
    rows = store.con.execute("SELECT name, admin1_code, admin1_name, role FROM places WHERE name = 'Tianjin'").fetchall()
    assert rows and all(r[1:] == ("CN.28", "Tianjin", "event") for r in rows)
    codes = {r[0] for r in store.con.execute("SELECT place_admin1_code FROM events WHERE place_name = 'Minsk'").fetchall()}
    assert codes == {"BY.04"}


def test_old_mention_files_without_the_division_still_deduplicate(tmp_path, monkeypatch):
    # mention files written before issue 16 lack place_admin1_code: dedup reads it as null and the
    # GDELT export leaves ADM1Code empty below country level
    from communique.store import writer

    old = writer.SHARD_TABLES["mentions"]
    keep = [f for f in old if f.name not in ("place_admin1_code", "place_admin1_name")]
    monkeypatch.setitem(writer.SHARD_TABLES, "mentions", pa.schema(keep))
    s = Store(tmp_path / "data")
    s.add(meeting_reports(), dedup=False)
    monkeypatch.setitem(writer.SHARD_TABLES, "mentions", old)
    s.deduplicate()
    assert s.con.execute("SELECT count(*) FROM events WHERE place_name = 'Tianjin'").fetchall()[0][0] == 1
    assert s.con.execute("SELECT count(*) FROM events WHERE place_admin1_code IS NOT NULL").fetchall()[0][0] == 0
    path = tmp_path / "old.tsv"
    assert export(s, "gdelt", path) == 3
    t = read_gdelt(path)
    assert t[t.ActionGeo_FullName.str.startswith("Tianjin")].iloc[0].ActionGeo_ADM1Code == ""
