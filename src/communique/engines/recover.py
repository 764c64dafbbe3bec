"""Coding lost articles again for ``communique store repair``, from the inputs their shards' plans name.

``store.repair`` never imports the pipeline; it calls the function ``recoverer`` returns
with the plan entries of the articles it must restore (article key, id, origin such as
``corpus/a.jsonl:12``, and how the input was read). Each input file is read once with the
same reader ingest used, the articles whose text still has the same key are coded (one
bad article never stops the others) and turned into table rows exactly as ingest does, so
a restored article is stored with the ids it had.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .._isolate import code_each
from ..records import Article, content_id
from ..store.catalog import now_utc
from ..store.repair import origin_candidates
from ..store.rows import article_error_row, key_of, record_rows
from .work import PipelineSpec, get_worker_pipeline


def find_inputs(entries: list[dict]) -> dict[str, Article]:
    """Article key -> the article, read again from the file each entry's origin names (when that
    file is still there and still holds the same text)."""
    from ..readers import read_path

    groups: dict[tuple[str, str, str | None], set[str]] = {}
    for e in entries:
        src = e.get("source") or {}
        for path in origin_candidates(e.get("origin") or "", src.get("cwd")):
            if Path(path).is_file():
                key = (path, src.get("input_format") or "auto", src.get("text_column"))
                groups.setdefault(key, set()).add(e["key"])
                break
    found: dict[str, Article] = {}
    for (path, fmt, column), keys in sorted(groups.items()):
        for item in read_path(path, fmt, column):  # type: ignore[arg-type]
            if isinstance(item, Article):
                # a plan written before identities were in keys names the article by its text hash
                k = next((c for c in (key_of(item), content_id(item.text)) if c in keys), None)
                if k is not None and k not in found:
                    found[k] = item
    return found


def recoverer(spec: PipelineSpec | None = None, batch: int = 32) -> Callable[[list[dict]], dict]:
    """The ``recover`` function ``store.repair`` takes: plan entries -> rows per article key."""
    spec = spec or PipelineSpec()

    def recover(entries: list[dict]) -> dict[str, dict[str, list[dict]]]:
        found = find_inputs(entries)
        # the key the plan names (an old store's may be the text hash alone): rows keep it
        planned = {id(a): k for k, a in found.items()}
        arts = list(found.values())
        if not arts:
            return {}
        pipe = get_worker_pipeline(spec)
        at = now_utc()
        out: dict[str, dict[str, list[dict]]] = {}
        for i in range(0, len(arts), batch):
            for c in code_each(pipe, arts[i:i + batch]):
                k = planned.get(id(c.article)) or key_of(c.article)
                if c.record is None:
                    out[k] = {"errors": [article_error_row(c.article, c.reason, stage="code", ingested_at=at,
                                                           key=k)]}
                    continue
                try:
                    out[k] = record_rows(c.record, c.article.text, origin=c.article.origin, ingested_at=at, key=k)
                except Exception as err:  # noqa: BLE001 - reported like ingest does
                    out[k] = {"errors": [article_error_row(c.article, f"cannot store the record: {err}",
                                                           stage="store", ingested_at=at, key=k)]}
        return out

    return recover


__all__ = ["find_inputs", "recoverer"]
