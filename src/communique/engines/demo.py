"""The store part of ``make demo``: ingest the samples, summarise a dyad, draw the plots.

``demo_store`` returns values only (``cli/_store_demo.py`` prints them), so the
demo, the tests and notebooks can share it.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..exports import export
from ..plots import actor_network, code_distribution, dyad_timeline
from ..store import open_store
from .ingest import ingest


def demo_store(paths: list[str | os.PathLike[str]], out_dir: str | os.PathLike[str], dyad: tuple[str, str] = ("CHN", "BLR"),
               engine: str = "auto", freq: str = "month", on_progress=None) -> dict:
    """Ingest ``paths`` into ``out_dir/store`` (idempotent), then write plots and a GDELT export.

    Returns ``{"report", "stats", "dyad" (DataFrame), "top_dyads" (DataFrame), "files" (paths)}``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    root = out / "store"
    report = ingest([str(p) for p in paths], root, engine=engine, on_progress=on_progress)
    s = open_store(root)
    a, b = dyad
    df = s.dyad(a, b, freq)
    top = s.sql("""SELECT source_country AS source, target_country AS target, count(*) AS events,
                          round(avg(goldstein), 2) AS mean_goldstein, CAST(sum(num_articles) AS BIGINT) AS reports
                   FROM events WHERE source_country IS NOT NULL AND target_country IS NOT NULL
                        AND source_country <> target_country
                   GROUP BY ALL ORDER BY events DESC, source, target LIMIT 8""")
    files = {
        "dyad": dyad_timeline(df, a, b, out / f"dyad-{a}-{b}.png", freq=freq),
        "network": actor_network(s, out / "network.png", top=12),
        "codes": code_distribution(s, out / "event-codes.png"),
        "gdelt": out / "events.gdelt.tsv",
    }
    export(s, "gdelt", files["gdelt"])
    stats = s.stats()
    s.close()
    return {"report": report, "stats": stats, "dyad": df, "top_dyads": top, "files": files}
