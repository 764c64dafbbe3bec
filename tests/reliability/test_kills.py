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

# (engine, how, seed): random points; the seed picks after how many committed shards (and how many
# milliseconds more) the kill lands
RANDOM_KILLS = [
    ("inprocess", "whole", 1), ("inprocess", "whole", 2), ("inprocess", "whole", 3),
    ("inprocess", "whole", 4), ("inprocess", "whole", 5), ("inprocess", "whole", 6),
    ("processes", "coordinator", 11), ("processes", "coordinator", 12), ("processes", "coordinator", 13),
    ("processes", "coordinator", 14), ("processes", "whole", 15), ("processes", "whole", 16),
    ("dask", "coordinator", 21), ("dask", "coordinator", 22), ("dask", "whole", 23),
]
# (engine, COMMUNIQUE_FAULTS): the process that reaches the point kills itself (=group: and the tree)
FAULT_KILLS = [
    ("inprocess", "commit:after-files@3"),          # files in place, manifest not written
    ("inprocess", "shard:before-commit@2"),
    ("inprocess", "shard:after-commit@4"),
    ("inprocess", "ingest:before-dedup@1"),         # everything committed, no events yet
    ("inprocess", "dedup:before-current@1"),        # a generation written, not made current
    ("processes", "commit:after-files@2"),          # a worker dies mid-commit; the pool is rebuilt
    ("processes", "ingest:after-result@3"),         # the coordinator dies between two results
    ("processes", "commit:after-files@2=group"),    # the whole tree dies mid-commit
    ("dask", "commit:after-files@2"),               # a Dask worker dies mid-commit; its task is retried
]


@pytest.mark.parametrize(("engine", "how", "seed"), RANDOM_KILLS,
                         ids=[f"{e}-{h}-{s}" for e, h, s in RANDOM_KILLS])
def test_random_kill_then_rerun_gives_the_clean_store(corpus, reference, tmp_path, engine, how, seed):
    rng = random.Random(seed)
    root = tmp_path / "store"
    proc = start_ingest(corpus, root, engine)
    # 12 shards in all (96 articles in shards of 8); a pool keeps up to 4 in flight
    wanted = rng.randint(1, 5 if engine != "inprocess" else 10)
    alive = wait_for_shards(proc, root, wanted)
    assert alive, f"seed {seed}: the run ended before {wanted} shards, no kill landed"
    import time

    time.sleep(rng.uniform(0, 0.15))
    if how == "coordinator":
        proc.send_signal(signal.SIGKILL)               # the coordinator only: its workers are orphaned
        proc.wait()
        at_kill = committed(root)
        left = wait_group_gone(proc.pid)
        assert not left, f"seed {seed}: workers {left} outlived their coordinator"
        time.sleep(0.5)
        assert committed(root) == at_kill, f"seed {seed}: a worker committed after its coordinator died"
    else:
        kill_group(proc.pid)
        proc.wait()
        assert not wait_group_gone(proc.pid)
    assert proc.returncode == -signal.SIGKILL
    # the same command again (in-process, or the same engine for half the cases)
    again = run_ingest(corpus, root, engine if seed % 2 else "inprocess")
    assert again["skipped"] > 0 or committed(root) > 0
    assert_same_store(reference, root)


@pytest.mark.parametrize(("engine", "faults"), FAULT_KILLS, ids=[f"{e}-{f}" for e, f in FAULT_KILLS])
def test_kill_at_a_crash_point_then_rerun_gives_the_clean_store(corpus, reference, tmp_path, engine, faults):
    root = tmp_path / "store"
    proc = start_ingest(corpus, root, engine, faults=faults, once=tmp_path / "crashed")
    out, err = proc.communicate(timeout=300)
    assert (tmp_path / "crashed").exists(), f"no process reached {faults}"
    point = faults.split("@")[0]
    worker_only = engine != "inprocess" and point.startswith(("commit:", "shard:")) and "=group" not in faults
    if worker_only:
        # one worker died mid-commit; the coordinator ran its shard again elsewhere and finished
        assert proc.returncode == 0, err.decode()[-2000:]
        summary = json.loads(out.decode().strip().splitlines()[-1])
        assert summary["errors"] == 2, "no shard was given up: only the two errors of the input"
    else:
        assert proc.returncode == -signal.SIGKILL, f"the run was not killed at {faults}: {err.decode()[-2000:]}"
        kill_group(proc.pid)
    assert not wait_group_gone(proc.pid)
    if not worker_only:
        run_ingest(corpus, root, "inprocess")
    assert_same_store(reference, root)


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
