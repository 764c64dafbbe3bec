"""Continuous ingest: poll feeds and watch folders every N minutes, code what is new into a store.

One ``Watcher.cycle()``:

1. polls every feed of the feed lists (re-read each cycle, so a list can be edited while watching),
   conditionally (ETag / Last-Modified), and fetches the entries whose URLs the store does not hold;
2. reads the files of the watched folders that are new or changed since the last cycle (and have
   not changed for ``settle`` seconds, so a file still being written waits for the next cycle);
3. codes them into the store in chunks (``engines.ingest`` in-process, the pipeline loaded once for
   the life of the watcher), checking between chunks whether it was asked to stop;
4. brings the de-duplicated events (and stories) up to date with ``Store.deduplicate()``;
5. optionally writes GDELT-style update files for the interval (``exports.gdelt_updates``);
6. saves its state and returns a one-line summary.

State lives in the store folder (``watch/state.json``, written atomically after each cycle; a log of
cycles in ``watch/log.jsonl``), so a restarted watcher goes on where it stopped: feeds keep their
ETags, folder files already read are not read again, and anything coded before a crash is in the
store and skipped by content hash. A feed that fails, a page that cannot be fetched or a file that
cannot be read is recorded in the store's errors table and the cycle goes on; a URL that failed is
tried again in the next cycles, up to ``max_attempts`` times. An unexpected error ends the cycle, is
logged, and the next cycle starts on time. One watcher per store (``watch/lock``).
"""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..errors import StoreError
from ..readers.options import ReadOptions
from ..records import Article, Rejected
from .feeds import feed_urls, poll_feed
from .http import Fetcher, FetchSettings
from .pages import Link, fetch_links

STATE_VERSION = 1


@dataclass
class WatchConfig:
    store: Path
    feeds: list[Path] = field(default_factory=list)       # feed lists (FEEDS.txt)
    folders: list[Path] = field(default_factory=list)
    every: float = 15.0                                    # minutes between the starts of two cycles
    updates: Path | None = None                            # GDELT-style update files here, per cycle
    lang: tuple[str, ...] | None = ("en",)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    settle: float = 5.0                                    # seconds a file must stay unchanged
    max_attempts: int = 3                                  # cycles a failing URL is tried in
    chunk: int = 16                                        # articles coded between two stop checks
    kb: tuple[str, ...] = ()
    batch_size: int = 32


@dataclass
class CycleReport:
    cycle: int
    started: str
    seconds: float = 0.0
    feeds: int = 0
    feeds_failed: int = 0
    feeds_unchanged: int = 0
    links: int = 0                  # new entry URLs fetched
    files: int = 0                  # new or changed files read
    articles: int = 0               # coded and stored
    rejected: int = 0               # inputs recorded in the errors table
    events: int | None = None       # de-duplicated events in the store after the cycle
    new_events: int | None = None
    updates: list[str] = field(default_factory=list)
    stopped: bool = False           # a stop request cut the cycle short (the rest is done next time)
    error: str | None = None

    def line(self) -> str:
        t = self.started[:19].replace("T", " ")
        parts = [f"{t} cycle {self.cycle}:"]
        if self.error:
            parts.append(f"FAILED ({self.error});")
        parts.append(f"feeds {self.feeds}" + (f" ({self.feeds_failed} failed, {self.feeds_unchanged} unchanged)"
                                               if self.feeds_failed or self.feeds_unchanged else "") + ",")
        parts.append(f"{self.links} new URLs, {self.files} new files, {self.articles} articles coded, "
                     f"{self.rejected} rejected,")
        if self.events is not None:
            parts.append(f"{self.events} events (+{self.new_events or 0}),")
        if self.updates:
            parts.append(f"{len(self.updates)} update files,")
        parts.append(f"{self.seconds:.1f} s" + (" (stopped early)" if self.stopped else ""))
        return " ".join(parts)


def _now() -> datetime:
    return datetime.now(UTC)


