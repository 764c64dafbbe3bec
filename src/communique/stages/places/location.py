"""An event's location: the place attached to it in the parse, else the place governing its sentence.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .._state import DocState
from .words import LOC_PREPS, LOC_PREPS_WEAK


def _place_of(pobj: Token, at: dict[int, int]) -> int | None:
    """The place a prepositional object names: "in Tianjin", "in the city of Tianjin", "in
    Tianjin and Beijing" (the first)."""
    if pobj.i in at:
        return at[pobj.i]
    for c in pobj.children:
        if c.dep_ in ("compound", "appos", "nmod") and c.i in at:
            return at[c.i]
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj" and g.i in at:
                    return at[g.i]
    return None


def _located(head: Token, at: dict[int, int], state: DocState) -> int | None:
    """The place of a locative phrase on ``head`` ("met in Tianjin")."""
    for prep in head.children:
        if prep.dep_ != "prep":
            continue
        word = prep.lower_
        if word not in LOC_PREPS and word not in LOC_PREPS_WEAK:
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            pi = _place_of(pobj, at)
            if pi is None:
                continue
            if word in LOC_PREPS_WEAK and any(t in state.token_actor
                                               for t in range(state.places[pi].start, state.places[pi].end)):
                continue  # "sent aid to Syria": a participant, not the scene
            return pi
    return None


def _place_tokens(state: DocState) -> dict[int, int]:
    """Token index -> place index, for places that can be an event's scene."""
    at: dict[int, int] = {}
    for pi, p in enumerate(state.places):
        if p.role in ("demonym", "embedded", "metonym"):
            continue
        for t in range(p.start, p.end):
            at.setdefault(t, pi)
    return at


def _attached(tok: Token, at: dict[int, int], state: DocState) -> tuple[int | None, bool]:
    """The place of a locative phrase on the trigger or on its object/complement, and whether it
    sits on the trigger itself (True) or on the object (False)."""
    heads = [tok] + [c for c in tok.children if c.dep_ in ("dobj", "attr", "oprd", "xcomp", "advcl")
                     and c.pos_ in ("NOUN", "PROPN", "VERB")]
    for h in heads:
        pi = _located(h, at, state)
        if pi is not None:
            return pi, h is tok
    return None, False


def attached_place(doc: Doc, state: DocState, trigger_token: int) -> tuple[int | None, bool]:
    """The place attached in the parse to the event at ``trigger_token`` ("bombed targets in
    Syria", "opened an embassy in Tehran"): its index into ``state.places`` and whether the
    phrase is on the trigger itself; ``(None, False)`` when there is none."""
    if not state.places:
        return None, False
    return _attached(doc[trigger_token], _place_tokens(state), state)


def event_location(doc: Doc, state: DocState, trigger_token: int) -> int | None:
    """The index (into ``state.places``) of the place where the event at ``trigger_token`` happened.

    The place attached to the event in the parse ("met in Tianjin", "held talks in
    Tianjin"), else the place that governs its sentence (a locative phrase on a clause the
    event is part of: "In Tianjin, officials said they would sign ..."; a dateline that opens
    the sentence), else None. A demonym ("Chinese troops"), a metonym actor ("Beijing said"),
    a place inside an organisation's name or one named in another sentence never is.
    """
    if not state.places:
        return None
    at = _place_tokens(state)
    if not at:
        return None
    tok = doc[trigger_token]
    sent = tok.sent
    # 1. attached to the event: on the verb, or on its object ("held talks in Tianjin")
    pi, _ = _attached(tok, at, state)
    if pi is not None:
        return pi
    # 2. governing its sentence: a locative phrase on a clause above the event
    cur = tok
    for _ in range(8):
        if cur.head is cur or cur.dep_ in ("relcl", "acl", "pcomp"):
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            pi = _located(cur, at, state)
            if pi is not None:
                return pi
    # a dateline opening the sentence: "TIANJIN, June 5 (Reuters) - ..."
    first = sent.start
    while first < sent.end and (doc[first].is_space or doc[first].is_punct):
        first += 1
    pi = at.get(first)
    if pi is not None:
        p = state.places[pi]
        txt = doc[p.start:p.end].text
        nxt = doc[p.end] if p.end < len(doc) else None
        if txt.isupper() and nxt is not None and nxt.text in ("-", "—", "–", ",", "(", ":"):
            return pi
    return None
