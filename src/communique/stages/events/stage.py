"""The ``communique_events`` component.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ...errors import CommuniqueError
from ...kb import get_codebook, get_event_lexicon
from ...kb.lexicons import EventLexicon
from .._state import get_state
from ..quote_events import (
    ADDRESSEE_WINDOW,
    QUOTE_ACT_CONFIDENCE,
    Acts,
    events_from_quotes,
    get_acts,
)
from .confidence import CONFIDENCE_WEIGHTS, EventSettings
from .model import SEARCH_LIMITS
from .walk import extract_events


class EventStage:
    """The ``communique_events`` component; owns its lexicon, quote-act table and settings."""

    def __init__(self, lex: EventLexicon, acts: Acts, settings: EventSettings,
                 quote_addressee_window: int = ADDRESSEE_WINDOW):
        self.quote_addressee_window = quote_addressee_window
        self.lex = lex
        self.acts = acts
        self.settings = settings
        # word -> lexicon rules, and token ids -> has rules, for all documents (extract_events)
        self.rules_memo: dict = {}
        self.trigger_memo: dict = {}

    def __call__(self, doc: Doc) -> Doc:
        state = get_state(doc)
        state.events = extract_events(doc, state, self.lex, self.settings, self.rules_memo,
                                      self.trigger_memo)
        # Quotes whose content is a codable act (praise, proposal, threat ...) add
        # events of their own, linked by `quote`; see quote_events.py.
        state.events.extend(events_from_quotes(doc, state, self.acts, self.settings.quote_confidence,
                                               self.quote_addressee_window))
        return doc


@Language.factory("communique_events", default_config={
    "history_years": 25, "confidence": CONFIDENCE_WEIGHTS, "quote_confidence": QUOTE_ACT_CONFIDENCE,
    "quote_addressee_window": ADDRESSEE_WINDOW, "limits": SEARCH_LIMITS, "scene_targets": True})
def make_event_stage(nlp: Language, name: str, history_years: int, confidence: dict[str, float],
                     quote_confidence: dict[str, float], quote_addressee_window: int = ADDRESSEE_WINDOW,
                     limits: dict[str, int] = SEARCH_LIMITS, scene_targets: bool = True) -> EventStage:
    missing = sorted(set(CONFIDENCE_WEIGHTS) - set(confidence)) + sorted(
        set(QUOTE_ACT_CONFIDENCE) - set(quote_confidence))
    if missing:
        raise CommuniqueError(f"confidence weight(s) {', '.join(missing)} missing", f"components.{name}",
                              "give every weight of the default config")
    missing = sorted(set(SEARCH_LIMITS) - set(limits))
    bad = sorted(k for k, v in limits.items() if not isinstance(v, int) or isinstance(v, bool) or v < 0)
    if missing or bad:
        raise CommuniqueError(f"search limit(s) {', '.join(missing + bad)} missing or not a whole number >= 0",
                              f"components.{name}.limits", "give every limit of the default config as an integer >= 0")
    get_codebook()
    return EventStage(get_event_lexicon(), get_acts(),
                      EventSettings(history_years, dict(confidence), dict(quote_confidence), dict(limits),
                                    bool(scene_targets)),
                      quote_addressee_window)
