"""Event stage: CAMEO-coded events with source, target, modality, confidence, date and place.

How a sentence is coded (the lexicon is described in ``kb/data/EVENTS.md``):

1. **Triggers.** Every verb, and every noun or adjective the lexicon knows, is matched
   against its rules; the most specific matching rule wins (an object or
   prepositional constraint beats a bare verb; a rule with code ``-`` blocks).
2. **Frames.** Appeals, intentions, demands, rejections, threats and halts take their
   code from their complement: "urged Iran to withdraw its troops" is an appeal whose
   complement (withdraw troops, 0874) makes it 0256. Light verbs ("held talks",
   "launched an attack") and aspect verbs ("resumed shelling") take the code of their
   object. A consumed complement is not coded again.
3. **Participants** come from the parse: subject (or passive agent) as source; the
   rule's target slot, else the object, dative or a prepositional object as target.
   Conjuncts ("A and B met"), and actor mentions joined by "and" when the parser
   missed the coordination, give one event per source; a reciprocal code without a
   target gives one event in each direction. Inside a direct quote "I"/"we" is the
   speaker and "you" the addressee.
4. **Modality.** Negation ("did not agree"), intention ("will visit", "proposed to",
   "is ready to"; intended material acts get CAMEO's intent codes, so "will attack"
   is a threat, 138), hypotheticals ("if", "could", "God willing") and reported speech
   (direct quotes, clauses of a reporting verb) are flagged, never dropped; flagged
   events rank below plain ones.
5. **Confidence** orders the events of a sentence: the main, specific, well-attested
   event outranks a generic statement (010) or a background nominal event.
6. **Date** from a time expression attached to the event's clause, else the article
   date; **place** from a toponym attached to it by in/at/near.
7. **Discards**: sports and entertainment sentences, and clauses marked as historical
   narrative ("once upon a time", or a date decades before the article), are not coded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..errors import CommuniqueError
from ..kb import get_codebook, get_event_lexicon
from ..kb.lexicons import FRAME_KINDS, EventLexicon, Rule, Words
from ._lexicon import (
    CLAUSAL_DEPS,
    COMPLEMENT_DEPS,
    FIRST_PERSON,
    NONPERSON_PRONOUNS,
    OBJECT_DEPS,
    PREP_DEPS,
    PRONOUN_LIKE,
    SECOND_PERSON,
    SUBJECT_DEPS,
    SUBORDINATE_DEPS,
)
from ._state import DocState, EventMention, QuoteMention, get_state
from .places import event_location
from .quote_events import QUOTE_ACT_CONFIDENCE, Acts, events_from_quotes, get_acts

_TARGET_PREPS = ("with", "against", "on", "upon", "to", "at", "toward", "towards", "into", "over", "onto")
_NOUN_TARGET_PREPS = ("with", "against", "on", "upon", "to", "toward", "towards", "into", "of", "for")
_HYPOTHETICAL_AUX = {"could", "might", "may", "should", "must"}
_INTENT_AUX = {"will", "shall", "'ll", "wo"}
_HYPO_MARKERS = ("god willing", "inshallah", "insha'allah", "if all goes well", "in theory")
_PAIR_WORDS = {"bilateral", "mutual", "each other", "one another", "both countries", "the two countries",
               "both sides", "the two sides", "both nations", "the two nations"}
_MAX_DEPTH = 4


@dataclass
class Facts:
    """The dependents of a trigger that rules look at."""

    tok: Token
    lemma: str
    particles: set[str]
    objects: list[Token]
    preps: dict[str, list[Token]]          # preposition -> its objects (may be empty lists)
    comps: list[Token]
    subjects: list[Token]
    passive: bool
    xcomps: list[Token] = field(default_factory=list)   # infinitival complements ("agreed to meet")


@dataclass
class Coded:
    """A trigger with its winning rule and final code (frames resolved)."""

    tok: Token
    rule: Rule
    code: str
    kind: str
    topic: Coded | None = None     # the complement a frame / light verb consumed
    facts: Facts | None = None
    extra: list = field(default_factory=list)   # further consumed complements ("unite and mobilize")


@dataclass
class Ctx:
    doc: Doc
    state: DocState
    lex: EventLexicon
    coded: dict[int, Coded | None] = field(default_factory=dict)
    busy: set[int] = field(default_factory=set)


# -- word matching ---------------------------------------------------------------------
def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


_MEASURE = {"ton", "tons", "tonne", "tonnes", "barrel", "barrels", "kilogram", "kilograms", "million", "millions",
            "billion", "billions", "thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "worth",
            "consignment", "batch", "package", "amount", "quantity", "lot", "load", "truckload", "planeload", "day",
            "days", "week", "weeks", "round", "wave", "series", "number", "kind", "type", "form", "set"}


def _words_match(tok: Token, w: Words | None) -> bool:
    if w is None or w.any:
        return True
    if tok.lower_ in _MEASURE or (tok.pos_ == "NUM" and tok.dep_ in ("dobj", "pobj")):
        for p in tok.children:   # "25,000 tons of food aid", "10 days of war games"
            if p.dep_ == "prep" and p.lower_ == "of":
                for g in p.children:
                    if g.dep_ == "pobj" and _words_match(g, w):
                        return True
    if w.anywhere:
        for t in tok.subtree:
            if t.lemma_.lower() in w.lemmas or t.lower_ in w.lemmas:
                return True
        return any(_phrase_at(t, p) for t in tok.subtree for p in w.phrases)
    if _lemma(tok) in w.lemmas or tok.lower_ in w.lemmas or _singular(tok.lower_) in w.lemmas:
        return True
    return any(_phrase_at(tok, p) for p in w.phrases)


def _singular(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def _phrase_at(tok: Token, phrase: tuple[str, ...]) -> bool:
    """``tok`` heads the phrase: it is the last word and the others precede it as modifiers."""
    last = phrase[-1]
    if _lemma(tok) != last and tok.lower_ != last:
        return False
    mods = {t.lower_ for t in tok.lefts for t in t.subtree} | {_lemma(t) for t in tok.lefts for t in t.subtree}
    if tok.i > 0:  # "air strike" may be one compound the parser attached oddly
        mods.add(tok.doc[tok.i - 1].lower_)
    return all(p in mods for p in phrase[:-1])


def _noun_mods_match(tok: Token, w: Words) -> bool:
    """Noun rules: the constraint is on the noun's own modifiers ("air strike", "hunger strike")."""
    words = {t.lower_ for t in tok.lefts for t in t.subtree} | {_lemma(t) for t in tok.lefts for t in t.subtree}
    if tok.i > 0:
        words.add(tok.doc[tok.i - 1].lower_)
    if words & w.lemmas:
        return True
    return any(all(x in words for x in p) for p in w.phrases)


