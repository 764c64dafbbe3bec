"""Sources, targets and (source, target, code) pairs of one coded trigger (pure functions).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ...kb.lexicons import FRAME_KINDS
from .._lexicon import PRONOUN_LIKE
from .._state import DocState
from ..places.location import attached_place
from .modality import modality_of
from .model import Coded, Ctx, lemma_of, named_actor
from .participants import (
    Part,
    clause_subjects,
    country_mention,
    instrument_agent,
    is_pair_phrase,
    noun_source,
    participants_of_token,
    quote_addressee,
    recipient_tokens,
    stands_for_country,
    target_tokens,
)
from .words import (
    ADDRESSED_KINDS,
    ATTEMPT_NOUNS,
    COMMIT,
    CONDITION_MARKS,
    DEPLOY_VERBS,
    ENABLE_VERBS,
    INTENT_AUX,
    MUTUAL_ROOTS,
    OFFER,
    OWN_ASSETS,
    OWN_POSS,
    OWNER_PREPS,
    PAIR_WORDS,
    PROPOSAL_NOUNS,
    REASON_NOUNS,
    REASON_PREPS,
    SCENE_OBJECT_ROOTS,
    SCENE_ROOTS,
    STATIVE_PARTICIPLES,
)


@dataclass(frozen=True)
class Reading:
    """How a trigger is meant: its final code, modality and polarity."""

    code: str
    modality: str
    negated: bool


def reading_of(c: Coded, ctx: Ctx, quote, say: Coded | None) -> Reading:
    """Code, modality and polarity: "will visit" is an intent (036), "would attack" reported is a
    threat (138), "will not accept refugees" a refusal, "I congratulate you" in a quote is done."""
    tok, lex = c.tok, ctx.lex
    code, kind = c.code, c.kind
    will = intent_modal = False
    if tok.pos_ == "VERB" and kind != "say":
        auxes = {ch.lower_ for ch in tok.children if ch.dep_ in ("aux", "auxpass")}
        going = any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in tok.children) and \
            tok.head.lemma_ == "go" and tok.dep_ == "xcomp"
        will = bool(auxes & INTENT_AUX or ("would" in auxes and say is not None) or going)
        if will and kind not in FRAME_KINDS and kind != "judge":
            new = lex.frame_code("intent", code)
            if new:
                code = new
            intent_modal = True
    modality, negated = modality_of(c, ctx, quote, say is not None, intent_modal)
    if c.kind == "intent" and c.topic is not None and not negated \
            and any(ch.dep_ == "neg" for ch in c.topic.tok.children):
        # "decided not to release the prisoners": a refusal of the cooperative act; "promised not
        # to attack": no threat made; "agreed not to ...": an agreement to refrain, no refusal
        new = lex.frame_code("reject", c.topic.code) \
            if c.topic.code[:2] < "13" and c.facts.lemma not in ("agree", "accept") else None
        if new:
            code = new
        else:
            negated = True
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
    return Reading(code, modality, negated)


def participants_of(c: Coded, ctx: Ctx, quote, noun: bool, last_pair: tuple[int, int] | None
                     ) -> tuple[list[Part], list[Part]]:
    """Sources and targets of a trigger, each step a fallback for the ones before it."""
    state = ctx.state
    sources = _sources(c, ctx, quote, noun)
    if c.kind in ("light", "aspect") and c.topic is not None:
        # "renewed sanctions against Zimbabwe, with ...": the nominal event's own target first
        targets = _topic_targets(c, ctx, quote) or _own_targets(c, ctx, quote)
    else:
        targets = _own_targets(c, ctx, quote)
    if c.topic is not None and c.topic.tok.pos_ in ("NOUN", "PROPN") and c.topic.tok.dep_ in ("dobj", "attr") \
            and c.topic.tok.lemma_.lower() not in PROPOSAL_NOUNS:   # "rejected an Australian ultimatum"
        own = noun_source(c.topic.tok, ctx, quote)   # "reaffirmed China's readiness to ..."
        # a named subject stays the source: "Lavrov welcomed Washington's readiness", "France
        # condemned Russia's invasion": the owner of the object is then whom the act is about
        if own and not any(p.actor is not None for p in sources):
            sources = own
    if not targets and c.kind == "judge" and c.topic is not None and c.topic.tok.pos_ in ("NOUN", "PROPN"):
        # "condemned Russia's invasion of Ukraine": who is judged is who did the act
        mine = {p.key(state) for p in sources}
        targets = [p for p in noun_source(c.topic.tok, ctx, quote) if p.key(state) not in mine]
    if not targets:
        targets = _topic_targets(c, ctx, quote)
    if not targets and c.kind in ADDRESSED_KINDS:
        targets = _addressed_targets(c, ctx, quote, sources)
    if not targets and c.kind == "say" and not noun and sources:
        targets = _statement_targets(c, ctx, quote, sources)
    if not targets and c.rule.reverse and not noun:
        # "three people died in police firing": the instrument's owner acts on the subject
        targets = [p for t in instrument_agent(c.tok) for p in participants_of_token(t, ctx, quote)]
    if not targets and not noun and c.code[:2] == "14":
        # whom a protest is against comes before the place it is held in
        targets = _purpose_targets(c, ctx, quote, sources) or _protest_reason_targets(c, ctx, quote, sources)
    if not targets and not noun:
        targets = _material_target(c, state, sources)
    if not targets:
        targets = _clause_targets(c, ctx, quote, noun, sources)
    if not targets and not noun:
        targets = _object_owner_targets(c, ctx, quote, sources)
    # "a pact between the two countries", "support each other": mutual among the sources
    if len(sources) >= 2 and targets and all(p.actor is None and p.span is not None and
                                             is_pair_phrase(ctx.doc.char_span(*p.span, alignment_mode="expand"))
                                             for p in targets):
        targets = []
    if not targets and quote is not None:
        targets = _quote_targets(c, ctx, quote, noun, sources)
    # "the bilateral relationship": the pair the article is about
    if not sources and not targets and last_pair is not None:
        words = " ".join(t.lower_ for t in c.tok.sent)
        if any(w in words for w in PAIR_WORDS):
            a, b = (country_mention(x, c.tok, state) for x in last_pair)
            sources, targets = [Part(a)], [Part(b)]
    return sources, targets


def _clause_targets(c: Coded, ctx: Ctx, quote, noun: bool, sources: list[Part]) -> list[Part]:
    """Targets from a clause or phrase the trigger governs, for a trigger whose own slots name
    none: a protest's purpose, whom it lets act, a promised act's object, what an appeal asks for."""
    state = ctx.state
    mine = {p.key(state) for p in sources}
    root = c.code[:2]
    if not noun:
        targets = _enabled_targets(c, ctx, quote, sources)
        if targets:
            return targets
    if not noun and root in ("03", "13"):
        # "promised to democratize Serbia", "vowed to defeat the rebels": whom the promised or
        # threatened act is done to, when the act itself is no coded event (a coded one's own
        # targets come through the topic)
        for x in c.facts.xcomps:
            if ctx.coded.get(x.i) is not None:
                continue
            for o in x.children:
                if o.dep_ == "dobj" and not _own_asset(o) and not _pronoun(o):
                    targets = [p for p in participants_of_token(o, ctx, quote) if p.key(state) not in mine]
                    if targets:
                        return targets
    if root in ("02", "10"):
        # "called for the withdrawal of Syrian forces", "called for a ceasefire in Liberia": who
        # is to do what was asked for, or where
        # "demanded support from the assembly", "requested aid from Japan": whom it is asked of
        asked_of = c.facts.preps.get("from", []) + [
            g for o in c.facts.objects for ch in o.children if ch.dep_ == "prep" and ch.lower_ == "from"
            for g in ch.children if g.dep_ == "pobj"]
        for t in c.facts.preps.get("for of", []) + c.facts.preps.get("for in", []) + asked_of:
            targets = [p for p in participants_of_token(t, ctx, quote) if p.key(state) not in mine]
            if targets:
                return targets
    return []


def _object_owner_targets(c: Coded, ctx: Ctx, quote, sources: list[Part]) -> list[Part]:
    """Whose act or thing the trigger's object is, when the object names no actor: "denounced
    Serbia's suppression of ...", "agreed to US mediation", "would not meet the hostage-takers'
    demands", "an investigation into crimes committed by Croat forces"."""
    state = ctx.state
    mine = {p.key(state) for p in sources}
    objs = [o for o in c.facts.objects if o.pos_ == "NOUN"]
    objs += [o for p in OWNER_PREPS for o in c.facts.preps.get(p, []) if o.pos_ == "NOUN"]
    # one level down: "launched an investigation into crimes committed by ..."
    objs += [g for o in list(objs) for ch in o.children if ch.dep_ == "prep" and ch.lower_ in OWNER_PREPS
             for g in ch.children if g.dep_ == "pobj" and g.pos_ == "NOUN"]
    for o in objs:
        if state.token_actor.get(o.i) is not None or _own_asset(o):
            continue
        # a named owner only: a lower-case compound is often what is acted on ("a prisoner swap")
        owners = [p for p in noun_source(o, ctx, quote) if p.actor is not None and p.key(state) not in mine]
        if not owners:
            # "crimes committed by Croat forces": the agent of a participle on the object
            owners = [p for x in o.children if x.dep_ == "acl" and x.tag_ == "VBN"
                      for a in x.children if a.dep_ == "agent"
                      for g in a.children if g.dep_ == "pobj"
                      for p in participants_of_token(g, ctx, quote) if p.key(state) not in mine]
        if owners:
            return owners
    return []


