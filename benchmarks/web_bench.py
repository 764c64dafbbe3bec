"""Web benchmark: `communique serve` over a store of N synthetic events (default 1,000,000).

1. Generates the store as `store_bench.py` does (realistic skew, ten years, monthly partitions
   sorted by dyad) unless --reuse.
2. Starts `communique serve` in its own process on 127.0.0.1 (a free port) and waits for it.
3. Latency, warm: after a warm-up, each scenario runs --requests requests one after another
   with varied filters (countries, months); p50/p95/max in milliseconds.
4. Load: --clients concurrent clients for --seconds seconds over a mix of the scenarios, on
   localhost, then the same load on a static file (the baseline: what the server does with no
   query), both in this run; requests/s, errors, latency under load.
5. Server memory: the server's RSS sampled every 0.2 s for the whole run (maximum reported).
The load average is printed at the start and end (other jobs may share the machine).

    .venv/bin/python benchmarks/web_bench.py [--events 1000000] [--dir /tmp/communique-web-bench] [--reuse] [--json]

--no-event-index serves without the month-file event index (to measure what it saves, in the same
conditions); --only 'events page' --seconds 0 measures the events pages alone; --kinds N times each
kind of events page in-process instead, without and with the index.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_bench import COUNTRIES, generate  # noqa: E402

# coordinates for store_bench's place names (it leaves them empty), so the map has points
COORDS = {"Kyiv": (50.45, 30.52), "Kharkiv": (49.99, 36.23), "Moscow": (55.75, 37.62), "Beijing": (39.91, 116.40),
          "Minsk": (53.90, 27.57), "Washington": (38.90, -77.04), "Gaza": (31.50, 34.47), "Tehran": (35.69, 51.39),
          "Kabul": (34.53, 69.17), "Delhi": (28.65, 77.23), "Berlin": (52.52, 13.40), "Paris": (48.85, 2.35),
          "London": (51.51, -0.13), "Damascus": (33.51, 36.29), "Baghdad": (33.34, 44.40), "Lagos": (6.45, 3.39),
          "Caracas": (10.49, -66.88), "Manila": (14.60, 120.98), "Seoul": (37.57, 126.98)}


def add_coordinates(root: Path) -> None:
    """Fill place_lat/place_lon of the generated events from their place names (files rewritten in place,
    same rows, order and row groups)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from communique.store import open_store
    from communique.store.core import EVENTS_ROW_GROUP

    for f in open_store(root).files()["events"]:
        t = pq.read_table(f, partitioning=None)
        names = t["place_name"].to_pylist()
        for i, col in ((0, "place_lat"), (1, "place_lon")):
            vals = pa.array([COORDS[n][i] if n in COORDS else None for n in names], pa.float64())
            t = t.set_column(t.schema.get_field_index(col), col, vals)
        pq.write_table(t, f, compression="zstd", row_group_size=EVENTS_ROW_GROUP)

MONTHS = [f"{y}-{m:02d}" for y in range(2015, 2025) for m in range(1, 13)]
LAST_DAY = {m: (28 if m.endswith("02") else 30 if m[-2:] in ("04", "06", "09", "11") else 31) for m in MONTHS}


def scenarios(rng: random.Random) -> dict:
    """Each scenario: a function giving the next URL (varied filters, as users would send)."""
    def month():
        m = rng.choice(MONTHS)
        return f"since={m}-01&until={m}-{LAST_DAY[m]}"

    def country():
        return rng.choice(COUNTRIES[:20])

    return {
        "events page (API, 50 rows)": lambda: rng.choice([
            "/api/v1/events?limit=50", f"/api/v1/events?limit=50&country={country()}",
            f"/api/v1/events?limit=50&root=19&{month()}", f"/api/v1/events?limit=50&a={country()}&b={country()}",
            f"/api/v1/events?limit=50&quad=4&goldstein_max=-5&{month()}"]),
        "events page sorted by reports (API)": lambda: rng.choice([
            "/api/v1/events?limit=50&sort=-num_articles", "/api/v1/events?limit=50&sort=-num_articles&quad=4",
            f"/api/v1/events?limit=50&sort=-num_articles&country={country()}"]),
        "events page (HTML, 50 rows)": lambda: rng.choice([
            "/events", f"/events?country={country()}", f"/events?root=19&{month()}"]),
        "timeline (month, by quad class)": lambda: rng.choice([
            "/api/v1/timeline?freq=month&split=quad", f"/api/v1/timeline?freq=month&split=quad&country={country()}",
            f"/api/v1/timeline?freq=week&a={country()}&b={country()}"]),
        "places GeoJSON": lambda: rng.choice([
            "/api/v1/places.geojson", f"/api/v1/places.geojson?{month()}",
            f"/api/v1/places.geojson?country={country()}"]),
        "changes (3 months before)": lambda: rng.choice([
            "/api/v1/changes?by=country", "/api/v1/changes?by=dyad", "/api/v1/changes?by=root&window=week",
            f"/api/v1/changes?by=country&end={rng.choice(MONTHS)}-15"]),
    }


