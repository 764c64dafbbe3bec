"""Polite HTTP: timeouts, retries with backoff, a per-host rate limit, robots.txt, redirects, size limits.

``Fetcher.get(url)`` returns the body of a page or raises ``FetchError`` with a reason a person can
act on ("HTTP 404", "robots.txt of example.com disallows /private", "no answer within 20 s"). It

- sends a User-Agent that names communique, its version and where to read about it;
- honours robots.txt (RFC 9309): a robots.txt that answers 4xx allows everything, one that cannot be
  fetched (5xx, network error) disallows everything for now; ``Crawl-delay`` lengthens the delay;
- waits at least ``delay`` seconds between two requests to the same host, whatever the number of
  threads, so a list of many URLs of one outlet is fetched at the pace the outlet allows;
- retries timeouts, connection errors, 429 and 5xx answers with exponential backoff (a ``Retry-After``
  header is obeyed, up to a minute), and gives up with the last reason;
- follows redirects itself (up to ``max_redirects``), so that robots.txt and the rate limit apply to
  every hop, and reports the final URL;
- refuses a body that is not what was asked for (a PDF where a page was expected) from its headers,
  before downloading it, and stops reading past ``max_bytes`` or past ``total_timeout`` seconds (a
  server that trickles bytes cannot hold a worker forever).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .._version import __version__
from ..readers.options import MAX_PAGE_BYTES

ROBOTS_AGENT = "communique"
_RETRY_STATUS = {429, 500, 502, 503, 504}
_REDIRECT_STATUS = {301, 302, 303, 307, 308}
_ROBOTS_TTL = 24 * 3600.0       # a robots.txt read (or found missing) is kept this long
_ROBOTS_RETRY = 300.0           # one that could not be fetched is asked for again after this


def default_user_agent() -> str:
    return f"communique/{__version__} (news-to-event-data coder; +https://pypi.org/project/communique/)"


@dataclass
class FetchSettings:
    user_agent: str = field(default_factory=default_user_agent)
    timeout: float = 20.0           # seconds to connect, and between two pieces of an answer
    total_timeout: float = 60.0     # a whole page must arrive within this
    retries: int = 2                # extra attempts after a timeout, a connection error, 429 or 5xx
    backoff: float = 1.0            # seconds before the first retry; doubled for each next one
    delay: float = 1.0              # at least this long between two requests to one host
    robots: bool = True
    workers: int = 4                # pages fetched at the same time (from different hosts)
    max_redirects: int = 10
    max_bytes: int = MAX_PAGE_BYTES


class FetchError(Exception):
    """A URL that could not be fetched: ``reason`` says why, ``hint`` what to do."""

    def __init__(self, reason: str, hint: str = "", transient: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        self.transient = transient    # worth trying again later (network, 5xx, robots.txt unreachable)


@dataclass
class Response:
    url: str                   # the URL asked for
    final_url: str             # after redirects
    status: int
    headers: httpx.Headers
    content: bytes
    fetched_at: str            # UTC, ISO 8601

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Fetcher:
    """One HTTP client, shared by threads; close it (or use ``with``) when done."""

    def __init__(self, settings: FetchSettings | None = None, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = s = settings or FetchSettings()
        self.client = httpx.Client(
            headers={"User-Agent": s.user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"},
            timeout=httpx.Timeout(s.timeout), follow_redirects=False, transport=transport,
            limits=httpx.Limits(max_connections=max(4, s.workers * 2)))
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}                         # host -> earliest next request
        self._robots: dict[str, tuple[float, RobotFileParser | None, str | None]] = {}   # until, parser, refusal
        self._delays: dict[str, float] = {}                                               # origin -> Crawl-delay
        self._robots_locks: dict[str, threading.Lock] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    # -- politeness ---------------------------------------------------------------------------
    def _wait_turn(self, url: str) -> None:
        host = _host(url)
        delay = max(self.settings.delay, self._crawl_delay(url))
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next.get(host, 0.0))
            self._next[host] = at + delay
        if at > now:
            self._sleep(at - now)

    def _crawl_delay(self, url: str) -> float:
        return self._delays.get(_origin(url), 0.0)

    def _robots_for(self, url: str) -> tuple[RobotFileParser | None, str | None]:
        """The parsed robots.txt of ``url``'s site (None: allow all), or a reason to disallow all."""
        origin = _origin(url)
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:    # one fetch of robots.txt per site, however many threads ask
            entry = self._robots.get(origin)
            if entry and time.monotonic() < entry[0]:
                return entry[1], entry[2]
            parser, refusal = self._load_robots(origin)
            ttl = _ROBOTS_RETRY if refusal else _ROBOTS_TTL
            self._robots[origin] = (time.monotonic() + ttl, parser, refusal)
            return parser, refusal

    def _load_robots(self, origin: str) -> tuple[RobotFileParser | None, str | None]:
        url = origin + "/robots.txt"
        try:
            resp = self._request(url, limit=512 * 1024, accept=None, check_robots=False, retries=1)
        except FetchError as err:
            if err.reason.startswith("HTTP 4"):
                return None, None            # no robots.txt: everything is allowed
            if not err.reason.startswith("HTTP "):
                return None, err.reason      # the site cannot be reached at all: say that
            return None, f"robots.txt of {urlsplit(origin).netloc} cannot be fetched ({err.reason})"
        lines = resp.content.decode("utf-8", errors="replace").splitlines()
        parser = RobotFileParser(url)
        parser.parse(lines)
        delay = crawl_delay(lines, ROBOTS_AGENT)
        if delay:
            self._delays[origin] = min(delay, 60.0)
        return parser, None

    def allowed(self, url: str) -> tuple[bool, str | None]:
        if not self.settings.robots:
            return True, None
        parser, refusal = self._robots_for(url)
        if refusal:
            return False, refusal
        if parser is not None and not parser.can_fetch(ROBOTS_AGENT, url):
            return False, f"robots.txt of {urlsplit(url).netloc} disallows {urlsplit(url).path or '/'}"
        return True, None

    # -- requests -----------------------------------------------------------------------------
    def get(self, url: str, accept: Callable[[str | None], bool] | None = None,
            headers: dict[str, str] | None = None) -> Response:
        """GET ``url`` following redirects. ``accept(content_type)`` refuses a body before download.
        Raises ``FetchError``; a 304 Not Modified (after conditional ``headers``) is returned as is."""
        return self._request(url, limit=self.settings.max_bytes, accept=accept, check_robots=self.settings.robots,
                             retries=self.settings.retries, headers=headers)

    def _request(self, url: str, limit: int, accept, check_robots: bool, retries: int,
                 headers: dict[str, str] | None = None) -> Response:
        if urlsplit(url).scheme not in ("http", "https") or not _host(url):
            raise FetchError(f"not an http(s) URL: {url!r}", "give full URLs such as https://example.com/page")
        current = url
        seen = {url}
        for _hop in range(self.settings.max_redirects + 1):
            if check_robots:
                ok, why = self.allowed(current)
                if not ok:
                    raise FetchError(why or "disallowed by robots.txt",
                                     "communique honours robots.txt; ask the site, or pass --ignore-robots only "
                                     "for sites you are allowed to crawl", transient=bool(why and "cannot be" in why))
            resp = self._attempts(current, limit, accept, retries, headers)
            if resp.status in _REDIRECT_STATUS:
                loc = resp.headers.get("location")
                if not loc:
                    raise FetchError(f"HTTP {resp.status} redirect without a Location header")
                nxt = urljoin(current, loc.strip())
                if nxt in seen:
                    raise FetchError(f"redirect loop at {nxt}", "the site redirects in a circle; try later")
                seen.add(nxt)
                current = nxt
                continue
            resp.url = url
            return resp
        raise FetchError(f"more than {self.settings.max_redirects} redirects", "the URL redirects too often")

    def _attempts(self, url: str, limit: int, accept, retries: int, headers: dict[str, str] | None) -> Response:
        last: FetchError | None = None
        for attempt in range(retries + 1):
            if attempt:
                wait = self.settings.backoff * 2 ** (attempt - 1)
                if last is not None and getattr(last, "retry_after", None):
                    wait = max(wait, min(60.0, last.retry_after))   # type: ignore[attr-defined]
                self._sleep(wait)
            self._wait_turn(url)
            try:
                resp = self._once(url, limit, accept, headers)
            except FetchError as err:
                if not err.transient:
                    raise
                last = err
                continue
            if resp.status in _RETRY_STATUS:
                last = FetchError(f"HTTP {resp.status}", "the server failed; it is tried again on the next run",
                                  transient=True)
                ra = resp.headers.get("retry-after", "")
                last.retry_after = float(ra) if ra.strip().isdigit() else None   # type: ignore[attr-defined]
                continue
            if resp.status >= 400:
                raise FetchError(f"HTTP {resp.status}", "check the URL" if resp.status in (404, 410) else "")
            return resp
        assert last is not None
        tries = f"{retries + 1} attempts" if retries else "1 attempt"
        raise FetchError(f"{last.reason} ({tries})", last.hint, transient=True)

    def _once(self, url: str, limit: int, accept, headers: dict[str, str] | None) -> Response:
        t0 = time.monotonic()
        deadline = self.settings.total_timeout
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                if r.status_code in _REDIRECT_STATUS or r.status_code in _RETRY_STATUS or r.status_code >= 400 \
                        or r.status_code == 304:
                    return Response(url, str(r.url), r.status_code, r.headers, b"", _now())
                ctype = r.headers.get("content-type")
                if accept is not None and not accept(ctype):
                    raise FetchError(f"not an HTML page: {(ctype or '').split(';')[0].strip()}",
                                     "only web pages (HTML) can be coded")
                declared = r.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"page is {int(declared) / 2**20:.1f} MB, over the {limit / 2**20:.0f} MB limit "
                                     "for one article", "this is not a news article page")
                chunks: list[bytes] = []
                size = 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(f"page is over the {limit / 2**20:.0f} MB limit for one article",
                                         "this is not a news article page")
                    if time.monotonic() - t0 > deadline:
                        raise FetchError(f"the page did not arrive within {deadline:.0f} s",
                                         "the server is too slow; it is tried again on the next run", transient=True)
                    chunks.append(chunk)
                return Response(url, str(r.url), r.status_code, r.headers, b"".join(chunks), _now())
        except httpx.TimeoutException:
            raise FetchError(f"no answer within {self.settings.timeout:.0f} s",
                             "the server is too slow; it is tried again on the next run", transient=True) from None
        except httpx.DecodingError as err:
            raise FetchError(f"the answer cannot be decompressed ({err})", "the server sent a broken answer") from None
        except (httpx.TransportError, httpx.StreamError) as err:
            raise FetchError(f"connection failed ({type(err).__name__})",
                             "check the address and the network; it is tried again on the next run",
                             transient=True) from None


def crawl_delay(lines: list[str], agent: str) -> float | None:
    """The Crawl-delay (seconds, fractions allowed) that robots.txt ``lines`` set for ``agent``, else for ``*``."""
    groups: dict[str, float] = {}
    current: list[str] = []
    in_agents = False
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (x.strip() for x in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if not in_agents:
                current = []
            current.append(value.lower())
            in_agents = True
            continue
        in_agents = False
        if key == "crawl-delay":
            try:
                d = float(value)
            except ValueError:
                continue
            for a in current:
                groups.setdefault(a, d)
    for a, d in groups.items():
        if a != "*" and a in agent.lower():
            return d
    return groups.get("*")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
