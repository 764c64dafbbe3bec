"""Per-document working state shared by the stages.

Each stage appends its findings here as small mention objects that keep token
positions (for later stages to link to) next to the flat ``communique/1`` fields.
``assemble`` turns the state into a ``Record``; no spaCy object leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date

from spacy.tokens import Doc

from ..records import (
    Actor,
    Event,
    Participant,
    Place,
    PlaceRef,
    Plover,
    Quote,
    SentenceSpan,
    Span,
    Speaker,
    Time,
    Tone,
)

EXT = "communique"


@dataclass
class ActorMention:
    start: int          # token index, inclusive
    end: int            # token index, exclusive
    char_start: int
    char_end: int
    text: str
    name: str
    code: str = ""
    country: str | None = None
    sector: str | None = None
    kind: str = "person"
    role: str | None = None
    kb_id: str | None = None
    refers_to: int | None = None   # index into DocState.actors
    gender: str = ""
    confidence: float = 1.0
    head: int = -1                 # token index of the syntactic head
    in_quote: bool = False
    mention: str = "name"          # name | nominal | pronoun (records.MentionType)
    # where the actor record's span starts when a name mention's phrase has words before the name
    # ("the Netherlands"); participants and speakers keep the phrase (char_start)
    name_start: int | None = None
    id: str = ""

    def resolved(self, actors: list[ActorMention]) -> ActorMention:
        """Follow ``refers_to`` to the mention this one stands for."""
        seen = set()
        cur = self
        while cur.refers_to is not None and cur.refers_to not in seen:
            seen.add(cur.refers_to)
            cur = actors[cur.refers_to]
        return cur


@dataclass
class QuoteMention:
    char_start: int
    char_end: int
    type: str                      # direct | indirect | mixed
    speaker: int | None = None     # index into DocState.actors (the explicit mention)
    speaker_text_span: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None  # char span
    cue_token: int | None = None
    addressee: int | None = None   # actor index the quote is addressed to, if known
    speaker_ref: int | None = None  # actor the speaker resolves to, when the quote stage knows
    #                                 better than coreference ("he said" after "Matlow told ...")
    id: str = ""


@dataclass
class PlaceMention:
    start: int
    end: int
    char_start: int
    char_end: int
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    feature: str
    id: str = ""
    role: str = "literal"          # literal | metonym | demonym | embedded | facility (stages/places.py)
    admin1_code: str | None = None  # GeoNames admin1 code of the division it lies in ("US.IL")
    admin1_name: str | None = None


@dataclass
class TimeMention:
    char_start: int
    char_end: int
    value: str
    type: str
    start: int = -1                # token index
    end: int = -1
    id: str = ""


@dataclass
class EventMention:
    sent_start: int
    sent_end: int
    trigger: tuple[int, int]       # char span
    trigger_token: int
    source: int | None             # actor index
    target: int | None
    cameo: str
    source_span: tuple[int, int] | None = None  # char span used when no actor
    target_span: tuple[int, int] | None = None
    target_place: int | None = None  # the target is this place's country (index into DocState.places)
    date: str | None = None
    date_from: str | None = None
    place: int | None = None       # index into DocState.places
    negated: bool = False
    modality: str = "asserted"
    quote: int | None = None       # index into DocState.quotes
    confidence: float = 0.5
    id: str = ""


@dataclass
class DocState:
    text: str
    date: Date | None
    actors: list[ActorMention] = field(default_factory=list)
    # names inside longer actor phrases ("the 82nd Airborne Division" in "soldiers of the ..."):
    # recorded after ``actors``, linked to by nothing (events and quotes link to the phrase)
    inner_names: list[ActorMention] = field(default_factory=list)
    quotes: list[QuoteMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    tone: Tone = field(default_factory=Tone)
    warnings: list[str] = field(default_factory=list)
    # token index -> actor index, for linking participants and speakers
    token_actor: dict[int, int] = field(default_factory=dict)
    # char offsets of quoted regions (direct quotes), for in-quote tests
    quoted: list[tuple[int, int]] = field(default_factory=list)

    def in_quote(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.quoted)


def get_state(doc: Doc) -> DocState:
    """The state of ``doc``, created on first use from ``doc.user_data['communique_date']``."""
    state = doc._.get(EXT)
    if state is None:
        day = doc.user_data.get("communique_date")
        # the pipeline passes the text it tokenised (equal to doc.text, which would join every token again)
        text = doc.user_data.get("communique_text")
        if text is None or (len(doc) and len(text) != doc[-1].idx + len(doc[-1].text_with_ws)):
            text = doc.text
        state = DocState(text, Date.fromisoformat(day) if day else None)
        doc._.set(EXT, state)
    return state


DOC_TEXT = "_doc_text"   # doc.user_data key of doc_text's string


def doc_text(doc: Doc) -> str:
    """``doc.text`` (the text as parsed, case restored), joined once per document and kept in
    ``doc.user_data``: ``Doc.text`` joins every token again on each access, and several stages
    read it. Not ``DocState.text``, which is the input text before case restoration. The pipeline
    stores the string it gave the tokenizer (``set_doc_text``), which is ``doc.text``."""
    text = doc.user_data.get(DOC_TEXT)
    if text is None:
        text = doc.user_data[DOC_TEXT] = doc.text
    return text


def set_doc_text(doc: Doc, text: str) -> None:
    """Record ``text``, the string ``doc`` was tokenised from, as its ``doc_text``, sparing the join
    (spaCy's tokenizer keeps every character, so it equals ``doc.text``; a string of another length
    is not recorded)."""
    if not len(doc) or len(text) == doc[-1].idx + len(doc[-1].text_with_ws):
        doc.user_data[DOC_TEXT] = text


def register_extension() -> None:
    if not Doc.has_extension(EXT):
        Doc.set_extension(EXT, default=None)


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


# Long on purpose: a flat, field-by-field mapping of every state object to its record model.
def assemble(state: DocState) -> dict:
    """The record parts (actors ... tone) of a finished document, ids assigned."""
    text = state.text
    for i, a in enumerate(state.actors + state.inner_names):
        a.id = f"a{i + 1}"
    for i, q in enumerate(state.quotes):
        q.id = f"q{i + 1}"
    for i, p in enumerate(state.places):
        p.id = f"p{i + 1}"
    for i, t in enumerate(state.times):
        t.id = f"t{i + 1}"
    state.events.sort(key=lambda e: (e.trigger[0], e.source or -1, e.target or -1))
    for i, e in enumerate(state.events):
        e.id = f"e{i + 1}"

    actors = []
    for a in state.actors:
        ref = a.resolved(state.actors)
        actors.append(Actor(
            id=a.id, span=_span(text, a.char_start if a.name_start is None else a.name_start, a.char_end),
            name=ref.name, code=ref.code,
            country=ref.country, sector=ref.sector, kind=ref.kind if a.refers_to is not None else a.kind,
            role=a.role or ref.role, kb_id=ref.kb_id,
            refers_to=state.actors[a.refers_to].id if a.refers_to is not None else None,
            confidence=round(min(a.confidence, ref.confidence), 3), mention=a.mention))
    for a in state.inner_names:
        actors.append(Actor(
            id=a.id, span=_span(text, a.char_start, a.char_end), name=a.name, code=a.code, country=a.country,
            sector=a.sector, kind=a.kind, role=a.role, kb_id=a.kb_id, refers_to=None,
            confidence=round(a.confidence, 3), mention=a.mention))

    def participant(idx: int | None, span: tuple[int, int] | None, place: int | None = None) -> Participant | None:
        if idx is None:
            if span is None:
                return None
            if place is not None:   # a place abroad standing for its country (events.roles.scene_target)
                p = state.places[place]
                return Participant(actor=None, span=_span(text, *span), name=p.name, code=p.country or "",
                                   country=p.country)
            return Participant(actor=None, span=_span(text, *span), name=text[span[0]:span[1]])
        a = state.actors[idx]
        ref = a.resolved(state.actors)
        return Participant(actor=a.id, span=_span(text, a.char_start, a.char_end), name=ref.name,
                           code=ref.code, country=ref.country, sector=ref.sector)

    from ..kb import get_codebook  # local: kb loads lazily and caches
    from ..kb.describe import describe_event  # issue 17: PLOVER modes/contexts, ACLED type

    codebook = get_codebook()
    described: dict = {}   # which word rules each sentence matches, shared by its events
    events = []
    for e in state.events:
        c = codebook[e.cameo]
        events.append(describe_event(Event(
            id=e.id, sentence=SentenceSpan(start=e.sent_start, end=e.sent_end),
            trigger=_span(text, *e.trigger),
            source=participant(e.source, e.source_span), target=participant(e.target, e.target_span, e.target_place),
            cameo=c.code, cameo_root=c.root, plover=Plover(event=c.plover_event, mode=c.plover_mode or None),
            goldstein=c.goldstein, quad_class=c.quad_class, date=e.date, date_from=e.date_from,
            location=PlaceRef(place=state.places[e.place].id) if e.place is not None else None,
            negated=e.negated, modality=e.modality,
            quote=state.quotes[e.quote].id if e.quote is not None else None,
            confidence=round(e.confidence, 3)), text, described))

    quotes = []
    for q in state.quotes:
        if q.speaker is not None:
            sp = state.actors[q.speaker]
            ref = (state.actors[q.speaker_ref] if q.speaker_ref is not None else sp).resolved(state.actors)
            speaker = Speaker(actor=sp.id, span=_span(text, sp.char_start, sp.char_end), name=ref.name,
                              code=ref.code, country=ref.country)
        elif q.speaker_text_span is not None:
            s, e_ = q.speaker_text_span
            speaker = Speaker(actor=None, span=_span(text, s, e_), name=text[s:e_])
        else:
            speaker = Speaker()
        quotes.append(Quote(id=q.id, span=_span(text, q.char_start, q.char_end), type=q.type,
                            speaker=speaker, cue=_span(text, *q.cue) if q.cue else None))

    scenes = {e.place for e in state.events if e.place is not None}  # issue 16: where events happened
    places = [Place(id=p.id, span=_span(text, p.char_start, p.char_end), name=p.name, country=p.country,
                    lat=p.lat, lon=p.lon, geonames_id=p.geonames_id, feature=p.feature,
                    admin1_code=p.admin1_code, admin1_name=p.admin1_name,
                    role="event" if i in scenes else "mentioned")
              for i, p in enumerate(state.places)]
    times = [Time(id=t.id, span=_span(text, t.char_start, t.char_end), value=t.value, type=t.type)
             for t in state.times]
    return {"actors": actors, "events": events, "quotes": quotes, "places": places,
            "times": times, "tone": state.tone, "warnings": list(state.warnings)}
