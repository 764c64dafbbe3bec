"""communique: news articles in, political event data out.

    >>> import communique
    >>> rec = communique.code_text("Lukashenko met Xi Jinping in Tianjin.", date="2025-08-29")
    >>> rec.events[0].cameo

The public API is what ``__all__`` lists; everything else is internal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ._version import __version__
from .errors import CommuniqueError, InputError, KnowledgeBaseError, ModelError, SettingsError
from .records import SCHEMA, Article, Record, Rejected, json_schema

__all__ = [
    "__version__", "SCHEMA", "Article", "Record", "Rejected", "CommuniqueError", "InputError",
    "KnowledgeBaseError", "ModelError", "SettingsError", "Pipeline", "code_text", "code_articles", "read_inputs", "json_schema",
    "open_store", "ingest",
]


def __getattr__(name: str):
    # spaCy is imported only when coding is asked for, so `communique --help` is fast.
    if name == "Pipeline":
        from .pipeline import Pipeline

        return Pipeline
    if name == "read_inputs":
        from .readers import read_inputs

        return read_inputs
    raise AttributeError(f"module 'communique' has no attribute {name!r}")


def code_text(text: str, date=None, *, id: str | None = None, title: str | None = None,
              source: str | None = None, url: str | None = None, kb: Iterable[str] = (),
              config: Mapping[str, Any] | None = None) -> Record:
    """Code one article. ``date`` (``"YYYY-MM-DD"``, an ISO timestamp, ``datetime.date`` or
    ``datetime.datetime``) anchors relative times ("last week"). Wrong types raise ``InputError``.
    ``config`` overrides stage settings (``{"times": {"future_bias": 3.0}}`` or
    ``{"times.future_bias": 3.0}``; an unknown one raises ``SettingsError``); the record's
    ``coder.settings`` lists the settings it was coded with."""
    from ._validate import check_date, check_kb, check_meta, check_text
    from .pipeline import get_pipeline

    body, warnings = check_text(text)
    meta = check_meta(id=id, title=title, source=source, url=url)
    art = Article(text=body, date=check_date(date), warnings=warnings, **meta)
    return next(iter(get_pipeline(kb_overlays=check_kb(kb), config=config).code_articles([art])))


def code_articles(articles: Iterable[Article | dict | str], *, kb: Iterable[str] = (),
                  config: Mapping[str, Any] | None = None) -> Iterator[Record]:
    """Code many articles lazily, in order. Items may be ``Article``, dicts with ``text`` or plain strings.
    ``config`` overrides stage settings as in ``code_text``."""
    from ._validate import check_date, check_kb, check_meta, check_text, kind_of
    from .pipeline import get_pipeline

    def as_articles() -> Iterator[Article | Rejected]:
        for i, item in enumerate(articles):
            where = f"code_articles item {i}"
            if isinstance(item, Article):
                yield item
            elif isinstance(item, str):
                body, warnings = check_text(item, where)
                yield Article(text=body, origin=f"<item {i}>", warnings=warnings)
            elif isinstance(item, dict):
                body, warnings = check_text(item.get("text"), where)
                meta = check_meta(where, id=item.get("id"), title=item.get("title"), source=item.get("source"),
                                  url=item.get("url"))
                day = check_date(item.get("date"), where, warnings)
                yield Article(text=body, date=day, origin=f"<item {i}>", warnings=warnings, **meta)
            else:
                raise InputError(f"item {i} is {kind_of(item)}, not an article", "code_articles",
                                 "pass Article objects, dicts with 'text', or strings")

    return get_pipeline(kb_overlays=check_kb(kb, "code_articles"), config=config).code_articles(as_articles())


def open_store(path: str = "communique-data", create: bool = False):
    """Open a communique store (Parquet + DuckDB): ``store.dyad("CHN", "BLR")``, ``store.events(country="BLR")``,
    ``store.sql("SELECT ...")``. See ``communique.store``."""
    from .store import open_store as _open

    return _open(path, create=create)


def ingest(inputs, store: str = "communique-data", **options):
    """Code files, folders or ``Article`` objects into a store (idempotent, resumable, parallel).
    Options as ``communique.engines.ingest`` (engine="auto"|"inprocess"|"processes"|"dask", workers, ...)."""
    from .engines import ingest as _ingest

    return _ingest(inputs, store, **options)