# the kinds of events page of the API scenario (and the sorted-by-reports one), timed one by one in-process
KINDS = {
    "newest first": ({}, "-date"), "one country (USA)": ({"country": "USA"}, "-date"),
    "one country (MMR)": ({"country": "MMR"}, "-date"),
    "root 19 in one month": ({"root": "19", "since": "2019-05-01", "until": "2019-05-31"}, "-date"),
    "quad 4, Goldstein <= -5, one month": ({"quad": "4", "goldstein_max": -5, "since": "2019-05-01",
                                            "until": "2019-05-31"}, "-date"),
    "frequent dyad USA-CHN": ({"a": "USA", "b": "CHN"}, "-date"),
    "sparse dyad CHN-BLR": ({"a": "CHN", "b": "BLR"}, "-date"),
    "sparse dyad SYR-KOR": ({"a": "SYR", "b": "KOR"}, "-date"),
    "sparse dyad POL-BRA": ({"a": "POL", "b": "BRA"}, "-date"),
    "sparse dyad BRA-BRA": ({"a": "BRA", "b": "BRA"}, "-date"),
    "sorted by reports": ({}, "-num_articles"), "sorted by reports, quad 4": ({"quad": "4"}, "-num_articles"),
    "sorted by reports, USA": ({"country": "USA"}, "-num_articles"),
}


def kinds(root: Path, repeat: int) -> dict:
    """Each kind of events page (50 rows) in this process, without and with the event index, alternating:
    median wall and CPU time (CPU: this process, DuckDB's threads included; less sensitive to other jobs
    on the machine than wall time). The two answers must be the same."""
    from communique.web import service as S
    from communique.web.api import EventsQuery
    from communique.web.db import ReadOnlyStore

    dbs = {"plain": ReadOnlyStore(root, cache_size=0, event_index=False),
           "index": ReadOnlyStore(root, cache_size=0, event_index=True)}
    t0 = time.perf_counter()
    dbs["index"].event_index(wait=True)
    out = {"index_build_s": round(time.perf_counter() - t0, 2), "kinds": {}}
    for name, (params, sort) in KINDS.items():
        q = EventsQuery(**params)
        pages = [S.events_page(db, q, sort, 50, count=True) for db in dbs.values()]
        if pages[0] != pages[1]:
            raise AssertionError(f"{name}: the event index changed the answer")
        wall: dict[str, list[float]] = {k: [] for k in dbs}
        cpu: dict[str, list[float]] = {k: [] for k in dbs}
        for _ in range(repeat):
            for k, db in dbs.items():
                w, c = time.perf_counter(), time.process_time()
                S.events_page(db, q, sort, 50)
                wall[k].append((time.perf_counter() - w) * 1000)
                cpu[k].append((time.process_time() - c) * 1000)
        out["kinds"][name] = {f"{k}_{m}_ms": round(statistics.median(v[k]), 1)
                              for k in dbs for m, v in (("wall", wall), ("cpu", cpu))}
    for db in dbs.values():
        db.close()
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RssSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.peak = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, self.proc.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(0.2)


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def latency(base: str, make_url, n: int, warm: int) -> dict:
    times = []
    with httpx.Client(base_url=base, timeout=60) as c:
        for i in range(warm + n):
            url = make_url()
            t0 = time.perf_counter()
            r = c.get(url)
            dt = (time.perf_counter() - t0) * 1000
            if r.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {r.status_code} {r.text[:200]}")
            if i >= warm:
                times.append(dt)
    return {"requests": n, "p50_ms": round(statistics.median(times), 1), "p95_ms": round(pct(times, 95), 1),
            "max_ms": round(max(times), 1)}


