"""`communique watch`: poll feeds and watch folders every N minutes, code what is new into a store."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import typer

from ..errors import CommuniqueError
from ._app import app, err, fail
from ._web import DELAY_OPT, IGNORE_ROBOTS_OPT, LANG_OPT, TIMEOUT_OPT, USER_AGENT_OPT


@app.command("watch")
def watch_cmd(
    store: Path = typer.Option(Path("communique-data"), "--store", "-s", help="Store folder (created if needed)."),
    feed: list[Path] = typer.Option([], "--feed", help="File listing RSS/Atom feed URLs, one per line (re-read "
                                    "every cycle). Repeatable."),
    folder: list[Path] = typer.Option([], "--folder", help="Folder to watch for new or changed files (.txt, "
                                      ".jsonl, .csv, .html, .warc.gz ...). Repeatable."),
    every: float = typer.Option(15.0, "--every", min=0.0, help="Minutes between the starts of two cycles."),
    updates: Path | None = typer.Option(None, "--updates", help="Write GDELT-style update files here each cycle "
                                        "(YYYYMMDDHHMMSS.export.CSV.zip, .mentions.CSV.zip, lastupdate.txt)."),
    once: bool = typer.Option(False, "--once", help="Run one cycle and exit (for cron or a systemd timer)."),
    kb: list[str] = typer.Option([], "--kb", help="Knowledge-base overlay table(s)."),
    lang: str = LANG_OPT, user_agent: str | None = USER_AGENT_OPT, delay: float = DELAY_OPT,
    timeout: float = TIMEOUT_OPT, ignore_robots: bool = IGNORE_ROBOTS_OPT,
    settle: float = typer.Option(5.0, "--settle", min=0.0, help="Seconds a file must stay unchanged before it "
                                 "is read (files still being written wait for the next cycle)."),
) -> None:
    """Keep a store current: poll feeds and watch folders every N minutes, code what is new, bring events
    and stories up to date, and (with --updates) write GDELT-style update files per interval.

    One line is logged per cycle (also kept in STORE/watch/log.jsonl). State is kept in the store
    folder, so a restarted watcher goes on where it stopped. Network errors, failing feeds and bad
    pages are recorded in the store's errors table (communique query errors) and do not stop it.
    SIGTERM or Ctrl-C stops it cleanly after the current chunk of articles; a second one stops at once
    (everything committed is kept, the rest is done on the next start).

    Examples:

      communique watch --feed feeds.txt --store news --every 15 --updates news-updates/

      communique watch --folder inbox/ --store news --every 5
    """
    from ..fetch.http import FetchSettings, default_user_agent
    from ..fetch.watch import WatchConfig, Watcher
    from ..readers.options import parse_langs

    if not feed and not folder:
        fail("nothing to watch: give --feed FEEDS.txt and/or --folder DIR")
    for f in feed:
        if not f.is_file():
            fail(f"{f}: no such feed list. Try: a text file with one feed URL per line")
    for d in folder:
        if not d.is_dir():
            fail(f"{d}: no such folder. Try: create it, or check the path")
    settings = FetchSettings(user_agent=user_agent or default_user_agent(), delay=delay, timeout=timeout,
                             total_timeout=max(60.0, 3 * timeout), robots=not ignore_robots)
    config = WatchConfig(store=store, feeds=list(feed), folders=list(folder), every=every, updates=updates,
                         lang=parse_langs(lang), fetch=settings, settle=settle, kb=tuple(kb))
    stop = threading.Event()

    def on_signal(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt    # a second signal: stop now (committed work is kept)
        stop.set()
        err.print(f"{signal.Signals(signum).name}: stopping after the current chunk", highlight=False)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        watcher = Watcher(config)
        watcher.lock()
    except CommuniqueError as e:
        fail(e)
    err.print(f"watching {len(feed)} feed list(s) and {len(folder)} folder(s) into {store}, every {every:g} min",
              highlight=False)
    try:
        n = watcher.run(stop, on_cycle=lambda r: err.print(r.line(), highlight=False, soft_wrap=True), once=once)
    except KeyboardInterrupt:
        err.print("stopped at once; committed work is kept, the rest is done on the next start", highlight=False)
        raise typer.Exit(130) from None
    finally:
        watcher.unlock()
    err.print(f"stopped after {n} cycle(s)", highlight=False)
