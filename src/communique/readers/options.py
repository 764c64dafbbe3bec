"""What the readers of web inputs need besides a path: languages, limits, fetching, the store's memory."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_LANGS = ("en",)
MAX_PAGE_BYTES = 10 * 2**20      # a news article's page is rarely above 2 MB; 10 MB leaves room for inline data


def parse_langs(value: str | None) -> tuple[str, ...] | None:
    """``"en"`` -> ``("en",)``; ``"en,fr"`` -> both; ``"any"`` or ``"*"`` -> None (every language)."""
    if value is None:
        return DEFAULT_LANGS
    parts = tuple(p.strip().lower() for p in value.replace(" ", ",").split(",") if p.strip())
    if not parts or any(p in ("any", "*", "all") for p in parts):
        return None
    return parts


@dataclass
class ReadOptions:
    """Options of the web-page readers (HTML files, WARC files, URL lists, feeds).

    ``known_url`` and ``done_origins`` let ingest skip what the store already holds before any work:
    a URL already stored is not fetched again (unless ``refetch``), and a WARC record whose origin
    (``file.warc.gz@offset``) is stored, as an article or as a rejected input, is not extracted again,
    so resuming a killed ingest of a multi-gigabyte archive costs little more than reading it.
    """

    lang: tuple[str, ...] | None = DEFAULT_LANGS    # languages to code from web pages; None: any language
    max_page_bytes: int = MAX_PAGE_BYTES
    feeds: tuple[str, ...] = ()                       # files listing feed URLs, read after the paths
    refetch: bool = False                             # fetch URLs even when the store has them
    fetch: Any = None                                 # fetch.FetchSettings (None: defaults)
    known_url: Callable[[str], bool] | None = None
    done_origins: Callable[[str], set[str]] | None = None
    stats: Counter = field(default_factory=Counter)   # what was skipped, by kind ("language:fr", ...)

    def wants(self, lang: str | None) -> bool:
        return self.lang is None or lang is None or lang in self.lang

    def lang_text(self) -> str:
        return "any language" if self.lang is None else ", ".join(self.lang)
