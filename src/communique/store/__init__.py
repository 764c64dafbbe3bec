"""The canonical store: coded articles as Hive-partitioned Parquet, queried with embedded DuckDB.

    >>> from communique import open_store
    >>> store = open_store("communique-data")
    >>> store.dyad("CHN", "BLR", freq="month")            # pandas DataFrame
    >>> store.sql("SELECT cameo, count(*) FROM events GROUP BY 1")

This package works on ``communique/1`` records only and never imports spaCy:
coding happens in ``communique.engines``, which hands records here.
Layout and concurrency rules: ``catalog.py``; columns: ``schema.py``;
de-duplication: ``dedup.py``; queries: ``queries.py``.
"""

from __future__ import annotations

from .core import DEFAULT_STORE, Store, open_store
from .queries import FREQS, EventFilter

__all__ = ["DEFAULT_STORE", "EventFilter", "FREQS", "Store", "open_store"]
