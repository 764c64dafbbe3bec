"""Tone stage: GDELT-style document tone from the VADER lexicon.

GDELT's tone is the percentage of words that are positive minus the percentage
that are negative; polarity is their sum. We count a word as positive or
negative by its VADER mean valence (MIT-licensed lexicon, shipped as data).
"""

from __future__ import annotations

from spacy.attrs import IS_ALPHA, LEMMA, LOWER
from spacy.language import Language
from spacy.tokens import Doc

from ..kb import get_tone_lexicon
from ..kb.lexicons import ToneLexicon
from ..records import Tone
from ._lexicon import NEGATORS
from ._state import DocState, get_state


def valence_by_id(lexicon: ToneLexicon, strings) -> dict[int, float]:
    """Valence by string id, so the token loop reads integer arrays, not Token objects; ids come
    from the StringStore, not hash_string, because spaCy's symbols ("number") have fixed ids."""
    return {strings[w]: v for w, v in lexicon.valence.items()}


def compute_tone(doc: Doc, lexicon: ToneLexicon, by_id: dict[int, float] | None = None,
                 window: int = 2) -> Tone:
    """GDELT-style tone of ``doc``; ``by_id`` is ``valence_by_id`` (the component computes it once);
    a negator among the ``window`` words before a word flips its valence."""
    words = pos = neg = 0
    if len(doc) == 0:
        return Tone()
    strings = doc.vocab.strings
    by_hash = by_id if by_id is not None else valence_by_id(lexicon, strings)
    negators = {strings[w] for w in NEGATORS}
    valence = lexicon.valence
    arr = doc.to_array([IS_ALPHA, LOWER, LEMMA])
    alpha, lower, lemma = arr[:, 0].tolist(), arr[:, 1].tolist(), arr[:, 2].tolist()
    for i in range(len(lower)):
        if not alpha[i]:
            continue
        words += 1
        v = by_hash.get(lower[i])
        if v is None:
            v = by_hash.get(lemma[i])
            if v is None and lemma[i] != lower[i]:
                v = valence.get(strings[lemma[i]].lower())  # a capitalised lemma ("Good" as PROPN)
        if not v:
            continue
        # "not good" counts against: a negator among the previous words flips it
        if any(lower[j] in negators for j in range(max(0, i - window), i)):
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


class ToneStage:
    """The ``communique_tone`` component; owns the lexicon and its valence by string id."""

    def __init__(self, lexicon: ToneLexicon, by_id: dict[int, float], window: int):
        self.lexicon = lexicon
        self.by_id = by_id
        self.window = window

    def __call__(self, doc: Doc) -> Doc:
        state: DocState = get_state(doc)
        state.tone = compute_tone(doc, self.lexicon, self.by_id, self.window)
        return doc


@Language.factory("communique_tone", default_config={"negation_window": 2})
def make_tone_stage(nlp: Language, name: str, negation_window: int) -> ToneStage:
    lexicon = get_tone_lexicon()
    return ToneStage(lexicon, valence_by_id(lexicon, nlp.vocab.strings), negation_window)
