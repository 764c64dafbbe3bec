"""The ``communique`` command line: noun-verb commands built with typer.

Only this package prints. Each command module registers itself on ``app``.
"""

from __future__ import annotations

from ._app import app
from . import code as _code  # noqa: F401,E402  (registers commands)
from . import demo as _demo  # noqa: F401,E402
from . import evaluate as _evaluate  # noqa: F401,E402


def main() -> None:
    app()


__all__ = ["app", "main"]
