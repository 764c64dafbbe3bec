"""``python -m tests.reliability.run_ingest INPUT STORE ENGINE [SHARD_SIZE]``: an ingest with the fast
stand-in pipeline, in its own process, for the kill tests (run from the repository root)."""

from __future__ import annotations

import json
import sys

from communique.engines import ingest

from .fakes import FACTORY

if __name__ == "__main__":
    src, store, engine = sys.argv[1:4]
    size = int(sys.argv[4]) if len(sys.argv) > 4 else None
    rep = ingest([src], store, engine=engine, workers=2, shard_size=size, factory=FACTORY)
    print(json.dumps({"articles": rep.articles, "skipped": rep.skipped, "errors": rep.errors,
                      "shards": rep.shards, "engine": rep.engine}))
