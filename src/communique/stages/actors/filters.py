"""Which phrases are actor mentions at all: datelines, demonyms used as modifiers, places
that do not act, ambiguous country names.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ...kb.actors import (
    ActorKB,
)
from .._lexicon import SUBJECT_DEPS
from .chunks import Chunk
from .units import Unit
from .words import AGENTIVE_PREPS, LOCATIVE


# -- metonyms and places as actors ---------------------------------------------------
def _n_words(doc: Doc) -> int:
    """Tokens that are not punctuation (only short texts are counted in full)."""
    n = 0
    for t in doc:
        if not t.is_punct:
            n += 1
            if n > 8:
                break
    return n


def _agentive(doc: Doc, u: Unit, seat: bool) -> bool:
    """A capital or a seat of power stands for its government when it acts or is acted on,
    not when it is where something happens ("met in Minsk", "at the White House")."""
    head = doc[u.start:u.end].root
    dep = head.dep_
    if len(doc) <= 3 or dep == "ROOT" and head.i == u.start and _n_words(doc) <= u.end - u.start:
        return True
    if dep in SUBJECT_DEPS:
        return True
    if dep == "conj":
        h = head.head
        while h.dep_ == "conj":
            h = h.head
        if h.dep_ in SUBJECT_DEPS:
            return True
        dep, head = h.dep_, h
    if dep == "pobj":
        prep = head.head.lower_
        if prep == "by" or prep in AGENTIVE_PREPS:
            return True
        if prep in LOCATIVE:
            return False
    if dep in ("dobj", "dative"):
        return True  # "accused Vilnius", "shelled Kabul": the country is the target
    if u.possessive:
        return True
    if dep in ("appos",):
        return False
    return seat and dep not in ("compound", "amod", "nmod", "npadvmod")


def is_actor_phrase(doc: Doc, c: Chunk, kb: ActorKB) -> bool:
    """Whether a phrase is an actor mention at all."""
    head = c.head
    if head is None:
        return False
    if _dateline(doc, head):
        return False
    if head.kind == "metonym":
        mt = kb.metonyms.get(head.ref)
        return _agentive(doc, head, seat=bool(mt and mt.kind == "seat")) or bool(c.titles)
    if head.kind in ("adjective", "ethnic"):
        # a demonym names people as a noun ("Palestinians", "ordinary Kazakhs"); before
        # another noun it names the country ("an Indian proposal", "Israeli air raids")
        tok = doc[head.end - 1]
        if c.titles or c.shared is not None:
            return True
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("compound", "amod", "nmod", "poss") \
                and (c.plural or tok.dep_ in SUBJECT_DEPS | {"dobj", "pobj", "ROOT", "conj", "appos"}):
            return True
        if c.plural and tok.dep_ not in ("amod", "compound"):
            return True
        if len(doc) <= 3 and len(c.units) == 1:
            return True
        if head.kind == "adjective" and head.sponsor != "pro" and not c.former:
            c.modifier_only = True
            return True
        return False
    if head.kind == "place":
        if c.titles or c.mods:
            return False
        tok = doc[head.start:head.end].root
        if _n_words(doc) <= head.end - head.start + 1:
            return True
        if tok.dep_ in SUBJECT_DEPS and tok.head.pos_ in ("VERB", "AUX"):
            return True
        # "shelled Juba", "shut down Khatmandu": a town acted upon
        return tok.dep_ == "dobj" and tok.head.pos_ == "VERB"
    if head.kind == "country":
        if _ambiguous_country(doc, c, kb):
            return False
        return True
    if head.kind == "agent":
        # bare lower-case common nouns are actors only as participants or with a modifier
        return True
    return True


def _dateline(doc: Doc, u: Unit) -> bool:
    """"OSLO, Dec 10 -", "BRASILIA (Reuters) -": the place a story was filed from."""
    if u.kind not in ("metonym", "place", "country") or len(doc) <= 3:
        return False
    j = u.start
    while j > 0 and (doc[j - 1].is_space or doc[j - 1].is_punct):
        j -= 1
    at_start = j == 0 or "\n" in doc[j - 1].whitespace_ or doc[j - 1].is_space
    if not at_start or not all(t.is_upper or not t.is_alpha for t in doc[u.start:u.end]):
        return False
    return u.end < len(doc) and doc[u.end].text in (",", "-", "\u2014", "\u2013", "(", ":")


def _ambiguous_country(doc: Doc, c: Chunk, kb: ActorKB) -> bool:
    """"Atlanta, Georgia" and "the state of Georgia" are the US state."""
    head = c.head
    if head.ref != "GEO":
        return False
    i = head.start
    if i >= 2 and doc[i - 1].text == "," and doc[i - 2].ent_type_ == "GPE":
        return True
    if i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ == "state":
        return True
    if head.end < len(doc) and doc[head.end].lower_ in ("state", "senator", "governor", "county", "republican",
                                                         "democrat", "democrats", "republicans"):
        return True
    return False
