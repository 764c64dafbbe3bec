"""`communique eval`: score the pipeline on a gold development set."""

from __future__ import annotations

import json
import time
from enum import Enum
from pathlib import Path

import typer
from rich.table import Table

from ..errors import CommuniqueError
from ._app import app, fail, out


class Task(str, Enum):
    events = "events"
    quotes = "quotes"
    times = "times"
    places = "places"
    actors = "actors"
    ner = "ner"


class Fmt(str, Enum):
    table = "table"
    json = "json"


@app.command("eval")
def eval_cmd(
    gold: Path = typer.Argument(..., help="Gold JSON Lines file (e.g. ../shared/gold/quotes.ggt.jsonl)."),
    task: Task | None = typer.Option(None, "--task", "-t",
                                     help="What to score; guessed from the file name when omitted."),
    predictions: Path | None = typer.Option(None, "--predictions", "-p",
                                            help="Score this `communique code` output instead of coding now."),
    save: Path | None = typer.Option(None, "--save", help="Write the predictions made here to this file."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Score only the first N gold lines."),
    kb: list[str] = typer.Option([], "--kb", help="Knowledge-base overlay table(s)."),
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f", help="table or json."),
) -> None:
    """Score the pipeline against a gold file: precision, recall and F1 per field.

    Gold formats and metrics are those of the development sets' README (families
    events_penta, quotes, times, places, actor_cases, mentions for --task ner). Example:

      communique eval ../shared/gold/events.plover_gsr.jsonl --task events
    """
    from .. import evaluate as ev

    name = task.value if task else ev.guess_task(gold)
    if name is None:
        fail(f"cannot tell the task from the file name {gold.name!r}. Try: --task "
             f"{'|'.join(t.value for t in Task)}")
    t0 = time.perf_counter()
    try:
        lines = ev.read_gold(gold, name, limit)
        if predictions is not None:
            preds = ev.load_predictions(predictions, lines)
        else:
            preds = list(ev.predict(lines, tuple(kb)))
        metrics = ev.score(name, lines, preds)
        if name == "ner":  # the spaCy model's entities alone, in the same run, for comparison
            from ..evaluate.ner import spacy_baseline

            metrics.update({f"spacy_{k}": v for k, v in spacy_baseline(lines).items()})
    except CommuniqueError as e:
        fail(e)
    secs = time.perf_counter() - t0
    if save is not None:
        with open(save, "w", encoding="utf-8") as fh:
            for p in preds:
                fh.write(json.dumps(p) + "\n")
    if fmt is Fmt.json:
        out.print_json(json.dumps({"task": name, "gold": str(gold), "metrics": metrics, "seconds": round(secs, 1)}))
        return
    table = Table(title=f"{name}: {gold.name} ({len(lines)} lines, {secs:.0f}s)", show_edge=False)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for k, v in metrics.items():
        table.add_row(k, f"{v:.3f}" if isinstance(v, float) else str(v))
    out.print(table)
