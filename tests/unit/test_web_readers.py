"""Web pages (readers.html): extraction from realistic pages, metadata, encodings, languages, bad input,
HTML in JSON Lines and CSV, and property tests."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communique.readers import read_inputs, read_path
from communique.readers.csvfile import read_csv
from communique.readers.html import (
    PageContext,
    clean_text,
    decode_html,
    page_to_article,
    read_html,
)
from communique.readers.jsonl import read_jsonl
from communique.readers.options import ReadOptions, parse_langs
from communique.records import Article, Rejected
from tests.fixtures.pages import FIXTURES, corpus, page

HTML = Path(__file__).resolve().parents[1] / "fixtures" / "html"


def _original(aid: str) -> str:
    text = next(a["text"] for a in corpus() if a["id"] == aid)
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def _one(items) -> Article | Rejected:
    items = list(items)
    assert len(items) == 1, items
    return items[0]


@pytest.mark.parametrize("name", [n for n in FIXTURES if not n.startswith("agency-")])
def test_main_text_is_exactly_the_story_with_paragraphs(name):
    """Navigation, cookie banners, share buttons, ads, related links, newsletter boxes, comments,
    sidebars, footers and scripts are gone; the story's paragraphs are kept, a blank line apart."""
    art = _one(read_html((HTML / name).read_bytes(), name))
    assert isinstance(art, Article), art
    assert art.text == _original(FIXTURES[name][0])
    for chrome in ("cookies", "Most read", "Sign up", "Reply", "Advertisement", "Share", "Privacy", "Top Stories",
                   "Jump to navigation", "Have an opinion"):
        assert chrome not in art.text


def test_old_table_layout_page_drops_menus_datelines_and_contacts():
    art = _one(read_html((HTML / "agency-yushchenko.html").read_bytes(), "agency"))
    assert art.text.startswith("With nearly all votes counted")
    assert "Newsroom" not in art.text and "Media contact" not in art.text and "###" not in art.text
    assert "Back to Press Releases" not in art.text
    assert art.extraction["encoding"] == "cp1252"          # declared windows-1252, read as such
    assert "—" in art.text                                  # a cp1252 byte decoded right


@pytest.mark.parametrize(("name", "title", "date", "author", "site", "url"), [
    ("ledger-syria-kurds.html", "Kurds announce deal with Assad's government as Turkey invades Syria's northeast",
     "2019-10-15", "Maria Okafor", "The Daily Ledger", "https://www.dailyledger.example/2019/10/15/"),
    ("northwind-iran-jet.html", "Iran admits downing Ukrainian jet, cites 'human error'", "2020-01-13",
     "Daniel Reyes", "Northwind Post", "https://northwindpost.example/2020/01/13/"),
    ("wiki-states-sue.html", "Sixteen states sue U.S. President Trump to stop declaration of emergency for border "
     "wall", "2019-02-21", None, "Wikinews-style wiki", "https://news.wiki.example/wiki/Sixteen_states"),
    ("agency-yushchenko.html", "Yushchenko claims victory in re-run", "2004-12-27", None,
     "Office of Public Affairs", None),
])
def test_metadata_from_the_page(name, title, date, author, site, url):
    art = _one(read_html((HTML / name).read_bytes(), name, default_id=name))
    assert (art.title, art.date, art.author, art.site_name) == (title, date, author, site)
    assert art.language == "en" and art.extraction["language_confidence"] > 0.9
    assert art.extraction["date_from"] == "page" and art.extraction["page_date"] == date
    assert art.extraction["extractor"].startswith("trafilatura ")
    if url:
        assert art.url.startswith(url)                      # the canonical URL of the page
        assert art.extraction["canonical_url"] == art.url
        assert art.source_domain == art.source and art.source_domain in art.url
    else:
        assert art.url is None and art.source_domain is None


def test_page_date_wins_over_the_container_date_with_a_warning():
    data = (HTML / "ledger-hong-kong.html").read_bytes()
    art = page_to_article(data, "x", PageContext(date="2021-01-01", date_from="input"))
    assert art.date == "2019-10-02"
    assert any("input says 2021-01-01" in w for w in art.warnings)
    undated = data.replace(b"2019-10-02", b"").replace(b"Wednesday, October 2, 2019", b"").replace(b"2019/10/02", b"")
    crawl = page_to_article(undated, "x",
                            PageContext(date="2024-10-01", date_from="crawl"))
    assert crawl.date == "2024-10-01" and crawl.extraction["date_from"] == "crawl"
    assert any("crawl date" in w for w in crawl.warnings)


