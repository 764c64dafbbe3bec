"""RSS and Atom feeds: the articles their entries link to.

A feed list (``FEEDS.txt``) names one feed URL per line. Each feed is fetched politely (see
``http``), parsed with feedparser from the bytes (feedparser never fetches anything itself), and
its entries' links are fetched as pages; an entry's date is the article date when the page carries
none, its title the title when the page has none. A feed that cannot be fetched (timeout, 404,
500), or is not a feed, or is malformed beyond use, becomes a ``Rejected`` whose origin is the feed
URL; the other feeds go on.

``poll_feed`` is the unit of ``communique watch``: it sends the ETag and Last-Modified of the last
poll, so an unchanged feed costs a 304 answer and nothing else.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..readers.options import ReadOptions
from ..records import Rejected
from .http import Fetcher, FetchError, FetchSettings
from .pages import Item, Link, fetch_links, parse_url_list

_FEED_TYPES = ("xml", "rss", "atom", "rdf", "text/plain", "application/json", "text/html")


@dataclass
class FeedPoll:
    """The outcome of polling one feed."""

    url: str
    links: list[Link] = field(default_factory=list)
    etag: str | None = None
    modified: str | None = None
    not_modified: bool = False
    error: Rejected | None = None
    title: str | None = None


def _accepts_feed(content_type: str | None) -> bool:
    return content_type is None or any(t in content_type.lower() for t in _FEED_TYPES)


def _day(struct) -> str | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), UTC).date().isoformat()
    except (OverflowError, ValueError, TypeError):
        return None


def parse_feed(content: bytes, url: str, content_type: str | None = None) -> tuple[list[Link], str | None] | Rejected:
    """The entries of a feed as links, and the feed's title; or why the bytes are not a usable feed."""
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    fp = feedparser.parse(content, response_headers=headers, sanitize_html=False, resolve_relative_uris=True)
    if not fp.get("version"):
        return Rejected(url, "not a feed: no RSS or Atom content", "check that the URL is an RSS or Atom feed")
    links: list[Link] = []
    for i, e in enumerate(fp.entries, start=1):
        link = e.get("link")
        if not link:
            for ln in e.get("links", []):
                if ln.get("href") and ln.get("rel", "alternate") == "alternate":
                    link = ln["href"]
                    break
        if not link or not str(link).startswith(("http://", "https://")):
            continue
        links.append(Link(str(link), f"{url}#{i}", date=_day(dict.get(e, "published_parsed") or dict.get(e, "updated_parsed")),
                          title=e.get("title") or None, via="feed"))
    if not links and fp.entries:
        # a feed parser recovers what it can from broken XML; entries without links are of no use
        exc = fp.get("bozo_exception") if fp.get("bozo") else None
        detail = re.sub(r"^<unknown>:\d+:\d+:\s*", "", str(exc))[:80] if exc else ""
        what = f"malformed feed ({type(exc).__name__}: {detail})" if exc else "feed entries without links"
        return Rejected(url, f"{what}; none of its {len(fp.entries)} entries links to a page",
                        "check that the URL is an RSS or Atom feed")
    return links, fp.feed.get("title")


def poll_feed(fetcher: Fetcher, url: str, etag: str | None = None, modified: str | None = None) -> FeedPoll:
    """Fetch and parse one feed (conditionally, when ``etag``/``modified`` are known)."""
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    poll = FeedPoll(url)
    try:
        resp = fetcher.get(url, accept=_accepts_feed, headers=headers)
    except FetchError as err:
        poll.error = Rejected(url, f"feed unavailable: {err.reason}", err.hint or "check the feed URL")
        return poll
    if resp.status == 304:
        poll.not_modified, poll.etag, poll.modified = True, etag, modified
        return poll
    parsed = parse_feed(resp.content, resp.final_url, resp.content_type)
    if isinstance(parsed, Rejected):
        poll.error = parsed
        return poll
    poll.links, poll.title = parsed
    poll.etag = resp.headers.get("etag")
    poll.modified = resp.headers.get("last-modified")
    return poll


def feed_urls(path: str | Path) -> Iterator[Link | Rejected]:
    """The feed URLs a feed list names (one per line, ``#`` comments)."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        yield Rejected(str(path), f"cannot read the feed list ({err.strerror})", "check the path")
        return
    yield from parse_url_list(data, str(path))


def read_feed_list(path: str | Path, options: ReadOptions | None = None) -> Iterator[Item]:
    """Articles from every entry of every feed that a feed list names."""
    opts = options or ReadOptions()
    with Fetcher(opts.fetch or FetchSettings()) as fetcher:
        def links() -> Iterator[Link | Rejected]:
            for feed in feed_urls(path):
                if isinstance(feed, Rejected):
                    yield feed
                    continue
                poll = poll_feed(fetcher, feed.url)
                if poll.error is not None:
                    opts.stats["feed-failed"] += 1
                    yield poll.error
                    continue
                opts.stats["feeds"] += 1
                yield from poll.links

        yield from fetch_links(links(), opts, fetcher)
