"""Web archives (readers.warc): WARC files written here with warcio from the HTML fixtures; what is kept,
what is skipped and why, damaged files, stable origins and cheap resumption."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.readers import costly, format_for, read_inputs
from communique.readers import warc as warc_mod
from communique.readers.options import ReadOptions
from communique.readers.warc import read_warc
from communique.records import Article, Rejected
from tests.fixtures.warcs import Rec, fixture_records, write_warc

HTML = Path(__file__).resolve().parents[1] / "fixtures" / "html"
ENGLISH = 7      # fixtures that are English article pages


def _mixed() -> list[Rec]:
    return fixture_records() + [
        Rec("https://x.example/report.pdf", b"%PDF-1.4 ...", content_type="application/pdf"),
        Rec("https://x.example/gone", b"<html><body>Not found</body></html>", status="404 Not Found"),
        Rec("https://x.example/moved", b"", status="301 Moved Permanently",
            extra_headers=[("Location", "https://x.example/new")]),
        Rec("https://x.example/again", b"", kind="revisit"),
        Rec("https://x.example/photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", content_type="text/html"),
    ]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    return write_warc(tmp_path_factory.mktemp("warc") / "crawl.warc.gz", _mixed())


def _split(items):
    items = list(items)
    arts = [i for i in items if isinstance(i, Article)]
    rej = [i for i in items if isinstance(i, Rejected)]
    return arts, rej


def test_only_successful_html_responses_in_english_become_articles(mixed):
    opts = ReadOptions()
    arts, rej = _split(read_warc(mixed, options=opts))
    assert len(arts) == ENGLISH
    assert all(a.extraction["input"] == "warc" and a.extraction["http_status"] == 200 for a in arts)
    assert all(a.extraction["warc_record_id"].startswith("<urn:uuid:") for a in arts)
    assert all(a.extraction["fetched_at"] == "2024-10-01T12:00:00Z" for a in arts)
    assert all(a.date and a.date < "2021" for a in arts)                     # the page's date, not the crawl's
    reasons = sorted(r.reason.split(" (")[0].split(" for ")[0].split(":")[0] for r in rej)
    assert reasons == ["HTTP 301 response", "HTTP 404 response", "language fr, not en", "no article text on the page",
                       "not an HTML page", "not an HTML page"]
    n = len(_mixed())
    assert opts.stats["warc:revisits"] == 1 and opts.stats["warc:other-records"] == 1 + n   # warcinfo + requests
    assert opts.stats["warc:records"] == 1 + 2 * n
    assert opts.stats["language:fr"] == 1


def test_origins_are_record_offsets_and_stable(mixed):
    first = [i.origin for i in read_warc(mixed)]
    assert first == [i.origin for i in read_warc(mixed)]
    assert all(o.startswith(f"{mixed}@") and o.split("@")[1].isdigit() for o in first)
    # the offset points at the record: a WARC reader opened there reads that very record
    from warcio.archiveiterator import ArchiveIterator

    art = next(i for i in read_warc(mixed) if isinstance(i, Article))
    with open(mixed, "rb") as fh:
        fh.seek(int(art.origin.split("@")[1]))
        rec = next(iter(ArchiveIterator(fh)))
        assert rec.rec_type == "response" and art.extraction["fetched_url"] == rec.rec_headers.get_header(
            "WARC-Target-URI")


def test_resuming_skips_stored_records_without_extracting_them(mixed, monkeypatch):
    everything = list(read_warc(mixed))
    done = {i.origin for i in everything[:6]}
    calls = []
    real = warc_mod.page_to_article
    monkeypatch.setattr(warc_mod, "page_to_article", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    opts = ReadOptions(done_origins=lambda prefix: {o for o in done if o.startswith(prefix)})
    rest = list(read_warc(mixed, options=opts))
    assert [i.origin for i in rest] == [i.origin for i in everything[6:]]
    assert not done & set(calls)
    assert opts.stats["warc:already-stored"] == 6


def test_uncompressed_warc_and_detection(tmp_path):
    path = write_warc(tmp_path / "plain.warc", fixture_records()[:3], gzip=False)
    assert format_for(path) == "warc" and costly([path])
    arts, _ = _split(read_inputs([path], options=ReadOptions(lang=None)))
    assert len(arts) == 3


def test_a_truncated_file_keeps_the_records_before_the_cut(mixed, tmp_path):
    data = mixed.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    items = list(read_warc(cut))
    arts, rej = _split(items)
    whole_arts, _ = _split(read_warc(mixed))
    assert 0 < len(arts) < len(whole_arts)
    assert [a.text for a in arts] == [a.text for a in whole_arts[: len(arts)]]
    assert rej[-1].reason.startswith(("the file ends in the middle of a record", "record truncated"))
    assert "download it again" in rej[-1].hint


def test_corrupt_bytes_in_the_middle_skip_one_record_and_the_rest_is_read(mixed, tmp_path):
    data = bytearray(mixed.read_bytes())
    origins = [i.origin for i in read_warc(mixed) if isinstance(i, Article)]
    target = int(origins[3].split("@")[1])          # damage the fourth article's record
    data[target + 40: target + 240] = b"\x00" * 200
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(bytes(data))
    arts, rej = _split(read_warc(bad))
    assert [a.origin for a in arts] == [o.replace(str(mixed), str(bad)) for o in origins if o != origins[3]]
    corrupt = [r for r in rej if r.reason.startswith("corrupt WARC data")]
    assert len(corrupt) == 1 and "bytes skipped" in corrupt[0].reason
    assert "\\x" not in corrupt[0].reason       # no raw bytes in the message


def test_not_a_warc_at_all(tmp_path):
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"this is not an archive\n" * 10)
    (rej,) = list(read_warc(junk))
    assert isinstance(rej, Rejected) and rej.reason == "not a WARC or ARC file (it starts with 'this is not an archi')"


def test_truncated_record_and_crawler_truncation(tmp_path):
    page = (HTML / "ledger-hong-kong.html").read_bytes()
    path = write_warc(tmp_path / "t.warc.gz", [
        Rec("https://a.example/1", page, extra_headers=[("X-Note", "1")]),
    ])
    # a record whose HTTP body is shorter than its Content-Length says
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    short = tmp_path / "short.warc.gz"
    with open(short, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(page) + 500))],
                                protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://a.example/2", "response", payload=io.BytesIO(page),
                                            http_headers=http))
        http2 = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(page)))],
                                 protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://a.example/3", "response", payload=io.BytesIO(page),
                                            http_headers=http2, warc_headers_dict={"WARC-Truncated": "length"}))
    (rej, art) = list(read_warc(short))
    assert isinstance(rej, Rejected) and rej.reason.startswith("record truncated")
    assert isinstance(art, Article) and any("crawler truncated this page" in w for w in art.warnings)
    assert len(list(read_warc(path))) == 1


def test_oversized_record_is_skipped_unread(tmp_path):
    big = b"<html><body><p>" + b"x" * (2 * 2**20) + b"</p></body></html>"
    path = write_warc(tmp_path / "big.warc.gz", [Rec("https://a.example/big", big)] + fixture_records()[:1])
    items = list(read_warc(path, options=ReadOptions(max_page_bytes=2**20)))
    assert isinstance(items[0], Rejected) and "over the 1 MB limit" in items[0].reason
    assert isinstance(items[1], Article)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(min_value=0.0, max_value=1.0))
def test_any_truncation_point_never_raises(tmp_path_factory, fraction):
    src = tmp_path_factory.getbasetemp() / "prop.warc.gz"
    if not src.exists():
        write_warc(src, fixture_records()[:4])
    data = src.read_bytes()
    cut = tmp_path_factory.getbasetemp() / "prop-cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * fraction)])
    items = list(read_warc(cut))
    assert all(isinstance(i, (Article, Rejected)) for i in items)
    assert sum(isinstance(i, Article) for i in items) <= 4