def test_a_syndicated_copy_keeps_its_own_url_and_outlet():
    data = (HTML / "ledger-hong-kong.html").read_bytes()
    art = page_to_article(data, "x", PageContext(url="https://www.bbc.co.uk/news/world-123", input="web"))
    assert art.url == "https://www.bbc.co.uk/news/world-123"       # canonical points to another site
    assert art.extraction["canonical_url"].startswith("https://www.dailyledger.example/")
    assert (art.source_domain, art.source_country, art.source) == ("bbc.co.uk", "GBR", "bbc.co.uk")


def test_wrongly_declared_encoding_is_corrected_and_said():
    art = _one(read_html((HTML / "declared-latin1-is-utf8.html").read_bytes(), "mis"))
    assert "Luiz Inácio Lula da Silva" in art.text and "Ã" not in art.text
    assert any("declares iso-8859-1 but its bytes are valid UTF-8" in w for w in art.warnings)


@pytest.mark.parametrize(("raw", "http", "text", "enc", "warned"), [
    ("Café".encode(), None, "Café", "utf-8", False),
    ("Café".encode("cp1252"), "windows-1252", "Café", "cp1252", False),
    ("Café “quoted”".encode("cp1252"), "iso-8859-1", "Café “quoted”", "cp1252", False),   # WHATWG: latin-1 = cp1252
    ("Café".encode(), "iso-8859-1", "Café", "utf-8", True),
    ("Café".encode("cp1252"), "utf-8", "Café", "cp1252", True),
    ("Привет мир, как дела у всех сегодня".encode("koi8-r"), "koi8-r", "Привет мир, как дела у всех сегодня",
     "koi8-r", False),
    ("Café".encode(), "no-such-charset", "Café", "utf-8", True),
])
def test_decode_html(raw, http, text, enc, warned):
    got, encoding, warning = decode_html(b"<p>" + raw + b"</p>", http)
    assert got == f"<p>{text}</p>" and encoding == enc and bool(warning) == warned


def test_charset_from_the_meta_tag():
    data = '<html><head><meta charset="windows-1251"></head><body><p>Новости</p></body></html>'.encode("cp1251")
    assert "Новости" in decode_html(data)[0]


def test_other_languages_are_skipped_with_the_reason_and_counted():
    opts = ReadOptions()
    rej = _one(read_html((HTML / "french-budget.html").read_bytes(), "fr.html", options=opts))
    assert isinstance(rej, Rejected)
    assert rej.reason.startswith("language fr, not en") and "--lang fr" in rej.hint
    assert opts.stats["language:fr"] == 1
    art = _one(read_html((HTML / "french-budget.html").read_bytes(), "fr.html", options=ReadOptions(lang=("fr",))))
    assert art.language == "fr" and art.text.startswith("Le conseil municipal a adopté")
    assert _one(read_html((HTML / "french-budget.html").read_bytes(), "x", options=ReadOptions(lang=None))).language == "fr"


@pytest.mark.parametrize(("value", "langs"), [(None, ("en",)), ("en", ("en",)), ("en,fr", ("en", "fr")),
                                               ("EN fr", ("en", "fr")), ("any", None), ("*", None)])
def test_parse_langs(value, langs):
    assert parse_langs(value) == langs


@pytest.mark.parametrize(("data", "reason"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not an HTML page: a PDF document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an HTML page: a PNG image"),
    (b"\x00\x01\x02\x03" * 100, "not an HTML page: binary data"),
    (b"Just some plain text, no markup at all, about the news of the day.", "not an HTML page: no HTML tags"),
    ((HTML / "no-article-text.html").read_bytes(), "no article text on the page"),
    (b"<html><body><p>Too short.</p></body></html>", "no article text on the page"),
])
def test_what_is_not_an_article_page_is_rejected_with_a_reason(data, reason):
    rej = page_to_article(data, "page.html")
    assert isinstance(rej, Rejected) and rej.reason.startswith(reason) and rej.origin == "page.html"


