"""The fast paths for large stores give the same answers as the plain queries: newest-first pages
found through date windows (dense and sparse filters, every page of a cursor walk), and the
answer cache (cleared when the store changes). On 20,000 synthetic events over ten years,
generated as benchmarks/store_bench.py does (monthly files, skewed countries)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from store_bench import generate  # noqa: E402

from communique.web import service as S  # noqa: E402
from communique.web.api import EventsQuery, TimelineQuery  # noqa: E402
from communique.web.db import ReadOnlyStore  # noqa: E402
from communique.web.filters import event_conditions, order_and_after  # noqa: E402


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    root = tmp_path_factory.mktemp("web-scale") / "store"
    generate(root, 20_000, seed=3, chunk=10_000)
    db = ReadOnlyStore(root)
    yield db
    db.close()


def plain(db, q: EventsQuery, sort: str, limit: int, cursor=None) -> list[str]:
    c = event_conditions(q, db)
    order, after, ps = order_and_after(sort, cursor)
    where = c.sql() + (f" AND ({after})" if after else "")
    return [r["event_id"] for r in db.records(f"SELECT event_id FROM events WHERE {where} ORDER BY {order} LIMIT ?",
                                              c.params + ps + [limit])]


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
    assert sql.index("year=2024/month=12/") < sql.index("year=2024/month=11/") < sql.index("year=2015/month=1/")


def test_cached_answers_are_the_same_and_go_with_a_store_change(big):
    q = TimelineQuery(country="RUS")
    first = S.timeline(big, q, "month", "quad")
    assert S.timeline(big, q, "month", "quad") == first and len(big._cache) >= 1
    big.refresh_if_changed(force=True)
    assert not any(k[0] == str(big.catalog.path) for k in big._cache)
    assert S.timeline(big, q, "month", "quad") == first
