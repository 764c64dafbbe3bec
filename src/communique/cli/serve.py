"""`communique serve`: the web dashboard and HTTP API over a store (read-only)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import typer

from ..errors import CommuniqueError
from ._app import app, err, fail, warn
from ._frames import STORE_OPT


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@app.command("serve")
def serve_cmd(
    store: Path = STORE_OPT,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Default: this machine only."),
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, help="Port (0: any free port)."),
    allow_code: bool = typer.Option(False, "--allow-code",
                                    help="Enable the 'code an article' page and POST /api/v1/code (loads spaCy "
                                         "on first use)."),
    token: str | None = typer.Option(None, "--token", envvar="COMMUNIQUE_TOKEN",
                                     help="Secret that POST requests must send (Authorization: Bearer TOKEN). "
                                          "Also read from $COMMUNIQUE_TOKEN."),
    max_page: int = typer.Option(1000, "--max-page", min=1, help="Largest page (limit) a request may ask for."),
    max_body: int = typer.Option(1_000_000, "--max-body", min=1024, help="Largest request body in bytes."),
    query_timeout: float = typer.Option(10.0, "--query-timeout", min=0.1,
                                        help="Seconds a query may run before it is stopped (HTTP 408)."),
    workers_threads: int = typer.Option(2, "--threads", min=1, help="DuckDB threads per query."),
    max_concurrent: int = typer.Option(4, "--max-concurrent", min=1,
                                       help="Queries run at once; more wait for a slot (their time limit starts "
                                            "when they run)."),
    cache_size: int = typer.Option(256, "--cache-size", min=0,
                                   help="Answers of aggregate queries kept for identical requests until the store "
                                        "changes (0: none)."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level: warning, info, debug."),
) -> None:
    """Explore a store in the browser and through an HTTP API (read-only; the store is never written).

    Pages: overview, events, map, dyads, actors, quotes, articles, stories; API under /api/v1
    with its reference at /docs. Works offline: every script and map shape is served by this process.

    Examples:

      communique serve --store out/store

      communique serve --store data --port 8080 --allow-code --token "$(openssl rand -hex 16)"
    """
    import uvicorn

    from ..web import WebSettings, create_app
    from ..web.db import ReadOnlyStore

    if not _is_loopback(host):
        warn(f"listening on {host}: anyone who can reach this address can read the store"
             + ("" if token or not allow_code else " and run the coder (set --token)"))
    settings = WebSettings(store=store, host=host, port=port, allow_code=allow_code, token=token,
                           max_page=max_page, max_body=max_body, query_timeout=query_timeout)
    try:
        db = ReadOnlyStore(store, query_timeout=query_timeout, threads=workers_threads, cache_size=cache_size,
                           max_concurrent=max_concurrent)
    except CommuniqueError as e:
        fail(e)
        return
    application = create_app(settings, db)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"communique: serving {store} read-only at http://{shown}:{port}/  (API reference: /docs; "
              "Ctrl-C stops)", highlight=False)
    try:
        uvicorn.run(application, host=host, port=port, log_level=log_level, server_header=False,
                    limit_concurrency=256, timeout_keep_alive=5)
    finally:
        db.close()