def test_a_50_mb_page_is_rejected_without_parsing():
    big = b"<html><body>" + b"<p>" + b"word " * (10 * 2**20) + b"</p></body></html>"
    assert len(big) > 50 * 2**20
    rej = page_to_article(big, "huge.html")
    assert isinstance(rej, Rejected) and rej.reason.startswith("page is 50.0 MB, over the 10 MB limit")
    path_items = list(read_path(_write(big, "huge.html")))
    assert isinstance(path_items[0], Rejected) and path_items[0].reason.startswith("page is 50.0 MB, over the 10 MB")


def _write(data: bytes, name: str) -> Path:
    import tempfile

    d = Path(tempfile.mkdtemp())
    (d / name).write_bytes(data)
    return d / name


def test_xhtml_with_an_xml_declaration():
    _, html = page(corpus(3)[2], 0)
    data = ('<?xml version="1.0" encoding="utf-8"?>\n' + html).encode()
    assert isinstance(page_to_article(data, "x.xhtml"), Article)


def test_html_field_of_json_lines_and_html_column_of_csv():
    data = (HTML / "northwind-iran-jet.html").read_text(encoding="utf-8")
    lines = [json.dumps({"id": "p1", "html": data, "url": "https://northwindpost.example/x", "date": "2020-01-14"}),
             json.dumps({"id": "p2", "text": data}),       # a whole page in "text" is a page too
             json.dumps({"id": "p3", "text": "<b>bold</b> plain text stays text"})]
    items = list(read_jsonl(io.BytesIO("\n".join(lines).encode()), "pages.jsonl"))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Article"]
    assert items[0].id == "p1" and items[0].date == "2020-01-13" and items[0].text.startswith("On Saturday morning")
    assert any("input says 2020-01-14" in w for w in items[0].warnings)
    assert items[0].source_domain == "northwindpost.example"
    assert items[1].text == items[0].text and items[2].text.startswith("<b>bold</b>")
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "url", "html"])
    w.writerow(["c1", "https://northwindpost.example/x", data])
    (art,) = list(read_csv(io.BytesIO(buf.getvalue().encode()), "pages.csv"))
    assert art.id == "c1" and art.text == items[0].text and art.origin.startswith("pages.csv:")


def test_html_files_in_folders_and_by_suffix(tmp_path):
    (tmp_path / "a.html").write_bytes((HTML / "ledger-hong-kong.html").read_bytes())
    (tmp_path / "b.htm").write_bytes((HTML / "french-budget.html").read_bytes())
    items = list(read_inputs([tmp_path], options=ReadOptions()))
    assert isinstance(items[0], Article) and items[0].id == "a" and items[0].origin.endswith("a.html")
    assert isinstance(items[1], Rejected) and "language fr" in items[1].reason


def test_clean_text_trims_chrome_at_the_edges_only():
    text = "Home | News | Sport\nHeadline here\nFirst paragraph of the story, which is long enough.\n" \
           "Second paragraph.\nMedia contact: Press Office\nSources\nWire, 2020"
    assert clean_text(text, "Headline here") == ("First paragraph of the story, which is long enough.\n\n"
                                                 "Second paragraph.")


# -- properties ---------------------------------------------------------------------------------
@given(st.binary(max_size=3000))
def test_any_bytes_give_an_article_or_a_rejection(data):
    item = page_to_article(data, "fuzz.html")
    assert isinstance(item, (Article, Rejected))
    if isinstance(item, Article):
        assert item.text.strip() and "\n\n\n" not in item.text


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200),
                min_size=1, max_size=12), st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_pages_of_any_text_decode_and_never_crash(paras, encoding):
    body = "".join(f"<p>{p.replace('<', ' ').replace('&', ' ')}</p>" for p in paras)
    html = f'<html><head><meta charset="{encoding}"><title>t</title></head><body><article>{body}</article></body></html>'
    try:
        data = html.encode(encoding)
    except UnicodeEncodeError:
        data = html.encode("utf-8")
    text, enc, _ = decode_html(data)
    assert "<article>" in text
    item = page_to_article(data, "p.html", options=ReadOptions(lang=None))
    assert isinstance(item, (Article, Rejected))


@given(st.lists(st.text(alphabet="abcdefgh .,|", min_size=0, max_size=60), max_size=15), st.text(max_size=30))
def test_clean_text_only_removes_lines(lines, title):
    out = clean_text("\n".join(lines), title)
    kept = [ln for ln in out.split("\n\n") if ln]
    normalised = [" ".join(ln.split()) for ln in lines]
    assert all(k in normalised for k in kept)
    assert clean_text(out, None) == clean_text(clean_text(out, None), None)
