"""The fast paths for large stores give the same answers as the plain queries: newest-first pages
found through date windows, pages read through the month-file event index (dense, sparse and empty
filters, country and actor-code sides, every page of a cursor walk, undated events last), and the
answer cache (cleared when the store changes). On 20,000 synthetic events over ten years,
generated as benchmarks/store_bench.py does (monthly files, skewed countries), plus 300 undated
events in the NULL partition."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from store_bench import generate  # noqa: E402

from communique.web import service as S  # noqa: E402
from communique.web.api import EventsQuery, TimelineQuery  # noqa: E402
from communique.web.db import ReadOnlyStore  # noqa: E402
from communique.web.filters import event_conditions, order_and_after  # noqa: E402


def add_undated(root: Path) -> int:
    """Copies of the events of the walked filters' dyads and of every 10th other 2019 event, under new ids
    with no date, in the NULL partition (as the store writes undated events), listed in the generation's
    manifest; returns how many."""
    from communique.store.catalog import DEDUP, current_generation, write_json_atomic
    from communique.store.schema import NULL_PARTITION

    gen = current_generation(root)
    mpath = root / DEDUP / gen / "manifest.json"
    manifest = json.loads(mpath.read_text())
    t = pa.concat_tables([pq.read_table(root / f, partitioning=None) for f in manifest["files"]["events"]])
    src, tgt = t["source_country"].to_pylist(), t["target_country"].to_pylist()
    year = pc.year(t["date"]).to_pylist()
    keep = [i for i in range(t.num_rows) if (year[i] == 2019 and i % 10 == 0) or "MMR" in (src[i], tgt[i])
            or {src[i], tgt[i]} in ({"SYR", "KOR"}, {"USA", "CHN"})]
    t = t.take(keep)
    t = t.set_column(t.schema.get_field_index("event_id"), "event_id",
                     pc.binary_join_element_wise("undated-", t["event_id"], ""))
    t = t.set_column(t.schema.get_field_index("date"), "date", pa.nulls(t.num_rows, pa.date32()))
    rel = f"{DEDUP}/{gen}/events/year={NULL_PARTITION}/month={NULL_PARTITION}/part.parquet"
    (root / rel).parent.mkdir(parents=True)
    pq.write_table(t, root / rel, compression="zstd")
    manifest["files"]["events"].append(rel)
    write_json_atomic(mpath, manifest)
    return t.num_rows


@pytest.fixture(scope="module")
def store_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("web-scale") / "store"
    generate(root, 20_000, seed=3, chunk=10_000)
    root.joinpath("undated.txt").write_text(str(add_undated(root)))
    return root


@pytest.fixture(scope="module")
def big(store_root):
    db = ReadOnlyStore(store_root, event_index=False)
    yield db
    db.close()


def _indexed(root, files: bool) -> ReadOnlyStore:
    db = ReadOnlyStore(root, event_index=True)
    ix = db.event_index(wait=True)
    assert ix is not None and ix.select is not None, db.catalog.event_index_error
    if not files:   # as for a store whose files differ in columns: the view with a month condition
        ix.select = None
    return db


@pytest.fixture(scope="module", params=["plain", "index-files", "index-view"])
def any_db(request, store_root, big):
    if request.param == "plain":
        yield big
        return
    db = _indexed(store_root, request.param == "index-files")
    yield db
    db.close()


@pytest.fixture(scope="module")
def indexed(store_root):
    db = _indexed(store_root, True)
    yield db
    db.close()


def plain(db, q: EventsQuery, sort: str, limit: int, cursor=None) -> list[str]:
    c = event_conditions(q, db)
    order, after, ps = order_and_after(sort, cursor)
    where = c.sql() + (f" AND ({after})" if after else "")
    return [r["event_id"] for r in db.records(f"SELECT event_id FROM events WHERE {where} ORDER BY {order} LIMIT ?",
                                              c.params + ps + [limit])]


def plain_count(db, q: EventsQuery) -> int:
    c = event_conditions(q, db)
    return db.scalar(f"SELECT count(*) FROM events WHERE {c.sql()}", c.params)


# dense and sparse, countries and actor codes (a side with codes gives the index no clause), one way,
# date ranges, and filters that match nothing
FILTERS = [{}, {"country": "USA"}, {"country": "MMR"}, {"a": "SYR", "b": "KOR"}, {"a": "CHN", "b": "BLR"},
           {"a": "MMR", "b": "THA"}, {"a": "SYR", "b": "KOR", "one_way": True}, {"a": "USA,CHN", "b": "RUS,UKR"},
           {"source": "CHN,RUS", "target": "BLR"}, {"source": "CHNGOV"}, {"a": "CHNGOV,RUS", "b": "BLR"},
           {"root": "19", "since": "2019-05-01", "until": "2019-06-30"}, {"quad": "4", "until": "2016-03-01"},
           {"country": "UKR", "since": "2018-01-01"}, {"a": "SYR", "b": "KOR", "since": "2019-01-01",
                                                       "until": "2019-03-31"},
           {"a": "MMR", "b": "ZZZ"}, {"country": "USA", "since": "2030-01-01"}, {"country": "USA", "root": "20"}]


@pytest.mark.parametrize("params", FILTERS, ids=[json.dumps(p) for p in FILTERS])
@pytest.mark.parametrize("sort", ["-date", "date", "-num_articles"])
def test_every_path_gives_the_plain_query_answer_on_every_page(any_db, params, sort):
    q = EventsQuery(**params)
    cursor = None
    for i in range(4):
        page = S.events_page(any_db, q, sort, 40, cursor, count=i == 0)
        assert [e["event_id"] for e in page["items"]] == plain(any_db, q, sort, 40, cursor), (params, sort, i)
        if i == 0:
            assert page["total"] == plain_count(any_db, q)
        cursor = page["next_cursor"]
        if not cursor:
            break


@pytest.mark.parametrize("params", [{"a": "SYR", "b": "KOR"}, {"country": "MMR", "until": "2017-12-31"},
                                    {"a": "USA", "b": "CHN", "quad": "4"}])
@pytest.mark.parametrize("sort", ["-date", "date"])
def test_a_walk_to_the_last_page_gives_every_event_once_undated_last(any_db, params, sort):
    q = EventsQuery(**params)
    want = plain(any_db, q, sort, 100_000)
    got, cursor = [], None
    limit = max(5, len(want) // 6)
    while True:
        page = S.events_page(any_db, q, sort, limit, cursor)
        got += [e["event_id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert got == want
    if "until" not in params:   # undated events match no date range; here some are among the answer, last
        assert got[-1].startswith("undated-")


def _spy(db, monkeypatch) -> list:
    seen = []
    orig = db.records

    def records(sql, params=None, *a, **k):
        seen.append((sql, params))
        return orig(sql, params, *a, **k)

    monkeypatch.setattr(db, "records", records)
    return seen


def _files(params) -> list[str]:
    return next(p for p in params if isinstance(p, list))


def test_the_index_reads_only_the_month_files_that_can_hold_the_page(indexed, monkeypatch):
    ix = indexed.event_index()
    seen = _spy(indexed, monkeypatch)
    S.events_page(indexed, EventsQuery(), "-date", 50)
    assert len(seen) == 1 and [Path(f).parent.parent.name + "/" + Path(f).parent.name for f in _files(seen[0][1])] \
        == ["year=2024/month=12"]
    seen.clear()
    S.events_page(indexed, EventsQuery(root="19", since="2019-05-03", until="2019-05-20"), "-num_articles", 50)
    assert all("year=2019/month=5/" in f for f in _files(seen[0][1])) and len(_files(seen[0][1])) == 1
    seen.clear()
    # a sparse dyad: only months where the counts have SYR-KOR events, never all of them
    page = S.events_page(indexed, EventsQuery(a="SYR", b="KOR"), "-num_articles", 50)
    files = _files(seen[-1][1])
    null = "__HIVE_DEFAULT_PARTITION__"   # undated SYR-KOR events are in the NULL partition
    months = {(e["date"][:4], str(int(e["date"][5:7]))) if e["date"] else (null, null)
              for e in plain_rows(indexed, "SYR", "KOR")}
    assert {(Path(f).parent.parent.name[5:], Path(f).parent.name[6:]) for f in files} == months
    assert len(files) < len(ix.month_keys) and page["items"]


def plain_rows(db, a, b):
    return db.records("SELECT date FROM events WHERE (source_country = ? AND target_country = ?) "
                      "OR (source_country = ? AND target_country = ?)", [a, b, b, a])


def test_a_filter_no_month_file_can_match_runs_no_query(indexed, monkeypatch):
    seen = _spy(indexed, monkeypatch)
    page = S.events_page(indexed, EventsQuery(a="MMR", b="ZZZ"), "-date", 50, count=True)
    assert page["items"] == [] and page["total"] == 0 and page["next_cursor"] is None
    assert seen == []


def test_the_index_counts_every_event_of_its_store_state(indexed, store_root):
    ix = indexed.event_index()
    undated = int(store_root.joinpath("undated.txt").read_text())
    assert ix.rows == indexed.scalar("SELECT count(*) FROM events") == 20_000 + undated
    assert (-1, -1) in ix.month_keys and indexed.event_index_state()["state"] == "ready"
    before = indexed.catalog
    indexed.refresh_if_changed(force=True)
    assert indexed.catalog is not before
    fresh = indexed.event_index(wait=True)
    assert fresh is not ix and fresh.rows == ix.rows


def test_the_index_can_be_turned_off(store_root, monkeypatch):
    monkeypatch.setenv("COMMUNIQUE_WEB_EVENT_INDEX", "0")
    db = ReadOnlyStore(store_root)
    try:
        assert db.event_index(wait=True) is None and db.event_index_state()["state"] == "off"
    finally:
        db.close()


@pytest.mark.parametrize("params", [{}, {"country": "USA"}, {"country": "MMR"}, {"a": "SYR", "b": "KOR"},
                                    {"root": "19", "since": "2019-05-01", "until": "2019-06-30"},
                                    {"quad": "4", "until": "2016-03-01"}, {"a": "CHN", "b": "BLR"}])
@pytest.mark.parametrize("sort", ["-date", "date"])
def test_date_windows_give_the_plain_query_answer_on_every_page(big, params, sort):
    q = EventsQuery(**params)
    cursor = None
    for _ in range(3):
        page = S.events_page(big, q, sort, 40, cursor)
        assert [e["event_id"] for e in page["items"]] == plain(big, q, sort, 40, cursor), (params, sort)
        cursor = page["next_cursor"]
        if not cursor:
            break


def test_the_events_view_lists_the_newest_month_first(big):
    sql = big.catalog.con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'events'").fetchone()[0]
    assert sql.index("year=2024/month=12/") < sql.index("year=2024/month=11/") < sql.index("year=2015/month=1/") \
        < sql.index("year=__HIVE_DEFAULT_PARTITION__")


def test_cached_answers_are_the_same_and_go_with_a_store_change(big):
    q = TimelineQuery(country="RUS")
    first = S.timeline(big, q, "month", "quad")
    assert S.timeline(big, q, "month", "quad") == first and len(big._cache) >= 1
    big.refresh_if_changed(force=True)
    assert not any(k[0] == str(big.catalog.path) for k in big._cache)
    assert S.timeline(big, q, "month", "quad") == first