# -- facts and rule matching --------------------------------------------------------------
def _facts(tok: Token) -> Facts:
    particles: set[str] = set()
    objects: list[Token] = []
    preps: dict[str, list[Token]] = {}
    comps: list[Token] = []
    xcomps: list[Token] = []
    subjects: list[Token] = []
    passive = False
    for c in tok.children:
        d = c.dep_
        if d == "prt" or (d == "advmod" and c.lower_ in ("back", "down", "up", "out", "off", "together", "away")):
            particles.add(c.lower_)
            preps.setdefault(c.lower_, [])
        elif d in OBJECT_DEPS:
            objects.append(c)
        elif d == "nsubjpass":
            subjects.append(c)
            passive = True
        elif d in SUBJECT_DEPS:
            subjects.append(c)
        elif d == "auxpass":
            passive = True
        elif d in PREP_DEPS:
            if d == "dative" and c.pos_ != "ADP":
                objects.append(c)
                continue
            key = "by" if d == "agent" else c.lower_
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            preps.setdefault(key, []).extend(objs)
            for g in objs:  # "on the strike": nested "(on strike)" groups
                for gg in g.children:
                    if gg.dep_ == "prep":
                        preps.setdefault(f"{key} {gg.lower_}", []).extend(
                            x for x in gg.children if x.dep_ == "pobj")
        elif d in COMPLEMENT_DEPS:
            comps.append(c)
            if d == "xcomp" or (d == "ccomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)):
                xcomps.append(c)
        elif d == "acl" and tok.pos_ in ("NOUN", "PROPN", "ADJ"):
            comps.append(c)
            xcomps.append(c)
        elif d == "advcl" and any(g.dep_ == "mark" and g.lower_ == "for" for g in c.children):
            # "called for Burma to institute reforms"
            comps.append(c)
            preps.setdefault("for", []).extend(g for g in c.children if g.dep_ in ("nsubj", "nsubjpass"))
        elif d in ("advmod", "npadvmod") and c.i < tok.i:
            particles.add("adv:" + c.lower_)
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN", "PROPN"):
        # "10 soldiers killed in ...": the noun is what the participle did to it
        objects.append(tok.head)
        passive = True
    if passive:
        objects = [s for s in subjects if s.dep_ == "nsubjpass"] + objects
        subjects = [s for s in subjects if s.dep_ != "nsubjpass"]
    return Facts(tok, tok.lemma_.lower(), particles, objects, preps, comps, subjects, passive, xcomps)


def _match_rule(rule: Rule, f: Facts, state: DocState, noun: bool) -> bool:
    if rule.particle and not all(p in f.particles or p in f.preps for p in rule.particle.split()):
        return False
    if rule.obj is not None:
        if noun:
            if not _noun_mods_match(f.tok, rule.obj):
                return False
        elif not any(_words_match(o, rule.obj) and (rule.origin == "curated" or not _named_actor(o, state))
                     for o in f.objects):
            return False
    if rule.obj_actor and not any(o.i in state.token_actor for o in f.objects):
        return False
    if rule.obj_target and not noun and not f.objects:
        return False
    for slot in rule.preps:
        if slot.prep:
            objs = f.preps.get(slot.prep)
            if objs is None:
                return False
        else:
            objs = [o for v in f.preps.values() for o in v]
        if slot.words is not None and not any(_words_match(o, slot.words) for o in objs):
            return False
        if slot.target and not any(_direct_actor(o, state) or o.lower_ in PRONOUN_LIKE or o.pos_ == "PROPN"
                                   for o in objs):
            return False
    if rule.comp is not None:
        if not any(_words_match(c, rule.comp) for c in f.xcomps):
            return False
    if rule.subj is not None and not any(_words_match(s, rule.subj) for s in f.subjects) and \
            not any("adv:" + w in f.particles for w in rule.subj.lemmas):
        return False
    return True


def _lemma_candidates(tok: Token) -> list[str]:
    """The model's lemma, then guesses from the surface form (the small model gives
    "staged" -> "stag", "shelled" -> "shelle")."""
    out = [_lemma(tok)]
    w = tok.lower_
    if w != out[0]:
        out.append(w)
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e"),
                         ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)] + repl
            out.append(stem)
            if not repl and len(stem) > 3 and stem[-1] == stem[-2]:
                out.append(stem[:-1])   # "stopped" -> "stop"
    return out


def _best_rule(tok: Token, ctx: Ctx) -> tuple[Rule, Facts] | None:
    pos = tok.pos_
    if pos == "VERB":
        if tok.dep_ in ("amod", "compound"):
            return None   # "the proposed deal", "the defeated party"
        table = ctx.lex.verbs
        noun = False
    elif pos in ("NOUN", "PROPN", "ADJ"):
        table = ctx.lex.nouns
        noun = True
    else:
        return None
    rules = None
    for cand in _lemma_candidates(tok):
        rules = table.get(cand)
        if rules:
            break
    if noun and pos == "PROPN" and rules and tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return None
    if not rules:
        return None
    f = _facts(tok)
    for r in rules:   # sorted most specific first
        if _match_rule(r, f, ctx.state, noun):
            return r, f
    return None


# -- codes, frames and complements ----------------------------------------------------------
def _complements(c: Coded) -> list[Token]:
    """Where a frame / light verb finds what it is about, most direct first."""
    f = c.facts
    tok = c.tok
    out: list[Token] = []
    if c.kind in ("light", "aspect", "halt", "reject", "judge", "appeal", "demand", "intent", "threat", "posture",
                  "say"):
        out.extend(f.comps)
        if tok.pos_ in ("VERB", "ADJ"):
            out.extend(o for o in f.objects if o.pos_ in ("NOUN", "PROPN", "VERB"))
        for p in ("for", "to", "on", "upon", "of", "in", "against", "into"):
            for o in f.preps.get(p, []):
                out.append(o)
                if o.dep_ == "pcomp":
                    out.extend(g for g in o.children if g.dep_ == "pobj")
    more = []
    for o in out:
        if o.lower_ in _PART_WORDS or o.lower_ in _MEASURE:   # "suspended part of a military aid program"
            more.extend(g for p in o.children if p.dep_ == "prep" and p.lower_ == "of"
                        for g in p.children if g.dep_ == "pobj")
        more.extend(x for x in o.conjuncts if x.i != o.i)
    return out + more


def _topic_candidates(c: Coded) -> list[Token]:
    """Complements, then the complements of an uncodable complement ("willing to send
    material to help defend ...": help)."""
    first = _complements(c)
    deeper = []
    for comp in first:
        if comp.pos_ in ("VERB", "AUX"):
            deeper.extend(g for g in comp.children if g.dep_ in ("xcomp", "advcl", "ccomp") and g.i > comp.i)
    return first + deeper


_PART_WORDS = {"part", "some", "all", "most", "portion", "much", "rest", "half", "majority", "bulk", "series", "wave",
               "round", "number", "string", "spate"}
_DEONTIC = {"must": "demand", "should": "appeal", "ought": "appeal"}


def _code_of(tok: Token, ctx: Ctx, depth: int = 0) -> Coded | None:
    if tok.i in ctx.coded:
        return ctx.coded[tok.i]
    if depth > _MAX_DEPTH or tok.i in ctx.busy:
        return None
    ctx.busy.add(tok.i)
    try:
        result = _resolve(tok, ctx, depth)
    finally:
        ctx.busy.discard(tok.i)
    ctx.coded[tok.i] = result
    return result


