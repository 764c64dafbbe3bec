"""Event stage: CAMEO-coded events with source, target, modality, date and place.

For each verb the lexicon knows, the most specific pattern (object lemma,
preposition) picks the CAMEO code; the dependency parse gives the participants:
subject (or passive agent) as source; the pattern's prepositional object, else
the direct object, as target. "A and B met" yields an event in each direction.
Inside a direct quote, "I"/"we" is the speaker and "you" the addressee. Negation,
intention ("will visit", "ready to") and hypotheticals ("if", "God willing")
are flagged, never dropped. Dates come from a time expression attached to the
verb, else the article date; the location from a place attached to it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..kb import get_codebook, get_event_lexicon
from ..kb.lexicons import EventLexicon, VerbPattern
from ._state import DocState, EventMention, QuoteMention, get_state

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_TARGET_PREPS = ("with", "against", "on", "to", "at", "toward", "towards", "upon", "from", "into", "over")
_RECIPROCAL = {"040", "041", "043", "044", "046", "030", "031", "036", "057", "060", "061", "062"}
_INTENT_HEADS = {"plan", "intend", "propose", "want", "seek", "aim", "hope", "wish", "offer", "prepare",
                 "agree", "decide", "pledge", "promise", "vow", "expect", "try", "attempt", "ready",
                 "willing", "readiness", "determined", "eager", "prepared", "going", "scheduled", "set"}
_HYPOTHETICAL_AUX = {"could", "might", "may", "would", "should"}
_INTENT_AUX = {"will", "shall", "'ll", "wo"}
_FIRST_PERSON = {"i", "we", "me", "us"}
_SECOND_PERSON = {"you"}


def _pattern_for(tok: Token, lex: EventLexicon) -> tuple[str, VerbPattern | None] | None:
    lemma = tok.lemma_.lower()
    pats = lex.for_verb(lemma)
    dobj = [c for c in tok.children if c.dep_ in ("dobj", "attr")]
    dobj_lemmas = {c.lemma_.lower() for c in dobj}
    preps = {c.lower_ for c in tok.children if c.dep_ in ("prep", "prt", "dative", "agent")}
    best: tuple[int, VerbPattern] | None = None
    for p in pats:
        score = 0
        if p.objects:
            if not (p.objects & dobj_lemmas):
                continue
            score += 2
        if p.prep:
            if p.prep not in preps:
                continue
            score += 1
        if best is None or score > best[0]:
            best = (score, p)
    if best is not None:
        return best[1].code, best[1]
    # phrasal verb defaults: "meet with", "call for"
    for prt in preps:
        code = lex.defaults.get(f"{lemma} {prt}")
        if code:
            return code, None
    code = lex.defaults.get(lemma)
    if code:
        return code, None
    return None


def _actor_in(tok: Token, state: DocState) -> int | None:
    """The actor a phrase names: the token's own mention, else the nearest one in its subtree."""
    if tok.i in state.token_actor:
        return state.token_actor[tok.i]
    best = None
    best_depth = 99
    for t in tok.subtree:
        if t.i in state.token_actor:
            depth, cur = 0, t
            while cur.i != tok.i and depth < 10:
                cur, depth = cur.head, depth + 1
            if depth < best_depth:
                best, best_depth = state.token_actor[t.i], depth
    return best


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i != tok.i]]


def _quote_at(state: DocState, char: int) -> tuple[int, QuoteMention] | None:
    for i, q in enumerate(state.quotes):
        if q.type != "indirect" and q.char_start <= char < q.char_end:
            return i, q
    return None


def _addressee(state: DocState, qi: int, q: QuoteMention) -> int | None:
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


def _participant(tok: Token, state: DocState, quote: tuple[int, QuoteMention] | None) -> int | None:
    low = tok.lower_
    if quote is not None:
        qi, q = quote
        if low in _FIRST_PERSON:
            return q.speaker
        if low in _SECOND_PERSON:
            return _addressee(state, qi, q)
    return _actor_in(tok, state)


def _modality(tok: Token, in_quote: bool) -> tuple[str, bool]:
    negated = any(c.dep_ == "neg" for c in tok.children)
    auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    cur = tok
    hypothetical = bool(auxes & _HYPOTHETICAL_AUX) or any(
        c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children)
    intended = bool(auxes & _INTENT_AUX)
    # "ready to work", "proposed to develop", "plans to visit": the verb is an xcomp
    for _ in range(3):
        if cur.dep_ in ("xcomp", "acl", "ccomp", "pcomp") and cur.head.lemma_.lower() in _INTENT_HEADS:
            intended = True
        if any(c.dep_ == "neg" for c in cur.head.children) and cur.dep_ == "xcomp":
            negated = True
        if cur.head is cur:
            break
        cur = cur.head
    sent_text = tok.sent.text.lower()
    if "god willing" in sent_text or "someday" in sent_text and intended:
        hypothetical = True
    if hypothetical:
        return "hypothetical", negated
    if intended:
        return "intended", negated
    if in_quote:
        return "reported", negated
    return "asserted", negated


