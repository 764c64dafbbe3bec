"""Step 3: who acts and who is acted upon, from the parse and the actor mentions.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from .._lexicon import (
    FIRST_PERSON,
    NONPERSON_PRONOUNS,
    PRONOUN_LIKE,
    SECOND_PERSON,
    SUBJECT_DEPS,
)
from .._state import DocState, QuoteMention
from .model import SEARCH_LIMITS, Coded, Ctx, actor_in, lemma_of, named_actor, sentence_starts
from .words import (
    ACT_OF_NOUNS,
    ANAPHORIC_DETS,
    ATTEMPT_NOUNS,
    FOIL_VERBS,
    HELP_NOUNS,
    INSTRUMENT,
    NESTED_TARGET_PREPS,
    NOUN_TARGET_PREPS,
    PAIR_WORDS,
    PROPOSAL_NOUNS,
    QUANTITY,
    RECIPIENT_PREPS,
    STATIVE_PARTICIPLES,
    SUBJECT_CONTROL,
    TARGET_PREPS,
)


def quote_at(state: DocState, char: int) -> tuple[int, QuoteMention] | None:
    for i, q in enumerate(state.quotes):
        if q.type != "indirect" and q.char_start <= char < q.char_end:
            return i, q
    return None


def quote_addressee(state: DocState, q: QuoteMention) -> int | None:
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
    place: int | None = None     # a place standing for its country (roles.scene_target), index into state.places

    def key(self, state: DocState):
        if self.actor is not None:
            ref = state.actors[self.actor].resolved(state.actors)
            return ("a", ref.kb_id or ref.name.lower())
        return ("s", self.span)


def _is_group_phrase(tok: Token, ctx: Ctx) -> bool:
    """A noun phrase that names people or an organised group ("protesters", "Iraqi youths")."""
    if tok.lower_ in PRONOUN_LIKE - {"some", "many", "all", "both"} or tok.pos_ == "PRON":
        return False
    if tok.pos_ == "PROPN" and tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if tok.pos_ not in ("NOUN", "PROPN", "NUM", "DET", "ADJ"):
        return False
    group = ctx.lex.sets.get("group")
    if group is not None and (lemma_of(tok) in group.lemmas or tok.lower_ in group.lemmas):
        return True
    if tok.tag_ in ("NNS", "NNPS") and any(c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE")
                                           for c in tok.children):
        return True   # "Iraqi youths", "Kurdish villagers"
    if tok.lower_ in QUANTITY or lemma_of(tok) in QUANTITY:
        # "thousands of Kurds", "a group of gunmen"
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                return any(_is_group_phrase(g, ctx) or g.i in ctx.state.token_actor
                           for g in c.children if g.dep_ == "pobj")
    return False


def participants_of_token(tok: Token, ctx: Ctx, quote: tuple[int, QuoteMention] | None) -> list[Part]:
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
            a = quote_addressee(state, q)
            return [Part(a)] if a is not None else []
    if low in ("each", "other") or t.text.lower() in ("each other", "one another"):
        return []
    if low in ("itself", "themselves"):
        # a reflexive is the subject of its own clause ("bombers killed 23 people and themselves"),
        # not of the clause above ("..., police said"): no one else is acted on
        return []
    if low in NONPERSON_PRONOUNS and quote is None:
        ante = _governing_subject(t, ctx.limits["antecedent_climb"])
        return _participant(ante, ctx, quote) if ante is not None else []
    a = actor_in(t, state, subject=t.dep_ in SUBJECT_DEPS, depth=ctx.limits["modifier_depth"])
    if a is None and (t.lower_ in QUANTITY or lemma_of(t) in QUANTITY):
        for c in t.children:   # "thousands of Iraqi Kurds"
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        a = actor_in(g, state, depth=ctx.limits["modifier_depth"])
    if a is not None:
        return [Part(a)]
    if t.pos_ == "NOUN":
        carried = carried_doer(t, ctx)
        if carried is not None:
            return [carried]
    if t.pos_ == "PROPN":
        # "Putin's visit to Minsk": a place no actor stands for counts as its country
        placed = _place_part(t, state)
        if placed is not None:
            return [placed]
    if _is_group_phrase(t, ctx):
        start = t.left_edge
        while start.i < t.i and (start.dep_ in ("det", "punct", "cc", "predet") or start.lower_ in PRONOUN_LIKE):
            start = t.doc[start.i + 1]
        return [Part(None, (start.idx, t.idx + len(t.text)))]
    return []


def stands_for_country(place) -> bool:
    """Whether a place mention can stand for its country as a participant: a country,
    first-level division or city whose country is known."""
    return place.feature in ("country", "admin1", "city") and bool(place.country) and len(place.country) == 3


def _place_part(t: Token, state: DocState) -> Part | None:
    """The place mention ``t`` is part of, as a participant standing for its country (not a
    demonym or a place inside a name)."""
    for pi, p in enumerate(state.places):
        if p.start <= t.i < p.end:
            if p.role in ("demonym", "embedded", "metonym") or not stands_for_country(p):
                return None
            return Part(None, (p.char_start, p.char_end), place=pi)
    return None


def carried_doer(t: Token, ctx: Ctx) -> Part | None:
    """Who did the act a definite event noun refers back to: after "Rebels attacked a convoy.",
    "The attack killed ten soldiers" and "Kenya condemned the attack" name the rebels' act. Only
    a noun with "the/this/that" and no owner of its own, naming an event coded in the same or the
    ``carry_sentences`` previous sentences with the same word stem ("the bombing" - "bombed")."""
    if not ctx.prior or not any(c.dep_ == "det" and c.lower_ in ANAPHORIC_DETS for c in t.children):
        return None
    if any(c.dep_ in ("poss", "compound", "amod", "nmod") or (c.dep_ == "prep" and c.lower_ == "by")
           for c in t.children if c.dep_ != "det" and c.pos_ in ("PROPN", "NOUN", "PRON", "ADP", "ADJ")
           and (c.dep_ != "amod" or c.ent_type_ in ("NORP", "GPE"))):
        return None   # "the Israeli attack", "the attack by rebels": an owner of its own
    stem = lemma_of(t)
    starts = sentence_starts(ctx)
    k = bisect_right(starts, t.i) - 1
    first = t.doc[starts[max(0, k - ctx.limits["carry_sentences"])]].idx   # the window's first character
    for ev in reversed(ctx.prior):
        if ev.sent_start < first:
            break
        if ev.trigger_token == t.i or (ev.source is None and ev.source_span is None):
            continue
        if not _same_stem(stem, lemma_of(t.doc[ev.trigger_token])):
            continue
        return Part(ev.source, None if ev.source is not None else ev.source_span)
    return None


def _same_stem(a: str, b: str) -> bool:
    """"attack"/"attack", "bombing"/"bomb", "invasion"/"invade": a shared start of 4+ letters
    covering most of the shorter word."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 4 and n >= min(len(a), len(b)) - 2