def _resolve(tok: Token, ctx: Ctx, depth: int) -> Coded | None:
    found = _best_rule(tok, ctx)
    if found is None:
        return None
    rule, facts = found
    c = Coded(tok, rule, rule.code, rule.kind, facts=facts)
    if rule.kind == "say":
        # "said Sudan must return the helicopter": a demand; "announced a ceasefire": the act itself
        if facts.lemma in ("claim", "admit", "acknowledge", "confess"):
            for comp in facts.comps:   # "claimed that it had attacked": responsibility
                subj = [x for x in comp.children if x.dep_ == "nsubj"]
                if subj and subj[0].lower_ in ("it", "they", "we", "i", "he", "she"):
                    t = _code_of(comp, ctx, depth + 1)
                    if t is not None:
                        c.code, c.kind, c.topic = "015", "judge", t
                        return c
        for comp in facts.comps:
            deontic = _deontic(comp)
            if deontic:
                t = _code_of(comp, ctx, depth + 1)
                code = ctx.lex.frame_code(deontic, t.code) if t is not None else None
                c.code, c.kind, c.topic = code or ctx.lex.frame_code(deontic, "") or rule.code, deontic, t
                if t is None:
                    c.topic = Coded(comp, rule, "", "event", facts=_facts(comp))
                return c
        if tok.pos_ == "VERB" and facts.lemma in _PERFORMATIVE:
            for o in facts.objects:
                if o.pos_ in ("NOUN", "PROPN"):
                    t = _code_of(o, ctx, depth + 1)
                    if t is not None and t.code and not t.code.startswith("01"):
                        c.code, c.kind, c.topic = t.code, "light", t
                        if t.kind in FRAME_KINDS:
                            c.kind = t.kind
                        return c
        return c
    if rule.kind in FRAME_KINDS or rule.kind in ("light", "aspect", "judge"):
        topic = None
        for comp in _topic_candidates(c):
            if comp.i == tok.i:
                continue
            t = _code_of(comp, ctx, depth + 1)
            if t is not None and t.code:
                if topic is None:
                    topic = t
                else:
                    c.extra.append(t)
        if rule.kind == "judge":
            c.topic = topic
        elif topic is not None:
            kind = rule.kind
            if kind == "intent" and facts.lemma in _WISH and _other_subject(topic.tok, facts, ctx):
                kind = "appeal"
            if kind in ("light", "aspect"):
                code = topic.code
                if rule.code and topic.kind == "event" and rule.code != topic.code and not rule.is_default:
                    code = rule.code
            else:
                code = ctx.lex.frame_code(kind, topic.code)
                if code is None:
                    code = rule.code
            c.code, c.topic = code, topic
            if kind != rule.kind:
                c.kind = kind
    if not c.code:
        return None
    return c


# saying these performs the act named by the object ("announced a ceasefire", "declared martial law")
_PERFORMATIVE = {"announce", "declare", "proclaim", "unveil", "order", "decree", "impose", "reiterate", "repeat",
                 "renew", "voice", "issue", "restate", "reaffirm"}
_COMMIT = {"agree", "promise", "pledge", "vow", "commit", "guarantee", "undertake", "offer", "swear", "assure"}
_OFFER = {"propose", "offer", "suggest", "promise", "pledge"}
_WISH = {"propose", "want", "hope", "wish", "expect", "prefer", "seek"}


def _deontic(tok: Token) -> str | None:
    """"must" -> demand, "should" -> appeal, for a clause whose subject is not the speaker."""
    if tok.pos_ not in ("VERB", "AUX", "ADJ"):
        return None
    for c in tok.children:
        if c.dep_ == "aux" and c.lower_ in _DEONTIC:
            subj = [s for s in tok.children if s.dep_ in ("nsubj", "nsubjpass")]
            if not subj or subj[0].lower_ in ("i", "we", "it", "you", "one", "everyone", "everybody", "people"):
                return None
            return _DEONTIC[c.lower_]
        if c.dep_ == "aux" and c.lower_ == "to" and tok.head.lemma_ == "have" and tok.dep_ == "xcomp":
            return "demand"
    return None


def _other_subject(comp: Token, facts: Facts, ctx: Ctx) -> bool:
    """"wants Iran to stop", "proposed that the UN send": the complement has its own subject."""
    subj = [s for s in comp.children if s.dep_ in ("nsubj", "nsubjpass")]
    if not subj:
        return False
    s = subj[0]
    if s.lower_ in ("we", "us", "i", "it", "they", "he", "she") or \
            any(c.dep_ == "poss" and c.lower_ in ("their", "our", "its") for c in s.children):
        return False
    mine = {_actor_in(x, ctx.state) for x in facts.subjects} - {None}
    other = _actor_in(s, ctx.state)
    if other is not None and other in mine:
        return False
    return True


# -- participants ---------------------------------------------------------------------------------
def _actor_in(tok: Token, state: DocState, subject: bool = False) -> int | None:
    """The actor a phrase names: the token's own mention, else the nearest one among its
    modifiers (not inside its relative or complement clauses)."""
    ta = state.token_actor
    if tok.i in ta:
        return ta[tok.i]
    frontier = [tok]
    for _ in range(3):
        nxt = []
        for t in frontier:
            for c in t.children:
                if c.dep_ in CLAUSAL_DEPS or (subject and c.dep_ == "prep" and c.lower_ not in ("of", "from")):
                    continue
                if c.i in ta:
                    return ta[c.i]
                nxt.append(c)
        frontier = nxt
        if not frontier:
            break
    return None


def _named_actor(tok: Token, state: DocState) -> bool:
    """The token heads a named person, organisation or country (an addressee, not a thing)."""
    a = state.token_actor.get(tok.i)
    return a is not None and state.actors[a].kind in ("person", "organization", "country")


def _direct_actor(tok: Token, state: DocState) -> bool:
    """The phrase headed by ``tok`` is itself an actor mention (not one buried in a modifier)."""
    if tok.i in state.token_actor:
        return True
    return any(c.i in state.token_actor for c in tok.children if c.dep_ in ("compound", "poss", "amod", "nmod", "det"))


def _quote_at(state: DocState, char: int) -> tuple[int, QuoteMention] | None:
    for i, q in enumerate(state.quotes):
        if q.type != "indirect" and q.char_start <= char < q.char_end:
            return i, q
    return None


def _addressee(state: DocState, q: QuoteMention) -> int | None:
    """Whom a quote speaks to: the last other person named outside quotes before it."""
    if q.addressee is not None:
        return q.addressee
    if q.speaker is None:
        return None
    me = state.actors[q.speaker].resolved(state.actors)
    for i in range(len(state.actors) - 1, -1, -1):
        a = state.actors[i]
        if a.char_start >= q.char_start or a.in_quote:
            continue
        ref = a.resolved(state.actors)
        if ref.kind == "person" and ref is not me and (ref.kb_id != me.kb_id or ref.kb_id is None) \
                and ref.name != me.name:
            q.addressee = i
            return i
    return None


