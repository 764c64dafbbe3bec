"""The unit of work: one shard of articles in, one committed set of Parquet files out.

``process_shard`` is the pure part (articles -> records and error rows); it uses
the per-process pipeline, which each worker builds once from the shard's ``PipelineSpec``
(plain data: model, overlays, settings) on first use or in its initializer and keeps
(``_pipelines.PIPELINES``): a pipeline or a spaCy ``Doc`` is never shipped between
processes, only plain article dicts go in and small summaries come back.
``run_shard`` adds the side effects: skip a shard whose manifest exists, check the rows
against the shard's plan, write its files, commit (fenced to the run that planned it).
"""

from __future__ import annotations

import functools
import os
import time
from dataclasses import asdict, dataclass, field

from .._isolate import code_each, incomplete_warnings
from .._pipelines import PIPELINES, PipelineSpec
from ..errors import StoreError
from ..records import Article, Record
from ..store.catalog import Catalog, now_utc
from ..store.fence import FencedOut, check_run
from ..store.rows import article_error_row, article_key, key_of, record_rows
from ..store.schema import SHARD_TABLES
from ..store.writer import plan_digest, write_shard


@dataclass
class ShardInput:
    id: str
    store: str
    articles: list[dict] = field(default_factory=list)    # Article fields: text, id, date, title, ...
    errors: list[dict] = field(default_factory=list)      # read errors (error rows) to commit with the shard
    spec: PipelineSpec = field(default_factory=PipelineSpec)
    run: str | None = None              # the run token: only that run may commit this shard (store/fence.py)
    digest: str | None = None           # plan_digest of the article and error keys, as planned
    coordinator: int | None = None      # pid of the coordinator, when the worker is its child process
    source: dict = field(default_factory=dict)   # how the inputs were read (input_format, text_column)
    # issue 11: article key -> {"copy_of", "original_id", "similarity", "kind"} for the articles that
    # are copies (stored, not coded), and key -> MinHash signature bytes of the originals
    copies: dict = field(default_factory=dict)
    signatures: dict = field(default_factory=dict)

    def article_objects(self) -> list[Article]:
        return [Article(**a) for a in self.articles]

    def keys(self) -> list[str]:
        return [key_of(a) for a in self.articles]

    def plan(self) -> dict:
        """What this shard was given, as recorded beside its manifest (no article text)."""
        return {"articles": [{"key": k, "id": a.get("id"), "origin": a.get("origin"), "date": a.get("date")}
                             for k, a in zip(self.keys(), self.articles, strict=True)],
                "errors": self.errors, "digest": self.digest, "source": self.source}


class PlanMismatch(StoreError):
    """The rows a shard would commit do not match what it was planned to hold."""


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
    warned: int = 0            # articles stored with warnings
    incomplete: list = field(default_factory=list)   # "origin: warning" of articles not coded in full
    seconds: float = 0.0       # coding + writing time in the worker
    pid: int = 0
    host: str = ""
    rss: int = 0               # worker resident memory after the shard, bytes
    vocab: int = 0             # strings in the worker's spaCy vocabulary after the shard

    def to_dict(self) -> dict:
        return asdict(self)


def get_worker_pipeline(spec: PipelineSpec):
    """This process's pipeline for ``spec``, built once (the per-process cache ``_pipelines.PIPELINES``)."""
    return PIPELINES.get_or_build(spec)


def warm_up(spec: PipelineSpec | None = None) -> int:
    """Load the pipeline now (worker initializer); returns the pid."""
    get_worker_pipeline(spec or PipelineSpec())
    return os.getpid()


