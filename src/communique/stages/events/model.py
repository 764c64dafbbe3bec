"""The working objects of the event stage and the small lookups every step uses: a trigger's
dependents (``Facts``), a trigger with its winning rule (``Coded``), the per-document context
(``Ctx``: the memo of coded tokens), the actor mention at a token and a clause's head.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ...kb.lexicons import EventLexicon, Rule
from .._lexicon import (
    CLAUSAL_DEPS,
)
from .._state import DocState


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


# How far the stage walks the parse, by purpose: setting ``components.communique_events.limits``.
# Larger values reach further ("the leader of the party of the mayor of X") at the price of
# more wrong attachments and time.
SEARCH_LIMITS: dict[str, int] = {
    "frame_depth": 4,        # frames / light verbs followed from one trigger ("urged X to agree to start talks")
    "modifier_depth": 3,     # levels of modifiers searched for the actor a phrase names
    "clause_climb": 6,       # heads climbed from a noun or adjective trigger to its clause's verb
    "control_chain": 4,      # control, coordination and clause links climbed to find a subject
    "antecedent_climb": 8,   # heads climbed to find the subject a pronoun ("it", "they") stands for
    "upper_clauses": 4,      # clauses above a trigger whose negation or condition applies to it
    "say_climb": 6,          # heads climbed to find the reporting verb above a trigger
    "date_climb": 4,         # clause links climbed to find the time expression dating a trigger
    "history_climb": 8,      # heads climbed from a history marker ("once upon a time") to its verb
    "carry_sentences": 2,    # sentences back that "the attack" may name an event of (its doer is carried)
}


@dataclass
class Ctx:
    doc: Doc
    state: DocState
    lex: EventLexicon
    coded: dict[int, Coded | None] = field(default_factory=dict)
    busy: set[int] = field(default_factory=set)
    limits: dict[str, int] = field(default_factory=lambda: dict(SEARCH_LIMITS))
    # (noun table?, lemma, lower-case form) -> the lexicon's rules for that word (matching.rules_for);
    # the component passes one dict for all its documents, since the lookup depends on the lexicon only
    rules_memo: dict[tuple[bool, str, str], list[Rule] | None] = field(default_factory=dict)
    # (POS, LEMMA, LOWER ids) -> whether such a token has rules (walk._may_code); per component too
    trigger_memo: dict[tuple[int, int, int], bool] = field(default_factory=dict)
    # sentence start token -> whether the sentence holds a hypothetical marker (modality_of)
    sent_hypo: dict[int, bool] = field(default_factory=dict)
    # the events coded so far in this document, in text order: what "the attack" of a later
    # sentence refers back to (participants.carried_doer)
    prior: list = field(default_factory=list)
    # the first token of each sentence, in order (modality_of; built on first use)
    sent_starts: list[int] | None = None


def sentence_starts(ctx: Ctx) -> list[int]:
    """The first token of each sentence of ``ctx.doc``, in order, built once per document
    (``Token.sent`` walks the tokens on every call)."""
    if ctx.sent_starts is None:
        ctx.sent_starts = [s.start for s in ctx.doc.sents]
    return ctx.sent_starts


# -- word matching ---------------------------------------------------------------------
def lemma_of(tok: Token) -> str:
    return tok.lemma_.lower()


# -- participants ---------------------------------------------------------------------------------
def actor_in(tok: Token, state: DocState, subject: bool = False,
             depth: int = SEARCH_LIMITS["modifier_depth"]) -> int | None:
    """The actor a phrase names: the token's own mention, else the nearest one among its
    modifiers (not inside its relative or complement clauses)."""
    ta = state.token_actor
    if tok.i in ta:
        return ta[tok.i]
    frontier = [tok]
    for _ in range(depth):
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


def named_actor(tok: Token, state: DocState) -> bool:
    """The token heads a named person, organisation or country (an addressee, not a thing)."""
    a = state.token_actor.get(tok.i)
    return a is not None and state.actors[a].kind in ("person", "organization", "country")


def direct_actor(tok: Token, state: DocState) -> bool:
    """The phrase headed by ``tok`` is itself an actor mention (not one buried in a modifier)."""
    if tok.i in state.token_actor:
        return True
    return any(c.i in state.token_actor for c in tok.children if c.dep_ in ("compound", "poss", "amod", "nmod", "det"))


# -- modality ----------------------------------------------------------------------------------------
def clause_head(tok: Token, climb: int = SEARCH_LIMITS["clause_climb"]) -> Token:
    """The verb governing a trigger's clause (a noun's verb, an xcomp's controller stays)."""
    cur = tok
    for _ in range(climb):
        if cur.pos_ in ("VERB", "AUX") or cur.head is cur:
            return cur
        cur = cur.head
    return cur
