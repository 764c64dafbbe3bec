"""The Parquet store: idempotent writes, de-duplication across articles, queries, compaction.

All records here are built by hand (no spaCy), so these tests are fast.
"""

from __future__ import annotations

import json
import os

import pandas as pd
import pyarrow.parquet as pq
import pytest
from _store_records import meeting_reports, report

from communique.errors import StoreError
from communique.store import EventFilter, Store, open_store
from communique.store.catalog import Catalog


def day(x) -> str:
    return str(pd.Timestamp(x).date())


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "data")
    s.add(meeting_reports())
    return s


def test_same_article_twice_is_stored_once(tmp_path):
    s = Store(tmp_path / "data")
    first = s.add(meeting_reports()[:1])
    again = s.add(meeting_reports()[:1])
    assert first == {"added": 1, "skipped": 0, "errors": 0}
    assert again == {"added": 0, "skipped": 1, "errors": 0}
    assert s.scalar("SELECT count(*) FROM articles") == 1
    assert s.scalar("SELECT count(*) FROM mentions") == 1
    assert s.scalar("SELECT count(*) FROM events") == 1
    # the article key is the content hash, whatever id the input gave
    art, rec = meeting_reports()[0]
    rec.article.id = "another-id"
    assert s.add([(art.text, rec)])["skipped"] == 1


def test_store_layout_is_hive_partitioned_parquet(store):
    root = store.root
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.parquet"))
    assert any(f.startswith("articles/year=2025/month=8/") for f in files)
    assert any(f.startswith("articles/year=2025/month=9/") for f in files)
    assert any(f.startswith("mentions/year=2025/month=8/") for f in files)
    assert any(f.startswith("dedup/") and "/events/year=2025/month=8/" in f for f in files)
    t = pq.read_table(root / next(f for f in files if f.startswith("articles/")))
    assert "article_key" in t.column_names and "year" not in t.column_names
    meta = json.loads((root / "store.json").read_text())
    assert meta["store_version"] == 1 and meta["schema"] == "communique/1"


def test_two_reports_of_one_meeting_become_one_event_with_two_mentions(store):
    ev = store.sql("SELECT * FROM events WHERE place_name = 'Tianjin'")
    assert len(ev) == 1
    e = ev.iloc[0]
    assert (e.num_mentions, e.num_articles, e.num_sources) == (2, 2, 2)
    assert day(e.first_seen) == "2025-08-29" and day(e.last_seen) == "2025-08-30"
    assert e.source_name == "Xi Jinping" and e.target_name == "Alexander Lukashenko" and e.cameo == "042"
    assert e.avg_tone == pytest.approx(2.0)
    assert e.source_url == "https://belta.by/1" and e.is_root
    links = store.sql("SELECT * FROM event_mentions WHERE event_id = ? ORDER BY article_date",
                      [e.event_id])
    assert len(links) == 2
    assert list(links.trigger_text) == ["met", "held talks"]
    for _, m in links.iterrows():
        text = store.scalar("SELECT text FROM articles WHERE article_key = ?", [m.article_key])
        assert text[m.sentence_start:m.sentence_end] == m.sentence_text
        assert text[m.trigger_start:m.trigger_end] == m.trigger_text
        assert m.mention_id == f"{m.article_key}/{m.event}"
    # the Minsk meeting three weeks later is another event
    assert store.scalar("SELECT count(*) FROM events WHERE cameo = '042'") == 2


def test_ids_are_deterministic(tmp_path):
    a, b = Store(tmp_path / "a"), Store(tmp_path / "b")
    a.add(meeting_reports())
    b.add(list(reversed(meeting_reports())))
    q = "SELECT event_id, num_mentions FROM events ORDER BY event_id"
    assert a.sql(q).equals(b.sql(q))
    q = "SELECT mention_id, event_id FROM event_mentions ORDER BY mention_id"
    assert a.sql(q).equals(b.sql(q))


