"""The main walk: every sentence's triggers coded, consumed complements skipped, events emitted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.attrs import LEMMA, LOWER, POS
from spacy.symbols import ADJ, NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from ...kb.lexicons import FRAME_KINDS, EventLexicon
from .._state import DocState, EventMention
from ..places import event_location
from .coding import code_of
from .confidence import EventSettings, pair_confidence, trigger_confidence
from .dating import date_of, time_map
from .discards import discarded, in_history
from .matching import RULES_MEMO_SIZE, rules_for
from .modality import under_say
from .model import Coded, Ctx
from .participants import Part, quote_at
from .roles import Reading, event_pairs, is_codable, participants_of, reading_of, scene_target
from .words import POLITICAL

_TRIGGER_POS = frozenset((VERB, NOUN, PROPN, ADJ))   # the parts of speech best_rule codes


# -- the main walk ---------------------------------------------------------------------------------------
def extract_events(doc: Doc, state: DocState, lex: EventLexicon, settings: EventSettings,
                   rules_memo: dict | None = None, trigger_memo: dict | None = None) -> list[EventMention]:
    """The events of ``doc``; ``rules_memo`` and ``trigger_memo``: dicts the caller keeps for all
    its documents (the word -> rules lookups of ``lex``), else new ones per document."""
    ctx = Ctx(doc, state, lex, limits=dict(settings.limits))
    if rules_memo is not None:
        ctx.rules_memo = rules_memo
    if trigger_memo is not None:
        ctx.trigger_memo = trigger_memo
    skip_sents, history, skip_article = discarded(doc, lex)
    if skip_article:
        return []
    art = _ArticleTime(time_map(doc, state, settings.limits["clause_climb"]), state.date.isoformat() if state.date else None,
                       state.date.year if state.date else None, history, settings)
    events: list[EventMention] = []
    ctx.prior = events   # read (never written) by participants.carried_doer
    consumed: set[int] = set()
    # the last two actors of different countries that acted on each other: what "the
    # bilateral relationship" of a later sentence is about (carried from sentence to sentence)
    last_pair: tuple[int, int] | None = None
    may_code = _may_code(doc, ctx)
    for sent in doc.sents:
        soft = sent.start in skip_sents
        coded = [c for i in range(sent.start, sent.end) if may_code[i]
                 for c in (code_of(doc[i], ctx),) if c is not None]
        consumed |= _consumed(coded, ctx)
        for c in coded:
            if c.tok.i in consumed:
                continue
            evs = _events_for(c, ctx, sent, art, last_pair)
            last_pair = _last_pair(evs, state) or last_pair
            if soft:  # a sports or entertainment sentence: only political actors' acts count
                evs = [e for e in evs if _political(e.source, state) or _political(e.target, state)]
            events.extend(evs)
    return events


def _may_code(doc: Doc, ctx: Ctx) -> list[bool]:
    """Per token: a verb, noun, proper noun or adjective whose words have rules in the lexicon.
    Only these can be triggers (``best_rule``); read from one array, so the many tokens that
    cannot be are never made into ``Token`` objects."""
    strings = doc.vocab.strings
    seen = ctx.trigger_memo
    if len(seen) >= RULES_MEMO_SIZE:
        seen.clear()
    if not len(doc):
        return []
    arr = doc.to_array([POS, LEMMA, LOWER])
    pos_col, mask = arr[:, 0], numpy.zeros(len(doc), dtype=bool)
    for p in _TRIGGER_POS:
        mask |= pos_col == p
    rows = numpy.flatnonzero(mask)   # only the rows of these parts of speech become Python values
    keys = list(map(tuple, arr[rows].tolist()))   # (pos, lemma, lower) of each row
    hits = [seen.get(key) for key in keys]
    if None in hits:   # words not met before: look their rules up once
        for k, key in enumerate(keys):
            if hits[k] is None:
                hit = seen.get(key)
                if hit is None:
                    pos, lemma, lower = key
                    hit = seen[key] = bool(rules_for(ctx, pos != VERB, strings[lemma].lower(), strings[lower]))
                hits[k] = hit
    may = numpy.zeros(len(doc), dtype=bool)
    may[rows] = hits
    return may.tolist()


def _consumed(coded: list[Coded], ctx: Ctx) -> set[int]:
    """Tokens of complements a frame consumed: they are not events of their own."""
    out: set[int] = set()
    for c in coded:
        if c.kind in ("judge",) or (c.kind in FRAME_KINDS and c.topic is not None):
            for comp in c.facts.comps:   # "alleged that ... helped to plan and carry out killings"
                if comp.dep_ in ("ccomp", "xcomp"):
                    for x in comp.subtree:
                        if x.i != c.tok.i and ctx.coded.get(x.i) is not None:
                            out.add(x.i)
        stack = [c.topic, *c.extra]
        while stack:
            t = stack.pop()
            if t is None or t.tok.i in out:
                continue
            out.add(t.tok.i)
            stack.append(t.topic)
            stack.extend(t.extra)
    return out


def _last_pair(evs: list[EventMention], state: DocState) -> tuple[int, int] | None:
    """The last event's actors of two different countries, if any."""
    found = None
    for ev in evs:
        if ev.source is not None and ev.target is not None:
            ca = state.actors[ev.source].resolved(state.actors).country
            cb = state.actors[ev.target].resolved(state.actors).country
            if ca and cb and ca != cb:
                found = (ev.source, ev.target)
    return found


