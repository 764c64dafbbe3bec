"""Quote stage: direct and indirect quotes, each with its speaker and reporting cue.

Direct quotes come from quote marks (``_quotemarks``); the speaker is found by a
reporting cue next to the quote ("'...,' X said", "X said: '...'"), else carried
over from the sentence before ("The President emphasized that ... . '...'") or
from the previous quote of a multi-paragraph quotation. Indirect quotes are the
clausal complement of a cue ("X noted that ...") and "according to X, ...".
Speakers are actor mentions, so "he" and "the Belarusian leader" resolve through
the actor stage's coreference.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..kb.tables import data_path, read_table
from ._quotemarks import Region, find_regions, paragraphs
from ._state import DocState, QuoteMention, get_state

_SUBJ = ("nsubj", "nsubjpass")
_FINAL = {".", "!", "?"}


@dataclass(frozen=True)
class Cues:
    verbs: dict[str, str]        # lemma -> kind
    phrases: tuple[str, ...]
    version: str


_CUES: Cues | None = None


def get_cues() -> Cues:
    global _CUES
    if _CUES is None:
        table = read_table(data_path("cues.tsv"), required=("cue", "kind"))
        verbs = {r["cue"]: r["kind"] for _, r in table if r["kind"] != "phrase"}
        phrases = tuple(r["cue"] for _, r in table if r["kind"] == "phrase")
        _CUES = Cues(verbs, phrases, table.version)
    return _CUES


def _is_cue(tok: Token, cues: Cues, speech_only: bool = True) -> bool:
    kind = cues.verbs.get(tok.lemma_.lower())
    if kind is None or tok.pos_ not in ("VERB", "AUX"):
        return False
    if speech_only and kind == "belief":
        return False
    if tok.lemma_.lower() == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children):
        return False
    return True


def _speaker_of(doc: Doc, cue: Token, state: DocState, window: tuple[int, int] | None = None
                ) -> tuple[int | None, tuple[int, int] | None]:
    """The speaker of a cue: its subject (or, in inversions, the noun after it)."""
    cand = [c for c in cue.children if c.dep_ in _SUBJ]
    if not cand:
        # "emphasized the Belarusian leader": inverted subject parsed as object
        cand = [c for c in cue.children if c.dep_ in ("dobj", "attr", "npadvmod") and c.i > cue.i
                and c.pos_ in ("NOUN", "PROPN", "PRON")]
    if not cand and cue.dep_ in ("conj", "xcomp", "advcl") and cue.head.pos_ in ("VERB", "AUX"):
        cand = [c for c in cue.head.children if c.dep_ in _SUBJ]
    if not cand and window is not None:
        for t in range(window[0], window[1]):
            if t in state.token_actor:
                return state.token_actor[t], None
        return None, None
    if not cand:
        return None, None
    tok = cand[0]
    if tok.lower_ in ("it", "this", "that", "which", "who"):
        return None, None
    if tok.i in state.token_actor:
        return state.token_actor[tok.i], None
    for t in tok.subtree:
        if t.i in state.token_actor:
            return state.token_actor[t.i], None
    if tok.pos_ == "PRON" and tok.lower_ not in ("he", "she", "they", "we", "i"):
        return None, None
    left = tok.left_edge.i
    span = doc[left:tok.i + 1]
    return None, (span.start_char, span.end_char)


def _tokens_between(doc: Doc, start_char: int, end_char: int) -> tuple[int, int]:
    span = doc.char_span(start_char, end_char, alignment_mode="expand") if end_char > start_char else None
    if span is None:
        return (0, 0)
    return span.start, span.end


def extract_quotes(doc: Doc, state: DocState) -> list[QuoteMention]:
    cues = get_cues()
    text = doc.text
    regions, warnings = find_regions(text)
    state.warnings.extend(f"quotes: {w}" for w in warnings)
    state.quoted = [(r.start, r.end) for r in regions if r.double]
    paras = paragraphs(text)
    quotes: list[QuoteMention] = []
    prev_region: Region | None = None
    prev_quote: QuoteMention | None = None
    for r in regions:
        if not r.double:
            continue
        q = QuoteMention(r.start, r.end, "direct")
        para = next(((s, e) for s, e in paras if s <= r.open < e), (0, len(text)))
        content = text[r.start:r.end].rstrip()
        # 1. cue after the quote: "...," he said / "...," said X
        if r.close is not None and (not content or content[-1] not in ".") and _attrib_after(doc, r, para, q,
                                                                                              state, cues, regions):
            pass
        # 2. cue before the quote: X said: "..."
        elif _attrib_before(doc, r, para, q, state, cues, regions, prev_region):
            pass
        # 3. the cue of the sentence before, or the previous quote's speaker
        elif _attrib_carry(doc, r, para, q, state, cues, prev_quote, prev_region):
            pass
        words = len(content.split())
        if q.speaker is None and q.speaker_text_span is None and words < 4:
            continue  # a scare-quoted word or a title, not a quotation
        if words < 4 and q.cue is None:
            continue
        if r.close is None or words < 6 and not any(ch in content for ch in ".,!?"):
            q.type = "direct" if words >= 4 else "mixed"
        quotes.append(q)
        prev_region, prev_quote = r, q
    quotes.extend(_indirect(doc, state, cues, regions))
    quotes.sort(key=lambda q: q.char_start)
    return quotes


def _window_tokens(doc: Doc, a: int, b: int) -> range:
    ta, tb = _tokens_between(doc, a, b)
    return range(ta, tb)


def _attrib_after(doc: Doc, r: Region, para: tuple[int, int], q: QuoteMention, state: DocState,
                  cues: Cues, regions: list[Region]) -> bool:
    start = r.close + 1
    limit = para[1]
    for other in regions:
        if other.open > r.open and other.open >= start:
            limit = min(limit, other.open)
            break
    # the attribution ends at the first sentence-final mark after the quote
    end = start
    while end < limit and text_char(doc, end) not in _FINAL:
        end += 1
    rng = _window_tokens(doc, start, end)
    if len(rng) == 0 or len(rng) > 25:
        return False
    for i in rng:
        tok = doc[i]
        if _is_cue(tok, cues):
            sp, span = _speaker_of(doc, tok, state, (rng.start, rng.stop))
            if sp is None and span is None:
                continue
            q.speaker, q.speaker_text_span = sp, span
            q.cue, q.cue_token = (tok.idx, tok.idx + len(tok.text)), tok.i
            return True
    return False


def text_char(doc: Doc, i: int) -> str:
    return doc.text[i] if i < len(doc.text) else ""


def _attrib_before(doc: Doc, r: Region, para: tuple[int, int], q: QuoteMention, state: DocState,
                   cues: Cues, regions: list[Region], prev_region: Region | None) -> bool:
    start = para[0]
    if prev_region is not None and prev_region.close is not None and prev_region.close >= para[0]:
        start = max(start, prev_region.close + 1)
    # the sentence that holds the opening mark
    tok_open = doc.char_span(r.open, r.open + 1, alignment_mode="expand")
    if tok_open is not None:
        start = max(start, tok_open[0].sent.start_char)
    rng = _window_tokens(doc, start, r.open)
    if len(rng) == 0:
        return False
    # nearest cue before the mark wins
    for i in reversed(rng):
        tok = doc[i]
        if _is_cue(tok, cues):
            sp, span = _speaker_of(doc, tok, state, None)
            if sp is None and span is None:
                continue
            q.speaker, q.speaker_text_span = sp, span
            q.cue, q.cue_token = (tok.idx, tok.idx + len(tok.text)), tok.i
            return True
    return False


def _attrib_carry(doc: Doc, r: Region, para: tuple[int, int], q: QuoteMention, state: DocState,
                  cues: Cues, prev_quote: QuoteMention | None, prev_region: Region | None) -> bool:
    # a continued quotation from the previous paragraph keeps its speaker
    if prev_region is not None and prev_region.continues and prev_quote is not None:
        q.speaker, q.speaker_text_span, q.cue = prev_quote.speaker, prev_quote.speaker_text_span, prev_quote.cue
        return q.speaker is not None or q.speaker_text_span is not None
    tok_open = doc.char_span(r.open, r.open + 1, alignment_mode="expand")
    if tok_open is None:
        return False
    sent = tok_open[0].sent
    if sent.start == 0:
        return False
    prev_sent = doc[sent.start - 1].sent
    if prev_sent.start_char < para[0] - 2 and not _paragraph_is_intro(doc, prev_sent):
        return False
    for tok in prev_sent:
        if state.in_quote(tok.idx):
            continue
        if _is_cue(tok, cues):
            sp, span = _speaker_of(doc, tok, state, None)
            if sp is None and span is None:
                continue
            q.speaker, q.speaker_text_span = sp, span
            q.cue, q.cue_token = (tok.idx, tok.idx + len(tok.text)), tok.i
            return True
    return False


def _paragraph_is_intro(doc: Doc, sent) -> bool:
    return sent.text.rstrip().endswith(":")


def _indirect(doc: Doc, state: DocState, cues: Cues, regions: list[Region]) -> list[QuoteMention]:
    """Reported speech: the clause a cue governs, and "according to X"."""
    out = []
    text = doc.text
    for tok in doc:
        if state.in_quote(tok.idx) or not _is_cue(tok, cues, speech_only=False):
            continue
        comp = [c for c in tok.children if c.dep_ in ("ccomp",) and c.i > tok.i]
        if not comp:
            # "reaffirmed China's readiness to ...", "expressed his belief in ..."
            comp = [c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i and
                    tok.lemma_.lower() in ("reaffirm", "express", "reiterate", "voice", "affirm")]
        if not comp:
            continue
        c = comp[0]
        sub = list(c.subtree)
        s_tok = sub[0]
        if s_tok.lower_ == "that":
            s_tok = doc[s_tok.i + 1] if s_tok.i + 1 < len(doc) else s_tok
        start, end = s_tok.idx, sub[-1].idx + len(sub[-1].text)
        # never run into a direct quote: cut at its opening mark
        for r in regions:
            if r.double and start <= r.open < end:
                end = r.open
        while end > start and text[end - 1] in " :,.;\u2014-":
            end -= 1
        if end - start < 8 or len(text[start:end].split()) < 3:
            continue
        if any(state.in_quote(i) for i in (start, end - 1)):
            continue
        sp, span = _speaker_of(doc, tok, state, None)
        if sp is None and span is None:
            continue
        out.append(QuoteMention(start, end, "indirect", sp, span, (tok.idx, tok.idx + len(tok.text)), tok.i))
    # "according to X, ..."
    for i, tok in enumerate(doc):
        if tok.lower_ == "according" and i + 2 < len(doc) and doc[i + 1].lower_ == "to":
            if state.in_quote(tok.idx):
                continue
            agent = doc[i + 2]
            pobj = [c for c in doc[i + 1].children if c.dep_ == "pobj"]
            if pobj:
                agent = pobj[0]
            sp = state.token_actor.get(agent.i)
            span = None if sp is not None else (agent.left_edge.idx, agent.idx + len(agent.text))
            sent = tok.sent
            start, end = sent.start_char, sent.end_char
            # the content is the sentence minus the "according to X" phrase
            phrase_end = agent.right_edge.idx + len(agent.right_edge.text)
            if tok.idx <= start + 1:
                start = phrase_end
            else:
                end = tok.idx
            while start < end and text[start] in " ,":
                start += 1
            while end > start and text[end - 1] in " ,.;":
                end -= 1
            if len(text[start:end].split()) >= 3 and not any(state.in_quote(x) for x in (start, end - 1)):
                out.append(QuoteMention(start, end, "indirect", sp, span,
                                        (tok.idx, doc[i + 1].idx + 2), tok.i))
    return out


@Language.factory("communique_quotes", default_config={})
def make_quote_stage(nlp: Language, name: str):
    get_cues()

    def quote_stage(doc: Doc) -> Doc:
        state = get_state(doc)
        state.quotes = extract_quotes(doc, state)
        return doc

    return quote_stage
