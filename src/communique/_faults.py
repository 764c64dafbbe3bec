"""Crash points for the reliability tests: kill this process at a named point of ingest.

A kill at a random moment rarely lands in the few milliseconds between a shard's files
and its manifest, yet that is where a store breaks if the commit protocol is wrong. The
reliability suite (tests/reliability/) therefore also kills at named points, chosen with
the environment variable ``COMMUNIQUE_FAULTS``::

    COMMUNIQUE_FAULTS="commit:after-files@2"          # SIGKILL this process the 2nd time it gets there
    COMMUNIQUE_FAULTS="shard:before-commit@1=group"   # SIGKILL its whole process group (coordinator too)

With ``COMMUNIQUE_FAULTS_ONCE=/some/file`` only the first process that gets there dies (it
creates the file): a crashed worker that is restarted, or its siblings, then carry on.

Without the variable ``fault_point`` is a dictionary lookup, so the points cost nothing in
normal runs. The points: ``shard:start``, ``shard:before-commit``, ``commit:after-files``
(files moved into place, manifest not yet written), ``shard:after-commit``,
``ingest:after-result`` (the coordinator got a shard's summary), ``ingest:before-dedup``,
``dedup:before-current`` (a generation written, CURRENT not yet switched), ``repair:after-files``
(damaged files quarantined and committed, rows not yet restored).
"""

from __future__ import annotations

import os
import signal

_PLAN: dict[str, tuple[int, str]] | None = None
_SEEN: dict[str, int] = {}


def _plan() -> dict[str, tuple[int, str]]:
    global _PLAN
    if _PLAN is None:
        _PLAN = {}
        for part in filter(None, (p.strip() for p in os.environ.get("COMMUNIQUE_FAULTS", "").split(","))):
            point, _, action = part.partition("=")
            name, _, nth = point.partition("@")
            _PLAN[name] = (int(nth or 1), action or "self")
    return _PLAN


def fault_point(name: str) -> None:
    """Kill this process (or its group) here if ``COMMUNIQUE_FAULTS`` asks for it."""
    plan = _plan()
    if name not in plan:
        return
    _SEEN[name] = _SEEN.get(name, 0) + 1
    nth, action = plan[name]
    if _SEEN[name] != nth:
        return
    once = os.environ.get("COMMUNIQUE_FAULTS_ONCE")
    if once:
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    if action == "group":
        os.killpg(os.getpgid(0), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


__all__ = ["fault_point"]