@dataclass
class Part:
    """A participant: an actor mention, or a plain noun phrase naming people or a group."""

    actor: int | None
    span: tuple[int, int] | None = None

    def key(self, state: DocState):
        if self.actor is not None:
            ref = state.actors[self.actor].resolved(state.actors)
            return ("a", ref.kb_id or ref.name.lower())
        return ("s", self.span)


_QUANTITY = {"thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "scores", "million", "millions",
             "group", "number", "crowd", "band", "team", "delegation", "contingent", "majority", "some", "many",
             "most", "all", "several", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}


def _is_group_phrase(tok: Token, ctx: Ctx) -> bool:
    """A noun phrase that names people or an organised group ("protesters", "Iraqi youths")."""
    if tok.lower_ in PRONOUN_LIKE - {"some", "many", "all", "both"} or tok.pos_ == "PRON":
        return False
    if tok.pos_ == "PROPN" and tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if tok.pos_ not in ("NOUN", "PROPN", "NUM", "DET", "ADJ"):
        return False
    group = ctx.lex.sets.get("group")
    if group is not None and (_lemma(tok) in group.lemmas or tok.lower_ in group.lemmas):
        return True
    if tok.tag_ in ("NNS", "NNPS") and any(c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE")
                                           for c in tok.children):
        return True   # "Iraqi youths", "Kurdish villagers"
    if tok.lower_ in _QUANTITY or _lemma(tok) in _QUANTITY:
        # "thousands of Kurds", "a group of gunmen"
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                return any(_is_group_phrase(g, ctx) or g.i in ctx.state.token_actor
                           for g in c.children if g.dep_ == "pobj")
    return False


def _participants(tok: Token, ctx: Ctx, quote: tuple[int, QuoteMention] | None) -> list[Part]:
    """Actors (or group-like noun phrases) a participant token stands for, with its conjuncts."""
    out: list[Part] = []
    seen: set = set()
    state = ctx.state
    for t in [tok, *[c for c in tok.conjuncts if c.i != tok.i]]:
        p = _participant(t, ctx, quote)
        for q in p:
            k = q.key(state)
            if k not in seen:
                seen.add(k)
                out.append(q)
    # actor mentions joined by "and" that the parser did not coordinate
    if out and out[0].actor is not None:
        for extra in _and_neighbours(out[0].actor, tok, ctx):
            q = Part(extra)
            k = q.key(state)
            if k not in seen:
                seen.add(k)
                out.append(q)
    return out


def _participant(t: Token, ctx: Ctx, quote: tuple[int, QuoteMention] | None) -> list[Part]:
    state = ctx.state
    low = t.lower_
    if quote is not None:
        _, q = quote
        if low in FIRST_PERSON:
            if low in ("we", "us") and q.speaker is None:
                return []
            return [Part(q.speaker)] if q.speaker is not None else []
        if low in SECOND_PERSON:
            a = _addressee(state, q)
            return [Part(a)] if a is not None else []
    if low in ("each", "other") or t.text.lower() in ("each other", "one another"):
        return []
    if low in NONPERSON_PRONOUNS and quote is None:
        ante = _governing_subject(t)
        return _participant(ante, ctx, quote) if ante is not None else []
    a = _actor_in(t, state, subject=t.dep_ in SUBJECT_DEPS)
    if a is None and (t.lower_ in _QUANTITY or _lemma(t) in _QUANTITY):
        for c in t.children:   # "thousands of Iraqi Kurds"
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        a = _actor_in(g, state)
    if a is not None:
        return [Part(a)]
    if _is_group_phrase(t, ctx):
        start = t.left_edge
        while start.i < t.i and (start.dep_ in ("det", "punct", "cc", "predet") or start.lower_ in PRONOUN_LIKE):
            start = t.doc[start.i + 1]
        return [Part(None, (start.idx, t.idx + len(t.text)))]
    return []


# roots whose joint act by coordinated actors without an outside target is mutual
# ("Jordan and Britain agreed to hold exercises", "Bosnia and Slovenia agreed to a ceasefire")
_MUTUAL_ROOTS = {"03", "04", "05", "06", "08", "19"}


def _governing_subject(t: Token) -> Token | None:
    """"X said it would ...", "X announced that they had ...": the subject of the clause above."""
    cur = t.head
    own = None
    for _ in range(8):
        if cur.pos_ in ("VERB", "AUX") and own is None:
            own = cur
        elif cur.pos_ in ("VERB", "AUX") and cur is not own:
            subj = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in PRONOUN_LIKE]
            if subj:
                return subj[0]
        if cur.head is cur:
            break
        cur = cur.head
    return None


def _and_neighbours(actor: int, tok: Token, ctx: Ctx) -> list[int]:
    """Mentions linked to ``actor`` by "and" (or a list "A, B and C") in the same sentence."""
    state, doc = ctx.state, ctx.doc
    m = state.actors[actor]
    sent = tok.sent
    out: list[int] = []
    # leftwards: "<A> and <m>", "<A>, <B> and <m>"
    cur = m
    listing = False
    while cur.start - 2 >= sent.start:
        sep = doc[cur.start - 1]
        if sep.lower_ not in ("and", "&") and not (sep.lower_ == "," and listing):
            break
        prev = state.token_actor.get(cur.start - 2)
        if prev is None or state.actors[prev].end != cur.start - 1 or prev == actor:
            break
        out.append(prev)
        cur = state.actors[prev]
        listing = True
    # rightwards: "<m> and <B>"
    if m.end < sent.end - 1 and doc[m.end].lower_ in ("and", "&"):
        nxt = state.token_actor.get(m.end + 1)
        if nxt is not None and state.actors[nxt].start == m.end + 1:
            verb_i = tok.head.i if tok.dep_ in SUBJECT_DEPS else -1
            if verb_i < 0 or state.actors[nxt].end <= verb_i:
                out.append(nxt)
    return out


def _is_pair_phrase(span: Span | None) -> bool:
    if span is None:
        return False
    text = span.text.lower()
    return text in _PAIR_WORDS or any(text.endswith(w) for w in ("two countries", "two sides", "both sides",
                                                                 "both countries", "two nations", "each other"))


def _country_mention(actor: int, tok: Token, state: DocState) -> int:
    """The latest mention, before ``tok``, of the country an actor belongs to (else the actor)."""
    country = state.actors[actor].resolved(state.actors).country
    best = actor
    for i, m in enumerate(state.actors):
        if m.char_start >= tok.idx:
            break
        if m.kind == "country" and m.country == country and not m.in_quote:
            best = i
    return best


