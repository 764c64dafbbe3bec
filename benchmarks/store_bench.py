"""Store benchmark: DuckDB over the Parquet store against pandas on the same data, same run.

Generates a store of N de-duplicated events (default 10 million; realistic columns,
skewed country and code frequencies, ten years of dates, partitioned by year and
month exactly as `communique ingest` writes them), then times two analyst queries:

- dyad-month: `store.dyad("CHN", "BLR", freq="month")`: both directions, counts per
  quad class, mean Goldstein, per month;
- events filter: `store.events(country="RUS", root="19", since=..., until=...,
  location="k")`: filter, sort newest first, first 100 rows, plus the match count.

Each query runs in DuckDB on the Parquet files (cold: first run; warm: median of
--repeat runs) and in pandas on a DataFrame of the same files (load time reported
separately, query time median of --repeat runs). Results are checked to be equal.

    .venv/bin/python benchmarks/store_bench.py [--events 10000000] [--dir /tmp/store-bench] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

COUNTRIES = ["USA", "CHN", "RUS", "UKR", "GBR", "FRA", "DEU", "IRN", "ISR", "PSE", "IND", "PAK", "TUR", "SYR", "BLR",
             "POL", "JPN", "KOR", "PRK", "BRA", "MEX", "EGY", "SAU", "IRQ", "AFG", "NGA", "ZAF", "KEN", "ETH", "SDN",
             "VEN", "COL", "ARG", "CAN", "AUS", "IDN", "PHL", "VNM", "THA", "MMR"]
SECTORS = [None, "GOV", "MIL", "COP", "OPP", "BUS", "MED", "CVL", "REB", "JUD", "LEG"]
CODES = [("010", "01", 0.0, 1, "STATEMENT"), ("020", "02", 3.0, 1, "REQUEST"), ("036", "03", 4.0, 1, "SUPPORT"),
         ("040", "04", 1.0, 1, "CONSULT"), ("042", "04", 1.9, 1, "CONSULT"), ("043", "04", 2.8, 1, "CONSULT"),
         ("051", "05", 3.4, 1, "COOPERATE"), ("061", "06", 6.4, 2, "COOPERATE"), ("070", "07", 7.0, 2, "AID"),
         ("111", "11", -2.0, 3, "ACCUSE"), ("112", "11", -2.0, 3, "ACCUSE"), ("120", "12", -4.0, 3, "REJECT"),
         ("130", "13", -4.4, 3, "THREATEN"), ("141", "14", -6.5, 4, "PROTEST"), ("173", "17", -5.0, 4, "COERCE"),
         ("190", "19", -10.0, 4, "ASSAULT"), ("193", "19", -10.0, 4, "ASSAULT"), ("195", "19", -10.0, 4, "ASSAULT")]
PLACES = [None, "Kyiv", "Kharkiv", "Moscow", "Beijing", "Minsk", "Washington", "Gaza", "Tehran", "Kabul", "Delhi",
          "Berlin", "Paris", "London", "Damascus", "Baghdad", "Lagos", "Caracas", "Manila", "Seoul"]


def zipf_choice(rng, n_items: int, size: int, a: float = 1.1) -> np.ndarray:
    w = 1.0 / np.arange(1, n_items + 1) ** a
    return rng.choice(n_items, size=size, p=w / w.sum())


def make_chunk(rng, n: int, start: int) -> pa.Table:
    src = zipf_choice(rng, len(COUNTRIES), n)
    tgt = zipf_choice(rng, len(COUNTRIES), n)
    code = zipf_choice(rng, len(CODES), n, a=0.8)
    sec_s = rng.integers(0, len(SECTORS), n)
    sec_t = rng.integers(0, len(SECTORS), n)
    days = rng.integers(0, 3653, n)
    date = (np.datetime64("2015-01-01") + days).astype("datetime64[D]")
    place = zipf_choice(rng, len(PLACES), n, a=0.7)
    ids = np.char.add("ev-", np.char.mod("%016x", rng.integers(0, 2**62, n, dtype=np.int64) + start))
    c = np.array(COUNTRIES, dtype=object)
    s = np.array(SECTORS, dtype=object)
    codes = np.array([x[0] for x in CODES], dtype=object)
    roots = np.array([x[1] for x in CODES], dtype=object)
    gold = np.array([x[2] for x in CODES])
    quad = np.array([x[3] for x in CODES], dtype=np.int8)
    plover = np.array([x[4] for x in CODES], dtype=object)
    places = np.array(PLACES, dtype=object)
    src_code = np.where(s[sec_s] == None, c[src], c[src] + s[sec_s].astype(str))  # noqa: E711
    tgt_code = np.where(s[sec_t] == None, c[tgt], c[tgt] + s[sec_t].astype(str))  # noqa: E711
    mentions = rng.geometric(0.6, n).astype(np.int32)
    arts = np.minimum(mentions, rng.geometric(0.7, n)).astype(np.int32)
    return pa.table({
        "event_id": ids.astype(object),
        "date": pa.array(date, pa.date32()),
        "date_text": pa.array(np.datetime_as_string(date), pa.string()),
        "date_precision": pa.array(["day"] * n, pa.string()),
        "source_key": pa.array(np.char.add("code:", src_code.astype(str)), pa.string()),
        "source_name": pa.array(c[src], pa.string()),
        "source_code": pa.array(src_code, pa.string()),
        "source_country": pa.array(c[src], pa.string()),
        "source_sector": pa.array(s[sec_s], pa.string()),
        "target_key": pa.array(np.char.add("code:", tgt_code.astype(str)), pa.string()),
        "target_name": pa.array(c[tgt], pa.string()),
        "target_code": pa.array(tgt_code, pa.string()),
        "target_country": pa.array(c[tgt], pa.string()),
        "target_sector": pa.array(s[sec_t], pa.string()),
        "cameo": pa.array(codes[code], pa.string()),
        "base_code": pa.array(codes[code], pa.string()),
        "cameo_root": pa.array(roots[code], pa.string()),
        "plover_event": pa.array(plover[code], pa.string()),
        "plover_mode": pa.nulls(n, pa.string()),
        "quad_class": pa.array(quad[code], pa.int8()),
        "goldstein": pa.array(gold[code], pa.float64()),
        "negated": pa.array(np.zeros(n, dtype=bool)),
        "place_name": pa.array(places[place], pa.string()),
        "place_country": pa.array(np.where(places[place] == None, None, c[src]), pa.string()),  # noqa: E711
        "num_mentions": pa.array(mentions),
        "num_articles": pa.array(arts),
        "num_sources": pa.array(arts),
        "first_seen": pa.array(date, pa.date32()),
        "last_seen": pa.array(date + rng.integers(0, 3, n), pa.date32()),
        "evidence": pa.array(np.char.add("Reported event in ", c[src].astype(str)), pa.string()),
    })


def generate(root: Path, n: int, seed: int = 7, chunk: int = 1_000_000) -> float:
    """Write ``n`` synthetic events as the current de-duplication generation of a new store."""
    from communique.store import Store
    from communique.store.catalog import DEDUP, write_json_atomic
    from communique.store.core import EVENTS_ORDER, EVENTS_ROW_GROUP
    from communique.store.schema import EVENTS
    from communique.store.writer import merge_partition_files, write_partitioned

    t0 = time.perf_counter()
    if root.exists():
        shutil.rmtree(root)
    Store(root)   # an empty store
    gen = f"g-bench{n}"
    out = root / DEDUP / gen
    rng = np.random.default_rng(seed)
    files = []
    for i, start in enumerate(range(0, n, chunk)):
        t = make_chunk(rng, min(chunk, n - start), start)
        for f in EVENTS:   # the full events schema, columns we do not simulate are null
            if f.name not in t.column_names:
                t = t.append_column(f, pa.nulls(t.num_rows, f.type))
        t = t.select(EVENTS.names).cast(EVENTS)
        files += [f"{DEDUP}/{gen}/{p}" for p in write_partitioned(t, "date", out, "events", f"part-{i:05d}")]
    # one file per month, sorted as `communique dedup` leaves it
    files = merge_partition_files(root, files, sort_by=EVENTS_ORDER, row_group_size=EVENTS_ROW_GROUP)
    write_json_atomic(out / "manifest.json", {"kind": "dedup", "id": gen, "files": {"events": files}, "events": n})
    (root / DEDUP / "CURRENT").write_text(gen + "\n")
    return time.perf_counter() - t0


def pandas_dyad(df: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """The same query as ``queries.dyad_sql`` for two countries, in pandas."""
    m = df.date.notna() & df.source_country.isin([a, b]) & df.target_country.isin([a, b]) \
        & (df.source_country != df.target_country)
    sub = df.loc[m, ["date", "source_country", "source_code", "target_country", "target_code", "quad_class",
                     "goldstein", "num_mentions", "num_articles"]]
    sub = sub.assign(period=sub.date.dt.to_period("M").dt.start_time,
                     source=sub.source_country.fillna(sub.source_code),
                     target=sub.target_country.fillna(sub.target_code))
    for q, name in ((1, "verbal_coop"), (2, "material_coop"), (3, "verbal_conflict"), (4, "material_conflict")):
        sub[name] = (sub.quad_class == q).astype("int64")
    g = sub.groupby(["period", "source", "target"], sort=True)
    res = g.agg(events=("quad_class", "size"), verbal_coop=("verbal_coop", "sum"),
                material_coop=("material_coop", "sum"), verbal_conflict=("verbal_conflict", "sum"),
                material_conflict=("material_conflict", "sum"), mean_goldstein=("goldstein", "mean"),
                mentions=("num_mentions", "sum"), articles=("num_articles", "sum")).reset_index()
    res["mean_goldstein"] = res.mean_goldstein.round(3)
    return res


FILTER = {"country": "RUS", "root": "19", "since": "2019-01-01", "until": "2021-12-31", "location": "k"}


def pandas_events(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    f = FILTER
    m = ((df.source_country == f["country"]) | (df.target_country == f["country"])) & (df.cameo_root == f["root"]) \
        & (df.date >= pd.Timestamp(f["since"])) & (df.date <= pd.Timestamp(f["until"])) \
        & (df.place_name.str.contains(f["location"], case=False, regex=False, na=False)
           | (df.place_country == f["location"].upper()))
    sub = df.loc[m]
    top = sub.sort_values(["date", "num_articles", "event_id"], ascending=[False, False, True]).head(100)
    return top, int(m.sum())


def timed(fn, repeat: int) -> tuple[float, list[float], object]:
    times, res = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, res


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/communique-store-bench"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--reuse", action="store_true", help="reuse a store generated earlier in --dir")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from communique.store import EventFilter, open_store
    from communique.store.queries import events_where

    gen_s = None
    if not (args.reuse and (args.dir / "store.json").exists()):
        gen_s = generate(args.dir, args.events)
    store = open_store(args.dir)
    n = int(store.scalar("SELECT count(*) FROM events"))
    files = len(store.files()["events"])
    size = sum(os.path.getsize(p) for p in store.files()["events"])
    a, b = "CHN", "BLR"
    filt = EventFilter(**FILTER, limit=100)

    def duck_dyad():
        return store.dyad(a, b, "month")

    where, params = events_where(filt)

    def duck_events():
        return store.events(filt), int(store.scalar(f"SELECT count(*) FROM events WHERE {where}", params))

    t0 = time.perf_counter()
    duck_dyad()
    dyad_cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    duck_events()
    events_cold = time.perf_counter() - t0
    dyad_duck, dyad_duck_all, dres = timed(duck_dyad, args.repeat)
    ev_duck, ev_duck_all, (eres, ecount) = timed(duck_events, args.repeat)

    cols = ["event_id", "date", "source_country", "source_code", "target_country", "target_code", "cameo",
            "cameo_root", "quad_class", "goldstein", "num_mentions", "num_articles", "place_name", "place_country"]
    t0 = time.perf_counter()
    df = pd.concat([pd.read_parquet(p, columns=cols) for p in store.files()["events"]], ignore_index=True)
    df["date"] = pd.to_datetime(df["date"])
    load_s = time.perf_counter() - t0
    dyad_pd, dyad_pd_all, pres = timed(lambda: pandas_dyad(df, a, b), args.repeat)
    ev_pd, ev_pd_all, (pev, pcount) = timed(lambda: pandas_events(df), args.repeat)

    # same answers
    d1 = dres.reset_index(drop=True)
    d2 = pres[d1.columns].reset_index(drop=True)
    ints = ["events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict", "mentions", "articles"]
    same_dyad = len(d1) == len(d2) and all((d1[c].to_numpy() == d2[c].to_numpy()).all() for c in ints) \
        and (d1.period.to_numpy() == d2.period.to_numpy()).all() \
        and np.allclose(d1.mean_goldstein.to_numpy(float), d2.mean_goldstein.to_numpy(float), atol=0.0011)
    same_events = ecount == pcount and list(eres.event_id) == list(pev.event_id)
    result = {
        "events": n, "files": files, "parquet_bytes": size, "generate_seconds": gen_s,
        "rss_pandas_bytes": int(df.memory_usage(deep=True).sum()),
        "dyad_month": {"duckdb_cold_s": dyad_cold, "duckdb_warm_s": dyad_duck, "pandas_s": dyad_pd,
                       "duckdb_best_s": min(dyad_duck_all), "pandas_best_s": min(dyad_pd_all),
                       "ratio_best": min(dyad_pd_all) / min(dyad_duck_all),
                       "pandas_plus_load_s": dyad_pd + load_s, "ratio_pandas_over_duckdb": dyad_pd / dyad_duck,
                       "ratio_pandas_with_load_over_duckdb_cold": (dyad_pd + load_s) / dyad_cold,
                       "rows": len(dres), "same_result": bool(same_dyad)},
        "events_filter": {"duckdb_cold_s": events_cold, "duckdb_warm_s": ev_duck, "pandas_s": ev_pd,
                          "duckdb_best_s": min(ev_duck_all), "pandas_best_s": min(ev_pd_all),
                          "ratio_best": min(ev_pd_all) / min(ev_duck_all),
                          "pandas_plus_load_s": ev_pd + load_s, "ratio_pandas_over_duckdb": ev_pd / ev_duck,
                          "ratio_pandas_with_load_over_duckdb_cold": (ev_pd + load_s) / events_cold,
                          "matches": ecount, "same_result": bool(same_events)},
        "pandas_load_s": load_s, "cpu": os.cpu_count(), "repeat": args.repeat,
        "load_average": os.getloadavg()[0],
    }
    if args.json:
        print(json.dumps(result, default=float))
    else:
        print(f"{n:,} events in {files} Parquet files ({size / 1e6:,.0f} MB); pandas frame "
              f"{result['rss_pandas_bytes'] / 1e9:.2f} GB, loaded in {load_s:.2f} s")
        for name in ("dyad_month", "events_filter"):
            r = result[name]
            print(f"  {name:13s} DuckDB cold {r['duckdb_cold_s']:.3f} s, warm {r['duckdb_warm_s']:.3f} s (best "
                  f"{r['duckdb_best_s']:.3f}) | pandas {r['pandas_s']:.3f} s (best {r['pandas_best_s']:.3f}, +load "
                  f"{r['pandas_plus_load_s']:.2f} s) | pandas/DuckDB best {r['ratio_best']:.1f}x, median "
                  f"{r['ratio_pandas_over_duckdb']:.1f}x warm, {r['ratio_pandas_with_load_over_duckdb_cold']:.1f}x "
                  f"incl. load vs cold | same result: {r['same_result']}")
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