async def load(base: str, make_url, clients: int, seconds: float) -> dict:
    stop = time.monotonic() + seconds
    times: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(c: httpx.AsyncClient):
        while time.monotonic() < stop:
            url = make_url()
            t0 = time.perf_counter()
            try:
                r = await c.get(url)
                if r.status_code != 200:
                    errors.append(f"{url}: HTTP {r.status_code}")
            except httpx.HTTPError as e:
                errors.append(f"{url}: {type(e).__name__}")
            times.append((time.perf_counter() - t0) * 1000)

    t0 = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as c:
        await asyncio.gather(*(client(c) for _ in range(clients)))
    wall = time.perf_counter() - t0
    return {"clients": clients, "seconds": round(wall, 1), "requests": len(times), "errors": len(errors),
            "error_examples": errors[:5], "requests_per_s": round(len(times) / wall, 1),
            "p50_ms": round(statistics.median(times), 1), "p95_ms": round(pct(times, 95), 1)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/communique-web-bench"))
    ap.add_argument("--reuse", action="store_true", help="reuse a store generated earlier in --dir")
    ap.add_argument("--requests", type=int, default=200, help="timed requests per scenario")
    ap.add_argument("--warm", type=int, default=20, help="untimed requests per scenario first")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--baseline-seconds", type=float, default=15.0)
    ap.add_argument("--cache-size", type=int, default=0,
                    help="the server's answer cache (default 0: every request queries the store)")
    ap.add_argument("--no-event-index", action="store_true",
                    help="serve without the month-file event index (COMMUNIQUE_WEB_EVENT_INDEX=0), to measure it")
    ap.add_argument("--only", default=None,
                    help="run only the latency scenarios whose name contains this text (e.g. 'events page')")
    ap.add_argument("--kinds", type=int, default=0, metavar="N",
                    help="instead of the server: time each kind of events page N times in-process, without and "
                         "with the event index (median wall and CPU ms)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    load_start = os.getloadavg()
    gen_s = None
    if not (args.reuse and (args.dir / "store.json").exists()):
        gen_s = generate(args.dir, args.events)
        add_coordinates(args.dir)
    if args.kinds:
        res = {**kinds(args.dir, args.kinds), "loadavg_start": [round(x, 2) for x in load_start],
               "loadavg_end": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
        if args.json:
            print(json.dumps(res, indent=2))
        else:
            print(f"index built in {res['index_build_s']} s; median ms of {args.kinds}, plain -> index")
            for name, r in res["kinds"].items():
                print(f"  {name:<36} wall {r['plain_wall_ms']:>7.1f} -> {r['index_wall_ms']:>6.1f}   "
                      f"cpu {r['plain_cpu_ms']:>7.1f} -> {r['index_cpu_ms']:>6.1f}")
            print(f"  load average {res['loadavg_start']} -> {res['loadavg_end']}")
        return res
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-c", "from communique.cli import main; main()", "serve",
                               "--store", str(args.dir), "--port", str(port), "--log-level", "warning",
                               "--cache-size", str(args.cache_size)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env={**os.environ, "COMMUNIQUE_WEB_EVENT_INDEX": "0" if args.no_event_index else "1"})
    sampler = RssSampler(server.pid)
    sampler.start()
    try:
        t0 = time.perf_counter()
        while True:
            try:
                h = httpx.get(base + "/api/v1/health", timeout=5).json()
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.perf_counter() - t0 > 60:
                    raise RuntimeError("the server did not start: " + server.stderr.read().decode()[-2000:]) \
                        from None
                time.sleep(0.2)
        while h.get("event_index", {}).get("state") == "building" and time.perf_counter() - t0 < 120:
            time.sleep(0.2)   # the month-file index is built in the background when the server starts
            h = httpx.get(base + "/api/v1/health", timeout=5).json()
        startup = time.perf_counter() - t0
        rng = random.Random(7)
        sc = scenarios(rng)
        lat = {name: latency(base, fn, args.requests, args.warm) for name, fn in sc.items()
               if not args.only or args.only in name}
        mix = list(sc.values())
        under_load = baseline = None
        if args.seconds > 0:   # --seconds 0: latency only
            under_load = asyncio.run(load(base, lambda: rng.choice(mix)(), args.clients, args.seconds))
            baseline = asyncio.run(load(base, lambda: "/static/css/app.css", args.clients, args.baseline_seconds))
    finally:
        server.terminate()
        server.wait(10)
        sampler.stop.set()
        sampler.join(2)
    res = {
        "events": h["events"], "store_bytes": h["store_bytes"], "generate_s": round(gen_s, 1) if gen_s else None,
        "server_startup_s": round(startup, 2), "latency_warm": lat, "load_mix": under_load,
        "load_static_baseline": baseline,
        "load_ratio_mix_to_static": round(under_load["requests_per_s"] / baseline["requests_per_s"], 3)
        if under_load else None,
        "server_peak_rss_mib": round(sampler.peak / 2**20, 1), "cache_size": args.cache_size,
        "event_index": h.get("event_index"),
        "loadavg_start": [round(x, 2) for x in load_start], "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        print(f"{res['events']:,} events, store {res['store_bytes'] / 1e6:.0f} MB, server up in {startup:.1f} s")
        for name, r in lat.items():
            print(f"  {name:<38} p50 {r['p50_ms']:>7.1f} ms  p95 {r['p95_ms']:>7.1f} ms  max {r['max_ms']:>7.1f} ms")
        for name, r in (("load: mix of the scenarios", under_load), ("load: static file (baseline)", baseline)):
            if r is None:
                continue
            print(f"  {name:<38} {r['clients']} clients {r['seconds']} s: {r['requests']} requests, "
                  f"{r['requests_per_s']} req/s, {r['errors']} errors, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms")
        print(f"  server peak RSS {res['server_peak_rss_mib']} MiB; load average {res['loadavg_start']} -> "
              f"{res['loadavg_end']}")
    return res


if __name__ == "__main__":
    main()
