"""``communique serve``: a web dashboard and an HTTP API over a store, read-only and offline.

    >>> from communique.web import WebSettings, create_app
    >>> app = create_app(WebSettings(store="out/store"))      # an ASGI app (FastAPI)

Modules: ``db`` (read-only DuckDB catalog, query time limit), ``filters`` (request parameters
and the SQL conditions they become, bound parameters only), ``service`` (the queries behind
every endpoint and page), ``api`` (``/api/v1``), ``pages`` (server-rendered HTML),
``exporting`` (streamed exports), ``coding`` (``--allow-code``), ``highlight`` (marked text).
Static files: ``static/`` (our CSS and JS, and ``vendor/``: Vega, Vega-Lite, Leaflet,
world-atlas, Swagger UI from npm with their licences, see NOTICE and scripts/web/vendor.sh).
"""

from __future__ import annotations

from .app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