def _governing_subject(t: Token, climb: int) -> Token | None:
    """"X said it would ...", "X announced that they had ...": the subject of the clause above."""
    cur = t.head
    own = None
    for _ in range(climb):
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
    # leftwards: "<A> and <m>", "<A>, <B> and <m>", "<A>, <B>, and <m>"
    cur = m
    listing = False
    while cur.start - 2 >= sent.start:
        sep = doc[cur.start - 1]
        width = 1
        if sep.lower_ in ("and", "&") and cur.start - 3 >= sent.start and doc[cur.start - 2].lower_ == ",":
            width = 2   # the serial comma
        if sep.lower_ not in ("and", "&") and not (sep.lower_ == "," and listing):
            break
        prev = state.token_actor.get(cur.start - 1 - width)
        if prev is None or state.actors[prev].end != cur.start - width or prev == actor:
            break
        out.append(prev)
        cur = state.actors[prev]
        listing = True
    # rightwards: "<m> and <B>", "<m>, <B> and <C>", "<m>, <B>, and <C>" (a list needs its "and")
    verb_i = tok.head.i if tok.dep_ in SUBJECT_DEPS else -1
    cur, found, closed = m, [], False
    while cur.end < sent.end - 1 and not closed:
        j = cur.end
        if doc[j].lower_ == "," and j + 1 < sent.end and doc[j + 1].lower_ in ("and", "&"):
            j, closed = j + 2, True
        elif doc[j].lower_ in ("and", "&"):
            j, closed = j + 1, True
        elif doc[j].lower_ == ",":
            j += 1
        else:
            break
        nxt = state.token_actor.get(j)
        if nxt is None or state.actors[nxt].start != j or nxt == actor or \
                (verb_i >= 0 and state.actors[nxt].end > verb_i):
            break
        found.append(nxt)
        cur = state.actors[nxt]
    if closed:
        out.extend(found)
    return out


