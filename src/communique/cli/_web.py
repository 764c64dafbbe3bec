"""The options of the web inputs (pages, archives, URL lists, feeds) that `code`, `ingest` and `watch` share."""

from __future__ import annotations

import typer

from ._app import err

LANG_OPT = typer.Option("en", "--lang", help="Languages to code from web pages and archives, comma-separated "
                        "ISO 639-1 codes (en,fr) or 'any'. Pages in other languages are skipped with the reason. "
                        "The coder's model reads English.")
USER_AGENT_OPT = typer.Option(None, "--user-agent", help="User-Agent for fetching (default: communique/VERSION "
                              "with a link to the project).")
DELAY_OPT = typer.Option(1.0, "--delay", min=0.0, help="Seconds between two requests to the same host "
                         "(robots.txt Crawl-delay lengthens it).")
TIMEOUT_OPT = typer.Option(20.0, "--timeout", min=0.1, help="Seconds to wait for a server before giving up "
                           "(after retries with backoff).")
IGNORE_ROBOTS_OPT = typer.Option(False, "--ignore-robots", help="Do not read robots.txt: only for sites you "
                                 "are allowed to crawl.")

_KIND_NAMES = {
    "language": "in another language", "no-text": "without article text", "not-html": "not HTML",
    "too-large": "over the size limit", "fetch-failed": "that could not be fetched",
    "feed-failed": "feeds that failed", "url-already-stored": "URLs already in the store (not fetched)",
    "url-repeated": "repeated URLs", "warc:already-stored": "WARC records already in the store",
    "warc:other-records": "WARC request/metadata records", "warc:revisits": "WARC revisit records",
    "http-status": "non-2xx responses", "warc:corrupt": "corrupt WARC regions",
    "warc:truncated-file": "truncated WARC files", "warc:truncated-record": "truncated WARC records",
    "extraction-failed": "pages the extractor failed on", "undecodable": "undecodable pages",
}


def read_options(lang: str, feeds: list | tuple = (), refetch: bool = False, user_agent: str | None = None,
                 delay: float = 1.0, timeout: float = 20.0, ignore_robots: bool = False):
    from ..fetch.http import FetchSettings, default_user_agent
    from ..readers.options import ReadOptions, parse_langs

    settings = FetchSettings(user_agent=user_agent or default_user_agent(), delay=delay, timeout=timeout,
                             total_timeout=max(60.0, 3 * timeout), robots=not ignore_robots)
    return ReadOptions(lang=parse_langs(lang), feeds=tuple(str(f) for f in feeds), refetch=refetch, fetch=settings)


def stats_line(stats) -> str | None:
    """One line on what the web readers skipped: "skipped: 12 in another language (fr 9, de 3), ..."."""
    if not stats:
        return None
    groups: dict[str, dict[str, int]] = {}
    for key, n in stats.items():
        kind, _, detail = key.partition(":") if key.startswith(("language:", "http-status:")) else (key, "", "")
        groups.setdefault(kind, {})[detail] = groups.setdefault(kind, {}).get(detail, 0) + n
    parts = []
    for kind, details in groups.items():
        if kind in ("warc:records", "feeds"):
            continue
        total = sum(details.values())
        detail = ", ".join(f"{d or '?'} {n}" for d, n in sorted(details.items(), key=lambda x: -x[1]) if d)
        parts.append(f"{total} {_KIND_NAMES.get(kind, kind)}" + (f" ({detail})" if detail else ""))
    head = []
    if stats.get("warc:records"):
        head.append(f"{stats['warc:records']} WARC records read")
    if stats.get("feeds"):
        head.append(f"{stats['feeds']} feeds read")
    if not parts and not head:
        return None
    return "; ".join(head + ([f"skipped: {', '.join(parts)}"] if parts else []))


def print_stats(stats) -> None:
    line = stats_line(stats)
    if line:
        err.print(line, highlight=False, soft_wrap=True)
