"""Real kills (SIGKILL) at random and at chosen points of ingest, for every engine; then the same
command again. Each case must end with exactly the store a clean run builds.

Kill points (docs/RELIABILITY.md counts them): in-process (the whole run), the process pool
and Dask (the coordinator alone, whose workers must then die on their own and never commit
anything, and the whole process tree), and crash points inside a commit and inside
de-duplication (``communique._faults``).
"""

from __future__ import annotations

import json
import random
import signal

import pytest

from .conftest import (
    assert_same_store,
    committed,
    group_pids,
    kill_group,
    run_ingest,
    start_ingest,
    wait_for_shards,
    wait_group_gone,
)

CHAIN_SHARD_SIZE = 4          # 25 shards: room for every kill of a chain to land mid-run

# Chains of kills: the same store is killed again and again, each run at a new random point (after
# a random number of shards committed by that run, plus up to 150 ms), and only then finished.
# (engine, how, seed, kills in the chain)
RANDOM_CHAINS = [
    ("inprocess", "whole", 1, 5),
    ("processes", "coordinator", 11, 3),      # only the coordinator: its workers must die on their own
    ("processes", "whole", 12, 2),
    ("dask", "coordinator", 21, 2),
    ("dask", "whole", 22, 1),
]
# Chains of crash points (``communique._faults``): each run dies where it is told to.
FAULT_CHAINS = [
    ("inprocess", ["shard:before-commit@2", "commit:after-files@2", "shard:after-commit@2",
                   "ingest:before-dedup@1", "dedup:before-current@1"]),
    ("processes", ["ingest:after-result@2", "commit:after-files@2=group"]),
]
# A worker (only) dies in the middle of a commit; its shard is run again and the run finishes.
WORKER_CRASHES = ["processes", "dask"]


def kill_at_random(corpus, root, engine: str, how: str, rng: random.Random, label: str) -> None:
    import time

    before = committed(root)
    proc = start_ingest(corpus, root, engine, shard_size=CHAIN_SHARD_SIZE)
    wanted = before + rng.randint(1, 3)
    alive = wait_for_shards(proc, root, wanted)
    assert alive, f"{label}: the run ended before {wanted} shards, no kill landed"
    time.sleep(rng.uniform(0, 0.15))
    if how == "coordinator":
        proc.send_signal(signal.SIGKILL)               # the coordinator only: its workers are orphaned
        proc.wait()
        at_kill = committed(root)
        left = wait_group_gone(proc.pid)
        assert not left, f"{label}: workers {left} outlived their coordinator"
        time.sleep(0.5)
        assert committed(root) == at_kill, f"{label}: a worker committed after its coordinator died"
    else:
        kill_group(proc.pid)
        proc.wait()
        assert not wait_group_gone(proc.pid)
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize(("engine", "how", "seed", "kills"), RANDOM_CHAINS,
                         ids=[f"{e}-{h}-x{k}" for e, h, _, k in RANDOM_CHAINS])
def test_random_kills_then_rerun_give_the_clean_store(corpus, reference, tmp_path, engine, how, seed, kills):
    rng = random.Random(seed)
    root = tmp_path / "store"
    for i in range(kills):
        kill_at_random(corpus, root, engine, how, rng, f"seed {seed}, kill {i + 1}")
    done = run_ingest(corpus, root, "inprocess", shard_size=CHAIN_SHARD_SIZE)   # the same again, to the end
    assert done["skipped"] > 0
    assert_same_store(reference, root)


@pytest.mark.parametrize(("engine", "points"), FAULT_CHAINS, ids=[e for e, _ in FAULT_CHAINS])
def test_kills_at_crash_points_then_rerun_give_the_clean_store(corpus, reference, tmp_path, engine, points):
    root = tmp_path / "store"
    for i, faults in enumerate(points):
        proc = start_ingest(corpus, root, engine, faults=faults, once=tmp_path / f"crashed-{i}")
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == -signal.SIGKILL, f"the run was not killed at {faults}: {err.decode()[-2000:]}"
        kill_group(proc.pid)
        assert not wait_group_gone(proc.pid)
    run_ingest(corpus, root, "inprocess")
    assert_same_store(reference, root)


@pytest.mark.parametrize("engine", WORKER_CRASHES)
def test_a_worker_killed_mid_commit_is_replaced_and_its_shard_run_again(corpus, reference, tmp_path, engine):
    root = tmp_path / "store"
    proc = start_ingest(corpus, root, engine, faults="commit:after-files@2", once=tmp_path / "crashed")
    out, err = proc.communicate(timeout=300)
    assert (tmp_path / "crashed").exists(), "no worker reached the crash point"
    assert proc.returncode == 0, err.decode()[-2000:]
    summary = json.loads(out.decode().strip().splitlines()[-1])
    assert summary["errors"] == 2, "no shard was given up: only the two errors of the input"
    assert not wait_group_gone(proc.pid)
    assert_same_store(reference, root)


def test_the_suite_kills_at_least_20_points_across_the_three_engines():
    """The figure docs/RELIABILITY.md gives, counted from the cases above."""
    per_engine: dict[str, int] = {}
    for engine, _how, _seed, kills in RANDOM_CHAINS:
        per_engine[engine] = per_engine.get(engine, 0) + kills
    for engine, points in FAULT_CHAINS:
        per_engine[engine] = per_engine.get(engine, 0) + len(points)
    for engine in WORKER_CRASHES:
        per_engine[engine] += 1
    assert per_engine == {"inprocess": 10, "processes": 8, "dask": 4}
    assert sum(k for _e, how, _s, k in RANDOM_CHAINS if how == "coordinator") == 5


def test_a_stale_worker_cannot_commit_into_a_later_run(corpus, reference, tmp_path):
    """What an orphaned worker of a killed coordinator tries: commit a shard planned by the old run
    after a new run started. It is refused, writes nothing, and the new run's store is the clean one."""
    from communique.engines import PipelineSpec, plan_shards, run_shard
    from communique.readers import read_inputs
    from communique.store.catalog import ingest_lock
    from communique.store.fence import FencedOut

    from .fakes import FACTORY

    root = tmp_path / "store"
    spec = PipelineSpec(factory=FACTORY)
    with ingest_lock(root) as old_run:
        # the old run cut shards of 5 (the new one cuts them of 8), as a run with --shard-size 5 would
        stale = list(plan_shards(read_inputs([str(corpus)]), str(root), set(), set(), 5, spec, {}, run=old_run))
    with ingest_lock(root):                                    # a new coordinator took the store
        with pytest.raises(FencedOut, match="now holds the store"):
            run_shard(stale[0])
    assert committed(root) == 0
    run_ingest(corpus, root, "inprocess")
    before = committed(root)
    for shard in stale[1:4]:                                   # late stragglers after the new run
        with pytest.raises(FencedOut):
            run_shard(shard)
    assert committed(root) == before
    assert_same_store(reference, root)


def test_workers_are_gone_before_a_rerun_starts(corpus, tmp_path):
    """The check the kill tests rely on works: a live pool shows up in the process group."""
    root = tmp_path / "store"
    proc = start_ingest(corpus, root, "processes")
    assert wait_for_shards(proc, root, 1)
    assert len(group_pids(proc.pid)) >= 3          # coordinator, two workers (and a resource tracker)
    kill_group(proc.pid)
    proc.wait()
    assert not wait_group_gone(proc.pid)
