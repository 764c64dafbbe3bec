"""The Dask worker plugin that makes workers of our own LocalCluster exit with the coordinator.

Kept apart from ``executors.py`` so that importing the engines does not import ``distributed``.
"""

from __future__ import annotations

import os

from distributed import WorkerPlugin

from .executors import watch_parent


class ParentWatchPlugin(WorkerPlugin):
    """Each worker (also one a nanny restarts later) watches its parent, the coordinator."""

    name = "communique-parent-watch"

    def __init__(self, parent_pid: int):
        self.parent_pid = parent_pid

    def setup(self, worker) -> None:
        if os.getppid() == self.parent_pid:
            watch_parent(self.parent_pid)