def _governing_verb(tok: Token) -> Token:
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.head is cur:
            return cur
        cur = cur.head
    return cur


def extract_events(doc: Doc, state: DocState, lex: EventLexicon) -> list[EventMention]:
    events: list[EventMention] = []
    # time and place expressions attached to each verb
    verb_time: dict[int, str] = {}
    for t in state.times:
        if t.type != "DATE" or t.value.endswith("_REF") or t.start < 0:
            continue
        verb_time.setdefault(_governing_verb(doc[t.start:t.end].root).i, t.value)
    verb_place: dict[int, int] = {}
    for pi, p in enumerate(state.places):
        root = doc[p.start:p.end].root
        if root.dep_ == "pobj" and root.head.lower_ in ("in", "at", "near", "outside", "inside") and \
                not any(a.start <= root.i < a.end and a.kind == "country" and a.sector for a in state.actors):
            verb_place.setdefault(_governing_verb(root).i, pi)
    article_day = state.date.isoformat() if state.date else None

    for tok in doc:
        if tok.pos_ != "VERB":
            continue
        found = _pattern_for(tok, lex)
        if found is None:
            continue
        code, pattern = found
        quote = _quote_at(state, tok.idx)
        # source
        subj = [c for c in tok.children if c.dep_ in _SUBJ]
        agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not subj and tok.dep_ in ("xcomp", "conj", "advcl") and tok.head.pos_ in ("VERB", "AUX"):
            subj = [c for c in tok.head.children if c.dep_ in _SUBJ]
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        src_toks = agent if agent else ([] if passive else subj)
        sources: list[int] = []
        for s in src_toks:
            for c in _conjuncts(s):
                a = _participant(c, state, quote)
                if a is not None and a not in sources:
                    sources.append(a)
        # target
        tgt_tok = None
        if pattern is not None and pattern.prep:
            for c in tok.children:
                if c.dep_ in ("prep", "prt", "dative") and c.lower_ == pattern.prep:
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    tgt_tok = objs[0] if objs else None
        if tgt_tok is None:
            objs = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
            if passive and subj:
                objs = subj + objs
            tgt_tok = objs[0] if objs else None
        if tgt_tok is None:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    if objs and _actor_in(objs[0], state) is not None:
                        tgt_tok = objs[0]
                        break
        targets: list[int] = []
        if tgt_tok is not None:
            for c in _conjuncts(tgt_tok):
                a = _participant(c, state, quote)
                if a is not None and a not in targets:
                    targets.append(a)
        modality, negated = _modality(tok, quote is not None)
        if quote is not None and any(s == quote[1].speaker for s in sources) and tok.tag_ in ("VBP", "VB") \
                and modality == "reported":
            modality = "asserted"  # "I congratulate you": the quote is the act itself
        pairs: list[tuple[int | None, int | None]] = []
        if len(sources) >= 2 and not targets and code[:3] in _RECIPROCAL | {c[:3] for c in _RECIPROCAL}:
            for a in sources:
                for b in sources:
                    if a != b:
                        pairs.append((a, b))
        else:
            for a in sources or [None]:
                for b in targets or [None]:
                    if a is not None and a == b:
                        continue
                    pairs.append((a, b))
        sent = tok.sent
        when = verb_time.get(tok.i)
        for a, b in pairs:
            if a is None and b is None and code[:2] in ("01", "02"):
                continue  # a statement by nobody about nothing
            conf = 0.45
            if pattern is not None:
                conf += 0.15
            if a is not None and state.actors[a].resolved(state.actors).country:
                conf += 0.15
            if b is not None and state.actors[b].resolved(state.actors).country:
                conf += 0.1
            if code[:2] == "01":
                conf -= 0.15
            if negated or modality == "hypothetical":
                conf -= 0.1
            ev = EventMention(sent.start_char, sent.end_char, (tok.idx, tok.idx + len(tok.text)), tok.i,
                              a, b, code, negated=negated, modality=modality,
                              quote=quote[0] if quote else None, confidence=max(0.05, min(conf, 0.95)))
            if a is None and src_toks:
                s = src_toks[0]
                ev.source_span = (s.left_edge.idx, s.idx + len(s.text))
            if b is None and tgt_tok is not None:
                ev.target_span = (tgt_tok.left_edge.idx, tgt_tok.right_edge.idx + len(tgt_tok.right_edge.text))
            if when:
                ev.date, ev.date_from = when, "text"
            elif article_day:
                ev.date, ev.date_from = article_day, "article"
            ev.place = verb_place.get(tok.i)
            events.append(ev)
    return events


@Language.factory("communique_events", default_config={})
def make_event_stage(nlp: Language, name: str):
    lex = get_event_lexicon()
    get_codebook()

    def event_stage(doc: Doc) -> Doc:
        state = get_state(doc)
        state.events = extract_events(doc, state, lex)
        # Quotes whose content is a codable act (praise, proposal, threat ...) add
        # events of their own, linked by `quote`; see quote_events.py.
        from .quote_events import events_from_quotes

        state.events.extend(events_from_quotes(doc, state, lex))
        return doc

    return event_stage
