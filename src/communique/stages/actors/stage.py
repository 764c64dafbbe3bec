"""The ``communique_actors`` component: steps 1-4 over one document.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ...errors import CommuniqueError
from ...kb import get_actor_kb
from ...kb.actors import (
    ActorKB,
)
from .._lexicon import PRONOUN_GENDER
from .._quotemarks import find_regions
from .._state import ActorMention, DocState, get_state
from .chunks import Chunk, build_chunks
from .coreference import PRONOUN_SCORES, add_pronouns, corefer
from .filters import is_actor_phrase
from .resolution import ACTOR_CONFIDENCE, resolve
from .units import Lookups, Unit, find_units

# Unit kinds that are proper names (of people, organisations, countries, places, or a seat of
# power standing for its government); a phrase headed by one is mentioned by name. The other
# heads (role nouns, demonyms, peoples) make a nominal mention.
NAME_UNITS = frozenset({"person", "nperson", "org", "norg", "country", "metonym", "place"})


# -- the stage -----------------------------------------------------------------------
def extract_actors(doc: Doc, state: DocState, kb: ActorKB, look: Lookups,
                   conf: dict[str, float] = ACTOR_CONFIDENCE,
                   pronoun_scores: dict[str, float] = PRONOUN_SCORES) -> list[ActorMention]:
    """All actor mentions of ``doc`` (pure: reads the doc and the knowledge base)."""
    day = state.date.isoformat() if state.date else None
    if not state.quoted:
        regions, _warnings = find_regions(state.text)
        state.quoted = [(r.start, r.end) for r in regions if r.double]
    units = find_units(doc, kb, look)
    chunks = build_chunks(doc, units, look)
    add_pronouns(doc, chunks)
    mentions: list[ActorMention] = []
    kept: list[Chunk] = []
    for c in chunks:
        if c.head is None and c.pronoun is None:
            continue
        if c.pronoun is not None:
            span = doc[c.start:c.end]
            m = ActorMention(start=c.start, end=c.end, char_start=span.start_char, char_end=span.end_char,
                             text=span.text, name=span.text, kind="person", gender=PRONOUN_GENDER[c.pronoun],
                             confidence=conf["pronoun_unresolved"], head=c.start, mention="pronoun")
        else:
            if not is_actor_phrase(doc, c, kb):
                continue
            m = resolve(doc, c, kb, day, conf)
            if m is None:
                continue
            m.mention = "name" if c.head.kind in NAME_UNITS else "nominal"
        m.in_quote = state.in_quote(m.char_start)
        mentions.append(m)
        kept.append(c)
    corefer(doc, mentions, kept, kb, day, conf, pronoun_scores)
    return mentions


class ActorStage:
    """The ``communique_actors`` component; owns its knowledge base and lookups."""

    def __init__(self, kb: ActorKB, look: Lookups, confidence: dict[str, float],
                 pronoun_scores: dict[str, float] = PRONOUN_SCORES):
        self.kb = kb
        self.look = look
        self.confidence = confidence
        self.pronoun_scores = pronoun_scores

    def units(self, doc: Doc) -> list[Unit]:
        """The units of ``doc`` (for ``communique actors lookup --parse``)."""
        return find_units(doc, self.kb, self.look)

    def __call__(self, doc: Doc) -> Doc:
        state = get_state(doc)
        state.actors = extract_actors(doc, state, self.kb, self.look, self.confidence, self.pronoun_scores)
        state.token_actor = {}
        for idx, m in enumerate(state.actors):
            for t in range(m.start, m.end):
                state.token_actor.setdefault(t, idx)
        return doc


@Language.factory("communique_actors", default_config={
    "kb_overlays": [], "confidence": ACTOR_CONFIDENCE, "pronoun_scores": PRONOUN_SCORES, "min_population": 100_000,
    "min_population_multiword": 50_000, "min_population_common_word": 1_000_000})
def make_actor_stage(nlp: Language, name: str, kb_overlays: list[str], confidence: dict[str, float],
                     pronoun_scores: dict[str, float], min_population: int, min_population_multiword: int,
                     min_population_common_word: int) -> ActorStage:
    missing = sorted(set(ACTOR_CONFIDENCE) - set(confidence)) + sorted(set(PRONOUN_SCORES) - set(pronoun_scores))
    if missing:
        raise CommuniqueError(f"confidence weight(s) {', '.join(missing)} missing", f"components.{name}",
                              "give every weight of the default config")
    look = Lookups.load(nlp, min_population=min_population, min_population_multiword=min_population_multiword,
                        min_population_common_word=min_population_common_word)
    return ActorStage(get_actor_kb(tuple(kb_overlays)), look, dict(confidence), dict(pronoun_scores))
