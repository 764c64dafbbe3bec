"""Readers: UTF-16/32 in every format, lone surrogates, deep JSON, and messages without Python
internals ("NoneType") or doubled words ("at at")."""

from __future__ import annotations

import io
import json

import pytest

from communique.readers import read_path
from communique.readers._decode import decode, replace_surrogates, wide_encoding
from communique.readers.jsonl import read_jsonl
from communique.records import Article, Rejected


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "txt"])
@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark(tmp_path, fmt, encoding):
    body = "Łukasz met “Zoë” in Kraków."
    data = {"jsonl": json.dumps({"id": "u", "text": body}, ensure_ascii=False) + "\n",
            "csv": f'id,text\nu,"{body}"\n', "txt": body + "\n"}[fmt]
    path = tmp_path / f"a.{fmt}"
    path.write_bytes(data.encode(encoding))        # Python writes the byte-order mark for these
    (item,) = list(read_path(path))
    assert isinstance(item, Article), item
    assert item.text.strip() == body and not item.warnings


def test_utf16_without_a_mark_is_recognised_not_called_binary():
    assert wide_encoding("plain text here".encode("utf-16-le")) == "utf-16-le"
    assert wide_encoding("plain text here".encode("utf-16-be")) == "utf-16-be"
    assert wide_encoding(b"plain text here") is None
    assert decode("Zoë met Łukasz".encode("utf-16-le")) == ("Zoë met Łukasz", None)


def test_lone_surrogates_become_replacement_characters_with_a_warning():
    assert replace_surrogates("a\ud800b\udfffc") == ("a\ufffdb\ufffdc", 2)
    (art,) = list(read_jsonl(io.BytesIO(b'{"id": "x", "text": "Xi met \\ud800 Putin."}\n'), "f.jsonl"))
    assert art.text == "Xi met \ufffd Putin." and "surrogate" in art.warnings[0] and art.warnings[0].startswith("f.jsonl:1")


@pytest.mark.parametrize(("line", "reason"), [
    (b"null", "the line is null, not an object"),
    (b"[1, 2]", "the line is an array, not an object"),
    (b'"text"', "the line is a string, not an object"),
    (b'{"text": null}', 'no "text" field'),
    (b'{"text": 5}', '"text" is a number, not a string'),
    (b'{"text": ["a"]}', '"text" is an array, not a string'),
    (b'{"text": "abc', "invalid JSON (Unterminated string starting at column 10)"),
    (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
])
def test_bad_lines_say_what_is_wrong_in_json_terms(line, reason):
    ok, item = list(read_jsonl(io.BytesIO(b'{"text": "Xi met Putin."}\n' + line), "f.jsonl"))
    assert isinstance(ok, Article)
    assert isinstance(item, Rejected) and reason in item.reason and item.origin == "f.jsonl:2"
    for bad in ("NoneType", "at at", " list,", " int,", " dict,"):
        assert bad not in item.message()


def test_a_deeply_nested_title_does_not_stop_the_article():
    line = b'{"text": "Xi met Putin.", "title": ' + b"[" * 300 + b"]" * 300 + b', "date": {"d": 1}}'
    (art,) = list(read_jsonl(io.BytesIO(line), "f.jsonl"))
    assert isinstance(art, Article) and art.text == "Xi met Putin."
    assert any("title" in w for w in art.warnings) and any("date" in w for w in art.warnings)