def process_shard(shard: ShardInput) -> ShardOutput:
    """Code a shard's articles. An article the pipeline fails on becomes an error row (with the
    reason) and the others are still coded."""
    arts = [a for a in shard.article_objects() if key_of(a) not in shard.copies]
    if not arts:
        return ShardOutput([], [])
    pipe = get_worker_pipeline(shard.spec)
    at = now_utc()
    pairs, errors = [], []
    for c in code_each(pipe, arts):
        if c.record is not None:
            pairs.append((c.article, c.record))
        else:
            errors.append(article_error_row(c.article, c.reason, stage="code", ingested_at=at))
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
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, looked up once (``find_library`` runs external programs)."""
    try:
        import ctypes
        import ctypes.util

        name = ctypes.util.find_library("c")
        if name and "libc" in name:
            return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):   # not glibc (macOS, musl): nothing to do
        pass
    return None


def _rss() -> int:
    try:
        import psutil

        return psutil.Process().memory_info().rss
    except Exception:  # noqa: BLE001
        return 0


def _vocab() -> int:
    for pipe in PIPELINES.values():
        nlp = getattr(pipe, "nlp", None)
        if nlp is not None:
            return len(nlp.vocab.strings)
    return 0


def _check_alive(shard: ShardInput) -> None:
    """Refuse to go on when the coordinator that handed out this shard is gone (a process-pool
    worker orphaned by a killed coordinator; it also dies by PR_SET_PDEATHSIG where available)."""
    if shard.coordinator is not None and os.getppid() != shard.coordinator:
        raise FencedOut(f"the coordinator (pid {shard.coordinator}) of shard {shard.id} is gone; "
                        "it was not committed", shard.store, "run the same ingest again")
    check_run(shard.store, shard.run, f"shard {shard.id}")


def check_plan(shard: ShardInput, tables: dict[str, list[dict]]) -> None:
    """The rows about to be committed hold exactly the planned articles: each once, every one either
    stored or recorded as an error, nothing else; every other row belongs to one of them."""
    planned = set(shard.keys())
    if shard.digest is not None and plan_digest(planned, [e["error_key"] for e in shard.errors]) != shard.digest:
        raise PlanMismatch(f"shard {shard.id} does not hold what was planned for it (plan digest differs)",
                           shard.store, "run the same ingest again")
    stored = [r["article_key"] for r in tables["articles"]]
    failed = {e["article_key"] for e in tables["errors"] if e.get("stage") in ("code", "store")}
    problems = []
    if len(stored) != len(set(stored)):
        problems.append("an article would be stored twice")
    if set(stored) - planned:
        problems.append(f"{len(set(stored) - planned)} article(s) that were not planned")
    if planned - set(stored) - failed:
        problems.append(f"{len(planned - set(stored) - failed)} planned article(s) neither stored nor failed")
    for t, rows in tables.items():
        # (a copies row may be about a stored article: it became the copy of a planned one)
        if t not in ("articles", "errors") and any(r.get("article_key") not in planned and not (
                t == "copies" and r.get("copy_of") in planned) for r in rows):
            problems.append(f"{t} rows of articles outside the shard")
    if problems:
        raise PlanMismatch(f"shard {shard.id} was not committed: " + "; ".join(problems), shard.store,
                           "report this as a bug; run the same ingest again to retry the shard")


def run_shard(shard: ShardInput) -> dict:
    """Process a shard and commit its files, unless it is already committed. Returns a summary dict."""
    import socket

    t0 = time.perf_counter()
    summary = ShardSummary(id=shard.id, pid=os.getpid(), host=socket.gethostname())
    if Catalog(shard.store).has_shard(shard.id):
        summary.skipped = True
        return summary.to_dict()
    _check_alive(shard)          # a fenced-out worker does not even code
    fault_point("shard:start")
    out = process_shard(shard)
    at = now_utc()
    tables: dict[str, list[dict]] = {t: [] for t in SHARD_TABLES}
    errors = [dict(e, shard=shard.id, ingested_at=e.get("ingested_at") or at) for e in shard.errors]
    errors += [dict(e, shard=shard.id) for e in out.errors]
    for art, rec in out.records:
        try:
            # the key planned from the input article (a record's metadata need not carry its URL)
            rows = record_rows(rec, art.text, origin=art.origin, shard=shard.id, ingested_at=at, key=key_of(art))
        except Exception as err:  # noqa: BLE001 - a record the store cannot hold is reported, not dropped
            errors.append(dict(article_error_row(art, f"cannot store the record: {type(err).__name__}: {err}",
                                                 stage="store", ingested_at=at), shard=shard.id))
            continue
        for t, rs in rows.items():
            tables[t].extend(rs)
    _add_copies_and_signatures(shard, tables, at)
    tables["errors"] = errors
    check_plan(shard, tables)
    for row in tables["articles"]:
        if row.get("warnings"):
            summary.warned += 1
            summary.incomplete += [f"{row.get('origin') or row['article_id']}: {w}"
                                   for w in incomplete_warnings(row["warnings"])]
    _check_alive(shard)
    fault_point("shard:before-commit")
    manifest = write_shard(shard.store, shard.id, tables, {"articles": len(tables["articles"]),
                                                           "errors": len(errors), "host": summary.host,
                                                           "pid": summary.pid},
                           token=shard.run, plan=shard.plan())
    fault_point("shard:after-commit")
    if shard.run is not None and manifest.get("run") != shard.run:
        summary.skipped = True       # another worker committed the same shard first
        summary.warned, summary.incomplete = 0, []
    else:
        summary.articles = len(tables["articles"])
        summary.errors = len(errors)
        summary.events = len(tables["mentions"])
    del out, tables, errors
    release_memory()
    summary.seconds = time.perf_counter() - t0
    summary.rss = _rss()
    summary.vocab = _vocab()
    return summary.to_dict()


def _add_copies_and_signatures(shard: ShardInput, tables: dict[str, list[dict]], at) -> None:
    """The rows of the shard's copies (an article row each, pointing at the original) and the
    MinHash signatures of its coded articles (how later ingests find their copies)."""
    from ..store import copies as C
    from ..store.rows import copy_rows, signature_row

    coded = {r["article_key"] for r in tables["articles"]}
    for key, info in sorted(shard.copies.items()):
        if info.get("stored") and info.get("by") in coded:
            # a stored article that this shard's article comes before becomes its copy
            tables["copies"].append({"article_key": key, "copy_of": info["copy_of"], "article_id": info.get("article_id"),
                                     "original_id": info.get("original_id"), "similarity": info.get("similarity"),
                                     "kind": info.get("kind"), "shard": shard.id})
    for art in shard.article_objects():
        key = key_of(art)
        info = shard.copies.get(key)
        if info is not None:
            for t, rs in copy_rows(art, info, shard=shard.id, ingested_at=at).items():
                tables[t].extend(rs)
        elif key in coded and len(C.words(art.text)) >= C.MIN_WORDS:
            raw = shard.signatures.get(key)
            sig = C.from_bytes(raw) if raw is not None else C.signature(art.text)
            tables["signatures"].append(signature_row(key, art.id, art.date, sig, C.band_keys(sig), shard=shard.id))


def fault_point(name: str) -> None:
    from .._faults import fault_point as fp

    fp(name)


def shard_article(art: Article) -> dict:
    """An article as plain data for a ``ShardInput``."""
    d = asdict(art)     # every field, so that web-page metadata (author, extraction, ...) reaches the record
    d["warnings"] = list(art.warnings)
    return d


__all__ = ["PipelineSpec", "ShardInput", "ShardOutput", "ShardSummary", "article_key", "process_shard",
           "run_shard", "shard_article", "warm_up"]