def _sources(c: Coded, ctx: Ctx, quote, noun: bool) -> list[Part]:
    tok, state = c.tok, ctx.state
    if noun:
        return noun_source(tok, ctx, quote)
    climb = ctx.limits["control_chain"]
    subj_toks = clause_subjects(tok, climb, agent=lambda t: state.token_actor.get(t.i) is not None)
    if tok.pos_ == "ADJ":
        subj_toks = clause_subjects(tok.head, climb) if tok.dep_ in ("acomp", "amod", "xcomp") else subj_toks
    sources: list[Part] = []
    for s in subj_toks:
        for p in participants_of_token(s, ctx, quote):
            if p.key(state) not in {q.key(state) for q in sources}:
                sources.append(p)
    return sources


def _own_targets(c: Coded, ctx: Ctx, quote) -> list[Part]:
    """The trigger's own object slots (not the complement a frame consumed). An unnamed group
    ("offered its troops to Lebanon's president") yields to a named recipient."""
    topic_toks = {t.tok.i for t in [c.topic, *c.extra] if t is not None}
    recipients = recipient_tokens(c) if c.tok.pos_ == "VERB" else set()
    unnamed: list[Part] = []
    for t in target_tokens(c):
        if t.i in topic_toks or (unnamed and t.i not in recipients):
            continue
        if _own_asset(t):
            continue
        targets = participants_of_token(t, ctx, quote)
        if not targets:
            continue
        if t.i in recipients:
            if any(p.actor is not None for p in targets) or not unnamed:
                return targets
            continue
        if not recipients or named_actor(t, ctx.state) or t.pos_ == "PRON":
            return targets
        # "providing photographs and other military intelligence to Macedonia": a thing or an
        # unnamed group given; the named recipient is the target
        unnamed = unnamed or targets
    return unnamed


