"""How long the workers of a killed coordinator live on: SIGKILL the coordinator of an ingest
(process pool, then Dask LocalCluster) after two committed shards and time until no process of
its process group is left running (zombies, which only wait for the system to reap them, do not
count: they can do nothing). Uses the stand-in coder of the reliability tests (run from the
repository root).

    .venv/bin/python benchmarks/worker_shutdown.py [--runs 2]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("COMMUNIQUE_FAKE_DELAY", "0.02")
    from tests.reliability.conftest import group_pids, start_ingest, wait_for_shards, write_corpus

    d = Path(tempfile.mkdtemp())
    corpus = write_corpus(d / "articles.jsonl")
    for engine in ("processes", "dask"):
        for i in range(args.runs):
            root = d / f"{engine}-{i}"
            proc = start_ingest(corpus, root, engine, shard_size=4)
            if not wait_for_shards(proc, root, 2):
                print(engine, "the run ended before the kill")
                continue
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            t = time.perf_counter()
            while group_pids(proc.pid) and time.perf_counter() - t < 30:
                time.sleep(0.01)
            left = " (some still alive after 30 s)" if group_pids(proc.pid) else ""
            print(f"{engine}: every worker gone {time.perf_counter() - t:.2f} s after the coordinator{left}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
