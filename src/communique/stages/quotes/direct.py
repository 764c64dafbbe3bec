"""Direct and mixed quotes: quote-mark regions attributed from their sentence frame, labelled
turns of transcripts ("PUTIN: ...") and headlines.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .._quotemarks import Region
from .._state import QuoteMention
from .context import (
    NOBODY,
    QuoteContext,
    QuoteItem,
    Speaker,
    gap_text,
    has_speaker,
    strip_that,
    trim_span,
)
from .indirect import content_span
from .words import DASH_ATTR, HEADLINE, HEADLINE_GROUPS, LABEL, LINK_GAP, WORD


class _Attribution:
    __slots__ = ("speaker", "cue", "cue_tok", "mode", "addressee")

    def __init__(self, speaker: Speaker, cue: tuple[int, int] | None, cue_tok: int | None, mode: str,
                 addressee: int | None = None):
        self.speaker, self.cue, self.cue_tok, self.mode, self.addressee = speaker, cue, cue_tok, mode, addressee


# Long on purpose: the cue-after patterns in order of preference, each returning at once.
def _find_after(ctx: QuoteContext, r: Region, window: tuple[int, int]) -> _Attribution | None:
    """'"...," X said' / '"...," said X' / '"...," according to X'."""
    text = ctx.text
    a, b = window
    rng = ctx.toks(a, b)
    if len(rng) == 0:
        return None
    content = text[r.start:r.end].rstrip()
    dash = DASH_ATTR.match(text, a, b)
    if dash is not None:
        # '"...." ― Sonya Herridge': a byline-style attribution after a dash
        ta = ctx.state.token_actor
        name = ctx.toks(dash.end(), b)
        if 0 < len(name) <= 8:
            idx = next((ta[i] for i in name if i in ta), None)
            if idx is not None:
                return _Attribution((idx, None), (dash.start(1), dash.end(1)), None, "after")
            comma = text.find(",", dash.end(), b)
            s_, e_ = trim_span(text, dash.end(), comma if comma >= 0 else b)
            if e_ > s_:
                return _Attribution((None, (s_, e_)), (dash.start(1), dash.end(1)), None, "after")
    tail = text[a:b].lstrip(" ,\u2014\u2013-")
    if not tail:
        return None
    if content[-1:] in (".", "!", "?", "\u2026") and not tail[0].islower() and len(rng) > 6:
        return None  # the quote ended its sentence; what follows is a new one
    # the attribution starts with its subject, its verb or "according to"; anything else
    # ('"very committed" to hearing what she had to say') means the sentence goes on
    first = next((ctx.doc[i] for i in rng if not ctx.doc[i].is_punct), None)
    if first is None or not (ctx.phrase_at(first.i) or first.pos_ in ("VERB", "AUX") and ctx.cue_at(first.i)
                             or first.pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM", "ADV")):
        return None
    for n, i in enumerate(rng):
        if n > 30 or ctx.tok_region[i] >= 0:
            break
        plen = ctx.phrase_at(i)
        if plen:
            j = i + plen
            if j < len(ctx.doc):
                agent = ctx.doc[j]
                pobj = [c for c in ctx.doc[i + plen - 1].children if c.dep_ == "pobj"]
                agent = pobj[0] if pobj else agent
                sp = ctx.mention(agent)
                if has_speaker(sp):
                    end_tok = ctx.doc[i + plen - 1]
                    return _Attribution(sp, (ctx.doc[i].idx, end_tok.idx + len(end_tok.text)), i, "after")
        if ctx.cue_at(i) is None:
            continue
        tok = ctx.doc[i]
        sp = ctx.speaker_of(tok, inverted_ok=True, window=window)
        if not has_speaker(sp):
            # no subject in the parse: the actor nearest the cue in the window, before it
            # ('", Harry Kazianis, director of ..., said') or right after it ('", said Smith')
            ta = ctx.state.token_actor
            before_cue = [k for k in range(rng.start, i) if k in ta]
            after_cue = [k for k in range(i + 1, min(rng.stop, i + 4)) if k in ta]
            if before_cue:
                sp = (ta[before_cue[0]], None)
            elif after_cue:
                sp = (ta[after_cue[0]], None)
        if not has_speaker(sp):
            continue
        return _Attribution(sp, (tok.idx, tok.idx + len(tok.text)), i, "after", ctx.addressee_of(tok))
    return None


def _find_before(ctx: QuoteContext, r: Region, window: tuple[int, int]) -> _Attribution | None:
    """'X said: "..."' and 'X said the move was "..."' (the last cue before the mark)."""
    a, b = window
    rng = ctx.toks(a, b)
    for i in reversed(rng):
        if ctx.tok_region[i] >= 0:
            continue
        tok = ctx.doc[i]
        if tok.lower_ == "according" and ctx.phrase_at(i):
            pobj = [c for c in ctx.doc[i + 1].children if c.dep_ == "pobj"] if i + 1 < len(ctx.doc) else []
            sp = ctx.mention(pobj[0]) if pobj else NOBODY
            if has_speaker(sp):
                return _Attribution(sp, (tok.idx, ctx.doc[i + 1].idx + len(ctx.doc[i + 1].text)), i, "before")
            continue
        if ctx.cue_at(i) is None:
            continue
        sp = ctx.speaker_of(tok, window=window)
        if not has_speaker(sp):
            continue
        return _Attribution(sp, (tok.idx, tok.idx + len(tok.text)), i, "before", ctx.addressee_of(tok))
    return None


def _find_colon(ctx: QuoteContext, window: tuple[int, int]) -> _Attribution | None:
    """'The statement read: "..."', 'PENCE: "..."': the nearest actor before a colon."""
    a, b = window
    if not ctx.text[a:b].rstrip().endswith(":"):
        return None
    ta = ctx.state.token_actor
    for i in reversed(ctx.toks(a, b)):
        if i in ta and ctx.tok_region[i] < 0:
            return _Attribution((ta[i], None), None, None, "colon")
    rng = ctx.toks(a, b)
    if 0 < len(rng) <= 4:
        s, e = trim_span(ctx.text, a, b)
        if e > s:
            return _Attribution((None, (s, e)), None, None, "colon")
    return None


# Long on purpose: one pass over the quote regions with the attribution fallbacks (after, before,
# colon, label, carried) in order.
def direct_quotes(ctx: QuoteContext) -> list[QuoteItem]:
    text = ctx.text
    out: list[QuoteItem] = []
    n = len(ctx.speech)
    for ri, r in enumerate(ctx.speech):
        if ri in ctx.consumed:
            continue
        content = text[r.start:r.end]
        words = len(content.split())
        pi = ctx.para_of(r.open)
        ps, pe = ctx.paras[pi]
        if ctx.is_boilerplate(ps):
            continue
        prev = ctx.speech[ri - 1] if ri > 0 else None
        lower = ps
        if prev is not None and prev.after <= r.open and prev.after > ps:
            lower = prev.after
        b_start = ctx.sentence_start(lower, r.open)
        before = (b_start, r.open)
        att: _Attribution | None = None
        after: tuple[int, int] | None = None
        if r.close is not None:
            pa = ctx.para_of(r.after)
            upper = ctx.paras[pa][1]
            nxt = ctx.speech[ri + 1].open if ri + 1 < n else len(text)
            a_end = ctx.sentence_end(r.after, min(upper, nxt) if nxt >= r.after else upper)
            after = (r.after, a_end)
            att = _find_after(ctx, r, after)
        if att is None:
            att = _find_before(ctx, r, before)
        if att is None:
            att = _find_colon(ctx, before)
        if not r.double and (att is None or att.mode == "colon") and not ctx.single_primary:
            continue  # single marks in a double-quote article: a title or a scare quote
        gap_before = gap_text(text, b_start, r.open)
        q = QuoteMention(r.start, r.end, "direct")
        item = QuoteItem(q, ri)
        label = _label(ctx, r.start, r.end)
        if label is not None:
            # a transcript turn inside quote marks: '"PENCE: Well, look, ...'
            q.char_start, att = label
        if att is not None:
            q.speaker, q.speaker_text_span = att.speaker
            q.cue, q.cue_token, q.addressee = att.cue, att.cue_tok, att.addressee
            item.attributed = True
            if att.cue_tok is not None:
                ctx.used_cues.add(att.cue_tok)
            if att.mode == "before" and att.cue is not None:
                gap = gap_text(text, att.cue[1], r.open)
                # the sentence goes on after the quote: 'warned that "nobody wins" with China'
                tail = WORD.search(text, r.after, after[1]) if after is not None and not \
                    content.rstrip().endswith((".", "!", "?")) else None
                if gap.lower() not in LINK_GAP and not gap.endswith((":", ",", "\u2014", ";")) and \
                        not _addressee_gap(ctx, att.cue_tok, r.open) or tail is not None and gap != ":":
                    _make_mixed(ctx, item, att.cue[1], r)
            elif att.mode == "after" and gap_before and gap_before[-1] not in ",:;\u2014\u2013-(" and \
                    len(gap_before.split()) >= 2:
                # 'Her time has been "hard," she said': the sentence is the quote
                s, e = trim_span(text, b_start, r.end)
                q.char_start, q.char_end, q.type = s, e, "mixed"
                if att.cue_tok is not None:
                    ctx.mixed_cues.add(att.cue_tok)
        elif gap_before and gap_before[-1] not in ",:;\u2014\u2013-(" and r.close is not None:
            # a fragment inside a sentence with no reporting verb: a scare quote, a title or
            # a phrase; only a whole sentence or more of someone's words counts
            if words < 10 and not re.search(r"[.!?][\"'\u201d\u2019]?\s+\S", content):
                continue
        elif words < 3 and r.close is not None:
            continue
        if q.type == "direct" and r.close is not None and (
                words < 4 and att is not None and att.mode == "before" and not content.rstrip().endswith(
                    (".", "!", "?")) and not gap_text(text, att.cue[1] if att.cue else r.open, r.open).endswith(":")
                or words <= 8 and (att is None or att.mode != "after") and _title_case(content, ctx.title_case_share)):
            continue  # 'called the conclusion "bold"', 'told "Face the Nation"': a word, a title
        out.append(item)
    return out


def _title_case(content: str, share: float) -> bool:
    """'Face the Nation', 'The Kid Who Would Be King': at least ``share`` of the longer words
    after the first capitalised (the quote component's ``title_case_share``)."""
    words = [w for w in WORD.findall(content)[1:] if len(w) >= 4]
    return bool(words) and sum(w[:1].isupper() for w in words) >= share * len(words)


def _label(ctx: QuoteContext, start: int, end: int) -> tuple[int, _Attribution] | None:
    """'PENCE: Well, look ...': a speaker label opening a transcript turn."""
    m = LABEL.match(ctx.text, start, end)
    if m is None or ctx.is_furniture(m.group(1)) or end - m.end() < 10:
        return None
    ta = ctx.state.token_actor
    colon = m.end(1)
    sp: Speaker = (None, (m.start(1), colon))
    person = False
    for i in ctx.toks(m.start(1), colon):
        if i in ta:
            sp = (ta[i], None)
            person = ctx.state.actors[ta[i]].resolved(ctx.state.actors).kind == "person"
            break
    # a transcript takes turns among a few speakers, one of them at least twice; a run of
    # one-off capitalised labels ("ENERGY:", "KEEPING SCORE:") are section headings
    counts = ctx.label_counts()
    if not person and not (max(counts.values(), default=0) >= 2 and len(counts) <= 4):
        return None
    return m.end(), _Attribution(sp, (colon, colon + 1), None, "label")


def _headline(ctx: QuoteContext, start: int, end: int) -> tuple[int, _Attribution] | None:
    """A title 'Pat Caddell: Democrat Voters Worried ...': a named actor, a colon, their words."""
    m = HEADLINE.match(ctx.text, start, end)
    if m is None or ctx.is_furniture(m.group(1)) or end - m.end() < 10:
        return None
    ta = ctx.state.token_actor
    colon = m.end(1)
    rng = ctx.toks(m.start(1), colon)
    idx = next((ta[i] for i in rng if i in ta), None)
    if idx is not None and all(i in ta for i in rng):
        if ctx.state.actors[idx].resolved(ctx.state.actors).kind not in ("person", "organization", "group"):
            return None
        return m.end(), _Attribution((idx, None), (colon, colon + 1), None, "headline")
    # 'Clinton camp: ...', 'Poll: ...', 'Lynch: ...': a source noun or a group after a name, or a
    # name the actor stage did not resolve (the parser's person or organisation)
    doc = ctx.doc
    head = doc[rng[-1]] if len(rng) else None
    if head is None or head.is_punct:
        return None
    named = all(doc[i].ent_type_ in ("PERSON", "ORG", "NORP") for i in rng) or len(rng) == 1 and head.pos_ == "PROPN"
    if not (named or head.lemma_.lower() in ctx.cues.source_nouns or head.lemma_.lower() in HEADLINE_GROUPS):
        return None
    sp = ctx.mention(head)
    if sp[0] is None and sp[1] is None:
        return None
    return m.end(), _Attribution(sp, (colon, colon + 1), None, "headline")


def transcript_turns(ctx: QuoteContext) -> list[QuoteItem]:
    """Transcript turns outside quote marks: a paragraph 'WALLACE: But, Governor ...'."""
    out = []
    for pi, (ps, pe) in enumerate(ctx.paras):
        if ctx.in_speech(ps) or ctx.in_speech(min(pe - 1, ps + 1)):
            continue
        label = _label(ctx, ps, pe)
        if label is None and pi == 0:
            label = _headline(ctx, ps, pe)
        if label is None:
            continue
        start, att = label
        end = pe
        while end > start and ctx.text[end - 1].isspace():
            end -= 1
        q = QuoteMention(start, end, "indirect" if att.mode == "headline" else "direct", att.speaker[0],
                         att.speaker[1], att.cue)
        for ri in range(bisect_left(ctx.opens, start), bisect_left(ctx.opens, end)):
            ctx.consumed.add(ri)
        out.append(QuoteItem(q, None, attributed=True))
    return out


def _addressee_gap(ctx: QuoteContext, cue_tok: int | None, open_: int) -> bool:
    """'X told reporters "..."', 'X said Monday "...': only an object or a time between."""
    if cue_tok is None:
        return False
    rng = ctx.toks(ctx.doc[cue_tok].idx + 1, open_)
    if len(rng) > 4:
        return False
    return all(ctx.doc[i].dep_ in ("dative", "dobj", "npadvmod", "det", "compound", "prep", "pobj", "punct",
                                   "amod", "poss") or ctx.doc[i].ent_type_ in ("DATE", "TIME")
               for i in rng)


def _make_mixed(ctx: QuoteContext, item: QuoteItem, from_char: int, r: Region) -> None:
    """A quote inside a paraphrase: the paraphrase, from the cue to the sentence end, is the quote."""
    text = ctx.text
    pi = ctx.para_of(r.after)
    end = ctx.sentence_end(r.after, ctx.paras[pi][1])
    if item.q.cue_token is not None:
        # the paraphrase ends with the cue's complement ("called Clinton a 'champion' for its
        # constituency, citing her work ..." ends before "citing")
        tok = ctx.doc[item.q.cue_token]
        cue = ctx.cue_at(tok.i, speech_only=False)
        span = content_span(ctx, tok, cue) if cue is not None else None
        if span is not None and span[0] <= r.open and r.end <= span[1] < end:
            cut = max(span[1], r.after)
            # a further quoted fragment a few words on still belongs to it ('called the plan
            # "bold" and based on "one giant assumption"'), whatever the parse attached it to
            for r2 in ctx.speech[item.region + 1:] if item.region is not None else ():
                if r2.open >= end or len(text[cut:r2.open].split()) > 4:
                    break
                cut = r2.after
            end = cut
    start = strip_that(ctx, trim_span(text, from_char, end)[0], end)
    start, end = trim_span(text, start, end)
    # further quoted fragments of the same paraphrase belong to it
    for ri in range(item.region + 1, len(ctx.speech)):
        r2 = ctx.speech[ri]
        if r2.open >= end:
            break
        ctx.consumed.add(ri)
        item.consumed.append(ri)
    if end - start > r.end - r.start:
        item.q.char_start, item.q.char_end, item.q.type = start, end, "mixed"
        if item.q.cue_token is not None:
            ctx.mixed_cues.add(item.q.cue_token)
