"""What the store knows about web inputs: stored URLs and WARC records (so that ingest skips them before
fetching or extracting anything), and the outlets (source domains and countries) of its articles.

Stores written before issue 13 have no ``source_domain``/``extraction`` columns; every function here
works on them too (outlets are then derived from the URLs).
"""

from __future__ import annotations

from ..readers.options import ReadOptions


def article_columns(store) -> set[str]:
    return {r[0] for r in store.con.execute("DESCRIBE articles").fetchall()}


def stored_urls(store) -> set[str]:
    """Every URL an article in the store was fetched from, redirected to, or names as its own."""
    cols = article_columns(store)
    parts = ["SELECT url AS u FROM articles"]
    if "extraction" in cols:
        parts += ["SELECT json_extract_string(extraction, '$.fetched_url') FROM articles WHERE extraction IS NOT NULL",
                  "SELECT json_extract_string(extraction, '$.final_url') FROM articles WHERE extraction IS NOT NULL"]
    rows = store.con.execute(" UNION ".join(parts)).fetchall()
    return {r[0] for r in rows if r[0]}


def stored_origins(store, prefix: str) -> set[str]:
    """Origins under ``prefix`` (``file.warc.gz@``) already in the store, as articles or as inputs the
    readers rejected. Articles the pipeline failed on are not among them: ``--retry-errors`` re-reads them."""
    rows = store.con.execute(
        "SELECT origin FROM articles WHERE starts_with(origin, ?) "
        "UNION SELECT origin FROM _raw_errors WHERE stage = 'read' AND starts_with(origin, ?)",
        [prefix, prefix]).fetchall()
    return {r[0] for r in rows}


def remember_store(options: ReadOptions, store) -> None:
    """Let the readers skip what ``store`` holds: stored URLs are not fetched, stored WARC records not
    extracted. The URL set is loaded on first use (ingest of plain files never pays for it)."""
    urls: set[str] | None = None

    def known_url(url: str) -> bool:
        nonlocal urls
        if urls is None:
            urls = stored_urls(store)
        return url in urls

    if options.known_url is None:
        options.known_url = known_url
    if options.done_origins is None:
        options.done_origins = lambda prefix: stored_origins(store, prefix)


def outlet_expressions(store) -> tuple[str, str]:
    """SQL for an article's outlet domain and country in ``store`` (derived from the URL in old stores)."""
    if "source_domain" in article_columns(store):
        return "source_domain", "source_country"
    _register_url_functions(store)
    return "communique_domain(url)", "communique_country(url)"


def _register_url_functions(store) -> None:
    if getattr(store, "_url_fns", False):
        return
    import duckdb.sqltypes as T

    from ..sources import country_of, domain_of

    store.con.create_function("communique_domain", domain_of, [T.VARCHAR], T.VARCHAR, null_handling="special")
    store.con.create_function("communique_country", country_of, [T.VARCHAR], T.VARCHAR, null_handling="special")
    store._url_fns = True