def _own_asset(t: Token) -> bool:
    """"its troops", "their ambassador": the source's own means, not whom it acts on ("withdrew
    its troops from Lebanon": Lebanon is). The bare object of a verb that moves people counts
    too ("mobilized army reservists for a war against Iraq"), unless someone else owns it."""
    if t.lower_ not in OWN_ASSETS:
        return False
    owners = [ch for ch in t.children if ch.dep_ == "poss"]
    if owners:
        return all(ch.lower_ in OWN_POSS for ch in owners)
    return t.dep_ == "dobj" and t.head.pos_ == "VERB" and lemma_of(t.head) in DEPLOY_VERBS


def _pronoun(t: Token) -> bool:
    """A pronoun or pronoun-like word ("it", "they", "some"), not the name "US"."""
    return t.pos_ == "PRON" or (t.lower_ in PRONOUN_LIKE and t.pos_ != "PROPN" and t.text != "US")


def _addressed_targets(c: Coded, ctx: Ctx, quote, sources: list[Part]) -> list[Part]:
    """Whom an appeal, demand or threat is addressed to when no object names it: the subject of
    its complement ("demanded that the US cancel ...", "wants Germany to pay ...", "threatened to
    stop talks if the United States ..."), or whom something is asked from ("demanded support
    from the Assembly")."""
    state, f = ctx.state, c.facts
    mine = {p.key(state) for p in sources}
    cands: list[Token] = []
    for comp in f.comps:
        cands.extend(x for x in comp.children if x.dep_ in ("nsubj", "nsubjpass"))
    if c.kind == "threat":
        for head in [c.tok, *f.comps]:
            for g in head.children:
                if g.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in g.children):
                    cands.extend(x for x in g.children if x.dep_ in ("nsubj", "nsubjpass"))
    else:
        cands.extend(f.preps.get("from", []))
    for t in cands:
        if _pronoun(t):
            continue   # "it", "they": mostly the speaker itself
        parts = [p for p in participants_of_token(t, ctx, quote) if p.key(state) not in mine]
        if parts:
            return parts
    return []


