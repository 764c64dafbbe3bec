"""Step 4: negation, intention, hypotheticals and reported speech.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Token

from .._state import doc_text
from .coding import code_of
from .model import Coded, Ctx, clause_head, lemma_of, sentence_starts
from .words import FAIL_VERBS, HYPO_MARKERS, HYPOTHETICAL_AUX, INTENT_AUX


def _conditional(t: Token) -> bool:
    """``t`` is conditioned: "if ..." on itself, or it is the consequent of an if-clause."""
    for ch in t.children:
        if ch.dep_ == "mark" and ch.lower_ in ("if", "unless"):
            return True
        if ch.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("if", "unless") for g in ch.children):
            return True
    return False


# Long on purpose: one walk up the trigger's clause chain gathering negation, hypothetical and
# intent markers; the order of the checks decides the reading.
def modality_of(c: Coded, ctx: Ctx, quote, reported: bool, intent_modal: bool = False) -> tuple[str, bool]:
    tok = c.tok
    head = clause_head(tok, ctx.limits["clause_climb"])
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
                if w in INTENT_AUX:
                    intended = True
                elif w == "would":
                    if reported:
                        intended = True
                    else:
                        hypothetical = True
                elif w in HYPOTHETICAL_AUX:
                    hypothetical = True
            if ch.dep_ == "mark" and ch.lower_ in ("whether",):
                hypothetical = True
        if _conditional(t):
            hypothetical = True
    if tok.pos_ in ("NOUN", "PROPN"):
        # an event noun's own words: "the planned visit", "a possible ban", "the visit was cancelled"
        n_hypo, n_intended, n_negated = _noun_modality(tok, ctx)
        hypothetical = hypothetical or n_hypo
        intended = intended or n_intended
        negated = negated != n_negated
    # the clauses above: "If we need to coordinate", "did not agree to", "ready to work"
    cur = head
    for _ in range(ctx.limits["upper_clauses"]):
        if cur.head is cur or cur.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "acomp", "pcomp", "prep"):
            break
        up = cur.head
        if cur.dep_ == "xcomp" and (any(ch.dep_ == "neg" for ch in up.children) or lemma_of(up) in FAIL_VERBS):
            negated = True   # "did not agree to", "failed to reach an agreement"
        if cur.dep_ in ("xcomp", "conj", "advcl", "pcomp", "prep"):
            if cur.dep_ != "advcl" and _conditional(up):
                hypothetical = True
            for ch in up.children:
                if ch.dep_ == "aux" and (ch.lower_ in HYPOTHETICAL_AUX or (ch.lower_ == "would" and not reported)):
                    hypothetical = True
        cur = up
    if c.kind != "say":
        # the sentence by its start (``Token.sent`` would walk the tokens on every call)
        starts = sentence_starts(ctx)
        k = bisect_right(starts, tok.i) - 1
        hypo = ctx.sent_hypo.get(starts[k])
        if hypo is None:   # joining a sentence's tokens is dear: once per sentence, not per trigger
            end = starts[k + 1] if k + 1 < len(starts) else len(ctx.doc)
            last = ctx.doc[end - 1]   # the sentence's text (Span.text) cut from the document's
            sent = doc_text(ctx.doc)[ctx.doc[starts[k]].idx:last.idx + len(last)].lower()
            hypo = ctx.sent_hypo[starts[k]] = any(m in sent for m in HYPO_MARKERS)
        if hypo:
            hypothetical = True
    if hypothetical:
        return "hypothetical", negated
    if intended:
        return "intended", negated
    if reported or quote is not None:
        return "reported", negated
    return "asserted", negated


def _noun_modality(tok: Token, ctx: Ctx) -> tuple[bool, bool, bool]:
    """(hypothetical, intended, called off) from a noun trigger's modifiers and the verb it is the
    subject or object of (word sets ``noun_*`` of event_sets.tsv)."""
    sets = ctx.lex.sets
    mods = {w for ch in tok.children if ch.dep_ in ("amod", "compound", "advmod", "nmod") and ch.i < tok.i
            for w in (ch.lower_, lemma_of(ch))}
    hypo = bool(sets.get("noun_hypothetical") and mods & sets["noun_hypothetical"].lemmas)
    intended = bool(sets.get("noun_intended") and mods & sets["noun_intended"].lemmas)
    called_off = False
    gov = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass", "dobj") and gov.pos_ == "VERB":
        words = {gov.lower_, lemma_of(gov)}
        if sets.get("noun_called_off") and words & sets["noun_called_off"].lemmas:
            called_off = True   # a cancelled visit did not happen
        elif sets.get("noun_deferred") and words & sets["noun_deferred"].lemmas:
            intended = True     # a postponed visit is still intended
    return hypo, intended, called_off


def under_say(tok: Token, ctx: Ctx) -> Coded | None:
    """The reporting verb whose complement clause contains ``tok``, if any."""
    cur = tok
    for _ in range(ctx.limits["say_climb"]):
        if cur.head is cur:
            return None
        if cur.dep_ in ("ccomp", "parataxis") or (cur.dep_ == "conj" and cur.head.dep_ == "ccomp"):
            c = code_of(cur.head, ctx)
            if c is not None and c.kind == "say" and c.facts.lemma != "report":
                return c
        cur = cur.head
    return None