def _clause_subjects(tok: Token) -> list[Token]:
    """The subject of a verb, climbing control and coordination ("X agreed to meet Y")."""
    cur = tok
    for _ in range(4):
        subj = [c for c in cur.children if c.dep_ in ("nsubj", "csubj")]
        if subj:
            return subj
        if any(c.dep_ == "nsubjpass" for c in cur.children) or (cur.dep_ == "acl" and cur.tag_ == "VBN"):
            agent = [g for c in cur.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if not agent:
                agent = _instrument_agent(cur)
            return agent
        if cur.dep_ == "xcomp" and cur.head is not cur:
            # object control: "urged Uganda to repatriate" -> Uganda repatriates
            objs = [c for c in cur.head.children if c.dep_ in ("dobj",) and c.i < cur.i]
            if objs and _lemma(cur.head) not in ("promise", "vow", "pledge"):
                return objs
            cur = cur.head
            continue
        if cur.dep_ in ("conj", "advcl") and cur.head is not cur:
            cur = cur.head
            continue
        if cur.dep_ in ("relcl", "acl") and cur.head.pos_ in ("NOUN", "PROPN"):
            rel = [c for c in cur.children if c.dep_ in ("nsubj",) and c.tag_ in ("WDT", "WP")]
            if rel or cur.dep_ == "relcl":
                return [cur.head]
            noun = cur.head
            if cur.tag_ != "VBN" and noun.dep_ in ("dobj", "attr", "pobj"):
                # "issued a declaration demanding ...", "converged for a rally to protest ...": the actor of the verb above
                up = noun.head if noun.dep_ != "pobj" else noun.head.head
                if up.pos_ in ("VERB", "AUX"):
                    cur = up
                    continue
            return []
        if cur.pos_ in ("NOUN", "ADJ") and cur.dep_ in ("dobj", "attr", "acomp", "pobj") and cur.head is not cur:
            cur = cur.head
            continue
        break
    return []


_INSTRUMENT = {"attack", "strike", "airstrike", "raid", "bombing", "shelling", "bombardment", "ambush", "assault",
               "offensive", "operation", "clash", "explosion", "blast", "fire", "crossfire", "crackdown"}


def _instrument_agent(verb: Token) -> list[Token]:
    """"killed in an air strike by government forces", "wounded in an Israeli raid": who acted."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "during", "by"):
            for g in c.children:
                if g.dep_ == "pobj" and _lemma(g) in _INSTRUMENT:
                    for gc in g.children:
                        if gc.dep_ == "prep" and gc.lower_ == "by":
                            return [x for x in gc.children if x.dep_ == "pobj"]
                    mods = [m for m in g.children if m.dep_ in ("amod", "compound", "poss") and m.i < g.i
                            and m.ent_type_ in ("NORP", "GPE", "ORG")]
                    if mods:
                        return mods
    return []


def _noun_source(tok: Token, ctx: Ctx, quote) -> list[Part]:
    """Who acts in a nominal event: "Putin's visit", "US sanctions", "an attack by rebels"."""
    parts: list[Part] = []
    for c in tok.children:
        if c.dep_ == "poss" or (c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i):
            if c.dep_ == "poss" and c.lower_ in ("his", "her", "its", "their", "my", "our", "your"):
                if quote is not None and c.lower_ in ("my", "our"):
                    parts.extend(_participant(c, ctx, quote))
                elif tok.dep_ in ("dobj", "attr") and tok.head.pos_ == "VERB":
                    for s in _clause_subjects(tok.head):   # "reiterated its demand"
                        parts.extend(_participants(s, ctx, quote))
                continue
            a = _actor_in(c, ctx.state)
            if a is not None:
                parts.append(Part(a))
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            for g in c.children:
                if g.dep_ == "pobj":
                    parts.extend(_participants(g, ctx, quote))
    return parts


def _target_tokens(c: Coded) -> list[Token]:
    """Candidate target tokens of a coded trigger, best first."""
    f, rule = c.facts, c.rule
    out: list[Token] = []
    for slot in rule.preps:
        if slot.target:
            out.extend(f.preps.get(slot.prep, []))
    if rule.obj_target:
        out.extend(f.objects)
    noun = c.tok.pos_ in ("NOUN", "PROPN", "ADJ")
    if noun:
        for p in ("between",) + _NOUN_TARGET_PREPS:
            out.extend(f.preps.get(p, []))
    else:
        out.extend(o for o in f.objects)
        for p in _TARGET_PREPS:
            out.extend(f.preps.get(p, []))
    return out


# -- modality ----------------------------------------------------------------------------------------
def _clause_head(tok: Token) -> Token:
    """The verb governing a trigger's clause (a noun's verb, an xcomp's controller stays)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.head is cur:
            return cur
        cur = cur.head
    return cur


def _conditional(t: Token) -> bool:
    """``t`` is conditioned: "if ..." on itself, or it is the consequent of an if-clause."""
    for ch in t.children:
        if ch.dep_ == "mark" and ch.lower_ in ("if", "unless"):
            return True
        if ch.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("if", "unless") for g in ch.children):
            return True
    return False


def _modality(c: Coded, ctx: Ctx, quote, reported: bool, intent_modal: bool = False) -> tuple[str, bool]:
    tok = c.tok
    head = _clause_head(tok)
    chain = [tok] if tok is head else [tok, head]
    negated = False
    hypothetical = False
    intended = intent_modal or c.kind in ("intent", "posture") or c.code[:2] == "03"
    for t in chain:
        for ch in t.children:
            if ch.dep_ == "neg" or (ch.dep_ == "advmod" and ch.lower_ in ("never",)):
                negated = True
            if ch.dep_ == "det" and ch.lower_ == "no" and t.pos_ in ("NOUN", "PROPN"):
                negated = True
            if ch.dep_ in ("aux", "auxpass"):
                w = ch.lower_
                if w in _INTENT_AUX:
                    intended = True
                elif w == "would":
                    if reported:
                        intended = True
                    else:
                        hypothetical = True
                elif w in _HYPOTHETICAL_AUX:
                    hypothetical = True
            if ch.dep_ == "mark" and ch.lower_ in ("whether",):
                hypothetical = True
        if _conditional(t):
            hypothetical = True
    # the clauses above: "If we need to coordinate", "did not agree to", "ready to work"
    cur = head
    for _ in range(4):
        if cur.head is cur or cur.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "acomp", "pcomp", "prep"):
            break
        up = cur.head
        if cur.dep_ == "xcomp" and any(ch.dep_ == "neg" for ch in up.children):
            negated = True
        if cur.dep_ in ("xcomp", "conj", "advcl", "pcomp", "prep"):
            if cur.dep_ != "advcl" and _conditional(up):
                hypothetical = True
            for ch in up.children:
                if ch.dep_ == "aux" and (ch.lower_ in _HYPOTHETICAL_AUX or (ch.lower_ == "would" and not reported)):
                    hypothetical = True
        cur = up
    sent = tok.sent.text.lower()
    if c.kind != "say" and any(m in sent for m in _HYPO_MARKERS):
        hypothetical = True
    if hypothetical:
        return "hypothetical", negated
    if intended:
        return "intended", negated
    if reported or quote is not None:
        return "reported", negated
    return "asserted", negated


