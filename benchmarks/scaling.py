"""Scaling and engine throughput of `communique ingest`, measured in one run on one machine.

Two measurements (both on the Wikinews corpus by default, each into a fresh store):

- ``scaling``: the process-pool engine with 1 worker, then with 2 workers (alternating,
  ``--rounds`` times, best of each). Throughput is articles coded per second of coding
  wall time after the workers have loaded the pipeline (``IngestReport.seconds``), so
  model start-up does not hide the parallel speed-up; start-up is reported too.
- ``engines``: `communique ingest` end to end as a command (wall time including Python
  start, model load, coding, writing and de-duplication) with ``--engine auto``,
  ``inprocess``, ``processes`` and ``dask`` (a LocalCluster); articles per second and per
  core (cores = workers used).

    .venv/bin/python benchmarks/scaling.py [--corpus data/corpus/wikinews/articles.jsonl]
        [--only scaling|engines] [--rounds 2] [--shard-size 8] [--json]

On a shared machine, run it at a high scheduling priority so that other jobs do not take
the second core (as root: ``echo -20 > /proc/self/autogroup; nice -n -20 ...``);
docs/PERFORMANCE.md says how the published figures were taken.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_avg() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def scaling(corpus: Path, rounds: int, shard_size: int, tmp: Path) -> dict:
    from communique.engines import ingest

    best: dict[int, dict] = {}
    for r in range(rounds):
        for workers in (1, 2):
            root = tmp / f"scale-{workers}-{r}"
            shutil.rmtree(root, ignore_errors=True)
            load = load_avg()
            rep = ingest([str(corpus)], root, engine="processes", workers=workers, shard_size=shard_size,
                         dedup=False)
            res = {"workers": workers, "articles": rep.articles, "seconds": rep.seconds,
                   "startup_seconds": rep.startup_seconds, "articles_per_s": rep.rate, "load_before": load}
            print(f"  round {r + 1}: {workers} worker(s): {rep.articles} articles in {rep.seconds:.1f} s "
                  f"(+{rep.startup_seconds:.1f} s start-up) = {rep.rate:.2f} articles/s (load {load:.2f})",
                  file=sys.stderr)
            if workers not in best or res["articles_per_s"] > best[workers]["articles_per_s"]:
                best[workers] = res
            shutil.rmtree(root, ignore_errors=True)
    return {"one_worker": best[1], "two_workers": best[2],
            "speedup_2_over_1": best[2]["articles_per_s"] / best[1]["articles_per_s"]}


def engines(corpus: Path, tmp: Path, n_articles: int) -> dict:
    out = {}
    cli = [sys.executable, "-c", "from communique.cli import main; main()"]
    for engine, workers in (("auto", None), ("inprocess", 1), ("processes", 2), ("dask", 2)):
        root = tmp / f"engine-{engine}"
        shutil.rmtree(root, ignore_errors=True)
        cmd = cli + ["ingest", str(corpus), "--store", str(root), "--engine", engine, "--json", "--no-progress"]
        if workers and engine != "inprocess":
            cmd += ["--workers", str(workers)]
        load = load_avg()
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if done.returncode != 0:
            raise SystemExit(f"{engine} failed: {done.stderr[-2000:]}")
        summary = json.loads(done.stdout)
        cores = summary["workers"]
        coded = summary["articles"] + summary["errors"]
        out[engine] = {"engine_used": summary["engine"], "workers": cores, "articles": summary["articles"],
                       "errors": summary["errors"], "wall_seconds": wall,
                       "startup_seconds": summary["startup_seconds"], "coding_seconds": summary["seconds"],
                       "articles_per_s": coded / wall, "articles_per_s_per_core": coded / wall / cores,
                       "coding_articles_per_s_per_core": coded / summary["seconds"] / cores,
                       "load_before": load}
        print(f"  {engine:9s} ({summary['engine']}, {cores} worker(s)): {wall:.1f} s wall, "
              f"{coded / wall:.2f} articles/s, {coded / wall / cores:.2f} per core "
              f"(coding only {coded / summary['seconds'] / cores:.2f} per core)", file=sys.stderr)
        shutil.rmtree(root, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus" / "wikinews" / "articles.jsonl")
    ap.add_argument("--only", choices=("scaling", "engines"), default=None)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--shard-size", type=int, default=8)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--wait-quiet", type=float, default=None, metavar="LOAD",
                    help="first wait (up to --wait-max seconds) until the 1-minute load average is below LOAD: "
                         "on a shared machine other jobs would take the second core")
    ap.add_argument("--wait-max", type=float, default=1800)
    args = ap.parse_args(argv)
    if args.wait_quiet is not None:
        t0 = time.time()
        while load_avg() >= args.wait_quiet and time.time() - t0 < args.wait_max:
            time.sleep(10)
        print(f"load average {load_avg():.2f} after waiting {time.time() - t0:.0f} s", file=sys.stderr)
    n = sum(1 for line in open(args.corpus, encoding="utf-8") if line.strip())
    result = {"corpus": str(args.corpus), "articles": n, "cpu": os.cpu_count(), "load_at_start": load_avg()}
    with tempfile.TemporaryDirectory(prefix="communique-scaling-") as d:
        tmp = Path(d)
        if args.only in (None, "scaling"):
            print(f"scaling on {n} articles:", file=sys.stderr)
            result["scaling"] = scaling(args.corpus, args.rounds, args.shard_size, tmp)
        if args.only in (None, "engines"):
            print(f"engines end to end on {n} articles:", file=sys.stderr)
            result["engines"] = engines(args.corpus, tmp, n)
    if args.json:
        print(json.dumps(result))
    else:
        if "scaling" in result:
            s = result["scaling"]
            print(f"scaling: 1 worker {s['one_worker']['articles_per_s']:.2f} articles/s, 2 workers "
                  f"{s['two_workers']['articles_per_s']:.2f} articles/s: {s['speedup_2_over_1']:.2f}x")
        for e, r in result.get("engines", {}).items():
            print(f"{e:9s} {r['articles_per_s']:.2f} articles/s end to end, {r['articles_per_s_per_core']:.2f} per core")
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