def is_pair_phrase(span: Span | None) -> bool:
    if span is None:
        return False
    text = span.text.lower()
    return text in PAIR_WORDS or any(text.endswith(w) for w in ("two countries", "two sides", "both sides",
                                                                 "both countries", "two nations", "each other"))


def country_mention(actor: int, tok: Token, state: DocState) -> int:
    """The latest mention, before ``tok``, of the country an actor belongs to (else the actor)."""
    country = state.actors[actor].resolved(state.actors).country
    best = actor
    for i, m in enumerate(state.actors):
        if m.char_start >= tok.idx:
            break
        if m.kind == "country" and m.country == country and not m.in_quote:
            best = i
    return best


def clause_subjects(tok: Token, climb: int = SEARCH_LIMITS["control_chain"],
                    agent: Callable[[Token], bool] | None = None) -> list[Token]:
    """The subject of a verb, climbing control and coordination ("X agreed to meet Y").
    ``agent`` says whether a noun is an actor: a participle on one is that actor's act
    ("dispersed demonstrators protesting the results": the demonstrators protest)."""
    cur = tok
    for _ in range(climb):
        subj = [c for c in cur.children if c.dep_ in ("nsubj", "csubj")]
        if not subj and cur.lower_ in STATIVE_PARTICIPLES:
            # the small model sometimes hangs the subject on the auxiliary ("Chile is opposed")
            subj = [g for a in cur.children if a.dep_ in ("aux", "auxpass") for g in a.children
                    if g.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return [_hyphen_verb_subject(s, cur) for s in subj]
        if cur.lower_ in STATIVE_PARTICIPLES and not any(c.dep_ == "agent" for c in cur.children):
            stance = [c for c in cur.children if c.dep_ == "nsubjpass"]   # "Israel is opposed to ..."
            if cur.dep_ == "acl" and cur.tag_ == "VBN" and cur.head.pos_ in ("NOUN", "PROPN"):
                stance = [cur.head]   # "a guard involved in a shooting"
            if stance:
                return stance
        if any(c.dep_ == "nsubjpass" for c in cur.children) or (cur.dep_ == "acl" and cur.tag_ == "VBN"):
            agent = [g for c in cur.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if not agent:
                agent = instrument_agent(cur)
            return agent
        if cur.dep_ == "xcomp" and cur.head is not cur:
            # object control: "urged Uganda to repatriate" -> Uganda repatriates
            objs = [c for c in cur.head.children if c.dep_ in ("dobj",) and c.i < cur.i]
            if objs and lemma_of(cur.head) not in SUBJECT_CONTROL:
                return objs
            cur = cur.head
            continue
        if cur.dep_ in ("conj", "advcl") and cur.head is not cur:
            if cur.dep_ == "advcl" and lemma_of(cur.head) in FOIL_VERBS and any(
                    o.dep_ == "dobj" and lemma_of(o) in ATTEMPT_NOUNS for o in cur.head.children):
                return []   # "police foiled a plot to bomb ..." (parsed as a purpose clause)
            cur = cur.head
            continue
        if cur.dep_ in ("relcl", "acl") and cur.head.pos_ in ("NOUN", "PROPN"):
            rel = [c for c in cur.children if c.dep_ in ("nsubj",) and c.tag_ in ("WDT", "WP")]
            if rel or cur.dep_ == "relcl":
                return [cur.head]
            noun = cur.head
            if cur.tag_ != "VBN" and agent is not None and agent(noun):
                return [noun]
            if cur.tag_ != "VBN" and noun.dep_ in ("dobj", "attr", "pobj"):
                # "issued a declaration demanding ...", "converged for a rally to protest ...": the actor of the verb above
                up = noun.head if noun.dep_ != "pobj" else noun.head.head
                if lemma_of(up) in FOIL_VERBS and lemma_of(noun) in ATTEMPT_NOUNS:
                    return []   # "police thwarted an attempt to kill ...": the police did not try
                if up.pos_ in ("VERB", "AUX"):
                    cur = up
                    continue
            return []
        if cur.pos_ in ("NOUN", "ADJ") and cur.dep_ in ("dobj", "attr", "acomp", "pobj") and cur.head is not cur:
            cur = cur.head
            continue
        break
    return []


def _hyphen_verb_subject(s: Token, verb: Token) -> Token:
    """"police lathi-charged the crowd": the parser reads the first half of a hyphened verb as its
    subject ("lathi") and the real subject as that word's compound; the compound is the subject."""
    doc = s.doc
    if s.i + 2 == verb.i and doc[s.i + 1].text == "-" and not s.whitespace_ and not doc[s.i + 1].whitespace_:
        left = [c for c in s.children if c.dep_ == "compound" and c.i < s.i]
        if left:
            return left[-1]
    return s


def instrument_agent(verb: Token) -> list[Token]:
    """"killed in an air strike by government forces", "wounded in an Israeli raid", "killed in
    police firing", "died in a police raid": who acted (the caller keeps only actors and groups)."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "during", "by"):
            for g in c.children:
                if g.dep_ != "pobj":
                    continue
                if lemma_of(g) in INSTRUMENT:
                    for gc in g.children:
                        if gc.dep_ == "prep" and gc.lower_ == "by":
                            return [x for x in gc.children if x.dep_ == "pobj"]
                    # the owner is a modifier: a demonym ("Israeli raid"), a name or a
                    # lower-case group noun ("police raid", "army shelling")
                    mods = [m for m in g.children if m.dep_ in ("amod", "compound", "poss", "nmod") and m.i < g.i
                            and (m.ent_type_ in ("NORP", "GPE", "ORG") or m.pos_ in ("NOUN", "PROPN"))]
                    if mods:
                        return mods
                elif any(x.dep_ in ("acl", "compound") and x.tag_ in ("VBG", "NN") and lemma_of(x) in INSTRUMENT
                         and x.i == g.i + 1 for x in g.children):
                    return [g]   # "in police firing": the parser heads the phrase with its owner
    return []


def noun_source(tok: Token, ctx: Ctx, quote) -> list[Part]:
    """Who acts in a nominal event: "Putin's visit", "US sanctions", "an attack by rebels"."""
    parts: list[Part] = []
    for c in tok.children:
        if c.dep_ == "poss" or (c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i):
            if c.dep_ == "poss" and c.lower_ in ("his", "her", "its", "their", "my", "our", "your"):
                if quote is not None and c.lower_ in ("my", "our"):
                    parts.extend(_participant(c, ctx, quote))
                elif tok.dep_ in ("dobj", "attr") and tok.head.pos_ == "VERB":
                    for s in clause_subjects(tok.head, ctx.limits["control_chain"]):   # "reiterated its demand"
                        parts.extend(participants_of_token(s, ctx, quote))
                continue
            a = actor_in(c, ctx.state, depth=ctx.limits["modifier_depth"])
            if a is not None:
                parts.append(Part(a))
            elif c.dep_ in ("compound", "nmod") and c.pos_ == "NOUN" and _is_group_phrase(c, ctx):
                # "the police attack on ...", "a student protest": a lower-case group noun
                # the actor stage did not take as a mention is still who acts
                parts.append(Part(None, (c.idx, c.idx + len(c.text))))
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            for g in c.children:
                if g.dep_ == "pobj":
                    parts.extend(participants_of_token(g, ctx, quote))
    if not parts and any(c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS for c in tok.children):
        # "the visit of Macron to Algeria": with a destination named, a named actor after "of" is
        # who goes (not so "the blockade of Serbia with Albania's help": there "of" is the target)
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj" and named_actor(g, ctx.state):
                        parts.extend(participants_of_token(g, ctx, quote))
    return parts


def target_tokens(c: Coded) -> list[Token]:
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
        preps = ("between",) + NOUN_TARGET_PREPS
        if lemma_of(c.tok) in ACT_OF_NOUNS:   # "the blockade of Serbia with Albania's help"
            preps = ("of",) + preps
        for p in preps:
            out.extend(o for o in f.preps.get(p, []) if p != "with" or lemma_of(o) not in HELP_NOUNS)
    else:
        out.extend(o for o in f.objects)
        for o in f.objects:   # "tightened the blockade of Serbia" (a judged act: its doer, below)
            if o.pos_ == "NOUN" and lemma_of(o) in ACT_OF_NOUNS and c.kind != "judge":
                out.extend(g for ch in o.children if ch.dep_ == "prep" and ch.lower_ == "of"
                           for g in ch.children if g.dep_ == "pobj")
        for p in TARGET_PREPS:
            # "with Albania's help" names a helper, not whom the act is done to
            out.extend(o for o in f.preps.get(p, []) if p != "with" or lemma_of(o) not in HELP_NOUNS)
        # the participant of a nominal object: "imposed a ban on imports from Russia",
        # "called for sanctions against Nigeria", "reached an agreement with the rebels"
        for key, objs in f.preps.items():
            if " " in key and key.split(" ", 1)[1] in NESTED_TARGET_PREPS:
                out.extend(objs)
        for o in f.objects:
            if o.pos_ == "NOUN":
                out.extend(g for ch in o.children if ch.dep_ == "prep" and ch.lower_ in NESTED_TARGET_PREPS
                           for g in ch.children if g.dep_ == "pobj")
    # the maker of a proposal the trigger answers: "accepted demands from the rebels", "dismissed
    # an appeal by the president", "rejected an Australian ultimatum", "responded to Iran's offer"
    # (last: a named object or a recipient comes first)
    out.extend(m for o in list(out) if o.pos_ == "NOUN" and o.lemma_.lower() in PROPOSAL_NOUNS
               for m in proposal_makers(o))
    return out


def proposal_makers(o: Token) -> list[Token]:
    """Tokens naming who made the proposal ``o``: "from/by X", "X's", a demonym or country
    adjective ("an Australian ultimatum")."""
    out = [g for ch in o.children if ch.dep_ == "prep" and ch.lower_ in ("from", "by")
           for g in ch.children if g.dep_ == "pobj"]
    out += [ch for ch in o.children if (ch.dep_ == "poss" and ch.pos_ != "PRON") or
            (ch.dep_ in ("amod", "compound") and ch.ent_type_ in ("NORP", "GPE"))]
    return out   # not "its demands": a possessive pronoun is mostly the speaker's own


def recipient_tokens(c: Coded) -> set[int]:
    """Token ids of a verb's recipient phrases ("sent troops to Lebanon", "offered aid to Iraq")."""
    f = c.facts
    return {t.i for p in RECIPIENT_PREPS for t in f.preps.get(p, [])}
