"""Step 1: matching a trigger's lemma and dependents against the lexicon's rules.
"""

from __future__ import annotations

from spacy.tokens import Token

from ...kb.lexicons import Rule, Words
from .._lexicon import (
    COMPLEMENT_DEPS,
    OBJECT_DEPS,
    PREP_DEPS,
    PRONOUN_LIKE,
    SUBJECT_DEPS,
)
from .._state import DocState
from .model import Ctx, Facts, direct_actor, lemma_of, named_actor
from .words import MEASURE, STATIVE_PARTICIPLES


def _words_match(tok: Token, w: Words | None) -> bool:
    if w is None or w.any:
        return True
    if tok.lower_ in MEASURE or (tok.pos_ == "NUM" and tok.dep_ in ("dobj", "pobj")):
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
    if lemma_of(tok) in w.lemmas or tok.lower_ in w.lemmas or _singular(tok.lower_) in w.lemmas:
        return True
    if tok.pos_ in ("NOUN", "PROPN") and tok.i + 1 < len(tok.doc):
        # "in police firing": the parser makes the gerund a clause on the noun, not the head
        nxt = tok.doc[tok.i + 1]
        if nxt.head.i == tok.i and nxt.dep_ == "acl" and nxt.tag_ == "VBG" and nxt.lower_ in w.lemmas:
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
    if lemma_of(tok) != last and tok.lower_ != last:
        return False
    mods = {t.lower_ for t in tok.lefts for t in t.subtree} | {lemma_of(t) for t in tok.lefts for t in t.subtree}
    if tok.i > 0:  # "air strike" may be one compound the parser attached oddly
        mods.add(tok.doc[tok.i - 1].lower_)
    return all(p in mods for p in phrase[:-1])


def _noun_mods_match(tok: Token, w: Words) -> bool:
    """Noun rules: the constraint is on the noun's own modifiers ("air strike", "hunger strike")."""
    words = {t.lower_ for t in tok.lefts for t in t.subtree} | {lemma_of(t) for t in tok.lefts for t in t.subtree}
    if tok.i > 0:
        words.add(tok.doc[tok.i - 1].lower_)
    if words & w.lemmas:
        return True
    return any(all(x in words for x in p) for p in w.phrases)


# -- facts and rule matching --------------------------------------------------------------
def facts_of(tok: Token) -> Facts:
    particles: set[str] = set()
    objects: list[Token] = []
    preps: dict[str, list[Token]] = {}
    comps: list[Token] = []
    xcomps: list[Token] = []
    subjects: list[Token] = []
    passive = False
    for c in tok.children:
        d = c.dep_
        if d in ("prt", "advmod") and c.lower_ == "up":
            # "kidnapped up to 16 advisers", parsed as a particle "up" with "to 16 advisers" under
            # it: a quantity, the verb's object, not the particle verb "kidnap up"
            amount = [g for p in c.children if p.dep_ == "prep" and p.lower_ == "to" for g in p.children
                      if g.dep_ == "pobj" and any(n.dep_ == "nummod" for n in g.children)]
            if amount:
                objects.extend(amount)
                continue
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
    for key, objs in preps.items():
        # "called on Energy Minister Murungi to resign", parsed with an empty "on" and the name as
        # the verb's direct object: the object right after a bare preposition is its object
        if not objs and " " not in key and key not in particles:
            moved = [o for o in objects if o.dep_ == "dobj" and o.left_edge.i == _prep_index(tok, key) + 1]
            if moved:
                preps[key] = moved
                objects = [o for o in objects if o not in moved]
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN", "PROPN") and \
            (tok.lower_ not in STATIVE_PARTICIPLES or "by" in preps):   # "a guard involved in a shooting" did it
        # "10 soldiers killed in ...": the noun is what the participle did to it
        objects.append(tok.head)
        passive = True
    if passive and tok.lower_ in STATIVE_PARTICIPLES and "by" not in preps:
        passive = False   # "Israel is opposed to ...": a stance of the subject, no act done to it
    if passive:
        objects = [s for s in subjects if s.dep_ == "nsubjpass"] + objects
        subjects = [s for s in subjects if s.dep_ != "nsubjpass"]
    return Facts(tok, tok.lemma_.lower(), particles, objects, preps, comps, subjects, passive, xcomps)


def _prep_index(tok: Token, word: str) -> int:
    """The index of ``tok``'s prepositional child ``word`` (-2 when there is none)."""
    return next((c.i for c in tok.children if c.dep_ in PREP_DEPS and c.lower_ == word), -2)


def _match_rule(rule: Rule, f: Facts, state: DocState, noun: bool) -> bool:
    if rule.particle and not all(p in f.particles or p in f.preps for p in rule.particle.split()):
        return False
    if rule.obj is not None:
        if noun:
            if not _noun_mods_match(f.tok, rule.obj):
                return False
        elif not any(_words_match(o, rule.obj) and (rule.origin == "curated" or not named_actor(o, state))
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
        if slot.target and not any((direct_actor(o, state) or o.lower_ in PRONOUN_LIKE or o.pos_ == "PROPN")
                                   and o.ent_type_ not in ("DATE", "TIME") for o in objs):   # "on Monday"
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
    return _candidates(lemma_of(tok), tok.lower_)


def _candidates(lemma: str, w: str) -> list[str]:
    out = [lemma]
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


# memo entries kept per component at most; past this the memo starts again (bounded memory
# over any number of articles)
RULES_MEMO_SIZE = 200_000


def rules_for(ctx: Ctx, noun: bool, lemma: str, lower: str) -> list[Rule] | None:
    """The verb (or noun) rules of the first lemma candidate that has any (``_lemma_candidates``
    of a token with this lemma and lower-case form), memoised in ``ctx.rules_memo``: the same
    words come back in every article, and the suffix guesses cost more than the lookup."""
    key = (noun, lemma, lower)
    memo = ctx.rules_memo
    try:
        return memo[key]
    except KeyError:
        pass
    table = ctx.lex.nouns if noun else ctx.lex.verbs
    rules = None
    for cand in _candidates(lemma, lower):
        rules = table.get(cand)
        if rules:
            break
    if len(memo) >= RULES_MEMO_SIZE:
        memo.clear()
    memo[key] = rules
    return rules


def best_rule(tok: Token, ctx: Ctx) -> tuple[Rule, Facts] | None:
    pos = tok.pos_
    if pos == "VERB":
        if tok.dep_ in ("amod", "compound"):
            return None   # "the proposed deal", "the defeated party"
        noun = False
    elif pos in ("NOUN", "PROPN", "ADJ"):
        noun = True
    else:
        return None
    rules = rules_for(ctx, noun, lemma_of(tok), tok.lower_)
    if noun and pos == "PROPN" and rules and tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return None
    if not rules:
        return None
    f = facts_of(tok)
    for r in rules:   # sorted most specific first
        if _match_rule(r, f, ctx.state, noun):
            return r, f
    return None
