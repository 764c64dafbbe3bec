"""The ``communique`` command line: noun-verb commands built with typer.

Only this package prints. Each command module registers itself on ``app``.
"""

from __future__ import annotations

from . import actors as _actors  # noqa: F401,E402  (registers commands)
from . import code as _code  # noqa: F401,E402
from . import demo as _demo  # noqa: F401,E402
from . import eval_dedup as _eval_dedup  # noqa: F401,E402
from . import evaluate as _evaluate  # noqa: F401,E402
from . import export as _export  # noqa: F401,E402
from . import ingest as _ingest  # noqa: F401,E402
from . import plot as _plot  # noqa: F401,E402
from . import query as _query  # noqa: F401,E402
from . import quotes as _quotes  # noqa: F401,E402
from . import stats as _stats  # noqa: F401,E402
from . import store as _store  # noqa: F401,E402
from ._app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