def _statement_targets(c: Coded, ctx: Ctx, quote, sources: list[Part]) -> list[Part]:
    """Whom a statement is about, when no one is addressed: the named actor its reported clause
    is about ("said NATO would need to remain strong", "claimed that ISIL had attacked Iraq"),
    or, when that clause is the speaker's own act, whom the act is aimed at ("announced it will
    withdraw its force from Chad", "said they would meet the U.N. mediator")."""
    state = ctx.state
    mine = {p.key(state) for p in sources}
    for comp in c.facts.comps:
        if comp.dep_ != "ccomp":
            continue
        subjects = [x for x in comp.children if x.dep_ in ("nsubj", "nsubjpass")]
        own = False
        for s in subjects:
            if s.dep_ == "nsubjpass" and comp.lower_ not in STATIVE_PARTICIPLES:
                # "said eight people were killed in an air strike by government forces": the doer
                # is whom it is about, not the sufferer
                doers = [g for a in comp.subtree if a.dep_ == "agent" or a.lower_ == "by"
                         for g in a.children if g.dep_ == "pobj" and not _pronoun(g)]
                named = [p for g in doers for p in participants_of_token(g, ctx, quote)
                         if p.actor is not None and p.key(state) not in mine]
                if named:
                    return named
                break
            parts = [] if _pronoun(s) else participants_of_token(s, ctx, quote)
            named = [p for p in parts if p.actor is not None and p.key(state) not in mine]
            if named:
                return named
            own = own or _pronoun(s) or any(p.key(state) in mine for p in parts)
        act = ctx.coded.get(comp.i)
        if own and act is not None and act.facts is not None:
            for t in target_tokens(act):
                if _own_asset(t) or _pronoun(t):
                    continue
                parts = [p for p in participants_of_token(t, ctx, quote)
                         if p.actor is not None and p.key(state) not in mine]
                if parts:
                    return parts
    return []


def _topic_targets(c: Coded, ctx: Ctx, quote) -> list[Part]:
    """What the consumed complement is about ("urged Iran to release ...")."""
    topic = c.topic
    mine = {p.key(ctx.state) for p in _sources(c, ctx, quote, c.tok.pos_ in ("NOUN", "PROPN"))}
    while topic is not None:
        if topic.facts is not None:
            # "wants Putin to attack X", "demanded that the US cancel ...": the one asked to act
            # is addressed, before whoever that act is aimed at
            if c.kind in ("appeal", "demand"):
                for s in topic.facts.subjects:
                    if _pronoun(s):
                        continue
                    targets = [p for p in participants_of_token(s, ctx, quote) if p.key(ctx.state) not in mine]
                    if targets:
                        return targets
            for t in target_tokens(topic):
                if _own_asset(t):
                    continue
                targets = participants_of_token(t, ctx, quote)
                if targets:
                    return targets
        topic = topic.topic
    return []


def _material_target(c: Coded, state: DocState, sources: list[Part]) -> list[Part]:
    """A material act in or from a country, with no one else on the receiving end:
    "lifted the curfew in Montenegro", "withdrew its troops from Lebanon"."""
    # "refused to deploy peacekeepers in Iraq": an uncoded complement's place counts too
    heads = [c.tok] + ([c.topic.tok] if c.topic is not None else list(c.facts.xcomps))
    # "withdrew its troops from Lebanon": the place phrase may hang on the own means moved
    heads += [o for h in list(heads) for o in h.children if o.dep_ == "dobj" and _own_asset(o)]
    for t in heads:
        for ch in t.children:
            if ch.dep_ == "prep" and ch.lower_ in ("in", "from", "inside", "within", "to"):
                for g in ch.children:
                    a = state.token_actor.get(g.i) if g.dep_ == "pobj" else None
                    if a is not None and state.actors[a].kind == "country" and \
                            all(x.actor is None or x.key(state) != Part(a).key(state) for x in sources):
                        return [Part(a)]
    return []


def _purpose_targets(c: Coded, ctx: Ctx, quote, sources: list[Part]) -> list[Part]:
    """Whom a protest is aimed at, from the act its purpose clause names: "staged rallies to
    demand the resignation of the president", "began a hunger strike to protest the
    government's plan"."""
    state = ctx.state
    mine = {p.key(state) for p in sources}
    for ch in c.tok.children:
        if ch.dep_ not in ("advcl", "xcomp") or not any(a.dep_ == "aux" and a.lower_ == "to" for a in ch.children):
            continue
        purpose = ctx.coded.get(ch.i)
        if purpose is None:
            continue
        parts = [p for p in _own_targets(purpose, ctx, quote) if p.key(state) not in mine]
        if parts:
            return parts
    return []