def _under_say(tok: Token, ctx: Ctx) -> Coded | None:
    """The reporting verb whose complement clause contains ``tok``, if any."""
    cur = tok
    for _ in range(6):
        if cur.head is cur:
            return None
        if cur.dep_ in ("ccomp", "parataxis") or (cur.dep_ == "conj" and cur.head.dep_ == "ccomp"):
            c = _code_of(cur.head, ctx)
            if c is not None and c.kind == "say" and c.facts.lemma != "report":
                return c
        cur = cur.head
    return None


# -- dates, places, discards ---------------------------------------------------------------------------
# The date part of a TIMEX3 value, at its own granularity: 2025-08-28, 2025-W34, 1989-Q3, 199.
_EVENT_DATE = re.compile(r"\d{2,4}(?:-(?:\d\d(?:-\d\d)?|W\d\d|Q\d|H\d|SP|SU|FA|WI))?")


def _time_map(doc: Doc, state: DocState) -> dict[int, str]:
    out: dict[int, str] = {}
    for t in state.times:
        if t.type not in ("DATE", "TIME") or t.start < 0 or t.value.endswith("_REF") or t.value[:1] not in "0123456789":
            continue
        m = _EVENT_DATE.match(t.value.split("T")[0])
        if not m:
            continue
        root = doc[t.start:t.end].root
        out.setdefault(_clause_head(root.head if root.head is not root else root).i, m.group())
    return out


def _when(tok: Token, times: dict[int, str]) -> str | None:
    cur = tok if tok.pos_ in ("VERB", "AUX") else _clause_head(tok)
    for _ in range(4):
        if cur.i in times:
            return times[cur.i]
        if cur.dep_ in ("xcomp", "conj", "advcl") and cur.head is not cur:
            cur = cur.head
            continue
        break
    return None


def _phrase_hits(words: list[str], lex: EventLexicon) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, scope) of discard phrases in a lower-cased token list."""
    hits = []
    for i, w in enumerate(words):
        for phrase in lex.discard_first.get(w, ()):
            if tuple(words[i:i + len(phrase)]) == phrase:
                for p, kind, scope in lex.discards:
                    if p == phrase:
                        hits.append((i, i + len(phrase), kind, scope))
                        break
    return hits


def _discards(doc: Doc, lex: EventLexicon) -> tuple[set[int], list[tuple[int, int]], bool]:
    """Sentences to skip (by start token), historical token ranges, whether to skip the article."""
    strings = doc.vocab.strings  # lower forms from an array: no Token object per word
    words = [strings[h] for h in doc.to_array(LOWER).tolist()] if len(doc) else []
    skip: set[int] = set()
    history: list[tuple[int, int]] = []
    article = False
    first = next(iter(doc.sents), None)
    for s, e, _kind, scope in _phrase_hits(words, lex):
        sent = doc[s].sent
        if scope == "clause":
            history.append((s, e))
        else:
            skip.add(sent.start)
            if scope == "article" and first is not None and sent.start == first.start:
                article = True
    return skip, history, article


def _historical(tok: Token, history: list[tuple[int, int]]) -> bool:
    if not history:
        return False
    head = _clause_head(tok)
    lo, hi = head.left_edge.i, head.right_edge.i
    for s, _ in history:
        if lo <= s <= hi and s >= tok.sent.start:
            # the marker must belong to this clause, not to a clause inside it
            cur = tok.doc[s]
            for _ in range(8):
                if cur.pos_ in ("VERB", "AUX") or cur.head is cur:
                    break
                cur = cur.head
            if cur.i == head.i or cur.i == tok.i:
                return True
    return False


# -- the main walk ---------------------------------------------------------------------------------------
def extract_events(doc: Doc, state: DocState, lex: EventLexicon, settings: EventSettings) -> list[EventMention]:
    ctx = Ctx(doc, state, lex)
    skip_sents, history, skip_article = _discards(doc, lex)
    if skip_article:
        return []
    art = _ArticleTime(_time_map(doc, state), state.date.isoformat() if state.date else None,
                       state.date.year if state.date else None, history, settings)
    events: list[EventMention] = []
    consumed: set[int] = set()
    # the last two actors of different countries that acted on each other: what "the
    # bilateral relationship" of a later sentence is about (carried from sentence to sentence)
    last_pair: tuple[int, int] | None = None
    for sent in doc.sents:
        soft = sent.start in skip_sents
        coded = [c for tok in sent if tok.pos_ in ("VERB", "NOUN", "PROPN", "ADJ")
                 for c in (_code_of(tok, ctx),) if c is not None]
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


_POLITICAL = {"GOV", "MIL", "COP", "JUD", "LEG", "REB", "OPP", "PTY", "IGO", "SPY", "INS", "SEP", "UAF", "PRM"}


def _political(actor: int | None, state: DocState) -> bool:
    if actor is None:
        return False
    ref = state.actors[actor].resolved(state.actors)
    # a bare country in a sports sentence is a team ("France beat England")
    return ref.sector in _POLITICAL or ref.country in ("IGO", "UNO", "EUR")


@dataclass(frozen=True)
class _ArticleTime:
    """What dates an event: the time expressions by token, the article's day and year."""

    times: dict[int, str]
    day: str | None
    year: int | None
    history: list[tuple[int, int]]
    settings: EventSettings


@dataclass(frozen=True)
class _Reading:
    """How a trigger is meant: its final code, modality and polarity."""

    code: str
    modality: str
    negated: bool


def _events_for(c: Coded, ctx: Ctx, sent: Span, art: _ArticleTime, last_pair: tuple[int, int] | None
                ) -> list[EventMention]:
    """The events one coded trigger yields (pure: reads the trigger, the context and the pair
    the previous sentences were about)."""
    tok, state = c.tok, ctx.state
    if _historical(tok, art.history):
        return []
    quote = _quote_at(state, tok.idx)
    noun = tok.pos_ in ("NOUN", "PROPN")
    say = _under_say(tok, ctx)
    reading = _reading(c, ctx, quote, say)
    sources, targets = _participants_of(c, ctx, quote, noun, last_pair)
    if not _codable(c, noun, sources, targets):
        return []
    pairs = _pairs(c, reading.code, sources, targets, noun, state)
    if not pairs:
        return []
    conf = _confidence(c, reading.code, reading.modality, reading.negated, say is not None, noun,
                       art.settings.confidence)
    when = _when(tok, art.times)
    if when and art.year and when[:4].isdigit() and int(when[:4]) <= art.year - art.settings.history_years:
        return []
    place = event_location(ctx.doc, ctx.state, tok.i)
    out: list[EventMention] = []
    seen = set()
    for a, b, cd in pairs:
        k = (a.key(state) if a else None, b.key(state) if b else None, cd)
        if k not in seen:
            seen.add(k)
            out.append(_mention(tok, sent, a, b, cd, reading, quote, _pair_confidence(conf, a, b, state,
                                                                                        art.settings.confidence),
                                when, art.day, place))
    return out


