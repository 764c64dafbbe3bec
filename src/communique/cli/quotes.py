"""`communique quotes`: who said what, when: one row per quote as CSV, TSV or JSON Lines."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from enum import Enum
from pathlib import Path

import typer

from ..errors import CommuniqueError, InputError
from ._app import InFormat, app, err, fail, warn

COLUMNS = ("article_id", "date", "speaker", "speaker_code", "speaker_country", "type", "cue", "quote",
           "start", "end")


class QuoteFormat(str, Enum):
    csv = "csv"
    tsv = "tsv"
    jsonl = "jsonl"


def quote_rows(record: dict, speaker: str | None = None, types: tuple[str, ...] = ()) -> Iterator[dict]:
    """The quotes of one ``communique/1`` record (as a dict) as flat rows.

    ``speaker`` keeps quotes whose speaker name, speaker text or actor code
    contains it (case and accents ignored); ``types`` keeps those types only.
    """
    from ..kb._text import fold

    art = record.get("article") or {}
    want = fold(speaker) if speaker else None
    for q in record.get("quotes") or []:
        if types and q.get("type") not in types:
            continue
        sp = q.get("speaker") or {}
        span_text = (sp.get("span") or {}).get("text") or ""
        name = sp.get("name") or span_text
        if want is not None and not (want in fold(name) or want in fold(span_text)
                                     or want == fold(sp.get("code") or "")):
            continue
        cue = q.get("cue") or {}
        yield {"article_id": art.get("id"), "date": art.get("date"), "speaker": name or "",
               "speaker_code": sp.get("code") or "", "speaker_country": sp.get("country") or "",
               "type": q.get("type"), "cue": cue.get("text") or "", "quote": q["span"]["text"],
               "start": q["span"]["start"], "end": q["span"]["end"]}


def _coded_records(paths: list[str]) -> Iterator[dict]:
    """Already-coded ``communique/1`` JSON Lines (from `communique code`)."""
    import gzip

    for p in paths:
        path = Path(p)
        if p != "-" and not path.exists():
            raise InputError("file not found", p, "check the path")
        fh = sys.stdin if p == "-" else (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz"
                                         else open(path, encoding="utf-8"))
        with ExitStack() as stack:
            if fh is not sys.stdin:
                stack.enter_context(fh)
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    warn(f"{p}:{lineno}: not JSON ({e.msg}); skipped")
                    continue
                if not isinstance(rec, dict) or "quotes" not in rec or "article" not in rec:
                    warn(f"{p}:{lineno}: not a communique/1 record (no 'article' and 'quotes'); skipped")
                    continue
                yield rec


@app.command("quotes")
def quotes_cmd(
    paths: list[str] = typer.Argument(..., help="Articles to code (files, directories, '-' for stdin), or with "
                                      "--coded, `communique code` output."),
    fmt: QuoteFormat = typer.Option(QuoteFormat.csv, "--format", "-f", help="csv, tsv or jsonl (one row each)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    speaker: str | None = typer.Option(None, "--speaker", "-s",
                                       help="Only quotes whose speaker name or code contains this "
                                            "(e.g. Lukashenko, BLRGOV)."),
    types: list[str] = typer.Option([], "--type", "-t", help="Only these quote types: direct, indirect, mixed "
                                                             "(repeatable)."),
    coded: bool = typer.Option(False, "--coded", help="Inputs are communique/1 records: list their quotes "
                                                      "without coding again."),
    input_format: InFormat = typer.Option(InFormat.auto, "--input-format", help="Override detection by suffix."),
    text_column: str | None = typer.Option(None, "--text-column", help="CSV column holding the article text."),
    kb: list[str] = typer.Option([], "--kb", help="Knowledge-base overlay table(s) to add (see docs/KB.md)."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles per spaCy batch."),
) -> None:
    """List quotes with their speakers: [bold]what did X say, and when[/bold].

    Columns: article_id, date, speaker, speaker_code, speaker_country, type, cue,
    quote, start, end (character offsets of the quote in the article text).

    Examples:

      communique quotes article.txt

      communique quotes corpus/ --speaker Lukashenko -o lukashenko.csv

      communique code corpus/ -o coded.jsonl; communique quotes --coded coded.jsonl --format tsv
    """
    bad = [t for t in types if t not in ("direct", "indirect", "mixed")]
    if bad:
        fail(f"unknown quote type(s) {', '.join(bad)}. Try: --type direct, --type indirect or --type mixed")
    try:
        if coded:
            records: Iterator[dict] = _coded_records(paths)
        else:
            from ..pipeline import Pipeline
            from ..readers import read_inputs

            pipe = Pipeline(kb_overlays=tuple(kb), batch_size=batch_size)
            records = (rec.to_dict() for rec in pipe.code_articles(
                read_inputs(paths, input_format.value, text_column), lambda r: warn(r.message())))
        n_rows = 0
        with ExitStack() as stack:
            sink = stack.enter_context(open(output, "w", encoding="utf-8", newline="")) if output else sys.stdout
            writer = None
            if fmt is not QuoteFormat.jsonl:
                writer = csv.DictWriter(sink, fieldnames=COLUMNS, dialect="excel-tab" if fmt is QuoteFormat.tsv
                                        else "excel", lineterminator="\n")
                writer.writeheader()
            for rec in records:
                for row in quote_rows(rec, speaker, tuple(types)):
                    n_rows += 1
                    if writer is None:
                        sink.write(json.dumps(row, ensure_ascii=False) + "\n")
                    else:
                        if fmt is QuoteFormat.tsv:
                            row = {k: " ".join(v.split()) if isinstance(v, str) else v for k, v in row.items()}
                        writer.writerow(row)
    except CommuniqueError as e:
        fail(e)
    if output is not None:
        err.print(f"wrote {n_rows} quote(s) to {output}")