def _protest_reason_targets(c: Coded, ctx: Ctx, quote, sources: list[Part]) -> list[Part]:
    """Whom a protest is against, from the phrases that give its reason or aim when no coded
    purpose act does: "in protest against violations by the security forces", "in defiance of
    Chinese authorities", "calling for independence from Iraq", "to show their disapproval of
    US policies". The first named actor (or the owner of a named act) wins."""
    state = ctx.state
    mine = {p.key(state) for p in sources}
    heads = [c.tok] + [o for o in c.facts.objects if o.pos_ == "NOUN"]
    starts: list[Token] = []
    for h in heads:
        for ch in h.children:
            if ch.dep_ == "prep" and ch.lower_ == "in":
                # "in protest against X", not the scene "in Hong Kong"
                starts.extend(g for g in ch.children if g.dep_ == "pobj" and lemma_of(g) in REASON_NOUNS)
            elif ch.dep_ == "prep" and ch.lower_ in ("against", "over"):
                starts.extend(g for g in ch.children if g.dep_ == "pobj")
            elif ch.dep_ in ("advcl", "xcomp", "acl") and ch.pos_ == "VERB":
                starts.append(ch)
    frontier = starts
    for _ in range(ctx.limits["frame_depth"]):
        nxt: list[Token] = []
        for t in frontier:
            if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("pobj", "dobj") and lemma_of(t) not in REASON_NOUNS:
                parts = participants_of_token(t, ctx, quote) if named_actor(t, state) else []
                if not parts:
                    parts = [p for p in noun_source(t, ctx, quote) if p.actor is not None]
                parts = [p for p in parts if p.actor is not None and p.key(state) not in mine]
                if parts:
                    return parts
            for ch in t.children:   # a preposition's object is one step, not two
                if ch.dep_ == "prep" and ch.lower_ in REASON_PREPS:
                    nxt.extend(g for g in ch.children if g.dep_ in ("pobj", "pcomp"))
                elif ch.dep_ in ("pobj", "dobj", "pcomp"):
                    nxt.append(ch)
        frontier = nxt
    return []


def _enabled_targets(c: Coded, ctx: Ctx, quote, sources: list[Part]) -> list[Part]:
    """Whom the trigger lets or makes act, directly ("allowed the opposition leader to hold a
    rally") or through its complement ("refused to allow Red Cross officials to visit")."""
    state = ctx.state
    mine = {p.key(state) for p in sources}
    verbs = [c.tok] if lemma_of(c.tok) in ENABLE_VERBS else []
    verbs += [x for x in c.tok.children if x.dep_ == "xcomp" and lemma_of(x) in ENABLE_VERBS]
    for v in verbs:
        for comp in v.children:
            if comp.dep_ not in ("ccomp", "xcomp"):
                continue
            for s in comp.children:
                if s.dep_ in ("nsubj", "nsubjpass") and not _pronoun(s):
                    parts = [p for p in participants_of_token(s, ctx, quote) if p.key(state) not in mine]
                    if parts:
                        return parts
    return []


def _quote_targets(c: Coded, ctx: Ctx, quote, noun: bool, sources: list[Part]) -> list[Part]:
    """Inside a quote: communicative acts are addressed to the addressee ("I propose ..."), and
    "we met" is the speaker and the addressee."""
    state, kind = ctx.state, c.kind
    addressed = kind in ("appeal", "demand", "judge", "threat") or c.topic is not None or \
        (kind == "intent" and c.facts.lemma in OFFER)
    if addressed and any(p.actor is not None and p.actor == quote[1].speaker for p in sources):
        a = quote_addressee(state, quote[1])
        if a is not None:
            return [Part(a)]
    if c.rule.mirror:
        subj_words = {s.lower_ for s in (clause_subjects(c.tok, ctx.limits["control_chain"]) if not noun else [])}
        if subj_words & {"we", "us"}:
            a = quote_addressee(state, quote[1])
            if a is not None:
                return [Part(a)]
    return []


