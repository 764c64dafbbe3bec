"""Tone stage: GDELT-style document tone from the VADER lexicon.

GDELT's tone is the percentage of words that are positive minus the percentage
that are negative; polarity is their sum. We count a word as positive or
negative by its VADER mean valence (MIT-licensed lexicon, shipped as data).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..kb import get_tone_lexicon
from ..kb.lexicons import ToneLexicon
from ..records import Tone
from ._state import DocState, get_state

_NEGATORS = {"not", "no", "never", "n't", "without", "nor", "neither"}


def compute_tone(doc: Doc, lexicon: ToneLexicon) -> Tone:
    words = pos = neg = 0
    valence = lexicon.valence
    for tok in doc:
        if not tok.is_alpha:
            continue
        words += 1
        v = valence.get(tok.lower_)
        if v is None:
            v = valence.get(tok.lemma_.lower())
        if not v:
            continue
        # "not good" counts against: a negator among the two previous words flips it
        if any(doc[j].lower_ in _NEGATORS for j in range(max(0, tok.i - 2), tok.i)):
            v = -v
        if v > 0:
            pos += 1
        else:
            neg += 1
    if words == 0:
        return Tone()
    p, n = 100.0 * pos / words, 100.0 * neg / words
    return Tone(tone=round(p - n, 3), positive=round(p, 3), negative=round(n, 3), polarity=round(p + n, 3),
                words=words)


@Language.factory("communique_tone", default_config={})
def make_tone_stage(nlp: Language, name: str):
    lexicon = get_tone_lexicon()

    def tone_stage(doc: Doc) -> Doc:
        state: DocState = get_state(doc)
        state.tone = compute_tone(doc, lexicon)
        return doc

    return tone_stage
