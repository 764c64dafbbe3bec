"""The gazetteer index: building, lookups, the on-disk cache (fast: tiny hand-made tables)."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import pytest

from communique.kb import gazetteer as gz
from communique.kb._text import canon

HEADER = "geonames_id\tname\tascii_name\talt_names\tcountry\tadmin1\tfeature\tpopulation\tlat\tlon"
ROWS = [
    "630336\tBelarus\tBelarus\tRepublic of Belarus|Byelorussia\tBLR\t\tcountry\t9485386\t53.0\t28.0",
    "625142\tMinsk\tMinsk\tMinsk Oblast\tBLR\t\tadmin1\t0\t53.82\t27.6",
    "625144\tMinsk\tMinsk\tMinsk City|Mińsk\tBLR\tMinsk City\tcity\t1742124\t53.90019\t27.56653",
    "764679\tMińsk Mazowiecki\tMinsk Mazowiecki\tMinsk\tPOL\tMazovia\tcity\t37027\t52.17935\t21.57251",
    "5128581\tNew York City\tNew York City\tNew York|NYC|Big Apple\tUSA\tNew York\tcity\t8804190\t40.71427\t-74.00597",
    "2177478\tAustralian Capital Territory\tAustralian Capital Territory\tACT\tAUS\t\tadmin1\t0\t-35.3\t149.1",
    "-2048\tAtlantic Ocean\tAtlantic Ocean\tAtlantic\t\t\tother\t0\t0.0\t-25.0",
]


def _write(path: Path, rows=ROWS, version="test.1") -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(f"# version: {version}\n{HEADER}\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture()
def places(tmp_path: Path) -> Path:
    return _write(tmp_path / "places.tsv.gz")


def test_lookup_by_any_name_and_spelling(places, tmp_path):
    g = gz.load_gazetteer(places, tmp_path / "none.tsv", use_cache=False)
    assert {(e.country, e.feature) for e in g.candidates("Minsk")} == {
        ("BLR", "admin1"), ("BLR", "city"), ("POL", "city")}
    assert [e.name for e in g.candidates("MIŃSK")][0] == "Minsk"          # case and diacritics folded
    assert g.candidates("Big Apple")[0].geonames_id == 5128581
    city = next(e for e in g.candidates("Minsk") if e.feature == "city")
    assert (city.lat, city.lon, city.population, city.admin1) == (53.90019, 27.56653, 1742124, "Minsk City")
    assert city.admin1_key == ("BLR", "Minsk City")
    assert g.candidates("Nowhere") == []
    assert g.versions == {"gazetteer/places.tsv.gz": "test.1"}


def test_prefix_lets_a_scanner_stop_early(places, tmp_path):
    g = gz.load_gazetteer(places, tmp_path / "none.tsv", use_cache=False)
    assert g.has_prefix("new") and g.has_prefix("new york")
    assert not g.has_prefix("new york city") and not g.has_prefix("minsk city x")
    assert g.has_key("new york city") and not g.has_key("new yo")


def test_acronym_aliases_need_capitals(places, tmp_path):
    g = gz.load_gazetteer(places, tmp_path / "none.tsv", use_cache=False)
    assert [e.name for e in g.candidates("ACT")] == ["Australian Capital Territory"]
    assert g.candidates("Act") == []                      # "Republic Act 9296" is no territory
    assert "NYC" in g and "Nyc" not in g
    assert [e.name for e in g.candidates("Atlantic")] == ["Atlantic Ocean"]   # not an acronym: any case


def test_overrides_win(places, tmp_path):
    ov = tmp_path / "overrides.tsv"
    ov.write_text("# version: o.1\nname\talt_names\tcountry\tfeature\tlat\tlon\n"
                  "Minsk\t\tBLR\tcity\t53.9\t27.57\n", encoding="utf-8")
    g = gz.load_gazetteer(places, ov, use_cache=False)
    assert g.candidates("Minsk")[0].lat == 53.9
    assert g.versions["gazetteer/overrides.tsv"] == "o.1"


def test_cache_file_is_built_once_and_reused(places, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(cache))
    monkeypatch.delenv("COMMUNIQUE_NO_CACHE", raising=False)
    g1 = gz.load_gazetteer(places, tmp_path / "none.tsv")
    files = list(cache.glob("gazetteer-*.idx"))
    assert len(files) == 1 and g1.source == str(files[0])
    assert not list(cache.glob("*.tmp"))                   # written to a temp file, then renamed
    mtime = files[0].stat().st_mtime_ns
    g2 = gz.load_gazetteer(places, tmp_path / "none.tsv")
    assert g2.source == str(files[0]) and files[0].stat().st_mtime_ns == mtime
    assert [e.name for e in g2.candidates("Minsk")] == [e.name for e in g1.candidates("Minsk")]


def test_changed_table_gets_a_new_index(places, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(cache))
    gz.load_gazetteer(places, tmp_path / "none.tsv")
    time.sleep(0.01)
    _write(places, ROWS[:2], version="test.2")
    os.utime(places, None)
    g = gz.load_gazetteer(places, tmp_path / "none.tsv")
    assert g.versions["gazetteer/places.tsv.gz"] == "test.2"
    assert g.candidates("New York") == []


def test_corrupt_cache_is_rebuilt(places, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(cache))
    gz.load_gazetteer(places, tmp_path / "none.tsv")
    (idx,) = cache.glob("gazetteer-*.idx")
    idx.write_bytes(b"garbage")
    g = gz.load_gazetteer(places, tmp_path / "none.tsv")
    assert g.candidates("Belarus")[0].country == "BLR"


def test_unwritable_cache_falls_back_to_memory(places, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("COMMUNIQUE_CACHE_DIR", str(blocker / "sub"))   # cannot be a directory
    g = gz.load_gazetteer(places, tmp_path / "none.tsv")
    assert g.source == "memory" and g.candidates("Minsk")


@pytest.mark.parametrize("name", ["Minsk", "Saint-Denis", "St. John's", "Washington, D.C.", "U.S.",
                                  "Côte d'Ivoire", "São Paulo", "Łódź", "Kassym-Jomart", "A120", "x_y z"])
def test_name_key_is_canon(name):
    assert gz.name_key(name) == canon(name)


@pytest.mark.slow
def test_shipped_gazetteer_loads_fast_when_warm():
    gz.get_gazetteer.cache_clear()
    gz.get_gazetteer()                     # builds the cache file if needed
    gz.get_gazetteer.cache_clear()
    t0 = time.perf_counter()
    g = gz.get_gazetteer()
    assert time.perf_counter() - t0 < 1.5
    assert len(g) > 170_000
    tianjin = [e for e in g.candidates("Tianjin") if e.feature == "city"]
    assert tianjin and tianjin[0].country == "CHN" and tianjin[0].geonames_id == 1792947
