"""Parallel and distributed ingest: a pure shard function mapped by interchangeable executors.

    >>> from communique.engines import ingest
    >>> report = ingest(["corpus/"], "communique-data", engine="dask")

``work.process_shard`` turns a shard of articles into records; ``work.run_shard``
writes and commits them (skipping a shard already committed); ``executors`` run
``run_shard`` in-process, in a local process pool or on a Dask cluster;
``ingest.ingest`` is the coordinator that ties them to the store.
"""

from __future__ import annotations

from .executors import (
    DaskExecutor,
    EngineError,
    Executor,
    InProcessExecutor,
    ProcessPoolExecutor,
    TaskFailed,
    choose_engine,
    make_executor,
)
from .ingest import DEFAULT_SHARD_SIZE, IngestReport, Progress, ingest, plan_shards
from .work import PipelineSpec, ShardInput, ShardSummary, process_shard, run_shard, warm_up

ENGINES = ("auto", "inprocess", "processes", "dask")

__all__ = [
    "DEFAULT_SHARD_SIZE", "ENGINES", "DaskExecutor", "EngineError", "Executor", "InProcessExecutor",
    "IngestReport", "PipelineSpec", "ProcessPoolExecutor", "Progress", "ShardInput", "ShardSummary",
    "TaskFailed", "choose_engine", "ingest", "make_executor", "plan_shards", "process_shard", "run_shard",
    "warm_up",
]
