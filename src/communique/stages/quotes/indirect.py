"""Indirect quotes: the complement of a reporting verb outside quote marks, and "according to X".
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Token

from .._lexicon import SUBJECT_DEPS
from .._state import QuoteMention
from .context import QuoteContext, QuoteItem, has_speaker, strip_that, trim_span
from .cues import Cue
from .words import (
    FINITE_TAGS,
    FIRST_SECOND_PERSON,
    OBJECT_PREDICATE_PREPS,
    QUESTION_WORDS,
    TOPIC_PREPS,
)

# Cue kinds that report a state of mind or a position rather than words: the writer's own
# ("I think", "we want") is no attribution
ATTITUDE_KINDS = frozenset({"belief", "intent", "stance", "adjective"})
# A paraphrase cut by a quote to fewer words than this is a fragment ("she recalled thinking")
FRAGMENT_WORDS = 4
# the prepositions after a passive cue that say what its subject is held to be or to have done
UNSOURCED_PREPS = frozenset({"as", "of", "for", "with"})
# a subject that opens a relative clause points outside the clause ("which is considered ...")
RELATIVE_WORDS = frozenset({"which", "who", "that", "whom", "whose", "what"})
# Cue kinds whose passive with a by-agent is an attribution to the agent
PASSIVE_KINDS = frozenset({"speech", "write", "stance"})
# Cue kinds whose attribution is dropped when it lies inside another quote's content
NESTED_KINDS = ATTITUDE_KINDS | {"noun", "evidential"}
# Cue kinds whose passive without an agent still attributes ("is expected to win", "was accused of
# lying"): PolNeAR's attributions with no source; the passive subject is what the words are about
UNSOURCED_KINDS = frozenset({"belief", "stance", "speech", "write"})
# Cues whose passive is no unsourced attribution: the subject is the addressee ("was told to
# leave", "was asked to"), or the passive names or describes a habit ("is known as", "was called")
NOT_UNSOURCED = frozenset({"tell", "ask", "urge", "advise", "inform", "assure", "reassure", "remind", "warn",
                           "press", "beg", "implore", "encourage", "call", "answer", "question", "know"})


def _self_report(ctx: QuoteContext, tok: Token) -> bool:
    subj = ctx.subject(tok.head if ctx.cues.verbs[ctx.lemmas[tok.i]].kind == "adjective" else tok)
    return subj is not None and subj.lower_ in FIRST_SECOND_PERSON


# -- indirect quotes ------------------------------------------------------------------
# Long on purpose: one branch per content shape a cue row may name (clause, object, colon, ...),
# tried in the row's order.
def content_span(ctx: QuoteContext, tok: Token, cue: Cue) -> tuple[int, int] | None:
    for how in cue.content:
        comp: Token | None = None
        if how == "clause":
            cands = _clause_candidates(tok, cue)
            if cands:
                comp = min(cands, key=lambda c: abs(c.i - tok.i))
                if cue.kind in ("speech", "write") and comp.tag_ == "VBG" and comp.i > tok.i and \
                        any(c.dep_ in SUBJECT_DEPS for c in comp.children) and \
                        not any(c.dep_ in ("aux", "auxpass", "mark") for c in comp.children):
                    # "she said, her voice breaking": an absolute phrase describes the saying
                    comp = None
                    continue
        elif how in ("object", "predicate"):
            cands = [c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i]
            comp = cands[0] if cands else _gerund(tok)
            if comp is not None:
                # "called climate change a hoax", "criticized the law as a failure", "likened RT to
                # the BBC": what is said of the object belongs to the content
                right = comp.right_edge
                for c in tok.children:
                    if c.i > right.i and (c.dep_ in ("oprd", "xcomp", "ccomp") or
                                          c.dep_ == "prep" and c.lower_ in OBJECT_PREDICATE_PREPS):
                        right = c.right_edge
                if right.i != comp.right_edge.i:
                    return comp.left_edge.idx, right.idx + len(right.text)
                if how == "predicate":
                    # "saw the comment as a dig": without what is said of the object ("saw the
                    # crowd") the verb reports nothing
                    continue
        elif how == "for":
            # "called for an inquiry", "called Friday for releasing the videos"
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "for" and tok.i < c.i <= tok.i + 3:
                    comp = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                    break
            if comp is None:
                span = _for_clause(ctx, tok)
                if span is not None:
                    return span
        elif how.startswith("@"):
            # "called on Obama to retaliate", "pointed to the vote as a sign of ...": the object of
            # the preposition and what is said of it (an infinitive or an as-phrase)
            prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == how[1:] and
                         tok.i < c.i <= tok.i + 3), None)
            obj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
            if obj is None:
                continue
            right = obj.right_edge
            for c in list(tok.children) + list(prep.children):
                if c.i > right.i and (c.dep_ in ("xcomp", "oprd") or
                                      c.dep_ == "prep" and c.lower_ in OBJECT_PREDICATE_PREPS):
                    right = c.right_edge
            if right.i == obj.right_edge.i and how == "@on":
                continue   # "called on Congress": no content without what they are called on to do
            return obj.left_edge.idx, right.idx + len(right.text)
        elif how == "topic":
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in TOPIC_PREPS and c.i > tok.i:
                    # "spoke about the plan", "talked about bringing communities together"
                    comp = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                    if comp is not None:
                        break
        elif how == "to":
            deps = ("xcomp", "ccomp", "advcl") if tok.pos_ == "NOUN" else ("xcomp", "ccomp")
            cands = [c for c in tok.children if c.dep_ in deps and c.i > tok.i and
                     any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)]
            comp = cands[0] if cands else None
        if comp is None:
            continue
        left, right = comp.left_edge, comp.right_edge
        if comp.i < tok.i and right.i >= tok.i:
            right = ctx.doc[tok.i - 1]
        if comp.i > tok.i and left.i <= tok.i:
            left = ctx.doc[tok.i + 1]
        if how == "clause" and comp.i > tok.i:
            right = _before_aside(ctx, comp, _before_second_report(ctx, comp, right))
        return left.idx, right.idx + len(right.text)
    return _outside_complement(ctx, tok, cue)


def _what_called(tok: Token) -> tuple[int, int] | None:
    """'ending what he calls corruption in politics', 'what officials described as a hate crime':
    the object is the relative "what" before the verb; the content is what it is called."""
    if not any(c.dep_ == "dobj" and c.lower_ == "what" and c.i < tok.i for c in tok.children):
        return None
    pred = next((c for c in tok.children if c.i > tok.i and (c.dep_ == "oprd" or
                                                             c.dep_ == "prep" and c.lower_ == "as")), None)
    if pred is None:
        return None
    left = pred.left_edge if pred.dep_ == "oprd" else next((g for g in pred.children if g.dep_ == "pobj"), None)
    if left is None:
        return None
    right = pred.right_edge
    preps = {c.i: c for c in tok.children if c.dep_ == "prep" and c.i > right.i}
    while right.i + 1 in preps:   # "calls corruption in politics": the parse hangs "in" on the verb
        right = preps[right.i + 1].right_edge
    return left.left_edge.idx, right.idx + len(right.text)


def _clause_candidates(tok: Token, cue: Cue) -> list[Token]:
    """The clausal complements of a cue: its ccomp, a noun's or adjective's that-clause."""
    cands = [c for c in tok.children if c.dep_ == "ccomp" or
             c.dep_ in ("acl", "advcl") and tok.pos_ in ("NOUN", "ADJ") and c.i > tok.i and
             any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)]
    if not cands and cue.kind == "adjective" and tok.dep_ == "acomp":
        # "Obama has been clear that ...": the parse hangs the that-clause on the copula
        cands = [c for c in tok.head.children if c.dep_ == "ccomp" and c.i > tok.i and
                 any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)]
    return cands


def _outside_complement(ctx: QuoteContext, tok: Token, cue: Cue) -> tuple[int, int] | None:
    """Content the cue does not govern: the clause a parenthetical or an as-clause reports, or a
    bare clause the parse left unattached."""
    if "object" in cue.content or "predicate" in cue.content:
        span = _what_called(tok)
        if span is not None:
            return span
    if "clause" in cue.content and tok.dep_ == "parataxis":
        # "The plan, he said, is dead." / "The plan is dead, he said."
        head = tok.head
        sent = tok.sent
        start = sent.start_char
        end = tok.left_edge.idx
        if end - start < 10 and head.i > tok.i or head.i > tok.i and not _finite(ctx, sent.start, tok.left_edge.i):
            # "As for complexity, he said, the plan is a mess": what comes before is no clause
            start, end = tok.right_edge.idx + len(tok.right_edge.text), sent.end_char
        return start, end
    if "clause" in cue.content and tok.dep_ == "advcl" and cue.kind in ("speech", "write"):
        span = _as_report(ctx, tok)
        if span is not None:
            return span
    if "bare" in cue.content:
        return _bare_clause(ctx, tok)
    return None


# what an "as" clause reporting the main clause never has: the main clause is its missing object
AS_REPORT_EXCLUDED_DEPS = frozenset({"dobj", "ccomp", "xcomp", "dative", "attr", "oprd", "acomp", "auxpass"})
# "as soon as", "as long as", "as far as": time and condition, no report
AS_REPORT_NOT_AFTER = frozenset({"soon", "long", "far", "much", "well", "just"})


def _as_report(ctx: QuoteContext, tok: Token) -> tuple[int, int] | None:
    """'As many experts have pointed out, Trump is free to ...' and '..., as police have said': an
    as-clause with a reporting verb and no object of its own reports the clause it modifies; the
    content is that clause without the as-clause (what follows it, or what precedes it at the end)."""
    doc = ctx.doc
    mark = next((c for c in tok.children if c.dep_ == "mark"), None)
    if mark is None or mark.lower_ != "as" or mark.i > tok.i or \
            mark.i > 0 and doc[mark.i - 1].lower_ in AS_REPORT_NOT_AFTER or \
            any(c.dep_ in AS_REPORT_EXCLUDED_DEPS or c.dep_ == "prep" and (c.lower_ in TOPIC_PREPS or c.lower_ == "to")
                for c in tok.children):
        return None
    subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None or subj.lower_ in ("you", "one"):
        return None   # "as predicted" names no one (the speaker would be the main clause's subject)
    head = tok.head
    if head is tok or head.pos_ not in ("VERB", "AUX"):
        return None
    lo, hi = tok.left_edge.i, tok.right_edge.i
    k = hi + 1
    while k <= head.right_edge.i and (doc[k].is_punct or doc[k].dep_ == "cc") and doc[k].text not in ".!?":
        k += 1
    if k <= head.right_edge.i and head.i > hi:
        right = head.right_edge
        while right.i > k and right.is_punct:
            right = doc[right.i - 1]
        return doc[k].idx, right.idx + len(right.text)
    if head.i < lo and head.left_edge.i < lo:
        j = lo - 1
        while j > head.left_edge.i and doc[j].is_punct:
            j -= 1
        return head.left_edge.idx, doc[j].idx + len(doc[j].text)
    return None


def _for_clause(ctx: QuoteContext, tok: Token) -> tuple[int, int] | None:
    """'called for the United States to take a stronger role': the parse makes "for" the mark of
    an infinitive clause with its own subject; the content is that clause after "for"."""
    for c in tok.children:
        if c.i > tok.i and c.dep_ in ("advcl", "ccomp", "xcomp"):
            mark = next((g for g in c.children if g.dep_ == "mark" and g.lower_ == "for"), None)
            if mark is not None and tok.i < mark.i <= tok.i + 3 and \
                    any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                right = c.right_edge
                return ctx.doc[mark.i + 1].idx, right.idx + len(right.text)
    return None


def _gerund(tok: Token) -> Token | None:
    """'proposed dropping the tax', 'denied having met him': a gerund complement without a subject
    of its own is the verb's object."""
    for c in tok.children:
        if c.i > tok.i and c.dep_ in ("xcomp", "ccomp") and \
                (c.tag_ == "VBG" or any(g.dep_ == "aux" and g.tag_ == "VBG" for g in c.children)) and \
                not any(g.dep_ in SUBJECT_DEPS or g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            return c
    return None


def _before_second_report(ctx: QuoteContext, comp: Token, right: Token) -> Token:
    """'X said the factors have contributed, citing the importance of ...' and 'said it was opposed
    and warned Pyongyang to ...': a second reporting verb hanging on the content is the speaker's
    next report (the parse attaches it inside), so the content ends before it."""
    for c in comp.children:
        if c.i > comp.i and c.dep_ in ("advcl", "conj") and c.i in ctx.lemmas and \
                (c.tag_ == "VBG" or c.dep_ == "conj" and not any(g.dep_ in SUBJECT_DEPS for g in c.children)) and \
                ctx.cue_at(c.i, speech_only=False) is not None:
            k = c.left_edge.i - 1
            while k > comp.i and (ctx.doc[k].is_punct or ctx.doc[k].dep_ == "cc"):
                k -= 1
            return ctx.doc[k] if k < right.i else right
    return right


# marks of a concessive clause: ", although he refused to ..." is the writer's aside, not what was said
CONCESSIVE_MARKS = frozenset({"although", "though", "whereas"})


def _before_aside(ctx: QuoteContext, comp: Token, right: Token) -> Token:
    """'claimed that paying no taxes was smart, although he again refused to ...': a concessive
    clause after a comma at the end of the content is the writer's aside, not the content (a
    participle there, ", leaving ...", is as often the speaker's as the writer's: kept)."""
    doc = ctx.doc
    for c in comp.children:
        if c.i <= comp.i or c.dep_ != "advcl" or c.right_edge.i < right.i or doc[c.left_edge.i - 1].text != ",":
            continue
        if any(g.dep_ == "mark" and g.lower_ in CONCESSIVE_MARKS for g in c.children):
            k = c.left_edge.i - 2
            return doc[k] if k > comp.i else right
    return right


def _withheld(ctx: QuoteContext, tok: Token) -> bool:
    """The cue is negated ("did not say") or what someone declined or refused to do."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    return tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("decline", "refuse")


def _after_colon(ctx: QuoteContext, tok: Token) -> tuple[int, int] | None:
    """'The ministry said: the talks have failed.' and 'She told reporters:' closing a paragraph
    whose next paragraph is what she said, without quote marks: the content is the sentence after
    the colon, or the next paragraph."""
    doc, text = ctx.doc, ctx.text
    colon = None
    for k in range(tok.i + 1, min(tok.i + 7, len(doc))):
        if ctx.tok_region[k] >= 0:
            return None
        if doc[k].text == ":":
            colon = doc[k]
            break
        if doc[k].is_punct and doc[k].text != ",":
            return None
    if colon is None:
        return None
    pi = ctx.para_of(colon.idx)
    ps, pe = ctx.paras[pi]
    start = colon.idx + 1
    while start < pe and text[start].isspace():
        start += 1
    if start >= pe:
        # the colon ends the paragraph: the next one is the content, unless it is a quote or a title
        if pi + 1 >= len(ctx.paras) or ctx.minor[pi + 1]:
            return None
        start, pe = ctx.paras[pi + 1]
        end = pe
    else:
        end = ctx.sentence_end(start, pe)
    if ctx.in_speech(start) or ctx.in_speech(max(start, end - 1)):
        return None   # a quote: the direct-quote pass has it
    return start, end


def _finite(ctx: QuoteContext, lo: int, hi: int) -> bool:
    """Tokens [lo, hi) hold a finite verb (a clause, not "As for complexity," or "But in recent days,")."""
    return any(ctx.doc[k].tag_ in FINITE_TAGS for k in range(lo, hi))


def _bare_clause(ctx: QuoteContext, tok: Token) -> tuple[int, int] | None:
    """'DeBoer said having Karlsson back was a big boost': a clause without "that" the
    parse did not attach as the verb's complement. The rest of the sentence is the
    content when the speaker comes first and what follows reads as a clause."""
    doc = ctx.doc
    subj = ctx.subject(tok)
    if subj is None or subj.i > tok.i:
        return None
    end = tok.sent.end
    j = tok.i + 1
    while j < end and (doc[j].dep_ in ("dative", "npadvmod", "advmod") and doc[j].head.i == tok.i
                       or doc[j].lower_ in ("that", ",", ":") or doc[j].ent_type_ in ("DATE", "TIME")
                       and doc[j].head.i in (tok.i, j + 1)):
        j += 1
    while end > j and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end - j < 4 or doc[j].pos_ not in ("DET", "PRON", "PROPN", "NOUN", "NUM", "ADJ") and doc[j].tag_ != "VBG":
        return None  # a clause starts with its subject
    inner = ctx.cands[bisect_left(ctx.cands, j):bisect_left(ctx.cands, end)]
    if any(ctx.tok_region[k] >= 0 for k in range(j, end)) or any(ctx.cue_at(k) for k in inner):
        return None  # a quote or another report inside: leave it to them
    if not any(doc[k].pos_ in ("VERB", "AUX") and doc[k].tag_ not in ("VBG", "VBN") for k in range(j, end)):
        return None  # "said the words", "told him about it": no clause
    return doc[j].idx, doc[end - 1].idx + len(doc[end - 1].text)


# Long on purpose: one pass over the cue candidates; each early `continue` is one reason a cue
# word is no attribution, in the order they must be tested.
def indirect_quotes(ctx: QuoteContext) -> list[QuoteItem]:
    text = ctx.text
    out: list[QuoteItem] = []
    doc = ctx.doc
    for i in ctx.cands:
        if i in ctx.mixed_cues or ctx.tok_region[i] >= 0 or ctx.in_quoted(ctx.starts[i]):
            continue
        pi = ctx.para_of(ctx.starts[i])
        if ctx.minor[pi] and (pi > 0 or ctx.is_boilerplate(ctx.paras[pi][0])):
            continue  # a caption, a link to another story (the first paragraph may be the title)
        tok = doc[i]
        if tok.lower_ == "according" and ctx.phrase_at(i):
            q = _according(ctx, i)
            if q is not None:
                out.append(QuoteItem(q, attributed=True, kind="according"))
            continue
        if ctx.lemmas.get(i) in ctx.cues.source_preps:
            q = _source_prep(ctx, tok)
            if q is not None:
                out.append(QuoteItem(q, attributed=True, kind="according"))
            continue
        evidential = ctx.cues.verbs.get(ctx.lemmas.get(i, ""))
        if evidential is not None and evidential.kind == "evidential":
            item = _evidential(ctx, tok) if ctx.unsourced else None
            if item is not None:
                out.append(item)
            continue
        cue = ctx.cue_at(i, speech_only=False)
        if cue is None:
            nominal = _nominal(ctx, tok) if ctx.attitudes else None
            if nominal is not None:
                out.append(nominal)
            continue
        if not ctx.attitudes and cue.kind in ("intent", "stance", "adjective"):
            continue  # speech-only attributions (the `attitudes` setting)
        if cue.kind in PASSIVE_KINDS:
            passive = _passive_by(ctx, tok)
            if passive is not None:
                out.append(passive)
                continue
        if ctx.unsourced and cue.kind in UNSOURCED_KINDS and cue.lemma not in NOT_UNSOURCED:
            passive = _passive_unsourced(ctx, tok)
            if passive is not None:
                out.append(passive)
                continue
        span = content_span(ctx, tok, cue)
        if span is None and cue.kind in ("speech", "write"):
            span = _after_colon(ctx, tok)
        if span is None:
            continue
        ps, pe = ctx.paras[ctx.para_of(tok.idx)]
        if ctx.is_boilerplate(ps):
            continue
        start, end = trim_span(text, max(span[0], ps), min(span[1], pe))
        if not ctx.attitudes and cue.kind == "belief" and not (text.startswith("that ", start) and
                                                               tok.dep_ != "ccomp"):
            continue  # speech-only: a belief counts only as a reported "X believes that ..."
        if cue.kind in ATTITUDE_KINDS and (_self_report(ctx, tok) and not ctx.attitudes or
                                            any(c.dep_ == "auxpass" for c in tok.children)):
            # speech only: the writer's own "I think", "we want" is no report (PolNeAR counts it as
            # the writer's attribution, so with `attitudes` it stays); "production is expected to
            # improve" names no one who expects it (_passive_unsourced reports it without a speaker)
            continue
        start = strip_that(ctx, start, end)
        start, end = trim_span(text, start, end)
        if _withheld(ctx, tok) and text[start:start + 9].split(" ", 1)[0].lower() in QUESTION_WORDS:
            continue   # "would not say whether ...", "declined to say why": nothing was said
        start, end, typ = _fit_quotes(ctx, start, end)
        if not typ:
            continue
        if (end - start < 8 or len(text[start:end].split()) < 3) and not \
                (cue.kind == "stance" and end > start and text[start].isupper()) and not \
                (ctx.attitudes and _names_something(ctx, start, end)):
            # a short paraphrase says little, but a stance on a name is what it is about
            # ("Cruz endorses Trump", "attacked Machado"); a pronoun alone ("backed it") is not
            continue
        # "X is confident that ...": the speaker is the subject of the copula
        sp = ctx.speaker_of(tok.head if cue.kind == "adjective" else tok)
        if not has_speaker(sp) or cue.kind == "adjective" and _expletive(ctx, tok.head):
            continue
        q = QuoteMention(start, end, typ, sp[0], sp[1], (tok.idx, tok.idx + len(tok.text)), i,
                         ctx.addressee_of(tok))
        out.append(QuoteItem(q, attributed=True, kind=cue.kind))
    return out


def _expletive(ctx: QuoteContext, verb: Token) -> bool:
    """'It is clear that ...': the subject of the copula is no holder of the attitude."""
    subj = ctx.subject(verb)
    return subj is not None and subj.lower_ in ("it", "there", "this", "that")


def _passive_by(ctx: QuoteContext, tok: Token) -> QuoteItem | None:
    """'Trump has been endorsed by dozens of papers', 'the registration issue was first reported by
    The Washington Post': a passive cue with a by-agent; the agent is the source and the
    passive subject what the source said or took a stance on."""
    if not any(c.dep_ == "auxpass" for c in tok.children):
        return None
    subj = next((c for c in tok.children if c.dep_ == "nsubjpass" and c.i < tok.i), None)
    agent = next((c for c in tok.children if c.dep_ == "agent" and c.i > tok.i), None)
    by = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
    if subj is None or by is None or subj.lower_ in FIRST_SECOND_PERSON or subj.pos_ == "PRON":
        return None
    sp = ctx.mention(by)
    if not has_speaker(sp):
        return None
    start, end = trim_span(ctx.text, subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge.text))
    if start >= end or ctx.in_speech(start) or ctx.in_quoted(start) or \
            len(ctx.text[start:end].split()) < 3 and not ctx.text[start].isupper():
        return None
    q = QuoteMention(start, end, "indirect", sp[0], sp[1], (tok.idx, tok.idx + len(tok.text)), tok.i)
    return QuoteItem(q, attributed=True, kind=ctx.cues.verbs[ctx.lemmas[tok.i]].kind)


def _names_something(ctx: QuoteContext, start: int, end: int) -> bool:
    """A short content that ends in a noun or a verb names what the attribution is about ("denied
    the allegations", "declined to comment", "backed Trump"); a pronoun or a particle alone
    ("backed it", "said so") does not."""
    ks = ctx.toks(start, end)
    return len(ks) > 0 and ctx.doc[ks[-1]].pos_ in ("NOUN", "PROPN", "VERB")


def _passive_unsourced(ctx: QuoteContext, tok: Token) -> QuoteItem | None:
    """'Turnout is expected to rise', 'He was accused of lying', 'The claim was rated as false': a
    passive cue with no agent reports what someone unnamed holds about its subject; the content is
    the subject with what is said of it (an infinitive, an as/of/for/with phrase or a predicate),
    and the quote has no speaker."""
    if not any(c.dep_ == "auxpass" for c in tok.children) or \
            any(c.dep_ in ("agent", "neg") for c in tok.children):
        return None
    subj = next((c for c in tok.children if c.dep_ == "nsubjpass" and c.i < tok.i), None)
    if subj is None or subj.lower_ in FIRST_SECOND_PERSON or subj.lower_ in ("it", "this", "that") or \
            ctx.tok_region[subj.i] >= 0:
        return None
    right = None
    for c in tok.children:
        if c.i > tok.i and (c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ in UNSOURCED_PREPS or
                            c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)):
            if right is not None and ctx.doc[c.left_edge.i - 1].is_punct:
                break   # "accused of hurting civilians, with claims of abuse": an aside, not content
            right = c.right_edge if right is None or c.right_edge.i > right.i else right
    if right is None:
        return None   # "the law was passed", "he was criticized": nothing said of the subject
    if any(c.dep_ == "xcomp" and c.i in ctx.lemmas and ctx.cue_at(c.i, speech_only=False) is not None
           for c in tok.children):
        return None   # "the Times is expected to endorse Clinton": the inner cue is the attribution
    left = subj.left_edge
    if left.lower_ in RELATIVE_WORDS:
        return None
    # "Officer Shelby, who shot Crutcher, was charged with ...": a subject with a relative clause
    # or an apposition is too long to be part of one span; the content is what is said of it
    first = min((c for c in tok.children if c.i > tok.i and (c.dep_ in ("oprd", "xcomp", "prep"))),
                key=lambda c: c.i, default=None)
    if any(c.i > subj.i and c.dep_ in ("relcl", "appos", "acl") for c in subj.children) and first is not None:
        left = first.left_edge
    return _unsourced_item(ctx, tok, left, right, min_words=3, kind=ctx.cues.verbs[ctx.lemmas[tok.i]].kind)


def _evidential(ctx: QuoteContext, tok: Token) -> QuoteItem | None:
    """'Melania seems to have vanished from the trail', 'It appears that the talks failed', 'The
    gunman allegedly fired into the crowd': the writer reports what someone unnamed holds; the
    content is the clause (subject and complement, the that-clause, or the clause the adverb
    modifies), and the quote has no speaker."""
    doc = ctx.doc
    if tok.pos_ == "ADV":
        verb = tok.head
        if tok.dep_ != "advmod" or verb.pos_ not in ("VERB", "AUX") or verb is tok:
            return None
        subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i < verb.i), None)
        left = subj.left_edge if subj is not None else doc[min(tok.i, verb.i)]
        right = verb.right_edge
    else:
        if tok.pos_ not in ("VERB", "AUX") or any(c.dep_ == "neg" for c in tok.children):
            return None
        subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS and c.i < tok.i), None)
        comp = next((c for c in tok.children if c.i > tok.i and c.dep_ == "xcomp" and
                     any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
        if comp is not None and subj is not None and subj.lower_ not in {"it", "there"} | FIRST_SECOND_PERSON:
            left, right = subj.left_edge, comp.right_edge
        else:
            # "It appears that the talks failed": the that-clause
            comp = next((c for c in tok.children if c.i > tok.i and c.dep_ == "ccomp" and
                         any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
            if comp is None:
                return None   # "appeared on television": no claim
            left, right = comp.left_edge, comp.right_edge
    head = verb if tok.pos_ == "ADV" else comp
    if head.i in ctx.lemmas and ctx.cue_at(head.i, speech_only=False) is not None:
        return None   # "he seems to feel that ...", "reportedly told aides ...": the inner cue reports it
    if subj is not None and left.i == subj.left_edge.i and (left.lower_ in RELATIVE_WORDS or
                                                             left.lower_ in FIRST_SECOND_PERSON):
        return None   # "which seems to be ...": the relative points outside the clause
    return _unsourced_item(ctx, tok, left, right, min_words=4, kind="evidential", strip=True)


def _unsourced_item(ctx: QuoteContext, tok: Token, left: Token, right: Token, *, min_words: int, kind: str,
                    strip: bool = False) -> QuoteItem | None:
    """The quote without a speaker for an unsourced attribution whose content runs from `left` to
    `right` (kept inside the cue's paragraph, outside quote marks, and at least `min_words` long);
    `strip` drops an opening "that"."""
    ps, pe = ctx.paras[ctx.para_of(tok.idx)]
    start, end = trim_span(ctx.text, max(left.idx, ps), min(right.idx + len(right.text), pe))
    if strip:
        start = strip_that(ctx, start, end)
        start, end = trim_span(ctx.text, start, end)
    if start >= end or ctx.in_speech(start) or ctx.in_quoted(start) or \
            len(ctx.text[start:end].split()) < min_words:
        return None
    start, end, typ = _fit_quotes(ctx, start, end)
    if not typ:
        return None
    q = QuoteMention(start, end, typ, None, None, (tok.idx, tok.idx + len(tok.text)), tok.i)
    return QuoteItem(q, attributed=True, kind=kind)


def drop_nested(items: list[QuoteItem]) -> list[QuoteItem]:
    """Attitudes inside what someone is reported to say are part of that report, not
    attributions of their own: in "Fowler said he expects Clinton to recover" the attribution is
    Fowler's statement (as PolNeAR and GGT annotate it), not "he expects"."""
    spans = sorted((it.q.char_start, it.q.char_end) for it in items)
    starts = [a for a, _ in spans]
    reach: list[int] = []   # the furthest end among the spans starting at or before each start
    for _, b in spans:
        reach.append(max(b, reach[-1]) if reach else b)
    out = []
    for it in items:
        cue = it.q.cue
        if it.kind in NESTED_KINDS and cue is not None and not it.q.char_start <= cue[0] < it.q.char_end:
            k = bisect_left(starts, cue[0] + 1) - 1
            if k >= 0 and cue[0] < reach[k]:
                continue
        out.append(it)
    return out


def _according(ctx: QuoteContext, i: int) -> QuoteMention | None:
    """'According to X, ...' and '..., according to X.': the sentence minus the phrase."""
    doc, text = ctx.doc, ctx.text
    plen = ctx.phrase_at(i)
    if i + plen >= len(doc):
        return None
    last = doc[i + plen - 1]
    pobj = [c for c in last.children if c.dep_ == "pobj"]
    agent = pobj[0] if pobj else doc[i + plen]
    sp = ctx.mention(agent)
    if not has_speaker(sp):
        return None
    sent = doc[i].sent
    start, end = sent.start_char, sent.end_char
    phrase_end = agent.right_edge.idx + len(agent.right_edge.text)
    if doc[i].idx <= start + 1 or text[start:doc[i].idx].strip() in ("", "But", "And", "Yet"):
        start = phrase_end
    else:
        end = doc[i].idx
    start, end = trim_span(text, start, end)
    if len(text[start:end].split()) < 3:
        return None
    if ctx.in_speech(start) or ctx.in_speech(max(start, end - 1)):
        return None
    return QuoteMention(start, end, "indirect", sp[0], sp[1], (doc[i].idx, last.idx + len(last.text)), i)


def _source_prep(ctx: QuoteContext, tok: Token) -> QuoteMention | None:
    """'In this poll, Trump rose 1 point ...', '..., in a new survey': a source noun in a
    prepositional phrase opening or closing a main clause with no reporting verb of its own is
    the source of the rest of the sentence."""
    head = tok.head
    if tok.dep_ != "prep" or head.dep_ != "ROOT" or head.pos_ not in ("VERB", "AUX") or head.i in ctx.lemmas \
            and ctx.cue_at(head.i, speech_only=False) is not None:
        return None
    src = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if src is None or src.lemma_.lower() not in ctx.cues.source_nouns or \
            not any(c.dep_ in ("det", "poss", "amod", "compound", "nummod") for c in src.children):
        return None   # "in court", "in writing": a bare noun is a place or a manner, no source
    doc, text = ctx.doc, ctx.text
    sent = tok.sent
    phrase_end = tok.right_edge.idx + len(tok.right_edge.text)
    if text[sent.start_char:tok.idx].strip() in ("", "But", "And", "Yet"):
        start, end = phrase_end, sent.end_char
    elif doc[tok.i - 1].text == "," and tok.right_edge.i + 2 >= sent.end and tok.right_edge.i + 1 < len(doc) and \
            (tok.right_edge.i + 1 == sent.end or doc[tok.right_edge.i + 1].is_punct):
        start, end = sent.start_char, tok.idx
    else:
        return None
    sp = ctx.mention(src)
    if not has_speaker(sp):
        return None
    ps, pe = ctx.paras[ctx.para_of(tok.idx)]
    start, end = trim_span(text, max(start, ps), min(end, pe))
    if len(text[start:end].split()) < 3 or ctx.in_speech(start) or ctx.in_speech(max(start, end - 1)):
        return None
    return QuoteMention(start, end, "indirect", sp[0], sp[1], (tok.idx, tok.idx + len(tok.text)), tok.i)


def _fit_quotes(ctx: QuoteContext, start: int, end: int) -> tuple[int, int, str]:
    """A direct quote inside a paraphrase: the paraphrase ends where a full quote begins, but
    a quoted fragment makes it a mixed quote. Returns the trimmed span and its type; a
    paraphrase cut by a quote to a few words is a fragment of the quote's frame, not content
    (type "")."""
    typ = "indirect"
    cut = False
    for ri in range(max(0, bisect_left(ctx.opens, start) - 1), len(ctx.speech)):
        r = ctx.speech[ri]
        if r.open >= end:
            break
        if r.after <= start:
            continue
        if r.open <= start:
            start, cut = r.after, True  # content starting inside a quote: take what follows it
            continue
        if r.after <= end + 1 and r.open > start:
            typ = "mixed"
            continue
        end, cut = r.open, True
    start, end = trim_span(ctx.text, start, end)
    if cut and len(ctx.text[start:end].split()) < FRAGMENT_WORDS:
        typ = ""
    return start, end, typ


def _nominal(ctx: QuoteContext, tok: Token) -> QuoteItem | None:
    """Nominal cues: "Trump's claim that ...", "the warning by the ministry that ...",
    "X issued a warning that ...", "her call for calm". The content is the noun's that-clause,
    infinitive or prepositional object (as the cue table says); the source its possessor, its
    by/from agent, or the subject of the verb it is the object of."""
    cue = ctx.cues.nouns.get(ctx.lemmas.get(tok.i, ""))
    if cue is None or tok.pos_ != "NOUN":
        return None
    comp: Token | None = None
    for how in cue.content:
        for c in tok.children:
            if c.i <= tok.i:
                continue
            if how == "clause" and c.dep_ in ("acl", "ccomp", "appos") and \
                    any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
                comp = c
            elif how == "to" and c.dep_ in ("acl", "relcl") and \
                    any(g.dep_ == "aux" and g.lower_ == "to" and g.i < c.i for g in c.children):
                comp = c
            elif c.dep_ == "prep" and c.lower_ == how:
                comp = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if comp is not None:
                break
        if comp is not None:
            break
    if comp is None:
        return None
    sp = _nominal_source(ctx, tok)
    if not has_speaker(sp) and not (ctx.unsourced and comp.dep_ not in ("pobj", "pcomp")):
        # "growing fears that ...", "the decision to ...": a that-clause or an infinitive is said
        # by someone unnamed (a quote without a speaker); "criticism of the deal" alone is not
        return None
    text = ctx.text
    ps, pe = ctx.paras[ctx.para_of(tok.idx)]
    start, end = trim_span(text, max(comp.left_edge.idx, ps),
                           min(comp.right_edge.idx + len(comp.right_edge.text), pe))
    start = strip_that(ctx, start, end)
    start, end = trim_span(text, start, end)
    if ctx.in_speech(start) or ctx.in_quoted(start):
        return None
    start, end, typ = _fit_quotes(ctx, start, end)
    if not typ or len(text[start:end].split()) < 3:
        return None
    q = QuoteMention(start, end, typ, sp[0], sp[1], (tok.idx, tok.idx + len(tok.text)), tok.i)
    return QuoteItem(q, attributed=True, kind="noun")


def _nominal_source(ctx: QuoteContext, tok: Token) -> tuple:
    for c in tok.children:
        if c.dep_ == "poss":
            return ctx.mention(c)
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from") and c.i > tok.i:
            agent = next((g for g in c.children if g.dep_ == "pobj"), None)
            if agent is not None:
                return ctx.mention(agent)
    head = tok.head
    if tok.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX") and head is not tok:
        subj = ctx.subject(head)   # "X made the claim that ...", "X issued a warning that ..."
        if subj is not None:
            return ctx.mention(subj)
    return (None, None)
