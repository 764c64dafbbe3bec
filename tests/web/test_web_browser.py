"""The pages in a real headless Chromium: every page opens without script or CSP errors, charts and
the map draw, a filter applies through the URL, a dyad chart bar leads to the events of that
period and on to an event page with its evidence highlighted, and article HTML stays text.

Screenshots are saved under test-artifacts/screenshots/ (the path is printed).
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def wait(driver, cond, timeout: float = 15.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            v = cond()
            if v:
                return v
        except Exception:  # noqa: BLE001 - the page is still loading
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} on {driver.current_url}")


def errors_in_console(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def shot(driver, name: str) -> None:
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def open_page(driver, url: str, name: str, charts: int = 0, status: int = 200) -> None:
    driver.get(url)
    wait(driver, lambda: driver.execute_script("return document.readyState") == "complete", what="load")
    if charts:
        wait(driver, lambda: len(driver.find_elements("css selector", "[data-chart][data-ready='1'] svg")) >= charts,
             what=f"{charts} chart(s) drawn")
    shot(driver, name)
    errs = [e for e in errors_in_console(driver) if f"status of {status}" not in e]
    assert not errs, f"{url}: console errors {errs}"


def event_id(client, **params) -> str:
    return client.get("/api/v1/events", params={"limit": 1, **params}).json()["items"][0]["event_id"]


def test_every_page_opens_without_errors(browser, live_server, client):
    base = live_server.url
    evil_key = client.get("/api/v1/articles", params={"q": "surrender"}).json()["items"][0]["article_key"]
    pages = [
        ("/", "overview", 1), ("/events", "events", 0), ("/events/" + event_id(client, place="Tianjin"), "event", 0),
        ("/dyad?a=CHN&b=BLR", "dyad", 1), ("/dyad", "dyad-empty", 0), ("/actors", "actors", 0),
        ("/actors/BLRGOV?name=Alexander+Lukashenko", "actor", 1), ("/quotes?speaker=Putin", "quotes", 0),
        ("/articles?q=Kyiv", "articles", 0), ("/articles/" + evil_key, "article-with-html", 0),
        ("/stories", "stories", 0),
    ]
    for path, name, charts in pages:
        open_page(browser, base + path, name, charts)
    # a table without a server CSV gets one built in the browser
    open_page(browser, base + "/actors/BLRGOV?name=Alexander+Lukashenko", "actor")
    link = browser.find_element("xpath", "//table[@id='partners']/preceding-sibling::a[@class='csv'][1]")
    link.click()
    assert link.get_attribute("href").startswith("blob:") and link.get_attribute("download") == "partners.csv"
    open_page(browser, base + "/events?since=not-a-date", "error-422", status=422)
    assert "since" in browser.find_element("css selector", ".error-message").text
    assert "YYYY-MM-DD" in browser.find_element("css selector", "main").text
    # the API reference works offline: Swagger UI from this server lists the endpoints
    open_page(browser, base + "/docs", "docs")
    wait(browser, lambda: browser.find_elements("css selector", ".opblock-summary-path"), what="swagger ui")
    paths = {e.text for e in browser.find_elements("css selector", ".opblock-summary-path")}
    assert {"/api/v1/events", "/api/v1/places.geojson", "/api/v1/sync"} <= {p.replace("\u200b", "") for p in paths}
    shot(browser, "docs")


def test_map_draws_places_and_keeps_the_slider_in_the_url(browser, live_server):
    open_page(browser, live_server.url + "/map?color=quad", "map")
    m = browser.find_element("id", "map")
    wait(browser, lambda: m.get_attribute("data-ready") == "1", what="map points")
    n_all = int(m.get_attribute("data-points"))
    assert n_all >= 5   # Tianjin, Minsk, Kharkiv, Kyiv, Moscow, Paris, Beijing ...
    assert browser.find_elements("css selector", "path.leaflet-interactive.place-marker")
    # country shapes drawn from the vendored TopoJSON (no tiles requested)
    assert len(browser.find_elements("css selector", ".leaflet-overlay-pane path")) > 100
    assert not browser.find_elements("css selector", "img.leaflet-tile")
    slider = browser.find_element("id", "month-slider")
    browser.execute_script("arguments[0].value = 0; arguments[0].dispatchEvent(new Event('input'))", slider)
    wait(browser, lambda: "month=2025-03" in browser.current_url, what="month in the URL")
    wait(browser, lambda: m.get_attribute("data-ready") == "1", what="map points for one month")
    assert int(m.get_attribute("data-points")) < n_all
    shot(browser, "map-one-month")
    assert not errors_in_console(browser)


def test_a_filter_applies_through_the_url(browser, live_server):
    open_page(browser, live_server.url + "/events", "events-before-filter")
    before = len(browser.find_elements("css selector", "table.events tbody tr"))
    box = browser.find_element("css selector", "form.filters input[name=country]")
    box.send_keys("BLR")
    browser.find_element("css selector", "form.filters button[type=submit]").click()
    wait(browser, lambda: "country=BLR" in browser.current_url, what="filter in the URL")
    rows = browser.find_elements("css selector", "table.events tbody tr")
    assert 0 < len(rows) < before
    for r in rows:
        assert "BLR" in r.text or "Lukashenko" in r.text
    shot(browser, "events-filtered")
    # the page's CSV link carries the same filter
    href = browser.find_element("css selector", "a.csv").get_attribute("href")
    assert parse_qs(urlparse(href).query)["country"] == ["BLR"]


def test_dyad_chart_leads_to_an_event_with_highlighted_evidence(browser, live_server):
    open_page(browser, live_server.url + "/dyad?a=RUS&b=UKR", "dyad-rus-ukr", charts=1)
    bars = browser.find_elements("css selector", "#dyad-chart svg .mark-rect path")
    assert bars, "the dyad chart has no bars"
    browser.execute_script(
        "var e = arguments[0], r = e.getBoundingClientRect();"
        "['mousemove','click'].forEach(function(t){ e.dispatchEvent(new MouseEvent(t, {bubbles: true,"
        " clientX: r.left + r.width / 2, clientY: r.top + r.height / 2})); });", bars[0])
    wait(browser, lambda: urlparse(browser.current_url).path == "/events", what="the events of the bar")
    q = parse_qs(urlparse(browser.current_url).query)
    assert q["a"] == ["RUS"] and q["b"] == ["UKR"] and "since" in q and "quad" in q
    shot(browser, "dyad-bar-events")
    # changing a filter on that page keeps the dyad (it rides in hidden fields)
    browser.find_element("css selector", "form.filters input[name=text]").send_keys("Ukraine")
    browser.find_element("css selector", "form.filters button[type=submit]").click()
    wait(browser, lambda: "text=Ukraine" in browser.current_url, what="the new filter")
    q = parse_qs(urlparse(browser.current_url).query)
    assert q["a"] == ["RUS"] and q["b"] == ["UKR"] and q["text"] == ["Ukraine"]
    links = browser.find_elements("css selector", "table.events a.event-link")
    assert links, "no events behind the bar"
    links[0].click()
    wait(browser, lambda: urlparse(browser.current_url).path.startswith("/events/ev-"), what="event page")
    sentence = browser.find_element("css selector", "blockquote.evidence-sentence")
    roles = {m.get_attribute("class").split()[-1] for m in sentence.find_elements("css selector", "mark.hl")}
    assert {"hl-source", "hl-trigger", "hl-target"} <= roles
    trigger = sentence.find_element("css selector", "mark.hl-trigger")
    assert trigger.text in sentence.text and trigger.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    shot(browser, "event-highlighted")
    assert not errors_in_console(browser)


def test_article_html_is_shown_as_text_and_never_runs(browser, live_server, client):
    key = client.get("/api/v1/articles", params={"q": "surrender"}).json()["items"][0]["article_key"]
    browser.get(live_server.url + "/articles/" + key)
    body = browser.find_element("css selector", ".article-text").text
    assert '<script>alert("pwned")</script>' in body and "<b>We will not</b>" in body
    assert browser.find_element("css selector", "h1").text.startswith("<img src=x")
    assert not browser.find_elements("css selector", "main script, main img, main b")
    # the javascript: URL of the article is not a link
    assert not browser.find_elements("css selector", "a[href^='javascript']")
    shot(browser, "article-html-as-text")


@pytest.mark.slow
def test_code_an_article_page_codes_pasted_text(browser, web_store, pipeline):
    from conftest import LiveServer

    from communique.web import WebSettings, create_app

    with LiveServer(create_app(WebSettings(store=web_store[0], allow_code=True))) as srv:
        open_page(browser, srv.url + "/code", "code-empty")
        browser.find_element("css selector", "textarea[name=text]").send_keys(
            "President of Belarus Alexander Lukashenko met Xi Jinping in Tianjin on Friday.")
        browser.find_element("css selector", "input[name=date]").send_keys("08/29/2025")
        browser.find_element("css selector", "form.code-form button").click()
        coded = wait(browser, lambda: browser.find_element("css selector", ".article-text.coded"), what="coded text")
        roles = {m.get_attribute("class").split()[-1] for m in coded.find_elements("css selector", "mark.hl")}
        assert {"hl-source", "hl-trigger", "hl-target", "hl-place", "hl-time"} <= roles
        assert "042" in browser.find_element("id", "coded-events").text or "04" in browser.find_element(
            "id", "coded-events").text
        shot(browser, "code-result")
        assert not errors_in_console(browser)


def test_never_runs_without_the_browser(browser):
    """Only here so that test_web_browser_required.py can see the fixture skip or fail on its own."""
    assert browser.name == "chrome"
