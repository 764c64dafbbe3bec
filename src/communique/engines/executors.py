"""Executors: map a function over shard inputs, yielding results as they finish.

All three have the same small interface, so the coordinator (``engines.ingest``)
and its progress display do not care where the work runs:

- ``InProcessExecutor``: in this process, one shard after another (tests, small jobs);
- ``ProcessPoolExecutor``: a local pool of worker processes (spawned, so no spaCy
  state is forked), each loading the pipeline once in its initializer; optional
  recycling of workers after N shards;
- ``DaskExecutor``: a Dask ``distributed`` cluster: the scheduler at ``address``,
  or a ``LocalCluster`` of ``workers`` single-threaded processes. Workers load the
  pipeline once (``client.run``) and write their own Parquet files into the store,
  which must be on a file system they all see.

``imap_unordered(fn, inputs)`` keeps at most ``max_in_flight`` tasks submitted, so
the coordinator never holds the whole input in memory. A task that raises yields a
``TaskFailed`` instead of stopping the run; a task whose worker died is retried once
on a fresh worker (the process pool is rebuilt; Dask retries on another worker).

Workers die with their coordinator: process-pool workers ask the kernel for SIGKILL when
their parent dies (``PR_SET_PDEATHSIG`` on Linux) and, like the workers of a Dask
``LocalCluster``, also watch their parent and exit when it is gone. A worker that
outlives its coordinator all the same (a remote Dask worker whose client died) cannot
commit anything: commits are fenced to the run that planned them (``store/fence.py``).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import CommuniqueError

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.2


def die_with_parent(parent_pid: int) -> None:
    """Make this (worker) process end when ``parent_pid``, its parent, ends: SIGKILL from the
    kernel where it can (Linux), and a watchdog thread everywhere."""
    import signal

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):   # no prctl: the watchdog is enough
            pass
    watch_parent(parent_pid)


def watch_parent(parent_pid: int) -> None:
    """Exit this process as soon as its parent is no longer ``parent_pid`` (it died, and the
    process was re-parented); also checked once now, for a parent that died before we ran."""
    if os.getppid() != parent_pid:
        os._exit(70)

    def watch() -> None:
        import time

        while True:
            time.sleep(WATCH_SECONDS)
            if os.getppid() != parent_pid:
                os._exit(70)

    threading.Thread(target=watch, name="communique-parent-watch", daemon=True).start()


def _pool_worker_init(parent_pid: int, initializer: Callable | None, initargs: tuple) -> None:
    die_with_parent(parent_pid)
    if initializer is not None:
        initializer(*initargs)




class EngineError(CommuniqueError):
    """The execution engine (process pool, Dask cluster) cannot run the work."""


@dataclass
class TaskFailed:
    input: Any
    error: BaseException

    @property
    def reason(self) -> str:
        return f"{type(self.error).__name__}: {self.error}"


class Executor:
    name = "base"
    workers = 1

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass

    def warm_up(self, fn: Callable, *args) -> list:
        """Run ``fn(*args)`` once in every worker (load the pipeline before timing starts)."""
        return [fn(*args)]

    def imap_unordered(self, fn: Callable, inputs: Iterable, max_in_flight: int | None = None) -> Iterator:
        raise NotImplementedError

    def worker_pids(self) -> list[int]:
        return [os.getpid()]


class InProcessExecutor(Executor):
    name = "inprocess"

    def imap_unordered(self, fn, inputs, max_in_flight=None):
        for item in inputs:
            try:
                yield fn(item)
            except (KeyboardInterrupt, SystemExit):
                raise
            except Exception as err:  # noqa: BLE001 - reported by the coordinator
                yield TaskFailed(item, err)


class ProcessPoolExecutor(Executor):
    name = "processes"

    def __init__(self, workers: int | None = None, recycle_after: int | None = None,
                 initializer: Callable | None = None, initargs: tuple = ()):
        import concurrent.futures as cf
        import multiprocessing as mp

        self.workers = workers or max(1, (os.cpu_count() or 1))

        def new_pool() -> cf.ProcessPoolExecutor:
            return cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=mp.get_context("spawn"),
                                          initializer=_pool_worker_init,
                                          initargs=(os.getpid(), initializer, initargs),
                                          max_tasks_per_child=recycle_after)

        self._new_pool = new_pool
        self._pool = new_pool()
        self.restarts = 0

    def warm_up(self, fn, *args):
        # The initializer already loads the pipeline; make sure every worker has started.
        import concurrent.futures as cf

        futs = [self._pool.submit(fn, *args) for _ in range(self.workers)]
        return [f.result() for f in cf.as_completed(futs)]

    def worker_pids(self) -> list[int]:
        return sorted(getattr(self._pool, "_processes", {}) or {})

    def imap_unordered(self, fn, inputs, max_in_flight=None):
        import concurrent.futures as cf
        from concurrent.futures.process import BrokenProcessPool

        limit = max_in_flight or self.workers * 2
        it = iter(inputs)
        pending: dict = {}
        retried: set[int] = set()      # id() of items already retried after a worker died
        retry: list = []
        exhausted = False
        try:
            while True:
                while retry or (not exhausted and len(pending) < limit):
                    if retry:
                        item = retry.pop()
                    else:
                        try:
                            item = next(it)
                        except StopIteration:
                            exhausted = True
                            break
                    try:
                        pending[self._pool.submit(fn, item)] = item
                    except BrokenProcessPool:
                        self._restart()
                        pending[self._pool.submit(fn, item)] = item
                if not pending:
                    return
                done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                broken = False
                for fut in done:
                    item = pending.pop(fut)
                    try:
                        yield fut.result()
                    except BrokenProcessPool as err:
                        # a worker died (killed, out of memory): every task in flight is lost with
                        # the pool; run each once more on a fresh pool before calling it failed
                        broken = True
                        if id(item) in retried:
                            yield TaskFailed(item, err)
                        else:
                            retried.add(id(item))
                            retry.append(item)
                    except Exception as err:  # noqa: BLE001 - reported by the coordinator
                        yield TaskFailed(item, err)
                if broken:
                    # the broken pool fails every other task in flight at once; keep the results
                    # that made it, retry the rest
                    rest, _ = cf.wait(pending)
                    for fut in rest:
                        item = pending.pop(fut)
                        try:
                            yield fut.result()
                        except BrokenProcessPool as err:
                            if id(item) in retried:
                                yield TaskFailed(item, err)
                            else:
                                retried.add(id(item))
                                retry.append(item)
                        except Exception as err:  # noqa: BLE001
                            yield TaskFailed(item, err)
                    self._restart()
        finally:
            for fut in pending:
                fut.cancel()

    def _restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()
        self.restarts += 1

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    name = "dask"

    def __init__(self, address=None, workers: int | None = None, threads_per_worker: int = 1,
                 memory_limit: str | None = "auto", dashboard: bool = False):
        try:
            from distributed import Client, LocalCluster
        except ImportError as err:  # pragma: no cover - distributed is a dependency
            raise EngineError("the Dask engine needs the 'distributed' package", None,
                              "pip install 'distributed'") from err
        self._cluster = None
        self._own_client = True
        if address is not None and not isinstance(address, (str, os.PathLike)):
            # an existing Client, or a cluster object (dask-jobqueue SLURMCluster, LocalCluster, ...)
            if isinstance(address, Client):
                self.client, self._own_client = address, False
            else:
                self.client = Client(address)
        elif address:
            try:
                if os.path.isfile(address):       # a scheduler file (dask scheduler --scheduler-file)
                    self.client = Client(scheduler_file=str(address), timeout="30s")
                else:
                    self.client = Client(str(address), timeout="30s")
            except (OSError, ValueError) as err:
                raise EngineError(f"cannot connect to the Dask scheduler at {address} ({err})", None,
                                  "check the address (tcp://host:8786) or scheduler file, and that the "
                                  "scheduler is running") from err
        else:
            import logging

            n = workers or max(1, (os.cpu_count() or 1))
            self._cluster = LocalCluster(n_workers=n, threads_per_worker=threads_per_worker, processes=True,
                                         memory_limit=memory_limit, silence_logs=logging.ERROR,
                                         dashboard_address=":0" if dashboard else None)
            self.client = Client(self._cluster)
            # our own workers are our child processes: they exit when the coordinator does
            from ._dask_plugin import ParentWatchPlugin

            self.client.register_plugin(ParentWatchPlugin(os.getpid()))
        self.workers = max(1, len(self.client.scheduler_info(n_workers=-1).get("workers", {})))

    @property
    def dashboard_link(self) -> str | None:
        return getattr(self.client, "dashboard_link", None)

    def warm_up(self, fn, *args):
        return list(self.client.run(fn, *args).values())

    def worker_pids(self) -> list[int]:
        return sorted(self.client.run(os.getpid).values())

    def imap_unordered(self, fn, inputs, max_in_flight=None):
        from distributed import as_completed

        limit = max_in_flight or self.workers * 2
        it = iter(inputs)
        items: dict = {}

        def submit(item):
            key = f"shard-{getattr(item, 'id', id(item))}"
            fut = self.client.submit(fn, item, key=key, pure=False, retries=1)
            items[fut.key] = item
            return fut

        first = []
        for item in it:
            first.append(submit(item))
            if len(first) >= limit:
                break
        ac = as_completed(first)
        try:
            for fut in ac:
                item = items.pop(fut.key)
                try:
                    yield fut.result()
                except Exception as err:  # noqa: BLE001 - includes KilledWorker
                    yield TaskFailed(item, err)
                finally:
                    fut.release()
                try:
                    ac.add(submit(next(it)))
                except StopIteration:
                    pass
        finally:
            for f in list(ac.futures):
                f.cancel()

    def close(self) -> None:
        import logging

        # a worker that takes a few seconds to exit is killed by its nanny: not worth a warning
        for name in ("distributed.nanny", "distributed.worker", "distributed.core"):
            logging.getLogger(name).setLevel(logging.ERROR)
        try:
            if self._own_client:
                self.client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()


def make_executor(engine: str, workers: int | None = None, scheduler: str | None = None,
                  recycle_after: int | None = None, initializer: Callable | None = None,
                  initargs: tuple = ()) -> Executor:
    if engine == "inprocess":
        return InProcessExecutor()
    if engine == "processes":
        return ProcessPoolExecutor(workers, recycle_after, initializer, initargs)
    if engine == "dask":
        return DaskExecutor(scheduler, workers)
    raise EngineError(f"unknown engine {engine!r}", None, "use inprocess, processes or dask")


def choose_engine(engine: str, n_articles: int | None, workers: int | None) -> str:
    """``auto``: a process pool when there is more than one core and more than a few hundred
    articles, otherwise in-process."""
    if engine != "auto":
        return engine
    cores = workers or os.cpu_count() or 1
    if cores > 1 and (n_articles is None or n_articles > 300):
        return "processes"
    return "inprocess"
