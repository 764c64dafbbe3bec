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
from .._lexicon import DETERMINERS, PRONOUN_GENDER
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
            if c.head.kind in ("country", "place"):
                trim_to_name(doc, m, c)
        m.in_quote = state.in_quote(m.char_start)
        mentions.append(m)
        kept.append(c)
    corefer(doc, mentions, kept, kb, day, conf, pronoun_scores)
    state.inner_names = inner_names(doc, mentions, kept, units, kb, day, conf)
    for m in state.inner_names:
        m.in_quote = state.in_quote(m.char_start)
    return mentions


def trim_to_name(doc: Doc, m: ActorMention, c: Chunk) -> None:
    """Where the record span of a country or place named by an actor phrase starts: at its name.
    "the Netherlands", "higher U.S. rates", "one of Britain's" give "Netherlands", "U.S.", "Britain",
    as the places stage reports the same name (one name, one span). Leading determiners always go; other
    lower-case words only in cased text (a lower-cased feed has no capitals to tell the name by).
    The phrase (token range, ``char_start``: what events and quotes link and report) is unchanged."""
    unit_tokens = {i for u in c.units for i in range(u.start, u.end)}
    cased = any(t.text[:1].isupper() for t in doc[m.start:m.end])
    s = m.start
    while s < m.end - 1 and (doc[s].lower_ in DETERMINERS or (
            s not in unit_tokens and cased and (doc[s].is_lower or not doc[s].is_alpha))):
        s += 1
    if s > m.start and doc[s].text[:1].isalnum():
        m.name_start = doc[s].idx


# kinds of unit that are names of their own inside a longer actor phrase (countries and places
# inside one are reported by the places stage); "metonym": a seat of power ("reporters at the Pentagon")
_INNER_KINDS = frozenset({"person", "nperson", "org", "norg", "metonym"})


def inner_names(doc: Doc, mentions: list[ActorMention], chunks: list[Chunk], units: list[Unit], kb: ActorKB,
                day: str | None, conf: dict[str, float]) -> list[ActorMention]:
    """Names of people and organisations inside a longer actor phrase, as mentions of their own:
    "Soldiers of the 82nd Airborne Division", "a spokesman for the Central Intelligence Agency",
    "State Department spokesman Glyn Davies" name an organisation besides the phrase's head.
    So are the seats of power named where no phrase is an actor ("briefed reporters at the
    Pentagon"). For the records only (``DocState.inner_names``): events and quotes link to the phrase."""
    out: list[ActorMention] = []
    # a unit that heads a mention of its own ("the OSCE" in "head of the OSCE mission", when the
    # complement is also a phrase of its own) is recorded once
    heads = {id(c.head) for m, c in zip(mentions, chunks, strict=True) if m.mention == "name"}
    covered = [False] * len(doc)
    for m in mentions:
        covered[m.start:m.end] = [True] * (m.end - m.start)
    loose = [(None, u) for u in units if u.kind == "metonym" and not any(covered[u.start:u.end])
             and getattr(kb.metonyms.get(u.ref), "kind", "") == "seat"]
    for m, c in [*zip(mentions, chunks, strict=True), *loose]:
        if m is None:
            found = [(c, True, None)]
        elif m.mention == "pronoun":
            continue
        else:
            found = [(u, u.kind in _INNER_KINDS and id(u) not in heads, owner) for u, owner in _units_within(c)]
        for u, keep, owner in found:
            if not keep or id(u) in heads:
                continue
            heads.add(id(u))   # once, whichever phrases hold it
            span = doc[u.start:u.end]
            if m is not None and (span.start_char, span.end_char) == (m.char_start, m.char_end):
                continue
            # the country the text gives the name's own phrase ("Kenya's Liberal Democratic Party")
            mods = list(owner.mods) if owner is not None and owner.head is u else []
            inner = resolve(doc, Chunk(u.start, u.end, [u], head=u, mods=mods), kb, day, conf)
            if inner is not None:
                inner.mention = "name"
                s = u.start
                while s < u.end - 1 and doc[s].lower_ in DETERMINERS:  # "the Pentagon": the name
                    s += 1
                if s > u.start:
                    inner.char_start, inner.text = doc[s].idx, doc[s:u.end].text
                out.append(inner)
    return out


def _units_within(c: Chunk) -> list[tuple[Unit, Chunk]]:
    """The units of a chunk and of the chunks folded into it ("of"-complements, locations),
    each with the chunk it belongs to."""
    seen: set[int] = set()
    out: list[tuple[Unit, Chunk]] = []
    todo = [c]
    while todo:
        cur = todo.pop()
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        out.extend((u, cur) for u in cur.units)
        todo.extend(cur.of)
        todo.extend(cur.locs)
    return out


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
