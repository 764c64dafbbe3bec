"""`communique ingest`, `communique dedup`, `communique compact`: build and keep up the store."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..errors import CommuniqueError
from ._app import InFormat, app, err, fail, out, show_progress, warn
from ._web import DELAY_OPT, IGNORE_ROBOTS_OPT, LANG_OPT, TIMEOUT_OPT, USER_AGENT_OPT

STORE_HELP = "Store folder (Parquet files + manifests)."


class Engine(str, Enum):
    auto = "auto"
    inprocess = "inprocess"
    processes = "processes"
    dask = "dask"


def _eta(seconds: float | None) -> str:
    if seconds is None:
        return "-:--"
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class ProgressDisplay:
    """The same progress bar for every engine: articles done, articles per second, errors, ETA."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None
        self.task = None

    def __enter__(self):
        if self.enabled:
            self.bar = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                                TextColumn("{task.completed}/{task.fields[total_text]} articles"),
                                TextColumn("{task.fields[rate]:.1f} art/s"),
                                TextColumn("{task.fields[errors]} errors"),
                                TextColumn("ETA {task.fields[eta]}"), TimeElapsedColumn(),
                                console=err, transient=False)
            self.bar.__enter__()
        return self

    def start(self, engine: str, workers: int) -> None:
        if self.bar is not None and self.task is None:
            self.task = self.bar.add_task(f"ingest ({engine}, {workers} worker{'s' if workers > 1 else ''})",
                                          total=None, rate=0.0, errors=0, eta="-:--", total_text="?")

    def update(self, p) -> None:
        if self.bar is None:
            return
        if self.task is None:
            self.start(p.engine, p.workers)
        self.bar.update(self.task, completed=p.done, total=p.total, rate=p.rate, errors=p.errors,
                        eta=_eta(p.eta), total_text=str(p.total) if p.total is not None else "?")

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@app.command("ingest")
def ingest_cmd(
    paths: list[str] = typer.Argument(None, help="Files or folders to code (recursively); '-' reads stdin. "
                                      "Also .html pages, .warc/.warc.gz archives and .txt lists of URLs."),
    store: Path = typer.Option(Path("communique-data"), "--store", "-s", help=STORE_HELP),
    engine: Engine = typer.Option(Engine.auto, "--engine", "-e",
                                  help="auto: a process pool when there are several cores and more than a few "
                                       "hundred articles, else in-process; dask: a Dask cluster."),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1,
                                       help="Worker processes (default: one per core; dask: LocalCluster size)."),
    scheduler: str | None = typer.Option(None, "--scheduler",
                                         help="Dask scheduler address (tcp://host:8786) or scheduler file "
                                              "(dask scheduler --scheduler-file); without it a LocalCluster "
                                              "is started. Implies --engine dask."),
    shard_size: int | None = typer.Option(None, "--shard-size", min=1,
                                          help="Articles per shard (one set of Parquet files each); default 200, "
                                               "smaller for small inputs."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles per spaCy batch."),
    kb: list[str] = typer.Option([], "--kb", help="Knowledge-base overlay table(s)."),
    settings: list[str] = typer.Option([], "--set", metavar="STAGE.SETTING=VALUE",
                                       help="Override a stage setting, e.g. --set times.future_bias=3 (repeatable; "
                                            "`communique settings` lists them). Every worker codes with them and "
                                            "the articles table keeps them (column coder_settings)."),
    input_format: InFormat = typer.Option(InFormat.auto, "--input-format", help="Override detection by suffix."),
    text_column: str | None = typer.Option(None, "--text-column", help="CSV column holding the article text."),
    dedup: bool = typer.Option(True, "--dedup/--no-dedup", help="Recompute de-duplicated events at the end."),
    copies: bool = typer.Option(True, "--copies/--no-copies", help="Store near-duplicates of earlier articles "
                                "as copies of them, without coding them again (docs/store.md)."),
    retry_errors: bool = typer.Option(False, "--retry-errors",
                                      help="Code again the articles the pipeline failed on in earlier runs."),
    recycle_after: int | None = typer.Option(None, "--recycle-after", min=1,
                                             help="Replace each process-pool worker after N shards."),
    progress: bool | None = typer.Option(None, "--progress/--no-progress",
                                         help="Progress bar on stderr (default: when stderr is a terminal)."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
    feed: list[Path] = typer.Option([], "--feed", help="A file listing RSS/Atom feed URLs, one per line: the "
                                    "articles of their entries are fetched and coded. Repeatable."),
    refetch: bool = typer.Option(False, "--refetch", help="Fetch URLs again even when the store has them."),
    lang: str = LANG_OPT, user_agent: str | None = USER_AGENT_OPT, delay: float = DELAY_OPT,
    timeout: float = TIMEOUT_OPT, ignore_robots: bool = IGNORE_ROBOTS_OPT,
) -> None:
    """Code articles into the [bold]store[/bold]: Parquet partitioned by year and month, queried with DuckDB.

    Ingest is idempotent (an article already stored, by content hash, is skipped) and
    resumable: stop it at any point (Ctrl-C, kill, crash) and run the same command again
    to finish the work without loss or duplicates. Inputs that cannot be read and articles
    the pipeline fails on are kept, with the reason, in the [bold]errors[/bold] table.

    Examples:

      communique ingest corpus/ --store data

      communique ingest big.jsonl --store /shared/data --engine dask --scheduler tcp://head:8786

      communique ingest CC-NEWS-20241001.warc.gz --store data --lang en

      communique ingest urls.txt --feed feeds.txt --store data

      communique ingest corpus/ --store data --set times.future_bias=3 --set calibration.enabled=false
    """
    from ..engines import ingest
    from ._web import print_stats, read_options
    from .code import parse_settings

    paths = list(paths or [])
    if not paths and not feed:
        fail("nothing to ingest: give files or folders, or --feed FEEDS.txt")
    web = read_options(lang, feed, refetch, user_agent, delay, timeout, ignore_robots)
    eng = "dask" if scheduler and engine is Engine.auto else engine.value
    display = ProgressDisplay(show_progress(progress))
    try:
        config = parse_settings(settings)
        with display:
            report = ingest(paths, store, engine=eng, workers=workers, scheduler=scheduler, shard_size=shard_size,
                            batch_size=batch_size, kb=tuple(kb), input_format=input_format.value,
                            text_column=text_column, dedup=dedup, copies=copies, retry_errors=retry_errors,
                            recycle_after=recycle_after, on_progress=display.update, on_start=display.start,
                            read_options=web, config=config)
    except CommuniqueError as e:
        fail(e)
    summary = {
        "store": report.store, "engine": report.engine, "workers": report.workers,
        "articles": report.articles, "skipped": report.skipped, "errors": report.errors,
        "event_mentions": report.events, "shards": report.shards, "seconds": round(report.seconds, 2),
        "startup_seconds": round(report.startup_seconds, 2), "articles_per_second": round(report.rate, 2),
        "interrupted": report.interrupted,
        "events": (report.dedup or {}).get("events"),
        "copies": report.copies, "stories": (report.dedup or {}).get("stories"),
        "skipped_inputs": dict(web.stats),
        "articles_with_warnings": report.warned,
        "not_coded_in_full": len(report.incomplete),
    }
    if as_json:
        out.print_json(json.dumps(summary))
    else:
        msg = (f"ingested {report.articles} article(s) into {report.store} with {report.engine} "
               f"({report.workers} worker{'s' if report.workers > 1 else ''}): {report.events} event mentions, "
               f"{report.rate:.1f} articles/s")
        if report.copies:
            msg += f"; {report.copies} of them copies of other articles (stored, not coded)"
        if report.skipped:
            msg += f"; {report.skipped} already stored, skipped"
        if report.errors:
            msg += f"; {report.errors} error(s) recorded (communique query errors --store {report.store})"
        err.print(msg, highlight=False)
        print_stats(web.stats)
        if report.dedup:
            err.print(f"de-duplicated: {report.dedup.get('events')} events in the store", highlight=False)
        if report.warned:
            err.print(f"{report.warned} article(s) stored with warnings (in the articles table, column warnings)",
                      highlight=False)
    if report.incomplete:
        # never silent: text that was not coded is named in every summary, JSON or not
        warn(f"{len(report.incomplete)} article(s) were not coded in full (some of their text was not coded): "
             + "; ".join(report.incomplete[:5]) + (" ..." if len(report.incomplete) > 5 else ""))
    if report.interrupted:
        err.print("[yellow]interrupted[/yellow]: committed shards are kept; run the same command again to finish.")
        raise typer.Exit(130)


@app.command("dedup")
def dedup_cmd(
    store: Path = typer.Option(Path("communique-data"), "--store", "-s", help=STORE_HELP),
    force: bool = typer.Option(False, "--force", help="Recompute even if nothing changed."),
) -> None:
    """Recompute the de-duplicated events (ingest does this at the end of every run)."""
    from ..store import open_store

    try:
        res = open_store(store).deduplicate(force=force)
    except CommuniqueError as e:
        fail(e)
    out.print(f"{res['events']} events ({'recomputed' if res['changed'] else 'unchanged'}, "
              f"generation {res['generation']})")


@app.command("compact")
def compact_cmd(
    store: Path = typer.Option(Path("communique-data"), "--store", "-s", help=STORE_HELP),
) -> None:
    """Merge the small per-shard Parquet files into one file per table and month."""
    from ..store import open_store

    try:
        res = open_store(store).compact()
    except CommuniqueError as e:
        fail(e)
    if res["compacted"]:
        out.print(f"compacted {res['files_before']} files into {res['files_after']}")
    else:
        out.print(f"nothing to compact ({res['files_before']} files)")
