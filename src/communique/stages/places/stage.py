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
from .scoring import PLACE_THRESHOLDS, PLACE_WEIGHTS, PlaceSettings


# -- the stage --------------------------------------------------------------------------------
def extract_places(doc: Doc, state: DocState, gaz: Gazetteer | None = None, kb: PlaceKB | None = None,
                   demonyms: bool = True, embedded: bool = True,
                   weights: dict[str, float] = PLACE_WEIGHTS,
                   thresholds: dict[str, float] = PLACE_THRESHOLDS) -> list[PlaceMention]:
    """The place mentions of ``doc`` (pure: reads the doc, the actors in ``state`` and the gazetteer;
    without ``kb`` it builds the place knowledge, which the component does once)."""
    if kb is None:
        kb = build_place_kb(gaz if gaz is not None else get_gazetteer())
    st = PlaceSettings(weights, thresholds)
    mentions = find_mentions(doc, state, kb, demonyms=demonyms, embedded=embedded, settings=st)
    resolve_mentions(mentions, state, kb, st)
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
        admin1 = kb.admin1_of(e)
        name = e.name or text[a:b]  # a county keeps its own name ("Orange County")
        out.append(PlaceMention(span.start, span.end, a, b, name, e.country,
                                round(e.lat, 5), round(e.lon, 5),
                                e.geonames_id if e.geonames_id and e.geonames_id > 0 else None, e.feature,
                                role=m.role, admin1_code=admin1[0] if admin1 else None,
                                admin1_name=admin1[1] if admin1 else None))
    return out


class PlaceStage:
    """The ``communique_places`` component; owns its place knowledge and settings."""

    def __init__(self, kb: PlaceKB, demonyms: bool, embedded: bool, weights: dict[str, float],
                 thresholds: dict[str, float] | None = None):
        self.kb = kb
        self.demonyms = demonyms
        self.embedded = embedded
        self.weights = weights
        self.thresholds = dict(thresholds) if thresholds is not None else dict(PLACE_THRESHOLDS)

    def __call__(self, doc: Doc) -> Doc:
        state = get_state(doc)
        state.places = extract_places(doc, state, self.kb.gaz, self.kb, demonyms=self.demonyms,
                                      embedded=self.embedded, weights=self.weights,
                                      thresholds=self.thresholds)
        return doc


@Language.factory("communique_places",
                  default_config={"demonyms": True, "embedded": True, "weights": PLACE_WEIGHTS,
                                  "thresholds": PLACE_THRESHOLDS})
def make_place_stage(nlp: Language, name: str, demonyms: bool, embedded: bool,
                     weights: dict[str, float], thresholds: dict[str, float]) -> PlaceStage:
    for setting, given, default in (("weights", weights, PLACE_WEIGHTS), ("thresholds", thresholds, PLACE_THRESHOLDS)):
        missing = sorted(set(default) - set(given))
        if missing:
            raise CommuniqueError(f"place {setting} {', '.join(missing)} missing", f"components.{name}.{setting}",
                                  f"give every entry of the default config's {setting}")
    return PlaceStage(build_place_kb(get_gazetteer()), demonyms, embedded, dict(weights), dict(thresholds))