def test_counts_keep_growing_as_later_articles_arrive(store):
    eid = store.scalar("SELECT event_id FROM events WHERE place_name = 'Tianjin'")
    t = "Belarusian President Alexander Lukashenko and Xi Jinping met in Tianjin, China.\nMore text."
    later = report(t, date="2025-09-02", source="TASS", id="tass-1",
                   events=[("Xi Jinping", "042", "Alexander Lukashenko", "met", "China", "2025-08-30")])
    store.add([later])
    e = store.sql("SELECT * FROM events WHERE event_id = ?", [eid])
    assert len(e) == 1, "the event keeps its id"
    assert (e.num_mentions[0], e.num_articles[0], e.num_sources[0]) == (3, 3, 3)
    assert day(e.last_seen[0]) == "2025-09-02"
    assert e.place_name[0] == "Tianjin", "the most precise location is kept"


@pytest.mark.parametrize("change,merged", [
    ({"date": "2025-08-30"}, True),          # a day later: same event
    ({"date": "2025-09-01"}, False),         # three days later: another event
    ({"place": "Minsk"}, False),             # incompatible place
    ({"place": "Beijing"}, False),           # another city, 110 km away
    ({"place": "China"}, True),              # the country that contains Tianjin
    ({"place": None}, True),                 # no place given
    # "met" coded 043 in the other report of one story: the same verb and CAMEO root, one act
    # (dedup.same_action_in_story); another root (036) stays another event
    ({"cameo": "043"}, True),
    ({"cameo": "036"}, False),               # another root
    ({"negated": True}, False),              # "did not meet"
])
def test_merge_rules(tmp_path, change, merged):
    base = dict(date="2025-08-29", place="Tianjin", cameo="042", negated=False)
    other = {**base, **change}
    t1 = "Xi Jinping met Alexander Lukashenko in Tianjin, Beijing, Minsk and China.\n"
    t2 = "Yesterday Xi Jinping met Alexander Lukashenko in Tianjin, Beijing, Minsk and China.\n"
    s = Store(tmp_path / "d")
    s.add([report(t, date="2025-08-29", source=src,
                  events=[("Xi Jinping", c["cameo"], "Alexander Lukashenko", "met", c["place"], c["date"],
                           c["negated"])])
           for t, src, c in ((t1, "A", base), (t2, "B", other))])
    assert s.scalar("SELECT count(*) FROM events") == (1 if merged else 2)


def test_unknown_actors_are_never_merged(tmp_path):
    t1 = "They attacked the town.\n"
    t2 = "Later they attacked the town again.\n"
    s = Store(tmp_path / "d")
    s.add([report(t, date="2025-08-29", events=[(None, "190", None, "attacked", None, "2025-08-29")])
           for t in (t1, t2)])
    assert s.scalar("SELECT count(*) FROM events") == 2


def test_dyad_both_directions_per_quad_class(store):
    t = "Alexander Lukashenko accused Xi Jinping of nothing at all.\n"
    store.add([report(t, date="2025-08-10", source="X",
                      events=[("Alexander Lukashenko", "111", "Xi Jinping", "accused", None, "2025-08-10")])])
    df = store.dyad("CHN", "BLR", freq="month")
    rows = {(day(r.period), r.source, r.target): r for r in df.itertuples()}
    aug = rows[("2025-08-01", "CHN", "BLR")]
    assert (aug.events, aug.verbal_coop, aug.mentions) == (1, 1, 2)
    back = rows[("2025-08-01", "BLR", "CHN")]
    assert (back.events, back.verbal_conflict, back.mean_goldstein) == (1, 1, -2.0)
    assert rows[("2025-09-01", "CHN", "BLR")].events == 1
    yearly = store.dyad("BLR", "CHN", freq="year")
    assert int(yearly.events.sum()) == 3
    weekly = store.dyad("CHN", "BLR", freq="week")
    assert day(weekly.period.iloc[0]) == "2025-08-04"   # weeks start on Monday
    with pytest.raises(StoreError):
        store.dyad("CHN", "BLR", freq="hour")