class Watcher:
    def __init__(self, config: WatchConfig):
        self.config = config
        self.root = Path(config.store)
        self.dir = self.root / "watch"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.state = self._load_state()
        self._lock_fh = None
        self._known: set[str] | None = None

    # -- state ---------------------------------------------------------------------------------
    def _load_state(self) -> dict:
        path = self.dir / "state.json"
        empty = {"version": STATE_VERSION, "cycles": 0, "last_cycle_end": None, "feeds": {}, "files": {},
                 "failed_urls": {}}
        if not path.exists():
            return empty
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            # a damaged state costs a re-read of the folders and feeds, never a duplicate
            return empty
        return {**empty, **state}

    def _save_state(self) -> None:
        from ..store.catalog import write_json_atomic

        write_json_atomic(self.dir / "state.json", self.state)

    def lock(self) -> None:
        """Take the store's watch lock (one watcher per store), or raise ``StoreError``."""
        import fcntl

        fh = open(self.dir / "lock", "a+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            fh.close()
            if err.errno in (errno.EAGAIN, errno.EACCES):
                raise StoreError("another `communique watch` is running on this store", str(self.root),
                                 "stop it first, or watch into another store") from None
            raise
        self._lock_fh = fh

    def unlock(self) -> None:
        if self._lock_fh is not None:
            self._lock_fh.close()
            self._lock_fh = None

    # -- inputs ------------------------------------------------------------------------------------
    def _known_url(self, store) -> Callable[[str], bool]:
        if self._known is None:
            from ..store.web import stored_urls

            self._known = stored_urls(store)
        failed = self.state["failed_urls"]
        limit = self.config.max_attempts
        return lambda url: url in self._known or failed.get(url, 0) >= limit   # type: ignore[operator]

    def _feed_links(self, fetcher: Fetcher, report: CycleReport, stop: threading.Event) -> Iterator[Link | Rejected]:
        feeds_state = self.state["feeds"]
        for feed_list in self.config.feeds:
            for feed in feed_urls(feed_list):
                if stop.is_set():
                    return
                if isinstance(feed, Rejected):
                    yield feed
                    continue
                st = feeds_state.setdefault(feed.url, {})
                poll = poll_feed(fetcher, feed.url, st.get("etag"), st.get("modified"))
                report.feeds += 1
                if poll.error is not None:
                    report.feeds_failed += 1
                    st["failures"] = st.get("failures", 0) + 1
                    st["last_error"] = poll.error.reason
                    yield poll.error
                    continue
                st.update({"etag": poll.etag, "modified": poll.modified, "failures": 0, "last_error": None,
                           "last_ok": _now().isoformat(timespec="seconds")})
                if poll.not_modified:
                    report.feeds_unchanged += 1
                    continue
                yield from poll.links

    def _changed_files(self) -> list[tuple[Path, list[int]]]:
        from ..readers import format_for

        seen = self.state["files"]
        now = time.time()
        out = []
        for folder in self.config.folders:
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    path = Path(dirpath) / name
                    if name.startswith(".") or format_for(path) is None:
                        continue     # partial downloads (.part, .tmp) and other files are not inputs
                    try:
                        st = path.stat()
                    except OSError:
                        continue
                    sig = [st.st_size, st.st_mtime_ns]
                    if seen.get(str(path)) == sig or now - st.st_mtime < self.config.settle:
                        continue
                    out.append((path, sig))
        return out

    def _items(self, options: ReadOptions, fetcher: Fetcher, report: CycleReport, stop: threading.Event,
               done_files: list, page_urls: set[str]) -> Iterator[Article | Rejected]:
        from ..readers import read_path

        def links() -> Iterator[Link | Rejected]:
            for link in self._feed_links(fetcher, report, stop):
                if isinstance(link, Link) and link.url not in page_urls and not options.known_url(link.url):  # type: ignore[misc]
                    report.links += 1
                    page_urls.add(link.url)
                yield link

        for item in fetch_links(links(), options, fetcher):
            if stop.is_set():
                return
            yield item
        for path, sig in self._changed_files():
            if stop.is_set():
                return
            report.files += 1
            for item in read_path(path, "auto", None, options):
                if stop.is_set():
                    return   # this file is read again next time; what was stored is skipped then
                yield item
            done_files.append((path, sig))

    # -- one cycle ---------------------------------------------------------------------------------
    def cycle(self, stop: threading.Event | None = None) -> CycleReport:
        stop = stop or threading.Event()
        started = _now()
        self.state["cycles"] += 1
        report = CycleReport(cycle=self.state["cycles"], started=started.isoformat(timespec="seconds"))
        t0 = time.perf_counter()
        try:
            self._run(report, stop, started)
        except Exception as err:  # noqa: BLE001 - one bad cycle must not end the watch
            report.error = f"{type(err).__name__}: {err}"
        finally:   # also when a second signal interrupts: what was done is remembered
            report.stopped = stop.is_set()
            report.seconds = time.perf_counter() - t0
            self._save_state()
            with open(self.dir / "log.jsonl", "a", encoding="utf-8") as fh:
                fh.write(json.dumps(asdict(report)) + "\n")
        return report

    def _run(self, report: CycleReport, stop: threading.Event, started: datetime) -> None:
        from ..engines.ingest import ingest
        from ..store import open_store

        store = open_store(self.root, create=True)
        try:
            before = int(store.scalar("SELECT count(*) FROM events") or 0)
            options = ReadOptions(lang=self.config.lang, fetch=self.config.fetch)
            options.known_url = self._known_url(store)
            from ..store.web import stored_origins

            options.done_origins = lambda prefix: stored_origins(store, prefix)
            done_files: list = []
            failed = self.state["failed_urls"]
            with Fetcher(self.config.fetch) as fetcher:
                chunk: list[Article | Rejected] = []
                n_articles = 0

                def flush() -> None:
                    nonlocal chunk
                    if not chunk:
                        return
                    res = ingest(chunk, self.root, engine="inprocess", dedup=False, count=False,
                                 kb=self.config.kb, batch_size=self.config.batch_size)
                    report.articles += res.articles
                    report.rejected += res.errors
                    chunk = []
                    if res.interrupted:
                        raise KeyboardInterrupt   # a second stop request: committed shards are kept

                page_urls: set[str] = set()
                for item in self._items(options, fetcher, report, stop, done_files, page_urls):
                    if isinstance(item, Article):
                        ext = item.extraction or {}
                        for u in (item.url, ext.get("fetched_url"), ext.get("final_url")):
                            if u:
                                self._known.add(u)   # type: ignore[union-attr]
                                failed.pop(u, None)
                        n_articles += 1
                    elif item.origin in page_urls:
                        failed[item.origin] = failed.get(item.origin, 0) + 1
                    chunk.append(item)
                    if n_articles >= self.config.chunk:
                        flush()
                        n_articles = 0
                flush()
            files = self.state["files"]
            for path, sig in done_files:
                files[str(path)] = sig
            for gone in [p for p in files if not os.path.exists(p)]:
                del files[gone]
            if stop.is_set():
                # stop promptly: the next cycle (after a restart) de-duplicates and writes the update files
                return
            store.close()
            store = open_store(self.root)
            res = store.deduplicate()
            report.events = int(res.get("events") or 0)
            report.new_events = max(0, report.events - before)
            until = _now()
            if self.config.updates is not None and (report.articles or report.new_events):
                from ..exports.gdelt_updates import write_update

                since = self.state.get("last_update")
                upd = write_update(store, datetime.fromisoformat(since) if since else None, until,
                                   self.config.updates)
                report.updates = upd["files"]
                self.state["last_update"] = until.isoformat()
            self.state["last_cycle_end"] = until.isoformat()
        finally:
            store.close()

    # -- the loop ------------------------------------------------------------------------------------
    def run(self, stop: threading.Event, on_cycle: Callable[[CycleReport], None] | None = None,
            once: bool = False) -> int:
        """Run cycles every ``config.every`` minutes until ``stop`` is set; returns the cycles run."""
        n = 0
        period = max(0.0, self.config.every * 60.0)
        while not stop.is_set():
            t0 = time.monotonic()
            rep = self.cycle(stop)
            n += 1
            if on_cycle is not None:
                on_cycle(rep)
            if once:
                break
            stop.wait(max(0.0, period - (time.monotonic() - t0)))
        return n
