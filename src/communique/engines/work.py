"""The unit of work: one shard of articles in, one committed set of Parquet files out.

``process_shard`` is the pure part (articles -> records and error rows); it uses
the per-process pipeline, which each worker loads once on first use (or in its
initializer) and keeps: a pipeline or a spaCy ``Doc`` is never shipped between
processes, only plain article dicts go in and small summaries come back.
``run_shard`` adds the side effects: skip a shard whose manifest exists, write
its files, commit.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field

from ..records import Article, Record
from ..store.catalog import Catalog, now_utc
from ..store.rows import article_error_row, article_key, record_rows
from ..store.schema import SHARD_TABLES
from ..store.writer import write_shard


@dataclass
class PipelineSpec:
    """How to build the pipeline in a worker (plain data, cheap to ship)."""

    model: str | None = None
    kb: tuple[str, ...] = ()
    batch_size: int = 32


@dataclass
class ShardInput:
    id: str
    store: str
    articles: list[dict] = field(default_factory=list)    # Article fields: text, id, date, title, ...
    errors: list[dict] = field(default_factory=list)      # read errors (error rows) to commit with the shard
    spec: PipelineSpec = field(default_factory=PipelineSpec)

    def article_objects(self) -> list[Article]:
        return [Article(**a) for a in self.articles]


@dataclass
class ShardOutput:
    records: list[tuple[Article, Record]]
    errors: list[dict]


@dataclass
class ShardSummary:
    id: str
    articles: int = 0          # articles coded and stored
    errors: int = 0            # error rows committed (read errors and articles that failed)
    events: int = 0
    skipped: bool = False      # the shard was already committed
    seconds: float = 0.0       # coding + writing time in the worker
    pid: int = 0
    host: str = ""
    rss: int = 0               # worker resident memory after the shard, bytes
    vocab: int = 0             # strings in the worker's spaCy vocabulary after the shard

    def to_dict(self) -> dict:
        return asdict(self)


_PIPELINES: dict = {}


def get_worker_pipeline(spec: PipelineSpec):
    """This process's pipeline for ``spec``, loaded once."""
    key = (spec.model, tuple(spec.kb), spec.batch_size)
    pipe = _PIPELINES.get(key)
    if pipe is None:
        from ..pipeline import DEFAULT_MODEL, Pipeline

        pipe = Pipeline(spec.model or DEFAULT_MODEL, tuple(spec.kb), batch_size=spec.batch_size)
        _PIPELINES[key] = pipe
    return pipe


def warm_up(spec: PipelineSpec | None = None) -> int:
    """Load the pipeline now (worker initializer); returns the pid."""
    get_worker_pipeline(spec or PipelineSpec())
    return os.getpid()


def process_shard(shard: ShardInput) -> ShardOutput:
    """Code a shard's articles. An article the pipeline fails on becomes an error row (with the
    reason) and the others are still coded."""
    arts = shard.article_objects()
    if not arts:
        return ShardOutput([], [])
    pipe = get_worker_pipeline(shard.spec)
    at = now_utc()
    try:
        recs = list(pipe.code_articles(arts))
        return ShardOutput(list(zip(arts, recs, strict=True)), [])
    except Exception:  # noqa: BLE001 - find the article(s) that fail, code the rest
        pass
    pairs, errors = [], []
    for art in arts:
        try:
            pairs.append((art, next(iter(pipe.code_articles([art])))))
        except Exception as err:  # noqa: BLE001
            errors.append(article_error_row(art, f"the pipeline failed: {type(err).__name__}: {err}",
                                            stage="code", ingested_at=at))
    return ShardOutput(pairs, errors)


def release_memory() -> None:
    """Give memory freed by the last shard back to the operating system.

    Coding a batch of long articles allocates a few hundred MB that are freed afterwards;
    glibc and Arrow's allocator keep such memory mapped, so a worker's RSS would reflect
    the largest batch it ever coded rather than what it holds. After each shard we collect
    garbage, return free heap pages (``malloc_trim``) and Arrow's unused memory.
    """
    import gc

    gc.collect()
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except Exception:  # noqa: BLE001 - best effort
        pass
    try:
        import ctypes
        import ctypes.util

        name = ctypes.util.find_library("c")
        if name and "libc" in name:
            ctypes.CDLL(name).malloc_trim(0)
    except (OSError, AttributeError):   # not glibc (macOS, musl): nothing to do
        pass


def _rss() -> int:
    try:
        import psutil

        return psutil.Process().memory_info().rss
    except Exception:  # noqa: BLE001
        return 0


def _vocab() -> int:
    for pipe in _PIPELINES.values():
        nlp = getattr(pipe, "nlp", None)
        if nlp is not None:
            return len(nlp.vocab.strings)
    return 0


def run_shard(shard: ShardInput) -> dict:
    """Process a shard and commit its files, unless it is already committed. Returns a summary dict."""
    import socket

    t0 = time.perf_counter()
    summary = ShardSummary(id=shard.id, pid=os.getpid(), host=socket.gethostname())
    if Catalog(shard.store).has_shard(shard.id):
        summary.skipped = True
        return summary.to_dict()
    out = process_shard(shard)
    at = now_utc()
    tables: dict[str, list[dict]] = {t: [] for t in SHARD_TABLES}
    errors = [dict(e, shard=shard.id, ingested_at=e.get("ingested_at") or at) for e in shard.errors]
    errors += [dict(e, shard=shard.id) for e in out.errors]
    for art, rec in out.records:
        try:
            rows = record_rows(rec, art.text, origin=art.origin, shard=shard.id, ingested_at=at)
        except Exception as err:  # noqa: BLE001 - a record the store cannot hold is reported, not dropped
            errors.append(dict(article_error_row(art, f"cannot store the record: {type(err).__name__}: {err}",
                                                 stage="store", ingested_at=at), shard=shard.id))
            continue
        for t, rs in rows.items():
            tables[t].extend(rs)
    tables["errors"] = errors
    write_shard(shard.store, shard.id, tables, {"articles": len(tables["articles"]), "errors": len(errors),
                                                "host": summary.host, "pid": summary.pid})
    summary.articles = len(tables["articles"])
    summary.errors = len(errors)
    summary.events = len(tables["mentions"])
    del out, tables, errors
    release_memory()
    summary.seconds = time.perf_counter() - t0
    summary.rss = _rss()
    summary.vocab = _vocab()
    return summary.to_dict()


def shard_article(art: Article) -> dict:
    """An article as plain data for a ``ShardInput``."""
    d = asdict(art)     # every field, so that web-page metadata (author, extraction, ...) reaches the record
    d["warnings"] = list(art.warnings)
    return d


__all__ = ["PipelineSpec", "ShardInput", "ShardOutput", "ShardSummary", "article_key", "process_shard",
           "run_shard", "shard_article", "warm_up"]