def _political(actor: int | None, state: DocState) -> bool:
    if actor is None:
        return False
    ref = state.actors[actor].resolved(state.actors)
    # a bare country in a sports sentence is a team ("France beat England")
    return ref.sector in POLITICAL or ref.country in ("IGO", "UNO", "EUR")


@dataclass(frozen=True)
class _ArticleTime:
    """What dates an event: the time expressions by token, the article's day and year."""

    times: dict[int, str]
    day: str | None
    year: int | None
    history: list[tuple[int, int]]
    settings: EventSettings


def _events_for(c: Coded, ctx: Ctx, sent: Span, art: _ArticleTime, last_pair: tuple[int, int] | None
                ) -> list[EventMention]:
    """The events one coded trigger yields (pure: reads the trigger, the context and the pair
    the previous sentences were about)."""
    tok, state = c.tok, ctx.state
    if in_history(tok, art.history, ctx.limits):
        return []
    quote = quote_at(state, tok.idx)
    noun = tok.pos_ in ("NOUN", "PROPN")
    say = under_say(tok, ctx)
    reading = reading_of(c, ctx, quote, say)
    sources, targets = participants_of(c, ctx, quote, noun, last_pair)
    if not is_codable(c, noun, sources, targets, ctx.limits["control_chain"]):
        return []
    if not targets and art.settings.scene_targets:   # after is_codable: a target, never a new event
        targets = scene_target(c, reading.code, ctx, sources)
    pairs = event_pairs(c, reading.code, sources, targets, noun, state)
    if not pairs:
        return []
    conf = trigger_confidence(c, reading.code, reading.modality, reading.negated, say is not None, noun,
                       art.settings.confidence, ctx.limits["clause_climb"])
    when = date_of(tok, art.times, ctx.limits)
    if when and art.year and when[:4].isdigit() and int(when[:4]) <= art.year - art.settings.history_years:
        return []
    place = event_location(ctx.doc, ctx.state, tok.i)
    out: list[EventMention] = []
    seen = set()
    for a, b, cd in pairs:
        k = (a.key(state) if a else None, b.key(state) if b else None, cd)
        if k not in seen:
            seen.add(k)
            out.append(_mention(tok, sent, a, b, cd, reading, quote, pair_confidence(conf, a, b, state,
                                                                                        art.settings.confidence),
                                when, art.day, place))
    return out


def _mention(tok: Token, sent: Span, a: Part | None, b: Part | None, code: str, reading: Reading, quote,
             confidence: float, when: str | None, article_day: str | None, place: int | None) -> EventMention:
    ev = EventMention(sent.start_char, sent.end_char, (tok.idx, tok.idx + len(tok.text)), tok.i,
                      a.actor if a else None, b.actor if b else None, code, negated=reading.negated,
                      modality=reading.modality, quote=quote[0] if quote else None, confidence=confidence)
    if a is not None and a.actor is None:
        ev.source_span = a.span
    if b is not None and b.actor is None:
        ev.target_span = b.span
        ev.target_place = b.place
    if when:
        ev.date, ev.date_from = when, "text"
    elif article_day:
        ev.date, ev.date_from = article_day, "article"
    ev.place = place
    return ev
