"""One bad article never stops a batch: code a batch, and on failure code its articles one by one.

``code`` (the CLI), ingest workers (``engines.work.process_shard``) and ``store repair``
share this, so an exception inside a stage rejects exactly the article that raised it,
with a reason naming the stage, and every other article is coded as if nothing happened.
The batch is tried whole first (one ``nlp.pipe`` call is much faster than many), so
isolation costs nothing until an article fails.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .records import Article, Record, Rejected

# Texts that say an article was not coded in full (a pipeline that cuts or drops text must say
# so in a record warning; run summaries count and show these).
INCOMPLETE = re.compile(r"only the first \d+|not coded in full|were not coded|was not coded|truncated|"
                        r"dropped|cut (?:off|short)", re.IGNORECASE)


@dataclass
class Coded:
    """The outcome for one article: its record, or the error that stopped it."""

    article: Article
    record: Record | None = None
    error: BaseException | None = None
    stage: str | None = None

    @property
    def reason(self) -> str:
        return failure_reason(self.error, self.stage) if self.error is not None else ""


def failing_stage(err: BaseException) -> str | None:
    """The pipeline stage an exception came from (``times``, ``actors`` ...), from its traceback."""
    stage = None
    for frame in traceback.extract_tb(err.__traceback__):
        parts = frame.filename.replace(os.sep, "/").split("/communique/stages/")
        if len(parts) == 2:
            stage = parts[1].split("/")[0].removesuffix(".py").lstrip("_")
    return stage


def failure_reason(err: BaseException | None, stage: str | None = None) -> str:
    what = f"the {stage} stage failed" if stage else "the pipeline failed"
    detail = str(err).strip() or "no message"
    return f"{what} on this article ({type(err).__name__}: {detail[:300]})"


FAILURE_HINT = ("the other articles were coded; this one is kept in the errors; if it is a real article, "
                "report it as a bug with the text")


def code_each(pipe, articles: list[Article]) -> list[Coded]:
    """Code ``articles`` with ``pipe`` (anything with ``code_articles``); never raises for one
    article's sake. Results are in input order."""
    if not articles:
        return []
    try:
        recs = list(pipe.code_articles(articles))
        if len(recs) == len(articles):
            return [Coded(a, r) for a, r in zip(articles, recs, strict=True)]
    except Exception:  # noqa: BLE001 - find the article(s) that fail, code the rest
        pass
    out = []
    for art in articles:
        try:
            (rec,) = list(pipe.code_articles([art]))
            out.append(Coded(art, rec))
        except Exception as err:  # noqa: BLE001 - reported with the article, never raised
            out.append(Coded(art, None, err, failing_stage(err)))
    return out


def code_stream(pipe, items: Iterable[Article | Rejected], batch_size: int,
                on_reject: Callable[[Rejected], None] | None = None) -> Iterator[Coded]:
    """``code_each`` over a stream, in input order, ``batch_size`` articles at a time;
    ``Rejected`` inputs go to ``on_reject``."""
    batch: list[Article] = []
    for item in items:
        if isinstance(item, Rejected):
            if on_reject is not None:
                on_reject(item)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            yield from code_each(pipe, batch)
            batch = []
    if batch:
        yield from code_each(pipe, batch)


def incomplete_warnings(warnings: Iterable[str]) -> list[str]:
    """The warnings that say some text was not coded."""
    return [w for w in warnings if INCOMPLETE.search(w)]


__all__ = ["Coded", "FAILURE_HINT", "INCOMPLETE", "code_each", "code_stream", "failing_stage", "failure_reason",
           "incomplete_warnings"]
