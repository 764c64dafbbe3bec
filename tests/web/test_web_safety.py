"""The server's safety rules: read-only store, bound parameters, limits with clear 4xx answers,
escaping of article text, the Content-Security-Policy, the Host check and the token."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import make_client

from communique.errors import StoreError
from communique.web.db import QueryTimeout, ReadOnlyStore

INJECTIONS = ["'; DROP TABLE events; --", "BLR' OR '1'='1", "%", "_", "\\", '") OR 1=1 --', "\x00", "ümlaut ☃"]


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest() + str(p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_nothing_a_request_sends_changes_the_store_or_reaches_sql_as_text(web_store, client):
    root = web_store[0]
    before = snapshot(root)
    for bad in INJECTIONS:
        for path, param in (("/api/v1/events", "actor"), ("/api/v1/events", "text"), ("/api/v1/events", "location"),
                            ("/api/v1/events", "outlet"), ("/api/v1/events", "place"), ("/api/v1/events", "story"),
                            ("/api/v1/quotes", "speaker"), ("/api/v1/quotes", "contains"),
                            ("/api/v1/quotes", "mentioned"), ("/api/v1/stories", "q"), ("/api/v1/articles", "q"),
                            ("/events", "actor"), ("/quotes", "speaker"), ("/articles", "q")):
            r = client.get(path, params={param: bad})
            # a value either matches nothing / something, or is refused with 422: never a server error
            assert r.status_code in (200, 422), (path, param, bad, r.status_code, r.text[:300])
        assert client.get(f"/api/v1/events/{quote(bad, safe='')}").status_code in (404, 422)
        assert client.get(f"/api/v1/articles/{quote(bad, safe='')}").status_code in (404, 422)
    assert client.get("/api/v1/events", params={"actor": "' OR '1'='1"}).json()["items"] == []
    assert client.get("/api/v1/health").json()["events"] == web_store[1]["events"]
    assert snapshot(root) == before


def test_the_catalog_is_read_only_and_cannot_reach_other_files(web_store, tmp_path):
    db = ReadOnlyStore(web_store[0])
    con = db.catalog.con
    outside = tmp_path / "leak.csv"
    for sql in ("CREATE TABLE t (a INT)", "DROP VIEW events", "INSERT INTO _gdelt_fips VALUES ('a', 'b', 'c')",
                f"COPY (SELECT 1) TO '{outside}'", "SELECT * FROM read_csv('/etc/passwd')",
                "SET enable_external_access = true", f"ATTACH '{tmp_path / 'x.db'}' AS x"):
        with pytest.raises(Exception):  # noqa: B017 - DuckDB raises several kinds; any refusal will do
            con.execute(sql)
    assert not outside.exists()
    # the catalog lives outside the store and goes away with the server
    assert web_store[0] not in db.catalog.path.parents
    db.close()
    assert not db.catalog.path.exists()


def test_a_long_query_is_stopped_with_408(web_store, monkeypatch):
    db = ReadOnlyStore(web_store[0], query_timeout=0.3)
    with pytest.raises(QueryTimeout):
        db.query("SELECT count(*) FROM range(100000000000) a")
    from communique.web import service

    def slow(store, *a, **k):
        store.query("SELECT count(*) FROM range(100000000000) a, range(10) b")

    monkeypatch.setattr(service, "timeline", slow)
    with make_client(web_store[0], query_timeout=0.3) as c:
        r = c.get("/api/v1/timeline")
        assert r.status_code == 408
        body = r.json()
        assert "--query-timeout" in body["message"] and "narrow the filters" in body["accepted"]


def test_bad_parameters_get_422_naming_the_parameter_and_the_accepted_values(client):
    cases = {
        "/api/v1/timeline?freq=fortnight": ("freq", ["day", "week", "month", "year"]),
        "/api/v1/events?sort=random": ("sort", None),
        "/api/v1/events?country=CHINA": ("country", "ISO 3166 alpha-3"),
        "/api/v1/events?since=29/08/2025": ("since", None),
        "/api/v1/events?bbox=1,2,3": ("bbox", "min_lon,min_lat,max_lon,max_lat"),
        "/api/v1/events?quad=5": ("quad", "quad classes 1-4"),
        "/api/v1/events?plover=HUG": ("plover", None),
        "/api/v1/events?cursor=garbage": ("cursor", "next_cursor"),
        "/api/v1/events?limit=5000": ("limit", "an integer from 1 to 1000"),
        "/api/v1/events?countyr=BLR": ("countyr", None),
        "/api/v1/changes?by=city": ("by", ["country", "dyad", "root", "place_country"]),
        "/api/v1/export/xml": ("fmt", ["gdelt", "plover", "csv", "parquet"]),
        "/api/v1/dyad?a=CHN": ("b", "other side"),
        "/api/v1/events?since=2025-09-01&until=2025-01-01": ("until", "YYYY-MM-DD"),
        "/api/v1/articles?q=the": ("q", None),
    }
    for url, (param, accepted) in cases.items():
        r = client.get(url)
        assert r.status_code == 422, (url, r.status_code, r.text[:200])
        body = r.json()
        assert body["parameter"] == param and body["message"].startswith(param + ":"), (url, body)
        assert body["accepted"], (url, body)
        if isinstance(accepted, list):
            assert body["accepted"] == accepted, (url, body)
        elif accepted:
            assert accepted in str(body["accepted"]), (url, body)
    # an unknown parameter is told which ones exist; a sort is told its choices
    assert "country" in client.get("/api/v1/events?countyr=BLR").json()["accepted"]
    assert "-date" in client.get("/api/v1/events?sort=random").json()["accepted"]
    # a cursor of another sort order is refused, not misread
    cur = client.get("/api/v1/events", params={"limit": 2}).json()["next_cursor"]
    r = client.get("/api/v1/events", params={"limit": 2, "sort": "goldstein", "cursor": cur})
    assert r.status_code == 422 and "sort=-date" in r.json()["message"]
    # pages answer the same errors as HTML
    r = client.get("/events?since=yesterday")
    assert r.status_code == 422 and "text/html" in r.headers["content-type"] and "since" in r.text


def test_article_text_is_escaped_everywhere(client):
    key = client.get("/api/v1/articles", params={"q": "surrender"}).json()["items"][0]["article_key"]
    (eid,) = {e["event_id"] for e in client.get("/api/v1/events", params={"text": "shelling Kyiv"}).json()["items"]}
    pages = [f"/articles/{key}", f"/events/{eid}", "/events?country=UKR", "/quotes?speaker=Zelensky",
             "/articles?q=surrender", "/actors/UKRGOV", "/"]
    for path in pages:
        html = client.get(path).text
        assert "<script>alert" not in html and "<b>We will not" not in html and "<img src=x" not in html, path
        assert 'href="javascript:' not in html, path
    html = client.get(f"/articles/{key}").text
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; Kyiv &amp; &lt;b&gt;Moscow&lt;/b&gt;" in html
    assert "&lt;i&gt;Evil&lt;/i&gt; Wire" in html
    ev = client.get(f"/events/{eid}").text
    assert "&lt;script&gt;alert" in ev and "javascript:alert(1)" in ev   # the bad URL is shown, not linked
    # JSON carries the text as it is (JSON is not HTML), with the JSON content type
    r = client.get(f"/api/v1/articles/{key}")
    assert r.headers["content-type"] == "application/json" and '<script>alert("pwned")' in r.json()["text"]


def test_every_answer_has_the_csp_and_no_page_has_inline_script_or_style(client):
    for path in ("/", "/events", "/map", "/dyad?a=CHN&b=BLR", "/docs", "/api/v1/health", "/static/css/app.css",
                 "/api/v1/events/nope", "/nope"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
        if "text/html" in r.headers.get("content-type", ""):
            for tag in re.findall(r"<script\b[^>]*>", r.text):
                assert "src=" in tag, (path, tag)
            assert all(not body.strip() for body in re.findall(r"<script\b[^>]*>(.*?)</script>", r.text, re.S)), path
            assert not re.search(r"\son[a-z]+\s*=", r.text), path
            assert not re.search(r"\sstyle\s*=", r.text) and "<style" not in r.text, path


def test_docs_and_every_script_are_served_locally(client):
    html = client.get("/docs").text
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert srcs and all(s.startswith("/") or s.startswith("data:") for s in srcs), srcs
    for s in srcs:
        if s.startswith("/"):
            assert client.get(s).status_code == 200, s
    for page in ("/", "/map"):
        for s in re.findall(r'(?:src|href)="(/static/[^"]+)"', client.get(page).text):
            assert client.get(s).status_code == 200, s
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/timeline", "/api/v1/dyad", "/api/v1/changes",
            "/api/v1/places.geojson", "/api/v1/quotes", "/api/v1/actors/{code}", "/api/v1/articles",
            "/api/v1/stories", "/api/v1/sync", "/api/v1/export/{fmt}", "/api/v1/health"} <= set(spec["paths"])
    assert "/api/v1/code" not in spec["paths"]                      # only with --allow-code
    assert not any("sql" in p for p in spec["paths"])                # no SQL over HTTP, ever


def test_host_header_is_checked(web_store):
    from fastapi.testclient import TestClient

    from communique.web import WebSettings, create_app

    app = create_app(WebSettings(store=web_store[0]))      # bound to 127.0.0.1: loopback names only
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/v1/health").status_code == 200
        assert c.get("/api/v1/health", headers={"host": "evil.example"}).status_code == 400
    assert WebSettings(store=web_store[0], host="0.0.0.0").hosts() == ["*"]


def test_coding_is_off_unless_allowed_and_needs_the_token(web_store):
    with make_client(web_store[0]) as c:
        assert c.get("/code").status_code == 404
        assert c.post("/api/v1/code", json={"text": "x"}).status_code in (404, 405)
        assert "Code an article" not in c.get("/").text
    with make_client(web_store[0], allow_code=True, token="s3cret", max_body=2048) as c:
        assert "Code an article" in c.get("/").text
        r = c.post("/api/v1/code", json={"text": "Putin met Xi."})
        assert r.status_code == 401 and "Bearer" in r.json()["fix"]
        r = c.post("/api/v1/code", json={"text": "Putin met Xi."}, headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 401
        r = c.post("/code", data={"text": "Putin met Xi.", "token": "nope"})
        assert r.status_code == 401 and "token" in r.text
        # bodies over --max-body are refused before anything reads them
        r = c.post("/api/v1/code", content=b"x" * 5000, headers={"Authorization": "Bearer s3cret",
                                                                 "content-type": "application/json"})
        assert r.status_code == 413 and "--max-body" in r.json()["fix"]
        r = c.post("/code", content=iter([b"text=" + b"y" * 3000]),
                   headers={"content-type": "application/x-www-form-urlencoded"})
        assert r.status_code == 413
        r = c.post("/api/v1/code", json={"text": "x", "date": "soon"}, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 422 and r.json()["parameter"] == "date"


@pytest.mark.slow
def test_code_page_highlights_the_coded_text(web_store, pipeline):
    text = "President of Belarus Alexander Lukashenko met Xi Jinping in Tianjin on Friday."
    with make_client(web_store[0], allow_code=True, token="s3cret") as c:
        r = c.post("/code", data={"text": text, "date": "2025-08-29", "token": "s3cret"})
        assert r.status_code == 200
        for role in ("source", "trigger", "target", "place", "time"):
            assert f'class="hl hl-{role}"' in r.text, role
        r = c.post("/api/v1/code", json={"text": text, "date": "2025-08-29"},
                   headers={"Authorization": "Bearer s3cret"})
        rec = r.json()
        assert rec["schema"] == "communique/1" and rec["events"][0]["cameo"].startswith("04")


def test_the_server_sees_new_ingests_without_a_restart(plain_store, tmp_path):
    import sys

    from communique.store import Store

    root = tmp_path / "store"
    shutil.copytree(plain_store, root)
    db = ReadOnlyStore(root, check_every=0)
    n = db.scalar("SELECT count(*) FROM articles")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
    from _store_records import report

    s = Store(root)
    s.add([report("Vladimir Putin met Alexander Lukashenko in Minsk.\n", date="2025-10-02", source="TASS",
                  events=[("Vladimir Putin", "042", "Alexander Lukashenko", "met", "Minsk", "2025-10-02")])])
    s.close()
    assert db.scalar("SELECT count(*) FROM articles") == n + 1
    assert db.scalar("SELECT max(date) FROM events") == "2025-10-02"
    db.close()


def test_serve_refuses_a_missing_store_with_the_fix(tmp_path):
    from typer.testing import CliRunner

    from communique.cli import app

    r = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "none")])
    said = " ".join(r.output.split())
    assert r.exit_code != 0 and "no communique store here" in said and "communique ingest" in said
    with pytest.raises(StoreError):
        ReadOnlyStore(tmp_path / "none")
    help_text = " ".join(CliRunner().invoke(app, ["serve", "--help"]).output.split())
    assert "--allow-code" in help_text and "--token" in help_text and "127.0.0.1" in help_text


def test_make_demo_ends_with_the_command_that_opens_its_store(monkeypatch, capsys, tmp_path):
    from types import SimpleNamespace

    import pandas as pd

    import communique.engines.demo as engine_demo
    from communique.cli._store_demo import run_store_demo

    stats = {k: 1 for k in ("articles", "mentions", "events", "events_in_several_articles", "quotes", "errors")}
    canned = {"report": SimpleNamespace(articles=1, skipped=0), "stats": stats, "dyad": pd.DataFrame(),
              "top_dyads": pd.DataFrame(), "files": {"dyad": tmp_path / "d.png", "gdelt": tmp_path / "e.tsv"}}
    monkeypatch.setattr(engine_demo, "demo_store", lambda *a, **k: canned)
    run_store_demo(Path("out"), [])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.endswith("communique serve --store out/store")