def is_codable(c: Coded, noun: bool, sources: list[Part], targets: list[Part], climb: int) -> bool:
    """Whether the trigger with these participants is an event at all."""
    tok = c.tok
    if noun and not c.rule.standalone:
        return False
    if not noun and not sources and not (c.facts.passive or tok.pos_ == "ADJ") and not clause_subjects(tok, climb) \
            and not (tok.dep_ == "acl" and lemma_of(tok.head) in ATTEMPT_NOUNS):   # "an attempt to kill X"
        return False   # an act with no subject at all: a gerund in a list of topics, a headline fragment
    between = noun and not sources and len(targets) >= 2 and any(
        ch.dep_ == "prep" and ch.lower_ == "between" for ch in tok.children)
    # "talks between Serbia and Kosovo" is mutual among the targets; other nouns need both sides
    if not between and noun and (not sources or not (targets or c.topic is not None)):
        return False
    if c.kind in ("intent", "posture") and c.topic is None and not targets and c.facts.lemma not in COMMIT:
        return False   # "wants to stay", "pledged to change things": nothing codable, no one to act with
    return bool(sources or targets)


def event_pairs(c: Coded, code: str, sources: list[Part], targets: list[Part], noun: bool, state: DocState
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
    mutual = bool(mirror) or code[:2] in MUTUAL_ROOTS
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


def scene_target(c: Coded, code: str, ctx: Ctx, sources: list[Part]) -> list[Part]:
    """The place where a material act happened, standing for its country, as the act's target when
    the text names no other ("rebels exploded bombs in Kabul", "the government lifted the state of
    emergency in West Darfur", "opened an embassy in Tehran"), as CAMEO coders code a location.

    Only for the roots of ``scene_roots`` (material acts: a place on the verb or its object) and
    ``scene_object_roots`` (promises, diplomatic acts: a place on the object only, because one on
    the verb is a venue: "agreed in Geneva"; and only abroad: a place of the source's own, known,
    country is no target of a promise)."""
    root = code[:2]
    object_only = root in SCENE_OBJECT_ROOTS
    # "expressed sorrow for the shootings in South Carolina", "responsible for killings in Darfur":
    # a statement or an act about an event elsewhere points at that event's place
    about = [g for h in [c.tok, *(o for o in c.facts.objects if o.pos_ == "NOUN")] for ch in h.children
             if ch.dep_ == "prep" and ch.lower_ == "for" for g in ch.children if g.dep_ == "pobj" and g.pos_ == "NOUN"]
    if not sources or (root not in SCENE_ROOTS and not object_only and not (root == "01" and about)) \
            or c.rule.reverse:
        return []
    if len(sources) >= 2 and (c.rule.mirror or root in MUTUAL_ROOTS):
        return []   # a joint act among the sources ("held joint exercises in Poland")
    state = ctx.state
    pi, on_trigger = attached_place(ctx.doc, state, c.tok.i) if root != "01" else (None, False)
    if pi is None and not object_only:
        for g in [x for a in about for x in (a, *a.conjuncts)]:
            pi, _ = attached_place(ctx.doc, state, g.i)
            if pi is not None:
                on_trigger = False
                break
    if object_only and (pi is None or on_trigger):
        # "threatened to institute a curfew in Algiers", "agreed to set up a centre in Tokyo": the
        # place on the object of the promised act (on that act's verb it is a venue: "agreed to
        # meet in Geneva")
        pi, on_trigger = None, False
        for x in c.facts.xcomps:
            xi, on_x = attached_place(ctx.doc, state, x.i)
            if xi is not None and not on_x:
                pi = xi
                break
    if pi is None and not object_only:
        # "fired shells at targets in Jericho", "launched strikes on positions near Idlib"
        for t in (g for p in ("at", "on", "against") for g in c.facts.preps.get(p, [])):
            pi, _ = attached_place(ctx.doc, state, t.i)
            if pi is not None:
                break
    if pi is None or (on_trigger and object_only):
        return []
    place = state.places[pi]
    if not stands_for_country(place):
        return []
    if object_only:
        # a promise or a diplomatic act points abroad; its own country is no target of it
        countries = set()
        for p in sources:
            if p.actor is None:
                return []
            countries.add(state.actors[p.actor].resolved(state.actors).country)
        # a threat's place is where it would fall, at home too ("threatened to impose a curfew
        # in Algiers")
        if None in countries or (root != "13" and place.country in countries):
            return []
    actor = next((state.token_actor[t] for t in range(place.start, place.end) if t in state.token_actor), None)
    if actor is not None and (state.actors[actor].start, state.actors[actor].end) == (place.start, place.end):
        return [Part(actor)]   # the place is also an actor mention ("in Syria"): that actor is the target
    return [Part(None, (place.char_start, place.char_end), place=pi)]
