"""Pages from URLs: URL lists (``urls.txt``), fetched in parallel across hosts, in input order.

A URL becomes an ``Article`` (its page's main text and metadata, see ``readers.html``) or a
``Rejected`` whose origin is the URL and whose reason says what went wrong. A URL the store already
holds (``ReadOptions.known_url``, which ingest fills from the store) is not fetched again unless
``ReadOptions.refetch``; a URL repeated in the input is fetched once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..readers.html import PageContext, page_to_article
from ..readers.options import ReadOptions
from ..records import Article, Rejected
from .http import Fetcher, FetchError, FetchSettings, Response

Item = Article | Rejected
_URL = re.compile(r"^https?://[^\s/?#]+\S*$", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


@dataclass
class Link:
    """A page to fetch, with what its container knows (a feed entry's date and title)."""

    url: str
    where: str                      # where the URL was read: "urls.txt:3" or the feed URL
    date: str | None = None
    title: str | None = None
    via: str = "web"                # "web" (a URL list) or "feed"


def accepts_html(content_type: str | None) -> bool:
    # text/plain and XML are let through: mislabelled pages are common, and the HTML check on the
    # bytes still refuses what is not a page
    return content_type is None or content_type.split(";")[0].strip().lower() in _HTML_TYPES


def is_url_list(data: bytes) -> bool:
    """True for a text file of URLs: one per line (a note may follow it), ``#`` comments and blank lines
    aside, at least four lines in five. A stray bad line is then reported, not read as an article."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    urls = other = 0
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if _URL.match(s.split()[0]) and len(s) < 4096:
            urls += 1
        else:
            other += 1
    return urls > 0 and urls >= 4 * other


def parse_url_list(data: bytes, origin: str) -> Iterator[Link | Rejected]:
    """One ``Link`` per URL line (``# comments`` and blank lines skipped); a bad line is a ``Rejected``."""
    text = data.decode("utf-8-sig", errors="replace")
    for lineno, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        token = s.split()[0]
        where = f"{origin}:{lineno}"
        if not _URL.match(token):
            yield Rejected(where, f"not an http(s) URL: {token[:80]!r}", "write one full URL per line")
            continue
        yield Link(token, where)


def download(fetcher: Fetcher, link: Link) -> Response | Rejected:
    """The page at ``link.url`` (network only: run on the fetch threads)."""
    try:
        return fetcher.get(link.url, accept=accepts_html)
    except FetchError as err:
        return Rejected(link.url, err.reason, err.hint)


def to_item(link: Link, resp: Response | Rejected, options: ReadOptions) -> Item:
    """The article of a downloaded page, or why not (origin: the URL). Extraction runs in the calling
    thread: it is CPU work that threads would not speed up, and trafilatura is not made for threads."""
    if isinstance(resp, Rejected):
        options.stats["fetch-failed"] += 1
        return resp
    ctx = PageContext(url=resp.final_url, fetched_url=link.url, title=link.title, date=link.date,
                      date_from="feed" if link.via == "feed" else "input", content_type=resp.content_type,
                      input=link.via, extra={"http_status": resp.status, "fetched_at": resp.fetched_at})
    return page_to_article(resp.content, link.url, ctx, options)


def fetch_page(fetcher: Fetcher, link: Link, options: ReadOptions) -> Item:
    """The article at ``link.url``, or why not (origin: the URL)."""
    return to_item(link, download(fetcher, link), options)


def ordered_map(fn: Callable[[Link], Any], items: Iterable[Link], workers: int) -> Iterator[Any]:
    """``fn`` over ``items`` on ``workers`` threads, results in input order, at most ``2 * workers`` ahead."""
    if workers <= 1:
        for it in items:
            yield fn(it)
        return
    window: list[Future] = []
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="communique-fetch") as pool:
        for it in items:
            window.append(pool.submit(fn, it))
            if len(window) >= 2 * workers:
                yield window.pop(0).result()
        for fut in window:
            yield fut.result()


def new_links(links: Iterable[Link | Rejected], options: ReadOptions) -> Iterator[Link | Rejected]:
    """Links not fetched before: repeated URLs once, URLs in the store not at all (unless refetch)."""
    seen: set[str] = set()
    for link in links:
        if isinstance(link, Rejected):
            yield link
            continue
        if link.url in seen:
            options.stats["url-repeated"] += 1
            continue
        seen.add(link.url)
        if not options.refetch and options.known_url is not None and options.known_url(link.url):
            options.stats["url-already-stored"] += 1
            continue
        yield link


def fetch_links(links: Iterable[Link | Rejected], options: ReadOptions,
                fetcher: Fetcher | None = None) -> Iterator[Item]:
    """Fetch the new ``links`` (in parallel, in order); rejections pass through."""
    own = fetcher is None
    f = fetcher or Fetcher(options.fetch or FetchSettings())
    pending: list[Link] = []
    try:
        def run(batch: list[Link]) -> Iterator[Item]:
            pages = ordered_map(lambda ln: (ln, download(f, ln)), batch, f.settings.workers)
            for link, resp in pages:
                yield to_item(link, resp, options)

        for link in new_links(links, options):
            if isinstance(link, Rejected):
                yield link
                continue
            pending.append(link)
            if len(pending) >= 256:
                yield from run(pending)
                pending = []
        if pending:
            yield from run(pending)
    finally:
        if own:
            f.close()


def read_url_list(path: str | Path, data: bytes | None = None, options: ReadOptions | None = None,
                  origin: str | None = None) -> Iterator[Item]:
    """Articles from the pages a URL list names."""
    opts = options or ReadOptions()
    name = origin or str(path)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            yield Rejected(name, f"cannot read file ({err.strerror})", "check the path")
            return
    yield from fetch_links(parse_url_list(data, name), opts)
