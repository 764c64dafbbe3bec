"""The ``communique_quotes`` component.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .._state import DocState, QuoteMention, get_state
from .carry import carried_speakers, resolve_pronouns
from .context import QuoteContext
from .cues import Cues, get_cues
from .direct import direct_quotes, transcript_turns
from .indirect import drop_nested, indirect_quotes


# -- the stage ------------------------------------------------------------------------
def extract_quotes(doc: Doc, state: DocState, cues: Cues | None = None, carry_paragraphs: int = 2,
                   title_case_share: float = 0.75, attitudes: bool = True) -> list[QuoteMention]:
    """All quotes of ``doc``, in text order (pure: reads the doc and ``state.actors``; without
    ``cues`` it reads the cue table, which the component does once)."""
    ctx = QuoteContext(doc, state, cues if cues is not None else get_cues(), carry_paragraphs, title_case_share,
                       attitudes)
    state.warnings.extend(f"quotes: {w}" for w in ctx.warnings)
    state.quoted = [(r.start, r.end) for r in ctx.speech if r.double]
    turns = transcript_turns(ctx)
    direct = direct_quotes(ctx)
    direct = [d for d in direct if d.region not in ctx.consumed or d.consumed] + turns
    spans = sorted((d.q.char_start, d.q.char_end) for d in direct)
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    ctx.quoted_spans, ctx.quoted_starts = merged, [a for a, _ in merged]
    ev = carried_speakers(ctx, direct)
    items = drop_nested(direct + indirect_quotes(ctx))
    resolve_pronouns(ctx, items, ev)
    items.sort(key=lambda it: (it.q.char_start, -it.q.char_end))
    out: list[QuoteMention] = []
    seen: set[tuple[int, int]] = set()
    for it in items:
        q = it.q
        key = (q.char_start, q.char_end)
        if key in seen or q.char_end <= q.char_start:
            continue
        seen.add(key)
        out.append(q)
    return out


class QuoteStage:
    """The ``communique_quotes`` component; owns its cue table."""

    def __init__(self, cues: Cues, carry_paragraphs: int, title_case_share: float = 0.75,
                 attitudes: bool = True):
        self.attitudes = attitudes
        self.cues = cues
        self.carry_paragraphs = carry_paragraphs
        self.title_case_share = title_case_share

    def __call__(self, doc: Doc) -> Doc:
        state = get_state(doc)
        state.quotes = extract_quotes(doc, state, self.cues, self.carry_paragraphs, self.title_case_share,
                                      self.attitudes)
        return doc


@Language.factory("communique_quotes", default_config={"carry_paragraphs": 2, "title_case_share": 0.75,
                                                       "attitudes": True})
def make_quote_stage(nlp: Language, name: str, carry_paragraphs: int, title_case_share: float,
                     attitudes: bool) -> QuoteStage:
    return QuoteStage(get_cues(), carry_paragraphs, title_case_share, attitudes)