def _reading(c: Coded, ctx: Ctx, quote, say: Coded | None) -> _Reading:
    """Code, modality and polarity: "will visit" is an intent (036), "would attack" reported is a
    threat (138), "will not accept refugees" a refusal, "I congratulate you" in a quote is done."""
    tok, lex = c.tok, ctx.lex
    code, kind = c.code, c.kind
    will = intent_modal = False
    if tok.pos_ == "VERB" and kind != "say":
        auxes = {ch.lower_ for ch in tok.children if ch.dep_ in ("aux", "auxpass")}
        going = any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in tok.children) and \
            tok.head.lemma_ == "go" and tok.dep_ == "xcomp"
        will = bool(auxes & _INTENT_AUX or ("would" in auxes and say is not None) or going)
        if will and kind not in FRAME_KINDS and kind != "judge":
            new = lex.frame_code("intent", code)
            if new:
                code = new
            intent_modal = True
    modality, negated = _modality(c, ctx, quote, say is not None, intent_modal)
    if negated and will and c.kind not in ("reject",):
        # "said he would not provide support", "will not accept refugees": a refusal
        base = c.topic.code if c.kind == "intent" and c.topic is not None else c.code
        new = lex.frame_code("reject", base)
        if new:
            code, negated = new, False
            modality = "reported" if quote is not None else "asserted"
    if quote is not None and modality == "reported" and tok.tag_ in ("VBP", "VB") and \
            any(ch.dep_ == "nsubj" and ch.lower_ in ("i", "we") for ch in tok.children):
        modality = "asserted"   # "I congratulate you": saying it is doing it
    return _Reading(code, modality, negated)


def _participants_of(c: Coded, ctx: Ctx, quote, noun: bool, last_pair: tuple[int, int] | None
                     ) -> tuple[list[Part], list[Part]]:
    """Sources and targets of a trigger, each step a fallback for the ones before it."""
    state = ctx.state
    sources = _sources(c, ctx, quote, noun)
    targets = _own_targets(c, ctx, quote)
    if c.topic is not None and c.topic.tok.pos_ in ("NOUN", "PROPN") and c.topic.tok.dep_ in ("dobj", "attr"):
        own = _noun_source(c.topic.tok, ctx, quote)   # "reaffirmed China's readiness to ..."
        if own:
            sources = own
    if not targets:
        targets = _topic_targets(c, ctx, quote)
    if not targets and not noun:
        targets = _material_target(c, state, sources)
    # "a pact between the two countries", "support each other": mutual among the sources
    if len(sources) >= 2 and targets and all(p.actor is None and p.span is not None and
                                             _is_pair_phrase(ctx.doc.char_span(*p.span, alignment_mode="expand"))
                                             for p in targets):
        targets = []
    if not targets and quote is not None:
        targets = _quote_targets(c, ctx, quote, noun, sources)
    # "the bilateral relationship": the pair the article is about
    if not sources and not targets and last_pair is not None:
        words = " ".join(t.lower_ for t in c.tok.sent)
        if any(w in words for w in _PAIR_WORDS):
            a, b = (_country_mention(x, c.tok, state) for x in last_pair)
            sources, targets = [Part(a)], [Part(b)]
    return sources, targets


def _sources(c: Coded, ctx: Ctx, quote, noun: bool) -> list[Part]:
    tok, state = c.tok, ctx.state
    if noun:
        return _noun_source(tok, ctx, quote)
    subj_toks = _clause_subjects(tok)
    if tok.pos_ == "ADJ":
        subj_toks = _clause_subjects(tok.head) if tok.dep_ in ("acomp", "amod", "xcomp") else subj_toks
    sources: list[Part] = []
    for s in subj_toks:
        for p in _participants(s, ctx, quote):
            if p.key(state) not in {q.key(state) for q in sources}:
                sources.append(p)
    return sources


def _own_targets(c: Coded, ctx: Ctx, quote) -> list[Part]:
    """The trigger's own object slots (not the complement a frame consumed)."""
    topic_toks = {t.tok.i for t in [c.topic, *c.extra] if t is not None}
    for t in _target_tokens(c):
        if t.i in topic_toks:
            continue
        targets = _participants(t, ctx, quote)
        if targets:
            return targets
    return []


def _topic_targets(c: Coded, ctx: Ctx, quote) -> list[Part]:
    """What the consumed complement is about ("urged Iran to release ...")."""
    topic = c.topic
    while topic is not None:
        if topic.facts is not None:
            for t in _target_tokens(topic):
                targets = _participants(t, ctx, quote)
                if targets:
                    return targets
            if c.kind in ("appeal", "demand"):
                for s in topic.facts.subjects:
                    targets = _participants(s, ctx, quote)
                    if targets:
                        return targets
        topic = topic.topic
    return []


def _material_target(c: Coded, state: DocState, sources: list[Part]) -> list[Part]:
    """A material act in or from a country, with no one else on the receiving end:
    "lifted the curfew in Montenegro", "withdrew its troops from Lebanon"."""
    for t in [c.tok] + ([c.topic.tok] if c.topic is not None else []):
        for ch in t.children:
            if ch.dep_ == "prep" and ch.lower_ in ("in", "from", "inside", "within", "to"):
                for g in ch.children:
                    a = state.token_actor.get(g.i) if g.dep_ == "pobj" else None
                    if a is not None and state.actors[a].kind == "country" and \
                            all(x.actor is None or x.key(state) != Part(a).key(state) for x in sources):
                        return [Part(a)]
    return []


def _quote_targets(c: Coded, ctx: Ctx, quote, noun: bool, sources: list[Part]) -> list[Part]:
    """Inside a quote: communicative acts are addressed to the addressee ("I propose ..."), and
    "we met" is the speaker and the addressee."""
    state, kind = ctx.state, c.kind
    addressed = kind in ("appeal", "demand", "judge", "threat") or c.topic is not None or \
        (kind == "intent" and c.facts.lemma in _OFFER)
    if addressed and any(p.actor is not None and p.actor == quote[1].speaker for p in sources):
        a = _addressee(state, quote[1])
        if a is not None:
            return [Part(a)]
    if c.rule.mirror:
        subj_words = {s.lower_ for s in (_clause_subjects(c.tok) if not noun else [])}
        if subj_words & {"we", "us"}:
            a = _addressee(state, quote[1])
            if a is not None:
                return [Part(a)]
    return []


def _codable(c: Coded, noun: bool, sources: list[Part], targets: list[Part]) -> bool:
    """Whether the trigger with these participants is an event at all."""
    tok = c.tok
    if noun and not c.rule.standalone:
        return False
    if not noun and not sources and not (c.facts.passive or tok.pos_ == "ADJ") and not _clause_subjects(tok):
        return False   # an act with no subject at all: a gerund in a list of topics, a headline fragment
    between = noun and not sources and len(targets) >= 2 and any(
        ch.dep_ == "prep" and ch.lower_ == "between" for ch in tok.children)
    # "talks between Serbia and Kosovo" is mutual among the targets; other nouns need both sides
    if not between and noun and (not sources or not (targets or c.topic is not None)):
        return False
    if c.kind in ("intent", "posture") and c.topic is None and not targets and c.facts.lemma not in _COMMIT:
        return False   # "wants to stay", "pledged to change things": nothing codable, no one to act with
    return bool(sources or targets)


