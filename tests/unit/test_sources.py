"""Sources: outlet domains and countries; the store's outlet columns, filters and queries; stored URLs
and WARC origins; GDELT mentions and update files (hand-built records, no spaCy)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communique.pipeline import article_meta
from communique.readers.options import ReadOptions
from communique.records import Article
from communique.sources import _outlets, country_of, domain_of, outlet, source_of, versions
from communique.store import open_store
from communique.store.web import remember_store, stored_origins, stored_urls
from tests.unit._store_records import report


@pytest.mark.parametrize(("url", "domain", "country"), [
    ("https://www.bbc.co.uk/news/world-123", "bbc.co.uk", "GBR"),
    ("https://news.bbc.co.uk/2/hi/europe/1.stm", "bbc.co.uk", "GBR"),
    ("https://edition.cnn.com/2024/10/01/x", "cnn.com", "USA"),
    ("https://www.belta.by/president/view/x", "belta.by", "BLR"),
    ("http://english.news.cn/20250829/x.htm", "news.cn", "CHN"),
    ("https://abcnews.go.com/Politics/x", "go.com", "USA"),          # the host's row wins over go.com
    ("https://www.lemonde.fr/international/x", "lemonde.fr", "FRA"),
    ("https://some-local-paper.de/politik/x", "some-local-paper.de", "DEU"),   # ccTLD
    ("https://startup-news.io/x", "startup-news.io", None),          # .io says nothing about a country
    ("https://example.blogspot.com/2020/x", "example.blogspot.com", None),
    ("bbc.co.uk/news", "bbc.co.uk", "GBR"),
    ("http://127.0.0.1:8080/a", "127.0.0.1", None),
    ("http://localhost/a", "localhost", None),
    ("not a url", None, None),
    (None, None, None),
    ("", None, None),
])
def test_source_of(url, domain, country):
    assert source_of(url) == (domain, country)


def test_outlets_table_is_versioned_and_valid():
    version, table = _outlets()
    assert version != "unversioned" and len(table) > 400
    assert all(len(o.country) == 3 and o.country.isupper() for o in table.values())
    assert outlet("https://tass.com/politics/1").state and outlet("https://tass.com/x").name == "TASS"
    assert set(versions()) == {"sources/outlets.tsv", "sources/cctld.tsv"}
    assert domain_of("https://WWW.BBC.CO.UK/") == "bbc.co.uk" and country_of("https://x.kz/") == "KAZ"


def test_record_article_gets_the_outlet_from_the_url():
    meta = article_meta(Article(text="x y z", url="https://www.reuters.com/world/x"))
    assert (meta.source_domain, meta.source_country) == ("reuters.com", "GBR")
    assert article_meta(Article(text="x y z")).source_domain is None


def _reports():
    text = "Xi Jinping met Alexander Lukashenko in Tianjin on Friday."
    return [
        report(text, date="2025-08-29", id="a1", url="https://www.belta.by/1",
               events=[("Xi Jinping", "042", "Alexander Lukashenko", "met", "Tianjin", "2025-08-29")]),
        report(text + " ", date="2025-08-29", id="a2", url="https://tass.com/2",
               events=[("Xi Jinping", "042", "Alexander Lukashenko", "met", "Tianjin", "2025-08-29")]),
        report("Vladimir Putin accused Ukraine.", date="2025-08-30", id="a3", url="https://www.bbc.co.uk/3",
               events=[("Vladimir Putin", "111", "Ukraine", "accused", None, "2025-08-30")]),
        report("Vladimir Putin met Xi Jinping in Beijing.", date="2025-08-31", id="a4", source="Local",
               events=[("Vladimir Putin", "042", "Xi Jinping", "met", "Beijing", "2025-08-31")]),
    ]


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "store", create=True)
    s.add(_reports())
    yield s
    s.close()


def test_outlet_columns_filters_and_outlets_query(store):
    rows = store.con.execute("SELECT article_id, source_domain, source_country FROM articles ORDER BY article_id")
    assert [list(r) for r in rows.fetchall()] == [["a1", "belta.by", "BLR"], ["a2", "tass.com", "RUS"],
                                    ["a3", "bbc.co.uk", "GBR"], ["a4", None, None]]
    assert len(store.events(outlet="tass.com")) == 1
    assert len(store.events(outlet="https://www.belta.by/any")) == 1
    assert len(store.events(outlet_country="GBR")) == 1
    assert len(store.events(outlet="local")) == 1                   # a source name without a URL
    assert len(store.events(outlet_country="FRA")) == 0
    dy = store.dyad("CHN", "BLR", outlet_country="RUS")
    assert int(dy["events"].sum()) == 1 and int(dy["articles"].sum()) == 2   # the event, reported by both
    by_outlet = store.outlets()
    assert set(by_outlet["outlet"]) == {"belta.by", "tass.com", "bbc.co.uk"}
    by_country = store.outlets(by="country").set_index("country")
    assert by_country.loc["RUS", "articles"] == 1 and by_country.loc["BLR", "events"] == 1


def test_stored_urls_and_origins_let_readers_skip_work(store):
    store.sql("SELECT 1")
    assert {"https://www.belta.by/1", "https://tass.com/2"} <= stored_urls(store)
    assert stored_origins(store, "<test a1") == {"<test a1>"}
    opts = ReadOptions()
    remember_store(opts, store)
    assert opts.known_url("https://tass.com/2") and not opts.known_url("https://tass.com/9")


def test_gdelt_mentions_export_and_update_files(store, tmp_path):
    from communique.exports import GDELT_MENTIONS_COLUMNS, export, write_update

    n = export(store, "gdelt-mentions", tmp_path / "m.tsv")
    rows = list(csv.reader(open(tmp_path / "m.tsv", encoding="utf-8"), delimiter="\t"))
    assert n == len(rows) == 4 and all(len(r) == len(GDELT_MENTIONS_COLUMNS) == 16 for r in rows)
    names = {r[4] for r in rows}
    assert names == {"belta.by", "tass.com", "bbc.co.uk", "Local"}       # MentionSourceName
    assert {r[3] for r in rows} == {"1", "3"}                            # web / other archive
    tmp_add = datetime.now(UTC)
    upd = write_update(store, tmp_add - timedelta(hours=1), tmp_add + timedelta(seconds=1), tmp_path / "upd")
    assert upd["events"] == 3 and upd["mentions"] == 4
    lines = (tmp_path / "upd" / "lastupdate.txt").read_text().splitlines()
    assert [ln.split()[2] for ln in lines] == [f"{upd['stamp']}.export.CSV.zip", f"{upd['stamp']}.mentions.CSV.zip"]
    with zipfile.ZipFile(tmp_path / "upd" / lines[0].split()[2]) as z:
        (member,) = z.namelist()
        events = list(csv.reader(io.TextIOWrapper(z.open(member), encoding="utf-8"), delimiter="\t"))
    assert member == f"{upd['stamp']}.export.CSV" and len(events) == 3 and all(len(r) == 61 for r in events)
    empty = write_update(store, tmp_add + timedelta(seconds=1), tmp_add + timedelta(seconds=2), tmp_path / "upd")
    assert empty["events"] == 0 and empty["mentions"] == 0
    assert len((tmp_path / "upd" / "updates.txt").read_text().splitlines()) == 4


def test_extraction_metadata_is_stored_as_json(tmp_path):
    art, rec = report("Xi Jinping met Alexander Lukashenko in Tianjin.", date="2025-08-29", id="w1",
                      url="https://www.belta.by/1")
    art.language, art.author = "en", "A. Writer"
    art.extraction = {"extractor": "trafilatura 2.3.1", "input": "warc", "warc_record_id": "<urn:uuid:1>"}
    rec.article = art.meta()
    s = open_store(tmp_path / "s", create=True)
    s.add([(art, rec)], dedup=False)
    row = s.sql("SELECT language, author, extraction FROM articles").iloc[0]
    assert row["language"] == "en" and row["author"] == "A. Writer"
    assert json.loads(row["extraction"])["warc_record_id"] == "<urn:uuid:1>"
    s.close()


def test_query_outlets_and_outlet_filters_on_the_command_line(store):
    from typer.testing import CliRunner

    from communique.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["query", "outlets", "--by", "country", "--store", str(store.root), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = {r["country"]: r for r in json.loads(res.output)}
    assert rows["GBR"]["articles"] == 1 and rows["RUS"]["outlets"] == 1
    res = runner.invoke(app, ["query", "events", "--outlet-country", "GBR", "--store", str(store.root),
                              "--format", "json"])
    assert res.exit_code == 0 and [e["cameo"] for e in json.loads(res.output)] == ["111"]
    res = runner.invoke(app, ["query", "dyad", "CHN", "BLR", "--outlet", "belta.by", "--store", str(store.root),
                              "--format", "json"])
    assert res.exit_code == 0 and sum(r["events"] for r in json.loads(res.output)) == 1


# -- properties ----------------------------------------------------------------------------------
_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


@given(st.lists(_label, min_size=1, max_size=4), st.sampled_from(["com", "co.uk", "de", "io", "org", "example"]),
       st.sampled_from(["http", "https"]), st.text(alphabet="abc/-_?=", max_size=20))
def test_domain_is_a_suffix_of_the_host(labels, suffix, scheme, path):
    host = ".".join(labels) + "." + suffix
    domain = domain_of(f"{scheme}://{host.upper()}/{path}")
    assert domain is not None and host.endswith(domain) and domain == domain.lower()
    assert domain.count(".") >= suffix.count(".")


@given(st.text(max_size=300))
def test_any_text_is_a_url_list_or_not_without_crashing(text):
    from communique.fetch.pages import is_url_list, parse_url_list

    data = text.encode("utf-8", "surrogatepass") if text else b""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return
    items = list(parse_url_list(data, "l.txt"))
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert len(items) == len(lines)
    if is_url_list(data):
        assert any(not isinstance(i, type(None)) and hasattr(i, "url") for i in items)
