"""The ``communique`` command line: noun-verb commands built with typer.

Only this package prints. Each command module registers itself on ``app``.
"""

from __future__ import annotations

from ..errors import CommuniqueError
from . import actors as _actors  # noqa: F401,E402  (registers commands)
from . import code as _code  # noqa: F401,E402
from . import demo as _demo  # noqa: F401,E402
from . import eval_dedup as _eval_dedup  # noqa: F401,E402
from . import evaluate as _evaluate  # noqa: F401,E402
from . import export as _export  # noqa: F401,E402
from . import ingest as _ingest  # noqa: F401,E402
from . import kb as _kb  # noqa: F401,E402
from . import plot as _plot  # noqa: F401,E402
from . import query as _query  # noqa: F401,E402
from . import quotes as _quotes  # noqa: F401,E402
from . import serve as _serve  # noqa: F401,E402
from . import stats as _stats  # noqa: F401,E402
from . import store as _store  # noqa: F401,E402
from . import watch as _watch  # noqa: F401,E402
from ._app import app


def main() -> None:
    """The ``communique`` command. Errors end in a message that says what to do, never a traceback
    (set COMMUNIQUE_DEBUG=1 to see one)."""
    import os

    try:
        app()
    except Exception as e:  # noqa: BLE001 - the last line of defence for the user's terminal
        if os.environ.get("COMMUNIQUE_DEBUG"):
            raise
        from ._app import err

        err.print(f"[bold red]error:[/bold red] {describe_unexpected(e)}", highlight=False, soft_wrap=True)
        raise SystemExit(2 if isinstance(e, (OSError, CommuniqueError)) else 3) from None


def describe_unexpected(e: Exception) -> str:
    """A message for an error no command caught."""
    if isinstance(e, CommuniqueError):
        return str(e)
    if isinstance(e, OSError):
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        return f"{where}{e.strerror or e}. Try: check the path, its permissions and free disk space"
    if type(e).__module__.startswith("duckdb"):
        return (f"the store could not be read ({str(e).strip().splitlines()[0][:200]}). "
                "Try: communique store verify --store STORE")
    return (f"unexpected {type(e).__name__}: {str(e)[:300]}. This is a bug: please report it with the command "
            "you ran (COMMUNIQUE_DEBUG=1 shows the traceback)")


__all__ = ["app", "main"]
