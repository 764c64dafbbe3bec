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
from ._state import DocState, get_state

_NEGATORS = {"not", "no", "never", "n't", "without", "nor", "neither"}


def _hashed(lexicon: ToneLexicon, strings) -> dict[int, float]:
    # valence by string id, so the token loop reads integer arrays, not Token objects; ids come
    # from the StringStore, not hash_string, because spaCy's symbols ("number") have fixed ids
    table = _BY_ID.get(id(lexicon))
    if table is None:
        table = _BY_ID[id(lexicon)] = {strings[w]: v for w, v in lexicon.valence.items()}
    return table


_BY_ID: dict[int, dict[int, float]] = {}


def compute_tone(doc: Doc, lexicon: ToneLexicon) -> Tone:
    words = pos = neg = 0
    if len(doc) == 0:
        return Tone()
    strings = doc.vocab.strings
    by_hash = _hashed(lexicon, strings)
    negators = {strings[w] for w in _NEGATORS}
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
        # "not good" counts against: a negator among the two previous words flips it
        if (i >= 1 and lower[i - 1] in negators) or (i >= 2 and lower[i - 2] in negators):
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
