"""The FastAPI application: API and pages over one store, with the server's safety rules.

- read-only: the store is opened through ``ReadOnlyStore`` (a read-only DuckDB catalog);
- limits: page size (``max_page``), request body (``max_body`` bytes, 413), query time
  (``query_timeout`` s, 408), all answered with a JSON (or HTML) message that says what to do;
- a strict Content-Security-Policy: scripts only from this server, no inline script, no eval
  (Vega runs with its CSP-safe expression interpreter);
- Host header checked against the names of the bound address (no DNS rebinding);
- ``POST`` endpoints (coding pasted text, only with ``allow_code``) require the token when one is set,
  compared in constant time.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .._version import __version__
from ..errors import StoreError
from .db import QueryTimeout, ReadOnlyStore

log = logging.getLogger("communique.web")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


@dataclass
class WebSettings:
    """How ``communique serve`` runs (the CLI options of the same names)."""

    store: Path
    host: str = "127.0.0.1"
    port: int = 8000
    allow_code: bool = False
    token: str | None = None
    max_page: int = 1000
    max_body: int = 1_000_000
    query_timeout: float = 10.0
    export_timeout: float = 600.0
    allowed_hosts: list[str] | None = None
    extra: dict = field(default_factory=dict)

    def hosts(self) -> list[str]:
        """Host names a request may use: the loopback names for a loopback bind, anything otherwise."""
        if self.allowed_hosts is not None:
            return self.allowed_hosts
        try:
            loopback = ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            loopback = self.host == "localhost"
        if loopback:
            return ["127.0.0.1", "localhost", "::1", "[::1]"]
        return ["*"]


class _Guard:
    """ASGI middleware: security headers on every answer, and the request body size limit."""

    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(SECURITY_HEADERS)]
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            return await _too_large(self.max_body, send_with_headers)
        received = 0
        started = False

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:   # a chunked body without Content-Length
                    raise _BodyTooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _too_large(self.max_body, send_with_headers)


class _BodyTooLarge(Exception):
    pass


async def _too_large(limit: int, send) -> None:
    body = JSONResponse({"error": "request body too large",
                         "message": f"the body is larger than this server's limit of {limit} bytes",
                         "fix": "send less text, or start the server with a larger --max-body"}, status_code=413)
    await body({"type": "http"}, None, send)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def check_token(request: Request, given: str | None) -> bool:
    """True when no token is configured or ``given`` matches it (constant-time comparison)."""
    token = request.app.state.settings.token
    if not token:
        return True
    if not given:
        return False
    return hmac.compare_digest(given.encode(), token.encode())


def bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None


def create_app(settings: WebSettings, db: ReadOnlyStore | None = None) -> FastAPI:
    """The web application over ``settings.store`` (opened read-only unless ``db`` is given)."""
    from . import api, pages

    app = FastAPI(title="communique", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/openapi.json",
                  description="Political event data from news: events, dyads, places, quotes, actors, stories. "
                              "Read-only. Pages at /, this API under /api/v1. See docs/web.md.")
    app.state.settings = settings
    app.state.db = db or ReadOnlyStore(settings.store, query_timeout=settings.query_timeout)
    here = Path(str(resources.files("communique").joinpath("web")))
    app.state.templates = Jinja2Templates(directory=str(here / "templates"))
    app.state.templates.env.globals.update(version=__version__, allow_code=settings.allow_code,
                                           store_name=app.state.db.root.name)
    app.mount("/static", StaticFiles(directory=str(here / "static")), name="static")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        from .filters import accepted as accepted_for

        errors = []
        for e in exc.errors():
            loc = [str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body")]
            name = loc[-1] if loc else "query"
            named = re.match(r"(?:Value error, )?(\w+): (.*)", e.get("msg", ""))
            if not loc and named:   # a check across parameters names the one to change
                name, e["msg"] = named.group(1), named.group(2)
            accepted = _accepted_from_schema(app, request, name, e.get("type", ""))
            if accepted is None and (e.get("ctx") or {}).get("expected"):
                accepted = re.findall(r"'([^']*)'", e["ctx"]["expected"]) or e["ctx"]["expected"]
            if e.get("type") == "extra_forbidden":
                e["msg"] = "unknown parameter"
            errors.append({"parameter": name, "message": e.get("msg", "invalid"),
                           "accepted": accepted or accepted_for(name),
                           "given": e.get("input") if isinstance(e.get("input"), (str, int, float)) else None})
        first = errors[0] if errors else {"parameter": "query", "message": "invalid"}
        return _error(request, 422, "invalid parameter", f"{first['parameter']}: {first['message']}",
                      first.get("accepted"), errors=errors, parameter=first["parameter"])

    @app.exception_handler(api.BadParam)
    async def _bad_param(request: Request, exc: api.BadParam):
        return _error(request, 422, "invalid parameter", f"{exc.parameter}: {exc.message}", exc.accepted,
                      parameter=exc.parameter,
                      errors=[{"parameter": exc.parameter, "message": exc.message, "accepted": exc.accepted}])

    @app.exception_handler(QueryTimeout)
    async def _timeout(request: Request, exc: QueryTimeout):
        return _error(request, 408, "query took too long",
                      f"{exc} (this server's --query-timeout) and was stopped",
                      "narrow the filters (dates, country, code), or start the server with a larger "
                      "--query-timeout")

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError):
        # the detail (SQL, paths) goes to the server log, not to the client
        log.error("store error on %s: %s", request.url.path, exc.message)
        return _error(request, 500, "store error", "the query failed on the server; its log says why", None)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return _error(request, exc.status_code, "not found" if exc.status_code == 404 else "error",
                      str(exc.detail), None)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request):
        return app.state.templates.TemplateResponse(request, "docs.html", {"title": "API"})

    app.include_router(api.router)
    if settings.allow_code:
        from . import coding

        app.include_router(coding.router)
    app.include_router(pages.router)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.hosts())
    app.add_middleware(_Guard, max_body=settings.max_body)
    return app


def _accepted_from_schema(app: FastAPI, request: Request, name: str, kind: str):
    """From the OpenAPI description of the route: an unknown parameter gets the list of known ones,
    an enum parameter its allowed values."""
    route = request.scope.get("route")
    try:
        op = app.openapi()["paths"][route.path]["get"]
    except (AttributeError, KeyError):
        return None
    params = op.get("parameters", [])
    if kind == "extra_forbidden":
        return sorted(p["name"] for p in params)
    for p in params:
        if p["name"] == name:
            sch = p.get("schema", {})
            enum = sch.get("enum") or next((x["enum"] for x in sch.get("anyOf", []) if "enum" in x), None)
            if enum:
                return enum
    return None


def _error(request: Request, status: int, error: str, message: str, accepted, **extra):
    body = {"error": error, "message": message, "accepted": accepted, **extra}
    if _wants_html(request):
        return request.app.state.templates.TemplateResponse(
            request, "error.html", {"title": error, "status": status, "error": body}, status_code=status)
    return JSONResponse(body, status_code=status)


def html_page(request: Request, template: str, **context) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context)
