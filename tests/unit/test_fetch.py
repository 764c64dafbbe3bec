"""Fetching pages, URL lists and feeds against a local HTTP server (127.0.0.1, ephemeral port): redirects,
robots.txt, retries, timeouts, rate limit, sizes, content types, conditional polling, stored URLs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from communique.fetch import (
    Fetcher,
    FetchSettings,
    Link,
    parse_feed,
    poll_feed,
    read_feed_list,
    read_url_list,
)
from communique.fetch.pages import fetch_links, is_url_list, parse_url_list
from communique.readers import read_inputs
from communique.readers.options import ReadOptions
from communique.records import Article, Rejected
from tests.fixtures.server import Route, Server, rss

HTML = Path(__file__).resolve().parents[1] / "fixtures" / "html"
PAGE = (HTML / "ledger-hong-kong.html").read_bytes()
PAGE2 = (HTML / "northwind-iran-jet.html").read_bytes()
FRENCH = (HTML / "french-budget.html").read_bytes()


def fast(**kw) -> FetchSettings:
    base = dict(delay=0.0, timeout=5.0, total_timeout=10.0, retries=2, backoff=0.05, workers=4)
    base.update(kw)
    return FetchSettings(**base)


def opts(**kw) -> ReadOptions:
    return ReadOptions(fetch=kw.pop("fetch", fast()), **kw)


@pytest.fixture
def server():
    with Server() as s:
        s.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private\n", content_type="text/plain")
        s.routes["/news/hk"] = Route(PAGE)
        s.routes["/news/iran"] = Route(PAGE2)
        yield s


def test_a_page_becomes_an_article_with_fetch_metadata(server):
    with Fetcher(fast()) as f:
        from communique.fetch.pages import fetch_page

        art = fetch_page(f, Link(server.url("/news/hk"), "t"), ReadOptions())
    assert isinstance(art, Article) and art.text.startswith("For the first time in the sixteen weeks")
    ext = art.extraction
    assert ext["input"] == "web" and ext["http_status"] == 200 and ext["fetched_url"] == server.url("/news/hk")
    assert ext["final_url"] == server.url("/news/hk") and ext["fetched_at"].endswith("Z")
    assert art.source_domain == "127.0.0.1"     # the page was found there (its canonical URL is elsewhere)
    ua = server.hits_of("/news/hk")[0].headers["User-Agent"]
    assert ua.startswith("communique/") and "+https://" in ua


def test_redirects_are_followed_and_the_final_url_kept(server):
    server.routes["/old"] = Route(status=301, headers={"Location": "/middle"})
    server.routes["/middle"] = Route(status=302, headers={"Location": server.url("/news/iran")})
    server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    items = list(fetch_links([Link(server.url("/old"), "t"), Link(server.url("/loop"), "t")], opts()))
    art, loop = items
    assert art.extraction["fetched_url"] == server.url("/old")
    assert art.extraction["final_url"] == server.url("/news/iran")
    assert isinstance(loop, Rejected) and loop.reason.startswith("redirect loop")


def test_robots_txt_is_honoured(server):
    server.routes["/private/story"] = Route(PAGE)
    (rej,) = list(fetch_links([Link(server.url("/private/story"), "t")], opts()))
    assert isinstance(rej, Rejected) and rej.origin == server.url("/private/story")
    assert rej.reason == f"robots.txt of 127.0.0.1:{server.port} disallows /private/story"
    assert not server.hits_of("/private/story")
    (art,) = list(fetch_links([Link(server.url("/private/story"), "t")], opts(fetch=fast(robots=False))))
    assert isinstance(art, Article)


def test_robots_txt_4xx_allows_and_5xx_disallows():
    with Server() as s:
        s.routes["/a"] = Route(PAGE)
        (art,) = list(fetch_links([Link(s.url("/a"), "t")], opts()))      # no robots.txt: 404
        assert isinstance(art, Article)
    with Server() as s:
        s.routes["/robots.txt"] = Route(b"oops", status=500, content_type="text/plain")
        s.routes["/a"] = Route(PAGE)
        (rej,) = list(fetch_links([Link(s.url("/a"), "t")], opts()))
        assert isinstance(rej, Rejected) and "robots.txt of" in rej.reason and "cannot be fetched" in rej.reason
        assert not s.hits_of("/a")


def test_server_errors_are_retried_with_backoff_then_succeed(server):
    server.routes["/flaky"] = Route(PAGE, fail_times=2, fail_status=503)
    t0 = time.monotonic()
    (art,) = list(fetch_links([Link(server.url("/flaky"), "t")], opts()))
    assert isinstance(art, Article) and server.routes["/flaky"].hits == 3
    assert time.monotonic() - t0 >= 0.05 + 0.1          # backoff 0.05 s, then 0.1 s


@pytest.mark.parametrize(("route", "reason"), [
    (Route(b"x", status=404), "HTTP 404"),
    (Route(b"x", fail_times=99, fail_status=500), "HTTP 500 (3 attempts)"),
    (Route(PAGE, delay=2.5), "no answer within 1 s (3 attempts)"),
    (Route(b"%PDF-1.4 " + b"x" * 5000, content_type="application/pdf"), "not an HTML page: application/pdf"),
    (Route(b"x", headers={"Content-Length": str(60 * 2**20)}), "page is 60.0 MB, over the 10 MB limit for one article"),
    (Route(PAGE, trickle=0.25), "the page did not arrive within 2 s (3 attempts)"),
])
def test_failures_are_rejections_with_the_reason(server, route, reason):
    server.routes["/bad"] = route
    retries = 2 if route.delay or route.trickle or route.fail_times else 0
    (rej,) = list(fetch_links([Link(server.url("/bad"), "t")],
                              opts(fetch=fast(retries=retries, timeout=1.0, total_timeout=2.0))))
    assert isinstance(rej, Rejected) and rej.origin == server.url("/bad") and rej.reason == reason


def test_a_pdf_is_refused_before_its_body_is_downloaded(server):
    body = b"%PDF" + b"x" * (5 * 2**20)
    server.routes["/doc"] = Route(body, content_type="application/pdf")
    with Fetcher(fast()) as f:
        from communique.fetch.http import FetchError
        from communique.fetch.pages import accepts_html

        t0 = time.monotonic()
        with pytest.raises(FetchError, match="not an HTML page"):
            f.get(server.url("/doc"), accept=accepts_html)
        assert time.monotonic() - t0 < 2


def test_connection_refused_is_a_rejection():
    (rej,) = list(fetch_links([Link("http://127.0.0.1:9/x", "t")], opts(fetch=fast(retries=1))))
    assert isinstance(rej, Rejected) and rej.reason.startswith("connection failed")


def test_per_host_rate_limit(server):
    links = [Link(server.url(f"/p{i}"), "t") for i in range(4)]
    for i in range(4):
        server.routes[f"/p{i}"] = Route(PAGE)
    list(fetch_links(links, opts(fetch=fast(delay=0.3, workers=4))))
    times = sorted(h.at for h in server.hits if h.path in {"/p0", "/p1", "/p2", "/p3"})
    # four threads, yet one request per 0.3 s to the host (0.9 s from first to last; margin for a busy machine)
    assert len(times) == 4 and times[-1] - times[0] >= 0.75


def test_rate_limit_schedule_is_per_host():
    slept: list[float] = []
    f = Fetcher(fast(delay=1.0), sleep=slept.append)
    for url in ("http://a.example/1", "http://a.example/2", "http://b.example/1", "http://a.example/3"):
        f._wait_turn(url)
    f.close()
    assert len(slept) == 2 and 0.9 < slept[0] <= 1.0 and 1.9 < slept[1] <= 2.0   # b.example did not wait


def test_crawl_delay_of_robots_txt_slows_down(server):
    server.routes["/robots.txt"] = Route(b"User-agent: other\nCrawl-delay: 9\n\nUser-agent: communique\n"
                                         b"Crawl-delay: 0.4\nDisallow: /x\n", content_type="text/plain")
    for i in range(3):
        server.routes[f"/c{i}"] = Route(PAGE)
    list(fetch_links([Link(server.url(f"/c{i}"), "t") for i in range(3)], opts()))
    times = sorted(h.at for h in server.hits if h.path.startswith("/c"))
    assert times[-1] - times[0] >= 0.65        # 2 x 0.4 s, whatever the --delay (0 here)


def test_url_lists(tmp_path, server):
    lst = tmp_path / "urls.txt"
    lst.write_text(f"# my outlets\n{server.url('/news/hk')}\n\n{server.url('/news/iran')}  trailing note\n"
                   f"{server.url('/news/hk')}\nnot a url\n{server.url('/missing')}\n", encoding="utf-8")
    o = opts()
    items = list(read_inputs([lst], options=o))
    kinds = [(type(i).__name__, i.origin) for i in items]
    assert kinds == [("Rejected", f"{lst}:6"), ("Article", server.url("/news/hk")),
                     ("Article", server.url("/news/iran")), ("Rejected", server.url("/missing"))]
    assert o.stats["url-repeated"] == 1 and len(server.hits_of("/news/hk")) == 1
    assert any(isinstance(i, Rejected) and i.reason == "not an http(s) URL: 'not'" for i in items)
    assert any(isinstance(i, Rejected) and i.reason == "HTTP 404" for i in items)


def test_url_list_detection():
    assert is_url_list(b"# c\nhttps://a.example/1\n\nhttp://b.example/x?y=1\n")
    assert not is_url_list(b"https://a.example/1\nThe article starts here.\n")
    assert is_url_list(b"https://a.example/1\nhttps://a.example/2\nhttps://a.example/3\nhttps://a.example/4\ntypo\n")
    assert not is_url_list(b"")
    links = list(parse_url_list(b"https://a.example/1 note\nftp://x\n", "l.txt"))
    assert links[0].url == "https://a.example/1" and isinstance(links[1], Rejected) and links[1].origin == "l.txt:2"


def test_stored_urls_are_not_fetched_again_unless_asked(server):
    o = opts(known_url=lambda u: u.endswith("/news/hk"))
    items = list(fetch_links([Link(server.url("/news/hk"), "t"), Link(server.url("/news/iran"), "t")], o))
    assert len(items) == 1 and not server.hits_of("/news/hk") and o.stats["url-already-stored"] == 1
    o2 = opts(known_url=lambda u: True, refetch=True)
    assert len(list(fetch_links([Link(server.url("/news/hk"), "t")], o2))) == 1


def test_non_english_pages_from_urls_are_skipped_with_the_reason(server):
    server.routes["/fr"] = Route(FRENCH)
    o = opts()
    (rej,) = list(fetch_links([Link(server.url("/fr"), "t")], o))
    assert rej.reason.startswith("language fr, not en") and o.stats["language:fr"] == 1


# -- feeds ---------------------------------------------------------------------------------------
def _feeds(server) -> None:
    server.routes["/feed.xml"] = Route(rss([("Hong Kong", server.url("/news/hk"), "Wed, 02 Oct 2019 10:00:00 GMT"),
                                            ("Iran", server.url("/news/iran"), "Mon, 13 Jan 2020 08:00:00 GMT")]),
                                       content_type="application/rss+xml", etag='"v1"')
    server.routes["/atom.xml"] = Route(
        (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
         f'<entry><title>Iran</title><link href="{server.url("/news/iran")}"/><updated>2020-01-13T08:00:00Z</updated>'
         '</entry></feed>').encode(), content_type="application/atom+xml")
    server.routes["/broken.xml"] = Route(b"<rss><channel><item><title>x</oops>", content_type="application/rss+xml")
    server.routes["/notfeed"] = Route(b"<html><body>hello</body></html>")
    server.routes["/slowfeed.xml"] = Route(b"<rss/>", delay=2.5, content_type="application/rss+xml")
    server.routes["/feed500.xml"] = Route(b"", fail_times=99, fail_status=500)


def test_feed_parsing():
    data = rss([("T", "https://a.example/1", "Tue, 01 Oct 2024 23:30:00 -0200")])
    links, title = parse_feed(data, "https://a.example/feed")
    assert title == "Test feed" and links[0].url == "https://a.example/1"
    assert links[0].date == "2024-10-02" and links[0].title == "T" and links[0].via == "feed"   # in UTC
    rej = parse_feed(b"<rss><channel><item><title>x</oops>", "u")
    assert isinstance(rej, Rejected)
    assert rej.reason == "malformed feed (SAXParseException: mismatched tag); none of its 1 entries links to a page"
    assert parse_feed(b"<html><body>no feed</body></html>", "u").reason == "not a feed: no RSS or Atom content"
    relative = parse_feed(rss([("R", "/story/1", "")]).replace(b"<link>http://127.0.0.1/</link>", b""),
                          "https://news.example/feed.xml")
    assert relative[0][0].url == "https://news.example/story/1"


def test_feed_lists_fetch_every_entry_and_report_bad_feeds(tmp_path, server):
    _feeds(server)
    lst = tmp_path / "feeds.txt"
    lst.write_text("\n".join(server.url(p) for p in ("/feed.xml", "/atom.xml", "/broken.xml", "/notfeed",
                                                     "/nofeed.xml", "/slowfeed.xml", "/feed500.xml")),
                   encoding="utf-8")
    o = opts(fetch=fast(retries=0, timeout=1.0), feeds=(str(lst),))
    items = list(read_inputs([], options=o))
    arts = [i for i in items if isinstance(i, Article)]
    rej = {i.origin.rsplit("/", 1)[1]: i.reason for i in items if isinstance(i, Rejected)}
    assert sorted(a.title for a in arts) == ["Iran admits downing Ukrainian jet, cites 'human error'",
                                             "Police shoot teenage protester as Hong Kong demonstrations continue"]
    assert len(server.hits_of("/news/iran")) == 1                # in two feeds, fetched once
    assert all(a.extraction["input"] == "feed" for a in arts)
    assert rej["broken.xml"].startswith("malformed feed")
    assert rej["notfeed"] == "not a feed: no RSS or Atom content"
    assert rej["nofeed.xml"] == "feed unavailable: HTTP 404"
    assert rej["slowfeed.xml"] == "feed unavailable: no answer within 1 s (1 attempt)"
    assert rej["feed500.xml"] == "feed unavailable: HTTP 500 (1 attempt)"


def test_conditional_polling(server):
    _feeds(server)
    with Fetcher(fast()) as f:
        first = poll_feed(f, server.url("/feed.xml"))
        assert len(first.links) == 2 and first.etag == '"v1"'
        again = poll_feed(f, server.url("/feed.xml"), first.etag, first.modified)
        assert again.not_modified and not again.links
    assert server.hits_of("/feed.xml")[-1].headers.get("If-None-Match") == '"v1"'


def test_read_url_list_function(tmp_path, server):
    p = tmp_path / "u.txt"
    p.write_text(server.url("/news/iran") + "\n", encoding="utf-8")
    (art,) = list(read_url_list(p, options=opts()))
    assert art.title.startswith("Iran admits")
    (rej,) = list(read_feed_list(tmp_path / "missing.txt", opts()))
    assert rej.reason.startswith("cannot read the feed list")
