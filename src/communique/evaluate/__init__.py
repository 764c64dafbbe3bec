"""Scoring the pipeline on gold development sets (paths given by the user).

``evaluate(gold_path, task)`` codes each gold line's ``{"id","date","text"}``
with the pipeline (or reads predictions from a file) and scores the result with
the task's scorer. The package ships no gold data and never looks for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import EvaluationError
from ._jsonl import iter_jsonl
from .scorers import SCORERS

TASKS = tuple(SCORERS)

# The field each task needs on a gold line, to fail fast on the wrong file.
_REQUIRED = {"events": "events", "quotes": "quotes", "times": "times", "places": "places", "actors": "actor",
             "ner": "entities"}


def guess_task(path: str | Path) -> str | None:
    name = Path(path).name.lower()
    for task in TASKS:
        if name.startswith(task):
            return task
    return None


def read_gold(path: str | Path, task: str, limit: int | None = None) -> list[dict]:
    p = Path(path)
    if not p.exists():
        raise EvaluationError("gold file not found", str(p), "pass the path of a gold .jsonl file")
    out = []
    for lineno, obj in iter_jsonl(p):
        if _REQUIRED[task] not in obj or "text" not in obj:
            raise EvaluationError(f"line has no {_REQUIRED[task]!r} field, so it is not {task} gold",
                                  f"{p}:{lineno}", f"pass --task to match the file (tasks: {', '.join(TASKS)})")
        out.append(obj)
        if limit and len(out) >= limit:
            break
    return out


@dataclass
class Report:
    task: str
    gold_path: str
    metrics: dict
    seconds: float


def predict(gold: list[dict], kb: tuple[str, ...] = ()) -> Iterator[dict]:
    """Code each gold line's text with the pipeline, in order."""
    from ..pipeline import get_pipeline
    from ..records import Article

    pipe = get_pipeline(kb_overlays=kb)
    arts = (Article(text=g["text"], id=str(g.get("id")), date=g.get("date"), origin=f"gold:{g.get('id')}")
            for g in gold)
    for rec in pipe.code_articles(arts):
        yield rec.to_dict()


def load_predictions(path: str | Path, gold: list[dict]) -> list[dict]:
    by_id = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                by_id[str(rec["article"]["id"])] = rec
    missing = [g["id"] for g in gold if str(g["id"]) not in by_id]
    if missing:
        raise EvaluationError(f"{len(missing)} gold ids have no prediction (first: {missing[0]})", str(path),
                              "code the same gold file with `communique code` and pass its output")
    return [by_id[str(g["id"])] for g in gold]


def score(task: str, gold: list[dict], predictions: list[dict]) -> dict:
    if task not in SCORERS:
        raise EvaluationError(f"unknown task {task!r}", None, f"use one of {', '.join(TASKS)}")
    return SCORERS[task](gold, predictions)