def _pairs(c: Coded, code: str, sources: list[Part], targets: list[Part], noun: bool, state: DocState
           ) -> list[tuple[Part | None, Part | None, str]]:
    """(source, target, code) for each event; reciprocal acts ("A and B met") go both ways."""
    pairs: list[tuple[Part | None, Part | None, str]] = []
    mirror = c.rule.mirror
    if not mirror and c.kind in ("light", "aspect") and c.topic is not None:
        mirror = c.topic.rule.mirror and c.topic.code   # "renewed negotiations": mutual like the talks
    if c.code != code and mirror:
        # an intended reciprocal act stays reciprocal ("will meet"); an intended visit is the visitor's
        mirror = code if c.rule.mirror == c.code else ""
    if c.rule.reverse:
        sources, targets = targets, sources
    mutual = bool(mirror) or code[:2] in _MUTUAL_ROOTS
    if len(sources) >= 2 and not targets and mutual:
        return [(a, b, code) for a in sources for b in sources if a is not b]
    if noun and len(targets) >= 2 and not sources and mirror:
        return [(a, b, code) for a in targets for b in targets if a is not b]
    for a in sources or [None]:
        for b in targets or [None]:
            if a is not None and b is not None and a.key(state) == b.key(state):
                continue
            pairs.append((a, b, code))
            if mirror and a is not None and b is not None:
                pairs.append((b, a, mirror if c.code == code else code))
    return pairs


def _pair_confidence(conf: float, a: Part | None, b: Part | None, state: DocState, w: dict[str, float]) -> float:
    """The trigger's confidence adjusted for how well its participants are known (raw weights,
    named in the stage settings; calibration is issue 15's other part)."""
    p = conf
    if a is not None and a.actor is not None:
        p += w["source_with_country"] if state.actors[a.actor].resolved(state.actors).country \
            else w["source_without_country"]
    if b is not None and b.actor is not None:
        p += w["target_with_country"] if state.actors[b.actor].resolved(state.actors).country \
            else w["target_without_country"]
    if a is None:
        p += w["no_source"]
    return round(max(w["floor"], min(p, w["ceiling"])), 3)


def _mention(tok: Token, sent: Span, a: Part | None, b: Part | None, code: str, reading: _Reading, quote,
             confidence: float, when: str | None, article_day: str | None, place: int | None) -> EventMention:
    ev = EventMention(sent.start_char, sent.end_char, (tok.idx, tok.idx + len(tok.text)), tok.i,
                      a.actor if a else None, b.actor if b else None, code, negated=reading.negated,
                      modality=reading.modality, quote=quote[0] if quote else None, confidence=confidence)
    if a is not None and a.actor is None:
        ev.source_span = a.span
    if b is not None and b.actor is None:
        ev.target_span = b.span
    if when:
        ev.date, ev.date_from = when, "text"
    elif article_day:
        ev.date, ev.date_from = article_day, "article"
    ev.place = place
    return ev


def _confidence(c: Coded, code: str, modality: str, negated: bool, reported: bool, noun: bool,
                w: dict[str, float]) -> float:
    """The raw confidence of a trigger's reading: a sum of named weights (``CONFIDENCE_WEIGHTS``)."""
    rule, tok = c.rule, c.tok
    conf = w["base"]
    conf += min(rule.specificity, w["max_specificity"]) * w["per_specificity"]
    if rule.origin == "curated":
        conf += w["curated_rule"]
    elif rule.is_default:
        conf += w["default_rule"]
    if c.topic is not None:
        conf += w["frame_topic"]
    if c.kind == "say" or code == "010":
        conf += w["say"]
    elif code[:2] == "01":
        conf += w["other_statement"]
    if noun:
        conf += w["noun_trigger"]
        if tok.dep_ == "pobj":
            conf += w["noun_in_pobj"]
    head = _clause_head(tok)
    if head.dep_ == "ROOT" or (head.dep_ == "conj" and head.head.dep_ == "ROOT"):
        conf += w["main_clause"]
    elif head.dep_ in SUBORDINATE_DEPS:
        conf += w["subordinate_gerund"] if head.tag_ == "VBG" else w["subordinate"]
    if reported:
        conf += w["reported"]
    if negated:
        conf += w["negated"]
    if modality == "hypothetical":
        conf += w["hypothetical"]
    return conf


# Raw confidence weights, added up by ``_confidence`` and ``_pair_confidence``: named so that a
# run can vary them from the config (``components.communique_events.confidence``) and so that
# calibration can replace them.
CONFIDENCE_WEIGHTS: dict[str, float] = {
    "base": 0.5, "per_specificity": 0.012, "max_specificity": 8, "curated_rule": 0.04, "default_rule": -0.04,
    "frame_topic": 0.06, "say": -0.3, "other_statement": -0.08, "noun_trigger": -0.12, "noun_in_pobj": -0.05,
    "main_clause": 0.04, "subordinate_gerund": -0.12, "subordinate": -0.08, "reported": 0.05, "negated": -0.2,
    "hypothetical": -0.2, "source_with_country": 0.08, "source_without_country": 0.04,
    "target_with_country": 0.05, "target_without_country": 0.02, "no_source": -0.05, "floor": 0.05,
    "ceiling": 0.97,
}


@dataclass(frozen=True)
class EventSettings:
    """The event stage's tunables, from the component's config."""

    history_years: int = 25     # a clause dated this many years before the article is historical narrative
    confidence: dict[str, float] = field(default_factory=lambda: dict(CONFIDENCE_WEIGHTS))
    quote_confidence: dict[str, float] = field(default_factory=lambda: dict(QUOTE_ACT_CONFIDENCE))


class EventStage:
    """The ``communique_events`` component; owns its lexicon, quote-act table and settings."""

    def __init__(self, lex: EventLexicon, acts: Acts, settings: EventSettings):
        self.lex = lex
        self.acts = acts
        self.settings = settings

    def __call__(self, doc: Doc) -> Doc:
        state = get_state(doc)
        state.events = extract_events(doc, state, self.lex, self.settings)
        # Quotes whose content is a codable act (praise, proposal, threat ...) add
        # events of their own, linked by `quote`; see quote_events.py.
        state.events.extend(events_from_quotes(doc, state, self.acts, self.settings.quote_confidence))
        return doc


@Language.factory("communique_events", default_config={
    "history_years": 25, "confidence": CONFIDENCE_WEIGHTS, "quote_confidence": QUOTE_ACT_CONFIDENCE})
def make_event_stage(nlp: Language, name: str, history_years: int, confidence: dict[str, float],
                     quote_confidence: dict[str, float]) -> EventStage:
    missing = sorted(set(CONFIDENCE_WEIGHTS) - set(confidence)) + sorted(
        set(QUOTE_ACT_CONFIDENCE) - set(quote_confidence))
    if missing:
        raise CommuniqueError(f"confidence weight(s) {', '.join(missing)} missing", f"components.{name}",
                              "give every weight of the default config")
    get_codebook()
    return EventStage(get_event_lexicon(), get_acts(),
                      EventSettings(history_years, dict(confidence), dict(quote_confidence)))
