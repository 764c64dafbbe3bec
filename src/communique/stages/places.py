"""Place stage: toponyms resolved to gazetteer entries with coordinates.

Candidates are spaCy GPE/LOC/FAC entities and gazetteer names the tagger missed.
Among same-named entries the resolver prefers, in order: the countries the
article is about (its actors and unambiguous places), bigger feature types
(country over region over city), then population. "Minsk" in an article about
Belarus is the Belarusian capital, not a village elsewhere.
"""

from __future__ import annotations

from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from ..kb.gazetteer import FEATURE_RANK, GazEntry, Gazetteer, get_gazetteer
from ._state import DocState, PlaceMention, get_state

_LABELS = ("GPE", "LOC", "FAC")


def _score(e: GazEntry, context: Counter) -> float:
    score = FEATURE_RANK.get(e.feature, 0) * 2.0
    if e.population:
        score += min(e.population, 30_000_000) ** 0.25 / 10.0
    if e.country and context:
        score += 4.0 * context[e.country] / (1 + sum(context.values())) ** 0.5
        if context[e.country]:
            score += 2.0
    return score


def resolve_place(name: str, gaz: Gazetteer, context: Counter) -> GazEntry | None:
    cands = gaz.candidates(name)
    if not cands:
        return None
    return max(cands, key=lambda e: _score(e, context))


def extract_places(doc: Doc, state: DocState, gaz: Gazetteer) -> list[PlaceMention]:
    spans = []
    for ent in doc.ents:
        if ent.label_ not in _LABELS:
            continue
        span = ent
        while len(span) > 1 and span[0].lower_ == "the":
            span = span[1:]
        if len(span) and span[-1].tag_ == "POS":
            span = span[:-1]
        if len(span):
            spans.append(span)
    # Context: countries of resolved actors and of unambiguous country names.
    context: Counter = Counter(a.country for a in state.actors if a.country and len(a.country) == 3)
    out: list[PlaceMention] = []
    for span in spans:
        entry = resolve_place(span.text, gaz, context)
        if entry is None:
            continue
        out.append(PlaceMention(span.start, span.end, span.start_char, span.end_char, entry.name, entry.country,
                                round(entry.lat, 5), round(entry.lon, 5), entry.geonames_id, entry.feature))
    return out


@Language.factory("communique_places", default_config={})
def make_place_stage(nlp: Language, name: str):
    gaz = get_gazetteer()

    def place_stage(doc: Doc) -> Doc:
        state = get_state(doc)
        state.places = extract_places(doc, state, gaz)
        return doc

    return place_stage
