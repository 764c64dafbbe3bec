"""The ingest coordinator: read inputs, skip what is stored, cut shards, run them, de-duplicate.

Ingest is exactly-once, idempotent and resumable because every step is keyed by content:

- an article's key is the hash of its text and identity (URL, or source and id: ``rows.article_key``);
  articles already in the store (or already seen earlier in this run) are skipped, so ingesting
  twice stores once (the same text from another outlet is another article: a copy of the first);
- the shard plan is stable: the input is cut into shards by position (every N input
  articles, stored or not, with N depending only on the input's size and ``--shard-size``),
  and a shard's id is the hash of the keys it codes, so a run killed at any moment and
  run again plans the same shards for what is left;
- a shard becomes visible only when its manifest is written, after its rows were checked
  against its plan (``work.check_plan``), and the coordinator checks each commit against
  the plan too (``verify_commit``), so a run killed at any moment leaves only complete
  shards behind, and the same command run again codes exactly the articles that are missing;
- commits are fenced (``store/fence.py``): taking the store lock starts a new run, and a
  worker of an earlier run (orphaned by a killed coordinator) can no longer commit; pool
  workers also die with their coordinator (``executors``);
- inputs that cannot be read and articles the pipeline fails on become rows of the
  ``errors`` table (with the reason), committed with their shard: nothing is dropped.

The coordinator holds the store lock, never loads spaCy, and sees only summaries
coming back from the workers, whichever executor runs them.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .._faults import fault_point
from ..errors import StoreError
from ..records import Article, Rejected
from ..store.catalog import Catalog, ingest_lock, now_utc
from ..store.core import Store
from ..store.rows import error_row, key_of, rejected_row
from ..store.writer import plan_digest, shard_id, write_shard
from .executors import TaskFailed, choose_engine, make_executor
from .work import PipelineSpec, PlanMismatch, ShardInput, run_shard, shard_article, warm_up

DEFAULT_SHARD_SIZE = 200
MIN_SHARD_SIZE = 8
# Without --shard-size, an input is cut into about this many shards per worker (so that no worker
# waits long for the last one; docs/PERFORMANCE.md), counting the articles already stored: the plan
# must not change when a killed run is run again.
SHARDS_PER_WORKER = 16


@dataclass
class Progress:
    """What every engine reports, after every shard."""

    done: int = 0               # articles coded and stored in this run
    total: int | None = None    # articles this run has to code (None when unknown, e.g. stdin)
    errors: int = 0             # error rows committed in this run
    skipped: int = 0            # articles already stored (or repeated in the input)
    shards: int = 0
    elapsed: float = 0.0        # seconds since the first shard was submitted
    engine: str = ""
    workers: int = 1
    worker_rss: dict = field(default_factory=dict)    # pid -> bytes, from the latest summary of each worker
    worker_vocab: dict = field(default_factory=dict)  # pid -> strings in the worker's spaCy vocabulary

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        if self.total is None or self.rate <= 0:
            return None
        return max(0.0, (self.total - self.done - self.errors) / self.rate)


@dataclass
class IngestReport:
    store: str
    engine: str
    workers: int
    articles: int = 0           # coded and stored in this run
    skipped: int = 0
    errors: int = 0
    events: int = 0             # coded event mentions stored in this run
    shards: int = 0
    shards_skipped: int = 0
    seconds: float = 0.0        # wall time of the coding part (after workers started)
    startup_seconds: float = 0.0
    interrupted: bool = False
    dedup: dict | None = None
    copies: int = 0             # new articles stored as copies of another (not coded)
    warned: int = 0             # articles stored with warnings in this run
    incomplete: list[str] = field(default_factory=list)   # articles not coded in full: "origin: warning"
    summaries: list[dict] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


def _scan(items: Iterable[Article | Rejected], skip: set[str]) -> tuple[int, int]:
    """``(articles in the input, articles to code)``."""
    n = total = 0
    seen: set[str] = set()
    for it in items:
        if isinstance(it, Article):
            total += 1
            k = key_of(it)
            if k not in skip and k not in seen:
                seen.add(k)
                n += 1
    return total, n


def find_input_copies(items: Iterable[Article | Rejected], skip: set[str], st: Store) -> tuple[dict, dict]:
    """Layer 1 of de-duplication (``store/copies.py``): which new articles of the input are copies of
    an earlier one (of this input, in canonical order, or stored). Returns ``(copies, signatures)``:
    key -> copy info, and key -> MinHash signature bytes of every new original."""
    from ..store import copies as C

    new: dict[str, dict] = {}
    for it in items:
        if not isinstance(it, Article):
            continue
        k = key_of(it)
        if k in skip or k in new:
            continue
        if len(C.words(it.text)) < C.MIN_WORDS:
            continue
        new[k] = {"key": k, "id": it.id, "date": (it.date or "")[:10] or None, "sig": C.signature(it.text)}
    found = C.find_copies(list(new.values()), st.copy_candidates)
    sigs = {k: C.to_bytes(a["sig"]) for k, a in new.items() if k not in found}
    return found, sigs


def stable_shard_size(n_input: int | None, workers: int = 2) -> int:
    """Articles per shard for an input of ``n_input`` articles (stored or not) and ``workers``: a
    function of the command alone, not of what is stored, so a run that is killed and run again
    cuts the same shards."""
    if n_input is None:
        return DEFAULT_SHARD_SIZE
    return max(MIN_SHARD_SIZE, min(DEFAULT_SHARD_SIZE, math.ceil(n_input / (SHARDS_PER_WORKER * workers))))


def shard_key(article_keys: list[str], error_keys: list[str], salt: str = "") -> str:
    """A shard's id: the hash of what it codes (so the same work always has the same name, and a
    shard holding other articles can never be mistaken for it)."""
    return shard_id(article_keys + error_keys + ([salt] if salt else []))


def plan_shards(items: Iterable[Article | Rejected], store: str, skip: set[str], known_errors: set[str],
                shard_size: int, spec: PipelineSpec, counters: dict, salt: str = "", *,
                run: str | None = None, coordinator: int | None = None,
                source: dict | None = None, copies: dict | None = None,
                signatures: dict | None = None) -> Iterator[ShardInput]:
    """Cut the input stream into shards: every ``shard_size`` input articles (counting those
    already stored and repeated ones too, so boundaries do not move when a killed run is run
    again) make one shard of the new ones among them, with the read errors met on the way."""
    seen: set[str] = set()
    arts: list[dict] = []
    keys: list[str] = []
    errs: list[dict] = []
    position = 0

    def emit() -> ShardInput:
        ekeys = [e["error_key"] for e in errs]
        s = ShardInput(id=shard_key(keys, ekeys, salt), store=store, articles=list(arts), errors=list(errs),
                       spec=spec, run=run, digest=plan_digest(keys, ekeys), coordinator=coordinator,
                       source=dict(source or {}),
                       # a stored article that a new one comes before: its copies row goes with the new one
                       copies={k: c for k, c in (copies or {}).items() if k in keys or c.get("by") in keys},
                       signatures={k: signatures[k] for k in keys if k in signatures} if signatures else {})
        arts.clear()
        keys.clear()
        errs.clear()
        return s

    for it in items:
        if isinstance(it, Rejected):
            row = rejected_row(it)
            if row["error_key"] in known_errors or row["error_key"] in seen:
                counters["known_errors"] = counters.get("known_errors", 0) + 1
                continue
            seen.add(row["error_key"])
            errs.append(row)
            continue
        position += 1
        k = key_of(it)
        if k in skip or k in seen:
            counters["skipped"] = counters.get("skipped", 0) + 1
        else:
            seen.add(k)
            arts.append(shard_article(it))
            keys.append(k)
        if position % shard_size == 0 and (arts or errs):
            yield emit()
    if arts or errs:
        yield emit()


def verify_commit(root: Path, shard: ShardInput) -> None:
    """Check a shard's commit against its plan: its manifest is there and records the plan the
    coordinator made (same article and error keys)."""
    cat = Catalog(root)
    path = cat.shard_manifest_path(shard.id)
    try:
        import json

        m = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PlanMismatch(f"shard {shard.id} reported done but its manifest is missing or unreadable ({err})",
                           str(path), "run the same ingest again") from None
    recorded = (m.get("plan") or {}).get("digest")
    if recorded is not None and shard.digest is not None and recorded != shard.digest:
        raise PlanMismatch(f"shard {shard.id} was committed with other articles than planned", str(path),
                           f"run `communique store verify --store {root}`")


def ingest(inputs: Iterable[str | os.PathLike[str]] | Iterable[Article | Rejected], store: str | os.PathLike[str],
           *, engine: str = "auto", workers: int | None = None, scheduler=None,
           shard_size: int | None = None, batch_size: int = 32, model: str | None = None,
           kb: tuple[str, ...] = (), input_format: str = "auto", text_column: str | None = None,
           dedup: bool = True, retry_errors: bool = False, recycle_after: int | None = None,
           count: bool = True, on_progress: Callable[[Progress], None] | None = None,
           on_start: Callable[[str, int], None] | None = None, read_options=None,
           factory: str | None = None, copies: bool = True, config: dict | None = None) -> IngestReport:
    """Code articles into the store at ``store``. ``inputs`` are paths (files, folders, ``-``) or
    ``Article``/``Rejected`` objects. See the module docstring for the guarantees. ``read_options``
    (``readers.ReadOptions``) configure web inputs: languages, fetching, feed lists. ``copies``: find
    near-duplicate articles and store them as copies of their original, uncoded (``store/copies.py``;
    needs a second read of the input, so inputs read only once, web pages and stdin, are not checked).
    ``config`` overrides stage settings as ``communique ingest --set`` does (``{"times.future_bias": 3}``):
    it travels to every worker as plain data in the ``PipelineSpec``, each worker builds its
    pipeline with it once, and the stored articles keep the settings (column ``coder_settings``)."""
    from ..readers import costly, read_inputs

    inputs = list(inputs)
    from_paths = all(isinstance(x, (str, os.PathLike)) for x in inputs)

    def read() -> Iterator[Article | Rejected]:
        if from_paths:
            return read_inputs([str(p) for p in inputs], input_format, text_column,  # type: ignore[arg-type]
                               read_options)
        return iter(inputs)  # type: ignore[arg-type]

    root = Path(store)
    st = Store(root, create=True)
    spec = PipelineSpec(model=model, kb=tuple(kb), batch_size=batch_size, factory=factory, config=dict(config or {}))
    if spec.config and factory is None:
        from ..pipeline import check_settings

        check_settings(spec.config)   # a bad --set stops here, not in every worker
    with ingest_lock(root) as run:
        st.catalog.collect_garbage()
        st.refresh()
        skip = st.skip_keys()
        known_errors = st.error_keys()
        if not retry_errors:
            # articles the pipeline failed on before are not retried unless asked (--retry-errors)
            skip |= {r[0] for r in st.con.execute(
                "SELECT DISTINCT article_key FROM errors WHERE stage IN ('code', 'store') AND NOT resolved "
                "AND article_key IS NOT NULL").fetchall()}
        if read_options is not None:
            # stored URLs are not fetched again, stored WARC records not extracted again
            from ..store.web import remember_store

            remember_store(read_options, st)
        # web inputs (pages to extract, URLs to fetch) are read once only: no count ahead
        cheap = not from_paths or not costly([str(p) for p in inputs], input_format, read_options)  # type: ignore[arg-type]
        n_input, total = (_scan(read(), skip) if count and cheap and (not from_paths or "-" not in [str(p) for p in inputs])
                          else (None, None))
        found, sigs = {}, {}
        if copies and cheap and (not from_paths or "-" not in [str(p) for p in inputs]):
            found, sigs = find_input_copies(read(), skip, st)
        report_copies = len(found)
        eng = "dask" if scheduler is not None and engine == "auto" else choose_engine(engine, total, workers)
        n_workers = 1 if eng == "inprocess" else (workers or os.cpu_count() or 1)
        size = shard_size or stable_shard_size(n_input, n_workers)
        report = IngestReport(store=str(root), engine=eng, workers=n_workers)
        prog = Progress(total=total, engine=eng, workers=n_workers)
        counters: dict = {}
        t_start = time.perf_counter()
        executor = make_executor(eng, n_workers, scheduler, recycle_after,
                                 initializer=warm_up if eng == "processes" else None,
                                 initargs=(spec,) if eng == "processes" else ())
        try:
            with executor:
                report.workers = prog.workers = executor.workers
                if on_start is not None:
                    on_start(eng, executor.workers)
                if total != 0:
                    # load the pipeline in every worker first: a model or knowledge base that cannot
                    # load stops the run here, instead of failing every shard
                    try:
                        executor.warm_up(warm_up, spec)
                    except Exception as err:  # noqa: BLE001
                        from .executors import EngineError

                        raise EngineError(f"the workers cannot load the pipeline ({type(err).__name__}: {err})",
                                          eng, "check that `communique code` works on one article") from err
                report.startup_seconds = time.perf_counter() - t_start
                t0 = time.perf_counter()
                planned: dict[str, ShardInput] = {}

                def tracked(shards: Iterator[ShardInput]) -> Iterator[ShardInput]:
                    for sh in shards:
                        planned[sh.id] = sh
                        yield sh

                shards = plan_shards(read(), str(root), skip, known_errors, size, spec, counters,
                                     salt="retry" if retry_errors else "", run=run,
                                     coordinator=os.getpid() if eng == "processes" else None,
                                     source={"input_format": input_format, "text_column": text_column,
                                             "cwd": os.getcwd()} if from_paths else {},
                                     copies=found, signatures=sigs)
                for res in executor.imap_unordered(run_shard, tracked(shards)):
                    if isinstance(res, TaskFailed):
                        _stop_on_store_error(res)
                        planned.pop(res.input.id, None)
                        res = _record_failure(root, res, run)
                    else:
                        verify_commit(root, planned.pop(res["id"]))
                    fault_point("ingest:after-result")
                    report.summaries.append(res)
                    report.shards += 1
                    report.shards_skipped += bool(res.get("skipped"))
                    report.articles += res.get("articles", 0)
                    report.errors += res.get("errors", 0)
                    report.events += res.get("events", 0)
                    report.warned += res.get("warned", 0)
                    report.incomplete += res.get("incomplete", [])
                    prog.done, prog.errors, prog.shards = report.articles, report.errors, report.shards
                    prog.skipped = counters.get("skipped", 0)
                    prog.elapsed = time.perf_counter() - t0
                    if res.get("pid") and not res.get("skipped"):
                        prog.worker_rss[res["pid"]] = res.get("rss", 0)
                        prog.worker_vocab[res["pid"]] = res.get("vocab", 0)
                    if on_progress is not None:
                        on_progress(prog)
                report.seconds = time.perf_counter() - t0
        except KeyboardInterrupt:
            report.interrupted = True
            report.seconds = time.perf_counter() - t0 if "t0" in locals() else 0.0
        report.skipped = counters.get("skipped", 0)
        report.copies = report_copies
        staging = root / "_staging"
        if not report.interrupted and staging.is_dir() and any(staging.iterdir()):
            # a worker died mid-shard (its shard was run again elsewhere): remove what it left
            st.catalog.collect_garbage()
        if dedup and not report.interrupted:
            fault_point("ingest:before-dedup")
            report.dedup = st.deduplicate(lock=False)
    st.close()
    return report


def _stop_on_store_error(failed: TaskFailed) -> None:
    """A shard that failed because the store cannot be written (disk full, read-only, lock lost)
    stops the run: every other shard would fail the same way, and nothing could record it."""
    err = failed.error
    if isinstance(err, StoreError) and not isinstance(err, PlanMismatch):
        raise err
    if isinstance(err, OSError):
        from ..store.catalog import store_io_error

        raise store_io_error(err, failed.input.store, "write the shard's files") from err


def _record_failure(root: Path, failed: TaskFailed, run: str | None = None) -> dict:
    """A shard whose task failed (worker killed, cluster lost): commit its articles as errors so
    the failure is visible; they are retried by the next run (stage ``engine``)."""
    shard: ShardInput = failed.input
    at = now_utc()
    rows = [error_row(origin=a.get("origin"), reason=f"the worker running shard {shard.id} failed: "
                      f"{failed.reason}", stage="engine", hint="run the same ingest again to retry",
                      key=key_of(a), article_id=a.get("id"), ingested_at=at) for a in shard.articles]
    rows += [dict(e, ingested_at=e.get("ingested_at") or at) for e in shard.errors]
    sid = shard_id([r["error_key"] for r in rows] + ["engine-failure", shard.id])
    for r in rows:
        r["shard"] = sid
    write_shard(root, sid, {"errors": rows}, {"failed_shard": shard.id}, token=run)
    return {"id": sid, "articles": 0, "errors": len(rows), "events": 0, "skipped": False, "failed": True,
            "reason": failed.reason}
