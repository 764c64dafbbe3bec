"""The HTTP API on a small fixture store (hand-built records, no spaCy): every path, its filters,
pagination, formats, and graceful answers on a store without the de-duplication tables."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from communique.exports import export
from communique.store import EventFilter, open_store


def get(client, path, **params):
    r = client.get(path, params=params)
    assert r.status_code == 200, (path, params, r.text[:500])
    return r.json()


def ids(client, **params) -> set[str]:
    return {e["event_id"] for e in get(client, "/api/v1/events", limit=1000, **params)["items"]}


def test_health_reports_versions_size_and_last_ingest(client, web_store):
    h = get(client, "/api/v1/health")
    assert h["status"] == "ok" and h["read_only"] is True
    assert h["articles"] == web_store[1]["articles"] and h["events"] == web_store[1]["events"]
    assert h["store_bytes"] > 0 and h["store_files"] > 0 and h["last_ingest"] and h["version"]
    assert h["coder_versions"][0]["articles"] == h["articles"]
    assert h["contract_tables"] == {"stories": True, "story_articles": True, "copies": True, "changes": True}
    assert h["seq"] == 2


def test_events_filters_of_the_cli_match_the_store_queries(client, web_store):
    store = open_store(web_store[0])
    for params in ({"country": "BLR"}, {"root": "19"}, {"code": "04"}, {"actor": "Lukashenko"},
                   {"location": "Kyiv"}, {"text": "talks"}, {"since": "2025-09-01", "until": "2025-09-21"},
                   {"min_articles": 2}, {"source": "RUS"}, {"target": "BLRGOV"}, {"sector": "MIL"}):
        expected = set(store.events(EventFilter(limit=None, **params)).event_id)
        assert ids(client, **params) == expected, params
        assert expected, f"the fixture has no event for {params}"


def test_events_web_filters(client):
    all_ids = ids(client)
    both = ids(client, a="CHN,RUS", b="BLR")           # several actors per side, both directions
    assert both == ids(client, a="CHN", b="BLR") | ids(client, a="RUS", b="BLR")
    assert ids(client, a="BLR", b="CHN") == ids(client, a="CHN", b="BLR")
    assert ids(client, a="BLR", b="CHN", one_way="true") == set()
    assert ids(client, a="CHNGOV", b="BLRGOV", one_way="true") == ids(client, a="CHN", b="BLR", one_way="true")
    assert ids(client, plover="ASSAULT") == ids(client, root="19")
    assert ids(client, mode="visit") == ids(client, code="042")
    conflict = ids(client, quad="3,4")
    assert conflict == ids(client, quad="3") | ids(client, quad="4") and conflict < all_ids
    assert ids(client, goldstein_min=-10, goldstein_max=-10) == ids(client, root="19")
    assert ids(client, goldstein_min=0) == all_ids - conflict
    europe = ids(client, bbox="20,45,40,56")                # Kyiv, Kharkiv, Minsk, Moscow
    assert europe and europe == ids(client, place="Kyiv") | ids(client, place="Kharkiv") | \
        ids(client, place="Minsk") | ids(client, place="Moscow")
    assert ids(client, place="tianjin") == ids(client, place="1792947")
    assert ids(client, outlet="xinhua") == ids(client, outlet="xinhuanet.com") != set()
    assert ids(client, outlet_country="chn") == ids(client, outlet="xinhua")
    assert ids(client, min_confidence=0.9) == set() and ids(client, min_confidence=0.5) == all_ids
    assert ids(client, story="st-tianjin01") and ids(client, story="st-tianjin01") < all_ids


def test_events_by_acled_type_and_the_event_page_shows_acled_and_plover_modes(client):
    shelling = ids(client, acled="Explosions/Remote violence")
    assert shelling and shelling == ids(client, acled="shelling/artillery/missile attack")
    assert shelling < ids(client, root="19")        # "attacked Kyiv" reports carry no ACLED type
    assert shelling == ids(client, root="19", place="Kharkiv")
    assert ids(client, acled="Peaceful protest") == set()
    r = client.get("/api/v1/events", params={"acled": "Shootings"})
    assert r.status_code == 422 and "unknown ACLED type" in r.text
    eid = sorted(shelling)[0]
    ev = get(client, f"/api/v1/events/{eid}")
    assert ev["acled"][0]["value"] == "Explosions/Remote violence / Shelling/artillery/missile attack"
    assert ev["plover_modes"][0]["value"] == "heavy-weapons" and ev["plover_contexts"][0]["value"] == "military"
    page = client.get(f"/events/{eid}").text
    assert "Shelling/artillery/missile attack" in page and "heavy-weapons" in page and "military" in page
    # the manual's modes and contexts of a report are filters too; the codebook's modes still work
    assert ids(client, mode="heavy-weapons") == shelling == ids(client, context="military")
    assert ids(client, mode="visit,heavy-weapons") == ids(client, code="042") | shelling
    assert ids(client, context="economic") == set()
    r = client.get("/api/v1/events", params={"context": "warfare"})
    assert r.status_code == 422 and "unknown PLOVER context" in r.text
    listing = client.get("/events", params={"acled": "Explosions/Remote violence"}).text
    assert 'name="acled"' in listing and all(e in listing for e in shelling)


def test_events_cursor_pagination_visits_each_event_once(client):
    for sort in ("-date", "date", "goldstein", "-num_articles", "confidence"):
        seen, cursor, pages = [], None, 0
        while True:
            page = get(client, "/api/v1/events", limit=4, sort=sort, **({"cursor": cursor} if cursor else {}))
            seen += [e["event_id"] for e in page["items"]]
            pages += 1
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert len(seen) == len(set(seen)) == len(ids(client)), sort
        assert pages >= 7
    dates = [e["date"] for e in get(client, "/api/v1/events", limit=100)["items"]]
    assert dates == sorted(dates, reverse=True)
    assert get(client, "/api/v1/events", limit=3, count="true")["total"] == len(ids(client))


def test_events_csv_has_the_columns_and_rows(client):
    r = client.get("/api/v1/events", params={"format": "csv", "country": "BLR", "limit": 100})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["event_id"] for row in rows} == ids(client, country="BLR")
    assert {"event_id", "date", "cameo", "goldstein", "evidence", "story_id", "why"} <= set(rows[0])


def test_one_event_has_every_report_with_evidence_spans(client):
    (eid,) = ids(client, place="Tianjin")
    ev = get(client, f"/api/v1/events/{eid}")
    assert ev["num_articles"] == 2 and len(ev["mentions"]) == 2
    assert ev["why"] and ev["story"]["story_id"] == "st-tianjin01"
    assert [c["source"] for c in ev["copies"]] == ["Sputnik"]   # a copy counts as an extra report
    belta = next(m for m in ev["mentions"] if m["article_source"] == "BELTA")
    roles = {s["role"]: s for s in belta["spans"]}
    assert set(roles) == {"source", "target", "trigger", "place", "time"}
    for s in belta["spans"]:
        assert belta["sentence_text"][s["rel_start"]:s["rel_end"]] == s["text"]
    assert roles["time"]["text"] == "Friday" and roles["place"]["text"] == "Tianjin"
    assert belta["article_url"] == "https://belta.by/1" and belta["title"] is None and belta["article_key"]
    art = get(client, f"/api/v1/articles/{belta['article_key']}")
    assert art["text"][belta["sentence_start"]:belta["sentence_end"]] == belta["sentence_text"]
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/events/{eid}", params={"format": "csv"}).text)))
    assert sorted(r["article_source"] for r in rows) == ["BELTA", "Xinhua"] and rows[0]["sentence_text"]
    r = client.get("/api/v1/events/ev-doesnotexist")
    assert r.status_code == 404 and "no event" in r.json()["message"]


def test_timeline_dyad_and_top_aggregates(client):
    tl = get(client, "/api/v1/timeline", freq="month")
    assert sum(r["events"] for r in tl["items"]) == len(ids(client))
    months = [r["period"] for r in tl["items"]]
    assert months == sorted(months) and months[0] == "2025-03-01"
    split = get(client, "/api/v1/timeline", freq="month", split="quad")["items"]
    assert sum(r["events"] for r in split) == len(ids(client)) and {r["quad_class"] for r in split} == {1, 3, 4}
    assert all(r["mean_goldstein"] == -10 for r in split if r["quad_class"] == 4)
    roots = get(client, "/api/v1/timeline", freq="year", split="root")["items"]
    assert {r["cameo_root"] for r in roots} == {"03", "04", "11", "19"}
    d = get(client, "/api/v1/dyad", a="RUS", b="UKR", freq="month")
    assert {r["direction"] for r in d["items"]} == {"RUS → UKR", "UKR → RUS"}
    assert sum(r["events"] for r in d["items"]) == len(ids(client, a="RUS", b="UKR"))
    sept = [r for r in d["items"] if r["period"] == "2025-09-01" and r["direction"] == "RUS → UKR"][0]
    assert sept["material_conflict"] == sept["events"] == len(
        ids(client, source="RUS", target="UKR", since="2025-09-01", until="2025-09-30")) >= 3
    top = get(client, "/api/v1/actors", top=3)["items"]
    assert top[0]["code"] == "CHNGOV" and top[0]["events"] == top[0]["as_source"] + top[0]["as_target"]
    assert get(client, "/api/v1/dyads", top=1)["items"][0] == {"source": "RUS", "target": "UKR", "events": 9,
                                                                 "mean_goldstein": -10.0, "articles": 11}


def test_changes_compare_the_last_window_with_the_mean_before(client):
    ch = get(client, "/api/v1/changes", by="country", window="month", windows=3, min_events=1)
    assert ch["last_window"] == {"from": "2025-09-01", "to": "2025-09-30"}
    assert ch["baseline_windows"] == {"from": "2025-06-01", "to": "2025-08-31"}
    ukr = next(r for r in ch["items"] if r["key"] == "UKR")
    # UKR: 5 events in September (shelling, 4 attacks on Kyiv, accusations ...) against 2 a month before
    assert ukr["baseline"] == 2.0 and ukr["change_pct"] == pytest.approx((ukr["last"] - 2) / 2 * 100, abs=0.1)
    assert ukr["band"] == "large increase"
    dy = get(client, "/api/v1/changes", by="dyad", min_events=1)["items"]
    assert {r["key"] for r in dy} >= {"RUS-UKR", "CHN-RUS"}
    stable = next(r for r in dy if r["key"] == "CHN-RUS")
    assert stable["band"] == "stable" and stable["change_pct"] == 0.0
    assert {r["key"] for r in get(client, "/api/v1/changes", by="root", min_events=1)["items"]} >= {"19"}


def test_bands_follow_acled_thresholds():
    from communique.web.service import band

    assert band(30, 10, 13) == "large increase"
    assert band(25, 4, 5) == "moderate increase" and band(10, 10, 11) == "moderate increase"
    assert band(5, 10, 10) == "stable" and band(-10, 10, 9) == "moderate decrease"
    assert band(-40, 10, 6) == "large decrease" and band(None, 0, 3) == "new"


def test_places_geojson_counts_events_per_place(client):
    r = client.get("/api/v1/places.geojson")
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    by = {f["properties"]["place"]: f for f in fc["features"]}
    assert by["Tianjin"]["geometry"]["coordinates"] == [117.18, 39.14]
    assert by["Kharkiv"]["properties"]["events"] == 7 and by["Kharkiv"]["properties"]["mean_goldstein"] == -10
    assert by["Kharkiv"]["properties"]["main_quad"] == 4
    placed = [e for e in get(client, "/api/v1/events", limit=1000)["items"] if e["place_lat"] is not None]
    assert sum(f["properties"]["events"] for f in fc["features"]) == len(placed)
    month = get(client, "/api/v1/places.geojson", since="2025-03-01", until="2025-03-31")
    assert {f["properties"]["place"] for f in month["features"]} == {"Kharkiv", "Moscow"}


def test_quotes_by_speaker_words_and_actor_mentioned(client):
    q = get(client, "/api/v1/quotes", speaker="Putin")
    assert len(q["items"]) == 7 and all(r["speaker_code"] == "RUSGOV" for r in q["items"])
    for who in ("BLR", "Belarus"):
        (hit,) = get(client, "/api/v1/quotes", mentioned=who)["items"]
        assert hit["quote"] == "Belarus deserves a free vote." and hit["speaker"] == "Emmanuel Macron"
    assert get(client, "/api/v1/quotes", contains="partnership strong", limit=2)["next_offset"] == 2
    assert get(client, "/api/v1/quotes", speaker="Putin", since="2025-09-01")["items"][0]["date"] == "2025-09-05"


def test_actor_profile_from_the_store_and_the_knowledge_base(client):
    p = get(client, "/api/v1/actors/BLRGOV", name="Alexander Lukashenko")
    assert p["names"][0]["name"] == "Alexander Lukashenko" and p["events"] == 3
    assert {x["partner"] for x in p["partners"]} == {"CHNGOV", "FRAGOV"}
    assert p["quotes"][0]["quote"] == "China is our closest friend."
    holders = p["kb"]["holders"]
    assert any(h["person"] == "Alexander Lukashenko" and h["role"] == "President" and h["end"] is None
               for h in holders)
    assert holders[0]["end"] is None   # current office-holders first
    tenures = p["kb"]["name"]["entries"][0]["tenures"]
    assert tenures[0]["start"].startswith("1994") and tenures[0]["country"] == "BLR"
    c = get(client, "/api/v1/actors/UKR")
    assert c["kind"] == "country" and c["kb"]["country"]["name"] == "Ukraine" and c["events"] > 0


def test_article_search_and_stories(client):
    res = get(client, "/api/v1/articles", q="Tianjin talks")
    assert res["items"][0]["title"] is None and "Tianjin" in res["items"][0]["snippet"]
    st = get(client, "/api/v1/stories")
    assert [s["story_id"] for s in st["items"]] == ["st-kharkiv01", "st-tianjin01"]
    assert get(client, "/api/v1/stories", actor="CHNGOV")["items"][0]["story_id"] == "st-tianjin01"
    assert get(client, "/api/v1/stories", since="2025-09-01")["items"][0]["story_id"] == "st-kharkiv01"
    assert get(client, "/api/v1/stories", q="shelled")["items"][0]["why"].startswith("7 articles")


def test_sync_returns_changes_after_a_sequence_number_without_splitting_one(client, web_store):
    full = get(client, "/api/v1/sync", since_seq=0)
    assert full["seq"] == 2 and not full["more"]
    n = web_store[1]["events"]
    assert len(full["changes"]) == n + 3
    after1 = get(client, "/api/v1/sync", since_seq=1)
    assert {c["seq"] for c in after1["changes"]} == {2} and after1["next_since_seq"] == 2
    created = next(c for c in full["changes"] if c["kind"] == "event" and c["op"] == "created")
    assert created["record"]["event_id"] == created["id"]
    deleted = next(c for c in full["changes"] if c["op"] == "deleted")
    assert deleted["record"] is None
    story = next(c for c in full["changes"] if c["kind"] == "story")
    assert story["record"]["story_id"] == story["id"]
    # a small page ends on a whole sequence number; following next_since_seq gets everything once
    page = get(client, "/api/v1/sync", since_seq=0, limit=5)
    assert page["more"] and {c["seq"] for c in page["changes"]} == {1}
    got, since = [], 0
    for _ in range(10):
        p = get(client, "/api/v1/sync", since_seq=since, limit=20)
        got += [(c["seq"], c["kind"], c["id"]) for c in p["changes"]]
        since = p["next_since_seq"]
        if not p["more"]:
            break
    assert len(got) == len(set(got)) == n + 3
    assert get(client, "/api/v1/sync", since_seq=2)["changes"] == []


@pytest.mark.parametrize("fmt", ["gdelt", "plover", "csv", "parquet"])
def test_exports_stream_the_filtered_events_like_the_cli(client, web_store, tmp_path, fmt):
    r = client.get(f"/api/v1/export/{fmt}", params={"country": "RUS"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    cli = tmp_path / f"cli.{fmt}"
    n = export(open_store(web_store[0]), fmt, cli, filt=EventFilter(country="RUS", limit=None))
    assert n == len(ids(client, country="RUS"))
    if fmt == "gdelt":
        lines = r.text.splitlines()
        assert all(len(line.split("\t")) == 61 for line in lines)
        assert sorted(lines) == sorted(cli.read_text().splitlines())
    elif fmt == "plover":
        recs = [json.loads(x) for x in r.text.splitlines()]
        assert {x["id"] for x in recs} == ids(client, country="RUS")
        assert all(x["coder"].startswith("communique") for x in recs)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert {x["event_id"] for x in rows} == ids(client, country="RUS")
    else:
        t = pq.read_table(io.BytesIO(r.content))
        assert set(t["event_id"].to_pylist()) == ids(client, country="RUS") and t.num_rows == n
    hdr = client.get("/api/v1/export/gdelt", params={"header": "true", "limit": 1}).text.splitlines()
    assert hdr[0].startswith("GLOBALEVENTID\tSQLDATE") and len(hdr) == 2


def test_a_store_without_the_deduplication_tables_answers_empty_with_a_note(plain_client):
    c = plain_client
    h = get(c, "/api/v1/health")
    # the store gives an old store's missing layers as empty tables with NULL columns (issue 11)
    assert h["contract_tables"] == {"stories": True, "story_articles": True, "copies": True, "changes": False}
    assert h["seq"] is None
    st = get(c, "/api/v1/stories")
    assert st["items"] == [] and "no stories" in st["notes"][0]
    sy = get(c, "/api/v1/sync", since_seq=0)
    assert sy["changes"] == [] and sy["seq"] == 0 and "change log" in sy["notes"][0]
    ev = get(c, "/api/v1/events", story="st-tianjin01")
    assert ev["items"] == []
    r = c.get("/api/v1/export/csv", params={"story": "st-x"})
    assert r.status_code == 200 and r.text.startswith("event_id,") and len(r.text.splitlines()) == 1
    one = get(c, "/api/v1/events", limit=1)["items"][0]
    assert one.get("story_id") is None and one.get("why") is None
    detail = get(c, f"/api/v1/events/{one['event_id']}")
    assert detail["copies"] == [] and detail["story"] is None
    assert get(c, "/api/v1/events", outlet="belta")["items"]          # outlet by name without source_domain
    for path in ("/", "/stories", "/events?story=st-x", f"/events/{one['event_id']}"):
        assert c.get(path).status_code == 200, path
    assert "no stories yet" in c.get("/stories").text
