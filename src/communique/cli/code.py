"""`communique code`: code articles into communique/1 records."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from enum import Enum
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..errors import CommuniqueError
from ..records import Rejected
from ._app import InFormat, app, err, fail, out, show_progress, warn
from ._web import LANG_OPT


class OutFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    summary = "summary"


@app.command("code")
def code_cmd(
    paths: list[str] = typer.Argument(..., help="Files or directories to code (recursively); '-' reads stdin. "
                                      ".txt (a first line may carry 'date YYYY-MM-DD'), .jsonl, .csv/.tsv, .gz, "
                                      ".html, .warc/.warc.gz, and .txt lists of URLs (fetched)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write records here instead of stdout."),
    fmt: OutFormat = typer.Option(OutFormat.jsonl, "--format", "-f",
                                  help="jsonl: one record per line (the communique/1 contract); json: an array; "
                                       "summary: readable tables."),
    input_format: InFormat = typer.Option(InFormat.auto, "--input-format", help="Override detection by suffix."),
    text_column: str | None = typer.Option(None, "--text-column", help="CSV column holding the article text."),
    kb: list[str] = typer.Option([], "--kb", help="Knowledge-base overlay table(s) to add (see docs/KB.md)."),
    errors: Path | None = typer.Option(None, "--errors", help="Also write rejected inputs here as JSON Lines."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles per spaCy batch."),
    progress: bool | None = typer.Option(None, "--progress/--no-progress",
                                         help="Progress bar on stderr (default: when stderr is a terminal)."),
    lang: str = LANG_OPT,
    settings: list[str] = typer.Option([], "--set", metavar="STAGE.SETTING=VALUE",
                                       help="Override a stage setting, e.g. --set times.future_bias=3 (repeatable; "
                                            "`communique settings` lists them). Records carry them in coder.settings."),
) -> None:
    """Code articles into [bold]communique/1[/bold] records (one JSON object per article).

    Bad inputs (empty or binary files, lines that are not JSON objects, missing text) and
    articles the pipeline fails on are reported on stderr with file, line and reason (and
    in --errors), and the rest is still coded. The summary warns about any article that
    was not coded in full.

    Examples:

      communique code article.txt

      communique code corpus/ -o coded.jsonl --errors rejected.jsonl

      cat articles.jsonl | communique code - --format summary

      communique code page.html crawl.warc.gz urls.txt --lang en

      communique code article.txt --set times.future_bias=3 --set times.present_ahead=false
    """
    from .._isolate import FAILURE_HINT, code_stream, incomplete_warnings
    from ..pipeline import Pipeline
    from ..readers import read_inputs
    from ._web import print_stats, read_options

    web = read_options(lang)

    rejected: list[Rejected] = []
    failed = 0
    incomplete: list[str] = []

    def on_reject(item: Rejected) -> None:
        rejected.append(item)
        warn(item.message())

    try:
        pipe = Pipeline(kb_overlays=tuple(kb), batch_size=batch_size, config=parse_settings(settings))
    except CommuniqueError as e:
        fail(e)
    n = 0
    with ExitStack() as stack:
        try:
            sink = stack.enter_context(open(output, "w", encoding="utf-8")) if output else sys.stdout
        except OSError as e:
            fail(f"{output}: cannot write the records ({e.strerror}). Try: check the folder exists and is writable")
        prog = None
        if show_progress(progress):
            prog = stack.enter_context(Progress(SpinnerColumn(), TextColumn("coding"), BarColumn(),
                                                TextColumn("{task.completed} articles"),
                                                TextColumn("{task.fields[rate]:.1f}/s"), TimeElapsedColumn(),
                                                console=err, transient=False))
            task = prog.add_task("code", total=None, rate=0.0)
        first = True
        if fmt is OutFormat.json:
            sink.write("[")
        try:
            for coded in code_stream(pipe, read_inputs(paths, input_format.value, text_column, web), batch_size,
                                     on_reject):
                rec = coded.record
                line = None
                if rec is not None and fmt is not OutFormat.summary:
                    try:
                        line = rec.to_json()
                    except Exception as e:  # noqa: BLE001 - a record that cannot be written is rejected
                        rec, coded.error = None, e
                if rec is None:
                    # one article failed inside a stage: reject it, with the reason, and go on
                    art = coded.article
                    failed += 1
                    on_reject(Rejected(art.origin, coded.reason or "the record cannot be written", FAILURE_HINT,
                                       id=art.id))
                    continue
                n += 1
                if fmt is OutFormat.summary:
                    from rich.console import Console

                    from ._render import render_record

                    render_record(rec, out if sink is sys.stdout else Console(file=sink, width=160))
                elif fmt is OutFormat.json:
                    sink.write(("" if first else ",\n") + line)
                else:
                    sink.write(line + "\n")
                first = False
                for w in rec.warnings:
                    warn(f"{rec.article.id}: {w}")
                incomplete += [f"{rec.article.id}: {w}" for w in incomplete_warnings(rec.warnings)]
                if prog is not None:
                    secs = pipe.stats.seconds or 1e-9
                    prog.update(task, completed=n, rate=pipe.stats.articles / secs)
        except CommuniqueError as e:
            fail(e)
        if fmt is OutFormat.json:
            sink.write("]\n")
    print_stats(web.stats)
    _summarise(errors, rejected, failed, n, incomplete)


def _summarise(errors: Path | None, rejected: list[Rejected], failed: int, n: int, incomplete: list[str]) -> None:
    """The end of a `code` run: rejected inputs to --errors, counts and incomplete articles on stderr."""
    if errors is not None:
        try:
            with open(errors, "w", encoding="utf-8") as fh:
                for r in rejected:
                    fh.write(json.dumps(r.to_dict()) + "\n")
        except OSError as e:
            fail(f"{errors}: cannot write the rejected inputs ({e.strerror}). Try: choose another --errors file")
    if rejected:
        why = f", {failed} of them because the pipeline failed on the article" if failed else ""
        err.print(f"coded {n} article(s); {len(rejected)} input(s) rejected{why} (listed above"
                  + (f" and in {errors}" if errors else "") + ")", highlight=False)
    if incomplete:
        warn(f"{len(incomplete)} article(s) were not coded in full (some text was not coded): "
             + "; ".join(incomplete[:5]) + (" ..." if len(incomplete) > 5 else ""))
    if n == 0 and rejected:
        raise typer.Exit(1)


def parse_settings(items: list[str]) -> dict[str, object]:
    """``["times.future_bias=3"]`` -> ``{"times.future_bias": 3}``; values are read as JSON
    (numbers, true/false, lists) and otherwise kept as text."""
    from ..errors import SettingsError

    out: dict[str, object] = {}
    for item in items:
        key, eq, raw = item.partition("=")
        if not eq or "." not in key:
            raise SettingsError(f"--set {item!r} is not STAGE.SETTING=VALUE", "--set",
                                "write e.g. --set times.future_bias=3 (`communique settings` lists them)")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        out[key.strip()] = value
    return out


@app.command("settings")
def settings_cmd() -> None:
    """Print every stage setting with its default (override with [bold]code --set STAGE.SETTING=VALUE[/bold]
    or [bold]ingest --set[/bold]); calibration.enabled=false keeps the stages' raw confidence scores."""
    from spacy.language import Language

    from ..pipeline import PIPELINE_SETTINGS, PREFIX
    from ..stages import STAGES

    for name in STAGES:
        for key, value in (Language.get_factory_meta(name).default_config or {}).items():
            sys.stdout.write(f"{name.removeprefix(PREFIX)}.{key}={json.dumps(value)}\n")
    for section, values in PIPELINE_SETTINGS.items():   # the pipeline's own (calibration.enabled)
        for key, value in values.items():
            sys.stdout.write(f"{section}.{key}={json.dumps(value)}\n")


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of a communique/1 record (the output contract)."""
    import json as _json

    from ..records import json_schema

    sys.stdout.write(_json.dumps(json_schema(), indent=2, sort_keys=True) + "\n")
