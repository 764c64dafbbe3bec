"""Fixtures of the web tests: fixture stores (built once per session), a test client, a live server
on 127.0.0.1 with an ephemeral port, and a headless Chromium driven by Selenium.

The browser is Debian's ``chromium`` with its ``chromium-driver`` (``.ci/run`` installs them).
Selenium is given the driver's path, so Selenium Manager never tries to download anything.
Without the browser the browser tests are skipped with the reason, except when
``COMMUNIQUE_REQUIRE_BROWSER=1`` (set by ``.ci/run``) or ``CI`` is set: then they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest
from _web_store import build_store

CHROMIUM = os.environ.get("COMMUNIQUE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("COMMUNIQUE_CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = Path(os.environ.get("COMMUNIQUE_TEST_ARTIFACTS",
                                Path(__file__).resolve().parents[2] / "test-artifacts")) / "screenshots"


@pytest.fixture(scope="session")
def web_store(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("web") / "store"
    return root, build_store(root, contract=True)


@pytest.fixture(scope="session")
def plain_store(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("web-plain") / "store"
    build_store(root, contract=False)
    return root


def make_client(root: Path, **settings):
    from fastapi.testclient import TestClient

    from communique.web import WebSettings, create_app

    app = create_app(WebSettings(store=root, allowed_hosts=["testserver"], **settings))
    return TestClient(app)


@pytest.fixture(scope="session")
def client(web_store):
    with make_client(web_store[0]) as c:
        yield c


@pytest.fixture(scope="session")
def plain_client(plain_store):
    with make_client(plain_store) as c:
        yield c


class LiveServer:
    """uvicorn serving the app in a thread, on 127.0.0.1 and a port the OS picks."""

    def __init__(self, app):
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start within 20 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="session")
def live_server(web_store):
    from communique.web import WebSettings, create_app

    app = create_app(WebSettings(store=web_store[0]))
    with LiveServer(app) as srv:
        yield srv


def browser_required() -> bool:
    return bool(os.environ.get("COMMUNIQUE_REQUIRE_BROWSER") or os.environ.get("CI"))


@pytest.fixture(scope="session")
def browser():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        msg = (f"headless browser not installed: {', '.join(missing)} missing; "
               "install it with: apt-get install -y chromium chromium-driver")
        if browser_required():
            pytest.fail(msg + " (browser tests are required here: COMMUNIQUE_REQUIRE_BROWSER or CI is set)")
        pytest.skip(msg)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="communique-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1360,1000", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    print(f"\nbrowser screenshots: {ARTIFACTS}")
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
