"""Stage settings live in the components' config (issue 15): visible in nlp.config, and used."""

from __future__ import annotations

import pytest

from communique.errors import CommuniqueError
from communique.stages.actors.coreference import PRONOUN_SCORES
from communique.stages.actors.resolution import ACTOR_CONFIDENCE
from communique.stages.events import CONFIDENCE_WEIGHTS, make_event_stage
from communique.stages.places import PLACE_WEIGHTS

pytestmark = pytest.mark.slow


def test_settings_are_in_the_config(pipeline):
    comps = pipeline.nlp.config["components"]
    assert comps["communique_events"]["history_years"] == 25
    assert dict(comps["communique_events"]["confidence"]) == CONFIDENCE_WEIGHTS
    assert dict(comps["communique_actors"]["confidence"]) == ACTOR_CONFIDENCE
    assert dict(comps["communique_actors"]["pronoun_scores"]) == PRONOUN_SCORES
    assert dict(comps["communique_places"]["weights"]) == PLACE_WEIGHTS
    assert comps["communique_quotes"]["carry_paragraphs"] == 2
    assert comps["communique_tone"]["negation_window"] == 2


def test_components_use_their_settings(pipeline):
    text = "In 1990, China attacked India."
    day = "2000-01-01"  # ten years before the article: not historical with the default of 25 years
    events = pipeline.nlp.get_pipe("communique_events")
    assert [e.cameo_root for e in pipeline.code_text(text, date=day).events].count("19") == 1
    default = events.settings
    try:
        events.settings = type(default)(5, default.confidence, default.quote_confidence)
        assert [e.cameo_root for e in pipeline.code_text(text, date=day).events].count("19") == 0
    finally:
        events.settings = default


def test_a_partial_weight_table_is_an_error_naming_the_setting(pipeline):
    with pytest.raises(CommuniqueError, match="components.communique_events"):
        make_event_stage(pipeline.nlp, "communique_events", 25, {"base": 0.5}, {})
