"""Readers: headers, formats, encodings and bad input that is reported, never fatal."""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.readers import read_inputs, read_path
from communique.readers.text import split_header
from communique.records import Article, Rejected


@pytest.mark.parametrize(
    ("raw", "fields", "body"),
    [
        (" date 2025-08-29 President of Belarus met.", {"date": "2025-08-29"}, "President of Belarus met."),
        ("date 2025-08-29\nBody here.", {"date": "2025-08-29"}, "Body here."),
        ("date: 2025-08-29\ntitle: A title\n\nBody.", {"date": "2025-08-29", "title": "A title"}, "Body."),
        ("Date palms grow in Iraq.", {}, "Date palms grow in Iraq."),
        ("\tdate 2025-8-9 Text", {"date": "2025-8-9"}, "Text"),
        ("url: https://x.org/a\ndate 2024-01-02\nText", {"url": "https://x.org/a", "date": "2024-01-02"}, "Text"),
        ("No header at all.", {}, "No header at all."),
    ],
)
def test_split_header(raw, fields, body):
    got_fields, got_body = split_header(raw)
    assert got_fields == fields
    assert got_body == body


@given(st.text(max_size=300))
@settings(max_examples=300)
def test_split_header_never_raises_and_body_is_a_suffix(raw):
    fields, body = split_header(raw)
    assert raw.endswith(body)
    assert isinstance(fields, dict)


def _items(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return list(read_path(p))


def test_text_file_with_inline_date_header(tmp_path):
    (art,) = _items(tmp_path, "belta.txt", b" date 2025-08-29 President of Belarus met Xi.")
    assert isinstance(art, Article)
    assert art.date == "2025-08-29"
    assert art.text == "President of Belarus met Xi."
    assert art.id == "belta"


def test_utf8_bom_is_not_text(tmp_path):
    (art,) = _items(tmp_path, "a.txt", "\ufeffHello world.".encode())
    assert art.text == "Hello world."
    assert art.warnings == []


def test_non_utf8_is_decoded_with_a_warning(tmp_path):
    (art,) = _items(tmp_path, "cp.txt", "Le président a dit «non» à Paris, café, élève.".encode("cp1252"))
    assert isinstance(art, Article)
    assert "président" in art.text
    assert any("not valid UTF-8" in w and "cp.txt" in w for w in art.warnings)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"   \n\n ", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file"),
        ("header-only.txt", b"date 2025-01-01\n", "no article text"),
    ],
)
def test_bad_text_files_are_rejected_with_reason(tmp_path, name, data, reason):
    (item,) = _items(tmp_path, name, data)
    assert isinstance(item, Rejected)
    assert reason in item.reason
    assert name in item.origin


def test_bad_date_keeps_article_with_warning(tmp_path):
    (art,) = _items(tmp_path, "d.txt", b"date: 2025-13-45\nThe talks ended.")
    assert isinstance(art, Article)
    assert art.date is None
    assert any("2025-13-45" in w and "d.txt:1" in w for w in art.warnings)


def test_jsonl_bad_lines_are_reported_and_rest_coded(tmp_path):
    lines = [
        json.dumps({"id": "ok1", "text": "First.", "date": "2024-02-03", "title": "T"}),
        "[1, 2, 3]",
        "{not json",
        json.dumps({"id": "notext"}),
        json.dumps({"id": "emptytext", "text": "  "}),
        json.dumps({"id": "baddate", "text": "Second.", "date": "yesterday"}),
        json.dumps({"text": "No id here."}),
        "",
    ]
    items = _items(tmp_path, "in.jsonl", "\n".join(lines).encode())
    arts = [i for i in items if isinstance(i, Article)]
    rej = [i for i in items if isinstance(i, Rejected)]
    assert [a.id for a in arts[:2]] == ["ok1", "baddate"]
    assert arts[0].title == "T" and arts[0].date == "2024-02-03"
    assert arts[1].date is None and any("yesterday" in w for w in arts[1].warnings)
    assert arts[2].id.startswith("sha1-")  # stable content hash
    assert [r.origin.rsplit(":", 1)[1] for r in rej] == ["2", "3", "4", "5"]
    assert "not an object" in rej[0].reason
    assert "invalid JSON" in rej[1].reason
    assert rej[2].id == "notext" and "no \"text\"" in rej[2].reason


def test_jsonl_non_utf8_line(tmp_path):
    raw = json.dumps({"id": "x", "text": "Café in Zürich"}, ensure_ascii=False).encode("latin-1")
    (art,) = _items(tmp_path, "l.jsonl", raw)
    assert art.text == "Café in Zürich"
    assert art.warnings and "l.jsonl:1" in art.warnings[0]


def test_content_hash_id_is_stable():
    assert Article(text="same").id == Article(text="same").id != Article(text="other").id


def test_csv_reader_with_text_column(tmp_path):
    data = "id,date,title,text\n1,2024-01-01,T1,\"Hello, world.\"\n2,2024-01-02,T2,\n3,bad,T3,Third\n"
    items = _items(tmp_path, "a.csv", data.encode())
    arts = [i for i in items if isinstance(i, Article)]
    rej = [i for i in items if isinstance(i, Rejected)]
    assert [a.id for a in arts] == ["1", "3"]
    assert arts[0].text == "Hello, world."
    assert arts[1].date is None and arts[1].warnings
    assert len(rej) == 1 and rej[0].origin.endswith(":3")


def test_csv_without_text_column_is_rejected(tmp_path):
    (item,) = _items(tmp_path, "b.csv", b"id,body2\n1,x\n")
    assert isinstance(item, Rejected) and "--text-column" in item.hint


def test_tsv_and_gzip(tmp_path):
    p = tmp_path / "a.tsv.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write("id\ttext\nA\tSome text here\n")
    (art,) = list(read_path(p))
    assert art.id == "A" and art.text == "Some text here"


def test_directory_is_recursive_sorted_and_reports_unknown(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Two.")
    (tmp_path / "1.txt").write_text("One.")
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text("Hidden.")
    items = list(read_path(tmp_path))
    assert [i.text for i in items if isinstance(i, Article)] == ["One.", "Two."]
    (rej,) = [i for i in items if isinstance(i, Rejected)]
    assert rej.origin.endswith("x.pdf") and "unknown file type" in rej.reason


def test_missing_path_is_rejected():
    (item,) = list(read_inputs(["/nonexistent/file.txt"]))
    assert isinstance(item, Rejected) and "no such file" in item.reason


@given(st.binary(max_size=400))
@settings(max_examples=200)
def test_any_bytes_yield_articles_or_rejections(tmp_path_factory, data):
    d = tmp_path_factory.mktemp("fuzz")
    for name in ("f.txt", "f.jsonl", "f.csv"):
        p = d / name
        p.write_bytes(data)
        for item in read_path(p):
            assert isinstance(item, (Article, Rejected))
            if isinstance(item, Article):
                assert item.text.strip()
