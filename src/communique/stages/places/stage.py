"""The ``communique_places`` component.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ...errors import CommuniqueError
from ...kb.gazetteer import Gazetteer, get_gazetteer
from .._state import DocState, PlaceMention, get_state
from .knowledge import PlaceKB, build_place_kb
from .recognition import find_mentions
from .resolution import drop_unsupported, resolve_mentions
from .scoring import PLACE_WEIGHTS


# -- the stage --------------------------------------------------------------------------------
def extract_places(doc: Doc, state: DocState, gaz: Gazetteer | None = None, kb: PlaceKB | None = None,
                   demonyms: bool = True, embedded: bool = True,
                   weights: dict[str, float] = PLACE_WEIGHTS) -> list[PlaceMention]:
    """The place mentions of ``doc`` (pure: reads the doc, the actors in ``state`` and the gazetteer;
    without ``kb`` it builds the place knowledge, which the component does once)."""
    if kb is None:
        kb = build_place_kb(gaz if gaz is not None else get_gazetteer())
    mentions = find_mentions(doc, state, kb, demonyms=demonyms, embedded=embedded)
    resolve_mentions(mentions, state, kb, weights)
    drop_unsupported(mentions, state)
    out: list[PlaceMention] = []
    text = state.text  # not doc.text: that joins every token again on each access
    for m in mentions:
        e = m.choice
        span = doc[m.start:m.end]
        if e is None:
            continue
        a, b = span.start_char, span.end_char
        while a < b and not text[a].isalnum():
            a += 1  # "-Chinese" when the tokenizer kept the hyphen of "Belarusian-Chinese"
        while b > a and not text[b - 1].isalnum() and text[b - 1] != ".":
            b -= 1
        if a >= b:
            continue
        out.append(PlaceMention(span.start, span.end, a, b, e.name, e.country,
                                round(e.lat, 5), round(e.lon, 5),
                                e.geonames_id if e.geonames_id and e.geonames_id > 0 else None, e.feature,
                                role=m.role))
    return out


class PlaceStage:
    """The ``communique_places`` component; owns its place knowledge and settings."""

    def __init__(self, kb: PlaceKB, demonyms: bool, embedded: bool, weights: dict[str, float]):
        self.kb = kb
        self.demonyms = demonyms
        self.embedded = embedded
        self.weights = weights

    def __call__(self, doc: Doc) -> Doc:
        state = get_state(doc)
        state.places = extract_places(doc, state, self.kb.gaz, self.kb, demonyms=self.demonyms,
                                      embedded=self.embedded, weights=self.weights)
        return doc


@Language.factory("communique_places",
                  default_config={"demonyms": True, "embedded": True, "weights": PLACE_WEIGHTS})
def make_place_stage(nlp: Language, name: str, demonyms: bool, embedded: bool,
                     weights: dict[str, float]) -> PlaceStage:
    missing = sorted(set(PLACE_WEIGHTS) - set(weights))
    if missing:
        raise CommuniqueError(f"place weight(s) {', '.join(missing)} missing", f"components.{name}.weights",
                              "give every weight of the default config")
    return PlaceStage(build_place_kb(get_gazetteer()), demonyms, embedded, dict(weights))
