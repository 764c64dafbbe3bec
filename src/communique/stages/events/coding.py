"""Step 2: the code of a trigger, frames and light verbs resolved through their complements.
"""

from __future__ import annotations

from spacy.tokens import Token

from ...kb.lexicons import FRAME_KINDS
from .._lexicon import PRONOUN_LIKE
from .matching import best_rule, facts_of
from .model import Coded, Ctx, Facts, actor_in
from .words import ACCUSING_SAY, DEONTIC, MEASURE, PART_WORDS, PERFORMATIVE, WISH


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
        if o.lower_ in PART_WORDS or o.lower_ in MEASURE:   # "suspended part of a military aid program"
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


def code_of(tok: Token, ctx: Ctx, depth: int = 0) -> Coded | None:
    if tok.i in ctx.coded:
        return ctx.coded[tok.i]
    if depth > ctx.limits["frame_depth"] or tok.i in ctx.busy:
        return None
    ctx.busy.add(tok.i)
    try:
        result = _resolve(tok, ctx, depth)
    finally:
        ctx.busy.discard(tok.i)
    ctx.coded[tok.i] = result
    return result


# Long on purpose: the frame chain of one trigger (say, deontic, light, aspect, frame): each step
# may consume a complement and the order matters.
def _resolve(tok: Token, ctx: Ctx, depth: int) -> Coded | None:
    found = best_rule(tok, ctx)
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
                    t = code_of(comp, ctx, depth + 1)
                    if t is not None:
                        c.code, c.kind, c.topic = "015", "judge", t
                        return c
        for comp in facts.comps:
            deontic = _deontic(comp)
            if deontic:
                t = code_of(comp, ctx, depth + 1)
                code = ctx.lex.frame_code(deontic, t.code) if t is not None else None
                c.code, c.kind, c.topic = code or ctx.lex.frame_code(deontic, "") or rule.code, deontic, t
                if t is None:
                    c.topic = Coded(comp, rule, "", "event", facts=facts_of(comp))
                return c
        accused = _accusation(c, ctx, depth)
        if accused:
            c.code = accused   # the clause's act stays an event of its own, reported
            return c
        if tok.pos_ == "VERB" and facts.lemma in PERFORMATIVE:
            for o in facts.objects:
                if o.pos_ in ("NOUN", "PROPN"):
                    t = code_of(o, ctx, depth + 1)
                    if t is not None and t.code and not t.code.startswith("01"):
                        c.code, c.kind, c.topic = t.code, "light", t
                        if t.kind in FRAME_KINDS:
                            c.kind = t.kind
                        return c
        return c
    if tok.pos_ == "VERB" and rule.obj is not None and rule.kind == "event":
        sharper = _modified_object(c, ctx, depth)
        if sharper is not None:
            c.code, c.kind, c.topic = sharper.code, "light", sharper
            return c
    if rule.kind in FRAME_KINDS or rule.kind in ("light", "aspect", "judge"):
        topic = None
        for comp in _topic_candidates(c):
            if comp.i == tok.i:
                continue
            t = code_of(comp, ctx, depth + 1)
            if t is not None and t.code:
                if topic is None:
                    topic = t
                else:
                    c.extra.append(t)
        if rule.kind == "judge":
            c.topic = topic
        elif topic is not None:
            kind = rule.kind
            if kind == "intent" and facts.lemma in WISH and _other_subject(topic.tok, facts, ctx):
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


def _accusation(c: Coded, ctx: Ctx, depth: int) -> str | None:
    """The accusation a speaker makes by naming someone else's violent act before reporting it
    ("The US said that Iraq had attacked Kuwait", "Israel said a mortar was fired at it"): the
    code of frame ``report`` for the clause's act. A trailing attribution ("..., police said")
    relays the news and accuses no one; a clause about the speaker itself ("it attacked") is no
    accusation."""
    if c.tok.pos_ != "VERB" or c.facts.lemma not in ACCUSING_SAY:
        return None
    for comp in c.facts.comps:
        if comp.dep_ != "ccomp" or comp.i < c.tok.i:
            continue
        subj = [x for x in comp.children if x.dep_ in ("nsubj", "nsubjpass")]
        if not subj or subj[0].pos_ == "PRON" or subj[0].lower_ in PRONOUN_LIKE:
            continue
        doers = [subj[0]] if subj[0].dep_ != "nsubjpass" else [
            g for a in comp.subtree if a.dep_ == "agent" or a.lower_ == "by" for g in a.children
            if g.dep_ == "pobj" and g.pos_ != "PRON"]
        # an actor is accused, not "the aircraft" or "the attack"; a passive without a named doer
        # ("said bin Laden was killed in an operation") names a victim and accuses no one
        if not any(actor_in(d, ctx.state, depth=ctx.limits["modifier_depth"]) is not None for d in doers):
            continue
        t = code_of(comp, ctx, depth + 1)
        code = ctx.lex.frame_code("report", t.code) if t is not None and t.code else None
        if code:
            return code
    return None


def _modified_object(c: Coded, ctx: Ctx, depth: int) -> Coded | None:
    """The object noun the verb's row names, when a modifier makes it a more specific event of its
    own ("launched a cyber attack": the noun row "attack ~cyber" 170, not the verb row "launch
    attack" 190; "carried out a suicide bombing": 1831)."""
    heads = c.rule.obj.heads()
    for o in c.facts.objects:
        if o.pos_ != "NOUN" or o.lemma_.lower() not in heads:
            continue
        t = code_of(o, ctx, depth + 1)
        if t is not None and t.code and t.code != c.code and t.rule.obj is not None and t.rule.obj.anywhere:
            return t
    return None


def _deontic(tok: Token) -> str | None:
    """"must" -> demand, "should" -> appeal, for a clause whose subject is not the speaker."""
    if tok.pos_ not in ("VERB", "AUX", "ADJ"):
        return None
    for c in tok.children:
        if c.dep_ == "aux" and c.lower_ in DEONTIC:
            subj = [s for s in tok.children if s.dep_ in ("nsubj", "nsubjpass")]
            if not subj or subj[0].lower_ in ("i", "we", "it", "you", "one", "everyone", "everybody", "people"):
                return None
            return DEONTIC[c.lower_]
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
    mine = {actor_in(x, ctx.state, depth=ctx.limits["modifier_depth"]) for x in facts.subjects} - {None}
    other = actor_in(s, ctx.state, depth=ctx.limits["modifier_depth"])
    if other is not None and other in mine:
        return False
    return True