def test_event_filters(store):
    assert len(store.events(actor="lukashenko")) == 2
    assert len(store.events(actor="BLRGOV")) == 2
    assert len(store.events(country="blr")) == 2
    assert len(store.events(sector="GOV")) == 3
    assert len(store.events(code="036")) == 1
    assert len(store.events(root="4")) == 2
    assert len(store.events(since="2025-09-01")) == 2
    assert len(store.events(until="2025-08-31")) == 1
    assert list(store.events(location="tianjin").place_name) == ["Tianjin"]
    assert len(store.events(location="BLR")) == 1
    assert len(store.events(text="held talks")) == 1
    assert len(store.events(min_articles=2)) == 1
    assert len(store.events(EventFilter(country="CHN", limit=1))) == 1


def test_quotes_actors_stats_and_search(store):
    q = store.quotes(speaker="Lukashenko", contains="closest friend")
    assert list(q.quote) == ["China is our closest friend."]
    assert store.quotes(speaker="Lukashenko", contains="enemy").empty
    top = store.actors(top=2)
    assert set(top.name) == {"Xi Jinping", "Alexander Lukashenko"}
    assert top.iloc[0].articles == 3
    st = store.stats()
    assert (st["articles"], st["mentions"], st["events"], st["errors"]) == (3, 4, 3, 0)
    assert st["events_in_several_articles"] == 1 and st["dedup_current"]
    hits = store.search("trade summit")
    assert list(hits.article_key)[:1] == [store.scalar("SELECT article_key FROM articles WHERE article_id='xinhua-1'")]
    assert "trade" in hits.snippet[0]
    assert len(store.search("Lukashenko")) == 3
    assert len(store.search('"closest friend"')) == 1
    assert store.search("nonexistentword").empty


def test_compaction_keeps_results_and_idempotency(tmp_path):
    s = Store(tmp_path / "d")
    for art_rec in meeting_reports():
        s.add([art_rec])
    before = s.sql("SELECT * FROM events ORDER BY event_id")
    n_files = len(list((s.root / "articles").rglob("*.parquet")))
    assert n_files == 3
    res = s.compact()
    assert res["compacted"] and res["files_after"] < res["files_before"]
    assert len(list((s.root / "articles").rglob("*.parquet"))) == 2   # one per month
    assert s.sql("SELECT * FROM events ORDER BY event_id").equals(before)
    assert s.add(meeting_reports())["skipped"] == 3
    s.add([report("Xi Jinping praised Alexander Lukashenko.\n", date="2025-08-29",
                  events=[("Xi Jinping", "036", "Alexander Lukashenko", "praised", None, "2025-08-29")])])
    s.compact()
    assert s.scalar("SELECT count(*) FROM articles") == 4
    assert len(list((s.root / "articles").rglob("*.parquet"))) == 2
    assert len(list((s.root / "_manifests").glob("compact-*.json"))) == 1


def test_crash_leftovers_are_invisible_and_collected(tmp_path):
    s = Store(tmp_path / "d")
    s.add(meeting_reports()[:1])
    # a crash between moving files into place and writing the manifest leaves unreferenced files
    orphan = s.root / "articles" / "year=2025" / "month=8" / "sdeadbeef.parquet"
    first = next((s.root / "articles").rglob("*.parquet"))
    orphan.write_bytes(first.read_bytes())
    (s.root / "_staging" / "sdead-1-x").mkdir(parents=True)
    s2 = open_store(s.root)
    assert s2.scalar("SELECT count(*) FROM articles") == 1
    removed = Catalog(s.root).collect_garbage()
    assert removed["files"] == 1 and removed["staging"] == 1 and not orphan.exists()


def test_open_store_requires_an_existing_store(tmp_path):
    with pytest.raises(StoreError) as e:
        open_store(tmp_path / "nothing")
    assert "communique ingest" in str(e.value)
    assert not os.path.exists(tmp_path / "nothing" / "store.json")
