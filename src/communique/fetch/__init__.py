"""News from the web: URL lists and feeds over HTTP, politely and resumably; ``watch`` for continuous ingest.

- ``http``: ``Fetcher`` (timeouts, retries with backoff, per-host rate limit, robots.txt, redirects);
- ``pages``: URL lists (``urls.txt``) -> articles, in parallel across hosts, skipping stored URLs;
- ``feeds``: RSS/Atom feeds -> their entries' articles (conditional polling for ``watch``);
- ``watch``: poll feeds and folders every N minutes, code what is new into a store, keep the store's
  events and stories current, write GDELT-style update files; state in the store folder.

Pages become articles through ``readers.html.page_to_article``, the same path as saved pages and
WARC records.
"""

from __future__ import annotations

from .feeds import FeedPoll, parse_feed, poll_feed, read_feed_list
from .http import Fetcher, FetchError, FetchSettings, default_user_agent
from .pages import Link, fetch_links, is_url_list, parse_url_list, read_url_list

__all__ = ["FeedPoll", "FetchError", "FetchSettings", "Fetcher", "Link", "default_user_agent", "fetch_links",
           "is_url_list", "parse_feed", "parse_url_list", "poll_feed", "read_feed_list", "read_url_list"]
